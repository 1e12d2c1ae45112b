"""Keeping the directory up: adding, editing, confirming and retiring doors,
with a history of every change (who, when, old and new value), and the
reports users send ("Klopt dit niet?") until staff resolve them.

The staff page and the importers write through here; the referral reads
the doors through wegwijzer.directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.clock import now_utc
from wegwijzer.db.models import Counter, DoorChange, DoorReport
from wegwijzer.privacy import redact
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import Standing

# The columns a staff member or an import may set (the rest is bookkeeping).
EDITABLE = (
    "kind",
    "name",
    "address",
    "postcode",
    "place",
    "gemeente_code",
    "gemeente",
    "lat",
    "lon",
    "opening_hours",
    "walk_in",
    "by_appointment",
    "phone",
    "website",
    "appointment_url",
    "topics",
    "status",
    "checked_on",
    "status_note",
    "attribution",
    "source",
)
MAX_REPORT = 500  # characters of a user's report that are kept
STALE_AFTER = dt.timedelta(days=365)


def _plain(value: Any) -> Any:
    """A value as the history stores it (JSON)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def changes_of(door: Counter | None, values: dict[str, Any]) -> dict[str, list[Any]]:
    """field → [old, new] for the values that differ from the door's."""
    changes = {}
    for name, new in values.items():
        if name not in EDITABLE:
            continue
        old = getattr(door, name) if door is not None else None
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    return changes


def remember(session: Session, door: Counter, action: str, actor: str, changes: dict[str, list[Any]]) -> None:
    session.add(
        DoorChange(counter_id=door.id, door_name=door.name[:200], action=action, actor=actor[:120], changes=changes)
    )


def apply(
    session: Session, door: Counter | None, values: dict[str, Any], actor: str, action: str
) -> tuple[Counter, bool]:
    """Create the door or change it, and keep the change in the history;
    whether anything changed."""
    changes = changes_of(door, values)
    if door is None:
        door = Counter(**values, updated_by=actor[:120])
        session.add(door)
        session.flush()
        remember(session, door, "add", actor, changes)
        return door, True
    if changes:
        for name in changes:
            setattr(door, name, values[name])
        door.updated_by = actor[:120]
        session.flush()
        remember(session, door, action, actor, changes)
    return door, bool(changes)


def is_stale(checked_on: dt.date | None, today: dt.date) -> bool:
    """Not confirmed for more than a year (or never)."""
    return checked_on is None or today - checked_on > STALE_AFTER


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class HistoryLine:
    action: str  # add, edit, confirm, retire, restore, import
    actor: str
    changes: dict[str, list[Any]]
    at: dt.datetime  # UTC

    @property
    def label(self) -> str:
        return staff_text.label("action", self.action)


@dataclass(frozen=True)
class Report:
    id: int
    door_id: int
    door_name: str
    gemeente_code: str | None
    text: str | None
    channel: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None


class DoorStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    # -- staff edits ---------------------------------------------------------------
    def add(self, values: dict[str, Any], actor: str) -> int:
        with self.sessions.begin() as session:
            return apply(session, None, values, actor, "add")[0].id

    def edit(self, door_id: int, values: dict[str, Any], actor: str) -> bool:
        """False when the door does not exist; True when it was saved (changed or not)."""
        with self.sessions.begin() as session:
            door = session.get(Counter, door_id)
            if door is None:
                return False
            apply(session, door, values, actor, "edit")
            return True

    def confirm(self, door_id: int, actor: str, on: dt.date | None = None) -> bool:
        """The facts were checked with the door itself today (or `on`)."""
        values = {"checked_on": on or _today(), "status": Standing.CONFIRMED.value}
        with self.sessions.begin() as session:
            door = session.get(Counter, door_id)
            if door is None:
                return False
            changes = changes_of(door, values) or {"checked_on": [_plain(door.checked_on)] * 2}
            for name, value in values.items():
                setattr(door, name, value)
            door.updated_by = actor[:120]
            remember(session, door, "confirm", actor, changes)
            return True

    def retire(self, door_id: int, actor: str, retired: bool = True) -> bool:
        """No longer shown to users (or shown again); kept for the history."""
        with self.sessions.begin() as session:
            door = session.get(Counter, door_id)
            if door is None:
                return False
            if (door.retired_at is not None) == retired:
                return True
            door.retired_at = now_utc() if retired else None
            door.updated_by = actor[:120]
            remember(session, door, "retire" if retired else "restore", actor, {"retired": [not retired, retired]})
            return True

    def history(self, door_id: int) -> list[HistoryLine]:
        with self.sessions() as session:
            rows = session.execute(
                select(DoorChange).where(DoorChange.counter_id == door_id).order_by(DoorChange.id.desc())
            ).scalars()
            return [HistoryLine(r.action, r.actor, dict(r.changes or {}), r.created_at) for r in rows]

    # -- reports from users ----------------------------------------------------------
    def report(self, door_id: int, text: str | None, channel: str) -> int | None:
        """A user's "Klopt dit niet?"; the text is redacted and kept short."""
        cleaned = redact(text.strip()[:MAX_REPORT])[0] if text and text.strip() else None
        with self.sessions.begin() as session:
            if session.get(Counter, door_id) is None:
                return None
            row = DoorReport(counter_id=door_id, text=cleaned, channel=channel)
            session.add(row)
            session.flush()
            return row.id

    def add_text(self, report_id: int, text: str) -> None:
        """The optional short text a user sends after pressing "Klopt dit niet?"."""
        cleaned = redact(text.strip()[:MAX_REPORT])[0]
        with self.sessions.begin() as session:
            row = session.get(DoorReport, report_id)
            if row is not None and row.resolved_at is None and not row.text:
                row.text = cleaned

    def reports(self, door_id: int | None = None, open_only: bool = True) -> list[Report]:
        with self.sessions() as session:
            query = select(DoorReport, Counter).join(Counter, Counter.id == DoorReport.counter_id)
            if door_id is not None:
                query = query.where(DoorReport.counter_id == door_id)
            if open_only:
                query = query.where(DoorReport.resolved_at.is_(None))
            rows = session.execute(query.order_by(DoorReport.created_at, DoorReport.id))
            return [
                Report(
                    r.id,
                    c.id,
                    c.name,
                    c.gemeente_code,
                    r.text,
                    r.channel,
                    r.created_at,
                    r.resolved_at,
                    r.resolved_by,
                    r.resolution,
                )
                for r, c in rows
            ]

    def resolve(self, report_id: int, actor: str, resolution: str) -> int | None:
        """Closes the report; returns its door's id (None when unknown or already resolved)."""
        with self.sessions.begin() as session:
            row = session.get(DoorReport, report_id)
            if row is None or row.resolved_at is not None:
                return None
            row.resolved_at, row.resolved_by, row.resolution = now_utc(), actor[:120], resolution.strip()[:1000] or None
            return row.counter_id

    def open_report_counts(self) -> dict[int, int]:
        with self.sessions() as session:
            rows = session.execute(
                select(DoorReport.counter_id, func.count(DoorReport.id))
                .where(DoorReport.resolved_at.is_(None))
                .group_by(DoorReport.counter_id)
            )
            return {int(door): int(count) for door, count in rows}
