"""Checks shared by the importers: each turns a field's text into its value
or adds a Dutch problem (shown with the line number) to `problems`."""

from __future__ import annotations

import datetime
import re
from typing import Any

from wegwijzer import hours
from wegwijzer.phones import parse_phone
from wegwijzer.places import NL_BOUNDS, Gazetteer
from wegwijzer.postcodes import normal_postcode
from wegwijzer.texts import cli as cli_text
from wegwijzer.vocabulary import DoorKind, Standing, topic_intents

YES = {"ja", "yes", "true", "1", "j", "y"}
NO = {"nee", "no", "false", "0", "n", ""}


def boolean(value: str, name: str, problems: list[str]) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() not in NO:
        problems.append(cli_text("field_not_yes_no", name=name, value=value))
    return False


def phone(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    number = parse_phone(value)
    if number is None:
        problems.append(cli_text("field_bad_phone", value=value))
    return number


def website(value: str, problems: list[str], name: str = "website") -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        problems.append(cli_text("field_bad_website", name=name, value=value))
        return None
    return value


def opening_hours(value: str, problems: list[str]) -> str | None:
    """Opening hours in OpenStreetMap syntax ("Mo-Fr 09:00-17:00")."""
    if not value:
        return None
    if hours.problem(value) is not None:
        problems.append(cli_text("field_bad_hours", value=value))
        return None
    return value


def kind(value: str, problems: list[str]) -> str:
    kinds = [k.value for k in DoorKind]
    if value not in kinds:
        problems.append(cli_text("field_bad_kind", value=value, kinds=", ".join(kinds)))
    return value


def standing(status: str, confirmed: str, problems: list[str]) -> str:
    """The `status` column (confirmed, trial, probable, unchecked); an older
    file's `confirmed` (ja/nee) means confirmed or unchecked."""
    if status:
        if status not in {s.value for s in Standing}:
            problems.append(cli_text("field_bad_status", value=status, statuses=", ".join(s.value for s in Standing)))
        return Standing.of(status).value
    return (Standing.CONFIRMED if boolean(confirmed, "confirmed", problems) else Standing.UNCHECKED).value


def topics(value: str, problems: list[str]) -> list[str]:
    known = set(topic_intents())
    topics = [t.strip() for t in value.split(";") if t.strip()]
    unknown = [t for t in topics if t not in known]
    if unknown:
        problems.append(cli_text("field_unknown_topics", topics=", ".join(unknown)))
    return [t for t in topics if t in known]


def date(value: str, problems: list[str], name: str = "checked_on") -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(cli_text("field_bad_date", name=name, value=value))
        return None


def postcode(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    postcode = normal_postcode(value)
    if postcode is None:
        problems.append(cli_text("field_bad_postcode", value=value))
    return postcode


def coordinates(lat: str, lon: str, problems: list[str]) -> tuple[float | None, float | None]:
    if not lat and not lon:
        return None, None
    try:
        la, lo = float(lat.replace(",", ".")), float(lon.replace(",", "."))
    except ValueError:
        problems.append(cli_text("field_coordinates_not_numbers", lat=lat, lon=lon))
        return None, None
    south, north, west, east = NL_BOUNDS
    if not (south <= la <= north and west <= lo <= east):
        problems.append(cli_text("field_coordinates_abroad", lat=la, lon=lo))
        return None, None
    return la, lo


def place_gemeente(row: dict[str, Any], gemeente_code: str, gazetteer: Gazetteer, problems: list[str]) -> None:
    """The door's gemeente: as given, else from its postcode or coordinate;
    and its coordinate from the postcode's area when none was given."""
    area = gazetteer.pc4.get(row["postcode"][:4]) if row.get("postcode") else None
    if row.get("lat") is None and area is not None:
        row["lat"], row["lon"] = area.lat, area.lon
    if gemeente_code:
        gemeente = gazetteer.by_key.get(f"gm:{gemeente_code}")
        if gemeente is None:
            problems.append(cli_text("field_unknown_gemeente", code=gemeente_code))
            return
        row["gemeente_code"], row["gemeente"] = gemeente.gemeente_code, gemeente.gemeente
        return
    if area is not None:
        row["gemeente_code"], row["gemeente"] = area.gemeente_code, area.gemeente
        return
    if row.get("lat") is not None:
        where = gazetteer.resolve_coordinates(row["lat"], row["lon"]).location
        if where is not None:
            row["gemeente_code"], row["gemeente"] = where.gemeente_code, where.gemeente
            return
    row["gemeente_code"] = row["gemeente"] = None
    problems.append(cli_text("field_no_place"))
