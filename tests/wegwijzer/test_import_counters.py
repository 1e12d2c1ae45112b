"""Importing counters from CSV, GeoJSON and Overpass JSON into a real SQLite
database of this module's own (reference data loaded by ensure_database).

Each test uses its own source name, so the tests share the database without
seeing each other's rows.
"""

from __future__ import annotations

import csv
import json
import math
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Counter
from wegwijzer.db.session import session_scope
from wegwijzer.importers.counters import ImportFailed, ImportReport, import_file
from wegwijzer.places import Gazetteer

COLUMNS = [
    "source_id",
    "kind",
    "name",
    "address",
    "postcode",
    "place",
    "gemeente_code",
    "lat",
    "lon",
    "opening_hours",
    "walk_in",
    "by_appointment",
    "phone",
    "website",
    "appointment_url",
    "topics",
    "confirmed",
    "checked_on",
    "status_note",
    "attribution",
]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('import-db') / 'wegwijzer.db'}"
    ensure_database(url)
    return url


@pytest.fixture(scope="module")
def gazetteer(url: str) -> Gazetteer:
    with session_scope(url) as session:
        return Gazetteer.from_session(session)


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


def run_import(url: str, gazetteer: Gazetteer, path: Path, source: str | None = None) -> ImportReport:
    with session_scope(url) as session:
        return import_file(session, path, gazetteer, source=source)


def counters(url: str, source: str) -> dict[str, Counter]:
    with session_scope(url) as session:
        rows = session.execute(select(Counter).where(Counter.source == source)).scalars().all()
        session.expunge_all()
    return {row.source_id: row for row in rows}


def count(url: str, source: str) -> int:
    with session_scope(url) as session:
        return session.execute(select(func.count(Counter.id)).where(Counter.source == source)).scalar_one()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


GOOD_ROWS = [
    {
        "source_id": "noord-1",
        "kind": "ido",
        "name": "Testinformatiepunt Noord",
        "address": "Teststraat 1",
        "postcode": "9401aa",
        "place": "Assen",
        "lat": "52.9929",
        "lon": "6.5642",
        "opening_hours": "Mo-Fr 10:00-17:00; PH off",
        "walk_in": "ja",
        "by_appointment": "nee",
        "phone": "0800-0543",
        "website": "https://example.org/noord",
        "appointment_url": "https://example.org/noord/afspraak",
        "topics": "topic_digid; topic_toeslagen",
        "confirmed": "ja",
        "checked_on": "2026-11-01",
        "status_note": "proef",
        "attribution": "Testgegevens",
    },
    {
        "source_id": "loket-1",
        "kind": "overheidsbreed_loket",
        "name": "Testloket Dordrecht",
        "gemeente_code": "GM0505",
        "by_appointment": "ja",
        "confirmed": "nee",
    },
    {"source_id": "deur-1", "kind": "other", "name": "Testdeur Ter Apel", "postcode": "9561 AB"},
    {"source_id": "zuid-1", "kind": "ido", "name": "Testinformatiepunt Zuid", "lat": "51.4416", "lon": "5.4697"},
]


# -- a good CSV --------------------------------------------------------------------
def test_a_good_csv_imports_every_row(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "proefloketten.csv", GOOD_ROWS)
    report = run_import(url, gazetteer, path)
    assert report.source == "proefloketten"  # the file name, without source column or option
    assert (report.read, len(report.added), report.updated, report.unchanged) == (4, 4, 0, 0)
    rows = counters(url, "proefloketten")
    assert sorted(rows) == ["deur-1", "loket-1", "noord-1", "zuid-1"]

    noord = rows["noord-1"]
    assert noord.kind == "ido"
    assert noord.name == "Testinformatiepunt Noord"
    assert noord.address == "Teststraat 1"
    assert noord.postcode == "9401 AA"
    assert (noord.lat, noord.lon) == (52.9929, 6.5642)
    assert (noord.gemeente_code, noord.gemeente) == ("GM0106", "Assen")
    assert noord.phone == "0800 0543"
    assert noord.website == "https://example.org/noord"
    assert noord.appointment_url == "https://example.org/noord/afspraak"
    assert noord.topics == ["topic_digid", "topic_toeslagen"]
    assert noord.status == "confirmed"  # the older column "confirmed: ja"
    assert noord.by_appointment is False
    assert noord.checked_on == date(2026, 11, 1)
    assert noord.opening_hours == "Mo-Fr 10:00-17:00; PH off"
    assert noord.walk_in is True
    assert noord.status_note == "proef"
    assert noord.attribution == "Testgegevens"

    loket = rows["loket-1"]  # known by gemeente only
    assert loket.kind == "overheidsbreed_loket"
    assert (loket.lat, loket.lon) == (None, None)
    assert (loket.gemeente_code, loket.gemeente) == ("GM0505", "Dordrecht")
    assert loket.by_appointment is True and loket.status == "unchecked"
    assert loket.phone is None and loket.website is None and loket.postcode is None
    assert loket.topics == [] and loket.checked_on is None

    deur = rows["deur-1"]  # placed by its postcode: its gemeente and the point of its PC4 area
    assert (deur.gemeente_code, deur.gemeente) == ("GM1950", "Westerwolde")
    area = gazetteer.pc4["9561"]
    assert (deur.lat, deur.lon) == (area.lat, area.lon)

    zuid = rows["zuid-1"]  # placed by its coordinate
    assert (zuid.gemeente_code, zuid.gemeente) == ("GM0772", "Eindhoven")


