"""The load step: places and organisations from wegwijzer/data into the
database, and the known overheidsbrede loketten as counters.

Idempotent: rows are matched on their natural key (place kind + code,
organisation id, counter source + source id) and updated in place, so
running it again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import LoadedData, Organisation, Place
from wegwijzer.placenames import official_places
from wegwijzer.vocabulary import DoorKind, Standing

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
GEONAMES_CBS = "GeoNames (CC BY 4.0) en CBS (CC BY 4.0), zie SOURCES.md"
LOKETTEN_SOURCE = "overheidsbrede_loketten.json"
ROO_FILE = "roo/Gemeenten.csv"  # a copy of the register's export, see SOURCES.md


@dataclass
class LoadReport:
    places: int = 0
    organisations: int = 0
    counters: int = 0


def _upsert(session: Session, model: type, key: dict[str, Any], values: dict[str, Any]) -> None:
    row = session.execute(select(model).filter_by(**key)).scalar_one_or_none()
    if row is None:
        session.add(model(**key, **values))
        return
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def pc4_areas(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """One point per PC4 area.

    Where GeoNames lists a PC4 under several woonplaatsen far apart (2324
    under both Leiden and Amersfoort; 9999 under six towns), the mean of
    their points lies somewhere in between, in neither. Then the point of the
    woonplaats nearest to the neighbouring PC4 areas is used: postcodes are
    numbered by area, so 2323 and 2325 tell that 2324 is in Leiden.
    """
    rows: dict[str, list[dict[str, str]]] = {}
    with open(data_dir / "pc4_woonplaats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["pc4"], []).append(row)
    single = {pc4: (float(r[0]["lat"]), float(r[0]["lon"])) for pc4, r in rows.items() if len(r) == 1}
    areas = []
    with open(data_dir / "pc4.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pc4 = row["pc4"]
            candidates = rows.get(pc4, [])
            lat, lon = float(row["lat"]), float(row["lon"])
            chosen = candidates[0] if candidates else None
            spread = max((abs(float(c["lat"]) - lat) + abs(float(c["lon"]) - lon) for c in candidates), default=0)
            if len(candidates) > 1 and spread > 0.1:  # more than ~10 km apart
                neighbours = [single[n] for n in (str(int(pc4) + d) for d in (-3, -2, -1, 1, 2, 3)) if n in single]
                if neighbours:
                    centre = (
                        sum(n[0] for n in neighbours) / len(neighbours),
                        sum(n[1] for n in neighbours) / len(neighbours),
                    )
                    chosen = min(
                        candidates,
                        key=lambda c: (float(c["lat"]) - centre[0]) ** 2 + (float(c["lon"]) - centre[1]) ** 2,
                    )
                    lat, lon = float(chosen["lat"]), float(chosen["lon"])
            if chosen is not None and (lat, lon) == (float(chosen["lat"]), float(chosen["lon"])):
                gemeente_code, gemeente, provincie = (
                    chosen["gemeente_code"],
                    chosen["gemeente_naam"],
                    chosen["provincie"],
                )
            else:
                gemeente_code = row["gemeente_codes"].split(";")[0]
                gemeente = row["gemeente_namen"].split(";")[0]
                provincie = row["provincie"].split(";")[0]
            towns = row["woonplaatsen"].split(";")
            if chosen is not None and chosen["woonplaats"] in towns:  # the chosen town first
                towns.remove(chosen["woonplaats"])
                towns.insert(0, chosen["woonplaats"])
            areas.append(
                {
                    "pc4": pc4,
                    "lat": lat,
                    "lon": lon,
                    "gemeente_code": gemeente_code,
                    "gemeente": gemeente,
                    "provincie": provincie,
                    "woonplaatsen": ";".join(towns),
                }
            )
    return areas


def load_places(session: Session, data_dir: Path = DATA_DIR) -> int:
    existing = {(p.kind, p.code): p for p in session.execute(select(Place)).scalars()}
    count = 0

    def put(kind: str, code: str, **values: object) -> None:
        nonlocal count
        count += 1
        row = existing.get((kind, code))
        if row is None:
            session.add(Place(kind=kind, code=code, source=GEONAMES_CBS, **values))
            return
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)

    for pc4 in pc4_areas(data_dir):
        put(
            "pc4",
            pc4["pc4"],
            name=pc4["pc4"],
            gemeente_code=pc4["gemeente_code"],
            gemeente=pc4["gemeente"],
            provincie=pc4["provincie"],
            lat=pc4["lat"],
            lon=pc4["lon"],
            woonplaatsen=pc4["woonplaatsen"],
        )
    for place in official_places(data_dir):
        put(
            place.kind,
            place.code,
            name=place.name,
            gemeente_code=place.gemeente_code,
            gemeente=place.gemeente,
            provincie=place.provincie,
            lat=place.lat,
            lon=place.lon,
            woonplaatsen=None,
        )
    return count


def load_organisations(session: Session, data_dir: Path = DATA_DIR) -> int:
    doc = json.loads((data_dir / "organisaties.json").read_text(encoding="utf-8"))
    for row in doc["organisaties"]:
        _upsert(
            session,
            Organisation,
            {"id": row["id"]},
            {
                "name": row["naam"],
                "topics": list(row.get("onderwerpen") or []),
                "phone": row.get("telefoon"),
                "phone_cost": row.get("telefoon_kosten"),
                "phone_hours": row.get("telefoon_openingstijden"),
                "website": row.get("website"),
                "sources": list(row.get("bronnen") or []),
                "confirmed": bool(row.get("bevestigd")),
                "note": row.get("opmerking"),
                "phone_source_date": (
                    date.fromisoformat(row["telefoon_bron_datum"]) if row.get("telefoon_bron_datum") else None
                ),
                "no_national_number": bool(row.get("geen_landelijk_nummer")),
            },
        )
    return len(doc["organisaties"])


def loket_rows(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The known overheidsbrede loketten: known by gemeente, no address; a
    location the source calls a trial is a trial."""
    doc = json.loads((data_dir / "overheidsbrede_loketten.json").read_text(encoding="utf-8"))
    return [
        {
            "source": LOKETTEN_SOURCE,
            "source_id": row["gemeente_code"],
            "kind": DoorKind.LOKET.value,
            "name": f"{row['initiatief']} ({row['gemeente_naam']})",
            "address": row.get("adres"),
            "postcode": None,
            "place": row["gemeente_naam"],
            "gemeente_code": row["gemeente_code"],
            "gemeente": row["gemeente_naam"],
            "lat": row.get("lat"),
            "lon": row.get("lon"),
            "opening_hours": None,
            "walk_in": False,
            "by_appointment": False,
            "phone": None,
            "website": None,
            "appointment_url": None,
            "topics": [],
            "status": (Standing.TRIAL if row.get("status") == "proef" else Standing.CONFIRMED).value,
            "status_note": row.get("omschrijving"),
            "attribution": row.get("bron"),
            "checked_on": date.fromisoformat(row["bron_datum"]) if row.get("bron_datum") else None,
        }
        for row in doc["locaties"]
    ]


