"""The assistant survives its own parts: Rasa keeps conversations in the
application's database (a restart forgets nothing), the launcher starts a
server that dies again (its left-over workers too), and a message sent while
Rasa is down is answered when it is back."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.launcher import Stack
from bot.rasa_client import RasaClient
from bot.rendering import from_rasa
from tests.e2e.conftest import BotProcess, user_texts
from wegwijzer.conversations import events
from wegwijzer.texts import say

pytestmark = pytest.mark.stack


def rows_of(database_url: str, sender: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).where(events.c.sender_id == sender)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def supervised(stack: Stack) -> Iterator[Stack]:
    stack.supervise()
    yield stack
    stack.unsupervise()


def wait_until(check, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.3)


@pytest.mark.timeout(400)
async def test_a_rasa_restart_keeps_the_conversation(
    stack: Stack, rasa: RasaClient, sender: str, database_url: str
) -> None:
    asked = [r.text for r in from_rasa(await rasa.send(sender, "mijn buurvrouw is haar digid kwijt"))]
    assert "postcode" in asked[-1]
    assert rows_of(database_url, sender) > 0  # in the application's database, not in Rasa's memory
    stack.restart("rasa")
    tracker = await rasa.tracker(sender)
    assert (tracker.get("slots") or {}).get("topic") == "topic_digid"
    answer = from_rasa(await rasa.send(sender, "Assen"))
    assert any(r.kind == "referral" for r in answer), [r.text for r in answer]


@pytest.mark.timeout(300)
def test_a_dead_action_server_is_started_again_and_its_workers_do_not_linger(supervised: Stack) -> None:
    actions = supervised.service("actions")
    assert actions.process is not None
    old_group = actions.process.pid
    os.kill(old_group, signal.SIGKILL)  # only the main process; workers may be left
    wait_until(lambda: actions.restarts == 1 and actions.healthy(), 120, "the action server did not come back")
    assert actions.process.pid != old_group
    with pytest.raises(ProcessLookupError):
        os.killpg(old_group, 0)  # nothing of the old group is left
    assert httpx.get(actions.health_url, timeout=5).status_code == 200


@pytest.mark.timeout(400)
def test_a_message_sent_while_rasa_is_down_is_answered_when_it_is_back(supervised: Stack, telegram: BotProcess) -> None:
    fake = telegram.fake
    user = telegram.new_user()
    mark = fake.mark()
    fake.send_text(user, "mijn buurvrouw is haar digid kwijt")
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode")
    rasa_service = supervised.service("rasa")
    assert rasa_service.process is not None
    os.kill(rasa_service.process.pid, signal.SIGKILL)  # Rasa dies in the middle of the conversation
    mark = fake.mark()
    fake.send_text(user, "ze woont in Assen")
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("one_moment"), timeout=30)
    # Urgent help does not wait behind the message that waits for Rasa.
    fake.send_text(user, "ik wil niet meer leven")
    urgent = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="0800-0113", timeout=15)
    assert not any("Voor Assen" in c.text for c in fake.calls_to("sendMessage", chat_id=user, since=mark))
    assert urgent  # before the answer to the waiting message
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Assen", timeout=300)
    wait_until(lambda: rasa_service.restarts >= 1, 10, "Rasa was not started again")
    time.sleep(1.0)
    texts = user_texts(fake, user, mark)
    assert texts.count(say("one_moment")) == 1, texts  # told once that it takes a moment
    assert texts.count(say("taking_long")) <= 1, texts
    assert say("unavailable") not in texts
    referral = next(t for t in texts if "Voor Assen" in t)
    assert "DigiD" in referral  # the topic (DigiD) was not forgotten


@pytest.mark.timeout(300)
def test_a_message_sent_while_the_action_server_is_down_is_answered_when_it_is_back(
    supervised: Stack, telegram: BotProcess
) -> None:
    fake = telegram.fake
    user = telegram.new_user()
    actions = supervised.service("actions")
    assert actions.process is not None
    restarts = actions.restarts
    os.killpg(actions.process.pid, signal.SIGKILL)  # the whole action server, workers too
    mark = fake.mark()
    fake.send_text(user, "mijn buurvrouw is haar digid kwijt")  # a topic: custom actions answer it
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode", timeout=120)
    assert actions.restarts == restarts + 1
    mark = fake.mark()
    fake.send_text(user, "Assen")
    referral = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Voor Assen", timeout=60)
    assert "DigiD" in referral[0].text  # nothing of the turn was lost while it was down


@pytest.mark.timeout(120)
def test_the_bot_serves_prometheus_metrics_without_personal_data(stack: Stack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.conftest import start_bot
    from tests.fake_telegram import FakeTelegram
    from wegwijzer.ports import free_port

    fake = FakeTelegram(token="616161:METRICS").start()
    port = free_port()
    bot = start_bot(fake, stack.rasa_url, tmp_path / "bot.log", METRICS_PORT=str(port))
    try:
        user = bot.new_user()
        mark = fake.mark()
        fake.send_text(user, "mijn buurvrouw Fatima is haar digid kwijt")
        fake.wait_for("sendMessage", chat_id=user, since=mark, contains="postcode")
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        bot.stop()
        fake.stop()
    assert 'wegwijzer_messages_total{kind="text"} 1.0' in scraped
    assert "wegwijzer_reply_seconds_count 1.0" in scraped
    assert "wegwijzer_rasa_up 1.0" in scraped
    assert "Fatima" not in scraped and str(user) not in scraped and bot.sender(user) not in scraped
