"""The embedded default has a real handoff: the terminal chat (`python -m
bot` without a Telegram token, what `make run` starts) hands over to a staff
member who answers on the staff page in headless Chromium; the answer is
printed while the chat waits for input, and when the input ends the chat
stays until the staff member closes it. The handover card's printable page
is opened from the link the terminal prints."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from bot.launcher import Stack
from tests.browser import fits_the_screen, heading, screenshot, wait
from tests.e2e.conftest import StaffPage
from wegwijzer.texts import say

pytestmark = [pytest.mark.stack, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
PERSONAL = ("111222333", "0612345678", "06-12345678")


@dataclass
class Terminal:
    process: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def read_along(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def end_input(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()

    def output(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return self.output()
            time.sleep(0.1)
        raise AssertionError(f"the terminal did not show {text!r}; it showed:\n{self.output()[-3000:]}")

    def choice(self, title: str) -> str:
        """The number to type for a numbered choice."""
        found = re.findall(rf"^\s+(\d+)\. {re.escape(title)}$", self.output(), re.MULTILINE)
        assert found, f"no choice {title!r} in:\n{self.output()[-2000:]}"
        return found[-1]


@pytest.fixture
def terminal(stack: Stack, staff_page: StaffPage) -> Iterator[Terminal]:
    env = {
        **os.environ,
        "RASA_URL": stack.rasa_url,
        "WEGWIJZER_SECRET": f"terminal-{uuid.uuid4().hex}",  # a user of its own
        "OFFICE_HOURS_FILE": str(ROOT / "tests" / "data" / "office_hours_always.yml"),
        "REVIEW_PORT": staff_page.url.rsplit(":", 1)[1],
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    chat = Terminal(process)
    threading.Thread(target=chat.read_along, daemon=True).start()
    chat.wait_for("terminalchat")
    yield chat
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=15)


def test_a_terminal_user_gets_a_reply_typed_on_the_page(
    terminal: Terminal, staff_page: StaffPage, browser: WebDriver
) -> None:
    terminal.type("ik wil graag een medewerker spreken")
    terminal.wait_for("Ja, verbind mij")
    terminal.type(terminal.choice("Ja, verbind mij"))
    terminal.wait_for("in de rij")

    staff_page.log_in(browser)
    heading(browser, "Overdrachten")
    inbox = browser.find_element(By.ID, "live-postvak")
    link = inbox.find_element(By.CSS_SELECTOR, "a[href^='/overdrachten/']")
    link.click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-gegevens"), "Terminalchat"))

    # The answer is printed while the chat waits for input (nothing typed).
    browser.find_element(By.ID, "tekst-antwoord").send_keys("Goedemiddag, hier is Anna. Waar gaat het om?")
    browser.find_element(By.CSS_SELECTOR, "#antwoord button[type=submit]").click()
    terminal.wait_for(say("handoff_staff_says", text="Goedemiddag, hier is Anna. Waar gaat het om?"))
    assert say("handoff_joined") in terminal.output()

    # The user's answer shows on the page; then the input ends, the chat stays.
    terminal.type("het gaat over de huurtoeslag van mijn buurman")
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "live-gesprek"), "huurtoeslag van mijn buurman"))
    terminal.end_input()
    terminal.wait_for(say("console_waiting_for_staff"))
    time.sleep(1.5)
    assert terminal.process.poll() is None, "the chat must wait for the staff member"
    browser.find_element(By.ID, "tekst-antwoord").send_keys("Ga met de brief naar het Informatiepunt.")
    browser.find_element(By.CSS_SELECTOR, "#antwoord button[type=submit]").click()
    terminal.wait_for("Ga met de brief naar het Informatiepunt.")

    # Closing ends the chat, with the outcome question.
    Select(browser.find_element(By.ID, "uitkomst-kies")).select_by_value("solved")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/sluiten'] button").click()
    terminal.wait_for(say("console_bye"))
    assert terminal.process.wait(timeout=30) == 0
    output = terminal.output()
    assert say("handoff_closed") in output and say("outcome_question") in output
    fits_the_screen(browser)
    screenshot(browser, "workspace-terminal-closed.png")


def test_the_handover_card_to_print(terminal: Terminal, staff_page: StaffPage, browser: WebDriver) -> None:
    terminal.type("mijn buurvrouw is haar digid kwijt, haar bsn is 111222333")
    terminal.wait_for("postcode")
    terminal.type("we hebben al gebeld met digid maar dat lukte niet")
    time.sleep(2)
    terminal.type("Assen")
    terminal.wait_for(say("handover_button"))
    assert say("follow_up_not_here") not in terminal.output()
    assert "dagen of het lukte" not in terminal.output()  # no follow-up offered in the terminal
    terminal.type(terminal.choice(say("handover_button")))
    output = terminal.wait_for(say("handover_link_label"))
    assert say("handover_title", day=time.strftime("%d-%m-%Y")).split(" (")[0] in output
    link = re.findall(rf"{re.escape(say('handover_link_label'))}: (http://\S+)", output)[-1]
    assert link.startswith(staff_page.url + "/kaart/")
    card_text = output.split(say("handover_intro"), 1)[1]
    for number in PERSONAL:
        assert number not in card_text

    browser.get(link)  # no login: the link is the key
    heading(browser, "Overdrachtskaart")
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Assen" in page and say("handover_bring") in page
    for number in PERSONAL:
        assert number not in page and number not in browser.page_source
    fits_the_screen(browser)
    screenshot(browser, "handover-card.png")
    browser.get(staff_page.url + "/kaart/bestaat-niet")
    heading(browser, "Deze kaart is er niet meer")
