"""Every gemeente's front desk, from the "Gemeenten" export of the Register
van Overheidsorganisaties (ROO, organisaties.overheid.nl; KOOP for BZK):
`;`-separated, UTF-8 with a BOM, one row per gemeente, 46 columns. The
gemeenten keep their own entries up to date; "Datum ter verificatie" says
when a gemeente last confirmed its entry.

Each row becomes a door of kind `gemeente`: the general visiting address
(`Bezoekadres`), its coordinate (else the gemeente's point from
gemeenten.csv), the general phone number, the website, the
online-appointment link and the date the gemeente confirmed it. The GM code
comes from the TOOi URI (`.../gemeente/gm0106`), because `Organisatiecode` is
empty for some rows. A file is refused as a whole when a row has no GM code,
no visiting address or a gemeente the CBS list does not know.
"""

from __future__ import annotations

import csv
import datetime
import re
from typing import Any

from wegwijzer.phones import parse_phone
from wegwijzer.placenames import default_place_names, normalize
from wegwijzer.places import NL_BOUNDS, Gazetteer
from wegwijzer.postcodes import normal_postcode
from wegwijzer.texts import cli as cli_text
from wegwijzer.vocabulary import DoorKind, Standing

SOURCE = "roo"
ATTRIBUTION = "Register van Overheidsorganisaties (organisaties.overheid.nl), KOOP/BZK"
NAME = "Officiële naam"
ADDRESSES = "Adressen"  # the header goes on: "(type, toelichting, straat, ...)"
PHONES = "Telefoonnummers"  # the header has a trailing space
WEBSITES = "Internetpagina's"
APPOINTMENT = "Online afspraak url"
TOOI = "TOOi URI"
CHECKED = "Datum ter verificatie"
MARKERS = (NAME, TOOI, CHECKED)  # a header with these is a ROO export
GM_CODE = re.compile(r"/gemeente/gm(\d{4})$", re.IGNORECASE)
ADDRESS_KEYS = (
    "adresType",
    "toelichting",
    "openbareRuimte",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "postbus",
    "postcode",
    "woonplaats",
    "regio",
    "provincieAfkorting",
    "land",
    "terAttentieVan",
    "centroideLatitude",
    "centroideLongitude",
    "centroideRdx",
    "centroideRdy",
)
KEY = re.compile(r"(?:^|, )(" + "|".join(ADDRESS_KEYS) + r"): ")
FRONT_DESK = "Bezoekadres"
PROVINCES = {"DR", "FL", "FR", "GLD", "GN", "GR", "LB", "LI", "NB", "NH", "OV", "UT", "ZE", "ZH", "ZL"}


def is_roo(header: str) -> bool:
    """Whether a file's first line is the header of a ROO export."""
    return header.count(";") > 10 and all(marker in header for marker in MARKERS)


def parse_address(text: str) -> dict[str, str]:
    """'adresType: Bezoekadres, openbareRuimte: Spiekersteeg, huisnummer: 1, ...'
    → {"adresType": "Bezoekadres", ...}; values may hold ", " and ": "."""
    keys = list(KEY.finditer(text))
    values = {}
    for n, key in enumerate(keys):
        end = keys[n + 1].start() if n + 1 < len(keys) else len(text)
        values[key.group(1)] = text[key.end() : end].strip()
    return values


def addresses(cell: str) -> list[dict[str, str]]:
    return [parse_address(part) for part in re.split(r";(?=adresType: )", cell) if part.strip()]


def labelled(cell: str, label: str = "algemeen") -> str | None:
    """'14 0592, label: algemeen;...' → the first entry with that label, else the first."""
    entries = [part.strip() for part in cell.split(";") if part.strip()]
    for entry in entries:
        value, _, rest = entry.partition(", label: ")
        if rest.strip().lower() == label:
            return value.strip()
    return entries[0].partition(", label: ")[0].strip() if entries else None


def place_name(written: str) -> str:
    """'GIETEN' → 'Gieten', "'S-GRAVENHAGE" → "'s-Gravenhage": the CBS name where it
    is one, else each word with a capital."""
    names = default_place_names()
    official = names.official(written)
    if official is not None and normalize(official) == normalize(written):
        return official
    return " ".join(
        w if w.lower() in {"aan", "den", "de", "op", "ter", "van", "en"} else w.capitalize()
        for w in written.lower().split()
    )


