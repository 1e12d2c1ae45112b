"""Shared fixtures: the real Rasa server (trained model) and the real action
server, started once per test session on free ports of 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.launcher import Stack, current_model, free_port
from bot.rasa_client import RasaClient

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def model() -> Path:
    return current_model()


@pytest.fixture(scope="session")
def stack(model: Path) -> Iterator[Stack]:
    stack = Stack(
        model=model,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=ARTIFACTS / "logs",
    )
    with stack:
        yield stack


@pytest.fixture(scope="session")
async def rasa(stack: Stack) -> AsyncIterator[RasaClient]:
    client = RasaClient(stack.rasa_url, retry_delays=(0.5, 1))
    yield client
    await client.close()


@pytest.fixture
def sender() -> str:
    """A fresh conversation id for each test."""
    return f"test-{uuid.uuid4().hex[:12]}"
