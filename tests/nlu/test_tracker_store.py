"""The SQL tracker store (nlu/addons/tracker_store.py) keeps an event that
was made before the session started (a place appended over the HTTP API
from a deep link), saves each event once, and says whether its database is
reachable. Run in the Rasa environment (Python 3.10)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / "nlu" / ".venv" / "bin" / "python"

CHECK = """
import asyncio, os, sys, tempfile
sys.path.insert(0, os.getcwd())
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from nlu.addons.tracker_store import SharedSQLTrackerStore

async def main():
    domain = Domain.from_yaml("slots:\\n  location:\\n    type: any\\n    mappings: [{type: custom}]\\n")
    path = os.path.join(tempfile.mkdtemp(), "t.db")
    store = SharedSQLTrackerStore(domain=domain, host="sqlite:///" + path)
    tracker = DialogueStateTracker("tg-a", domain.slots)
    for event in (
        ActionExecuted("action_session_start", timestamp=2.0),
        SessionStarted(timestamp=2.0),
        ActionExecuted("action_listen", timestamp=2.0),
        SlotSet("location", {"name": "Assen"}, timestamp=1.0),  # made before the session started
    ):
        tracker.update(event)
    await store.save(tracker)
    back = await store.retrieve("tg-a")
    print("location", back.get_slot("location")["name"])
    back.update(UserUttered("mijn vader is zijn digid kwijt"))
    await store.save(back)
    print("events", len((await store.retrieve("tg-a")).events))
    print("reachable", store.reachable())
    gone = SharedSQLTrackerStore(domain=domain, host="sqlite:///" + path)
    os.remove(path)
    os.makedirs(path)  # the database file is now a folder: no database there
    print("unreachable", not gone.reachable())

asyncio.run(main())
"""


@pytest.mark.stack
def test_the_session_is_found_by_event_order_and_the_database_checked() -> None:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[:4] == ["location Assen", "events 4", "reachable True", "unreachable True"]
