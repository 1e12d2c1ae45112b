"""Conversations over the REST channel of the real Rasa server, with the real
action server: every path of the first dialogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.rasa_client import RasaClient
from bot.rendering import from_rasa
from wegwijzer.directory import organisations
from wegwijzer.texts import say
from wegwijzer.topics import topics
from wegwijzer.vocabulary import topic_intents

pytestmark = pytest.mark.stack

TOPIC_INTENTS = topic_intents()


def texts(messages: list[dict]) -> list[str]:
    """What the user reads (the domain's responses name catalogue keys)."""
    return [r.text for r in from_rasa(messages) if r.text]


async def test_greeting(rasa: RasaClient, sender: str) -> None:
    answer = texts(await rasa.send(sender, "hallo"))
    assert answer and answer[0].startswith("Hallo!")
    assert "Wegwijzer" in answer[0]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("doei, tot de volgende keer", "Dag!"),
        ("dank je wel!", "Graag gedaan"),
        ("ben jij een robot?", "Ik ben een computer, geen mens"),
        ("wat kun je allemaal?", "Ik help"),
        ("wie wordt er kampioen, ajax of psv?", "Daar kan ik helaas niet mee helpen"),
        ("ja", "Waar kan ik u mee helpen"),
    ],
)
async def test_small_talk(rasa: RasaClient, sender: str, message: str, expected: str) -> None:
    answer = texts(await rasa.send(sender, message))
    assert any(expected in t for t in answer), answer


async def test_bot_challenge_offers_a_person(rasa: RasaClient, sender: str) -> None:
    answer = " ".join(texts(await rasa.send(sender, "praat ik met een mens of met een computer?")))
    assert "computer" in answer and "mens" in answer


async def test_out_of_scope_says_what_it_can_do(rasa: RasaClient, sender: str) -> None:
    answer = " ".join(texts(await rasa.send(sender, "wat voor weer wordt het morgen in Zwolle")))
    assert "DigiD" in answer and "toeslagen" in answer


@pytest.mark.parametrize("intent", TOPIC_INTENTS)
async def test_every_topic_gives_the_national_route_then_asks_where(rasa: RasaClient, sender: str, intent: str) -> None:
    topic = topics()[intent]
    answer = texts(await rasa.send(sender, f"/{intent}"))
    assert answer[0] == topic.about
    route = "\n".join(answer)
    for organisation in (organisations()[org_id] for org_id in topic.organisations):
        assert organisation.name in route
        if organisation.no_national_number:  # organised locally: said so, nothing made up
            assert "Er is geen landelijk telefoonnummer" in route
        elif organisation.phone and organisation.confirmed:
            assert f"Bel {organisation.phone}" in route
        elif organisation.phone:
            assert f"Telefoon: {organisation.phone}" in route and "Dit nummer is niet gecontroleerd" in route
            if organisation.phone_cost:
                assert organisation.phone_cost in route  # a 0900 number says what it costs
        else:
            assert "telefoonnummer konden we niet controleren" in route
    assert "postcode" in answer[-1] and "plaats" in answer[-1]


async def test_a_typed_digid_question(rasa: RasaClient, sender: str) -> None:
    answer = texts(await rasa.send(sender, "mijn buurvrouw is haar digid kwijt"))
    assert "DigiD" in answer[0]
    assert any("www.digid.nl" in t for t in answer)
    assert "postcode" in answer[-1]


async def test_crisis_numbers_come_first(rasa: RasaClient, sender: str) -> None:
    answer = texts(await rasa.send(sender, "mijn buurman zegt dat hij er een eind aan wil maken"))
    first = answer[0]
    assert "112" in first and "113" in first and "0800-0113" in first


def crisis_texts() -> list[str]:
    """The domain's crisis answer (a catalogue key), in every voice."""
    import yaml

    from wegwijzer.texts import users, users_en, users_je

    domain = yaml.safe_load(Path("nlu/domain/crisis.yml").read_text(encoding="utf-8"))
    key = domain["responses"]["utter_crisis"][0]["custom"]["say"]
    return [catalogue(key) for catalogue in (users, users_je, users_en)]


