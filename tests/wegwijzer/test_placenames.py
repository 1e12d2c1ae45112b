from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wegwijzer.placenames import default_place_names, normalize, spelling_variants

DATA = Path("wegwijzer/data")


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("den haag", "'s-Gravenhage"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("Ljouwert", "Leeuwarden"),
        ("snits", "Sneek"),
        ("R'dam", "Rotterdam"),
        ("mokum", "Amsterdam"),
        ("sudwest fryslan", "Súdwest-Fryslân"),
        ("St. Michielsgestel", "Sint-Michielsgestel"),
        ("Son", "Son en Breugel"),
        ("Zuidoost", "Zuidoost"),
    ],
)
def test_everyday_names_give_the_official_name(typed: str, official: str) -> None:
    assert default_place_names().official(typed) == official


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("amsterdm", "Amsterdam"),
        ("groningn", "Groningen"),
        ("apeldorn", "Apeldoorn"),
        ("eindhovn", "Eindhoven"),
        ("zwolel", "Zwolle"),
        ("leewarden", "Leeuwarden"),
        ("rotterdamm", "Rotterdam"),
    ],
)
def test_misspelt_names_are_found_fuzzily(typed: str, official: str) -> None:
    assert default_place_names().fuzzy(typed) == official


@pytest.mark.parametrize("typed", ["xyzzy", "Parijs", "Nederland", "ab"])
def test_unknown_names_give_nothing(typed: str) -> None:
    names = default_place_names()
    assert names.official(typed) is None
    assert names.fuzzy(typed) is None


def test_every_official_name_resolves_to_itself_or_its_twin() -> None:
    names = default_place_names()
    for file, column in (("woonplaatsen.csv", "woonplaats"), ("gemeenten.csv", "gemeente_naam")):
        with open(DATA / file, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if normalize(row[column]) in names.never:
                    continue
                assert names.official(row[column]) is not None, row[column]


def test_ambiguous_words_are_marked() -> None:
    names = default_place_names()
    assert names.is_ambiguous_word("Best") and names.is_ambiguous_word("echt")
    assert names.needs_capital("een") and not names.needs_capital("Best")
    assert not names.is_ambiguous_word("Assen")


def test_spelling_variants_cover_apostrophes_and_hyphens() -> None:
    variants = set(spelling_variants("'s-Hertogenbosch"))
    assert {"s-Hertogenbosch", "s Hertogenbosch", "'s Hertogenbosch"} <= variants


# -- misspellings as a class --------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("zwol", "Zwolle"),  # cut short
        ("scheidam", "Schiedam"),  # ie and ei written for one another
        ("leiderdrop", "Leiderdorp"),  # two letters swapped
        ("vlaardngen", "Vlaardingen"),  # a letter left out
        ("dokum", "Dokkum"),  # a letter left out, not Mokum
        ("den hag", "'s-Gravenhage"),  # not Den Ham
        ("maastrigt", "Maastricht"),
        ("delf", "Delft"),
    ],
)
def test_misspelt_names_are_found(typed: str, official: str) -> None:
    assert default_place_names().fuzzy(typed, min_length=4) == official


@pytest.mark.parametrize("word", ["brief", "maand", "hulp", "geld"])
def test_ordinary_words_are_not_places(word: str) -> None:
    assert default_place_names().fuzzy(word, min_length=4) is None