def test_importing_again_is_idempotent_and_a_change_is_an_update(
    url: str, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "loketten.csv", GOOD_ROWS)
    first = run_import(url, gazetteer, path, source="idempotent")
    assert (first.read, len(first.added), first.updated, first.unchanged) == (4, 4, 0, 0)
    before = {k: (c.id, c.opening_hours, c.phone) for k, c in counters(url, "idempotent").items()}

    again = run_import(url, gazetteer, path, source="idempotent")
    assert (again.read, len(again.added), again.updated, again.unchanged) == (4, 0, 0, 4)
    assert count(url, "idempotent") == 4
    assert {k: (c.id, c.opening_hours, c.phone) for k, c in counters(url, "idempotent").items()} == before

    changed = [dict(row) for row in GOOD_ROWS]
    changed[3]["opening_hours"] = "Sa 10:00-13:00"
    write_csv(path, changed)
    third = run_import(url, gazetteer, path, source="idempotent")
    assert (third.read, len(third.added), third.updated, third.unchanged) == (4, 0, 1, 3)
    rows = counters(url, "idempotent")
    assert len(rows) == 4
    assert rows["zuid-1"].opening_hours == "Sa 10:00-13:00"
    assert rows["zuid-1"].id == before["zuid-1"][0]  # updated in place, not a new row
    assert rows["noord-1"].opening_hours == "Mo-Fr 10:00-17:00; PH off"

    fourth = run_import(url, gazetteer, path, source="idempotent")
    assert (len(fourth.added), fourth.updated, fourth.unchanged) == (0, 0, 4)


