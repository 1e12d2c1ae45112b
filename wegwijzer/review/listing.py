"""The list of escalations on the staff page, with its filters; the inbox
of open ones (urgent first, then those that wait for the reader as their
contact person, then the longest waiting); and the version the live page
watches for changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Escalation, EscalationMessage, StaffAction, StaffNote
from wegwijzer.review.common import filtered, local, minutes_between, topic_label
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import Priority


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
    contact_name: str | None = None
    contact_staff: int | None = None  # the contact person's staff account

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
            contact_name=r.contact_name,
            contact_staff=r.contact_staff,
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
    Escalation.contact_name,
    Escalation.contact_staff,
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


def inbox(session: Session, staff_id: int | None) -> list[ListRow]:
    """The open escalations in the order to pick them up: urgent first, then
    a deadline this week (high), then
    the ones waiting for this staff member as contact person, then new
    before claimed, then the longest waiting."""
    rows = [
        ListRow.of(r) for r in session.execute(select(*_LIST_COLUMNS).where(Escalation.status.in_(("new", "claimed"))))
    ]
    return sorted(
        rows,
        key=lambda r: (
            Priority.of(r.priority).rank,
            not (staff_id is not None and r.contact_staff == staff_id and r.status == "new"),
            r.status != "new",
            r.created_at,
            r.id,
        ),
    )


def live_version(session: Session) -> str:
    """Changes whenever the list or a conversation changes: a new
    escalation, message, note or staff action (claims, closings, urgency)."""
    highest = [
        session.execute(select(func.max(column))).scalar() or 0
        for column in (Escalation.id, EscalationMessage.id, StaffAction.id, StaffNote.id)
    ]
    return ".".join(str(value) for value in highest)
