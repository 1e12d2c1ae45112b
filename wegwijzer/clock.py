"""The time, in one place: every part asks here, so times agree."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Now, with the UTC time zone."""
    return datetime.now(UTC)


def now_utc() -> datetime:
    """Now in UTC, without a time zone (as the database stores it)."""
    return now().replace(tzinfo=None)
