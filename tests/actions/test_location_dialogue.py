"""The right door: conversations over the real Rasa and action servers, with
the made-up counter list of tests/data/counters.csv in the database."""

from __future__ import annotations

import pytest

from bot.rasa_client import RasaClient
from bot.rendering import from_rasa

pytestmark = pytest.mark.stack


def texts(messages: list[dict]) -> str:
    """What the user reads (the domain's responses name catalogue keys)."""
    return "\n".join(r.text for r in from_rasa(messages))


def cards(messages: list[dict]) -> list[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "referral"]


def buttons(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in m.get("buttons") or []]


async def test_topic_then_postcode_gives_the_nearest_ido(rasa: RasaClient, sender: str) -> None:
    first = await rasa.send(sender, "mijn buurvrouw is haar digid kwijt")
    assert any((m.get("custom") or {}).get("type") == "ask_location" for m in first)
    answer = await rasa.send(sender, "9561 AB")
    found = cards(answer)
    assert found, texts(answer)
    assert found[0]["name"] == "IDO Proefbibliotheek Ter Apel"
    assert found[0]["lat"] == pytest.approx(52.877) and found[0]["lon"] == pytest.approx(7.06)
    assert found[0]["distance_km"] < 2
    assert found[0]["confirmed"] is True
    assert "9561 AB" in texts(answer)
    assert "Neem mee" in texts(answer)


async def test_place_with_a_typo(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "ik zoek hulp met de digitale overheid voor mijn oma")
    answer = await rasa.send(sender, "ze woont in zwolel")
    assert [c["name"] for c in cards(answer)][:1] == ["IDO Proefbibliotheek Zwolle"]


async def test_ambiguous_place_asks_which_one(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "mijn vader moet zijn toeslag aanpassen")
    answer = await rasa.send(sender, "Hengelo")
    choices = buttons(answer)
    assert len(choices) == 2
    assert any("Overijssel" in b["title"] for b in choices) and any("Gelderland" in b["title"] for b in choices)
    assert not cards(answer)
    gelderland = next(b for b in choices if "Gelderland" in b["title"])
    chosen = await rasa.send(sender, gelderland["payload"])
    assert "Hengelo" in texts(chosen)
    assert "Ik ken geen Informatiepunt Digitale Overheid dicht bij Hengelo" in texts(chosen)


async def test_unknown_postcode_gets_a_second_try(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "ze is haar digid kwijt")
    answer = texts(await rasa.send(sender, "0000 AA"))
    assert "Die postcode ken ik niet" in answer
    retry = await rasa.send(sender, "Assen")
    assert cards(retry)[0]["name"] == "IDO Proefbibliotheek Assen"


async def test_unknown_place_twice_gives_the_general_route(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "waar kan ik hulp krijgen met overheidszaken")
    first = texts(await rasa.send(sender, "ik woon in Qwxyzdorp"))
    assert "Die plaats ken ik niet" in first
    second = await rasa.send(sender, "Blaapdorp")
    assert "algemene route" in texts(second)
    assert "bibliotheek" in texts(second)
    assert not cards(second)


async def test_no_ido_nearby_is_said_plainly_and_the_gemeente_is_the_door(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "hoe vraagt mijn buurman digid aan")
    answer = await rasa.send(sender, "Den Bosch")
    said = texts(answer)
    assert "Ik ken geen Informatiepunt Digitale Overheid dicht bij 's-Hertogenbosch" in said
    [desk] = cards(answer)  # the gemeente's front desk, from the register: nothing made up
    assert desk["kind"] == "gemeente" and desk["gemeente_code"] == "GM0796"
    assert desk["address"] and desk["phone"] and desk["lat"] is not None
    assert desk["source"] == "roo" and "Register van Overheidsorganisaties" in desk["text"]
    assert "Vraag naar het Informatiepunt Digitale Overheid. De gemeente weet waar het is." in desk["text"]


async def test_change_of_location(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "ze heeft hulp nodig met haar digid")
    first = await rasa.send(sender, "Zwolle")
    assert cards(first)[0]["name"] == "IDO Proefbibliotheek Zwolle"
    again = await rasa.send(sender, "nee, niet Zwolle maar Assen")
    assert cards(again)[0]["name"] == "IDO Proefbibliotheek Assen"


async def test_the_place_is_remembered_for_the_next_topic(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "digid kwijt")
    await rasa.send(sender, "9401 AA")
    answer = await rasa.send(sender, "ze moet ook haar huurtoeslag aanvragen")
    assert cards(answer) and cards(answer)[0]["place"] == "Assen"
    assert not any((m.get("custom") or {}).get("type") == "ask_location" for m in answer)


async def test_shared_location(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "ik zoek hulp bij overheidszaken")
    answer = await rasa.send(sender, "/inform_location", metadata={"location": {"lat": 52.99, "lon": 6.56}})
    assert cards(answer)[0]["name"] == "IDO Proefbibliotheek Assen"


async def test_professional_role_gets_the_referral_route(rasa: RasaClient, sender: str) -> None:
    professional = {"role": "professional"}
    await rasa.send(sender, "cliënt moet huurtoeslag terugbetalen", metadata=professional)
    answer = texts(await rasa.send(sender, "Assen", metadata=professional))
    assert "Dienst Toeslagen beslist" in answer
    helper_sender = sender + "-h"
    await rasa.send(helper_sender, "mijn buurvrouw moet huurtoeslag terugbetalen")
    helper = texts(await rasa.send(helper_sender, "Assen"))
    assert "Dienst Toeslagen beslist" not in helper and "Ga samen" in helper


async def test_stuck_between_agencies_finds_the_loket_by_gemeente(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "het UWV stuurt ons naar de gemeente en de gemeente weer naar het UWV")
    answer = await rasa.send(sender, "Dordrecht")
    found = cards(answer)
    assert found and found[0]["kind"] == "overheidsbreed_loket"
    assert found[0]["gemeente"] == "Dordrecht" and found[0]["lat"] is None


async def test_no_place_given_still_gets_the_route(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "mijn vader is zijn digid kwijt")
    answer = texts(await rasa.send(sender, "nee"))
    assert "bibliotheek" in answer


async def test_a_sentence_is_never_echoed_as_a_place(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "mijn opa heeft hulp nodig met zijn digid")
    message = "dat weet ik niet precies, ergens achter de kerk bij de oude molen"
    answer = texts(await rasa.send(sender, message))
    assert message not in answer
    assert "Die plaats ken ik niet: dat" not in answer


async def test_a_new_topic_while_the_place_is_asked_starts_that_topic(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "ik help mijn zus met haar digid")
    answer = texts(await rasa.send(sender, "ze heeft ook een brief van de belastingdienst over een aanslag"))
    assert "Het gaat over belasting" in answer
    assert "Die plaats ken ik niet" not in answer and "Het lukt mij niet om de plaats te vinden" not in answer