def test_crisis_numbers_match_the_directory() -> None:
    """The crisis answer's numbers, in Dutch and English, must stay those of
    organisaties.json."""
    raw = json.loads(Path("wegwijzer/data/organisaties.json").read_text(encoding="utf-8"))
    by_id = {o["id"]: o for o in raw["organisaties"]}
    for text in crisis_texts():
        assert by_id["112"]["telefoon"] in text
        assert by_id["113"]["telefoon"] in text
        assert by_id["113"]["telefoon_alternatief"].replace(" ", "-") in text
        assert by_id["veilig-thuis"]["telefoon"] in text


def test_the_front_end_gives_the_same_crisis_numbers() -> None:
    """While a person helps, the front-end answers an urgent message itself
    (crisis_now), with the same text as the domain's crisis answer."""
    from wegwijzer.texts import say

    assert say("crisis_now") == crisis_texts()[0]


async def test_unsure_asks_one_question_with_three_topics(rasa: RasaClient, sender: str) -> None:
    message = "vraagje over iets"
    parsed = await rasa.parse(message)
    assert parsed["intent"]["name"] == "nlu_fallback"  # precondition: low confidence
    likely = [r["name"] for r in parsed["intent_ranking"] if r["name"] in topics()][:3]
    answer = from_rasa(await rasa.send(sender, message))
    with_buttons = [r for r in answer if r.buttons]
    assert len(with_buttons) == 2
    payloads = [b.payload for b in with_buttons[0].buttons]
    assert payloads == [f"/{name}" for name in likely]
    assert len(payloads) == 3
    # A person is always within reach.
    assert [b.payload for b in with_buttons[1].buttons] == ["/medewerker"]
    assert all(b.title for r in with_buttons for b in r.buttons)


async def test_a_clarification_button_leads_to_the_topic(rasa: RasaClient, sender: str) -> None:
    await rasa.send(sender, "vraagje over iets")
    answer = texts(await rasa.send(sender, "/topic_toeslagen"))
    assert answer[0] == topics()["topic_toeslagen"].about


async def test_asking_for_a_person_asks_consent_first(rasa: RasaClient, sender: str) -> None:
    answer = await rasa.send(sender, "ik wil graag met een medewerker praten")
    assert "zonder uw naam" in texts(answer)[0]
    payloads = [b.payload for r in from_rasa(answer) for b in r.buttons]
    assert payloads == ["/overdracht ja request_human normal", "/overdracht nee"]


async def test_unsure_twice_offers_a_person(rasa: RasaClient, sender: str) -> None:
    for message in ("vraagje over iets", "vraagje over iets"):
        parsed = await rasa.parse(message)
        assert parsed["intent"]["name"] == "nlu_fallback"  # precondition: low confidence
    await rasa.send(sender, "vraagje over iets")
    answer = await rasa.send(sender, "vraagje over iets")
    payloads = [b.payload for r in from_rasa(answer) for b in r.buttons]
    assert payloads == ["/overdracht ja fallback normal", "/overdracht nee"]


async def test_a_professional_asking_for_a_person_is_a_complex_case(rasa: RasaClient, sender: str) -> None:
    answer = await rasa.send(sender, "kan ik een collega van jullie spreken", metadata={"role": "professional"})
    payloads = [b.payload for r in from_rasa(answer) for b in r.buttons]
    assert payloads[0] == "/overdracht ja complex normal"


async def test_a_deadline_this_week_says_what_to_do_and_offers_a_person_first(rasa: RasaClient, sender: str) -> None:
    """Not a crisis, but pressing: the referral says what to do this week,
    and the person offered gets the priority between normal and urgent."""
    first = texts(
        await rasa.send(sender, "mijn oom heeft een laatste aanmaning gekregen en kan zijn schulden niet betalen")
    )
    assert not any("112" in t for t in first)  # not a crisis
    answer = from_rasa(await rasa.send(sender, "Assen"))
    said = [r.text for r in answer]
    assert say("deadline_last_reminder") in said, said
    assert any(r.kind == "referral" for r in answer)
    payloads = [b.payload for r in answer for b in r.buttons if b.payload.startswith("/overdracht")]
    assert payloads == ["/overdracht ja deadline high", "/overdracht nee"]
