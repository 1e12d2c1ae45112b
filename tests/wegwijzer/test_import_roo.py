"""Every gemeente's front desk from the Register van Overheidsorganisaties:
the importer on the real export (shipped in wegwijzer/data/roo/), a newer
export updating in place, and a bad file refused as a whole."""

from __future__ import annotations

import csv
import io
from collections import Counter as Tally
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Counter, DoorChange
from wegwijzer.db.session import session_scope
from wegwijzer.importers.counters import ImportFailed, import_file
from wegwijzer.importers.roo import parse_address, roo_rows
from wegwijzer.places import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "wegwijzer" / "data" / "roo" / "Gemeenten.csv"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('roo-db') / 'wegwijzer.db'}"
    ensure_database(url)  # loads the shipped export too
    return url


@pytest.fixture(scope="module")
def gazetteer(url: str) -> Gazetteer:
    with session_scope(url) as session:
        return Gazetteer.from_session(session)


def test_the_real_export_gives_every_gemeente_a_front_desk(gazetteer: Gazetteer) -> None:
    rows, skipped, errors = roo_rows(EXPORT.read_text(encoding="utf-8-sig"), gazetteer)
    assert (len(rows), skipped, errors) == (342, [], [])
    assert len({r["gemeente_code"] for r in rows}) == 342
    assert {r["gemeente_code"] for r in rows} == {
        loc.gemeente_code for k, loc in gazetteer.by_key.items() if k.startswith("gm:")
    }
    counts = {
        field: sum(bool(r[field]) for r in rows)
        for field in ("address", "postcode", "place", "phone", "website", "appointment_url", "checked_on")
    }
    assert counts == {
        "address": 342,
        "postcode": 342,
        "place": 342,
        "phone": 342,
        "website": 342,
        "appointment_url": 324,
        "checked_on": 342,
    }
    assert sum(r["phone"].startswith("14 ") for r in rows) == 125  # the gemeente's own 14 + netnummer
    assert all(r["lat"] is not None and r["lon"] is not None for r in rows)
    assert all(not r["place"].isupper() for r in rows), "places in normal case, not capitals"
    assert min(r["checked_on"] for r in rows) == date(2025, 9, 25)
    assert max(r["checked_on"] for r in rows) == date(2026, 4, 15)
    assert Tally(r["kind"] for r in rows) == {"gemeente": 342}
    assert all(r["attribution"].startswith("Register van Overheidsorganisaties") for r in rows)


def test_known_front_desks(gazetteer: Gazetteer) -> None:
    rows = {r["gemeente_code"]: r for r in roo_rows(EXPORT.read_text(encoding="utf-8-sig"), gazetteer)[0]}
    kampen = rows["GM0166"]
    assert (kampen["name"], kampen["address"], kampen["postcode"], kampen["place"]) == (
        "Gemeente Kampen",
        "Burg Berghuisplein 1",
        "8261 DD",
        "Kampen",
    )
    assert kampen["phone"] == "14 038"
    assert kampen["checked_on"] == date(2026, 4, 4)
    assert rows["GM1950"]["place"] == "Sellingen" and rows["GM1950"]["phone"] == "0599 32 02 20"
    assert rows["GM0518"]["place"] == "'s-Gravenhage"  # the CBS name
    assert rows["GM0358"]["phone"] == "0297 38 75 75"  # "(0297) 38 75 75" the Dutch way
    # Molenlanden has no coordinate in the register: the gemeente's point.
    molenlanden = gazetteer.by_key["gm:GM1978"]
    assert (rows["GM1978"]["lat"], rows["GM1978"]["lon"]) == (molenlanden.lat, molenlanden.lon)


def test_an_address_value_may_hold_commas_and_colons() -> None:
    parsed = parse_address(
        "adresType: Bezoekadres, toelichting: Gemeentehuis: Kerklaan 16, 1261 JB Blaricum, "
        "openbareRuimte: Zuidersingel, huisnummer: 5, postcode: 3755AZ, woonplaats: Eemnes"
    )
    assert parsed["toelichting"] == "Gemeentehuis: Kerklaan 16, 1261 JB Blaricum"
    assert (parsed["openbareRuimte"], parsed["huisnummer"], parsed["woonplaats"]) == ("Zuidersingel", "5", "Eemnes")


def edited_export(tmp_path: Path, change: dict[str, dict[str, str]], drop: set[str]) -> Path:
    """A copy of the export with some cells changed and some gemeenten left out (by TOOi code)."""
    text = EXPORT.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in reader:
        code = row["TOOi URI"].rsplit("/", 1)[-1]
        if code in drop:
            continue
        row.update(change.get(code, {}))
        writer.writerow(row)
    path = tmp_path / "Gemeenten-nieuw.csv"
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return path


def test_a_newer_export_updates_in_place_and_says_what_changed(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = edited_export(tmp_path, {"gm0166": {"Telefoonnummers ": "(038) 339 29 99, label: algemeen"}}, {"gm0106"})
    with session_scope(url) as session:
        before = {c.source_id: c.id for c in session.execute(select(Counter).where(Counter.source == "roo")).scalars()}
        report = import_file(session, path, gazetteer)  # the format is picked from the header
    assert report.format == "roo" and report.source == "roo"
    assert report.changed == ["Gemeente Kampen"]
    assert report.removed == ["Gemeente Assen"]
    assert report.added == [] and report.unchanged == 340
    with session_scope(url) as session:
        doors = {c.source_id: c for c in session.execute(select(Counter).where(Counter.source == "roo")).scalars()}
        assert doors["GM0166"].phone == "038 339 29 99" and doors["GM0166"].id == before["GM0166"]
        assert doors["GM0106"].retired_at is not None  # kept for the history, no longer shown
        history = (
            session.execute(
                select(DoorChange).where(DoorChange.counter_id == doors["GM0166"].id).order_by(DoorChange.id.desc())
            )
            .scalars()
            .first()
        )
        assert history is not None and history.actor == "import:roo"
        assert history.changes["phone"] == ["14 038", "038 339 29 99"]
    # The export as it was brings Assen back and Kampen's number.
    with session_scope(url) as session:
        again = import_file(session, EXPORT, gazetteer)
    assert sorted(again.changed) == ["Gemeente Assen", "Gemeente Kampen"] and again.removed == []


def test_a_bad_export_is_refused_with_line_numbers(url: str, gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = edited_export(
        tmp_path,
        {
            "gm0197": {"TOOi URI": ""},
            "gm0059": {
                "Adressen (type, toelichting, straat, "
                "huisnummer, toevoeging, postbus, postcode, plaats, regio, provincieAfkorting, land, "
                "centroideLatitude, centroideLongitude, centroideRdx, centroideRdy)": "adresType: Postadres"
            },
        },
        set(),
    )
    with session_scope(url) as session:
        count_before = len(session.execute(select(Counter.id)).all())
        with pytest.raises(ImportFailed) as failure:
            import_file(session, path, gazetteer, fmt="roo")
    errors = failure.value.errors
    assert [e.split(":")[0] for e in errors] == ["regel 4", "regel 5"]
    assert "Aalten: geen GM-code" in errors[0] and "Achtkarspelen: geen bezoekadres" in errors[1]
    with session_scope(url) as session:
        assert len(session.execute(select(Counter.id)).all()) == count_before
