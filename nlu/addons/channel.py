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
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request


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
            store = request.app.ctx.agent.tracker_store
            store = getattr(store, "_tracker_store", None) or getattr(store, "inner_tracker_store", store)
            if isinstance(getattr(store, "store", None), dict):  # InMemoryTrackerStore
                store.store.pop(sender_id, None)
            elif hasattr(store, "SQLEvent"):  # SQLTrackerStore
                with store.session_scope() as session:
                    session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).delete()
                    session.commit()
            else:
                return response.json({"forgotten": False, "reason": "unsupported tracker store"}, status=501)
            return response.json({"forgotten": True})

        return blueprint
