"""The directory: national organisations and local counters (doors).

Both live in the database (filled by `wegwijzer load` and `wegwijzer
import`). A phone number is shown as confirmed only when the data says so;
a counter's facts are shown with whether they were checked.

`CounterIndex` finds the nearest counters of a kind by great-circle
distance; counters known only by gemeente (most overheidsbrede loketten)
are found by gemeente.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Counter, DoorReport
from wegwijzer.db.models import Organisation as OrganisationRow
from wegwijzer.texts import say
from wegwijzer.vocabulary import DOOR_SEARCHES, DoorKind, Standing

EARTH_RADIUS_KM = 6371.0088
OLD_SOURCE_DAYS = 2 * 365  # a phone number from an older page is said to be old
KINDS = DOOR_SEARCHES


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    topics: tuple[str, ...]
    phone: str | None
    phone_cost: str | None
    website: str | None
    confirmed: bool
    sources: tuple[str, ...] = ()
    phone_source_date: date | None = None  # the date of the page the number is from, when known
    no_national_number: bool = False  # organised locally: there is no national number

    @classmethod
    def from_row(cls, row: OrganisationRow) -> Organisation:
        return cls(
            id=row.id,
            name=row.name,
            topics=tuple(row.topics or ()),
            phone=row.phone,
            phone_cost=_short_cost(row.phone_cost),
            website=row.website,
            confirmed=row.confirmed,
            sources=tuple(row.sources or ()),
            phone_source_date=row.phone_source_date,
            no_national_number=row.no_national_number,
        )

    def contact_lines(self, today: date | None = None) -> list[str]:
        """How to reach the organisation, in B1 Dutch, as strong as the sources:
        an unchecked number says so, an old number says how old, a missing
        number is missing, and the source is named."""
        today = today or date.today()
        cost = say("contact_cost", cost=self.phone_cost) if self.phone_cost else ""
        lines = []
        if self.no_national_number:
            lines.append(say("contact_no_national_number"))
        elif self.phone and self.confirmed:
            lines.append(say("contact_call", phone=self.phone, cost=cost))
            if self.phone_source_date and (today - self.phone_source_date).days > OLD_SOURCE_DAYS:
                lines.append(say("contact_phone_old", year=self.phone_source_date.year))
        elif self.phone:
            lines.append(say("contact_phone_not_checked", phone=self.phone, cost=cost))
        else:
            lines.append(say("contact_no_phone"))
        if self.website:
            lines.append(say("contact_website", website=self.website.removeprefix("https://").removeprefix("http://")))
        if self.sources:
            host = urlsplit(self.sources[0]).hostname or self.sources[0]
            lines.append(say("contact_source", source=host.removeprefix("www.")))
        return lines


def _short_cost(cost: str | None) -> str | None:
    """'gratis (0800)' → 'gratis'; costs with a tariff are kept whole."""
    if not cost:
        return None
    return say("contact_free") if cost.lower().startswith("gratis") else cost


def load_organisations(session: Session) -> dict[str, Organisation]:
    rows = session.execute(select(OrganisationRow)).scalars()
    return {row.id: Organisation.from_row(row) for row in rows}


@lru_cache(maxsize=2)
def _cached_organisations(url: str) -> dict[str, Organisation]:
    from wegwijzer.db.session import session_scope

    with session_scope(url) as session:
        return load_organisations(session)


def organisations(url: str | None = None) -> dict[str, Organisation]:
    """The organisations of the configured database, loaded once per process."""
    from wegwijzer.db.session import database_url

    return _cached_organisations(url or database_url())


# -- doors ----------------------------------------------------------------------
@dataclass(frozen=True)
class Door:
    """A door as the referral shows it (detached from the database)."""

    id: int
    kind: str
    name: str
    address: str | None
    postcode: str | None
    place: str | None
    gemeente_code: str | None
    gemeente: str | None
    lat: float | None
    lon: float | None
    opening_hours: str | None  # OpenStreetMap syntax
    walk_in: bool
    by_appointment: bool
    phone: str | None
    website: str | None
    appointment_url: str | None
    topics: tuple[str, ...]
    status: str  # wegwijzer.vocabulary.Standing
    status_note: str | None
    source: str
    attribution: str | None
    checked_on: date | None = None
    reports: int = 0  # open reports from users ("Klopt dit niet?")

    @property
    def confirmed(self) -> bool:
        return self.status == Standing.CONFIRMED

    @property
    def has_street_address(self) -> bool:
        """A place to walk to: a street, and a point for the map pin."""
        return bool(self.address) and self.lat is not None and self.lon is not None

    @classmethod
    def from_row(cls, row: Counter, reports: int = 0) -> Door:
        return cls(
            id=row.id,
            kind=row.kind,
            name=row.name,
            address=row.address,
            postcode=row.postcode,
            place=row.place,
            gemeente_code=row.gemeente_code,
            gemeente=row.gemeente,
            lat=row.lat,
            lon=row.lon,
            opening_hours=row.opening_hours,
            walk_in=bool(row.walk_in),
            by_appointment=bool(row.by_appointment),
            phone=row.phone,
            website=row.website,
            appointment_url=row.appointment_url,
            topics=tuple(row.topics or ()),
            status=row.status,
            status_note=row.status_note,
            source=row.source,
            attribution=row.attribution,
            checked_on=row.checked_on,
            reports=reports,
        )


@dataclass(frozen=True)
class Found:
    door: Door
    distance_km: float | None  # None: matched by gemeente, no coordinate


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass
class CounterIndex:
    """Counters per kind in arrays: the nearest ones are found by the exact
    great-circle distance over the counters in the radius's bounding box,
    computed for all of them at once (numpy), in well under a millisecond
    for 10,000 counters."""

    doors: list[Door]
    by_kind: dict[str, tuple[np.ndarray, np.ndarray, list[Door]]] = field(default_factory=dict)
    by_gemeente: dict[str, list[Door]] = field(default_factory=dict)
    desks: dict[str, Door] = field(default_factory=dict)  # gemeente code → its front desk

    def __post_init__(self) -> None:
        placed: dict[str, list[Door]] = {}
        for door in self.doors:
            if door.lat is not None and door.lon is not None:
                placed.setdefault(door.kind, []).append(door)
            if door.gemeente_code:
                self.by_gemeente.setdefault(door.gemeente_code, []).append(door)
        for kind, doors in placed.items():
            lats = np.array([d.lat for d in doors], dtype=float)
            lons = np.array([d.lon for d in doors], dtype=float)
            self.by_kind[kind] = (lats, lons, doors)
        for code, doors in self.by_gemeente.items():
            desks = [d for d in doors if d.kind == DoorKind.GEMEENTE and d.has_street_address]
            if desks:
                # One the gemeente entered itself before the register's; then the most recently checked.
                self.desks[code] = max(desks, key=lambda d: (d.source != "roo", d.confirmed, d.checked_on or date.min))

    @classmethod
    def from_session(cls, session: Session) -> CounterIndex:
        """The doors that are shown (not retired), with their open reports."""
        counted = session.execute(
            select(DoorReport.counter_id, func.count(DoorReport.id))
            .where(DoorReport.resolved_at.is_(None))
            .group_by(DoorReport.counter_id)
        )
        reports = {int(door): int(count) for door, count in counted}
        rows = session.execute(select(Counter).where(Counter.retired_at.is_(None))).scalars()
        return cls([Door.from_row(row, reports.get(row.id, 0)) for row in rows])

    def desk(self, gemeente_code: str | None) -> Door | None:
        """The gemeente's front desk (with a street address), if known."""
        return self.desks.get(gemeente_code) if gemeente_code else None

    def nearest(
        self,
        lat: float,
        lon: float,
        kinds: tuple[str, ...] = KINDS["all"],
        k: int = 3,
        radius_km: float = 25.0,
        gemeente_code: str | None = None,
    ) -> list[Found]:
        """The k nearest counters of these kinds within the radius, nearest
        first; then counters without a coordinate in the person's gemeente."""
        if k <= 0:
            return []
        km_per_degree = math.pi * EARTH_RADIUS_KM / 180
        dlat = radius_km / km_per_degree
        # Longitude degrees shrink towards the pole: widen the box by the
        # smallest cosine within it (capped near the pole).
        dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 0.01)
        candidates: list[Found] = []
        for kind in kinds:
            arrays = self.by_kind.get(kind)
            if arrays is None:
                continue
            lats, lons, doors = arrays
            inside = np.nonzero((np.abs(lats - lat) <= dlat) & (np.abs(lons - lon) <= dlon))[0]
            if not len(inside):
                continue
            distances = haversine_km(lat, lon, lats[inside], lons[inside])
            within = np.nonzero(distances <= radius_km)[0]
            if len(within) > k:  # only the k nearest of this kind can be among the k nearest
                within = within[np.argpartition(distances[within], k - 1)[:k]]
            for position in within:
                candidates.append(Found(doors[int(inside[position])], float(distances[position])))
        found = heapq.nsmallest(k, candidates, key=lambda f: math.inf if f.distance_km is None else f.distance_km)
        if gemeente_code and len(found) < k:
            for door in self.by_gemeente.get(gemeente_code, ()):
                if door.kind in kinds and door.lat is None:
                    found.append(Found(door, None))
        return found[:k]


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances from one point to many (the same formula as
    `distance_km`, for arrays)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    distances: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return distances


_INDEX: dict[str, tuple[float, tuple[Any, ...], CounterIndex]] = {}
INDEX_RECHECK_SECONDS = 3.0


def counter_index(url: str | None = None) -> CounterIndex:
    """The doors of the configured database; reloaded when they or their
    reports changed (checked at most every few seconds), so an import or a
    door a staff member entered is used at once, without a restart."""
    from wegwijzer.db.session import database_url, session_scope

    url = url or database_url()
    now = time.monotonic()
    cached = _INDEX.get(url)
    if cached and now - cached[0] < INDEX_RECHECK_SECONDS:
        return cached[2]
    with session_scope(url) as session:
        stamp = (
            *session.execute(select(func.count(Counter.id), func.max(Counter.updated_at))).one(),
            *session.execute(select(func.count(DoorReport.id), func.max(DoorReport.resolved_at))).one(),
        )
        if cached and cached[1] == stamp:
            _INDEX[url] = (now, stamp, cached[2])
            return cached[2]
        index = CounterIndex.from_session(session)
    _INDEX[url] = (now, stamp, index)
    return index
