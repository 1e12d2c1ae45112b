"""Offering a person: asked for, not understood twice, complex, or crisis.

The action only asks for consent (with the reason and priority in the
button payloads); the front-end creates the escalation when the user says
yes, because only it can reach the staff group.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import in_voice, role_of
from wegwijzer.deadlines import pressing
from wegwijzer.vocabulary import Priority, Reason, Role


def user_texts(tracker: Tracker) -> list[str]:
    """What the user wrote in this conversation (already redacted by the front-end)."""
    return [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]


def handoff_reason(tracker: Tracker) -> tuple[Reason, Priority]:
    """(reason, priority) for the latest message."""
    intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
    if intent == "urgent_crisis":
        return Reason.CRISIS, Priority.URGENT
    if pressing(user_texts(tracker)) is not None:
        return Reason.DEADLINE, Priority.HIGH  # a deadline this week: before normal questions
    if intent == "nlu_fallback":
        return Reason.FALLBACK, Priority.NORMAL
    if tracker.get_slot("complex_case") or role_of(tracker) == Role.PROFESSIONAL:
        return Reason.COMPLEX, Priority.NORMAL
    return Reason.REQUEST_HUMAN, Priority.NORMAL


def offer_handoff(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    reason, priority = handoff_reason(tracker)
    if reason == Reason.CRISIS:
        dispatcher.utter_message(response="utter_handoff_consent_crisis")
    elif reason == Reason.DEADLINE:
        dispatcher.utter_message(response="utter_handoff_consent_deadline")
    else:
        dispatcher.utter_message(response="utter_handoff_consent", reason=reason.value, priority=priority.value)
    return [SlotSet("complex_case", False)]


class ActionOfferHandoff(Action):
    def name(self) -> str:
        return "action_offer_handoff"

    @in_voice
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return offer_handoff(dispatcher, tracker)
