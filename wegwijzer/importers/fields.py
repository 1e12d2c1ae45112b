"""Checks shared by the importers: each turns a field's text into its value
or adds a Dutch problem (shown with the line number) to `problems`."""

from __future__ import annotations

import datetime
import re
from typing import Any

import phonenumbers

from wegwijzer.places import NL_BOUNDS, Gazetteer
from wegwijzer.postcodes import normal_postcode
from wegwijzer.texts import cli as cli_text
from wegwijzer.vocabulary import topic_intents

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
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        problems.append(cli_text("field_bad_phone", value=value))
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def website(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        problems.append(cli_text("field_bad_website", value=value))
        return None
    return value


def topics(value: str, problems: list[str]) -> list[str]:
    known = set(topic_intents())
    topics = [t.strip() for t in value.split(";") if t.strip()]
    unknown = [t for t in topics if t not in known]
    if unknown:
        problems.append(cli_text("field_unknown_topics", topics=", ".join(unknown)))
    return [t for t in topics if t in known]


def date(value: str, problems: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(cli_text("field_bad_date", name="checked_on", value=value))
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
    """The counter's gemeente: as given, else from its postcode or coordinate."""
    if gemeente_code:
        gemeente = gazetteer.by_key.get(f"gm:{gemeente_code}")
        if gemeente is None:
            problems.append(cli_text("field_unknown_gemeente", code=gemeente_code))
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
        if where is not None:
            row["gemeente_code"], row["gemeente"] = where.gemeente_code, where.gemeente
            return
    row["gemeente_code"] = row["gemeente"] = None
    problems.append(cli_text("field_no_place"))
