"""Dutch place names: official CBS names, everyday names and fuzzy matching.

This module answers one question: which official place does a name that a
person typed stand for? "den bosch" → "'s-Hertogenbosch", "Ljouwert" →
"Leeuwarden", "amsterdm" → "Amsterdam". It knows names only; coordinates and
the database live in `wegwijzer.places`.

It is also imported by the Rasa server's environment (Python 3.10) to build
the spaCy entity ruler, so it uses only the standard library, PyYAML and
rapidfuzz, and nothing newer than Python 3.10.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

DATA_DIR = Path(__file__).resolve().parent / "data"

# "Bergen (NH.)", "Hengelo (Gld)", "Bergen L", "Loo Gld": CBS adds the
# province to tell places of the same name apart.
_PROVINCE_SUFFIX = re.compile(r"\s*(\((NH|L|O|ZH|Z|Gld|GLD|NB|Fr|U|D|Ov|Gr)\.?\)|\s(NH|L|Gld|GLD|NB|ZH|Z|O))$")

FUZZY_MIN_LENGTH = 5
# A name cut short ("zwol" for Zwolle): at least four letters typed, at most
# two left off.
TRUNCATED_MIN_LENGTH = 4
MAX_CUT_LETTERS = 2


def allowed_typos(length: int, min_length: int = FUZZY_MIN_LENGTH) -> int:
    """Edits tolerated in a name of this many letters: 1 from five letters,
    2 from nine ("zwolel" → Zwolle, "apeldorn" → Apeldoorn)."""
    if length < min_length:
        return 0
    return 1 if length < 9 else 2


class NameMatcher:
    """Finds the name a misspelt name stands for, among normalized names.

    Three kinds of typo count as one edit each: a letter wrong, missing,
    added or swapped with its neighbour (OSA distance: "zwolel" → zwolle);
    the sounds "ie", "ei", "ij" and "y" written for one another ("scheidam" →
    schiedam); and a name cut short by one or two letters ("zwol" → zwolle).
    """

    def __init__(self, choices: Iterable[str], preference: dict[str, int] | None = None) -> None:
        self.choices = list(choices)
        self.preference = preference or {}
        self._loose: dict[str, list[str]] = {}
        for choice in self.choices:
            self._loose.setdefault(_loose(choice), []).append(choice)
        self._loose_choices = list(self._loose)

    def closest(self, norm: str, min_length: int = FUZZY_MIN_LENGTH) -> str | None:
        """The choice within the allowed typos of a normalized name, or None.

        Fewest edits first; between equals a longer one (a letter left out
        is the commonest typo: "dokum" is Dokkum, not Mokum; "den hag" is
        Den Haag, not Den Ham), then the preferred choice (lower
        `preference`: official names before nicknames, big places before
        small)."""
        edits = allowed_typos(len(norm.replace(" ", "")), min_length)
        if not edits or not self.choices:
            return None
        found: dict[str, int] = {}
        for choice, distance, _ in process.extract(
            norm, self.choices, scorer=OSA.distance, score_cutoff=edits, limit=12
        ):
            found[choice] = int(distance)
        for loose, distance, _ in process.extract(
            _loose(norm), self._loose_choices, scorer=OSA.distance, score_cutoff=edits - 1, limit=12
        ):
            for choice in self._loose[loose]:
                found.setdefault(choice, int(distance) + 1)
        if len(norm) >= TRUNCATED_MIN_LENGTH:
            for choice in self.choices:
                rest = choice[len(norm) :]
                if choice.startswith(norm) and 0 < len(rest) <= MAX_CUT_LETTERS and " " not in rest:
                    found.setdefault(choice, 1)
        if not found:
            return None
        return min(found, key=lambda c: (found[c], -len(c), self.preference.get(c, 0)))

    def cut_short(self, norm: str) -> str | None:
        """The name a word cut short stands for ("zwol" → zwolle): at most
        MAX_CUT_LETTERS left off; the biggest place when several fit."""
        if len(norm) < TRUNCATED_MIN_LENGTH:
            return None
        found = [
            c
            for c in self.choices
            if c.startswith(norm) and 0 < len(c) - len(norm) <= MAX_CUT_LETTERS and " " not in c[len(norm) :]
        ]
        return min(found, key=lambda c: (self.preference.get(c, 0), -len(c))) if found else None


def _loose(norm: str) -> str:
    """ "ie" as the one sound of "ei", "ij" and "y" (normalize merges those)."""
    return norm.replace("ie", "y")


def closest_name(
    norm: str,
    choices: list[str],
    preference: dict[str, int] | None = None,
    min_length: int = FUZZY_MIN_LENGTH,
) -> str | None:
    """`NameMatcher.closest` for a one-off list of choices."""
    return NameMatcher(choices, preference).closest(norm, min_length)


def normalize(name: str) -> str:
    """The form names are compared in: lowercase, no accents or punctuation.

    "'s-Gravenhage" → "s gravenhage", "Súdwest-Fryslân" → "sudwest fryslan",
    "R'dam" → "r dam".
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[^a-z0-9']+", " ", text)
    text = text.replace("'", " ")
    text = " ".join(text.split())
    text = re.sub(r"^st ", "sint ", text)
    # "ij", "y" and "ei" sound the same and are written as each other
    # (Ymuiden, Delfzeil): compare them as one letter.
    return text.replace("ij", "y").replace("ei", "y")


def base_name(official: str) -> str:
    """An official name without its province marker: "Bergen (NH.)" → "Bergen"."""
    return _PROVINCE_SUFFIX.sub("", official).strip()


@dataclass(frozen=True)
class Place:
    """One official name from the CBS lists."""

    name: str
    kind: str  # "woonplaats" or "gemeente"
    gemeente_code: str
    gemeente: str
    provincie: str
    size: int  # number of PC4 areas; a rough measure of how big it is
    code: str = ""  # BAG woonplaatscode or CBS gemeente code
    lat: float = 0.0
    lon: float = 0.0


def official_places(data_dir: Path = DATA_DIR) -> list[Place]:
    """Every woonplaats and gemeente of the CBS lists (woonplaatsen.csv,
    gemeenten.csv), with its code and coordinate."""
    places: list[Place] = []
    with open(data_dir / "woonplaatsen.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            places.append(
                Place(
                    name=row["woonplaats"],
                    kind="woonplaats",
                    gemeente_code=row["gemeente_code"],
                    gemeente=row["gemeente_naam"],
                    provincie=row["provincie"],
                    size=len([c for c in row["pc4_codes"].split(";") if c]),
                    code=row["woonplaatscode"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                )
            )
    with open(data_dir / "gemeenten.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            places.append(
                Place(
                    name=row["gemeente_naam"],
                    kind="gemeente",
                    gemeente_code=row["gemeente_code"],
                    gemeente=row["gemeente_naam"],
                    provincie=row["provincie"],
                    size=int(row["n_pc4"] or 0),
                    code=row["gemeente_code"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                )
            )
    return places


@dataclass
class PlaceNames:
    """All official names, their everyday names, and the lookups on them."""

    places: list[Place]
    aliases: dict[str, str]  # everyday name as written → official name
    neighbourhoods: dict[str, str]  # neighbourhood → official name of its gemeente
    ambiguous_words: set[str]  # normalized names that are also ordinary words
    capital_only: set[str] = field(default_factory=set)  # normalized; need a capital
    never: set[str] = field(default_factory=set)  # normalized; never a place
    _by_norm: dict[str, list[Place]] = field(default_factory=dict, repr=False)
    _official: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for place in self.places:
            self._by_norm.setdefault(normalize(place.name), []).append(place)
        # The canonical value for each normalized name: the official name
        # itself; for a base name shared by several places ("bergen"), the
        # one that is itself a woonplaats, else the biggest.
        candidates: dict[str, list[Place]] = {}
        for place in self.places:
            candidates.setdefault(normalize(place.name), []).append(place)
            base = normalize(base_name(place.name))
            if base != normalize(place.name):
                candidates.setdefault(base, []).append(place)
        for norm, found in candidates.items():
            exact = [p for p in found if normalize(p.name) == norm]
            pool = exact or found
            best = max(pool, key=lambda p: (p.kind == "woonplaats", p.size))
            self._official[norm] = best.name
        for alias, official in self.aliases.items():
            self._official.setdefault(normalize(alias), official)
        for neighbourhood in self.neighbourhoods:
            self._official.setdefault(normalize(neighbourhood), neighbourhood)
        for word in self.never:
            self._official.pop(word, None)
        self._choices = list(self._official)
        # Between equally close typos: official names before nicknames, then
        # the bigger place.
        sizes = {normalize(p.name): p.size for p in self.places}
        self.preference = {norm: (0 if norm in sizes else 1) * 100_000 - sizes.get(norm, 0) for norm in self._choices}
        self.matcher = NameMatcher(self._choices, self.preference)

    # -- loading ---------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> PlaceNames:
        places = official_places(data_dir)
        with open(data_dir / "place_aliases.yml", encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        official_names = {p.name for p in places}
        aliases: dict[str, str] = {}
        for official, everyday in doc["aliases"].items():
            if official not in official_names:
                raise ValueError(f"place_aliases.yml: {official!r} is not an official CBS name")
            for name in everyday:
                aliases[name] = official
        neighbourhoods = dict(doc.get("neighbourhoods") or {})
        for name, gemeente in neighbourhoods.items():
            if gemeente not in official_names or name in official_names:
                raise ValueError(f"place_aliases.yml: neighbourhood {name!r} ({gemeente!r}) is wrong")
        capital_only = {normalize(n) for n in doc.get("capital_only", [])}
        ambiguous = {normalize(n) for n in doc.get("ambiguous", [])} | capital_only
        return cls(
            places=places,
            aliases=aliases,
            neighbourhoods=neighbourhoods,
            ambiguous_words=ambiguous,
            capital_only=capital_only,
            never={normalize(n) for n in doc.get("never", [])},
        )

    # -- lookups ---------------------------------------------------------
    def official(self, text: str) -> str | None:
        """The official name for an exact (normalized) name or alias, else None."""
        return self._official.get(normalize(text))

    def fuzzy(self, text: str, min_length: int = FUZZY_MIN_LENGTH) -> str | None:
        """The official name of a misspelt name ("amsterdm" → Amsterdam).

        By default only for names of at least five letters: shorter ones are
        too easily confused with ordinary words; see `allowed_typos`.
        """
        norm = normalize(text)
        exact = self._official.get(norm)
        if exact:
            return exact
        match = self.matcher.closest(norm, min_length)
        return self._official[match] if match else None

    def fuzzy_table(self) -> dict[str, str]:
        """Normalized name → official name, for names a typo may be matched to:
        long enough, and not an ordinary word."""
        return {
            norm: official
            for norm, official in self._official.items()
            if len(norm.replace(" ", "")) >= FUZZY_MIN_LENGTH and norm not in self.ambiguous_words
        }

    def gemeente_of_neighbourhood(self, name: str) -> str | None:
        """The official gemeente name for a neighbourhood such as "Zuidoost"."""
        for neighbourhood, gemeente in self.neighbourhoods.items():
            if normalize(neighbourhood) == normalize(name):
                return gemeente
        return None

    def is_ambiguous_word(self, text: str) -> bool:
        """True for place names that are also ordinary words (Best, Echt, Loon)."""
        return normalize(text) in self.ambiguous_words

    def needs_capital(self, text: str) -> bool:
        """True for names so common as words that only a capital makes them a place."""
        return normalize(text) in self.capital_only

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(surface form, official name) pairs to build a phrase matcher from.

        Each official name, its base name, and every alias, in the spellings
        people type: with and without accents, hyphens and the apostrophe of
        's-Gravenhage.
        """
        seen: set[tuple[str, str]] = set()
        names: list[tuple[str, str]] = []
        for place in self.places:
            if normalize(place.name) in self.never:
                continue
            official = self._official[normalize(place.name)]
            names.append((place.name, official))
            base = base_name(place.name)
            if base != place.name:
                names.append((base, self._official[normalize(base)]))
        names.extend(self.aliases.items())
        names.extend((name, name) for name in self.neighbourhoods)
        for name, official in names:
            if normalize(name) in self.never:
                continue
            for variant in spelling_variants(name):
                if (variant, official) not in seen:
                    seen.add((variant, official))
                    yield variant, official


def spelling_variants(name: str) -> Iterable[str]:
    """The ways people write one name: "'s-Hertogenbosch", "s hertogenbosch", ..."""
    variants = {name}
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    variants.add(plain)
    for v in list(variants):
        if "-" in v:
            variants.add(v.replace("-", " "))
            variants.add(v.replace("-", ""))
    for v in list(variants):
        if v.startswith(("Sint ", "Sint-")):
            rest = v[5:]
            variants.update({"St. " + rest, "St " + rest, "St.-" + rest, "Sint " + rest})
        elif v.startswith(("St. ", "St.-")):
            rest = v[4:]
            variants.update({"Sint " + rest, "Sint-" + rest, "St " + rest})
    for v in list(variants):
        if v.startswith("'s"):
            rest = v[2:].lstrip("- ")
            variants.update({"s-" + rest, "s " + rest, "'s " + rest, "'s-" + rest})
    return sorted(variants)


@lru_cache(maxsize=1)
def default_place_names() -> PlaceNames:
    """The place names from the project's data directory, loaded once."""
    return PlaceNames.load()
