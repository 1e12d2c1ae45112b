"""The gazetteer: postcodes, place names and coordinates to a location.

Runs against the session database (reference data from wegwijzer/data), with
one Gazetteer built once for the whole module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wegwijzer.placenames import default_place_names, normalize
from wegwijzer.places import Gazetteer, choose_place

DATA = Path(__file__).resolve().parents[2] / "wegwijzer" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


PC4_ROWS = _rows("pc4.csv")
WOONPLAATS_ROWS = _rows("woonplaatsen.csv")


@pytest.fixture(scope="module")
def gazetteer(database_url: str) -> Gazetteer:
    from wegwijzer.db.session import session_scope

    with session_scope(database_url) as session:
        return Gazetteer.from_session(session)


# -- every code and every name in the reference data ---------------------------
def test_the_reference_data_has_the_expected_size() -> None:
    assert len(PC4_ROWS) == 4086
    assert len({row["pc4"] for row in PC4_ROWS}) == 4086
    assert len(WOONPLAATS_ROWS) == 2501
    assert len({row["woonplaatscode"] for row in WOONPLAATS_ROWS}) == 2501


def test_every_pc4_resolves_to_its_own_area(gazetteer: Gazetteer) -> None:
    wrong = []
    for row in PC4_ROWS:
        resolution = gazetteer.resolve(row["pc4"])
        key = resolution.location.key if resolution.location else None
        if resolution.status != "found" or key != f"pc4:{row['pc4']}":
            wrong.append((row["pc4"], resolution.status, key))
    assert wrong == []


def test_every_pc4_area_has_a_gemeente_and_a_point_in_the_netherlands(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.pc4) == 4086
    wrong = [
        code
        for code, area in gazetteer.pc4.items()
        if not (
            area.gemeente_code
            and area.gemeente_code.startswith("GM")
            and area.gemeente
            and area.provincie
            and 50.7 <= area.lat <= 53.6
            and 3.3 <= area.lon <= 7.25
        )
    ]
    assert wrong == []


def test_every_woonplaats_resolves_by_its_key(gazetteer: Gazetteer) -> None:
    wrong = []
    for row in WOONPLAATS_ROWS:
        key = f"wp:{row['woonplaatscode']}"
        resolution = gazetteer.resolve(key)
        found = resolution.location
        if (
            resolution.status != "found"
            or found is None
            or found.key != key
            or found.name != row["woonplaats"]
            or found.gemeente_code != row["gemeente_code"]
        ):
            wrong.append((key, row["woonplaats"], resolution.status))
    assert wrong == []


def test_every_woonplaats_resolves_by_its_name(gazetteer: Gazetteer) -> None:
    # The one deliberate exception is place_aliases.yml's `never` list: the
    # hamlet "Nederland" (Steenwijkerland) is not taken for the country's
    # name; its people reach it by postcode (test below). Pinned exactly, so
    # the list cannot grow unnoticed.
    never = default_place_names().never
    excepted = [row for row in WOONPLAATS_ROWS if normalize(row["woonplaats"]) in never]
    assert [(row["woonplaatscode"], row["woonplaats"]) for row in excepted] == [("2706", "Nederland")]
    wrong = []
    checked = 0
    for row in WOONPLAATS_ROWS:
        if row in excepted:
            continue
        checked += 1
        key = f"wp:{row['woonplaatscode']}"
        resolution = gazetteer.resolve(row["woonplaats"])
        if resolution.status == "found":
            keys = [resolution.location.key]
        elif resolution.status == "ambiguous":
            keys = [choice.key for choice in resolution.choices]
        else:
            keys = []
        if key not in keys:
            wrong.append((row["woonplaats"], key, resolution.status, keys))
    assert checked == 2500
    assert wrong == []


def test_the_hamlet_nederland_is_reached_by_postcode_and_key(gazetteer: Gazetteer) -> None:
    by_postcode = gazetteer.resolve("8362")
    assert by_postcode.status == "found"
    assert by_postcode.location.key == "pc4:8362"
    assert by_postcode.location.gemeente_code == "GM1708"
    by_key = gazetteer.resolve("wp:2706")
    assert by_key.status == "found"
    assert by_key.location.name == "Nederland"
    assert by_key.location.gemeente == "Steenwijkerland"


# -- postcodes ------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    ["9561ab", "9561 AB", " 9561 ab ", "9561AB", "9561 aB", "postcode 9561", "9561", "Postcode 9561 AB", "pc 9561"],
)
def test_postcodes_in_any_spacing_or_case(gazetteer: Gazetteer, typed: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "found"
    location = resolution.location
    assert location is not None
    assert location.key == "pc4:9561"
    assert location.kind == "postcode"
    assert location.gemeente_code == "GM1950"
    assert location.gemeente == "Westerwolde"
    assert "Ter Apel" in location.name


def test_a_full_postcode_is_named_with_its_letters(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve(" 9561 ab ").location.name == "9561 AB (Ter Apel)"
    assert gazetteer.resolve("9401aa").location.name == "9401 AA (Assen)"


def test_1000_is_not_a_pc4_in_the_data() -> None:
    assert "1000" not in {row["pc4"] for row in PC4_ROWS}


@pytest.mark.parametrize("typed", ["0000 AA", "0000AA", "1000 AA", "1000", "postcode 1000 AA", "0123 AB"])
def test_postcodes_that_do_not_exist(gazetteer: Gazetteer, typed: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "unknown_postcode"
    assert resolution.location is None and resolution.choices == ()


# -- abroad, gibberish, empty -------------------------------------------------------
@pytest.mark.parametrize("typed", ["Parijs", "Antwerpen", "parijs", "Brussel", "Berlijn", "Keulen"])
def test_foreign_place_names_are_abroad(gazetteer: Gazetteer, typed: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "abroad"
    assert resolution.location is None and resolution.choices == ()


@pytest.mark.parametrize("typed", ["xyzzyqq", "qwrtzpfk", "blablabla", "zzzz"])
def test_gibberish_is_unknown(gazetteer: Gazetteer, typed: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "unknown"
    assert resolution.location is None and resolution.choices == ()


@pytest.mark.parametrize("typed", ["", "   ", "\t\n", "?!"])
def test_empty_input_is_empty(gazetteer: Gazetteer, typed: str) -> None:
    assert gazetteer.resolve(typed).status == "empty"


# -- coordinates ------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["52.99,6.56", "52.99, 6.56", " 52.99 6.56 ", "52.99;6.56"])
def test_coordinates_in_assen(gazetteer: Gazetteer, typed: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "found"
    location = resolution.location
    assert location is not None
    assert location.kind == "coordinates"
    assert (location.lat, location.lon) == (52.99, 6.56)
    assert location.gemeente == "Assen"
    assert location.gemeente_code == "GM0106"
    assert location.provincie == "Drenthe"


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("48.8566,2.3522", "Parijs"),
        ("52.52,13.405", "Berlijn"),
        ("51.5072,-0.1276", "Londen"),
        ("-33.9,18.4", "Kaapstad"),
        ("50.8467,4.3525", "Brussel"),
        ("51.2194,4.4025", "Antwerpen"),
        ("50.9375,6.9603", "Keulen"),
    ],
)
def test_coordinates_outside_the_netherlands_are_abroad(gazetteer: Gazetteer, typed: str, where: str) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "abroad", (where, resolution.location)
    assert resolution.location is None


# -- namesakes and other names ---------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "keys", "gemeente_codes"),
    [
        ("Bergen", ["wp:3047", "wp:1121"], {"GM0373", "GM0893"}),
        ("Hengelo", ["wp:3510", "wp:1535"], {"GM0164", "GM1876"}),
        ("Rijswijk", ["wp:2459", "wp:3383", "wp:3303"], {"GM0603", "GM0214", "GM1959"}),
    ],
)
def test_namesakes_give_choices_that_can_be_told_apart(
    gazetteer: Gazetteer, typed: str, keys: list[str], gemeente_codes: set[str]
) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "ambiguous"
    assert resolution.location is None
    choices = resolution.choices
    # The biggest place first (Hengelo in Overijssel, Rijswijk near Den Haag).
    assert [c.key for c in choices] == keys
    assert {c.gemeente_code for c in choices} == gemeente_codes
    assert len({c.gemeente_code for c in choices}) == len(choices)
    labels = [c.label() for c in choices]
    assert len(set(labels)) == len(labels), labels
    for choice, label in zip(choices, labels, strict=False):
        assert label.startswith(typed), label
        assert choice.provincie in label, label
        gemeente_plain = choice.gemeente.split(" (")[0]
        if gemeente_plain != typed:  # "Rijswijk (gemeente Buren, Gelderland)"
            assert gemeente_plain in label, label


def test_namesake_labels(gazetteer: Gazetteer) -> None:
    labels = {c.key: c.label() for c in gazetteer.resolve("Hengelo").choices}
    assert labels == {"wp:3510": "Hengelo (Overijssel)", "wp:1535": "Hengelo (gemeente Bronckhorst, Gelderland)"}


@pytest.mark.parametrize(
    ("typed", "key", "name", "gemeente_code"),
    [
        ("Den Haag", "wp:1245", "'s-Gravenhage", "GM0518"),
        ("den haag", "wp:1245", "'s-Gravenhage", "GM0518"),
        ("Ljouwert", "wp:3615", "Leeuwarden", "GM0080"),
        ("den bosch", "wp:1595", "'s-Hertogenbosch", "GM0796"),
        ("Assen", "wp:2391", "Assen", "GM0106"),
        ("Bergen op Zoom", "wp:1937", "Bergen op Zoom", "GM0748"),
        ("Hengelo Gelderland", "wp:1535", "Hengelo (Gld)", "GM1876"),
    ],
)
def test_everyday_and_frisian_names_are_found(
    gazetteer: Gazetteer, typed: str, key: str, name: str, gemeente_code: str
) -> None:
    resolution = gazetteer.resolve(typed)
    assert resolution.status == "found"
    location = resolution.location
    assert location is not None
    assert (location.key, location.name, location.gemeente_code) == (key, name, gemeente_code)


def test_choices_resolve_by_their_key(gazetteer: Gazetteer) -> None:
    for choice in gazetteer.resolve("Rijswijk").choices:
        again = gazetteer.resolve(choice.key)
        assert again.status == "found"
        assert again.location == choice


def test_unknown_keys_are_unknown(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("wp:999999").status == "unknown"
    assert gazetteer.resolve("pc4:1000").status == "unknown"
    assert gazetteer.resolve("gm:GM9999").status == "unknown"


# -- which of several named places is meant -------------------------------------------------
def _spans(text: str, *names: str) -> list[tuple[str, int]]:
    return [(name, text.index(name)) for name in names]


def test_choose_place_the_brief_example() -> None:
    assert choose_place("nee, niet Groningen maar Assen", [("Groningen", 9), ("Assen", 25)]) == "Assen"


@pytest.mark.parametrize(
    ("text", "names", "meant"),
    [
        ("nee, niet Groningen maar Assen", ("Groningen", "Assen"), "Assen"),
        ("Niet Groningen, Assen", ("Groningen", "Assen"), "Assen"),
        ("Assen, niet Groningen", ("Assen", "Groningen"), "Assen"),
        ("eerst Zwolle, nu Deventer", ("Zwolle", "Deventer"), "Deventer"),
        ("ik woon in Zwolle", ("Zwolle",), "Zwolle"),
        ("niet Zwolle", ("Zwolle",), "Zwolle"),  # only "niet" places: the last one still
        ("NIET  Emmen maar Assen", ("Emmen", "Assen"), "Assen"),
    ],
)
def test_choose_place(text: str, names: tuple[str, ...], meant: str) -> None:
    assert choose_place(text, _spans(text, *names)) == meant


@pytest.mark.parametrize(
    "text",
    ["ik woon in Assen en niet in Groningen", "Assen, niet in Groningen", "in Assen, dus niet uit Groningen"],
)
def test_choose_place_niet_with_a_preposition(text: str) -> None:
    # "niet in Groningen" says no to Groningen as plainly as "niet Groningen".
    assert choose_place(text, _spans(text, "Assen", "Groningen")) == "Assen"


def test_choose_place_without_places() -> None:
    assert choose_place("geen idee", []) is None


def test_choose_place_ignores_niet_inside_a_word() -> None:
    # "hoeniet" is not the word "niet": Zwolle is meant, Assen is not.
    text = "ik zei hoeniet Zwolle, niet Assen"
    assert choose_place(text, _spans(text, "Zwolle", "Assen")) == "Zwolle"
