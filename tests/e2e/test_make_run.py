"""`make run` with piped input, as in the README: it answers, then stops
every process it started."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from bot.launcher import free_port

ROOT = Path(__file__).resolve().parents[2]


def port_is_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.timeout(300)
def test_make_run_answers_piped_messages_and_cleans_up() -> None:
    rasa_port, action_port = free_port(), free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        input="hallo\nmijn buurvrouw is haar digid kwijt\n",
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=280,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Hallo! Ik ben Wegwijzer" in out
    digid = out.split("U: mijn buurvrouw is haar digid kwijt")[1]
    assert "DigiD" in digid
    assert "postcode" in digid and "plaats" in digid
    assert not port_is_open(rasa_port) and not port_is_open(action_port)
