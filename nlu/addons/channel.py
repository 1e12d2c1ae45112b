"""Rasa input channel for Wegwijzer's front-ends (terminal chat and Telegram).

Rasa's REST channel, plus:
- the message `metadata` (role, language, shared location) that the
  front-end sends along;
- POST /webhooks/wegwijzer/conversations/<sender>/forget, which deletes a
  conversation from the tracker store (the user's /stop, "forget me");
- the token of Rasa's HTTP API (RASA_AUTH_TOKEN, ?token=...) on every route;
- a message is refused with 503 while the action server (ACTION_SERVER_URL)
  or the database of the tracker store cannot be reached: Rasa would
  otherwise run the turn without its custom actions (answering nothing and
  losing the turn's events) or on an empty conversation. The front-end
  keeps the message and sends it again when both are back.

Webhook: POST /webhooks/wegwijzer/webhook  {"sender": ..., "message": ..., "metadata": {...}}
The Rasa server listens on 127.0.0.1 only; only the bot process talks to it.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import time
from typing import Any, Awaitable, Callable, Dict, Iterator, Optional, Text

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request


def _stores(store: Any) -> Iterator[Any]:
    """The tracker store and every store it wraps (Rasa wraps the configured
    one in a FailSafeTrackerStore, a non-async one also in an
    AwaitableTrackerStore), with a fail-safe store's in-memory fallback."""
    seen: set[int] = set()
    while store is not None and id(store) not in seen:
        seen.add(id(store))
        yield store
        fallback = getattr(store, "_fallback_tracker_store", None)
        if fallback is not None:
            yield fallback
        store = getattr(store, "_tracker_store", None) or getattr(store, "inner_tracker_store", None)


def forget_conversation(tracker_store: Any, sender_id: Text) -> bool:
    """Delete every event of this conversation; False when no store in the
    chain is one this knows how to delete from (in-memory or SQL)."""
    deleted = False
    for store in _stores(tracker_store):
        if isinstance(getattr(store, "store", None), dict):  # InMemoryTrackerStore
            store.store.pop(sender_id, None)
            deleted = True
        elif hasattr(store, "SQLEvent") and hasattr(store, "session_scope"):  # SQLTrackerStore
            with store.session_scope() as session:
                session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).delete()
                session.commit()
            deleted = True
    return deleted


ACTION_CHECK_SECONDS = 0.5  # a successful check is trusted this long
_store_reached_at = -1e9


async def _store_reachable(tracker_store: Any) -> bool:
    """Does the tracker store's database answer? (a success trusted for
    ACTION_CHECK_SECONDS, so a busy moment does not ask it per message)."""
    global _store_reached_at
    if time.monotonic() - _store_reached_at < ACTION_CHECK_SECONDS:
        return True
    for store in _stores(tracker_store):
        reachable = getattr(store, "reachable", None)
        if callable(reachable):
            if not await asyncio.to_thread(reachable):
                return False
            break
    _store_reached_at = time.monotonic()
    return True  # also a store without a database (in memory)


class ActionServerCheck:
    """Does the action server answer? (its GET /health, a success trusted
    briefly). A bound port is not enough: while it starts, a server can
    accept connections before it serves."""

    def __init__(self, url: Optional[str]) -> None:
        self.health_url = url.rsplit("/", 1)[0] + "/health" if url else None
        self.reached_at = 0.0

    async def reachable(self) -> bool:
        if self.health_url is None or time.monotonic() - self.reached_at < ACTION_CHECK_SECONDS:
            return True
        try:
            timeout = aiohttp.ClientTimeout(total=2.0)
            async with aiohttp.ClientSession(timeout=timeout) as session, session.get(self.health_url) as answer:
                if answer.status != 200:
                    return False
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False
        self.reached_at = time.monotonic()
        return True


class WegwijzerRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "wegwijzer"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        body = request.json or {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        actions = ActionServerCheck(os.environ.get("ACTION_SERVER_URL"))

        @blueprint.middleware("request")
        async def only_with_the_token(request: Request) -> Optional[response.HTTPResponse]:
            # The same token as Rasa's HTTP API (--auth-token): only the
            # front-end may talk to the assistant or forget a conversation.
            token = os.environ.get("RASA_AUTH_TOKEN")
            if token and not hmac.compare_digest(str(request.args.get("token", "")), token):
                return response.json({"error": "token required"}, status=401)
            if request.method == "POST" and request.path.endswith("/webhook"):
                if not await actions.reachable():
                    return response.json({"error": "action server unavailable"}, status=503)
                if not await _store_reachable(request.app.ctx.agent.tracker_store):
                    return response.json({"error": "tracker store unavailable"}, status=503)
            return None

        @blueprint.route("/conversations/<sender_id>/forget", methods=["POST"])
        async def forget(request: Request, sender_id: Text) -> response.HTTPResponse:
            if not forget_conversation(request.app.ctx.agent.tracker_store, sender_id):
                return response.json({"forgotten": False, "reason": "unsupported tracker store"}, status=501)
            return response.json({"forgotten": True})

        return blueprint