def roo_rows(text: str, gazetteer: Gazetteer) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    reader = csv.DictReader(text.splitlines(), delimiter=";")
    columns = {name.strip(): name for name in reader.fieldnames or []}
    address_column = next((name for name in columns.values() if name.startswith(ADDRESSES)), None)
    missing = [c for c in (NAME, TOOI, CHECKED, PHONES, WEBSITES, APPOINTMENT) if c not in columns]
    if address_column is None:
        missing.append(ADDRESSES)
    if missing:
        problem = cli_text("csv_missing_columns", columns=", ".join(missing))
        return [], [], [cli_text("csv_line", line=1, problem=problem)]
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for raw in reader:
        line = reader.line_num
        values = {name.strip(): (value or "").strip() for name, value in raw.items() if name}
        problems: list[str] = []
        row = roo_row(values, values.get(address_column.strip(), "") if address_column else "", gazetteer, problems)
        if row.get("source_id") in seen:
            problems.append(cli_text("csv_duplicate_id", id=row["source_id"]))
        seen.add(row.get("source_id", ""))
        if problems:
            errors.extend(cli_text("csv_line", line=line, problem=p) for p in problems)
        else:
            rows.append(row)
    return rows, [], errors


def roo_row(values: dict[str, str], address_cell: str, gazetteer: Gazetteer, problems: list[str]) -> dict[str, Any]:
    code = GM_CODE.search(values.get(TOOI, ""))
    gemeente_code = f"GM{code.group(1)}" if code else None
    gemeente = gazetteer.by_key.get(f"gm:{gemeente_code}") if gemeente_code else None
    if gemeente_code is None:
        problems.append(cli_text("roo_no_gm_code", name=values.get(NAME) or "?"))
    elif gemeente is None:
        problems.append(cli_text("field_unknown_gemeente", code=gemeente_code))
    desk = next((a for a in addresses(address_cell) if a.get("adresType") == FRONT_DESK), None)
    if desk is None or not desk.get("openbareRuimte") or not desk.get("woonplaats"):
        problems.append(cli_text("roo_no_front_desk", name=values.get(NAME) or "?"))
        desk = desk or {}
    number = (desk.get("huisnummer") or "") + (desk.get("huisletter") or "")
    if desk.get("toevoeging"):
        number += f"-{desk['toevoeging']}"
    street = " ".join(p for p in (desk.get("openbareRuimte"), number) if p)
    lat, lon = _coordinate(desk)
    if lat is None and gemeente is not None:
        lat, lon = gemeente.lat, gemeente.lon
    checked: datetime.date | None = None
    try:
        checked = datetime.datetime.strptime(values.get(CHECKED, ""), "%d-%m-%Y").date()
    except ValueError:
        if values.get(CHECKED):
            problems.append(cli_text("field_bad_date", name=CHECKED, value=values.get(CHECKED)))
    phone_text = labelled(values.get(PHONES, ""))
    website = labelled(values.get(WEBSITES, ""))
    appointment = values.get(APPOINTMENT) or None
    return {
        "source": SOURCE,
        "source_id": gemeente_code or "",
        "kind": DoorKind.GEMEENTE.value,
        "name": values.get(NAME) or (f"Gemeente {gemeente.gemeente}" if gemeente else ""),
        "address": street or None,
        "postcode": normal_postcode(desk.get("postcode", "")),
        "place": place_name(desk["woonplaats"]) if desk.get("woonplaats") else None,
        "gemeente_code": gemeente_code,
        "gemeente": gemeente.gemeente if gemeente else None,
        "lat": lat,
        "lon": lon,
        "opening_hours": None,  # not in the register
        "walk_in": False,
        "by_appointment": False,
        "phone": (parse_phone(phone_text) or phone_text) if phone_text else None,
        "website": website if website and website.startswith(("https://", "http://")) else None,
        "appointment_url": appointment if appointment and appointment.startswith(("https://", "http://")) else None,
        "topics": [],
        "status": Standing.CONFIRMED.value,
        "checked_on": checked,
        "status_note": desk.get("toelichting") or None,
        "attribution": ATTRIBUTION,
    }


def _coordinate(address: dict[str, str]) -> tuple[float | None, float | None]:
    try:
        lat, lon = float(address["centroideLatitude"]), float(address["centroideLongitude"])
    except (KeyError, ValueError):
        return None, None
    south, north, west, east = NL_BOUNDS
    return (lat, lon) if south <= lat <= north and west <= lon <= east else (None, None)
