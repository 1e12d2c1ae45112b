"""The right numbers first, by kind (data/crisis_kinds.yml): each kind's text
names exactly the numbers of its organisations, in every voice, as the
organisation data give them; every crisis signal has a kind; and the
gemeente's own number comes from the government register, never made up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wegwijzer.crisis import GENERAL, crisis_kind, crisis_kinds, crisis_signals
from wegwijzer.crisis_answer import crisis_text
from wegwijzer.directory import counter_index
from wegwijzer.texts import Voice, say, speaking

DATA = Path(__file__).resolve().parents[2] / "wegwijzer" / "data"
VOICES = [Voice("nl", "u"), Voice("nl", "je"), Voice("en", "u")]


def organisation_numbers() -> dict[str, set[str]]:
    doc = json.loads((DATA / "organisaties.json").read_text(encoding="utf-8"))
    numbers: dict[str, set[str]] = {}
    for org in doc["organisaties"]:
        found = {org.get("telefoon"), org.get("telefoon_alternatief")} - {None}
        numbers[org["id"]] = {re.sub(r"\D", "", n) for n in found}
    return numbers


def numbers_in(text: str) -> set[str]:
    """Phone numbers in a text, digits only ("0800-0113" → "08000113")."""
    return {re.sub(r"\D", "", n) for n in re.findall(r"\b\d[\d -]{1,12}\d\b|\b11[23]\b", text)}


@pytest.mark.parametrize("voice", VOICES, ids=lambda v: f"{v.language}-{v.form}")
@pytest.mark.parametrize("kind", list(crisis_kinds()))
def test_each_kind_names_exactly_its_organisations_numbers(kind: str, voice: Voice) -> None:
    known = organisation_numbers()
    wanted = crisis_kinds()[kind]
    with speaking(voice):
        text = say(wanted.say, gemeente_line="")
    expected = {n for org in wanted.numbers for n in known[org]}
    assert expected, f"{kind}: its organisations have numbers in organisaties.json"
    found = numbers_in(text)
    # Every number of the kind's organisations, and no number from anywhere else
    # (113 may be named as "113 or 0800-0113": both are the same organisation's).
    for org in wanted.numbers:
        assert known[org] & found, f"{kind} ({voice}): no number of {org} in {text!r}"
    assert found <= expected, f"{kind} ({voice}): numbers not in the organisation data: {found - expected}"


def test_every_signal_has_a_kind_with_a_text() -> None:
    kinds = crisis_kinds()
    assert GENERAL in kinds
    for rule in crisis_signals().rules:
        assert rule.kind in kinds and rule.kind != GENERAL, rule.name


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("ik help mijn buurman, hij zegt dat hij niet meer wil leven", "suicide"),
        ("my neighbour says she wants to kill herself", "suicide"),
        ("mijn moeder is gevallen en is niet aanspreekbaar", "medical"),
        ("he is not breathing", "medical"),
        ("hij slaat haar weer, ik hoor het door de muur", "violence"),
        ("ze hebben vandaag niks te eten in huis", "no_food_shelter"),
        ("ze staat met de kinderen op straat", "no_food_shelter"),
        ("het gas wordt morgen afgesloten", "eviction_disconnection"),
        ("de ontruiming is op vrijdag", "eviction_disconnection"),
    ],
)
def test_a_message_gets_the_answer_for_its_kind(message: str, kind: str) -> None:
    assert crisis_kind(message).name == kind


def test_the_suicide_answer_puts_113_first() -> None:
    text = crisis_text("hij wil dood")
    assert text.index("113") < text.index("112")


def test_urgent_without_a_signal_gets_the_general_answer() -> None:
    assert crisis_text("help, het is ernstig") == say("crisis_now")


def test_no_food_names_the_gemeentes_number_from_the_register(database_url: str) -> None:
    index = counter_index()
    code, desk = next((c, d) for c, d in sorted(index.desks.items()) if d.phone and d.source == "roo")
    text = crisis_text("ze hebben vandaag niks te eten", code)
    assert desk.phone in text and str(desk.gemeente) in text
    assert say("crisis_gemeente_phone", gemeente=desk.gemeente, phone=desk.phone) in text


def test_without_a_known_place_no_number_is_made_up(database_url: str) -> None:
    text = crisis_text("ze hebben vandaag niks te eten")
    assert say("crisis_gemeente_unknown") in text
    assert numbers_in(text) == {"112"}
    assert say("crisis_gemeente_unknown") in crisis_text("het gas wordt morgen afgesloten", "GM9999")


def test_eviction_names_gemeente_landlord_and_geldfit() -> None:
    text = crisis_text("de deurwaarder komt overmorgen om het huis te ontruimen")
    assert "0800 8115" in text and "schuldhulp" in text and "verhuurder" in text
