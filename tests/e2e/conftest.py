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


def start_bot(fake: FakeTelegram, rasa_url: str, log: Path, **extra_env: str) -> BotProcess:
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
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
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
