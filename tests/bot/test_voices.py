"""Helpers are answered in their own voice, over the real Rasa and action
servers in the terminal chat: English, Dutch with "je" or "u", a fixed text
for other languages; and government words explained."""

from __future__ import annotations

import io
import re

import pytest

from bot.console import run_console
from bot.conversation import Conversation
from bot.rasa_client import RasaClient
from wegwijzer.db.session import session_factory
from wegwijzer.glossary import glossary
from wegwijzer.language import other_language
from wegwijzer.texts import Voice, users, users_en, users_je
from wegwijzer.topics import topics_in
from wegwijzer.users import UserStore

pytestmark = [pytest.mark.stack, pytest.mark.usefixtures("database_url")]

U_FORM = re.compile(r"(?i)\b(u|uw)\b")


async def chat(rasa: RasaClient, lines: list[str], user: str) -> str:
    out = io.StringIO()
    conversation = Conversation(rasa, b"test-secret", f"console-{user}", UserStore(session_factory()))
    await run_console(conversation, stdin=io.StringIO("".join(line + "\n" for line in lines)), stdout=out)
    return out.getvalue()


def answers(output: str) -> str:
    """The bot's side only (the terminal echoes piped lines as "U: ...")."""
    return "\n".join(line for line in output.splitlines() if not line.startswith("U: "))


async def test_an_english_conversation_end_to_end(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["hi, my neighbour lost his digid and he only speaks english", "Zwolle"], sender)
    first, referral = output.split("U: Zwolle")
    assert users_en("language_detected") in first
    english = topics_in(Voice("en"))["topic_digid"]
    assert english.about in first
    assert users_en("utter_ask_location") in first  # a Rasa response, in English
    assert users("utter_ask_location") not in first
    assert "Zwolle" in referral
    assert any(step in referral for step in english.helper)  # the referral card's steps, in English
    assert users_en("console_bye") in referral


async def test_in_english_please_switches_and_slash_taal_switches_back(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["in English please", "/taal nl", "mijn buurvrouw is haar digid kwijt"], sender)
    assert users_en("language_set") in output
    assert users("language_set") in output
    assert users("utter_ask_location") in output.split("U: mijn buurvrouw")[1]


async def test_je_is_answered_with_je(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["hoi kun je me helpen, mn opa is zn digid kwijt", "Zwolle", "dank je"], sender)
    replies = answers(output.split("U: hoi kun je")[1])
    assert not U_FORM.search(replies), replies
    helper = topics_in(Voice("nl", "je"))["topic_digid"].helper
    assert any(step in replies for step in helper)
    assert any(text in replies for text in users_je.texts.values())


async def test_u_stays_u(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["kunt u mij helpen, mijn opa is zijn digid kwijt", "Zwolle"], sender)
    replies = answers(output.split("U: kunt u")[1])
    helper = topics_in(Voice("nl", "u"))["topic_digid"].helper
    assert any(step in replies for step in helper)
    assert not re.search(r"(?i)\b(je|jij|jouw)\b", replies.replace(users("console_bye"), ""))


async def test_another_language_gets_its_fixed_text_and_a_person(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["Merhaba, komşum dijital kimliğini kaybetti, yardım eder misiniz"], sender)
    fixed = other_language("tr")
    assert fixed.texts[0] in output
    assert f"1. {fixed.button}" in output
    assert users("utter_how_can_i_help") not in output


async def test_a_question_about_a_word_is_explained_then_routed(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["wat betekent een voorlopige aanslag?"], sender)
    term = glossary()["voorlopige aanslag"]
    assert term.nl in output
    assert term.source and term.source in output
    assert topics_in(Voice())["topic_belasting"].about in output


async def test_an_english_question_about_a_word_gets_the_english_explanation(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["what does the word toeslagpartner mean in this letter?"], sender)
    assert glossary()["toeslagpartner"].en in output


async def test_a_bare_postcode_in_a_sentence_is_the_place(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["mijn oma is haar digid kwijt, we wonen in 7511"], sender)
    assert "Enschede" in output
    assert users("utter_ask_location") not in output


async def test_a_town_cut_short_is_found(rasa: RasaClient, sender: str) -> None:
    output = await chat(rasa, ["mijn opa is zijn digid kwijt", "ze wonen in zwol"], sender)
    assert "Zwolle" in output.split("U: ze wonen in zwol")[1]
