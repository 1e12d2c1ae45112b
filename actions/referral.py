"""The referral: once the place is known, the right door for the topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from wegwijzer.directory import counter_index, organisations
from wegwijzer.places import Location
from wegwijzer.referral import HELPER, PROFESSIONAL, refer
from wegwijzer.topics import topics

DEFAULT_TOPIC = "find_ido"


def role_of(tracker: Tracker) -> str:
    """The role the front-end sends (set with /rol), else the remembered one."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    role = metadata.get("role") or tracker.get_slot("role")
    return PROFESSIONAL if role == PROFESSIONAL else HELPER


class ActionRefer(Action):
    def name(self) -> str:
        return "action_refer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        topic = topics().get(tracker.get_slot("topic") or DEFAULT_TOPIC) or topics()[DEFAULT_TOPIC]
        slot = tracker.get_slot("location")
        location = Location.from_slot(slot) if isinstance(slot, dict) and slot.get("lat") is not None else None
        role = role_of(tracker)
        referral = refer(topic, location, role, counter_index(), organisations())
        for text in referral.messages:
            dispatcher.utter_message(text=text)
        for card in referral.cards:
            dispatcher.utter_message(json_message=card)
        for text in referral.after:
            dispatcher.utter_message(text=text)
        events: list[dict[str, Any]] = [SlotSet("role", role)]
        if tracker.get_slot("complex_case"):
            # A case stuck between several agencies: a person can look into it.
            from actions.handoff import offer_handoff

            events += offer_handoff(dispatcher, tracker)
        return events
