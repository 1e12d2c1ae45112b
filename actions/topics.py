"""Topic answers and the clarification question when the NLU is unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import offer_handoff
from wegwijzer.directory import organisations
from wegwijzer.referral import national_route
from wegwijzer.topics import topic_for_intent, topics

CLARIFY_CHOICES = 3


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row the NLU was unsure of."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
                break
            count += 1
    return count


class ActionExplainTopic(Action):
    """Names the topic in plain words and gives the national route."""

    def name(self) -> str:
        return "action_explain_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=True)
        topic = topic_for_intent(intent)
        if topic is None:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        for text in national_route(topic, organisations()):
            dispatcher.utter_message(text=text)
        agencies = {
            e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "organisatie"
        }
        complex_case = intent == "find_loket" and len(agencies) >= 2
        return [SlotSet("topic", intent), SlotSet("complex_case", complex_case)]


class ActionClarifyTopic(Action):
    """One question with buttons for the three most likely topics."""

    def name(self) -> str:
        return "action_clarify_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if fallbacks_in_a_row(tracker) >= 2:
            # Not understood twice: a person can help better than a third guess.
            return offer_handoff(dispatcher, tracker)
        ranking = tracker.latest_message.get("intent_ranking") or []
        choices = [t for r in ranking if (t := topic_for_intent(r.get("name")))][:CLARIFY_CHOICES]
        if not choices:
            choices = [topics()[c] for c in ("topic_digid", "topic_toeslagen", "topic_brief")]
        buttons = [{"title": t.label, "payload": f"/{t.intent}"} for t in choices]
        dispatcher.utter_message(response="utter_clarify_topic", buttons=buttons)
        dispatcher.utter_message(response="utter_clarify_other")
        return []
