"""Talks to the Rasa server's `wegwijzer` REST channel (and its parse API).

A message is retried with backoff when Rasa (or the action server behind
it) is slow or down, so it is not lost; the caller hears about the first
failure through `on_retry` and can tell the user "een moment…".
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

logger = logging.getLogger(__name__)

WEBHOOK = "/webhooks/wegwijzer/webhook"


TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


class RasaUnavailable(Exception):
    """Rasa did not answer after all retries."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 20.0,
        retry_delays: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30),
        client: httpx.AsyncClient | None = None,
        token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry_delays = retry_delays
        # Rasa's HTTP API and Wegwijzer's channel want the token (?token=...).
        token = token if token is not None else os.environ.get(TOKEN_VARIABLE)
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=3.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            params={"token": token} if token else None,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(
        self,
        sender: str,
        text: str,
        metadata: dict[str, Any] | None = None,
        on_retry: Callable[[int], Awaitable[None]] | None = None,
    ) -> list[dict[str, Any]]:
        """Send one user message; returns the bot's messages in order."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        messages: list[dict[str, Any]] = await self._post(WEBHOOK, body, on_retry)
        return messages

    async def parse(self, text: str) -> dict[str, Any]:
        """The NLU result for a text (intent, entities), without a conversation."""
        parsed: dict[str, Any] = await self._post("/model/parse", {"text": text}, None)
        return parsed

    async def tracker(self, sender: str) -> dict[str, Any]:
        response = await self._client.get(f"{self.base_url}/conversations/{sender}/tracker")
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        response = await self._client.post(f"{self.base_url}/conversations/{sender}/tracker/events", json=events)
        response.raise_for_status()

    async def forget(self, sender: str) -> None:
        """Delete the conversation from Rasa's tracker store (the user's /stop)."""
        response = await self._client.post(f"{self.base_url}/webhooks/wegwijzer/conversations/{sender}/forget")
        response.raise_for_status()

    async def _post(
        self,
        path: str,
        body: dict[str, Any],
        on_retry: Callable[[int], Awaitable[None]] | None,
    ) -> Any:
        attempt = 0
        while True:
            try:
                response = await self._client.post(self.base_url + path, json=body)
                if response.status_code < 500:
                    response.raise_for_status()
                    return response.json()
                problem = f"HTTP {response.status_code}"
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                problem = type(exc).__name__
            if attempt >= len(self.retry_delays):
                raise RasaUnavailable(f"Rasa gave no answer after {attempt + 1} tries ({problem})")
            logger.warning("Rasa not available (%s); retry %d", problem, attempt + 1)
            if on_retry is not None:
                await on_retry(attempt)
            await asyncio.sleep(self.retry_delays[attempt])
            attempt += 1
