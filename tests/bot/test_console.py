"""The terminal chat against the real Rasa and action servers."""

from __future__ import annotations

import io

import pytest

from bot.console import run_console
from bot.conversation import Conversation
from bot.rasa_client import RasaClient
from wegwijzer.db.session import session_factory
from wegwijzer.texts import say
from wegwijzer.topics import topics
from wegwijzer.users import UserStore

pytestmark = [pytest.mark.stack, pytest.mark.usefixtures("database_url")]


async def chat(rasa: RasaClient, lines: list[str], user: str) -> str:
    out = io.StringIO()
    conversation = Conversation(rasa, b"test-secret", f"console-{user}", UserStore(session_factory()))
    await run_console(conversation, stdin=io.StringIO("".join(line + "\n" for line in lines)), stdout=out)
    return out.getvalue()


async def test_greeting_and_a_topic(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["hallo", "mijn buurvrouw is haar digid kwijt"], sender)
    assert "U: hallo" in output and "Hallo! Ik ben Wegwijzer" in output
    after_topic = output.split("U: mijn buurvrouw is haar digid kwijt")[1]
    assert "DigiD" in after_topic and "postcode" in after_topic
    assert output.rstrip().endswith(say("console_bye"))


async def test_a_choice_is_picked_by_number(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["vraagje over iets", "1"], sender)
    question, answer = output.split("U: 1")
    assert "  1. " in question
    first_choice = question.split("  1. ")[1].splitlines()[0]
    chosen = next(t for t in topics().values() if t.label == first_choice)
    assert chosen.about in answer  # the chosen topic is answered


async def test_empty_lines_and_unknown_numbers_get_a_friendly_answer(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["", "vraagje over iets", "7"], sender)
    assert say("empty_message") in output
    assert say("unknown_choice") in output


async def test_a_very_long_message_is_shortened_not_lost(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["mijn buurvrouw is haar digid kwijt " * 200], sender)
    assert say("too_long", limit=4096) in output
    assert "DigiD" in output


async def test_rasa_down_gives_a_clear_answer() -> None:
    rasa = RasaClient("http://127.0.0.1:9", retry_delays=(0.05,))
    try:
        output = await chat(rasa, ["hallo"], "down")
    finally:
        await rasa.close()
    assert say("one_moment") in output
    assert say("unavailable") in output
