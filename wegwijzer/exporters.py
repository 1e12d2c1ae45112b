"""The directory as open data, so gemeenten and sociale-kaart tools can reuse it.

- `export_csv`: the import schema of `wegwijzer import` (csv_counters.COLUMNS):
  export, import, and the directory is the same.
- `export_hsds`: Open Referral HSDS 3.0 as CSV tables (organizations,
  services, locations, service_at_location, addresses, phones, schedules)
  with a `datapackage.json` that names every table's fields, the sources of
  the rows and their licences. Identifiers are UUIDs derived from the door's
  source and id, so a new export keeps the same ids.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer import hours
from wegwijzer.db.models import Counter
from wegwijzer.importers.csv_counters import COLUMNS
from wegwijzer.texts import cli as cli_text
from wegwijzer.texts import say
from wegwijzer.vocabulary import DoorKind, Standing

NAMESPACE = uuid.UUID("2f0bfe71-5d7c-4b3e-9f67-6a3c2b8e1d10")  # Wegwijzer's own, for stable ids
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The licence of each source of rows, as far as the source says (SOURCES.md).
LICENCES: dict[str, dict[str, str]] = {
    "roo": {
        "name": "Register van Overheidsorganisaties (KOOP/BZK), open data for re-use",
        "path": "https://organisaties.overheid.nl",
        "title": "Bron: Register van Overheidsorganisaties",
    },
    "openstreetmap": {
        "name": "ODbL-1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        "title": "© OpenStreetMap-bijdragers",
    },
    "overheidsbrede_loketten.json": {
        "name": "facts from public web pages (see SOURCES.md)",
        "path": "",
        "title": "Wegwijzer, overheidsbrede loketten",
    },
}
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "description", "website"),
    "services": ("id", "organization_id", "name", "description", "url", "status", "assured_date", "alert"),
    "locations": ("id", "organization_id", "location_type", "name", "description", "latitude", "longitude"),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "addresses": ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "phones": ("id", "location_id", "service_id", "number", "type", "description"),
    "schedules": (
        "id",
        "service_id",
        "location_id",
        "freq",
        "wkst",
        "byday",
        "opens_at",
        "closes_at",
        "description",
        "attending_type",
    ),
}


RESOURCE_NAMES = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_location": "service_at_location",
    "addresses": "address",
    "phones": "phone",
    "schedules": "schedule",
}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _doors(session: Session, include_retired: bool = False) -> list[Counter]:
    query = select(Counter).order_by(Counter.source, Counter.source_id)
    if not include_retired:
        query = query.where(Counter.retired_at.is_(None))
    return list(session.execute(query).scalars())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_csv(session: Session, path: Path, include_retired: bool = False) -> int:
    """The doors in the import schema; returns the number of rows."""
    doors = _doors(session, include_retired)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for door in doors:
            writer.writerow({column: _text(getattr(door, column)) for column in COLUMNS})
    return len(doors)


def weekly_hours(expression: str | None) -> list[tuple[str, str, str]]:
    """(day, opens, closes) for an ordinary week, from OSM opening hours."""
    if not expression:
        return []
    try:
        parsed = hours.parse(expression)
    except hours.PARSE_ERRORS:
        return []
    # A week without public holidays: the first Monday of February next year.
    start = datetime(datetime.now(UTC).year + 1, 2, 1, tzinfo=hours.ZONE)
    start += timedelta(days=(7 - start.weekday()) % 7)
    spans = []
    for begin, end, state, _comment in parsed.intervals(start, start + timedelta(days=7)):
        if str(state).lower() == "open":
            begin, end = begin.astimezone(hours.ZONE), end.astimezone(hours.ZONE)
            closes = "24:00" if end.date() > begin.date() and end.time().hour == 0 else end.strftime("%H:%M")
            spans.append((DAYS[begin.weekday()], begin.strftime("%H:%M"), closes))
    return spans


def _write(folder: Path, table: str, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=TABLES[table])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _text(row.get(k)) for k in TABLES[table]})
            count += 1
    return count


def export_hsds(session: Session, folder: Path) -> dict[str, int]:
    """The doors as HSDS tables in `folder`; returns the rows per table."""
    doors = _doors(session)
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    organizations: dict[str, dict[str, Any]] = {}
    for door in doors:
        org_key = door.name if door.kind == DoorKind.GEMEENTE else f"{door.source}:{door.source_id}"
        org_id = _id("organization", org_key)
        organizations.setdefault(
            org_id, {"id": org_id, "name": door.name, "website": door.website, "description": say(f"kind_{door.kind}")}
        )
        service_id, location_id = (
            _id("service", door.source, door.source_id),
            _id("location", door.source, door.source_id),
        )
        alert = {Standing.TRIAL: say("card_trial"), Standing.UNCHECKED: say("card_not_checked")}.get(
            Standing.of(door.status), ""
        )
        tables["services"].append(
            {
                "id": service_id,
                "organization_id": org_id,
                "name": door.name,
                "url": door.appointment_url or door.website,
                "description": " ".join(p for p in (say(f"kind_{door.kind}"), door.status_note or "") if p),
                "status": "active",
                "assured_date": door.checked_on,
                "alert": alert,
            }
        )
        tables["locations"].append(
            {
                "id": location_id,
                "organization_id": org_id,
                "location_type": "physical",
                "name": door.name,
                "description": door.attribution,
                "latitude": door.lat,
                "longitude": door.lon,
            }
        )
        tables["service_at_location"].append(
            {
                "id": _id("service_at_location", service_id, location_id),
                "service_id": service_id,
                "location_id": location_id,
            }
        )
        if door.address or door.place:
            tables["addresses"].append(
                {
                    "id": _id("address", location_id),
                    "location_id": location_id,
                    "address_1": door.address,
                    "city": door.place,
                    "state_province": door.gemeente,
                    "postal_code": door.postcode,
                    "country": "NL",
                    "address_type": "physical",
                }
            )
        if door.phone:
            tables["phones"].append(
                {
                    "id": _id("phone", location_id),
                    "location_id": location_id,
                    "service_id": service_id,
                    "number": door.phone,
                    "type": "voice",
                }
            )
        attending = "in_person"
        for n, (day, opens, closes) in enumerate(weekly_hours(door.opening_hours)):
            tables["schedules"].append(
                {
                    "id": _id("schedule", location_id, n),
                    "service_id": service_id,
                    "location_id": location_id,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": day,
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": door.opening_hours,
                    "attending_type": attending,
                }
            )
    tables["organizations"] = list(organizations.values())
    counts = {name: _write(folder, name, rows) for name, rows in tables.items()}
    sources = sorted({door.source for door in doors})
    package = {
        "name": "wegwijzer-directory",
        "title": cli_text("hsds_title"),
        "profile": "tabular-data-package",
        "version": "3.0",
        "homepage": "https://docs.openreferral.org",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": [
            {"title": LICENCES.get(s, {}).get("title", s), "path": LICENCES.get(s, {}).get("path", "")} for s in sources
        ],
        "licenses": [
            {"name": LICENCES[s]["name"], "path": LICENCES[s]["path"], "title": LICENCES[s]["title"]}
            for s in sources
            if s in LICENCES
        ]
        + [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Plaatsen en gemeenten: GeoNames en CBS",
            }
        ],
        "resources": [
            {
                "name": RESOURCE_NAMES[name],
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": [{"name": field, "type": "string"} for field in columns], "primaryKey": "id"},
            }
            for name, columns in TABLES.items()
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {
        "organizations": counts["organizations"],
        "services": counts["services"],
        "locations": counts["locations"],
        "phones": counts["phones"],
        "schedules": counts["schedules"],
    }
