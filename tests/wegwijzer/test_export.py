"""Open data out: the directory as Open Referral HSDS, read back; and the
import CSV, whose round trip gives the same directory."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import func, select

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Counter
from wegwijzer.db.session import session_scope
from wegwijzer.exporters import TABLES, export_csv, export_hsds, weekly_hours
from wegwijzer.importers.counters import import_file
from wegwijzer.places import Gazetteer


def read(folder: Path, table: str) -> list[dict[str, str]]:
    with open(folder / f"{table}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_hsds_export_reads_back(database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        counts = export_hsds(session, tmp_path)
        shown = session.execute(select(func.count(Counter.id)).where(Counter.retired_at.is_(None))).scalar_one()
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert {r["path"] for r in package["resources"]} == {f"{t}.csv" for t in TABLES}
    for resource in package["resources"]:
        rows = read(tmp_path, resource["path"].removesuffix(".csv"))
        with open(tmp_path / resource["path"], encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert len({r["id"] for r in rows}) == len(rows), "ids are unique"
    assert any("Register van Overheidsorganisaties" in lic["title"] for lic in package["licenses"])
    assert any(lic["name"] == "CC-BY-4.0" for lic in package["licenses"])
    services, locations = read(tmp_path, "services"), read(tmp_path, "locations")
    assert len(services) == len(locations) == shown == counts["services"]
    by_id = {loc["id"]: loc for loc in locations}
    links = read(tmp_path, "service_at_location")
    assert all(link["location_id"] in by_id for link in links) and len(links) == shown
    kampen = next(s for s in services if s["name"] == "Gemeente Kampen")
    assert kampen["url"] == "https://www.kampen.nl/afspraak-maken" and kampen["assured_date"] == "2026-04-04"
    kampen_location = next(loc for loc in locations if loc["name"] == "Gemeente Kampen")
    address = next(a for a in read(tmp_path, "addresses") if a["location_id"] == kampen_location["id"])
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) == (
        "Burg Berghuisplein 1",
        "8261 DD",
        "Kampen",
        "NL",
    )
    phone = next(p for p in read(tmp_path, "phones") if p["location_id"] == kampen_location["id"])
    assert phone["number"] == "14 038"
    assen = next(loc for loc in locations if loc["name"] == "IDO Proefbibliotheek Assen")
    days = [s["byday"] for s in read(tmp_path, "schedules") if s["location_id"] == assen["id"]]
    assert days == ["MO", "TU", "WE", "TH", "FR"]
    # A second export keeps the same ids.
    again = tmp_path / "again"
    with session_scope() as session:
        export_hsds(session, again)
    assert read(again, "locations") == locations


def test_weekly_hours_from_osm_syntax() -> None:
    assert weekly_hours("Mo,We 09:00-12:00,13:00-17:00; Sa 10:00-12:00") == [
        ("MO", "09:00", "12:00"),
        ("MO", "13:00", "17:00"),
        ("WE", "09:00", "12:00"),
        ("WE", "13:00", "17:00"),
        ("SA", "10:00", "12:00"),
    ]
    assert weekly_hours(None) == [] and weekly_hours("niet te lezen") == []


def test_the_csv_export_imports_to_the_same_directory(database_url: str, tmp_path: Path) -> None:
    exported = tmp_path / "deuren.csv"
    with session_scope() as session:
        rows = export_csv(session, exported)
    url = f"sqlite:///{tmp_path / 'kopie.db'}"
    ensure_database(url)
    with session_scope(url) as session:
        report = import_file(session, exported, Gazetteer.from_session(session))
    assert report.read == rows
    again = tmp_path / "weer.csv"
    with session_scope(url) as session:
        export_csv(session, again)
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
