"""The front-end's own commands, defined once: the Telegram menu, the /help
text and what the conversation answers itself all come from here (the
README lists them too, and a test keeps it so).

Each command's words are in the users catalogue: `command_menu_<name>` for
the menu, `command_help_<name>` for the /help text.
"""

from __future__ import annotations

from dataclasses import dataclass

from wegwijzer.texts import say


@dataclass(frozen=True)
class Command:
    name: str  # without the slash
    in_help: bool = True  # listed in the /help text

    @property
    def menu_text(self) -> str:
        return say(f"command_menu_{self.name}")

    @property
    def help_line(self) -> str:
        return f"/{self.name} {say(f'command_help_{self.name}')}"


COMMANDS = (
    Command("start", in_help=False),
    Command("help", in_help=False),
    Command("rol"),
    Command("locatie"),
    Command("privacy"),
    Command("bronnen"),
    Command("kaart"),
    Command("medewerker", in_help=False),
    Command("taal"),
    Command("stop"),
)
# Payloads of the bot's own buttons, answered by the front-end too; typed by
# a user they are refused (they change state: consent, an outcome, a report,
# a follow-up and its answer).
BUTTON_COMMANDS = ("overdracht", "uitkomst", "melding", "opvolgen", "gelukt")
BUTTON_ONLY = frozenset(f"/{name}" for name in BUTTON_COMMANDS)
LOCAL = frozenset({f"/{c.name}" for c in COMMANDS} | BUTTON_ONLY)


def once_only(payload: str) -> bool:
    """A button payload that changes state, so its button works only once."""
    name = payload.split()[0].lower() if payload.split() else ""
    return name in BUTTON_ONLY or payload.strip().lower() == "/stop ja"


# Words that, typed alone, are a command.
TYPED_COMMANDS = {"overdrachtskaart": "/kaart", "handover card": "/kaart", "taal": "/taal", "language": "/taal"}


def typed_command(message: str) -> str:
    """ "Overdrachtskaart!" → "/kaart"; any other message as it is."""
    return TYPED_COMMANDS.get(message.strip(" .!?").lower(), message)


def command_name(message: str) -> str | None:
    """ "/rol@wegwijzer_bot helper" → "/rol" when the front-end answers it, else None."""
    if not message.startswith("/"):
        return None
    name = message.split()[0].split("@")[0].lower() if message.split() else ""
    return name if name in LOCAL else None


def help_text() -> str:
    return say("help", commands="\n".join(c.help_line for c in COMMANDS if c.in_help))
