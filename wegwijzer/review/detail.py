"""One escalation in detail: the redacted transcript, notes, staff actions
and timings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Escalation, EscalationMessage, StaffAction, StaffNote
from wegwijzer.privacy import redact
from wegwijzer.review.common import local, minutes_between, topic_label
from wegwijzer.review.listing import ListRow
from wegwijzer.texts import staff as staff_text


@dataclass(frozen=True)
class TranscriptLine:
    sender: str  # user, staff, bot
    who: str  # Dutch label
    text: str
    at: datetime


@dataclass(frozen=True)
class NoteLine:
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class ActionLine:
    actor: str
    action: str
    label: str
    detail: str | None
    at: datetime


@dataclass(frozen=True)
class Timings:
    """Minutes from the escalation to each step; None when not (yet) done."""

    to_claim: float | None
    to_first_reply: float | None
    to_close: float | None


@dataclass(frozen=True)
class Detail:
    row: ListRow
    role: str
    topics: list[str]  # labels of every topic the conversation touched
    place: str | None
    summary: str
    advised: str | None
    reopened: int
    claimed_at: datetime | None
    first_staff_reply_at: datetime | None
    closed_at: datetime | None
    timings: Timings
    transcript: list[TranscriptLine]
    notes: list[NoteLine]
    actions: list[ActionLine]

    @property
    def role_label(self) -> str:
        return staff_text.label("role", self.role)


def _transcript_text(message: EscalationMessage) -> str:
    text = message.text or ""
    if message.sender == "user" and text:
        text, _ = redact(text)  # stored redacted already; once more, to be safe
    if message.kind == "photo":
        return f"{staff_text('photo_mark')} {text}".strip()
    return text


def escalation_detail(session: Session, escalation_id: int) -> Detail | None:
    row = session.get(Escalation, escalation_id)
    if row is None:
        return None
    messages = session.execute(
        select(EscalationMessage)
        .where(EscalationMessage.escalation_id == escalation_id)
        .order_by(EscalationMessage.created_at, EscalationMessage.id)
    ).scalars()
    notes = session.execute(
        select(StaffNote).where(StaffNote.escalation_id == escalation_id).order_by(StaffNote.created_at, StaffNote.id)
    ).scalars()
    actions = session.execute(
        select(StaffAction)
        .where(StaffAction.escalation_id == escalation_id)
        .order_by(StaffAction.created_at, StaffAction.id)
    ).scalars()
    return Detail(
        row=ListRow.of(row),
        role=row.role,
        topics=[topic_label(t) for t in (row.topics or [])],
        place=row.place,
        summary=row.summary,
        advised=row.advised,
        reopened=row.reopened,
        claimed_at=local(row.claimed_at),
        first_staff_reply_at=local(row.first_staff_reply_at),
        closed_at=local(row.closed_at),
        timings=Timings(
            to_claim=minutes_between(row.created_at, row.claimed_at),
            to_first_reply=minutes_between(row.created_at, row.first_staff_reply_at),
            to_close=minutes_between(row.created_at, row.closed_at),
        ),
        transcript=[
            TranscriptLine(m.sender, staff_text.label("sender", m.sender), _transcript_text(m), local(m.created_at))
            for m in messages
        ],
        notes=[NoteLine(n.author, n.text, local(n.created_at)) for n in notes],
        actions=[
            ActionLine(a.actor, a.action, staff_text.label("action", a.action), a.detail, local(a.created_at))
            for a in actions
        ],
    )
