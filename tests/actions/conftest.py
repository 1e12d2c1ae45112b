"""In-process tests of the custom actions (as rasa-demo does): a tracker,
a dispatcher and a domain built here, the action run directly; no Rasa
server. The database is the test session's (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

MakeTracker = Callable[..., Tracker]


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    return {}


@pytest.fixture
def tracker(database_url: str) -> MakeTracker:
    """tracker(text, intent, entities=..., slots=..., metadata=..., events=...)."""

    def make(
        text: str = "",
        intent: str | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
        slots: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        events: list[dict[str, Any]] | None = None,
        ranking: list[dict[str, Any]] | None = None,
        active_loop: str | None = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0} if intent else {},
            "intent_ranking": ranking or ([{"name": intent, "confidence": 1.0}] if intent else []),
            "entities": entities or [],
            "metadata": metadata or {},
        }
        user_event = {"event": "user", "text": text, "parse_data": latest, "metadata": metadata or {}}
        return Tracker(
            sender_id="test-in-process",
            slots=slots or {},
            latest_message=latest,
            events=[*(events or []), user_event],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return make


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The response names the action asked for, in order."""
    return [m.get("response") for m in dispatcher.messages if m.get("response")]
