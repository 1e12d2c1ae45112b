"""Rasa's HTTP API and Wegwijzer's channel answer only the front-end: without
the token (RASA_AUTH_TOKEN) no local process can read a conversation, send a
message as a user, forget a conversation or unload the model."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.stack


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/conversations/tg-someone/tracker"),
        ("GET", "/status"),
        ("POST", "/model/parse"),
        ("DELETE", "/model"),
        ("POST", "/webhooks/wegwijzer/webhook"),
        ("POST", "/webhooks/wegwijzer/conversations/tg-someone/forget"),
    ],
)
def test_without_the_token_rasa_refuses(stack, method: str, path: str) -> None:
    body = {"sender": "tg-someone", "message": "hallo", "text": "hallo"}
    refused = httpx.request(method, stack.rasa_url + path, json=body, timeout=10)
    assert refused.status_code == 401, (path, refused.status_code)
    forged = httpx.request(method, stack.rasa_url + path, json=body, params={"token": "wrong"}, timeout=10)
    assert forged.status_code == 401


def test_with_the_token_rasa_answers(stack) -> None:
    token = {"token": os.environ["RASA_AUTH_TOKEN"]}
    status = httpx.get(stack.rasa_url + "/status", params=token, timeout=10)
    assert status.status_code == 200 and status.json()["model_file"]
    answer = httpx.post(
        stack.rasa_url + "/webhooks/wegwijzer/webhook",
        json={"sender": "tg-token-check", "message": "hallo"},
        params=token,
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json()


def test_the_token_is_not_on_a_command_line(stack) -> None:
    token = os.environ["RASA_AUTH_TOKEN"]
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            command = (process / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        assert token not in command, "the token would be readable by every local process"
