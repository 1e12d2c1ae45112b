"""Rasa input channel for Wegwijzer's front-ends (terminal chat and Telegram).

Rasa's REST channel, plus:
- the message `metadata` (role, language, shared location) that the
  front-end sends along;
- POST /webhooks/wegwijzer/conversations/<sender>/forget, which deletes a
  conversation from the tracker store (the user's /stop, "forget me");
- the token of Rasa's HTTP API (RASA_AUTH_TOKEN, ?token=...) on every route.

Webhook: POST /webhooks/wegwijzer/webhook  {"sender": ..., "message": ..., "metadata": {...}}
The Rasa server listens on 127.0.0.1 only; only the bot process talks to it.
"""

from __future__ import annotations

import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Iterator, Optional, Text

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

        @blueprint.middleware("request")
        async def only_with_the_token(request: Request) -> Optional[response.HTTPResponse]:
            # The same token as Rasa's HTTP API (--auth-token): only the
            # front-end may talk to the assistant or forget a conversation.
            token = os.environ.get("RASA_AUTH_TOKEN")
            if token and not hmac.compare_digest(str(request.args.get("token", "")), token):
                return response.json({"error": "token required"}, status=401)
            return None

        @blueprint.route("/conversations/<sender_id>/forget", methods=["POST"])
        async def forget(request: Request, sender_id: Text) -> response.HTTPResponse:
            if not forget_conversation(request.app.ctx.agent.tracker_store, sender_id):
                return response.json({"forgotten": False, "reason": "unsupported tracker store"}, status=501)
            return response.json({"forgotten": True})

        return blueprint
