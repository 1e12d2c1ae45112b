"""The custom actions, run in-process with rasa_sdk's Tracker and
CollectingDispatcher (the end-to-end dialogue tests beside this one go
through the real Rasa and action servers)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionOfferHandoff
from actions.location import ValidateLocationForm
from actions.referral import ActionRefer
from actions.topics import ActionClarifyTopic, ActionExplainTopic
from tests.actions.conftest import MakeTracker, responses
from wegwijzer.topics import topics

ASKED = {"requested_slot": "location"}
ASSEN = {"entity": "plaats", "value": "Assen", "start": 11, "end": 16}


async def extract(tracker: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    result: dict[str, Any] = await ValidateLocationForm().extract_location(dispatcher, tracker, {})
    return result


async def test_a_crisis_answer_to_the_place_question_is_not_a_place(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    asked = tracker("ik weet het niet meer, ik wil niet meer leven", "urgent_crisis", slots=ASKED)
    assert await extract(asked, dispatcher) == {}
    assert dispatcher.messages == []


async def test_a_new_topic_or_a_person_is_left_to_its_rule(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    for text, intent in (("en ze heeft ook een aanslag", "topic_belasting"), ("een mens graag", "request_human")):
        assert await extract(tracker(text, intent, slots=ASKED), dispatcher) == {}
    assert dispatcher.messages == []


async def test_a_place_named_when_the_form_starts_is_taken(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    started = tracker("digid kwijt Assen", "topic_digid", entities=[ASSEN])
    slot = (await extract(started, dispatcher))["location"]
    assert slot["name"] == "Assen" and slot["gemeente"] == "Assen"


async def test_a_short_unknown_answer_is_named_a_sentence_is_not(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    assert await extract(tracker("Qwxyzdorp", "out_of_scope", slots=ASKED), dispatcher) == {"location": None}
    assert responses(dispatcher) == ["utter_place_unknown"]
    assert dispatcher.messages[0]["place"] == "Qwxyzdorp"
    dispatcher.messages.clear()
    sentence = "weet ik niet, ergens achter de kerk bij de molen"
    assert await extract(tracker(sentence, "inform_location", slots=ASKED), dispatcher) == {"location": None}
    assert responses(dispatcher) == ["utter_place_not_found"]
    assert "place" not in dispatcher.messages[0]


async def test_a_shared_location_is_used_as_it_is(tracker: MakeTracker, dispatcher: CollectingDispatcher) -> None:
    shared = tracker("/inform_location", "inform_location", metadata={"location": {"lat": 52.99, "lon": 6.56}})
    slot = (await extract(shared, dispatcher))["location"]
    assert slot["kind"] == "coordinates" and slot["gemeente"] == "Assen"


async def test_the_offer_of_a_person_carries_reason_and_priority(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    await ActionOfferHandoff().run(dispatcher, tracker("help", "urgent_crisis"), {})
    await ActionOfferHandoff().run(
        dispatcher, tracker("een collega", "request_human", metadata={"role": "professional"}), {}
    )
    await ActionOfferHandoff().run(dispatcher, tracker("een mens", "request_human"), {})
    assert responses(dispatcher) == ["utter_handoff_consent_crisis", "utter_handoff_consent", "utter_handoff_consent"]
    assert (dispatcher.messages[1]["reason"], dispatcher.messages[1]["priority"]) == ("complex", "normal")
    assert (dispatcher.messages[2]["reason"], dispatcher.messages[2]["priority"]) == ("request_human", "normal")


async def test_a_topic_is_explained_with_its_national_route(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    events = await ActionExplainTopic().run(dispatcher, tracker("digid kwijt", "topic_digid"), {})
    assert dispatcher.messages[0]["text"] == topics()["topic_digid"].about
    assert SlotSet("topic", "topic_digid") in events and SlotSet("complex_case", False) in events


async def test_a_case_between_two_agencies_is_complex(tracker: MakeTracker, dispatcher: CollectingDispatcher) -> None:
    agencies = [{"entity": "organisatie", "value": "UWV"}, {"entity": "organisatie", "value": "Belastingdienst"}]
    message = tracker("van uwv naar de belasting en terug", "find_loket", entities=agencies)
    assert SlotSet("complex_case", True) in await ActionExplainTopic().run(dispatcher, message, {})


async def test_a_clarification_offers_the_likely_topics_then_a_person(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.3},
        {"name": "topic_zorg", "confidence": 0.2},
        {"name": "greet", "confidence": 0.1},
        {"name": "topic_wonen", "confidence": 0.1},
    ]
    await ActionClarifyTopic().run(dispatcher, tracker("iets", "nlu_fallback", ranking=ranking), {})
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/topic_zorg", "/topic_wonen"]
    dispatcher.messages.clear()
    earlier = [{"event": "user", "text": "hm", "parse_data": {"intent": {"name": "nlu_fallback"}}}]
    await ActionClarifyTopic().run(dispatcher, tracker("nog iets", "nlu_fallback", events=earlier), {})
    assert responses(dispatcher) == ["utter_handoff_consent"]


async def test_the_referral_for_a_place_names_the_nearest_counter(
    tracker: MakeTracker, dispatcher: CollectingDispatcher
) -> None:
    from wegwijzer.places import gazetteer

    assen = gazetteer().resolve("Assen").location
    assert assen is not None
    slots = {"topic": "topic_digid", "location": assen.as_slot()}
    events = await ActionRefer().run(dispatcher, tracker("Assen", "inform_location", slots=slots), {})
    cards = [m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == "referral"]
    assert cards and cards[0]["name"] == "IDO Proefbibliotheek Assen"
    assert SlotSet("role", "helper") in events
