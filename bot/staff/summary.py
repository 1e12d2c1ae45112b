"""The staff summary, from the Rasa conversation (tracker JSON)."""

from __future__ import annotations

from typing import Any

from wegwijzer.summary import Summary
from wegwijzer.texts import staff as staff_text
from wegwijzer.topics import topics

LAST_MESSAGES = 5  # the user's own words; what the bot said is summed up under "advised"


def summary_from_tracker(tracker: dict[str, Any], role: str) -> tuple[Summary, dict[str, Any]]:
    """The summary and the facts the escalation stores (topic, place, ...)."""
    slots = tracker.get("slots") or {}
    known = topics()
    seen_topics: list[str] = []
    messages: list[tuple[str, str]] = []
    advised: list[str] = []
    for event in tracker.get("events") or []:
        if event.get("event") == "user":
            parse_data: dict[str, Any] = event.get("parse_data") or {}
            intent = (parse_data.get("intent") or {}).get("name")
            if intent in known and intent not in seen_topics and intent != "urgent_crisis":
                seen_topics.append(intent)
            text = event.get("text") or ""
            if text and not text.startswith("/"):
                messages.append(("user", text))
        elif event.get("event") == "bot":
            data: dict[str, Any] = event.get("data") or {}
            custom: dict[str, Any] = data.get("custom") or {}
            if custom.get("type") == "referral":
                advised.append(staff_text("advised_door", name=custom.get("name")))

    topic = slots.get("topic") or (seen_topics[-1] if seen_topics else None)
    if topic and topic not in seen_topics and topic in known:
        seen_topics.append(topic)
    raw_location = slots.get("location")
    location: dict[str, Any] = raw_location if isinstance(raw_location, dict) else {}
    place = location.get("name") if location.get("lat") is not None else None
    labels = [known[t].label for t in seen_topics if t in known]
    if topic in known and known[topic].organisations:
        advised.insert(0, staff_text("advised_national_route", topic=known[topic].label))
    summary = Summary(
        role=role,
        topics=labels,
        place=place,
        gemeente=location.get("gemeente"),
        advised=advised,
        last_messages=[(w, t[:300]) for w, t in messages[-LAST_MESSAGES:]],
    )
    facts = {
        "topic": topic,
        "topics": seen_topics,
        "place": place,
        "gemeente": location.get("gemeente"),
        "gemeente_code": location.get("gemeente_code"),
        "label": labels[-1] if labels else staff_text("topic_question"),
    }
    return summary, facts
