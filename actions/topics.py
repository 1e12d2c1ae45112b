"""Topic answers and the clarification question when the NLU is unsure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import in_voice
from actions.handoff import offer_handoff
from wegwijzer.directory import organisations
from wegwijzer.glossary import glossary
from wegwijzer.referral import national_route
from wegwijzer.texts import current_voice, say
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


def explain_words(tracker: Tracker) -> list[str]:
    """The explanation of a word the user asked about ("wat betekent ..."), with its source."""
    asked = [
        e
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == "begrip" and e.get("role") == "asked" and e.get("value") in glossary()
    ]
    if not asked:
        return []
    term = glossary()[asked[0]["value"]]
    source = say("glossary_source", source=term.source) if term.source else say("glossary_no_source")
    return [
        say("glossary_answer", word=term.key, explanation=term.explanation(current_voice().language)) + "\n" + source,
        say("glossary_then"),
    ]


class ActionExplainTopic(Action):
    """Names the topic in plain words and gives the national route."""

    def name(self) -> str:
        return "action_explain_topic"

    @in_voice
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=True)
        topic = topic_for_intent(intent)
        if topic is None:
            dispatcher.utter_message(response="utter_how_can_i_help")
            return []
        for text in explain_words(tracker):
            dispatcher.utter_message(text=text)
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

    @in_voice
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
