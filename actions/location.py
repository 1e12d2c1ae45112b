"""Where the person lives: a place name, a postcode or a shared location."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionAcknowledgeLocation(Action):
    """Confirms the place or postcode the NLU found, then the always-true route."""

    def name(self) -> str:
        return "action_acknowledge_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        places = list(tracker.get_latest_entity_values("plaats"))
        postcodes = list(tracker.get_latest_entity_values("postcode"))
        found = postcodes[-1:] or places[-1:]
        if not found:
            dispatcher.utter_message(response="utter_location_not_understood")
            return []
        dispatcher.utter_message(response="utter_location_noted", location=found[0])
        dispatcher.utter_message(response="utter_location_fallback")
        return []
