"""SQLAlchemy 2 models: places, counters (the directory of local doors, with
its history and reports), organisations, chat users, escalations to staff
and the staff themselves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Place(Base):
    """A PC4 area, a woonplaats or a gemeente, with a coordinate."""

    __tablename__ = "places"
    __table_args__ = (
        UniqueConstraint("kind", "code", name="uq_places_kind_code"),
        Index("ix_places_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "pc4", "woonplaats", "gemeente"
    code: Mapped[str] = mapped_column(String(16))  # 9561, BAG woonplaatscode, GM0106
    name: Mapped[str] = mapped_column(String(120))
    gemeente_code: Mapped[str] = mapped_column(String(8))
    gemeente: Mapped[str] = mapped_column(String(120))
    provincie: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    woonplaatsen: Mapped[str | None] = mapped_column(Text)  # PC4: the places in it, ";"-separated
    source: Mapped[str] = mapped_column(String(200))


class Counter(Base):
    """A door someone can walk to: an IDO, an overheidsbreed loket, the
    gemeente's front desk, a library, a buurtteam, ... (the directory)."""

    __tablename__ = "counters"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_counters_source_id"),
        Index("ix_counters_kind", "kind"),
        Index("ix_counters_gemeente_code", "gemeente_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))  # where the row comes from
    source_id: Mapped[str] = mapped_column(String(200))  # its id there (upsert key)
    kind: Mapped[str] = mapped_column(String(32))  # wegwijzer.vocabulary.DoorKind
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str | None] = mapped_column(String(120))
    gemeente_code: Mapped[str | None] = mapped_column(String(8))
    gemeente: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    opening_hours: Mapped[str | None] = mapped_column(String(300))  # OpenStreetMap opening_hours syntax
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)  # inloop: no appointment needed
    by_appointment: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))  # as shown: "14 038", "0515 48 90 00"
    website: Mapped[str | None] = mapped_column(String(300))
    appointment_url: Mapped[str | None] = mapped_column(String(500))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    # How strong the facts are: confirmed, trial (a pilot), probable (e.g. a
    # library that probably has an IDO) or unchecked.
    status: Mapped[str] = mapped_column(String(16), default="unchecked")
    status_note: Mapped[str | None] = mapped_column(Text)  # e.g. "IDO waarschijnlijk"
    attribution: Mapped[str | None] = mapped_column(Text)
    checked_on: Mapped[date | None] = mapped_column(Date)  # when the facts were last confirmed
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)  # no longer shown
    updated_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class LoadedData(Base):
    """Which version of the shipped reference data the database holds (a
    hash of the files), so a newer version is loaded by itself."""

    __tablename__ = "loaded_data"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class DoorChange(Base):
    """The history of the directory: who changed a door, when, old and new."""

    __tablename__ = "door_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"), index=True)
    door_name: Mapped[str] = mapped_column(String(200))  # kept when the door is gone
    action: Mapped[str] = mapped_column(String(16))  # add, edit, confirm, retire, restore, import
    actor: Mapped[str] = mapped_column(String(120))  # "web:<username>" or "import:<source>"
    changes: Mapped[dict[str, list[object]]] = mapped_column(JSON, default=dict)  # field → [old, new]
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class DoorReport(Base):
    """A user's "Klopt dit niet?" about a door, until staff resolve it."""

    __tablename__ = "door_reports"
    __table_args__ = (Index("ix_door_reports_open", "counter_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text)  # optional, redacted
    channel: Mapped[str] = mapped_column(String(16))  # "tg" or "terminal"
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolution: Mapped[str | None] = mapped_column(Text)


class Organisation(Base):
    """A national organisation: the route for a topic's case itself."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_cost: Mapped[str | None] = mapped_column(String(200))
    phone_hours: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    phone_source_date: Mapped[date | None] = mapped_column(Date)  # the date of the page the number is from
    no_national_number: Mapped[bool] = mapped_column(Boolean, default=False)  # organised locally


class ChatUser(Base):
    """What a front-end remembers about a user: the least it needs.

    Keyed by the pseudonym (never the Telegram id). `/stop` deletes the row.
    """

    __tablename__ = "chat_users"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="helper")  # "helper" or "professional"
    gemeente_code: Mapped[str | None] = mapped_column(String(8))  # from a deep link (/start ido_GM0106)
    # The voice the user is answered in (wegwijzer.texts.Voice): "nl" or
    # "en", and in Dutch "u" or "je"; None until the user writes.
    language: Mapped[str | None] = mapped_column(String(8))
    form: Mapped[str | None] = mapped_column(String(4))
    privacy_warned: Mapped[bool] = mapped_column(Boolean, default=False)
    # A "Klopt dit niet?" that waits for the user's short text (a door_reports id).
    pending_report: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    last_seen: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class ButtonPayload(Base):
    """An inline button's payload, behind a short callback id (Telegram allows
    64 bytes of callback data; payloads can be longer)."""

    __tablename__ = "button_payloads"
    __table_args__ = (Index("ix_button_payloads_created_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(120))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class ProcessedUpdate(Base):
    """Telegram update ids already handled (per bot): a retried update is
    handled once."""

    __tablename__ = "processed_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)


# -- handoff to a person and staff review --------------------------------------
class StaffMember(Base):
    """A staff member: acts in the staff group (by Telegram id) and logs in to
    the review page (username + hashed password)."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class StaffGemeente(Base):
    """A gemeente whose doors a staff member keeps up (the gemeente's
    regierol). Admins keep up every door."""

    __tablename__ = "staff_gemeenten"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(8), primary_key=True)


