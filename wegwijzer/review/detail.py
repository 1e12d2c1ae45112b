"""One escalation in detail: the redacted transcript (with what the user
wrote to the bot before, and what the NLU understood of it), notes, staff
actions, timings and the contact person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Correction, Escalation, EscalationMessage, StaffAction, StaffNote
from wegwijzer.privacy import redact
from wegwijzer.review.common import local, minutes_between, topic_label
from wegwijzer.review.listing import ListRow
from wegwijzer.texts import staff as staff_text


@dataclass(frozen=True)
class TranscriptLine:
    id: int
    sender: str  # user, staff, bot
    kind: str  # text, photo, urgent, earlier, event
    who: str  # Dutch label
    text: str
    at: datetime
    understood: str | None = None  # earlier messages: the NLU's intent (label)
    corrected: str | None = None  # the intent staff marked as right (label)

    @property
    def can_correct(self) -> bool:
        """A user's words, which staff may mark as misunderstood."""
        return self.sender == "user" and bool(self.text)


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
    channel: str = "tg"
    contact_name: str | None = None
    contact_staff: int | None = None
    close_outcome: str | None = None

    @property
    def channel_label(self) -> str:
        return staff_text.label("channel", self.channel)

    @property
    def close_outcome_label(self) -> str:
        return staff_text.label("closing", self.close_outcome)

    @property
    def role_label(self) -> str:
        return staff_text.label("role", self.role)


def intent_label(intent: str | None) -> str | None:
    if not intent:
        return None
    if f"intent_{intent}" in staff_text:
        return staff_text(f"intent_{intent}")
    return topic_label(intent)


def _transcript_text(message: EscalationMessage) -> str:
    text = message.text or ""
    if message.sender == "user" and text:
        text, _ = redact(text)  # stored redacted already; once more, to be safe
    if message.kind == "event":
        return staff_text(f"event_{text}", name=message.author or "?") if f"event_{text}" in staff_text else text
    if message.kind == "photo":
        return f"{staff_text('photo_mark')} {text}".strip()
    return text


def _who(message: EscalationMessage) -> str:
    if message.kind == "earlier":
        return staff_text("sender_user_earlier")
    if message.sender == "staff" and message.author:
        return staff_text("sender_staff_named", name=message.author)
    return staff_text.label("sender", message.sender)


def _detail(action: StaffAction) -> str | None:
    """An action's detail in words: the closing outcome, the right intent."""
    if action.action == "close" and action.detail:
        return staff_text.label("closing", action.detail)
    if action.action == "correct":
        return intent_label(action.detail)
    return action.detail


def escalation_detail(session: Session, escalation_id: int) -> Detail | None:
    row = session.get(Escalation, escalation_id)
    if row is None:
        return None
    messages = session.execute(
        select(EscalationMessage)
        .where(EscalationMessage.escalation_id == escalation_id, EscalationMessage.kind != "note")
        .order_by(EscalationMessage.id)
    ).scalars()
    corrections: dict[int | None, str] = dict(
        session.execute(
            select(Correction.message_id, Correction.intent)
            .join(EscalationMessage, EscalationMessage.id == Correction.message_id)
            .where(EscalationMessage.escalation_id == escalation_id)
        )
        .tuples()
        .all()
    )
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
            TranscriptLine(
                m.id,
                m.sender,
                m.kind,
                _who(m),
                _transcript_text(m),
                local(m.created_at),
                understood=intent_label(m.intent),
                corrected=intent_label(corrections.get(m.id)),
            )
            for m in messages
        ],
        notes=[NoteLine(n.author, n.text, local(n.created_at)) for n in notes],
        actions=[
            ActionLine(a.actor, a.action, staff_text.label("action", a.action), _detail(a), local(a.created_at))
            for a in actions
        ],
        channel=row.channel,
        contact_name=row.contact_name,
        contact_staff=row.contact_staff,
        close_outcome=row.close_outcome,
    )
