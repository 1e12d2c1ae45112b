"""The Rasa connector's forget (POST /webhooks/wegwijzer/conversations/<id>/forget)
removes a conversation from the in-memory and from the SQL tracker store,
as Rasa wraps them (FailSafeTrackerStore), and leaves other conversations.
Run in the Rasa environment (Python 3.10)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / "nlu" / ".venv" / "bin" / "python"

CHECK = """
import asyncio, os, sys, tempfile
sys.path.insert(0, os.getcwd())
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from nlu.addons.channel import forget_conversation

async def main():
    folder = tempfile.mkdtemp()
    domain = Domain.empty()
    sql = SQLTrackerStore(domain, dialect="sqlite", db=os.path.join(folder, "t.db"))
    for inner in (InMemoryTrackerStore(domain), sql):
        store = FailSafeTrackerStore(inner)
        for sender in ("tg-a", "tg-b"):
            tracker = DialogueStateTracker(sender, [])
            tracker.update(UserUttered("mijn moeder woont in Assen"))
            await store.save(tracker)
        assert forget_conversation(store, "tg-a")
        gone, kept = await store.retrieve("tg-a"), await store.retrieve("tg-b")
        assert gone is None or not [e for e in gone.events if isinstance(e, UserUttered)], type(inner).__name__
        assert kept is not None and [e for e in kept.events if isinstance(e, UserUttered)]
        print(type(inner).__name__, "forgotten")

asyncio.run(main())
"""


@pytest.mark.stack
def test_forget_removes_the_conversation_from_memory_and_sql_tracker_stores() -> None:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[:2] == ["InMemoryTrackerStore forgotten", "SQLTrackerStore forgotten"]
