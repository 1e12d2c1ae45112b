"""The directory on the staff page: doors listed with filters, reported and
stale doors first; one door with its history and its reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Counter, DoorReport
from wegwijzer.doors import is_stale
from wegwijzer.texts import staff as staff_text

EDITED_HERE = "wegwijzer"  # the source of doors entered on the staff page
SHOWS = ("all", "attention", "reported", "stale", "retired")


@dataclass(frozen=True)
class DoorRow:
    id: int
    name: str
    kind: str
    address: str | None
    postcode: str | None
    place: str | None
    gemeente_code: str | None
    gemeente: str | None
    status: str
    source: str
    checked_on: date | None
    stale: bool
    reports: int
    retired: bool

    @property
    def kind_label(self) -> str:
        return staff_text.label("kind", self.kind)

    @property
    def status_label(self) -> str:
        return staff_text.label("standing", self.status)

    @property
    def editable_here(self) -> bool:
        """Entered on the staff page; imported doors are kept up in their source."""
        return self.source == EDITED_HERE


def list_doors(
    session: Session,
    today: date,
    kind: str | None = None,
    gemeente_code: str | None = None,
    show: str = "attention",
    search: str | None = None,
    limit: int = 500,
) -> list[DoorRow]:
    """Doors, reported ones first, then those not checked for a year, then by name.
    show: all (not retired), attention (reported or stale), reported, stale, retired."""
    reports = (
        select(DoorReport.counter_id, func.count(DoorReport.id).label("open"))
        .where(DoorReport.resolved_at.is_(None))
        .group_by(DoorReport.counter_id)
        .subquery()
    )
    query = select(Counter, func.coalesce(reports.c.open, 0)).outerjoin(reports, reports.c.counter_id == Counter.id)
    query = query.where(Counter.retired_at.is_not(None) if show == "retired" else Counter.retired_at.is_(None))
    if kind:
        query = query.where(Counter.kind == kind)
    if gemeente_code:
        query = query.where(Counter.gemeente_code == gemeente_code)
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(Counter.name.ilike(like), Counter.place.ilike(like), Counter.address.ilike(like)))
    rows = []
    for door, open_reports in session.execute(query):
        stale = is_stale(door.checked_on, today)
        if show == "reported" and not open_reports:
            continue
        if show == "stale" and not stale:
            continue
        if show == "attention" and not (open_reports or stale):
            continue
        rows.append(
            DoorRow(
                id=door.id,
                name=door.name,
                kind=door.kind,
                address=door.address,
                postcode=door.postcode,
                place=door.place,
                gemeente_code=door.gemeente_code,
                gemeente=door.gemeente,
                status=door.status,
                source=door.source,
                checked_on=door.checked_on,
                stale=stale,
                reports=int(open_reports),
                retired=door.retired_at is not None,
            )
        )
    rows.sort(key=lambda r: (-r.reports, not r.stale, r.name.lower()))
    return rows[:limit]


def kinds_in_use(session: Session) -> list[str]:
    return sorted(session.execute(select(Counter.kind).distinct()).scalars())
