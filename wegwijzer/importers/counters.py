"""Import counters (IDOs, overheidsbrede loketten, other doors) from a file.

Two kinds of file:

1. CSV (UTF-8, comma-separated, header row), one counter per row:

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

2. OpenStreetMap public libraries (`amenity=library`) as GeoJSON (a
   FeatureCollection, e.g. from overpass-turbo's export) or as Overpass API
   JSON (`out center;`). Most IDOs are in public libraries, so each library
   becomes a counter of kind `ido`, marked "IDO waarschijnlijk" and not
   confirmed, with the ODbL attribution. Private or school/university
   libraries are skipped.

Every row is validated first; bad rows are reported with their line (CSV) or
element number, and then nothing is imported. A good file is imported in
one transaction, upserting by (source, source_id), so importing the same file
again changes nothing.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Counter
from wegwijzer.places import NL_BOUNDS, Gazetteer

KINDS = {"ido", "overheidsbreed_loket", "other"}
TOPICS = {
    "topic_digid",
    "topic_toeslagen",
    "topic_belasting",
    "topic_inkomen",
    "topic_zorg",
    "topic_studie",
    "topic_schulden",
    "topic_wonen",
    "topic_documenten",
    "topic_brief",
    "topic_phishing",
    "topic_vaardigheden",
    "topic_apparaat",
    "find_ido",
    "find_loket",
}
YES = {"ja", "yes", "true", "1", "j", "y"}
NO = {"nee", "no", "false", "0", "n", ""}
OSM_SOURCE = "openstreetmap"
OSM_ATTRIBUTION = "© OpenStreetMap-bijdragers, ODbL (openstreetmap.org/copyright)"
OSM_NOTE = "IDO waarschijnlijk: openbare bibliotheek; vraag naar het Informatiepunt Digitale Overheid"
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    source: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def import_file(session: Session, path: Path, gazetteer: Gazetteer, source: str | None = None) -> ImportReport:
    """Validate and import a CSV, GeoJSON or Overpass JSON file (see module doc)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in {".json", ".geojson"} or text.lstrip().startswith("{"):
        rows, skipped, errors = _osm_rows(json.loads(text), gazetteer)
        source = source or OSM_SOURCE
    else:
        rows, skipped, errors = _csv_rows(text, gazetteer, source or path.stem)
        source = source or path.stem
    if errors:
        raise ImportFailed(errors)
    report = ImportReport(source=source, read=len(rows), skipped=skipped)
    sources = {row["source"] for row in rows}
    existing = {
        (c.source, c.source_id): c
        for c in session.execute(select(Counter).where(Counter.source.in_(sources))).scalars()
    }
    for row in rows:
        current = existing.get((row["source"], row["source_id"]))
        if current is None:
            session.add(Counter(**row))
            report.added += 1
            continue
        changed = False
        for key, value in row.items():
            if getattr(current, key) != value:
                setattr(current, key, value)
                changed = True
        report.updated += changed
        report.unchanged += not changed
    session.flush()
    return report


# -- CSV -------------------------------------------------------------------
def _csv_rows(text: str, gazetteer: Gazetteer, default_source: str) -> tuple[list[dict], list[str], list[str]]:
    reader = csv.DictReader(text.splitlines())
    missing = {"source_id", "kind", "name"} - set(reader.fieldnames or [])
    if missing:
        return [], [], [f"regel 1: kolommen ontbreken: {', '.join(sorted(missing))}"]
    rows, errors, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        problems: list[str] = []
        row = _csv_row(values, gazetteer, default_source, problems)
        key = (row.get("source"), row.get("source_id"))
        if key in seen:
            problems.append(f"source_id {row.get('source_id')!r} komt twee keer voor")
        seen.add(key)
        if problems:
            errors.extend(f"regel {line}: {p}" for p in problems)
        else:
            rows.append(row)
    return rows, [], errors


