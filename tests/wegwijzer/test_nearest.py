"""CounterIndex.nearest: the nearest counters, by great-circle distance."""

from __future__ import annotations

import math
import random

import pytest

from wegwijzer.directory import KINDS, CounterIndex, Door, distance_km

# Places to measure from (WGS84, rounded).
ASSEN = (52.9929, 6.5642)
GRONINGEN = (53.2194, 6.5665)
ZWOLLE = (52.5125, 6.0917)
UTRECHT = (52.0894, 5.1100)
AMSTERDAM = (52.3791, 4.9003)
MAASTRICHT = (50.8514, 5.6910)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """An independent haversine, mean earth radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def door(
    id: int,
    lat: float | None,
    lon: float | None,
    kind: str = "ido",
    gemeente_code: str | None = "GM0000",
    name: str | None = None,
) -> Door:
    return Door(
        id=id,
        kind=kind,
        name=name or f"Testdeur {id}",
        address=None,
        postcode=None,
        place=None,
        gemeente_code=gemeente_code,
        gemeente=None,
        lat=lat,
        lon=lon,
        opening_hours=None,
        walk_in=False,
        by_appointment=False,
        phone=None,
        website=None,
        appointment_url=None,
        topics=(),
        status="unchecked",
        status_note=None,
        source="test",
        attribution=None,
    )


def ids(found: list) -> list[int]:
    return [f.door.id for f in found]


def offset(point: tuple[float, float], north_km: float, east_km: float) -> tuple[float, float]:
    """A point about north_km north and east_km east of point."""
    lat, lon = point
    return lat + north_km / 111.195, lon + east_km / (111.195 * math.cos(math.radians(lat)))


# -- the basics ------------------------------------------------------------------------------
def test_nearest_first() -> None:
    index = CounterIndex(
        [
            door(1, *offset(ASSEN, 9, 0)),
            door(2, *offset(ASSEN, 0, 2)),
            door(3, *offset(ASSEN, -5, 0)),
            door(4, *offset(ASSEN, 0, -14)),
        ]
    )
    found = index.nearest(*ASSEN, k=10)
    assert ids(found) == [2, 3, 1, 4]
    distances = [f.distance_km for f in found]
    assert distances == sorted(distances)
    for f, expected in zip(found, (2, 5, 9, 14), strict=False):
        assert f.distance_km == pytest.approx(expected, rel=0.01)


def test_radius() -> None:
    index = CounterIndex([door(1, *offset(UTRECHT, 0, 20)), door(2, *offset(UTRECHT, 30, 0))])
    assert ids(index.nearest(*UTRECHT, k=5)) == [1]  # the default radius is 25 km
    assert ids(index.nearest(*UTRECHT, k=5, radius_km=25)) == [1]
    assert ids(index.nearest(*UTRECHT, k=5, radius_km=19.5)) == []
    assert ids(index.nearest(*UTRECHT, k=5, radius_km=31)) == [1, 2]
    assert ids(index.nearest(*UTRECHT, k=5, radius_km=29.5)) == [1]


def test_k() -> None:
    index = CounterIndex([door(i, *offset(ZWOLLE, i, 0)) for i in range(1, 8)])
    assert ids(index.nearest(*ZWOLLE, k=1)) == [1]
    assert ids(index.nearest(*ZWOLLE, k=3)) == [1, 2, 3]
    assert ids(index.nearest(*ZWOLLE)) == [1, 2, 3]  # the default k is 3
    assert ids(index.nearest(*ZWOLLE, k=100)) == [1, 2, 3, 4, 5, 6, 7]
    assert ids(index.nearest(*ZWOLLE, k=0)) == []


def test_kinds() -> None:
    index = CounterIndex(
        [
            door(1, *offset(AMSTERDAM, 1, 0), kind="ido"),
            door(2, *offset(AMSTERDAM, 2, 0), kind="overheidsbreed_loket"),
            door(3, *offset(AMSTERDAM, 3, 0), kind="other"),
            door(4, *offset(AMSTERDAM, 4, 0), kind="ido"),
        ]
    )
    assert ids(index.nearest(*AMSTERDAM, kinds=KINDS["ido"], k=10)) == [1, 4]
    assert ids(index.nearest(*AMSTERDAM, kinds=KINDS["loket"], k=10)) == [2]
    assert ids(index.nearest(*AMSTERDAM, kinds=KINDS["all"], k=10)) == [1, 2, 3, 4]
    assert ids(index.nearest(*AMSTERDAM, kinds=("other",), k=10)) == [3]
    assert ids(index.nearest(*AMSTERDAM, k=10)) == [1, 2, 3, 4]  # default: all kinds


def test_counters_known_by_gemeente_only() -> None:
    index = CounterIndex(
        [
            door(1, *offset(ASSEN, 3, 0), kind="ido", gemeente_code="GM0106"),
            door(2, None, None, kind="overheidsbreed_loket", gemeente_code="GM0106"),
            door(3, None, None, kind="ido", gemeente_code="GM0106"),
            door(4, None, None, kind="overheidsbreed_loket", gemeente_code="GM0505"),
            door(5, *offset(ASSEN, 6, 0), kind="overheidsbreed_loket", gemeente_code="GM0106"),
        ]
    )
    found = index.nearest(*ASSEN, k=10, gemeente_code="GM0106")
    # The ones with a coordinate first, nearest first; then those of the gemeente.
    assert ids(found) == [1, 5, 2, 3]
    assert [f.distance_km is None for f in found] == [False, False, True, True]
    assert ids(index.nearest(*ASSEN, kinds=KINDS["loket"], k=10, gemeente_code="GM0106")) == [5, 2]
    assert ids(index.nearest(*ASSEN, kinds=KINDS["ido"], k=10, gemeente_code="GM0106")) == [1, 3]
    # Not for another gemeente, nor without one.
    assert ids(index.nearest(*ASSEN, k=10, gemeente_code="GM0014")) == [1, 5]
    assert ids(index.nearest(*ASSEN, k=10)) == [1, 5]
    # Never more than k.
    assert ids(index.nearest(*ASSEN, k=3, gemeente_code="GM0106")) == [1, 5, 2]
    assert ids(index.nearest(*ASSEN, k=2, gemeente_code="GM0106")) == [1, 5]
    # Also when nothing has a coordinate nearby.
    far = index.nearest(*MAASTRICHT, kinds=KINDS["loket"], k=5, gemeente_code="GM0505")
    assert ids(far) == [4] and far[0].distance_km is None


# -- the distance ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [(ASSEN, GRONINGEN), (AMSTERDAM, UTRECHT), (AMSTERDAM, MAASTRICHT), (ZWOLLE, UTRECHT), (GRONINGEN, MAASTRICHT)],
)
def test_distance_agrees_with_haversine(a: tuple[float, float], b: tuple[float, float]) -> None:
    assert distance_km(*a, *b) == pytest.approx(haversine_km(*a, *b), rel=0.01)
    assert distance_km(*a, *b) == pytest.approx(distance_km(*b, *a), rel=1e-12)
    found = CounterIndex([door(1, *b)]).nearest(*a, radius_km=1000)
    assert found[0].distance_km == pytest.approx(haversine_km(*a, *b), rel=0.01)


def test_distance_known_values() -> None:
    assert distance_km(*ASSEN, *ASSEN) == 0
    assert distance_km(52.0, 5.0, 53.0, 5.0) == pytest.approx(111.2, rel=0.01)  # one degree of latitude
    assert distance_km(*AMSTERDAM, *UTRECHT) == pytest.approx(35.2, rel=0.01)
    assert distance_km(*GRONINGEN, *MAASTRICHT) == pytest.approx(270.0, rel=0.01)


# -- against brute force ------------------------------------------------------------------------
def test_the_same_as_sorting_all_by_distance() -> None:
    rng = random.Random(20261126)
    kinds = ("ido", "overheidsbreed_loket", "other")
    doors = [door(i, rng.uniform(50.75, 53.55), rng.uniform(3.35, 7.2), kind=rng.choice(kinds)) for i in range(500)]
    index = CounterIndex(doors)
    queries = [(rng.uniform(50.75, 53.55), rng.uniform(3.35, 7.2)) for _ in range(150)]
    queries += [(d.lat, d.lon) for d in doors[:10]]  # right on a counter
    compared = 0
    for lat, lon in queries:
        for radius in (5.0, 25.0, 60.0, 150.0):
            for k in (1, 3, 10):
                for kind in ("ido", "all"):
                    wanted = KINDS[kind]
                    brute = sorted((haversine_km(lat, lon, d.lat, d.lon), d.id) for d in doors if d.kind in wanted)
                    expected = [i for dist, i in brute if dist <= radius][:k]
                    found = index.nearest(lat, lon, kinds=wanted, k=k, radius_km=radius)
                    got = ids(found)
                    assert got == expected, (lat, lon, radius, k, kind)
                    for f in found:
                        assert f.distance_km == pytest.approx(haversine_km(lat, lon, f.door.lat, f.door.lon), rel=0.01)
                        assert f.distance_km <= radius
                    compared += 1
    assert compared == 160 * 4 * 3 * 2


def test_a_big_radius_finds_the_far_counters() -> None:
    doors = [door(1, *GRONINGEN), door(2, *MAASTRICHT), door(3, *AMSTERDAM)]
    index = CounterIndex(doors)
    assert ids(index.nearest(*MAASTRICHT, k=3, radius_km=400)) == [2, 3, 1]
    assert ids(index.nearest(*GRONINGEN, k=3, radius_km=400)) == [1, 3, 2]


def destination(point: tuple[float, float], bearing: float, km: float) -> tuple[float, float]:
    """The point km away from point along a great circle (bearing in degrees from north)."""
    p1, l1, b = math.radians(point[0]), math.radians(point[1]), math.radians(bearing)
    d = km / 6371.0088
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def test_a_counter_just_inside_a_big_radius_is_found() -> None:
    vlissingen = (51.4425, 3.5736)
    true_km = distance_km(*vlissingen, *GRONINGEN)
    assert true_km == pytest.approx(283.5, abs=0.1)
    index = CounterIndex([door(1, *GRONINGEN)])
    for radius in (true_km + 0.5, true_km + 1.0, true_km * 1.005):
        found = index.nearest(*vlissingen, k=3, radius_km=radius)
        assert ids(found) == [1], radius
    assert ids(index.nearest(*vlissingen, k=3, radius_km=true_km - 0.5)) == []


def test_the_nearest_wins_whatever_its_direction() -> None:
    here = (51.0, 5.0)
    # One counter 100.0 km to the north-east, five a little further to the south-west.
    doors = [door(1, *destination(here, 45, 100.0))]
    doors += [door(10 + j, *destination(here, 225, 100.1 + 0.02 * j)) for j in range(5)]
    for d in doors:  # the setup is what it says
        assert haversine_km(*here, d.lat, d.lon) == pytest.approx(
            100.0 if d.id == 1 else 100.1 + 0.02 * (d.id - 10), abs=0.01
        )
    index = CounterIndex(doors)
    assert ids(index.nearest(*here, k=1, radius_km=150)) == [1]
    assert ids(index.nearest(*here, k=3, radius_km=150)) == [1, 10, 11]


# -- from the database --------------------------------------------------------------------------
def test_from_the_session_database(database_url: str) -> None:
    from wegwijzer.db.session import session_scope

    with session_scope(database_url) as session:
        index = CounterIndex.from_session(session)
    # tests/data/counters.csv: Ter Apel is the only test counter near 9561.
    found = index.nearest(52.877, 7.06, kinds=KINDS["ido"], k=5, gemeente_code="GM1950")
    assert [f.door.name for f in found] == ["IDO Proefbibliotheek Ter Apel"]
    assert found[0].distance_km == pytest.approx(0.0, abs=1e-6)
    # Assen: both Assen counters, the nearest first; Zwolle is 60 km away.
    found = index.nearest(*ASSEN, kinds=KINDS["ido"], k=5, radius_km=25)
    assert [f.door.name for f in found] == ["IDO Proefbibliotheek Assen", "IDO Proefbuurthuis Assen-Oost"]
    # Dordrecht: the overheidsbreed loket is known by gemeente only.
    found = index.nearest(51.8133, 4.6901, kinds=KINDS["loket"], k=5, gemeente_code="GM0505")
    assert [(f.door.name, f.distance_km) for f in found] == [("Overheidsbreed loket Drechtsteden (Dordrecht)", None)]
