"""The composition root of the front-end: the conversation every front-end
(terminal chat, Telegram) is built from, wired in one place."""

from __future__ import annotations

from typing import Any

from bot.conversation import Conversation, Handoff
from bot.rasa_client import RasaClient
from wegwijzer.db.session import session_factory
from wegwijzer.doors import DoorStore
from wegwijzer.privacy import load_secret
from wegwijzer.users import UserStore


def location_for_key(key: str) -> dict[str, Any] | None:
    """A location slot value for a place key such as "gm:GM0106" (deep links)."""
    from wegwijzer.places import gazetteer

    resolution = gazetteer().resolve(key)
    return resolution.location.as_slot() if resolution.found and resolution.location else None


def build_conversation(rasa: RasaClient, channel: str, handoff: Handoff | None = None) -> Conversation:
    """The conversation for one front-end ("terminal" or "tg")."""
    sessions = session_factory()
    return Conversation(
        rasa,
        load_secret(),
        channel,
        UserStore(sessions),
        places=location_for_key,
        handoff=handoff,
        doors=DoorStore(sessions),
    )
