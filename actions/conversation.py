"""What the actions read from the conversation itself: the writer's role and
voice (the language, and "u" or "je"), sent by the front-end with every
message."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from wegwijzer.texts import Voice, speaking
from wegwijzer.vocabulary import Role

type Run[A] = Callable[[A, CollectingDispatcher, Tracker, dict[str, Any]], Awaitable[list[dict[str, Any]]]]


def _metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def role_of(tracker: Tracker) -> Role:
    """The role the front-end sends (set with /rol), else the remembered one."""
    return Role.of(_metadata(tracker).get("role") or tracker.get_slot("role"))


def voice_of(tracker: Tracker) -> Voice:
    """The voice the front-end sends; Dutch with "u" when none is sent."""
    voice = _metadata(tracker).get("voice")
    voice = voice if isinstance(voice, dict) else {}
    return Voice.of(voice.get("language"), voice.get("form"))


def in_voice[A](run: Run[A]) -> Run[A]:
    """An action's `run` that says its texts in the user's voice."""

    @functools.wraps(run)
    async def speaking_run(
        self: A, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with speaking(voice_of(tracker)):
            return await run(self, dispatcher, tracker, domain)

    return speaking_run
