"""The referral: once the place is known, the right door for the topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import in_voice, role_of
from actions.handoff import offer_handoff, user_texts
from wegwijzer.deadlines import pressing
from wegwijzer.directory import counter_index, organisations
from wegwijzer.places import Location
from wegwijzer.referral import refer
from wegwijzer.topics import topics

DEFAULT_TOPIC = "find_ido"


class ActionRefer(Action):
    def name(self) -> str:
        return "action_refer"

    @in_voice
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
        events: list[dict[str, Any]] = [SlotSet("role", role.value)]
        deadline = pressing(user_texts(tracker))
        if deadline is not None:
            # A deadline that is not a crisis: what to do this week, and a
            # person with priority.
            dispatcher.utter_message(json_message={"say": deadline.say})
            events += offer_handoff(dispatcher, tracker)
        elif tracker.get_slot("complex_case"):
            # A case stuck between several agencies: a person can look into it.
            events += offer_handoff(dispatcher, tracker)
        return events
