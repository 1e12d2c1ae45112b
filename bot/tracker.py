"""What the front-end reads from a Rasa conversation (the tracker JSON):
the user's words, the latest referral, the topic. The user's words were
redacted before Rasa saw them."""

from __future__ import annotations

from typing import Any

EARLIER_MESSAGES = 10  # kept with an escalation, with what the NLU understood


def user_messages(tracker: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The user's messages to the bot, each with the intent the NLU gave it;
    buttons and commands left out."""
    said: list[tuple[str, str | None]] = []
    for event in tracker.get("events") or []:
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if not text or text.startswith("/"):
            continue
        parse_data: dict[str, Any] = event.get("parse_data") or {}
        said.append((text[:1000], (parse_data.get("intent") or {}).get("name")))
    return said


def earlier_messages(tracker: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The last messages before a handoff, for staff to see."""
    return user_messages(tracker)[-EARLIER_MESSAGES:]


def latest_referral(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The door cards of the latest referral (nearest first); [] when none."""
    cards: list[dict[str, Any]] = []
    turn, cards_turn = 0, -1
    for event in tracker.get("events") or []:
        if event.get("event") == "user":
            turn += 1
        elif event.get("event") == "bot":
            custom: dict[str, Any] = (event.get("data") or {}).get("custom") or {}
            if custom.get("type") != "referral":
                continue
            if cards_turn != turn:  # a later referral replaces the earlier one
                cards, cards_turn = [], turn
            cards.append(custom)
    return cards


def topic_of(tracker: dict[str, Any]) -> str | None:
    slots: dict[str, Any] = tracker.get("slots") or {}
    topic = slots.get("topic")
    return topic if isinstance(topic, str) else None