def test_the_source_column_wins_over_the_file_name(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    rows = [{**GOOD_ROWS[3], "source": "gemeente-eindhoven-lijst"}]
    path = write_csv(tmp_path / "eigen-bron.csv", rows, ["source", *COLUMNS])
    report = run_import(url, gazetteer, path)
    assert (report.read, len(report.added)) == (1, 1)
    assert sorted(counters(url, "gemeente-eindhoven-lijst")) == ["zuid-1"]
    assert count(url, "eigen-bron") == 0


# -- bad rows: every one reported, nothing imported ------------------------------------------
BAD_FILE = [
    # line 2: good
    {"source_id": "ok-1", "kind": "ido", "name": "Testinformatiepunt Goed", "lat": "52.5125", "lon": "6.0917"},
    # line 3: unknown kind
    {"source_id": "bad-kind", "kind": "bieb", "name": "Testbibliotheek", "gemeente_code": "GM0193"},
    # line 4: not a Dutch postcode
    {"source_id": "bad-postcode", "kind": "ido", "name": "Test", "postcode": "95611 AB", "lat": "52.9", "lon": "6.5"},
    # line 5: not a phone number
    {"source_id": "bad-phone", "kind": "ido", "name": "Test", "gemeente_code": "GM0106", "phone": "12345"},
    # line 6: a coordinate in Paris
    {
        "source_id": "bad-latlon",
        "kind": "ido",
        "name": "Test",
        "gemeente_code": "GM0106",
        "lat": "48.8566",
        "lon": "2.3522",
    },
    # line 7: good
    {"source_id": "ok-2", "kind": "overheidsbreed_loket", "name": "Testloket Goed", "gemeente_code": "GM0505"},
    # line 8: the same source_id again
    {"source_id": "ok-1", "kind": "ido", "name": "Dubbel", "gemeente_code": "GM0106"},
    # line 9: no way to place it
    {"source_id": "bad-nowhere", "kind": "ido", "name": "Test", "place": "Ergens"},
    # line 10: a postcode that does not exist, and nothing else to place it by
    {"source_id": "bad-unknown-pc", "kind": "ido", "name": "Test", "postcode": "1000 AA"},
    # line 11: a website without http(s)
    {
        "source_id": "bad-website",
        "kind": "ido",
        "name": "Test",
        "gemeente_code": "GM0106",
        "website": "www.example.org",
    },
    # line 12: a required value left empty
    {"source_id": "bad-name", "kind": "ido", "name": "", "gemeente_code": "GM0106"},
    # line 13: a gemeente code that does not exist
    {"source_id": "bad-gemeente", "kind": "ido", "name": "Test", "gemeente_code": "GM9999"},
    # line 14: good
    {"source_id": "ok-3", "kind": "other", "name": "Testdeur Goed", "postcode": "9561 AB"},
    # line 15: opening hours that are not OpenStreetMap syntax
    {"source_id": "bad-hours", "kind": "ido", "name": "Test", "gemeente_code": "GM0106", "opening_hours": "ma-vr 9-5"},
    # line 16: walk-in that is not ja or nee
    {"source_id": "bad-walk-in", "kind": "ido", "name": "Test", "gemeente_code": "GM0106", "walk_in": "di 10-12"},
]
BAD_LINES = {
    3: "'bieb'",
    4: "postcode '95611 AB'",
    5: "telefoonnummer '12345'",
    6: "niet in Nederland",
    8: "twee keer",
    9: "plek is onbekend",
    10: "plek is onbekend",
    11: "website 'www.example.org'",
    12: "name is leeg",
    13: "gemeente_code 'GM9999' bestaat niet",
    15: "opening_hours 'ma-vr 9-5' is niet in de OpenStreetMap-notatie",
    16: "walk_in 'di 10-12' moet ja of nee zijn",
}


def test_bad_rows_are_all_reported_with_their_line_and_nothing_is_imported(
    url: str, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "slecht.csv", BAD_FILE)
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path, source="bad-rows")
    errors = failure.value.errors
    assert len(errors) == len(BAD_LINES), errors
    for line, error in zip(sorted(BAD_LINES), errors, strict=False):
        assert error.startswith(f"regel {line}: "), (line, error)
        assert BAD_LINES[line] in error, (line, error)
    assert str(failure.value) == "\n".join(errors)
    # The good rows (lines 2, 7 and 14) were not imported either.
    assert count(url, "bad-rows") == 0


def test_a_missing_required_column_is_reported_and_nothing_is_imported(
    url: str, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    columns = [c for c in COLUMNS if c != "kind"]
    path = write_csv(tmp_path / "zonder-kind.csv", [GOOD_ROWS[1], GOOD_ROWS[3]], columns)
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path, source="missing-column")
    assert failure.value.errors == ["regel 1: kolommen ontbreken: kind"]
    assert count(url, "missing-column") == 0


def test_a_failed_import_leaves_earlier_rows_as_they_were(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eerst.csv", GOOD_ROWS)
    run_import(url, gazetteer, path, source="keep")
    before = {k: (c.name, c.opening_hours) for k, c in counters(url, "keep").items()}
    changed = [dict(row) for row in GOOD_ROWS]
    changed[0]["opening_hours"] = "Mo 09:00-12:00"  # would be an update ...
    changed[1]["kind"] = "fout"  # ... but this row is bad
    write_csv(path, changed)
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path, source="keep")
    assert [e.split(":")[0] for e in failure.value.errors] == ["regel 3"]
    assert {k: (c.name, c.opening_hours) for k, c in counters(url, "keep").items()} == before


# -- phone numbers and websites -------------------------------------------------------------
@pytest.mark.parametrize("typed", ["0800 0543", "0800-0543", "08000543", "+31 800 0543", "+31800-0543"])
def test_phone_numbers_are_formatted(url: str, gazetteer: Gazetteer, tmp_path: Path, typed: str) -> None:
    path = write_csv(tmp_path / "telefoon.csv", [{**GOOD_ROWS[1], "phone": typed}])
    source = f"phone-{typed}"
    report = run_import(url, gazetteer, path, source=source)
    assert len(report.added) == 1
    assert counters(url, source)["loket-1"].phone == "0800 0543"


@pytest.mark.parametrize("typed", ["12345", "bel ons", "0800", "+31 6", "0800 0543 0543 0543"])
def test_bad_phone_numbers_are_refused(url: str, gazetteer: Gazetteer, tmp_path: Path, typed: str) -> None:
    path = write_csv(tmp_path / "telefoon.csv", [{**GOOD_ROWS[1], "phone": typed}])
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path, source=f"bad-phone-{typed}")
    assert failure.value.errors == [f"regel 2: telefoonnummer {typed!r} is geen geldig nummer"]
    assert count(url, f"bad-phone-{typed}") == 0


