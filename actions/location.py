"""The location form: where does the person live?

A postcode, a place name or a shared location (Telegram) fills the slot
`location`; it is remembered for the conversation and a new place ("nee, niet
Groningen maar Assen") replaces it. A name several places share gets a
question with buttons; an unknown place or postcode gets a clear answer and a
second try, after which the general route is given without a place.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import in_voice
from wegwijzer.places import Resolution, choose_place, gazetteer

UNKNOWN = {"key": "unknown"}  # the slot value when no place could be found
MAX_TRIES = 2
FILLER = re.compile(
    r"^(nee,?\s*)?(sorry,?\s*)?(ik bedoel\s+)?((ik|we|wij|ze|zij|hij)\s+(woon|woont|wonen|zit|zitten)\s+)?"
    r"(in\s+(de\s+)?(gemeente\s+)?|te\s+|postcode\s*:?\s*)?",
    re.IGNORECASE,
)
PROBLEM_RESPONSES = {
    "unknown": "utter_place_unknown",
    "unknown_postcode": "utter_postcode_unknown",
    "abroad": "utter_place_abroad",
    "empty": "utter_place_unknown",
    "not_found": "utter_place_not_found",
}


# While the place is asked, these intents have a rule of their own (urgent
# help, a person, goodbye, a question about the bot): the form leaves the
# message to that rule and never takes it as a place name. A new topic too.
OWN_RULE = frozenset({"urgent_crisis", "request_human", "goodbye", "bot_challenge", "ask_capabilities"})
# These have a rule too, but a place named in them still counts ("nee, niet
# Groningen maar Assen"); their free text is never read as a place.
NO_FREE_TEXT = frozenset({"deny", "greet", "thank", "affirm"})
# An answer this short may be a place name the NLU did not know ("zwolel");
# a longer message is never read, nor echoed, as a place.
MAX_ANSWER_WORDS = 3


def is_topic(intent: str | None) -> bool:
    return bool(intent) and (str(intent).startswith("topic_") or intent in ("find_ido", "find_loket"))


def answering_the_place_question(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("requested_slot") == "location")


def resolve_from_message(tracker: Tracker) -> Resolution | None:
    """The place in the latest message, or None when it names none.

    Urgent help comes first in every state: a crisis message is never a
    place. While the place is asked, a message with a rule of its own (a
    person, a new topic, goodbye, ...) is left to that rule. When the form
    starts, the place named in the message that started it is taken."""
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    shared = metadata.get("location")
    if isinstance(shared, dict) and "lat" in shared and "lon" in shared:
        return gazetteer().resolve_coordinates(float(shared["lat"]), float(shared["lon"]))
    intent = (message.get("intent") or {}).get("name")
    asked = answering_the_place_question(tracker)
    if intent == "urgent_crisis" or (asked and (intent in OWN_RULE or is_topic(intent))):
        return None
    text = message.get("text") or ""
    entities = message.get("entities") or []
    postcodes = [e for e in entities if e.get("entity") == "postcode"]
    if postcodes:
        return gazetteer().resolve(str(postcodes[-1]["value"]))
    places = [e for e in entities if e.get("entity") == "plaats"]
    if places:
        spans = [
            (text[e["start"] : e["end"]] if "start" in e and text else str(e["value"]), e.get("start", 0))
            for e in places
        ]
        typed = choose_place(text, spans) or spans[-1][0]
        chosen = next(e for e, s in zip(places, spans, strict=True) if s[0] == typed)
        resolution = gazetteer().resolve(typed)
        if not resolution.found and resolution.status != "ambiguous":
            resolution = gazetteer().resolve(str(chosen["value"]))
        return resolution
    if intent == "inform_location" or (asked and intent not in NO_FREE_TEXT):
        stripped = FILLER.sub("", text.strip()).strip(" .!?")
        short = len(stripped.split()) <= MAX_ANSWER_WORDS
        if stripped and not stripped.startswith("/") and (short or intent == "inform_location"):
            return gazetteer().resolve(stripped)
    return None


def tried_word(resolution: Resolution) -> str | None:
    """What to name back for a place that was not found: the short answer
    itself ("Zwolel"), never a whole sentence."""
    words = resolution.query.split()
    return resolution.query if 0 < len(words) <= MAX_ANSWER_WORDS else None


class ValidateLocationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_location_form"

    @in_voice
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return list(await super().run(dispatcher, tracker, domain))

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        resolution = resolve_from_message(tracker)
        if resolution is None:
            return {}
        if resolution.location is not None:
            return {"location": resolution.location.as_slot()}
        if resolution.status == "ambiguous":
            buttons = [
                {"title": choice.label(), "payload": f'/inform_location{{"plaats": "{choice.key}"}}'}
                for choice in resolution.choices[:5]
            ]
            dispatcher.utter_message(response="utter_place_ambiguous", place=resolution.query, buttons=buttons)
            return {"location": None}
        if failed_tries(tracker) + 1 >= MAX_TRIES:
            dispatcher.utter_message(response="utter_place_give_up")
            return {"location": UNKNOWN}
        word = tried_word(resolution)
        if word is None:  # a sentence, not a name: ask again, never echo it
            dispatcher.utter_message(response=PROBLEM_RESPONSES["not_found"])
        else:
            dispatcher.utter_message(response=PROBLEM_RESPONSES[resolution.status], place=word)
        return {"location": None}

    async def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"location": value if isinstance(value, dict) else None}


def failed_tries(tracker: Tracker) -> int:
    """How often the place was not understood since the form last started."""
    failures = 0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "location_form":
            break
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in set(
            PROBLEM_RESPONSES.values()
        ):
            failures += 1
    return failures


class ActionAskLocation(Action):
    """Asks for the place; front-ends that can share a location offer that too."""

    def name(self) -> str:
        return "action_ask_location"

    @in_voice
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(json_message={"type": "ask_location", "say": "utter_ask_location"})
        return []


class ActionForgetLocation(Action):
    """A new place was given: forget the old one so the form takes the new."""

    def name(self) -> str:
        return "action_forget_location"

    @in_voice
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet("location", None)]
