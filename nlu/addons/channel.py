"""Rasa input channel for Wegwijzer's front-ends (terminal chat and Telegram).

Rasa's REST channel, plus the message `metadata` (role, language, shared
location) that the front-end sends along. Webhook:
POST /webhooks/wegwijzer/webhook  {"sender": ..., "message": ..., "metadata": {...}}
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request


class WegwijzerRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "wegwijzer"

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        body = request.json or {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None
