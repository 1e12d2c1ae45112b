"""Delivering the outbox: what staff and Wegwijzer have for a user, and
what the staff group's forum topics still need.

Staff may act in the forum topic or on the staff page (another process);
both write to the outbox (wegwijzer.escalations), and the front-end that
serves the user delivers: at once when something happens in this process
(`kick()`), else within POLL_SECONDS. Each message is marked delivered per
side, so a restart, a Telegram hiccup or a closed terminal loses nothing: it
goes on the next round.

The two sides are small adapters: Telegram's chat and forum topics
(bot/staff/telegram.py), the terminal chat (bot/console.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from bot.rendering import Button, Reply
from wegwijzer.db.session import database_unavailable
from wegwijzer.escalations import FORGOTTEN, Escalations, EscalationView, OutboxMessage
from wegwijzer.texts import DEFAULT_VOICE, Voice, say, speaking
from wegwijzer.workspace import Event

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class UserSide(Protocol):
    """The user's chat: True when the replies (and photo) were delivered."""

    async def send(self, escalation: EscalationView, replies: list[Reply], file_id: str | None = None) -> bool: ...


class TopicSide(Protocol):
    """The staff group: a forum topic per escalation."""

    async def open_topic(self, escalation: EscalationView) -> bool: ...
    async def post(self, escalation: EscalationView, message: OutboxMessage) -> bool: ...


def for_user(message: OutboxMessage) -> list[Reply]:
    """What the user reads for an outbox message."""
    if message.kind == "event":
        if message.text == Event.CLAIMED:
            return [Reply(text=say("handoff_joined"))]
        if message.text == Event.REOPENED:
            return [Reply(text=say("handoff_reopened"))]
        if message.text == Event.CLOSED:
            return [
                Reply(text=say("handoff_closed")),
                Reply(
                    text=say("outcome_question"),
                    buttons=[
                        Button(say("outcome_yes_button"), "/uitkomst solved"),
                        Button(say("outcome_no_button"), "/uitkomst not_solved"),
                    ],
                ),
            ]
        return []
    if message.sender == "staff":
        return [Reply(text=say("handoff_staff_says", text=message.text) if message.text else "")]
    return [Reply(text=message.text)] if message.text else []


class Delivery:
    def __init__(
        self,
        escalations: Escalations,
        channel: str,
        users: UserSide,
        topics: TopicSide | None,
        voice_of: Callable[[str], Voice] = lambda pseudonym: DEFAULT_VOICE,
    ) -> None:
        self.escalations = escalations
        self.voice_of = voice_of  # the user's voice, by pseudonym
        self.channel = channel
        self.users = users
        self.topics = topics
        self.lock = asyncio.Lock()  # one round at a time
        self.wake = asyncio.Event()

    def kick(self) -> None:
        """Something was added: deliver now rather than at the next poll."""
        self.wake.set()

    async def deliver(self, staff_chat_id: int | None = None) -> int:
        """One round: open missing forum topics, then deliver what waits.
        Returns how many deliveries were made."""
        async with self.lock:
            count = 0
            if self.topics is not None and staff_chat_id is not None:
                for waiting in self.escalations.without_topic(staff_chat_id):
                    await self.topics.open_topic(waiting)
            pending = self.escalations.pending(
                self.channel, with_topics=self.topics is not None, staff_chat_id=staff_chat_id
            )
            for message in pending:
                try:
                    count += await self._deliver_one(message)
                except Exception:
                    # One message that cannot go must not hold up the rest.
                    logger.exception("Outbox message %s not delivered; trying again next round", message.id)
            return count

    async def _deliver_one(self, message: OutboxMessage) -> int:
        count = 0
        escalation = self.escalations.get(message.escalation_id)
        if escalation is None:
            return 0
        in_topic = message.to_topic and self.topics is not None and escalation.staff_thread_id is not None
        if in_topic and self.topics is not None and await self.topics.post(escalation, message):
            self.escalations.delivered(message.id, topic=True)
            count += 1
        if message.to_user:
            if escalation.pseudonym == FORGOTTEN:
                # The user was erased (/stop): nobody to deliver to.
                self.escalations.delivered(message.id, user=True)
                return count
            with speaking(self.voice_of(escalation.pseudonym)):
                sent = await self.users.send(escalation, for_user(message), message.file_id)
            if sent:
                self.escalations.delivered(message.id, user=True)
                count += 1
        return count

    async def run(self, staff_chat_id: int | None = None) -> None:
        """Deliver forever: on every kick, and every POLL_SECONDS."""
        while True:
            try:
                await self.deliver(staff_chat_id)
            except Exception as error:
                if database_unavailable(error):  # a restart: said once a round, without the traceback
                    logger.warning("Delivery waits for the database")
                else:
                    logger.exception("Delivery round failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=POLL_SECONDS)
            self.wake.clear()
