"""Doors from a CSV file (UTF-8, comma-separated, header row), one per row.
`wegwijzer export --format csv` writes the same columns, so an export can be
imported again.

| column          | required | meaning |
|-----------------|----------|---------|
| source_id       | yes      | the row's id in its source; with `source` the upsert key |
| kind            | yes      | ido, overheidsbreed_loket, gemeente, bibliotheek, buurtteam, sociaal_raadslieden, |
|                 |          | schuldhulp or other |
| name            | yes      | name of the door, e.g. "IDO Bibliotheek Assen" |
| source          | no       | where the list comes from (default: the file name) |
| address         | no       | street and number |
| postcode        | no       | Dutch postcode, `1234 AB` |
| place           | no       | woonplaats |
| gemeente_code   | no       | CBS code `GM0106`; found from the postcode when empty |
| lat, lon        | no       | WGS84; from the postcode's area when empty (without either: found by gemeente only) |
| opening_hours   | no       | OpenStreetMap syntax: `Mo-Fr 09:00-17:00; Sa 10:00-12:00; PH off` |
| walk_in         | no       | `ja` when people can walk in (inloop) |
| by_appointment  | no       | `ja` when it is by appointment (op afspraak) |
| phone           | no       | Dutch phone number, also "14 038"; checked and written the Dutch way |
| website         | no       | http(s) address |
| appointment_url | no       | http(s) address to make an appointment online |
| topics          | no       | topic intents it helps with, `;`-separated (topic_digid;topic_toeslagen) |
| status          | no       | confirmed, trial, probable or unchecked (an older `confirmed` column: ja/nee) |
| checked_on      | no       | when the facts were last confirmed, `YYYY-MM-DD` |
| status_note     | no       | a short note shown with the door |
| attribution     | no       | licence/attribution text of the source |

Each row needs a coordinate (lat and lon), a gemeente_code or a known
postcode: a door we cannot place is refused.
"""

from __future__ import annotations

import csv
from typing import Any

from wegwijzer.importers import fields
from wegwijzer.places import Gazetteer
from wegwijzer.texts import cli as cli_text

COLUMNS = (
    "source_id",
    "kind",
    "name",
    "source",
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
    "status",
    "checked_on",
    "status_note",
    "attribution",
)
REQUIRED = ("source_id", "kind", "name")


def csv_rows(text: str, gazetteer: Gazetteer, default_source: str) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    reader = csv.DictReader(text.splitlines())
    missing = set(REQUIRED) - set(reader.fieldnames or [])
    if missing:
        problem = cli_text("csv_missing_columns", columns=", ".join(sorted(missing)))
        return [], [], [cli_text("csv_line", line=1, problem=problem)]
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[tuple[Any, Any]] = set()
    for line, raw in enumerate(reader, start=2):
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        problems: list[str] = []
        row = csv_row(values, gazetteer, default_source, problems)
        key = (row.get("source"), row.get("source_id"))
        if key in seen:
            problems.append(cli_text("csv_duplicate_id", id=row.get("source_id")))
        seen.add(key)
        if problems:
            errors.extend(cli_text("csv_line", line=line, problem=p) for p in problems)
        else:
            rows.append(row)
    return rows, [], errors


def csv_row(values: dict[str, str], gazetteer: Gazetteer, default_source: str, problems: list[str]) -> dict[str, Any]:
    """One door's columns from a row's texts (also for doors typed on the staff page)."""
    row: dict[str, Any] = {
        "source": values.get("source") or default_source,
        "source_id": values.get("source_id", ""),
        "name": values.get("name", ""),
        "address": values.get("address") or None,
        "place": values.get("place") or None,
        "status_note": values.get("status_note") or None,
        "attribution": values.get("attribution") or None,
    }
    for name in REQUIRED:
        if not values.get(name):
            problems.append(cli_text("field_empty", name=name))
    row["kind"] = fields.kind(values.get("kind", ""), problems) if values.get("kind") else ""
    row["opening_hours"] = fields.opening_hours(values.get("opening_hours", ""), problems)
    row["walk_in"] = fields.boolean(values.get("walk_in", ""), "walk_in", problems)
    row["by_appointment"] = fields.boolean(values.get("by_appointment", ""), "by_appointment", problems)
    row["status"] = fields.standing(values.get("status", ""), values.get("confirmed", ""), problems)
    row["phone"] = fields.phone(values.get("phone", ""), problems)
    row["website"] = fields.website(values.get("website", ""), problems)
    row["appointment_url"] = fields.website(values.get("appointment_url", ""), problems, name="appointment_url")
    row["topics"] = fields.topics(values.get("topics", ""), problems)
    row["checked_on"] = fields.date(values.get("checked_on", ""), problems)
    row["postcode"] = fields.postcode(values.get("postcode", ""), problems)
    row["lat"], row["lon"] = fields.coordinates(values.get("lat", ""), values.get("lon", ""), problems)
    fields.place_gemeente(row, values.get("gemeente_code", ""), gazetteer, problems)
    return row
