"""A message waits for a Rasa server that is down and is answered when it is
back: the client keeps trying (patience), tells its caller of every retry,
and gives up only after the patience; a parse (a second opinion) gives up
soon. Against a real HTTP server on 127.0.0.1 that starts late."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.rasa_client import RasaClient, RasaUnavailable
from wegwijzer.ports import free_port


class Answering(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        reply = json.dumps([{"recipient_id": body.get("sender"), "text": f"antwoord op {body.get('message')}"}])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(reply.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def late_server() -> Iterator[tuple[int, threading.Event]]:
    """A port with nobody on it, and an event that starts the server there."""
    port = free_port()
    start = threading.Event()
    servers: list[ThreadingHTTPServer] = []

    def serve() -> None:
        if start.wait(30):
            server = ThreadingHTTPServer(("127.0.0.1", port), Answering)
            servers.append(server)
            server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port, start
    start.set()
    deadline = time.monotonic() + 5
    while not servers and time.monotonic() < deadline:
        time.sleep(0.05)
    for server in servers:
        server.shutdown()


async def test_a_message_is_answered_when_rasa_comes_back(late_server: tuple[int, threading.Event]) -> None:
    port, start = late_server
    rasa = RasaClient(f"http://127.0.0.1:{port}", retry_delays=(0.1, 0.3), patience=20)
    retries: list[tuple[int, float]] = []

    async def on_retry(attempt: int, waited: float) -> None:
        retries.append((attempt, waited))
        if waited > 1.5:
            start.set()  # Rasa is back after more than all listed delays together

    try:
        answer = await rasa.send("tg-x", "ik ben mijn digid kwijt", on_retry=on_retry)
    finally:
        await rasa.close()
    assert answer == [{"recipient_id": "tg-x", "text": "antwoord op ik ben mijn digid kwijt"}]
    assert len(retries) > 2  # kept trying past the listed delays
    assert [a for a, _ in retries] == list(range(len(retries)))
    assert retries[-1][1] > 1.5


async def test_patience_runs_out_with_a_clear_error() -> None:
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", retry_delays=(0.1,), patience=1.0)
    began = asyncio.get_running_loop().time()
    try:
        with pytest.raises(RasaUnavailable):
            await rasa.send("tg-x", "hallo")
    finally:
        await rasa.close()
    assert 1.0 <= asyncio.get_running_loop().time() - began < 5


async def test_a_parse_gives_up_soon_even_with_patience() -> None:
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", retry_delays=(0.1, 0.1, 0.1, 0.1), patience=60)
    began = asyncio.get_running_loop().time()
    try:
        with pytest.raises(RasaUnavailable):
            await rasa.parse("ik wil niet meer leven")
    finally:
        await rasa.close()
    assert asyncio.get_running_loop().time() - began < 3
