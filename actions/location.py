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
}


def resolve_from_message(tracker: Tracker) -> Resolution | None:
    """The place in the latest message, or None when it names none."""
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    shared = metadata.get("location")
    if isinstance(shared, dict) and "lat" in shared and "lon" in shared:
        return gazetteer().resolve_coordinates(float(shared["lat"]), float(shared["lon"]))
    text = message.get("text") or ""
    entities = message.get("entities") or []
    postcodes = [e for e in entities if e.get("entity") == "postcode"]
    if postcodes:
        return gazetteer().resolve(str(postcodes[-1]["value"]))
    places = [e for e in entities if e.get("entity") == "plaats"]
    if places:
        spans = [
            (text[e["start"]:e["end"]] if "start" in e and text else str(e["value"]), e.get("start", 0))
            for e in places
        ]
        typed = choose_place(text, spans)
        chosen = next(e for e, s in zip(places, spans) if s[0] == typed)
        resolution = gazetteer().resolve(typed)
        if not resolution.found and resolution.status != "ambiguous":
            resolution = gazetteer().resolve(str(chosen["value"]))
        return resolution
    if message.get("intent", {}).get("name") == "inform_location" or tracker.get_slot("requested_slot") == "location":
        stripped = FILLER.sub("", text.strip()).strip(" .!?")
        if stripped and not stripped.startswith("/"):
            return gazetteer().resolve(stripped)
    return None


class ValidateLocationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_location_form"

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        resolution = resolve_from_message(tracker)
        if resolution is None:
            return {}
        if resolution.found:
            return {"location": resolution.location.as_slot()}  # type: ignore[union-attr]
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
        dispatcher.utter_message(response=PROBLEM_RESPONSES[resolution.status], place=resolution.query)
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
        if event.get("event") == "bot":
            if (event.get("metadata") or {}).get("utter_action") in PROBLEM_RESPONSES.values():
                failures += 1
    return failures


class ActionAskLocation(Action):
    """Asks for the place; front-ends that can share a location offer that too."""

    def name(self) -> str:
        return "action_ask_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_ask_location", json_message={"type": "ask_location"})
        return []


class ActionForgetLocation(Action):
    """A new place was given: forget the old one so the form takes the new."""

    def name(self) -> str:
        return "action_forget_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet("location", None)]
