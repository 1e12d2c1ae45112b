"""Where does the person live? From a postcode, a place name or a shared
location to a point on the map and a gemeente.

- A Dutch postcode (PC6 or PC4, any spacing or case) → the PC4's coordinate.
- A place or municipality name, also everyday names (Den Haag), Frisian
  names (Ljouwert), abbreviations (R'dam) and misspellings (fuzzy matching)
  → the official place. A name that several places share (Bergen, Hengelo,
  Rijswijk) → the choices, to ask which one.
- A shared location (lat, lon) → used as it is.

Anything else (a postcode that does not exist, a foreign place, gibberish)
gives a clear status instead of an exception.

The `Gazetteer` holds the places of the database in memory; a lookup takes
microseconds (see tests/bench/places_bench.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Place
from wegwijzer.directory import distance_km
from wegwijzer.placenames import PlaceNames, base_name, default_place_names, normalize
from wegwijzer.postcodes import PC4, PC6
from wegwijzer.texts import say

ANY_FOUR_DIGITS = re.compile(r"(?<![\w])([0-9]{4}) ?([A-Za-z]{2})?(?![\w])")
LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
KEY = re.compile(r"^(pc4|wp|gm|nb):(.+)$")
# The Netherlands (European part), generously.
NL_BOUNDS = (50.6, 53.8, 3.1, 7.3)

# Places people name that are not in the Netherlands: a kind "that is abroad"
# instead of "I do not know that place".
FOREIGN = {
    "antwerpen",
    "brussel",
    "gent",
    "luik",
    "brugge",
    "belgie",
    "duitsland",
    "keulen",
    "aken",
    "dusseldorf",
    "berlijn",
    "parijs",
    "frankrijk",
    "londen",
    "engeland",
    "spanje",
    "turkije",
    "marokko",
    "suriname",
    "curacao",
    "aruba",
    "bonaire",
    "polen",
    "syrie",
    "istanbul",
}

FOREIGN_NORMALIZED = {normalize(name) for name in FOREIGN}
# A shared location farther than this from every Dutch postcode area is abroad
# (the bounding box also holds Brussels, Antwerpen and Keulen).
MAX_KM_FROM_A_POSTCODE = 12.0


@dataclass(frozen=True)
class Location:
    """A point the referral can work from."""

    key: str  # "pc4:9561", "wp:1234", "gm:GM0106", "nb:Zuidoost", "geo:52.10,5.30"
    name: str  # how to call it to the user: "Assen", "9561 AB (Ter Apel)"
    kind: str  # "postcode", "woonplaats", "gemeente", "wijk", "coordinates"
    lat: float
    lon: float
    gemeente_code: str | None = None
    gemeente: str | None = None
    provincie: str | None = None

    def label(self) -> str:
        """A button title that tells namesakes apart: "Hengelo (gemeente Bronckhorst, Gelderland)"."""
        if self.kind == "woonplaats" and self.gemeente and self.provincie:
            plain = base_name(self.name)
            if base_name(self.gemeente) != plain:
                return say("place_in_gemeente", place=plain, gemeente=self.gemeente, provincie=self.provincie)
            return say("place_in_provincie", place=plain, provincie=self.provincie)
        return self.name

    def as_slot(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "kind": self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "gemeente_code": self.gemeente_code,
            "gemeente": self.gemeente,
            "provincie": self.provincie,
        }

    @classmethod
    def from_slot(cls, value: dict[str, Any]) -> Location:
        return cls(
            key=str(value["key"]),
            name=str(value["name"]),
            kind=str(value["kind"]),
            lat=float(value["lat"]),
            lon=float(value["lon"]),
            gemeente_code=value.get("gemeente_code"),
            gemeente=value.get("gemeente"),
            provincie=value.get("provincie"),
        )


@dataclass(frozen=True)
class Resolution:
    status: str  # "found", "ambiguous", "unknown", "unknown_postcode", "abroad", "empty"
    query: str
    location: Location | None = None
    choices: tuple[Location, ...] = ()

    @property
    def found(self) -> bool:
        return self.status == "found"


@dataclass
class Gazetteer:
    """All PC4 areas, woonplaatsen and gemeenten, in memory."""

    pc4: dict[str, Location]
    by_key: dict[str, Location]
    by_name: dict[str, list[Location]]  # normalized official/base name → places
    sizes: dict[str, int]
    names: PlaceNames = field(default_factory=default_place_names)

    @classmethod
    def from_session(cls, session: Session) -> Gazetteer:
        pc4: dict[str, Location] = {}
        by_key: dict[str, Location] = {}
        by_name: dict[str, list[Location]] = {}
        sizes: dict[str, int] = {}
        for place in session.execute(select(Place)).scalars():
            if place.kind == "pc4":
                first = (place.woonplaatsen or "").split(";")[0]
                name = f"{place.code} ({first})" if first else place.code
                location = _location(place, f"pc4:{place.code}", name, "postcode")
                pc4[place.code] = location
                for woonplaats in (place.woonplaatsen or "").split(";"):
                    sizes[woonplaats] = sizes.get(woonplaats, 0) + 1
                continue
            prefix = "wp" if place.kind == "woonplaats" else "gm"
            location = _location(place, f"{prefix}:{place.code}", place.name, place.kind)
            by_key[location.key] = location
            for name in {normalize(place.name), normalize(base_name(place.name))}:
                by_name.setdefault(name, []).append(location)
        by_key.update({loc.key: loc for loc in pc4.values()})
        return cls(pc4=pc4, by_key=by_key, by_name=by_name, sizes=sizes)

    # -- resolving --------------------------------------------------------
    def resolve(self, text: str) -> Resolution:
        query = (text or "").strip()
        if not query:
            return Resolution("empty", query)
        key = KEY.match(query)
        if key:
            return self._by_key(query, key.group(1), key.group(2))
        coordinates = LATLON.match(query)
        if coordinates:
            return self.resolve_coordinates(float(coordinates.group(1)), float(coordinates.group(2)), query)
        postcode = self._postcode(query)
        if postcode is not None:
            return postcode
        return self.resolve_name(query)

    def resolve_coordinates(self, lat: float, lon: float, query: str = "") -> Resolution:
        south, north, west, east = NL_BOUNDS
        if not (south <= lat <= north and west <= lon <= east):
            return Resolution("abroad", query or f"{lat},{lon}")
        nearest = min(self.pc4.values(), key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * 0.62) ** 2)
        if distance_km(lat, lon, nearest.lat, nearest.lon) > MAX_KM_FROM_A_POSTCODE:
            return Resolution("abroad", query or f"{lat},{lon}")
        location = Location(
            key=f"geo:{lat:.5f},{lon:.5f}",
            name=say("shared_location"),
            kind="coordinates",
            lat=lat,
            lon=lon,
            gemeente_code=nearest.gemeente_code,
            gemeente=nearest.gemeente,
            provincie=nearest.provincie,
        )
        return Resolution("found", query or location.key, location)

    def _postcode(self, query: str) -> Resolution | None:
        full = PC6.search(query)
        digits = full.group(1) if full else None
        if digits is None:
            only = PC4.search(query)
            if only and (normalize(query).replace(only.group(1), "").strip() in ("", "postcode", "pc")):
                digits = only.group(1)
        if digits is None:
            bad = ANY_FOUR_DIGITS.search(query)
            if bad and normalize(query).replace(" ", "") in {
                bad.group(0).replace(" ", "").lower(),
                "postcode" + bad.group(0).replace(" ", "").lower(),
            }:
                return Resolution("unknown_postcode", query)  # "0123 AB": not a Dutch postcode
            return None
        area = self.pc4.get(digits)
        if area is None:
            return Resolution("unknown_postcode", query)
        if full:
            letters = full.group(2).upper()
            town = area.name.split("(", 1)[1].rstrip(")") if "(" in area.name else ""
            name = f"{digits} {letters}" + (f" ({town})" if town else "")
            area = Location(**{**area.__dict__, "name": name})
        return Resolution("found", query, area)

    def resolve_name(self, text: str) -> Resolution:
        norm = normalize(text)
        if not norm:
            return Resolution("empty", text)
        if norm in FOREIGN_NORMALIZED:
            return Resolution("abroad", text)
        official = self.names.official(text)
        if official is None:
            # Someone answering "where?" may type a short name with a typo
            # ("asen"): here four letters are enough for one typo.
            official = self.names.fuzzy(text, min_length=4)
        if official is None:
            return Resolution("unknown", text)
        gemeente = self.names.gemeente_of_neighbourhood(official)
        if gemeente is not None:
            city = self._best_of(self.by_name.get(normalize(gemeente), []))
            location = Location(**{**city.__dict__, "key": f"nb:{official}", "name": official, "kind": "wijk"})
            return Resolution("found", text, location)
        candidates = list(self.by_name.get(normalize(official), []))
        if normalize(text) != normalize(official):
            # "Hengelo" also names "Hengelo (Gld)": ask which one.
            candidates += [c for c in self.by_name.get(norm, []) if c not in candidates]
        else:
            candidates += [c for c in self.by_name.get(normalize(base_name(official)), []) if c not in candidates]
        by_gemeente: dict[str, list[Location]] = {}
        for candidate in candidates:
            by_gemeente.setdefault(candidate.gemeente_code or "", []).append(candidate)
        options = [self._best_of(group) for group in by_gemeente.values()]
        options.sort(key=lambda loc: -self._size(loc))
        if not options:
            return Resolution("unknown", text)
        exact = [o for o in options if o.name == official]
        if len(options) == 1 or (len(exact) == 1 and normalize(text) != normalize(base_name(official))):
            return Resolution("found", text, exact[0] if exact else options[0])
        return Resolution("ambiguous", text, choices=tuple(options))

    def _best_of(self, group: list[Location]) -> Location:
        """Of the rows for one gemeente, the woonplaats (a town) over the gemeente."""
        return sorted(group, key=lambda loc: (loc.kind != "woonplaats", -self._size(loc)))[0]

    def _size(self, location: Location) -> int:
        return self.sizes.get(location.name, 0) if location.kind == "woonplaats" else 1

    def _by_key(self, query: str, prefix: str, value: str) -> Resolution:
        if prefix == "nb":
            return self.resolve_name(value)
        location = self.by_key.get(f"{prefix}:{value}")
        return Resolution("found", query, location) if location else Resolution("unknown", query)


def _location(place: Place, key: str, name: str, kind: str) -> Location:
    return Location(
        key=key,
        name=name,
        kind=kind,
        lat=place.lat,
        lon=place.lon,
        gemeente_code=place.gemeente_code,
        gemeente=place.gemeente,
        provincie=place.provincie,
    )


def choose_place(text: str, places: list[tuple[str, int]]) -> str | None:
    """Of the places named in a message (span text, start), the one meant:
    the last one not preceded by "niet" ("nee, niet Groningen maar Assen",
    "in Assen, niet in Groningen")."""
    negated = re.compile(r"\bniet\s+((in|uit|te|bij|naar|van)\s+)?$")
    meant = [span for span, start in places if not negated.search(text[:start].lower())]
    named = meant or [span for span, _ in places]
    return named[-1] if named else None


@lru_cache(maxsize=2)
def _cached_gazetteer(url: str) -> Gazetteer:
    from wegwijzer.db.session import session_scope

    with session_scope(url) as session:
        return Gazetteer.from_session(session)


def gazetteer(url: str | None = None) -> Gazetteer:
    """The gazetteer of the configured database, loaded once per process."""
    from wegwijzer.db.session import database_url

    return _cached_gazetteer(url or database_url())
