"""SQLAlchemy 2 models: places, counters (local doors) and organisations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Index, String, Text, UniqueConstraint, func
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
    """A door someone can walk to: an IDO, an overheidsbreed loket, ..."""

    __tablename__ = "counters"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_counters_source_id"),
        Index("ix_counters_kind", "kind"),
        Index("ix_counters_gemeente_code", "gemeente_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))  # where the row comes from
    source_id: Mapped[str] = mapped_column(String(200))  # its id there (upsert key)
    kind: Mapped[str] = mapped_column(String(32))  # "ido", "overheidsbreed_loket", "other"
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str | None] = mapped_column(String(120))
    gemeente_code: Mapped[str | None] = mapped_column(String(8))
    gemeente: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    walk_in: Mapped[str | None] = mapped_column(String(300))  # walk-in hours, or None
    by_appointment: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    status_note: Mapped[str | None] = mapped_column(String(200))  # e.g. "IDO waarschijnlijk"
    attribution: Mapped[str | None] = mapped_column(String(300))
    checked_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


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


class ChatUser(Base):
    """What a front-end remembers about a user: the least it needs.

    Keyed by the pseudonym (never the Telegram id). `/stop` deletes the row.
    """

    __tablename__ = "chat_users"

    pseudonym: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="helper")  # "helper" or "professional"
    gemeente_code: Mapped[str | None] = mapped_column(String(8))  # from a deep link (/start ido_GM0106)
    language: Mapped[str | None] = mapped_column(String(8))
    privacy_warned: Mapped[bool] = mapped_column(Boolean, default=False)
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