def _csv_row(values: dict[str, str], gazetteer: Gazetteer, default_source: str, problems: list[str]) -> dict:
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
        problems.append("source_id is leeg")
    if row["kind"] not in KINDS:
        problems.append(f"kind {row['kind']!r} moet ido, overheidsbreed_loket of other zijn")
    if not row["name"]:
        problems.append("name is leeg")
    row["by_appointment"] = _boolean(values.get("by_appointment", ""), "by_appointment", problems)
    row["confirmed"] = _boolean(values.get("confirmed", ""), "confirmed", problems)
    row["phone"] = _phone(values.get("phone", ""), problems)
    row["website"] = _website(values.get("website", ""), problems)
    row["topics"] = _topics(values.get("topics", ""), problems)
    row["checked_on"] = _date(values.get("checked_on", ""), problems)
    row["postcode"] = _postcode(values.get("postcode", ""), problems)
    row["lat"], row["lon"] = _coordinates(values.get("lat", ""), values.get("lon", ""), problems)
    _place_gemeente(row, values.get("gemeente_code", ""), gazetteer, problems)
    return row


def _boolean(value: str, name: str, problems: list[str]) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() not in NO:
        problems.append(f"{name} {value!r} moet ja of nee zijn")
    return False


def _phone(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        problems.append(f"telefoonnummer {value!r} is geen geldig nummer")
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _website(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        problems.append(f"website {value!r} moet met http:// of https:// beginnen")
        return None
    return value


def _topics(value: str, problems: list[str]) -> list[str]:
    topics = [t.strip() for t in value.split(";") if t.strip()]
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        problems.append(f"onbekende topics: {', '.join(unknown)}")
    return [t for t in topics if t in TOPICS]


def _date(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"checked_on {value!r} moet een datum JJJJ-MM-DD zijn")
        return None


def _postcode(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    match = POSTCODE.match(value.strip())
    if not match:
        problems.append(f"postcode {value!r} is geen Nederlandse postcode (1234 AB)")
        return None
    return f"{match.group(1)} {match.group(2).upper()}"


def _coordinates(lat: str, lon: str, problems: list[str]) -> tuple[float | None, float | None]:
    if not lat and not lon:
        return None, None
    try:
        la, lo = float(lat.replace(",", ".")), float(lon.replace(",", "."))
    except ValueError:
        problems.append(f"lat/lon {lat!r}, {lon!r} zijn geen getallen")
        return None, None
    south, north, west, east = NL_BOUNDS
    if not (south <= la <= north and west <= lo <= east):
        problems.append(f"lat/lon {la}, {lo} ligt niet in Nederland")
        return None, None
    return la, lo


def _place_gemeente(row: dict, gemeente_code: str, gazetteer: Gazetteer, problems: list[str]) -> None:
    """The counter's gemeente: as given, else from its postcode or coordinate."""
    if gemeente_code:
        gemeente = gazetteer.by_key.get(f"gm:{gemeente_code}")
        if gemeente is None:
            problems.append(f"gemeente_code {gemeente_code!r} bestaat niet")
            return
        row["gemeente_code"], row["gemeente"] = gemeente.gemeente_code, gemeente.gemeente
        return
    if row.get("postcode"):
        area = gazetteer.pc4.get(row["postcode"][:4])
        if area is not None:
            row["gemeente_code"], row["gemeente"] = area.gemeente_code, area.gemeente
            return
    if row.get("lat") is not None:
        where = gazetteer.resolve_coordinates(row["lat"], row["lon"]).location
        row["gemeente_code"], row["gemeente"] = where.gemeente_code, where.gemeente  # type: ignore[union-attr]
        return
    row["gemeente_code"] = row["gemeente"] = None
    problems.append("geen lat/lon, gemeente_code of bekende postcode: de plek is onbekend")


# -- OpenStreetMap ------------------------------------------------------------
def _osm_rows(doc: dict, gazetteer: Gazetteer) -> tuple[list[dict], list[str], list[str]]:
    if doc.get("type") == "FeatureCollection":
        elements = [_from_feature(f) for f in doc.get("features") or []]
    elif isinstance(doc.get("elements"), list):
        elements = [_from_overpass(e) for e in doc["elements"]]
    else:
        return [], [], ["het bestand is geen GeoJSON FeatureCollection en geen Overpass JSON"]
    rows, skipped, errors, seen = [], [], [], set()
    for number, (osm_id, lat, lon, tags) in enumerate(elements, start=1):
        where = f"element {number}" + (f" ({osm_id})" if osm_id else "")
        if tags.get("amenity") != "library":
            skipped.append(f"{where}: geen amenity=library")
            continue
        if tags.get("access") in {"private", "no"} or tags.get("library") in {"university", "school", "academic"}:
            skipped.append(f"{where}: geen openbare bibliotheek")
            continue
        problems = []
        if not osm_id:
            problems.append("geen OSM-id")
        if osm_id in seen:
            problems.append("komt twee keer voor")
        seen.add(osm_id)
        if lat is None or lon is None:
            problems.append("geen coördinaat")
        elif not (NL_BOUNDS[0] <= lat <= NL_BOUNDS[1] and NL_BOUNDS[2] <= lon <= NL_BOUNDS[3]):
            skipped.append(f"{where}: ligt niet in Nederland")
            continue
        if problems:
            errors.extend(f"{where}: {p}" for p in problems)
            continue
        street = " ".join(p for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p)
        ignored: list[str] = []  # an odd phone or website in OSM is left out, not fatal
        row = {
            "source": OSM_SOURCE,
            "source_id": osm_id,
            "kind": "ido",
            "name": tags.get("name") or "Openbare bibliotheek",
            "address": street or None,
            "postcode": _postcode(tags.get("addr:postcode", ""), []),
            "place": tags.get("addr:city"),
            "lat": lat,
            "lon": lon,
            "opening_hours": f"bibliotheek: {tags['opening_hours']}" if tags.get("opening_hours") else None,
            "walk_in": None,
            "by_appointment": False,
            "phone": _phone(tags.get("phone") or tags.get("contact:phone") or "", ignored),
            "website": _website(tags.get("website") or tags.get("contact:website") or "", ignored),
            "topics": [],
            "confirmed": False,
            "checked_on": None,
            "status_note": OSM_NOTE,
            "attribution": OSM_ATTRIBUTION,
        }
        _place_gemeente(row, "", gazetteer, [])
        rows.append(row)
    return rows, skipped, errors


def _from_feature(feature: dict) -> tuple[str | None, float | None, float | None, dict]:
    props = dict(feature.get("properties") or {})
    tags = props.get("tags") if isinstance(props.get("tags"), dict) else props
    osm_id = props.get("@id") or props.get("id") or feature.get("id")
    lat, lon = _centre(feature.get("geometry") or {})
    return (str(osm_id) if osm_id else None), lat, lon, tags


def _from_overpass(element: dict) -> tuple[str | None, float | None, float | None, dict]:
    osm_id = f"{element.get('type')}/{element.get('id')}" if element.get("id") is not None else None
    if "lat" in element and "lon" in element:
        lat, lon = element["lat"], element["lon"]
    else:
        centre = element.get("center") or {}
        lat, lon = centre.get("lat"), centre.get("lon")
    return osm_id, lat, lon, element.get("tags") or {}


def _centre(geometry: dict) -> tuple[float | None, float | None]:
    """A point's coordinate, or the mean of a polygon's outline."""
    coords = geometry.get("coordinates")
    if geometry.get("type") == "Point" and coords:
        return float(coords[1]), float(coords[0])
    points: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, (int, float)) for v in value[:2]):
            points.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(coords)
    if not points:
        return None, None
    return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)
