"""Handing a conversation over to a person, and keeping track of it.

An escalation is stored when the user consents: status new → claimed →
closed (and reopenable), a priority, the gemeente, the front-end it came
from, timestamps, who claimed it and its contact person (who helped this
user before). Its transcript (redacted) doubles as the outbox: every message
is stored with what is still to deliver, to the user and to the staff
group's forum topic, and marked done by the front-end that delivers it, so a
restart loses nothing and the staff page and the forum topic stay in step.
Every staff action goes to the audit log.

No Telegram here. Staff actions (from the forum topic or the staff page)
are in wegwijzer.workspace; the front-ends deliver (bot/delivery.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, case, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.audit import AuditLog
from wegwijzer.clock import now_utc
from wegwijzer.db.models import Correction, Escalation, EscalationMessage, StaffMember, StaffNote
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import Priority, Reason

OPEN = ("new", "claimed")
OUTCOMES = ("solved", "not_solved")  # the user's answer to "is uw probleem opgelost?"
FORGOTTEN = "vergeten"  # the pseudonym of an escalation whose user was erased


@dataclass(frozen=True)
class EscalationView:
    id: int
    pseudonym: str
    channel: str
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
    claimed_by_staff: int | None
    claimed_by_name: str | None
    contact_staff: int | None
    contact_telegram: int | None
    contact_name: str | None

    @classmethod
    def of(cls, row: Escalation) -> EscalationView:
        return cls(
            id=row.id,
            pseudonym=row.pseudonym,
            channel=row.channel,
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
            claimed_by_staff=row.claimed_by_staff,
            claimed_by_name=row.claimed_by_name,
            contact_staff=row.contact_staff,
            contact_telegram=row.contact_telegram,
            contact_name=row.contact_name,
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def has_topic(self) -> bool:
        """Whether the staff group follows this escalation in a forum topic."""
        return self.staff_chat_id is not None


@dataclass(frozen=True)
class OutboxMessage:
    """A stored message with something still to deliver."""

    id: int
    escalation_id: int
    sender: str  # "user", "staff" or "bot"
    kind: str  # text, photo, urgent, event
    text: str
    file_id: str | None
    author: str | None
    origin: str
    to_user: bool
    to_topic: bool


@dataclass(frozen=True)
class Contact:
    """Who helped a user before: a staff account, a Telegram staff member, or both."""

    name: str
    staff_id: int | None
    telegram_id: int | None


ANY_STAFF_CHAT = object()  # pending(): every staff group


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

    def previous_contact(self, pseudonym: str, within_days: int) -> Contact | None:
        """Who claimed this user's latest escalation in the last `within_days` days."""
        since = now_utc() - timedelta(days=within_days)
        with self.sessions() as session:
            row = session.execute(
                select(Escalation)
                .where(
                    Escalation.pseudonym == pseudonym,
                    Escalation.claimed_by_name.is_not(None),
                    Escalation.created_at >= since,
                )
                .order_by(Escalation.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if row is None or row.claimed_by_name is None:
                return None
            if row.claimed_by_staff is not None:
                member = session.get(StaffMember, row.claimed_by_staff)
                if member is None or not member.active:
                    return None
            return Contact(row.claimed_by_name, row.claimed_by_staff, row.claimed_by)

    def create(
        self,
        *,
        pseudonym: str,
        channel: str,
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
        staff_chat_id: int | None = None,
        contact: Contact | None = None,
    ) -> EscalationView:
        """A new escalation, or the open one this user already has."""
        existing = self.open_for(pseudonym)
        if existing is not None:
            return existing
        with self.sessions.begin() as session:
            row = Escalation(
                pseudonym=pseudonym,
                channel=channel,
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
                staff_chat_id=staff_chat_id,
                contact_staff=contact.staff_id if contact else None,
                contact_telegram=contact.telegram_id if contact else None,
                contact_name=contact.name if contact else None,
                consented_at=now_utc(),
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

    def without_topic(self, staff_chat_id: int) -> list[EscalationView]:
        """Escalations the staff group should follow but has no topic for yet."""
        with self.sessions() as session:
            rows = session.execute(
                select(Escalation)
                .where(Escalation.staff_chat_id == staff_chat_id, Escalation.staff_thread_id.is_(None))
                .where(Escalation.status.in_(OPEN))
                .order_by(Escalation.id)
            ).scalars()
            return [EscalationView.of(r) for r in rows]

    def by_thread(self, staff_chat_id: int, thread_id: int) -> EscalationView | None:
        with self.sessions() as session:
            row = session.execute(
                select(Escalation).where(
                    Escalation.staff_chat_id == staff_chat_id, Escalation.staff_thread_id == thread_id
                )
            ).scalar_one_or_none()
            return EscalationView.of(row) if row else None

    def claim(self, escalation_id: int, name: str, telegram_id: int | None, staff_id: int | None) -> bool:
        """Claim when nobody has yet; True when this call claimed it."""
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status == "new")
                .values(
                    status="claimed",
                    claimed_by=telegram_id,
                    claimed_by_staff=staff_id,
                    claimed_by_name=name,
                    claimed_at=now_utc(),
                )
            )
            return bool(cast(CursorResult[Any], result).rowcount)

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
                .values(first_staff_reply_at=now_utc())
            )

    def close(self, escalation_id: int, closing: str | None) -> bool:
        with self.sessions.begin() as session:
            result = session.execute(
                update(Escalation)
                .where(Escalation.id == escalation_id, Escalation.status.in_(OPEN))
                .values(status="closed", closed_at=now_utc(), close_outcome=closing)
            )
            return bool(cast(CursorResult[Any], result).rowcount)

    def reopen(self, escalation_id: int) -> bool:
        with self.sessions.begin() as session:
            row = session.get(Escalation, escalation_id)
            if row is None or row.status != "closed" or row.pseudonym == FORGOTTEN:
                return False
            if row.channel == "tg" and not row.user_chat_id:
                return False  # the chat id was released after closing: the user cannot be reached
            row.status = "claimed" if row.claimed_by_name else "new"
            row.closed_at = None
            row.outcome = None
            row.close_outcome = None
            row.reopened += 1
        return True

    def note(self, escalation_id: int, staff_user_id: int | None, name: str, text: str) -> None:
        with self.sessions.begin() as session:
            session.add(StaffNote(escalation_id=escalation_id, staff_user_id=staff_user_id, author=name, text=text))

    def set_outcome(self, escalation_id: int, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        with self.sessions.begin() as session:
            session.execute(update(Escalation).where(Escalation.id == escalation_id).values(outcome=outcome))

    def queue_position(self, escalation_id: int) -> int:
        """1 for the first in line: urgent ones first, then high, then by age."""
        with self.sessions() as session:
            me = session.get(Escalation, escalation_id)
            if me is None or me.status != "new":
                return 0
            mine = Priority.of(me.priority).rank
            rank = case(
                (Escalation.priority == Priority.URGENT.value, Priority.URGENT.rank),
                (Escalation.priority == Priority.HIGH.value, Priority.HIGH.rank),
                else_=Priority.NORMAL.rank,
            )
            ahead = session.execute(
                select(func.count(Escalation.id))
                .where(Escalation.status == "new", Escalation.id != me.id)
                .where((rank < mine) | ((rank == mine) & (Escalation.id < me.id)))
            ).scalar_one()
            return int(ahead) + 1

    # -- transcript and outbox --------------------------------------------------
    def add_message(
        self,
        escalation_id: int,
        sender: str,
        text: str = "",
        kind: str = "text",
        *,
        file_id: str | None = None,
        staff_user_id: int | None = None,
        author: str | None = None,
        origin: str = "bot",
        to_user: bool = False,
        to_topic: bool = False,
        intent: str | None = None,
    ) -> int:
        with self.sessions.begin() as session:
            row = EscalationMessage(
                escalation_id=escalation_id,
                sender=sender,
                text=text,
                kind=kind,
                file_id=file_id,
                staff_user_id=staff_user_id,
                author=author,
                origin=origin,
                intent=intent,
                to_user=to_user,
                to_topic=to_topic,
            )
            session.add(row)
            session.flush()
            return row.id

    def add_earlier(self, escalation_id: int, messages: list[tuple[str, str | None]]) -> None:
        """What the user wrote to the bot before the handoff (redacted), with
        what the NLU understood: staff see it and can mark what went wrong."""
        with self.sessions.begin() as session:
            for text, intent in messages:
                session.add(
                    EscalationMessage(
                        escalation_id=escalation_id,
                        sender="user",
                        kind="earlier",
                        text=text,
                        intent=intent,
                        origin="bot",
                        to_user=False,
                        to_topic=False,
                    )
                )

    def pending(
        self, channel: str, with_topics: bool, staff_chat_id: int | object | None = ANY_STAFF_CHAT
    ) -> list[OutboxMessage]:
        """What is still to deliver for the escalations of this front-end
        (and, with_topics, what the staff group's topics still need).

        A front-end delivers the escalations it made: those of its channel
        and its staff group (staff_chat_id, None for none). Two Telegram bots
        on one database, each with its own staff group, never deliver each
        other's messages (a bot cannot write to another bot's users)."""
        with self.sessions() as session:
            wanted = [EscalationMessage.to_user.is_(True)]
            if with_topics:
                wanted.append(EscalationMessage.to_topic.is_(True))
            query = (
                select(EscalationMessage)
                .join(Escalation, Escalation.id == EscalationMessage.escalation_id)
                .where(Escalation.channel == channel, or_(*wanted))
            )
            if staff_chat_id is not ANY_STAFF_CHAT:
                query = query.where(
                    Escalation.staff_chat_id.is_(None)
                    if staff_chat_id is None
                    else Escalation.staff_chat_id == staff_chat_id
                )
            rows = session.execute(query.order_by(EscalationMessage.id)).scalars()
            return [
                OutboxMessage(
                    r.id,
                    r.escalation_id,
                    r.sender,
                    r.kind,
                    r.text,
                    r.file_id,
                    r.author,
                    r.origin,
                    r.to_user,
                    r.to_topic,
                )
                for r in rows
            ]

    def delivered(self, message_id: int, *, user: bool = False, topic: bool = False) -> None:
        """Delivered to the user and/or the topic. Once fully delivered, a
        photo's reference is dropped: the photo is not kept."""
        with self.sessions.begin() as session:
            row = session.get(EscalationMessage, message_id)
            if row is None:
                return
            if user:
                row.to_user = False
            if topic:
                row.to_topic = False
            if not (row.to_user or row.to_topic):
                row.delivered_at = now_utc()
                row.file_id = None

    # -- forgetting --------------------------------------------------------------
    def forget_user(self, pseudonym: str) -> None:
        """/stop: remove what points to the person and what they wrote; keep
        only the anonymous counts (topic, gemeente, times, outcome) for the
        statistics."""
        with self.sessions.begin() as session:
            ids = list(session.execute(select(Escalation.id).where(Escalation.pseudonym == pseudonym)).scalars())
            if not ids:
                return
            messages = select(EscalationMessage.id).where(EscalationMessage.escalation_id.in_(ids))
            session.execute(delete(Correction).where(Correction.message_id.in_(messages)))
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
                    closed_at=func.coalesce(Escalation.closed_at, now_utc()),
                )
            )
