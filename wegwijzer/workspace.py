"""What staff do with an escalation, wherever they work: in the staff
group's forum topic (Telegram) or on the staff page (the browser).

Each action changes the escalation, goes to the audit log, and puts what
others must hear in the outbox: the user hears a reply, that a person joined,
that the conversation closed or reopened; the forum topic hears what was
done on the staff page (and the other way round, the staff page reads the
transcript). The front-end that serves the user delivers (bot/delivery.py),
so both places stay in step whichever one staff use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.db.models import Correction, EscalationMessage
from wegwijzer.escalations import Escalations, EscalationView
from wegwijzer.privacy import redact
from wegwijzer.vocabulary import Closing


class Origin(StrEnum):
    """Where a staff member acts from."""

    TOPIC = "tg"  # the staff group's forum topic
    WEB = "web"  # the staff page


class Event(StrEnum):
    """Outbox events (the text of a message of kind "event")."""

    CLAIMED = "claimed"
    CLOSED = "closed"
    REOPENED = "reopened"


@dataclass(frozen=True)
class Actor:
    """A staff member acting: their name, and how they are known."""

    name: str
    origin: Origin
    telegram_id: int | None = None
    staff_id: int | None = None  # their staff account, when they have one
    username: str | None = None

    @property
    def audit_name(self) -> str:
        """How the audit log names them ('web:<username>' on the staff page)."""
        return f"web:{self.username}" if self.origin == Origin.WEB and self.username else self.name


class Workspace:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.escalations = Escalations(sessions)

    def _event(self, escalation: EscalationView, event: Event, actor: Actor) -> None:
        """An event the user hears of, and the forum topic too."""
        self.escalations.add_message(
            escalation.id,
            "bot",
            event.value,
            kind="event",
            author=actor.name,
            staff_user_id=actor.telegram_id,
            origin=actor.origin.value,
            to_user=True,
            to_topic=escalation.has_topic,
        )

    def claim(self, escalation: EscalationView, actor: Actor) -> bool:
        """Claim it; False when someone else already has (it is logged either way)."""
        claimed = self.escalations.claim(escalation.id, actor.name, actor.telegram_id, actor.staff_id)
        self.escalations.log("claim" if claimed else "claim_again", actor.telegram_id, actor.audit_name, escalation.id)
        if claimed:
            self._event(escalation, Event.CLAIMED, actor)
        return claimed

    def reply(self, escalation: EscalationView, actor: Actor, text: str, file_id: str | None = None) -> int | None:
        """A reply to the user (the first one claims an unclaimed escalation).
        None when there is nothing to send or the escalation is closed."""
        text = text.strip()
        if not text and not file_id:
            return None
        current = self.escalations.get(escalation.id)
        if current is None or not current.is_open:
            return None
        if current.status == "new":
            self.claim(current, actor)
        message_id = self.escalations.add_message(
            escalation.id,
            "staff",
            text,
            kind="photo" if file_id else "text",
            file_id=file_id,
            staff_user_id=actor.telegram_id,
            author=actor.name,
            origin=actor.origin.value,
            to_user=True,
            # The forum topic already shows what was written there.
            to_topic=current.has_topic and actor.origin != Origin.TOPIC,
        )
        self.escalations.staff_replied(escalation.id)
        self.escalations.log("reply", actor.telegram_id, actor.audit_name, escalation.id)
        return message_id

    def note(self, escalation: EscalationView, actor: Actor, text: str) -> bool:
        """A note for staff only (the user never sees notes)."""
        text = text.strip()
        if not text:
            return False
        self.escalations.note(escalation.id, actor.telegram_id, actor.name, text)
        self.escalations.log("note", actor.telegram_id, actor.audit_name, escalation.id)
        if actor.origin == Origin.WEB and escalation.has_topic:
            # The forum topic hears of it; the user does not.
            self.escalations.add_message(
                escalation.id, "staff", text, kind="note", author=actor.name, origin=actor.origin.value, to_topic=True
            )
        return True

    def close(self, escalation: EscalationView, actor: Actor, closing: Closing | None = None) -> bool:
        if not self.escalations.close(escalation.id, closing.value if closing else None):
            return False
        detail = closing.value if closing else None
        self.escalations.log("close", actor.telegram_id, actor.audit_name, escalation.id, detail)
        self._event(escalation, Event.CLOSED, actor)
        return True

    def reopen(self, escalation: EscalationView, actor: Actor) -> bool:
        if not self.escalations.reopen(escalation.id):
            return False
        self.escalations.log("reopen", actor.telegram_id, actor.audit_name, escalation.id)
        self._event(escalation, Event.REOPENED, actor)
        return True

    def mark_misunderstood(self, escalation: EscalationView, message_id: int, actor: Actor, intent: str) -> bool:
        """A user's message of this escalation that the bot got wrong, with
        the intent it should have been: kept (redacted) for a person to
        review before training."""
        with self.sessions.begin() as session:
            message = session.get(EscalationMessage, message_id)
            if (
                message is None
                or message.escalation_id != escalation.id
                or message.sender != "user"
                or not message.text.strip()
            ):
                return False
            text, _ = redact(message.text)
            existing = session.execute(
                select(Correction).where(Correction.message_id == message_id)
            ).scalar_one_or_none()
            if existing is not None:
                existing.intent, existing.marked_by = intent, actor.audit_name
            else:
                session.add(
                    Correction(
                        message_id=message_id,
                        text=text,
                        understood=message.intent,
                        intent=intent,
                        marked_by=actor.audit_name,
                    )
                )
        self.escalations.log("correct", actor.telegram_id, actor.audit_name, escalation.id, intent)
        return True
