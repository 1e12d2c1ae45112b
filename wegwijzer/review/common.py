"""What the read models of the staff page share: labels, Dutch time, filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, overload
from zoneinfo import ZoneInfo

from sqlalchemy import Select

from wegwijzer.db.models import Escalation
from wegwijzer.texts import staff as staff_text
from wegwijzer.topics import topics

ZONE = ZoneInfo("Europe/Amsterdam")
STATUSES = ("new", "claimed", "closed")
STATUS_FILTERS = {"open": ("new", "claimed"), "new": ("new",), "claimed": ("claimed",), "closed": ("closed",)}


def topic_label(intent: str | None) -> str:
    if not intent:
        return staff_text("unknown_topic")
    topic = topics().get(intent)
    if topic is None:
        return intent
    return "Crisis" if intent == "urgent_crisis" and topic.label == intent else topic.label


def topic_choices() -> list[tuple[str, str]]:
    """(intent, label) of every known topic, by label."""
    return sorted(((intent, topic_label(intent)) for intent in topics()), key=lambda pair: pair[1].lower())


@overload
def local(moment: datetime) -> datetime: ...
@overload
def local(moment: None) -> None: ...
@overload
def local(moment: datetime | None) -> datetime | None: ...
def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as Dutch time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE)


def utc_start_of(day: date) -> datetime:
    """The start of a Dutch calendar day as naive UTC (how the database stores time)."""
    return datetime.combine(day, time(0), tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return round((end - start).total_seconds() / 60, 1)


def iso_week(moment: datetime) -> str:
    """'2026-W48' for a Dutch time."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def filtered(
    query: Select[Any],
    status: str | None,
    topic: str | None,
    gemeente: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    if status:
        query = query.where(Escalation.status.in_(STATUS_FILTERS.get(status, (status,))))
    if topic:
        query = query.where(Escalation.topic == topic)
    if gemeente:
        query = query.where(Escalation.gemeente == gemeente)
    if date_from:
        query = query.where(Escalation.created_at >= utc_start_of(date_from))
    if date_to:
        query = query.where(Escalation.created_at < utc_start_of(date_to + timedelta(days=1)))
    return query