@pytest.mark.parametrize(
    "typed", ["https://example.org", "http://example.org/ido?plaats=assen", "https://www.example.nl/"]
)
def test_http_websites_are_kept(url: str, gazetteer: Gazetteer, tmp_path: Path, typed: str) -> None:
    path = write_csv(tmp_path / "website.csv", [{**GOOD_ROWS[1], "website": typed}])
    source = f"website-{typed}"
    run_import(url, gazetteer, path, source=source)
    assert counters(url, source)["loket-1"].website == typed


@pytest.mark.parametrize(
    "typed",
    ["www.example.org", "example.org", "ftp://example.org", "javascript:alert(1)", "https://", "mailto:a@example.org"],
)
def test_other_websites_are_refused(url: str, gazetteer: Gazetteer, tmp_path: Path, typed: str) -> None:
    path = write_csv(tmp_path / "website.csv", [{**GOOD_ROWS[1], "website": typed}])
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path, source=f"bad-website-{typed}")
    assert len(failure.value.errors) == 1
    assert failure.value.errors[0].startswith(f"regel 2: website {typed!r}")
    assert count(url, f"bad-website-{typed}") == 0


# -- OpenStreetMap libraries -------------------------------------------------------------------
def _square(lon: float, lat: float, size: float = 0.001) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {  # overpass-turbo style: the id in the properties as "@id"
            "type": "Feature",
            "properties": {
                "@id": "node/9100001",
                "amenity": "library",
                "name": "Testbibliotheek Noord",
                "addr:street": "Testweg",
                "addr:housenumber": "12",
                "addr:postcode": "9712aa",
                "addr:city": "Groningen",
                "opening_hours": "Mo-Fr 10:00-17:00",
            },
            "geometry": {"type": "Point", "coordinates": [6.5665, 53.2194]},
            "id": "node/9100001",
        },
        {  # a building outline, the id on the feature only
            "type": "Feature",
            "id": "way/9100002",
            "properties": {"amenity": "library", "name": "Testbibliotheek Zuid"},
            "geometry": {"type": "Polygon", "coordinates": _square(5.4790, 51.4380)},
        },
        {
            "type": "Feature",
            "properties": {
                "@id": "node/9100003",
                "amenity": "library",
                "name": "Testbibliotheek Besloten",
                "access": "private",
            },
            "geometry": {"type": "Point", "coordinates": [5.1, 52.09]},
        },
        {
            "type": "Feature",
            "properties": {
                "@id": "node/9100004",
                "amenity": "library",
                "name": "Testuniversiteitsbibliotheek",
                "library": "university",
            },
            "geometry": {"type": "Point", "coordinates": [5.17, 52.08]},
        },
        {
            "type": "Feature",
            "properties": {"@id": "node/9100005", "amenity": "school", "name": "Testschool"},
            "geometry": {"type": "Point", "coordinates": [5.12, 52.1]},
        },
    ],
}

OVERPASS = {
    "version": 0.6,
    "elements": [
        {
            "type": "node",
            "id": 9200001,
            "lat": 52.5125,
            "lon": 6.0917,
            "tags": {"amenity": "library", "name": "Testbibliotheek Oost", "website": "https://example.org/oost"},
        },
        {
            "type": "way",
            "id": 9200002,
            "center": {"lat": 52.0894, "lon": 5.1100},
            "tags": {"amenity": "library", "name": "Testbibliotheek Midden", "addr:postcode": "3511 AA"},
        },
        {
            "type": "node",
            "id": 9200003,
            "lat": 52.37,
            "lon": 4.89,
            "tags": {"amenity": "library", "name": "Testbibliotheek Privé", "access": "private"},
        },
        {
            "type": "way",
            "id": 9200004,
            "center": {"lat": 51.99, "lon": 4.37},
            "tags": {"amenity": "library", "library": "university", "name": "Testbibliotheek Universiteit"},
        },
        {"type": "node", "id": 9200005, "lat": 52.0, "lon": 5.0, "tags": {"amenity": "townhall", "name": "Testhuis"}},
        {"type": "node", "id": 9200006, "lat": 52.1, "lon": 5.1, "tags": {"shop": "books"}},
    ],
}


def _osm_common(row: Counter) -> None:
    assert row.source == "openstreetmap"
    assert row.kind == "ido"
    assert row.status == "probable"
    assert "IDO waarschijnlijk" in (row.status_note or "")
    assert "OpenStreetMap" in (row.attribution or "") and "ODbL" in (row.attribution or "")
    assert row.topics == [] and row.by_appointment is False


