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
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Counter, Organisation as OrganisationRow

EARTH_RADIUS_KM = 6371.0088
CELL_DEGREES = 0.2  # grid cell of the nearest-counter index (~22 km north-south)
KINDS = {"ido": ("ido",), "loket": ("overheidsbreed_loket",), "all": ("ido", "overheidsbreed_loket", "other")}


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

    @classmethod
    def from_row(cls, row: OrganisationRow) -> "Organisation":
        return cls(
            id=row.id, name=row.name, topics=tuple(row.topics or ()), phone=row.phone,
            phone_cost=_short_cost(row.phone_cost), website=row.website, confirmed=row.confirmed,
            sources=tuple(row.sources or ()),
        )

    def contact_lines(self) -> list[str]:
        """How to reach the organisation, in B1 Dutch, honest about what is unchecked."""
        lines = []
        if self.phone and self.confirmed:
            cost = f" ({self.phone_cost})" if self.phone_cost else ""
            lines.append(f"Bel {self.phone}{cost}.")
        elif self.phone:
            lines.append(f"Telefoon: {self.phone}. Dit nummer is niet gecontroleerd.")
        else:
            lines.append("Een telefoonnummer konden we niet controleren.")
        if self.website:
            lines.append(f"Website: {self.website.removeprefix('https://').removeprefix('http://')}")
        return lines


def _short_cost(cost: str | None) -> str | None:
    """'gratis (0800)' → 'gratis'; costs with a tariff are kept whole."""
    if not cost:
        return None
    return "gratis" if cost.lower().startswith("gratis") else cost


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


# -- counters ---------------------------------------------------------------
@dataclass(frozen=True)
class Door:
    """A counter as the referral shows it (detached from the database)."""

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
    opening_hours: str | None
    walk_in: str | None
    by_appointment: bool
    phone: str | None
    website: str | None
    topics: tuple[str, ...]
    confirmed: bool
    status_note: str | None
    source: str
    attribution: str | None

    @classmethod
    def from_row(cls, row: Counter) -> "Door":
        return cls(
            id=row.id, kind=row.kind, name=row.name, address=row.address, postcode=row.postcode,
            place=row.place, gemeente_code=row.gemeente_code, gemeente=row.gemeente, lat=row.lat,
            lon=row.lon, opening_hours=row.opening_hours, walk_in=row.walk_in,
            by_appointment=row.by_appointment, phone=row.phone, website=row.website,
            topics=tuple(row.topics or ()), confirmed=row.confirmed, status_note=row.status_note,
            source=row.source, attribution=row.attribution,
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
    """Counters in a grid of cells per kind, for the nearest ones in well
    under a millisecond: a cheap flat-earth bound skips far counters, the
    rest get the exact great-circle distance."""

    doors: list[Door]
    cells: dict[str, dict[tuple[int, int], list[tuple[float, float, Door]]]] = field(default_factory=dict)
    by_gemeente: dict[str, list[Door]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for door in self.doors:
            if door.lat is not None and door.lon is not None:
                grid = self.cells.setdefault(door.kind, {})
                grid.setdefault(_cell(door.lat, door.lon), []).append((door.lat, door.lon, door))
            if door.gemeente_code:
                self.by_gemeente.setdefault(door.gemeente_code, []).append(door)

    @classmethod
    def from_session(cls, session: Session) -> "CounterIndex":
        return cls([Door.from_row(row) for row in session.execute(select(Counter)).scalars()])

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
        row, col = _cell(lat, lon)
        km_per_degree = math.pi * EARTH_RADIUS_KM / 180
        shrink = math.cos(math.radians(lat))  # a degree of longitude is shorter
        reach_rows = int(radius_km / (CELL_DEGREES * km_per_degree)) + 1
        reach_cols = int(radius_km / (CELL_DEGREES * km_per_degree * shrink)) + 1
        # A generous flat-earth bound in degrees: only a pre-filter; every
        # candidate within it gets the exact great-circle distance.
        limit = (radius_km / km_per_degree) ** 2 * 1.10
        candidates: list[Found] = []
        for kind in kinds:
            grid = self.cells.get(kind)
            if not grid:
                continue
            for r in range(row - reach_rows, row + reach_rows + 1):
                for c in range(col - reach_cols, col + reach_cols + 1):
                    for door_lat, door_lon, door in grid.get((r, c), ()):
                        dy = door_lat - lat
                        dx = (door_lon - lon) * shrink
                        if dx * dx + dy * dy <= limit or radius_km > 100:
                            d = distance_km(lat, lon, door_lat, door_lon)
                            if d <= radius_km:
                                candidates.append(Found(door, d))
        found = heapq.nsmallest(k, candidates, key=lambda f: f.distance_km)  # type: ignore[arg-type, return-value]
        if gemeente_code and len(found) < k:
            for door in self.by_gemeente.get(gemeente_code, ()):
                if door.kind in kinds and door.lat is None:
                    found.append(Found(door, None))
        return found[:k]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / CELL_DEGREES)), int(math.floor(lon / CELL_DEGREES))


_INDEX: dict[str, tuple[float, tuple, CounterIndex]] = {}
INDEX_RECHECK_SECONDS = 30.0


def counter_index(url: str | None = None) -> CounterIndex:
    """The counters of the configured database; reloaded when they changed
    (checked at most every 30 seconds), so an import needs no restart."""
    from wegwijzer.db.session import database_url, session_scope

    url = url or database_url()
    now = time.monotonic()
    cached = _INDEX.get(url)
    if cached and now - cached[0] < INDEX_RECHECK_SECONDS:
        return cached[2]
    with session_scope(url) as session:
        stamp = tuple(session.execute(select(func.count(Counter.id), func.max(Counter.updated_at))).one())
        if cached and cached[1] == stamp:
            _INDEX[url] = (now, stamp, cached[2])
            return cached[2]
        index = CounterIndex.from_session(session)
    _INDEX[url] = (now, stamp, index)
    return index
