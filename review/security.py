"""Closed doors of the staff page: strict response headers, and a throttle
on wrong passwords."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FAILURES = 5  # failed logins per username and address ...
MAX_ADDRESS_FAILURES = 20  # ... or per address, whatever the username ...
FAILURE_WINDOW = 15 * 60  # ... in this many seconds, then wait
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Strict headers on every response; pages that need a login are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginThrottle:
    """After MAX_FAILURES wrong passwords for one username from one address
    (or MAX_ADDRESS_FAILURES for any usernames from one address) within
    FAILURE_WINDOW seconds, further attempts from there are refused for a
    while. Other addresses are not affected: nobody can lock a staff member
    out by trying their username."""

    def __init__(self) -> None:
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self.failures[key]
        while times and times[0] < time.monotonic() - FAILURE_WINDOW:
            times.popleft()
        return times

    def blocked(self, key: tuple[str, str]) -> bool:
        by_address = ("", key[1])  # every username tried from this address
        return len(self._recent(key)) >= MAX_FAILURES or len(self._recent(by_address)) >= MAX_ADDRESS_FAILURES

    def failed(self, key: tuple[str, str]) -> None:
        self._recent(key).append(time.monotonic())
        if key[0]:
            self._recent(("", key[1])).append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        self.failures.pop(key, None)
