"""Deadlines that are not a crisis: found both ways, and a person offered for
one is picked up after urgent escalations and before normal ones."""

from __future__ import annotations

import pytest

from wegwijzer.db.session import session_factory
from wegwijzer.deadlines import pressing
from wegwijzer.escalations import Escalations
from wegwijzer.vocabulary import Priority, Reason

PRESSING = [
    ("de deurwaarder komt volgende week bij mijn oom", "bailiff"),
    ("mijn buurvrouw heeft een laatste aanmaning van de zorgverzekeraar", "last_reminder"),
    ("ze moet binnen zes weken bezwaar maken tegen de beschikking", "objection"),
    ("er ligt beslag op het loon van mijn broer", "garnishment"),
    ("de energieleverancier stuurt een waarschuwing dat ze gaan afsluiten", "energy_warning"),
    ("we got a final notice from the tax office", "last_reminder"),
    ("my neighbour's wages are garnished", "garnishment"),
]
NOT_PRESSING = [
    "ik help mijn zus met haar digid",
    "hoe vraag ik huurtoeslag aan",
    "mijn moeder wil haar adres wijzigen bij de gemeente",
    "de energietoeslag, hoe werkt dat",
    "ze heeft een brief van de belastingdienst en snapt hem niet",
]


@pytest.mark.parametrize(("message", "kind"), PRESSING)
def test_a_pressing_deadline_is_found(message: str, kind: str) -> None:
    found = pressing([message])
    assert found is not None and found.kind == kind


@pytest.mark.parametrize("message", NOT_PRESSING)
def test_an_ordinary_question_has_no_pressing_deadline(message: str) -> None:
    assert pressing([message]) is None


def test_the_priorities_in_order() -> None:
    assert [p.value for p in sorted(Priority, key=lambda p: p.rank)] == ["urgent", "high", "normal"]
    assert Priority.of("high") is Priority.HIGH and Priority.of("nonsense") is Priority.NORMAL


def test_a_deadline_is_picked_up_after_urgent_and_before_normal(database_url: str) -> None:
    escalations = Escalations(session_factory())

    def new(priority: Priority, n: int) -> int:
        return escalations.create(
            pseudonym=f"tg-deadline-order-{n}",
            channel="tg",
            user_chat_id=0,
            reason=Reason.DEADLINE if priority is Priority.HIGH else Reason.REQUEST_HUMAN,
            priority=priority,
            role="helper",
            topic=None,
            topics=[],
            gemeente_code=None,
            gemeente=None,
            place=None,
            summary="",
            advised=None,
            staff_chat_id=None,
            contact=None,
        ).id

    normal = new(Priority.NORMAL, 1)
    high = new(Priority.HIGH, 2)
    urgent = new(Priority.URGENT, 3)
    try:
        positions = {e: escalations.queue_position(e) for e in (normal, high, urgent)}
        assert positions[urgent] < positions[high] < positions[normal]
    finally:
        for e in (normal, high, urgent):
            escalations.close(e, None)
