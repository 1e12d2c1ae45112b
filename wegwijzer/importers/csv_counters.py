"""Counters from a CSV file (UTF-8, comma-separated, header row), one per row:

| column         | required | meaning |
|----------------|----------|---------|
| source_id      | yes      | the row's id in its source; with `source` the upsert key |
| kind           | yes      | `ido`, `overheidsbreed_loket` or `other` |
| name           | yes      | name of the counter, e.g. "IDO Bibliotheek Assen" |
| source         | no       | where the list comes from (default: the file name) |
| address        | no       | street and number |
| postcode       | no       | Dutch postcode, `1234 AB` |
| place          | no       | woonplaats |
| gemeente_code  | no       | CBS code `GM0106`; found from the postcode when empty |
| lat, lon       | no       | WGS84; a counter without them is found by gemeente only |
| opening_hours  | no       | free text, as the source gives it |
| walk_in        | no       | walk-in hours, free text |
| by_appointment | no       | `ja`/`nee` (also true/false, 1/0) |
| phone          | no       | Dutch phone number; checked and formatted |
| website        | no       | http(s) address |
| topics         | no       | topic intents it helps with, `;`-separated (topic_digid;topic_toeslagen) |
| confirmed      | no       | `ja` when the facts were checked with the counter itself |
| checked_on     | no       | date of that check, `YYYY-MM-DD` |
| status_note    | no       | a short note shown with the counter |
| attribution    | no       | licence/attribution text of the source |

Each row needs a coordinate (lat and lon), a gemeente_code or a known
postcode: a counter we cannot place is refused.
"""

from __future__ import annotations

import csv
from typing import Any

from wegwijzer.importers.fields import (
    boolean,
    coordinates,
    date,
    phone,
    place_gemeente,
    postcode,
    topics,
    website,
)
from wegwijzer.places import Gazetteer
from wegwijzer.texts import cli as cli_text

KINDS = {"ido", "overheidsbreed_loket", "other"}


def csv_rows(text: str, gazetteer: Gazetteer, default_source: str) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    reader = csv.DictReader(text.splitlines())
    missing = {"source_id", "kind", "name"} - set(reader.fieldnames or [])
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
    row: dict[str, Any] = {
        "source": values.get("source") or default_source,
        "source_id": values.get("source_id", ""),
        "kind": values.get("kind", ""),
        "name": values.get("name", ""),
        "address": values.get("address") or None,
        "place": values.get("place") or None,
        "opening_hours": values.get("opening_hours") or None,
        "walk_in": values.get("walk_in") or None,
        "status_note": values.get("status_note") or None,
        "attribution": values.get("attribution") or None,
    }
    if not row["source_id"]:
        problems.append(cli_text("field_empty", name="source_id"))
    if row["kind"] not in KINDS:
        problems.append(cli_text("field_bad_kind", value=row["kind"], kinds=", ".join(sorted(KINDS))))
    if not row["name"]:
        problems.append(cli_text("field_empty", name="name"))
    row["by_appointment"] = boolean(values.get("by_appointment", ""), "by_appointment", problems)
    row["confirmed"] = boolean(values.get("confirmed", ""), "confirmed", problems)
    row["phone"] = phone(values.get("phone", ""), problems)
    row["website"] = website(values.get("website", ""), problems)
    row["topics"] = topics(values.get("topics", ""), problems)
    row["checked_on"] = date(values.get("checked_on", ""), problems)
    row["postcode"] = postcode(values.get("postcode", ""), problems)
    row["lat"], row["lon"] = coordinates(values.get("lat", ""), values.get("lon", ""), problems)
    place_gemeente(row, values.get("gemeente_code", ""), gazetteer, problems)
    return row
