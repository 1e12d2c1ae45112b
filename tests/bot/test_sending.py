"""Replies are not lost in a busy moment: a call Telegram did not receive
(every connection busy) or asked to repeat (flood control) is sent again,
once; a real HTTP round trip to the fake Bot API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from bot.app import SturdyBot
from tests.fake_telegram import FakeTelegram


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


def bot_for(fake: FakeTelegram, request: HTTPXRequest) -> SturdyBot:
    return SturdyBot(fake.token, base_url=fake.api_url, request=request)


def test_flood_control_is_waited_out_and_the_reply_sent_once(fake: FakeTelegram) -> None:
    fake.flood["sendMessage"] = 2

    async def scenario() -> None:
        async with bot_for(fake, HTTPXRequest()) as bot:
            await bot.send_message(1001, "Hallo")

    asyncio.run(scenario())
    sent = fake.calls_to("sendMessage", chat_id=1001)
    assert [c.text for c in sent] == ["Hallo"]
    assert fake.flood["sendMessage"] == 0


def test_replies_wait_for_a_free_connection_instead_of_being_dropped(fake: FakeTelegram) -> None:
    fake.delay["sendMessage"] = 0.4
    # One connection, a pool wait far shorter than one answer: without the
    # repeat, all but the first reply would be refused with "Pool timeout".
    request = HTTPXRequest(connection_pool_size=1, pool_timeout=0.05)

    async def scenario() -> None:
        async with bot_for(fake, request) as bot:
            await asyncio.gather(*(bot.send_message(1001, f"antwoord {i}") for i in range(4)))

    asyncio.run(scenario())
    assert sorted(c.text for c in fake.calls_to("sendMessage", chat_id=1001)) == [f"antwoord {i}" for i in range(4)]


def test_a_call_that_may_have_arrived_is_not_sent_twice(fake: FakeTelegram) -> None:
    fake.delay["sendMessage"] = 1.0
    request = HTTPXRequest(read_timeout=0.2)

    async def scenario() -> None:
        async with bot_for(fake, request) as bot:
            with pytest.raises(TimedOut):
                await bot.send_message(1001, "misschien aangekomen")

    asyncio.run(scenario())
    time.sleep(1.5)  # the fake records the call once its slow answer is done
    assert len(fake.calls_to("sendMessage", chat_id=1001)) == 1
