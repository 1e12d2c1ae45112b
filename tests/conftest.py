"""Shared fixtures: the real Rasa server (trained model) and the real action
server, started once per test session on free ports of 127.0.0.1."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.launcher import Stack, current_model, free_port
from bot.rasa_client import RasaClient

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
TEST_COUNTERS = ROOT / "tests" / "data" / "counters.csv"

# One throw-away SQLite database for the whole session, with the reference
# data and a small made-up counter list (tests/data/counters.csv). Set before
# any test imports the domain, so every part uses it.
_DB_DIR = tempfile.mkdtemp(prefix="wegwijzer-test-")
os.environ["DATABASE_URL"] = f"sqlite:///{_DB_DIR}/wegwijzer.db"
os.environ["WEGWIJZER_VAR"] = _DB_DIR


@pytest.fixture(scope="session")
def database_url() -> str:
    from wegwijzer.cli import ensure_database
    from wegwijzer.db.session import session_scope
    from wegwijzer.importers.counters import import_file
    from wegwijzer.places import Gazetteer

    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    with session_scope(url) as session:
        import_file(session, TEST_COUNTERS, Gazetteer.from_session(session), source="tests")
    return url


@pytest.fixture(scope="session")
def model() -> Path:
    return current_model()


@pytest.fixture(scope="session")
def stack(model: Path, database_url: str) -> Iterator[Stack]:
    stack = Stack(
        model=model,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=ARTIFACTS / "logs",
        extra_env={"DATABASE_URL": database_url},
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
