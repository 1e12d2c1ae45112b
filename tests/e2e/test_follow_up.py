"""After a referral in Telegram: the handover card (text and PDF document)
and, with consent, "is het gelukt?" a week later: the bot restarts with its
clock a week ahead (time-machine), asks, and the answer is stored as a
FHIR-Task-like outcome and counted on the statistics page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import select

from bot.launcher import Stack
from tests.browser import fits_the_screen, heading, screenshot
from tests.e2e.conftest import BotProcess, StaffPage, start_bot
from tests.fake_telegram import FakeTelegram
from wegwijzer.db.models import FollowUp
from wegwijzer.db.session import session_scope
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text

pytestmark = [pytest.mark.stack, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "artifacts" / "logs"


@pytest.fixture
def bot(stack: Stack) -> Iterator[tuple[FakeTelegram, BotProcess]]:
    fake = FakeTelegram(token="738901:FOLLOW-UP").start()
    process = start_bot(fake, stack.rasa_url, LOGS / "bot-follow-up.log")
    yield fake, process
    process.stop()
    fake.stop()


def buttons(call: object) -> dict[str, str]:
    """title → callback data of a message's inline keyboard."""
    rows = getattr(call, "params", {}).get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


def test_handover_card_and_is_het_gelukt(
    bot: tuple[FakeTelegram, BotProcess], stack: Stack, staff_page: StaffPage, browser: WebDriver
) -> None:
    fake, process = bot
    user = process.new_user()
    mark = fake.mark()
    fake.send_text(user, "mijn buurvrouw is haar digid kwijt, ze moet het voor 15 januari geregeld hebben")
    fake.wait_quiet(user, mark, quiet=1.0)
    mark = fake.mark()
    fake.send_text(user, "Assen")
    offer = fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("after_referral_with_follow_up"))[0]
    choices = buttons(offer)
    follow_up_title = say("follow_up_offer_button", days="7")
    assert set(choices) == {say("handover_button"), follow_up_title}

    # The handover card: a message to forward, and a PDF to print.
    mark = fake.mark()
    fake.press(user, choices[say("handover_button")])
    document = fake.wait_for("sendDocument", chat_id=user, since=mark)[0]
    texts = [c.text for c in fake.calls_to("sendMessage", chat_id=user, since=mark)]
    card_text = next(t for t in texts if t.startswith("Overdrachtskaart"))
    assert "voor 15 januari" in card_text and "Assen" in card_text
    upload = document.params["document"]
    assert upload["filename"] == say("handover_file_name")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(upload["content"])).pages)
    assert "Overdrachtskaart" in pdf_text and "voor 15 januari" in pdf_text and "Assen" in pdf_text

    # Yes, ask me in a week.
    mark = fake.mark()
    fake.press(user, choices[follow_up_title])
    agreed = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Over 7 dagen")[0]
    door_name = agreed.text.split("gelukt is bij ", 1)[1].split(". Wilt", 1)[0]
    with session_scope() as session:
        row = session.execute(select(FollowUp).where(FollowUp.door_name == door_name)).scalars().one()
        assert row.status == "requested" and row.door_kind == "ido" and row.gemeente == "Assen"
        follow_up_id = row.id

    # A week later (the bot's clock moved ahead): the question comes.
    process.stop()
    mark = fake.mark()
    later = start_bot(
        fake,
        stack.rasa_url,
        LOGS / "bot-follow-up-later.log",
        module="tests.e2e.clock_shifted_bot",
        CLOCK_SHIFT_DAYS="7.1",
    )
    try:
        question = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Is het gelukt bij")[0]
        assert question.text == say("follow_up_question", door=door_name)
        answers = buttons(question)
        assert list(answers) == [say("follow_up_yes_button"), say("follow_up_no_button"), say("follow_up_help_button")]
        mark = fake.mark()
        fake.press(user, answers[say("follow_up_no_button")])
        sorry = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Jammer")[0]
        assert sorry.text == say("follow_up_sorry")
        assert say("handoff_yes_button") in buttons(sorry)  # a person is offered
        # Pressing again changes nothing: answered is answered.
        mark = fake.mark()
        fake.press(user, answers[say("follow_up_yes_button")])
        fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("old_button"))
    finally:
        later.stop()
    with session_scope() as session:
        row = session.get(FollowUp, follow_up_id)
        assert row is not None and row.status == "failed" and row.answer == "nee"
        assert row.asked_at is not None and row.answered_at is not None and row.user_chat_id is None

    # Counted per door kind, topic and gemeente on the statistics page.
    staff_page.log_in(browser)
    browser.get(staff_page.url + "/statistieken")
    heading(browser, "Statistieken")
    by_kind = browser.find_element(By.ID, "tabel-uitkomst-soort").text
    assert staff_text("kind_ido") in by_kind
    by_gemeente = browser.find_element(By.ID, "tabel-uitkomst-gemeente").text
    assert "Assen" in by_gemeente
    fits_the_screen(browser)
    screenshot(browser, "statistics-follow-ups.png")
