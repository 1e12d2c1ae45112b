"""One user message in, the bot's replies out: the flow every front-end shares.

The terminal chat and Telegram both call `Conversation.handle_text`, so a
message takes the same path whatever the front-end: checks on empty and very
long texts, a pseudonymous sender id, forwarding to Rasa with metadata, and
turning Rasa's answer into `Reply` objects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.rasa_client import RasaClient, RasaUnavailable
from bot.rendering import Reply, from_rasa
from bot.texts import text as say
from wegwijzer.privacy import pseudonym

MAX_MESSAGE_LENGTH = 4096  # Telegram's own limit for one text message


class Conversation:
    def __init__(self, rasa: RasaClient, secret: bytes, channel: str) -> None:
        self.rasa = rasa
        self.secret = secret
        self.channel = channel

    def sender_id(self, user_id: str | int) -> str:
        return pseudonym(self.channel, user_id, self.secret)

    async def handle_text(
        self,
        user_id: str | int,
        message: str,
        metadata: dict[str, Any] | None = None,
        on_wait: Callable[[], Awaitable[None]] | None = None,
    ) -> list[Reply]:
        message = (message or "").strip()
        if not message:
            return [Reply(text=say("empty_message"))]
        notes: list[Reply] = []
        if len(message) > MAX_MESSAGE_LENGTH:
            message = message[:MAX_MESSAGE_LENGTH]
            notes.append(Reply(text=say("too_long", limit=MAX_MESSAGE_LENGTH)))

        async def on_retry(attempt: int) -> None:
            if attempt == 0 and on_wait is not None:
                await on_wait()

        try:
            answer = await self.rasa.send(
                self.sender_id(user_id), message, metadata or {}, on_retry=on_retry
            )
        except RasaUnavailable:
            return notes + [Reply(text=say("unavailable"))]
        return notes + from_rasa(answer)
