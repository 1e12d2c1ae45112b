"""Staff answer from the staff page, in real headless Chromium, while the
real bot runs against the fake Telegram Bot API with a staff group: the
inbox updates without a reload, a reply typed on the page reaches the
Telegram user and the forum topic, a reply in the topic shows on the page,
closing asks the user the outcome, the contact person is kept, a
misunderstood message becomes reviewed Rasa training data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from tests.browser import fits_the_screen, heading, screenshot, wait
from tests.e2e.conftest import STAFF_MEMBER, Handoff, StaffPage, ask_for_a_person, user_texts
from wegwijzer.db.models import Escalation, StaffAction
from wegwijzer.db.session import session_scope
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text

pytestmark = [pytest.mark.stack, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / "nlu" / ".venv" / "bin" / "python"


def mark_page(browser: WebDriver) -> None:
    """A mark in this page's JavaScript: gone if the page reloads."""
    browser.execute_script("window.__samePage = true;")


def same_page(browser: WebDriver) -> bool:
    return bool(browser.execute_script("return window.__samePage === true;"))


def text_of(browser: WebDriver, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).text


def test_a_telegram_user_is_answered_from_the_page(handoff: Handoff, staff_page: StaffPage, browser: WebDriver) -> None:
    h, fake = handoff, handoff.fake
    user = h.bot.new_user()
    staff_page.log_in(browser)
    heading(browser, "Overdrachten")
    mark_page(browser)

    # Some context, then a person: the inbox shows it without a reload.
    mark = fake.mark()
    fake.send_text(user, "mijn moeder snapt de brief van het cak niet")
    fake.wait_quiet(user, mark, quiet=1.0)
    escalation_id, thread = ask_for_a_person(h, user)
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-postvak"), f"#{escalation_id}"))
    assert same_page(browser), "the inbox must update without a reload"
    fits_the_screen(browser)
    screenshot(browser, "workspace-inbox.png")

    # The escalation's page; the user's message appears on it live.
    browser.find_element(By.CSS_SELECTOR, f"#live-postvak a[href='/overdrachten/{escalation_id}']").click()
    heading(browser, f"Overdracht #{escalation_id}")
    assert "mijn moeder snapt de brief van het cak niet" in text_of(browser, "#live-gesprek")  # what came before
    mark_page(browser)
    fake.send_text(user, "het gaat om de eigen bijdrage")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-gesprek"), "het gaat om de eigen bijdrage"))
    assert same_page(browser)

    # A reply typed on the page: to the user, and into the forum topic.
    mark = fake.mark()
    browser.find_element(By.ID, "tekst-antwoord").send_keys("Goedemiddag, ik ben Anna. Ik kijk met u mee.")
    browser.find_element(By.CSS_SELECTOR, "#antwoord button[type=submit]").click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "p.done")))
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="ik ben Anna")
    assert user_texts(fake, user, mark) == [
        say("handoff_joined"),
        say("handoff_staff_says", text="Goedemiddag, ik ben Anna. Ik kijk met u mee."),
    ]
    in_topic = fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="ik ben Anna")[0]
    assert int(in_topic.params["message_thread_id"]) == thread
    assert in_topic.text == staff_text("web_reply", name="Anna", text="Goedemiddag, ik ben Anna. Ik kijk met u mee.")
    assert fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="opgepakt door Anna")

    # A colleague answers in the forum topic: it shows on the page, live.
    mark_page(browser)
    fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "Ik heb het CAK-nummer voor u opgezocht.")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-gesprek"), "CAK-nummer voor u opgezocht"))
    assert same_page(browser)

    # Mark the first message as misunderstood, with the right intent.
    first = browser.find_element(By.XPATH, "//li[contains(., 'snapt de brief van het cak')]")
    first.find_element(By.TAG_NAME, "summary").click()
    Select(first.find_element(By.TAG_NAME, "select")).select_by_value("topic_zorg")
    first.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.done"), "Bewaard"))
    fits_the_screen(browser)
    screenshot(browser, "workspace-conversation.png")

    # Close with an outcome: the user is asked whether it is solved; the topic closes.
    mark = fake.mark()
    Select(browser.find_element(By.ID, "uitkomst-kies")).select_by_value("referred")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/sluiten'] button").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h1"), "Gesloten"))
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("outcome_question"))
    fake.wait_for("closeForumTopic", since=mark)
    assert say("handoff_closed") in user_texts(fake, user, mark)

    with session_scope() as session:
        row = session.get(Escalation, escalation_id)
        assert row is not None and row.status == "closed" and row.close_outcome == "referred"
        assert row.claimed_by_name == "Anna"
        actions = {
            (a.action, a.actor)
            for a in session.execute(select(StaffAction).where(StaffAction.escalation_id == escalation_id)).scalars()
        }
    assert {("claim", "web:anna"), ("reply", "web:anna"), ("close", "web:anna"), ("correct", "web:anna")} <= actions

    # The same user comes back: the new escalation goes to Anna first.
    mark = fake.mark()
    again_id, _ = ask_for_a_person(h, user, "kan ik weer iemand spreken over die brief")
    header = fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="Nieuwe overdracht")[0]
    assert staff_text("contact_person_line", name="Anna") in header.text
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("handoff_contact_person"))
    browser.get(staff_page.url + "/")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-postvak"), f"#{again_id}"))
    mine = browser.find_element(By.CSS_SELECTOR, "#live-postvak li.mine")
    assert f"#{again_id}" in mine.text and "Voor u" in mine.text
    with session_scope() as session:
        again = session.get(Escalation, again_id)
        assert again is not None and again.contact_name == "Anna" and again.contact_staff is not None

    # The correction as Rasa NLU YAML, read back by Rasa itself.
    target = staff_page.tmp / "correcties.yml"
    subprocess.run([sys.executable, "-m", "wegwijzer.cli", "export", "--format", "rasa-nlu", str(target)], check=True)
    loaded = subprocess.run(
        [
            str(RASA_PYTHON),
            "-c",
            "import sys; from rasa.shared.nlu.training_data.loading import load_data; "
            "td = load_data(sys.argv[1]); "
            "print('\\n'.join(f\"{m.get('intent')}|{m.get('text')}\" for m in td.intent_examples))",
            str(target),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "topic_zorg|mijn moeder snapt de brief van het cak niet" in loaded.stdout.splitlines()
