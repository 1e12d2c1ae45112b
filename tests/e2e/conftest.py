"""The real bot process against the fake Telegram Bot API server, with the
real Rasa and action servers of the session."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bot.launcher import Stack
from tests.fake_telegram import FakeTelegram
from wegwijzer.privacy import pseudonym

ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-test-secret"
_user_ids = itertools.count(500_001)


@dataclass
class BotProcess:
    fake: FakeTelegram
    process: subprocess.Popen
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def new_user(self) -> int:
        return next(_user_ids)

    @staticmethod
    def sender(user_id: int) -> str:
        return pseudonym("tg", user_id, SECRET.encode())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_bot(fake: FakeTelegram, rasa_url: str, log: Path, module: str = "bot", **extra_env: str) -> BotProcess:
    """The real bot process (`python -m bot`, or a module that runs it)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "RASA_URL": rasa_url,
        "WEGWIJZER_SECRET": SECRET,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    mark = fake.mark()
    with open(log, "w") as output:  # the bot keeps its own handle
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    bot = BotProcess(fake, process, log, env)
    deadline = time.monotonic() + 60
    while not fake.calls_to("setMyCommands", since=mark):
        if process.poll() is not None or time.monotonic() > deadline:
            bot.stop()
            raise RuntimeError(f"bot did not start; see {log}:\n{log.read_text()[-2000:]}")
        time.sleep(0.05)
    return bot


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(token="424242:E2E-TEST").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def telegram(fake_telegram: FakeTelegram, stack: Stack) -> Iterator[BotProcess]:
    bot = start_bot(fake_telegram, stack.rasa_url, ROOT / "tests" / "artifacts" / "logs" / "bot.log")
    yield bot
    bot.stop()


# -- a bot with a staff supergroup (the handoff to a person) ---------------------------
STAFF_MEMBER = 9001
NOT_STAFF = 9999


@dataclass
class Handoff:
    fake: FakeTelegram
    bot: BotProcess
    stack: Stack
    staff_chat: dict

    def restart(self) -> None:
        self.bot.stop()
        self.bot = start_bot(
            self.fake,
            self.stack.rasa_url,
            ROOT / "tests" / "artifacts" / "logs" / "bot-handoff-restarted.log",
            **self.bot_env(),
        )

    def bot_env(self) -> dict[str, str]:
        return {
            "STAFF_CHAT_ID": str(self.staff_chat["id"]),
            "STAFF_USER_IDS": str(STAFF_MEMBER),
            "OFFICE_HOURS_FILE": str(ROOT / "tests" / "data" / "office_hours_always.yml"),
        }


_bot_numbers = iter(range(737001, 738000))


@pytest.fixture
def handoff(stack, request: pytest.FixtureRequest) -> Iterator[Handoff]:
    # A bot and staff group of its own per test: update ids and topic ids
    # start again for every fake Telegram.
    number = next(_bot_numbers)
    fake = FakeTelegram(token=f"{number}:HANDOFF").start()
    staff_chat = {"id": -1000000000 - number, "type": "supergroup", "title": "Wegwijzer staf", "is_forum": True}
    setup = Handoff(fake, None, stack, staff_chat)
    setup.bot = start_bot(
        fake,
        stack.rasa_url,
        ROOT / "tests" / "artifacts" / "logs" / f"bot-handoff-{request.node.name}.log",
        **setup.bot_env(),
    )
    yield setup
    setup.bot.stop()
    fake.stop()
    # Every test starts with an empty queue: close what this test left open.
    from sqlalchemy import update

    from wegwijzer.db.models import Escalation
    from wegwijzer.db.session import session_scope

    with session_scope() as session:
        session.execute(update(Escalation).where(Escalation.status.in_(("new", "claimed"))).values(status="closed"))


def user_texts(fake: FakeTelegram, user: int, since: int) -> list[str]:
    return [c.text for c in fake.calls_to("sendMessage", chat_id=user, since=since)]


def ask_for_a_person(h: Handoff, user: int, message: str = "ik wil graag een medewerker spreken") -> tuple[int, int]:
    """Ask for a person and consent; returns (escalation id, forum topic id)."""
    mark = h.fake.mark()
    h.fake.send_text(user, message)
    consent = h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="medewerker")
    calls = h.fake.wait_quiet(user, mark, quiet=1.0)
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in calls
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    assert consent
    yes = keyboard[0][0]
    mark = h.fake.mark()
    h.fake.press(user, yes["callback_data"])
    topic = h.fake.wait_for("createForumTopic", since=mark)[0]
    summary = h.fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="Nieuwe overdracht")[0]
    thread = int(summary.params["message_thread_id"])
    escalation_id = int(topic.params["name"].split("#")[1].split()[0])
    return escalation_id, thread


# -- the staff page, on the session's database --------------------------------------
STAFF_USERNAME = "anna"
STAFF_PASSWORD = "een-lang-wachtwoord-voor-anna"


@dataclass
class StaffPage:
    url: str
    tmp: Path

    def log_in(self, browser: WebDriver) -> None:
        """Logged in as Anna (the login form, as a staff member uses it)."""
        browser.get(self.url + "/")
        if "/login" not in browser.current_url:
            return
        browser.find_element(By.ID, "gebruikersnaam").send_keys(STAFF_USERNAME)
        browser.find_element(By.ID, "wachtwoord").send_keys(STAFF_PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda b: "/login" not in b.current_url)


@pytest.fixture(scope="session")
def staff_page(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffPage]:
    """The staff page served on 127.0.0.1, with a staff account for Anna
    (no Telegram: she works in the browser only)."""
    from review.app import create_app
    from tests.browser import served
    from wegwijzer.db.session import session_scope
    from wegwijzer.staff import create_staff, get_staff

    with session_scope(database_url) as session:
        if get_staff(session, STAFF_USERNAME) is None:
            create_staff(session, STAFF_USERNAME, "Anna", STAFF_PASSWORD)
    with served(create_app(database_url, secret=SECRET.encode())) as url:
        yield StaffPage(url, tmp_path_factory.mktemp("staff-page"))
