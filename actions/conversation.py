"""What the actions read from the conversation itself: the writer's role."""

from __future__ import annotations

from rasa_sdk import Tracker

from wegwijzer.vocabulary import Role


def role_of(tracker: Tracker) -> Role:
    """The role the front-end sends (set with /rol), else the remembered one."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return Role.of(metadata.get("role") or tracker.get_slot("role"))
