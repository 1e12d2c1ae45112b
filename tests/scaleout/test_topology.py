"""The production topology on one machine: PostgreSQL for the application
and Rasa's tracker store, Redis as Rasa's lock store, two Rasa servers
behind the front-end (it spreads the conversations over them), one action
server, and the real bot over the fake Telegram Bot API. Then its faults:
a Rasa server dies, PostgreSQL restarts; no message is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from bot.launcher import Stack
from bot.rasa_client import first_server
from tests.e2e.conftest import SECRET, BotProcess, start_bot
from tests.fake_telegram import FakeTelegram
from tests.scaleout.conftest import PostgresServer
from wegwijzer.conversations import events
from wegwijzer.ports import free_port
from wegwijzer.privacy import pseudonym
from wegwijzer.texts import say

pytestmark = [pytest.mark.stack, pytest.mark.postgres, pytest.mark.scale]
LOGS = Path(__file__).resolve().parents[1] / "artifacts" / "logs" / "scale"


@dataclass
class Topology:
    stack: Stack
    fake: FakeTelegram
    bot: BotProcess
    postgres: PostgresServer
    redis_url: str
    database_url: str

    def users_on(self, server: int, count: int) -> list[int]:
        """New users whose messages the front-end sends to this Rasa server first."""
        servers = len(self.stack.rasa_ports)
        found: list[int] = []
        while len(found) < count:
            user = self.bot.new_user()
            if first_server(servers, pseudonym("tg", user, SECRET.encode())) == server:
                found.append(user)
        return found

    def conversation_rows(self, user: int) -> int:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                sender = pseudonym("tg", user, SECRET.encode())
                return int(connection.execute(select(func.count()).where(events.c.sender_id == sender)).scalar_one())
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def topology(model: Path, postgres_server: PostgresServer, redis_url: str) -> Iterator[Topology]:
    database_url = postgres_server.create_database("topology")
    stack = Stack(
        model=model,
        rasa_ports=[free_port(), free_port()],
        action_port=free_port(),
        log_dir=LOGS,
        extra_env={"DATABASE_URL": database_url, "LOCK_STORE_URL": redis_url},
    )
    with stack:
        fake = FakeTelegram(token="515151:SCALE").start()
        bot = start_bot(fake, stack.rasa_url, LOGS / "bot.log", DATABASE_URL=database_url)
        try:
            yield Topology(stack, fake, bot, postgres_server, redis_url, database_url)
        finally:
            bot.stop()
            fake.stop()


def topic_then_place(t: Topology, users: list[int], place: str = "Assen") -> None:
    """Each user asks about DigiD, then names the place, all at once; each
    gets the referral for that place, about DigiD (the topic was kept)."""
    mark = t.fake.mark()
    for user in users:
        t.fake.send_text(user, "mijn buurvrouw is haar digid kwijt")
    for user in users:
        t.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode", timeout=120)
    mark = t.fake.mark()
    for user in users:
        t.fake.send_text(user, place)
    for user in users:
        referral = t.fake.wait_for("sendMessage", chat_id=user, since=mark, contains=f"Voor {place}", timeout=120)
        assert "DigiD" in referral[0].text


def redis_lock_calls(redis_url: str) -> int:
    stats = subprocess.run(
        ["redis-cli", "-u", redis_url, "INFO", "commandstats"], capture_output=True, text=True, check=True
    ).stdout
    line = next((row for row in stats.splitlines() if row.startswith("cmdstat_set:")), "")
    return int(line.split("calls=")[1].split(",")[0]) if line else 0


def test_conversations_are_spread_over_both_rasa_servers_and_kept_in_postgres(topology: Topology) -> None:
    users = topology.users_on(0, 3) + topology.users_on(1, 3)
    locks_before = redis_lock_calls(topology.redis_url)
    topic_then_place(topology, users)
    assert all(topology.conversation_rows(user) > 0 for user in users)
    # Every message took Rasa's lock for its conversation, in Redis.
    assert redis_lock_calls(topology.redis_url) - locks_before >= 2 * len(users)


def test_a_rasa_server_dies_and_its_conversations_go_on_on_the_other(topology: Topology) -> None:
    users = topology.users_on(0, 2)
    mark = topology.fake.mark()
    for user in users:
        topology.fake.send_text(user, "mijn buurvrouw is haar digid kwijt")
    for user in users:
        topology.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode", timeout=120)
    first = topology.stack.service("rasa")
    assert first.process is not None
    os.kill(first.process.pid, signal.SIGKILL)
    try:
        mark = topology.fake.mark()
        for user in users:
            topology.fake.send_text(user, "Groningen")
        for user in users:
            referral = topology.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Voor Groningen")
            assert "DigiD" in referral[0].text  # the other server knew the conversation
            texts = [c.text for c in topology.fake.calls_to("sendMessage", chat_id=user, since=mark)]
            assert say("unavailable") not in texts
    finally:
        topology.stack.restart("rasa")


def test_postgres_restarts_and_every_message_is_answered(topology: Topology) -> None:
    users = topology.users_on(0, 2) + topology.users_on(1, 2)
    mark = topology.fake.mark()
    for user in users:
        topology.fake.send_text(user, "mijn buurvrouw is haar digid kwijt")
    for user in users:
        topology.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode", timeout=120)
    began = time.monotonic()
    topology.postgres.stop()
    mark = topology.fake.mark()
    for user in users:
        topology.fake.send_text(user, "Zwolle")  # while the database is down
    time.sleep(3)
    topology.postgres.start()
    for user in users:
        referral = topology.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Voor Zwolle", timeout=180)
        assert "DigiD" in referral[0].text
        texts = [c.text for c in topology.fake.calls_to("sendMessage", chat_id=user, since=mark)]
        assert say("unavailable") not in texts
        assert sum("Voor Zwolle" in text for text in texts) == 1  # answered once, not twice
    assert time.monotonic() - began < 180
