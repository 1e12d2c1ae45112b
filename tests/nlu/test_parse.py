"""The NLU result as the rest of the system sees it (/model/parse of the real
Rasa server): canonical entity values, each entity once."""

from __future__ import annotations

import pytest

from bot.rasa_client import RasaClient

pytestmark = pytest.mark.stack


def entities(parsed: dict) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in parsed["entities"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mijn moeder woont in den haag", [("plaats", "'s-Gravenhage")]),
        ("ze woont in Den Bosch", [("plaats", "'s-Hertogenbosch")]),
        ("hij komt uit Ljouwert", [("plaats", "Leeuwarden")]),
        ("in r'dam", [("plaats", "Rotterdam")]),
        ("mijn oom woont in amsterdm", [("plaats", "Amsterdam")]),
        ("ze woont in Best", [("plaats", "Best")]),
        ("ik doe mijn best maar het lukt echt niet", []),
        ("kan je het in een keer betalen", []),
        ("9561AB", [("postcode", "9561 AB")]),
        ("postcode 9561 ab", [("postcode", "9561 AB")]),
        ("postcode 9561", [("postcode", "9561")]),
        ("ze moet 1500 euro betalen voor 2024", []),
        ("brief van de belastingsdienst", [("organisatie", "Belastingdienst")]),
        ("hij moet naar het uwv", [("organisatie", "UWV")]),
        ("een brief van toeslagen", [("organisatie", "Dienst Toeslagen")]),
        ("ze moet toeslagen aanvragen", []),
        ("de gemeente stuurt steeds brieven", [("organisatie", "gemeente")]),
        ("wij wonen in de gemeente Westerwolde", [("plaats", "Westerwolde")]),
        ("ze moet naar het gemeentehuis", []),
        ("familie in Marokko en Turkije", []),
    ],
)
async def test_entities_have_canonical_values(rasa: RasaClient, text: str, expected: list) -> None:
    parsed = await rasa.parse(text)
    assert entities(parsed) == expected


async def test_each_entity_appears_once(rasa: RasaClient) -> None:
    parsed = await rasa.parse("Den Haag, den haag! mijn vader in Den Haag heeft een brief van het UWV en het uwv")
    assert entities(parsed) == [("plaats", "'s-Gravenhage"), ("organisatie", "UWV")]


async def test_correction_keeps_both_places_in_order(rasa: RasaClient) -> None:
    parsed = await rasa.parse("nee, niet Groningen maar Assen")
    assert parsed["intent"]["name"] == "inform_location"
    assert entities(parsed) == [("plaats", "Groningen"), ("plaats", "Assen")]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mijn buurvrouw is haar digid kwijt", "topic_digid"),
        ("ze moet zorgtoeslag terugbetalen", "topic_toeslagen"),
        ("waar kan ik hulp krijgen met de belastingaangifte in Zwolle", "topic_belasting"),
        ("is deze sms van de belastingdienst echt? er staat een link in", "topic_phishing"),
        ("ik zie het niet meer zitten, iedereen is beter af zonder mij", "urgent_crisis"),
        ("hij heeft twee maanden huurachterstand", "topic_schulden"),
        ("morgen wordt ze uit huis gezet", "urgent_crisis"),
        ("hoeveel punten heeft ajax", "out_of_scope"),
    ],
)
async def test_intents_follow_the_contract(rasa: RasaClient, text: str, intent: str) -> None:
    parsed = await rasa.parse(text)
    assert parsed["intent"]["name"] == intent


def contract_entities(parsed: dict) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in parsed["entities"] if e["entity"] != "begrip"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Four digits inside a sentence: a postcode after a word for where or for a door ...
        ("we wonen in 7511", [("postcode", "7511")]),
        ("openingstijden ido 3311", [("postcode", "3311")]),
        ("is er een loket in de omgeving 9561?", [("postcode", "9561")]),
        # ... never a year, an amount or a postcode that does not exist.
        ("in 2024 kreeg mijn moeder een brief", []),
        ("ze moet in 1500 termijnen betalen", []),
        ("bij 1000 euro schuld kan dat", []),
        ("we wonen in 1000", []),
        # Names cut short or with "ie"/"ei" swapped.
        ("ze wonen in zwol", [("plaats", "Zwolle")]),
        ("mijn moeder woont in scheidam", [("plaats", "Schiedam")]),
        ("hij woont in leiderdrop", [("plaats", "Leiderdorp")]),
    ],
)
async def test_postcodes_and_misspelt_places_in_sentences(rasa: RasaClient, text: str, expected: list) -> None:
    assert contract_entities(await rasa.parse(text)) == expected


async def test_a_question_about_a_word_is_the_words_topic(rasa: RasaClient) -> None:
    parsed = await rasa.parse("wat betekent een voorlopige aanslag?")
    assert parsed["intent"]["name"] == "topic_belasting"
    assert [(e["entity"], e["value"], e.get("role")) for e in parsed["entities"]] == [
        ("begrip", "voorlopige aanslag", "asked")
    ]
    used = await rasa.parse("ik wil bezwaar maken tegen de aanslag van de belastingdienst")
    assert all(e.get("role") != "asked" for e in used["entities"])


async def test_urgent_stays_first_over_a_word_question(rasa: RasaClient) -> None:
    parsed = await rasa.parse("wat betekent beslag? mijn buurman zegt dat hij zichzelf iets aan wil doen")
    assert parsed["intent"]["name"] == "urgent_crisis"