class Escalation(Base):
    """A conversation handed over to a person."""

    __tablename__ = "escalations"
    __table_args__ = (
        Index("ix_escalations_status", "status"),
        Index("ix_escalations_pseudonym", "pseudonym"),
        Index("ix_escalations_thread", "staff_chat_id", "staff_thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="tg")  # the front-end: "tg" or "terminal"
    user_chat_id: Mapped[int] = mapped_column(BigInteger)  # needed to relay staff replies; deleted with /stop
    status: Mapped[str] = mapped_column(String(16), default="new")  # new → claimed → closed (reopenable)
    priority: Mapped[str] = mapped_column(String(16), default="normal")  # "normal" or "urgent"
    reason: Mapped[str] = mapped_column(String(32))  # request_human, fallback, complex, crisis
    topic: Mapped[str | None] = mapped_column(String(40))  # topic intent
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    role: Mapped[str] = mapped_column(String(16), default="helper")
    gemeente_code: Mapped[str | None] = mapped_column(String(8))
    gemeente: Mapped[str | None] = mapped_column(String(120))
    place: Mapped[str | None] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)  # redacted
    advised: Mapped[str | None] = mapped_column(Text)  # what the bot already advised
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # the staff group, when there is one
    staff_thread_id: Mapped[int | None] = mapped_column(BigInteger)  # the forum topic
    claimed_by: Mapped[int | None] = mapped_column(BigInteger)  # staff Telegram user id
    claimed_by_staff: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    claimed_by_name: Mapped[str | None] = mapped_column(String(120))
    # The contact person: who helped this user before (within the retention
    # period) gets the escalation first.
    contact_staff: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id", ondelete="SET NULL"))
    contact_telegram: Mapped[int | None] = mapped_column(BigInteger)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(16))  # the user's answer: solved, not_solved
    close_outcome: Mapped[str | None] = mapped_column(String(16))  # staff's, at closing: wegwijzer.vocabulary.Closing
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    consented_at: Mapped[datetime | None] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_staff_reply_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened: Mapped[int] = mapped_column(default=0)


class EscalationMessage(Base):
    """The transcript of an escalation (redacted), and the outbox.

    A message is stored before it is sent, with what is still to deliver:
    `to_user` (a staff reply, or an event the user hears of) and `to_topic`
    (for the staff group's forum topic). The front-end's delivery marks them
    done, so nothing is lost when a process restarts, and the staff page and
    the forum topic show the same conversation.
    """

    __tablename__ = "escalation_messages"
    __table_args__ = (
        Index("ix_escalation_messages_to_user", "to_user"),
        Index("ix_escalation_messages_to_topic", "to_topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # "user", "staff", "bot"
    # "text", "photo", "urgent" (a user's urgent message), "earlier" (a user's
    # message to the bot before the handoff), "event" (text names it:
    # claimed, closed, reopened), "note" (a staff page note, for the topic)
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(300))  # a Telegram photo to pass on, not the photo
    staff_user_id: Mapped[int | None] = mapped_column(BigInteger)  # Telegram id of a staff sender
    author: Mapped[str | None] = mapped_column(String(120))  # a staff sender's name
    origin: Mapped[str] = mapped_column(String(16), default="bot")  # where it was written: tg, web, terminal, bot
    intent: Mapped[str | None] = mapped_column(String(64))  # "earlier" messages: what the NLU understood
    to_user: Mapped[bool] = mapped_column(Boolean, default=False)
    to_topic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def delivered(self) -> bool:
        return not (self.to_user or self.to_topic)


class Correction(Base):
    """A user message staff marked as misunderstood, with the right intent:
    training data for a person to review (`wegwijzer export --format rasa-nlu`)."""

    __tablename__ = "nlu_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_messages.id", ondelete="SET NULL"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)  # redacted
    understood: Mapped[str | None] = mapped_column(String(64))  # what the NLU made of it
    intent: Mapped[str] = mapped_column(String(64))  # what it should have been
    marked_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class FollowUp(Base):
    """ "Is het gelukt?": a referral whose outcome the helper agreed to tell.

    Status as a FHIR Task: requested (agreed, not asked yet) → in-progress
    (asked) → completed (it worked) / failed (it did not) / cancelled (the
    user stopped). The door, topic and gemeente stay for the statistics; the
    chat id goes when the question is answered or the user stops.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="tg")
    user_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    topic: Mapped[str | None] = mapped_column(String(40))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id", ondelete="SET NULL"))
    door_name: Mapped[str] = mapped_column(String(200))
    door_kind: Mapped[str | None] = mapped_column(String(32))
    gemeente_code: Mapped[str | None] = mapped_column(String(8))
    gemeente: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="requested")
    answer: Mapped[str | None] = mapped_column(String(16))  # "ja", "nee", "hulp"
    due_at: Mapped[datetime] = mapped_column(DateTime)
    asked_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class HandoverCard(Base):
    """An "overdrachtskaart" behind a short-lived link: its content only
    (no personal numbers), removed when it expires."""

    __tablename__ = "handover_cards"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class StaffNote(Base):
    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(BigInteger)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class StaffAction(Base):
    """Every staff action, for accountability (also refused attempts)."""

    __tablename__ = "staff_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    staff_user_id: Mapped[int | None] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(120))  # name, or "web:<username>"
    action: Mapped[str] = mapped_column(String(40))  # claim, reply, note, close, reopen, refused, login, export
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
