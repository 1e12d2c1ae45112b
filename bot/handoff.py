"""The user's side of the handoff, the same for Telegram and the terminal
chat: the escalation is stored when the user consents, what they write goes
to staff (the staff page reads it; the forum topic gets it from the outbox),
and they hear their place in the queue and how long it usually takes.

Staff answer from the staff group's forum topic or from the staff page
(wegwijzer.workspace); the front-end's delivery (bot/delivery.py) brings
their words to the user.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import deque
from collections.abc import Callable

from bot.delivery import Delivery
from bot.rasa_client import RasaClient
from bot.rendering import Reply
from bot.staff.summary import summary_from_tracker
from bot.tracker import earlier_messages
from wegwijzer import metrics
from wegwijzer.escalations import Escalations, EscalationView
from wegwijzer.office_hours import office_hours
from wegwijzer.texts import DEFAULT_VOICE, say, speaking
from wegwijzer.users import UserStore
from wegwijzer.vocabulary import Priority, Reason
from wegwijzer.waiting import waiting_message

logger = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600
MAX_REMEMBERED = 10_000  # users with recent escalations kept for the limit


class Handoff:
    def __init__(
        self,
        escalations: Escalations,
        rasa: RasaClient,
        users: UserStore,
        channel: str,
        staff_reachable: Callable[[], bool],
        staff_chat_id: int | None = None,
        retention_days: int = 30,
        per_day: int = 3,
    ) -> None:
        self.escalations = escalations
        self.rasa = rasa
        self.users = users
        self.channel = channel
        # Whether anyone can answer: a staff group, or staff accounts for the page.
        self.staff_reachable = staff_reachable
        self.staff_chat_id = staff_chat_id
        self.retention_days = retention_days
        self.delivery: Delivery | None = None  # set by the front-end that delivers
        # When each user last started escalations: kept in memory only, so a
        # /stop in between does not reset the limit.
        self.per_day = per_day
        self.started: dict[str, deque[float]] = {}

    def _kick(self) -> None:
        if self.delivery is not None:
            self.delivery.kick()

    def is_open(self, sender: str) -> bool:
        return self.escalations.open_for(sender) is not None

    async def start(self, sender: str, chat_id: int, reason: Reason, priority: Priority) -> list[Reply]:
        """The user said yes: store the escalation (with its contact person)."""
        if self.escalations.open_for(sender) is not None:
            return [Reply(text=say("handoff_waiting"))]
        if not self.staff_reachable():
            return [Reply(text=say("no_staff"))]
        if not self._may_start(sender):
            logger.warning("Refused an escalation: the limit per user is reached")
            return [Reply(text=say("handoff_limit"))]
        role = self.users.get(sender).role
        try:
            tracker = await self.rasa.tracker(sender)
        except Exception:  # noqa: BLE001 — the summary is then shorter, the handoff still happens
            logger.warning("Rasa tracker unavailable for the summary")
            tracker = {}
        voice = self.users.get(sender).voice
        with speaking(DEFAULT_VOICE):  # staff read Dutch, whatever the user's voice
            summary, facts = summary_from_tracker(tracker, role)
        summary = dataclasses.replace(summary, language=voice.language)
        metrics.ESCALATIONS.labels(reason=Reason.of(reason).value).inc()
        escalation = self.escalations.create(
            pseudonym=sender,
            channel=self.channel,
            user_chat_id=chat_id,
            reason=reason,
            priority=priority,
            role=role,
            topic=facts["topic"],
            topics=facts["topics"],
            gemeente_code=facts["gemeente_code"],
            gemeente=facts["gemeente"],
            place=facts["place"],
            summary=summary.text(),
            advised="; ".join(summary.advised) or None,
            staff_chat_id=self.staff_chat_id,
            contact=self.escalations.previous_contact(sender, self.retention_days),
        )
        self.escalations.add_earlier(escalation.id, earlier_messages(tracker))
        self._kick()  # the forum topic opens at once
        return self.waiting_replies(escalation)

    def _may_start(self, sender: str) -> bool:
        """At most `per_day` new escalations per user in 24 hours."""
        now = time.monotonic()
        times = self.started.setdefault(sender, deque())
        while times and now - times[0] > DAY_SECONDS:
            times.popleft()
        if len(times) >= self.per_day:
            return False
        times.append(now)
        if len(self.started) > MAX_REMEMBERED:
            for key in [k for k, v in self.started.items() if not v or now - v[-1] > DAY_SECONDS]:
                del self.started[key]
        return True

    def waiting_replies(self, escalation: EscalationView) -> list[Reply]:
        replies = []
        if escalation.priority == Priority.URGENT:
            replies.append(Reply(text=say("handoff_urgent")))
        position = self.escalations.queue_position(escalation.id)
        replies.append(Reply(text=waiting_message(self.escalations.sessions, office_hours(), position)))
        if escalation.contact_name:
            replies.append(Reply(text=say("handoff_contact_person")))
        return replies

    def _to_staff(self, escalation: EscalationView, text: str, kind: str = "text", file_id: str | None = None) -> None:
        self.escalations.add_message(
            escalation.id,
            "user",
            text,
            kind,
            file_id=file_id,
            origin=self.channel,
            to_topic=escalation.has_topic,
        )
        self._kick()

    async def user_text(self, sender: str, text: str) -> list[Reply]:
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        self._to_staff(escalation, text)
        return [Reply(text=say("handoff_waiting"))] if escalation.status == "new" else []

    async def user_urgent(self, sender: str, text: str) -> list[Reply]:
        """An urgent message while a person helps: staff are alerted (the
        topic is marked urgent) and the escalation gets the urgent priority."""
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        if escalation.priority != Priority.URGENT:
            self.escalations.make_urgent(escalation.id)
        self._to_staff(escalation, text, kind="urgent")
        return [Reply(text=say("handoff_urgent"))]

    async def user_photo(self, sender: str, file_id: str, caption: str) -> list[Reply]:
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        if not escalation.has_topic:
            # The staff page shows no photos: staff read that one came, and the caption.
            self._to_staff(escalation, caption, kind="photo")
            return [Reply(text=say("handoff_photo_not_shown"))]
        self._to_staff(escalation, caption, kind="photo", file_id=file_id)
        return [Reply(text=say("handoff_waiting"))] if escalation.status == "new" else []

    def forget(self, sender: str) -> None:
        """/stop: what points to the user leaves the escalations."""
        self.escalations.forget_user(sender)

    async def outcome(self, sender: str, value: str) -> list[Reply]:
        escalation = self.escalations.latest_closed(sender)
        if escalation is None or value not in ("solved", "not_solved"):
            return [Reply(text=say("old_button"))]
        self.escalations.set_outcome(escalation.id, value)
        return [Reply(text=say("outcome_thanks_solved" if value == "solved" else "outcome_thanks_not_solved"))]
