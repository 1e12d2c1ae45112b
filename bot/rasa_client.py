"""Talks to the Rasa servers' `wegwijzer` REST channel (and their parse API).

One or more Rasa servers (RASA_URL, comma-separated). With more than one,
each conversation has its own first server (by its sender id), so the
conversations are spread over them; when that server does not answer, the
next one takes the message. That is safe because all servers share the
tracker store (the database) and the lock store (Redis).

A message is retried with backoff when Rasa (or the action server behind
it) is slow or down, so it is not lost: with `patience` it is tried again
(every last delay) until that many seconds have passed, long enough for a
restarted Rasa server to load its model. The caller hears of every retry
through `on_retry(attempt, waited)` and can tell the user "een moment…",
and later that it takes long.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

logger = logging.getLogger(__name__)

WEBHOOK = "/webhooks/wegwijzer/webhook"
QUICK_RETRIES = 2  # for a parse: the user is not kept waiting for a second opinion


TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


OnRetry = Callable[[int, float], Awaitable[None]]  # (attempt, seconds waited so far)


def first_server(servers: int, sender: str) -> int:
    """Which of `servers` Rasa servers a conversation goes to first: the
    same in every process (unlike hash())."""
    return int.from_bytes(hashlib.blake2b(sender.encode(), digest_size=4).digest(), "big") % servers


class RasaUnavailable(Exception):
    """Rasa did not answer after all retries."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 20.0,
        answer_timeout: float = 300.0,
        retry_delays: tuple[float, ...] = (0.5, 1, 2, 4, 8, 15, 30),
        patience: float | None = None,
        client: httpx.AsyncClient | None = None,
        token: str | None = None,
    ) -> None:
        self.base_urls = [url.strip().rstrip("/") for url in base_url.split(",") if url.strip()]
        if not self.base_urls:
            raise ValueError("no Rasa server URL")
        self.base_url = self.base_urls[0]
        self.retry_delays = retry_delays
        # A message is not sent again because its answer is slow: Rasa is
        # still working on it, and sending it again would answer it twice.
        self.answer_timeout = httpx.Timeout(answer_timeout, connect=3.0)
        self.timeout = httpx.Timeout(timeout, connect=3.0)
        # How long a message is tried in all; None: each listed delay once.
        self.patience = patience
        self._turns = itertools.count()
        # Rasa's HTTP API and Wegwijzer's channel want the token (?token=...).
        token = token if token is not None else os.environ.get(TOKEN_VARIABLE)
        self._client = client or httpx.AsyncClient(
            timeout=self.timeout,
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
        on_retry: OnRetry | None = None,
    ) -> list[dict[str, Any]]:
        """Send one user message; returns the bot's messages in order."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        messages: list[dict[str, Any]] = await self._post(
            WEBHOOK, body, on_retry, patient=True, sender=sender, timeout=self.answer_timeout
        )
        return messages

    async def parse(self, text: str) -> dict[str, Any]:
        """The NLU result for a text (intent, entities), without a conversation;
        asked for a second opinion only, so it gives up soon."""
        parsed: dict[str, Any] = await self._post("/model/parse", {"text": text}, None, patient=False)
        return parsed

    def servers_for(self, sender: str | None) -> list[str]:
        """The servers in the order this conversation tries them."""
        if len(self.base_urls) == 1:
            return self.base_urls
        servers = len(self.base_urls)
        first = next(self._turns) % servers if sender is None else first_server(servers, sender)
        return self.base_urls[first:] + self.base_urls[:first]

    async def _once(self, method: str, sender: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request on the conversation's server, the next one if it is down."""
        servers = self.servers_for(sender)
        for i, server in enumerate(servers):
            try:
                response = await self._client.request(method, server + path, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if i == len(servers) - 1:
                    raise
                continue
            response.raise_for_status()
            return response
        raise AssertionError("unreachable")

    async def tracker(self, sender: str) -> dict[str, Any]:
        response = await self._once("GET", sender, f"/conversations/{sender}/tracker")
        tracker: dict[str, Any] = response.json()
        return tracker

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        await self._once("POST", sender, f"/conversations/{sender}/tracker/events", json=events)

    async def forget(self, sender: str) -> None:
        """Delete the conversation from Rasa's tracker store (the user's /stop)."""
        await self._once("POST", sender, f"/webhooks/wegwijzer/conversations/{sender}/forget")

    async def _post(
        self,
        path: str,
        body: dict[str, Any],
        on_retry: OnRetry | None,
        *,
        patient: bool,
        sender: str | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> Any:
        attempt = 0
        started = asyncio.get_running_loop().time()
        while True:
            for server in self.servers_for(sender):  # the conversation's server first
                try:
                    response = await self._client.post(server + path, json=body, timeout=timeout or self.timeout)
                    if response.status_code < 500:
                        response.raise_for_status()
                        return response.json()
                    problem = f"HTTP {response.status_code}"
                    break
                except (httpx.ConnectError, httpx.ConnectTimeout) as exc:  # not reached: the next one can take it
                    problem = type(exc).__name__
                except httpx.TransportError as exc:
                    # It may have been working on the message: another server
                    # now could answer it twice. Wait, then try again.
                    problem = type(exc).__name__
                    break
            waited = asyncio.get_running_loop().time() - started
            delay = self._delay(attempt, waited) if patient or attempt < QUICK_RETRIES else None
            if delay is None:
                raise RasaUnavailable(f"Rasa gave no answer after {attempt + 1} tries in {waited:.0f} s ({problem})")
            logger.warning("Rasa not available (%s); retry %d", problem, attempt + 1)
            if on_retry is not None:
                await on_retry(attempt, waited)
            await asyncio.sleep(delay)
            attempt += 1

    def _delay(self, attempt: int, waited: float) -> float | None:
        """The wait before the next try, or None: give up."""
        if self.patience is None:
            return self.retry_delays[attempt] if attempt < len(self.retry_delays) else None
        if waited >= self.patience or not self.retry_delays:
            return None
        delay = self.retry_delays[min(attempt, len(self.retry_delays) - 1)]
        return min(delay, max(self.patience - waited, 0.1))
