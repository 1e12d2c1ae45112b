"""Handing a conversation over to a person, and keeping track of it.

An escalation is stored when the user consents: status new → claimed →
closed (and reopenable), a priority, the gemeente, timestamps and who
claimed it. Its transcript (redacted) doubles as the outbox: every relayed
message is stored before it is sent and marked delivered after, so a
restart of the bot loses nothing. Every staff action goes to the audit log.

No Telegram here: the bot's staff relay (bot/staff/) is the adapter. The
summary text is in wegwijzer.summary, office hours in wegwijzer.office_hours,
who is staff in wegwijzer.staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.audit import AuditLog
from wegwijzer.db.models import Escalation, EscalationMessage, StaffNote
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import Priority, Reason

OPEN = ("new", "claimed")
OUTCOMES = ("solved", "not_solved")
FORGOTTEN = "vergeten"  # the pseudonym of an escalation whose user was erased


@dataclass(frozen=True)
class EscalationView:
    id: int
    pseudonym: str
    user_chat_id: int
    status: str
    priority: str
    reason: str
    topic: str | None
    gemeente: str | None
    place: str | None
    summary: str
    staff_chat_id: int | None
    staff_thread_id: int | None
    claimed_by: int | None
    claimed_by_name: str | None

    @classmethod
    def of(cls, row: Escalation) -> EscalationView:
        return cls(
            id=row.id,
            pseudonym=row.pseudonym,
            user_chat_id=row.user_chat_id,
            status=row.status,
            priority=row.priority,
            reason=row.reason,
            topic=row.topic,
            gemeente=row.gemeente,
            place=row.place,
            summary=row.summary,
            staff_chat_id=row.staff_chat_id,
            staff_thread_id=row.staff_thread_id,
            claimed_by=row.claimed_by,
            claimed_by_name=row.claimed_by_name,
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class Outgoing:
    """A stored message still to deliver."""

    id: int
    escalation_id: int
    sender: str  # "user" (to staff) or "staff"/"bot" (to the user)
    kind: str
    text: str
    file_id: str | None


class Escalations:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.audit = AuditLog(sessions)

    def log(
        self,
        action: str,
        staff_user_id: int | None,
        actor: str,
        escalation_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        """A staff action on an escalation, in the audit log."""
        self.audit.record(action, actor, staff_user_id=staff_user_id, escalation_id=escalation_id, detail=detail)

    # -- lifecycle --------------------------------------------------------------
    def open_for(self, pseudonym: str) -> EscalationView | None:
        with self.sessions() as session:
            row = session.execute(
                select(Escalation)
                .where(Escalation.pseudonym == pseudonym, Escalation.status.in_(OPEN))
                .order_by(Escalation.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return EscalationView.of(row) if row else None

    def latest_closed(self, pseudonym: str) -> EscalationView | None:
        with self.sessions() as session:
            row = session.execute(
                select(Escalation)
                .where(Escalation.pseudonym == pseudonym, Escalation.status == "closed")
                .order_by(Escalation.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return EscalationView.of(row) if row else None

    def create(
        self,
        *,
        pseudonym: str,
        user_chat_id: int,
        reason: str,
        priority: str,
        role: str,
        topic: str | None,
        topics: list[str],
        gemeente_code: str | None,
        gemeente: str | None,
        place: str | None,
        summary: str,
        advised: str | None,
    ) -> EscalationView:
        """A new escalation, or the open one this user already has."""
        existing = self.open_for(pseudonym)
        if existing is not None:
            return existing
        with self.sessions.begin() as session:
            row = Escalation(
                pseudonym=pseudonym,
                user_chat_id=user_chat_id,
                status="new",
                reason=Reason.of(reason).value,
                priority=Priority.of(priority).value,
                role=role,
                topic=topic,
                topics=topics,
                gemeente_code=gemeente_code,
                gemeente=gemeente,
                place=place,
                summary=summary,
                advised=advised,
                consented_at=_now(),
            )
            session.add(row)
            session.flush()
            return EscalationView.of(row)

    def get(self, escalation_id: int) -> EscalationView | None:
        with self.sessions() as session:
            row = session.get(Escalation, escalation_id)
            return EscalationView.of(row) if row else None

    def set_thread(self, escalation_id: int, staff_chat_id: int, thread_id: int) -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id)
                .values(staff_chat_id=staff_chat_id, staff_thread_id=thread_id)
            )

    def by_thread(self, staff_chat_id: int, thread_id: int) -> EscalationView | None:
        with self.sessions() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.staff_chat_id == staff_chat_id, Escalation.staff_thread_id == thread_id
                )
            ).scalar_one_or_none()
            return EscalationView.of(row) if row else None

    def claim(self, escalation_id: int, staff_user_id: int, name: str) -> bool:
        """Claim when nobody has yet; True when this call claimed it."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == "new")
                .values(status="claimed", claimed_by=staff_user_id, claimed_by_name=name, claimed_at=_now())
            )
            claimed = bool(cast(CursorResult[Any], result).rowcount)
        self.log("claim" if claimed else "claim_again", staff_user_id, name, escalation_id)
        return claimed

    def make_urgent(self, escalation_id: int) -> None:
        """An urgent message came in while the escalation was open."""
        with self.sessions.begin() as session:
            session.execute(
                update(Escalation).where(Escalation.id == escalation_id).values(priority=Priority.URGENT.value)
            )
        self.log("urgent", None, "wegwijzer", escalation_id)

    def staff_replied(self, escalation_id: int) -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.first_staff_reply_at.is_(None))
                .values(first_staff_reply_at=_now())
            )

    def close(self, escalation_id: int, staff_user_id: int | None, name: str) -> bool:
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status.in_(OPEN))
                .values(status="closed", closed_at=_now())
            )
            closed = bool(cast(CursorResult[Any], result).rowcount)
        self.log("close", staff_user_id, name, escalation_id)
        return closed

    def reopen(self, escalation_id: int, staff_user_id: int | None, name: str) -> bool:
        with self.sessions.begin() as session:
            row = session.get(Escalation, escalation_id)
            if row is None or row.status != "closed":
                return False
            row.status = "claimed" if row.claimed_by else "new"
            row.closed_at = None
            row.outcome = None
            row.reopened += 1
        self.log("reopen", staff_user_id, name, escalation_id)
        return True

    def note(self, escalation_id: int, staff_user_id: int | None, name: str, text: str) -> None:
        with self.sessions.begin() as session:
            session.add(StaffNote(escalation_id=escalation_id, staff_user_id=staff_user_id, author=name, text=text))
        self.log("note", staff_user_id, name, escalation_id)

    def set_outcome(self, escalation_id: int, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        with self.sessions.begin() as session:
            session.execute(update(Escalation).where(Escalation.id == escalation_id).values(outcome=outcome))

    def queue_position(self, escalation_id: int) -> int:
        """1 for the first in line: urgent ones first, then by age."""
        with self.sessions() as session:
            me = session.get(Escalation, escalation_id)
            if me is None or me.status != "new":
                return 0
            ahead = session.execute(
                select(func.count(Escalation.id))
                .where(Escalation.status == "new", Escalation.id != me.id)
                .where(
                    (Escalation.priority == "urgent") & (me.priority != "urgent")
                    | ((Escalation.priority == me.priority) & (Escalation.id < me.id))
                )
            ).scalar_one()
            return int(ahead) + 1

    # -- transcript and outbox --------------------------------------------------
    def add_message(
        self,
        escalation_id: int,
        sender: str,
        text: str = "",
        kind: str = "text",
        file_id: str | None = None,
        staff_user_id: int | None = None,
    ) -> int:
        with self.sessions.begin() as session:
            row = EscalationMessage(
                escalation_id=escalation_id,
                sender=sender,
                text=text,
                kind=kind,
                file_id=file_id,
                staff_user_id=staff_user_id,
                delivered=False,
            )
            session.add(row)
            session.flush()
            return row.id

    def mark_delivered(self, message_id: int) -> None:
        with self.sessions.begin() as session:
            # A photo's reference is dropped once delivered: the photo is not kept.
            session.execute(
                update(EscalationMessage)
                .where(EscalationMessage.id == message_id)
                .values(delivered=True, delivered_at=_now(), file_id=None)
            )

    def undelivered(self) -> list[Outgoing]:
        with self.sessions() as session:
            rows = session.execute(
                select(EscalationMessage).where(EscalationMessage.delivered.is_(False)).order_by(EscalationMessage.id)
            ).scalars()
            return [Outgoing(r.id, r.escalation_id, r.sender, r.kind, r.text, r.file_id) for r in rows]

    # -- forgetting --------------------------------------------------------------
    def forget_user(self, pseudonym: str) -> None:
        """/stop: remove what points to the person and what they wrote; keep
        only the anonymous counts (topic, gemeente, times, outcome) for the
        statistics."""
        with self.sessions.begin() as session:
            ids = list(session.execute(select(Escalation.id).where(Escalation.pseudonym == pseudonym)).scalars())
            if not ids:
                return
            session.execute(delete(EscalationMessage).where(EscalationMessage.escalation_id.in_(ids)))
            session.execute(
                update(Escalation)
                .where(Escalation.id.in_(ids))
                .values(
                    pseudonym=FORGOTTEN,
                    user_chat_id=0,
                    summary=staff_text("erased_summary"),
                    advised=None,
                    status="closed",
                    closed_at=func.coalesce(Escalation.closed_at, _now()),
                )
            )


def _now() -> datetime:
    """Now in UTC, without a time zone (as the database stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)
