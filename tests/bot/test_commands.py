"""The command set is defined once (bot/commands.py): the menu, /help and
what the conversation answers itself come from it, and the README lists it."""

from __future__ import annotations

from pathlib import Path

from bot.commands import COMMANDS, command_name, help_text

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c.name for c in COMMANDS if f"/{c.name}" not in readme] == []


def test_help_lists_the_commands_for_help() -> None:
    text = help_text()
    for command in COMMANDS:
        assert (f"/{command.name} " in text) == command.in_help, command.name


def test_the_menu_has_a_text_for_every_command() -> None:
    assert all(c.menu_text for c in COMMANDS)


def test_which_messages_are_commands_of_the_front_end() -> None:
    assert command_name("/rol@wegwijzer_bot helper") == "/rol"
    assert command_name("/STOP ja") == "/stop"
    assert command_name("/topic_digid") is None
    assert command_name("rol") is None
    assert command_name("/") is None
