"""The list of escalations on the staff page, with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Escalation
from wegwijzer.review.common import filtered, local, minutes_between, topic_label
from wegwijzer.texts import staff as staff_text


@dataclass(frozen=True)
class ListRow:
    id: int
    created_at: datetime  # Dutch time
    status: str
    priority: str
    reason: str
    topic: str | None  # the intent
    topic_label: str
    gemeente: str | None
    claimed_by_name: str | None
    minutes_to_first_reply: float | None
    outcome: str | None

    @classmethod
    def of(cls, r: Any) -> ListRow:
        """From an Escalation row (or a row of its list columns)."""
        return cls(
            id=r.id,
            created_at=local(r.created_at),
            status=r.status,
            priority=r.priority,
            reason=r.reason,
            topic=r.topic,
            topic_label=topic_label(r.topic),
            gemeente=r.gemeente,
            claimed_by_name=r.claimed_by_name,
            minutes_to_first_reply=minutes_between(r.created_at, r.first_staff_reply_at),
            outcome=r.outcome,
        )

    @property
    def status_label(self) -> str:
        return staff_text.label("status", self.status)

    @property
    def reason_label(self) -> str:
        return staff_text.label("reason", self.reason)

    @property
    def outcome_label(self) -> str:
        return staff_text.label("outcome", self.outcome)


_LIST_COLUMNS = (
    Escalation.id,
    Escalation.created_at,
    Escalation.status,
    Escalation.priority,
    Escalation.reason,
    Escalation.topic,
    Escalation.gemeente,
    Escalation.claimed_by_name,
    Escalation.first_staff_reply_at,
    Escalation.outcome,
)


def list_escalations(
    session: Session,
    status: str | None = None,
    topic: str | None = None,
    gemeente: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int | None = None,
) -> list[ListRow]:
    """Escalations, newest first. status is new, claimed, closed or open
    (new and claimed); topic is an intent; dates are inclusive Dutch days."""
    query = filtered(select(*_LIST_COLUMNS), status, topic, gemeente, date_from, date_to)
    query = query.order_by(Escalation.created_at.desc(), Escalation.id.desc())
    if limit:
        query = query.limit(limit)
    return [ListRow.of(r) for r in session.execute(query)]


def gemeente_choices(session: Session) -> list[str]:
    """The gemeenten that have escalations, by name."""
    names = session.execute(select(Escalation.gemeente).where(Escalation.gemeente.is_not(None)).distinct()).scalars()
    return sorted((name for name in names if name), key=str.lower)
