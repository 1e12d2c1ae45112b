"""Webhook mode without a secret token refuses to start: anyone who found the
URL could otherwise post forged updates (a forged staff /close included)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wegwijzer.texts import say

ROOT = Path(__file__).resolve().parents[2]


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env={
            **os.environ,
            "TELEGRAM_BOT_TOKEN": "123456:NO-SECRET",
            "TELEGRAM_API_URL": "http://127.0.0.1:9/bot",  # never reached
            "RASA_URL": "http://127.0.0.1:9",
            "TELEGRAM_WEBHOOK_URL": "https://wegwijzer.example/telegram-hook",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("secret", [None, ""])
def test_webhook_mode_without_a_secret_does_not_start(secret: str | None) -> None:
    env = {} if secret is None else {"TELEGRAM_WEBHOOK_SECRET": secret}
    if secret is None:
        os.environ.pop("TELEGRAM_WEBHOOK_SECRET", None)
    done = start(**env)
    assert done.returncode == 2, done.stderr
    assert say("webhook_needs_secret") in done.stderr
