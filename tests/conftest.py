"""Shared fixtures: the real Rasa server (trained model) and the real action
server, started once per test session on free ports of 127.0.0.1; a real
headless Chromium.

Tests say what real services they need with a marker, and a test that uses
such a service without its marker fails at collection (so `make test-fast`,
which leaves these out, never starts one by accident):

- `stack`: the Rasa server and action server (fixtures `model`, `stack`, ...);
- `browser`: headless Chromium (fixture `browser`);
- `postgres`: a PostgreSQL server (fixture `postgres_url`).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from bot.launcher import Stack, current_model
from bot.rasa_client import RasaClient
from tests.browser import chromium
from wegwijzer.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
TEST_COUNTERS = ROOT / "tests" / "data" / "counters.csv"

# One throw-away SQLite database for the whole session, with the reference
# data and a small made-up counter list (tests/data/counters.csv). Set before
# any test imports the domain, so every part uses it.
_DB_DIR = tempfile.mkdtemp(prefix="wegwijzer-test-")
os.environ["DATABASE_URL"] = f"sqlite:///{_DB_DIR}/wegwijzer.db"
os.environ["WEGWIJZER_VAR"] = _DB_DIR


# Fixture → the marker a test that uses it (directly or through another fixture) must carry.
NEEDS_MARKER = {
    "model": "stack",
    "stack": "stack",
    "browser": "browser",
    "postgres_url": "postgres",
    "postgres_server": "postgres",
    "redis_url": "scale",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unmarked = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for fixture, marker in NEEDS_MARKER.items():
            if fixture in used and item.get_closest_marker(marker) is None:
                unmarked.append(f"{item.nodeid} uses {fixture!r} but is not marked {marker!r}")
    if unmarked:
        raise pytest.UsageError("Tests need the marker of the service they use:\n" + "\n".join(unmarked))


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    """One headless Chromium for the whole session."""
    yield from chromium()


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