def load_doors(session: Session, data_dir: Path = DATA_DIR) -> int:
    """The overheidsbrede loketten and every gemeente's front desk (the
    shipped copy of the Register van Overheidsorganisaties)."""
    from wegwijzer.importers.counters import save_rows
    from wegwijzer.importers.roo import SOURCE as ROO
    from wegwijzer.importers.roo import roo_rows
    from wegwijzer.places import Gazetteer

    session.flush()
    loketten = loket_rows(data_dir)
    save_rows(session, loketten, LOKETTEN_SOURCE, "json")
    desks, _, errors = roo_rows((data_dir / ROO_FILE).read_text(encoding="utf-8-sig"), Gazetteer.from_session(session))
    if errors:
        raise ValueError(f"{ROO_FILE}: " + "; ".join(errors[:5]))
    save_rows(session, desks, ROO, "roo", retire_missing=True)
    return len(loketten) + len(desks)


REFERENCE_FILES = (
    "pc4.csv",
    "pc4_woonplaats.csv",
    "woonplaatsen.csv",
    "gemeenten.csv",
    "organisaties.json",
    "overheidsbrede_loketten.json",
    ROO_FILE,
)


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A hash of the shipped reference data files."""
    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def is_loaded(session: Session, data_dir: Path = DATA_DIR) -> bool:
    """Whether the database holds this version of the reference data."""
    row = session.get(LoadedData, "reference")
    return row is not None and row.fingerprint == fingerprint(data_dir)


def load_reference_data(session: Session, data_dir: Path = DATA_DIR) -> LoadReport:
    report = LoadReport(
        places=load_places(session, data_dir),
        organisations=load_organisations(session, data_dir),
        counters=load_doors(session, data_dir),
    )
    _upsert(session, LoadedData, {"name": "reference"}, {"fingerprint": fingerprint(data_dir)})
    return report