def test_geojson_libraries_import_as_likely_idos(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "bibliotheken.geojson"
    path.write_text(json.dumps(GEOJSON), encoding="utf-8")
    report = run_import(url, gazetteer, path)
    assert report.source == "openstreetmap"
    assert (report.read, len(report.added), report.updated, report.unchanged) == (2, 2, 0, 0)
    assert len(report.skipped) == 3
    assert all(any(osm_id in s for s in report.skipped) for osm_id in ("node/9100003", "node/9100004", "node/9100005"))

    rows = {k: v for k, v in counters(url, "openstreetmap").items() if k.startswith(("node/91", "way/91"))}
    assert sorted(rows) == ["node/9100001", "way/9100002"]
    noord = rows["node/9100001"]
    _osm_common(noord)
    assert noord.name == "Testbibliotheek Noord"
    assert (noord.lat, noord.lon) == (53.2194, 6.5665)
    assert noord.address == "Testweg 12"
    assert noord.postcode == "9712 AA"
    assert noord.place == "Groningen"
    assert (noord.gemeente_code, noord.gemeente) == ("GM0014", "Groningen")
    assert noord.opening_hours == "Mo-Fr 10:00-17:00"  # the library's hours (the note says so)
    assert "openingstijden zijn die van de bibliotheek" in (noord.status_note or "")

    zuid = rows["way/9100002"]
    _osm_common(zuid)
    assert zuid.name == "Testbibliotheek Zuid"
    # A point of the polygon: within the outline, within 50 m of its centre.
    assert 51.4380 <= zuid.lat <= 51.4390 and 5.4790 <= zuid.lon <= 5.4800
    assert haversine_km(zuid.lat, zuid.lon, 51.4385, 5.4795) < 0.05
    assert (zuid.gemeente_code, zuid.gemeente) == ("GM0772", "Eindhoven")

    again = run_import(url, gazetteer, path)
    assert (again.read, len(again.added), again.updated, again.unchanged) == (2, 0, 0, 2)


def test_overpass_libraries_import_as_likely_idos(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps(OVERPASS), encoding="utf-8")
    report = run_import(url, gazetteer, path)
    assert (report.read, len(report.added), report.updated, report.unchanged) == (2, 2, 0, 0)
    assert len(report.skipped) == 4
    for osm_id in ("node/9200003", "way/9200004", "node/9200005", "node/9200006"):
        assert any(osm_id in s for s in report.skipped), (osm_id, report.skipped)

    rows = {k: v for k, v in counters(url, "openstreetmap").items() if k.startswith(("node/92", "way/92"))}
    assert sorted(rows) == ["node/9200001", "way/9200002"]
    oost = rows["node/9200001"]
    _osm_common(oost)
    assert oost.name == "Testbibliotheek Oost"
    assert (oost.lat, oost.lon) == (52.5125, 6.0917)
    assert (oost.gemeente_code, oost.gemeente) == ("GM0193", "Zwolle")
    assert oost.website == "https://example.org/oost"
    midden = rows["way/9200002"]
    _osm_common(midden)
    assert (midden.lat, midden.lon) == (52.0894, 5.1100)
    assert midden.postcode == "3511 AA"
    assert midden.gemeente_code == "GM0344"  # Utrecht

    again = run_import(url, gazetteer, path)
    assert (again.read, len(again.added), again.updated, again.unchanged) == (2, 0, 0, 2)
    assert len([k for k in counters(url, "openstreetmap") if k.startswith(("node/92", "way/92"))]) == 2


def test_an_osm_library_without_a_coordinate_fails_the_whole_file(
    url: str, gazetteer: Gazetteer, tmp_path: Path
) -> None:
    doc = {
        "elements": [
            {
                "type": "node",
                "id": 9300001,
                "lat": 52.0,
                "lon": 5.0,
                "tags": {"amenity": "library", "name": "Testbibliotheek West"},
            },
            {"type": "way", "id": 9300002, "tags": {"amenity": "library", "name": "Testbibliotheek Zonder Plek"}},
        ]
    }
    path = tmp_path / "zonder-plek.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        run_import(url, gazetteer, path)
    assert len(failure.value.errors) == 1
    assert failure.value.errors[0].startswith("element 2 (way/9300002): ")
    assert "coördinaat" in failure.value.errors[0]
    assert not [k for k in counters(url, "openstreetmap") if k.startswith(("node/93", "way/93"))]
