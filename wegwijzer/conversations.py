"""Rasa's conversations, as rows in the application's database.

The Rasa server keeps each conversation (its events: messages, topic, place,
role) in the table `events` of the same database (endpoints.yml, Rasa's SQL
tracker store), so a restart of Rasa loses nothing. Rasa creates and writes
the table; the application only deletes from it: a user's /stop, and the
retention purge of conversations nobody has written in for the retention
period. The table may not exist yet (Rasa has not started on this database).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, inspect, select
from sqlalchemy.orm import Session

# The columns of Rasa's `events` table that deleting needs (Rasa's SQLTrackerStore.SQLEvent).
events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("timestamp", Float),
)


def _has_events(session: Session) -> bool:
    return inspect(session.connection()).has_table("events")


def forget_conversations(session: Session, senders: Iterable[str]) -> int:
    """Delete these conversations; returns the number of rows deleted."""
    senders = list(senders)
    if not senders or not _has_events(session):
        return 0
    result = session.execute(delete(events).where(events.c.sender_id.in_(senders)))
    return int(getattr(result, "rowcount", 0) or 0)


def forget_idle_conversations(session: Session, cutoff: datetime) -> set[str]:
    """Delete every conversation whose last event is older than `cutoff`
    (a whole conversation or nothing: half a tracker would confuse Rasa);
    returns the senders, in memory only."""
    if not _has_events(session):
        return set()
    idle = set(
        session.execute(
            select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(func.max(events.c.timestamp) < cutoff.timestamp())
        ).scalars()
    )
    for start in range(0, len(idle), 500):
        forget_conversations(session, sorted(idle)[start : start + 500])
    return idle
