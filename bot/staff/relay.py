"""The Telegram side of the handoff: a forum topic per escalation in the
staff supergroup, and messages relayed both ways.

Every relayed message is stored before it is sent and marked delivered
after (the outbox in `wegwijzer.escalations`), so a restart loses nothing;
`redeliver()` sends what was left. While an escalation is open the Rasa
conversation is paused; on close it is resumed (followed by action_listen,
or Rasa 3.6 would pause it again on the next message).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.rasa_client import RasaClient
from bot.rendering import Button, Reply
from bot.staff.summary import summary_from_tracker
from wegwijzer.escalations import Escalations, EscalationView
from wegwijzer.office_hours import office_hours, when_text
from wegwijzer.staff import StaffDirectory
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text
from wegwijzer.topics import topics
from wegwijzer.users import UserStore

logger = logging.getLogger(__name__)


class StaffRelay:
    def __init__(
        self,
        bot: Bot,
        staff_chat_id: int | None,
        escalations: Escalations,
        rasa: RasaClient,
        users: UserStore,
        staff: StaffDirectory,
    ) -> None:
        self.bot = bot
        self.staff_chat_id = staff_chat_id
        self.escalations = escalations
        self.staff = staff
        self.rasa = rasa
        self.users = users

    # -- the user's side -----------------------------------------------------------
    def is_open(self, sender: str) -> bool:
        return self.escalations.open_for(sender) is not None

    async def start(self, sender: str, chat_id: int, reason: str, priority: str) -> list[Reply]:
        """The user said yes: store the escalation, open the staff topic."""
        if self.staff_chat_id is None:
            return [Reply(text=say("no_staff"))]
        existing = self.escalations.open_for(sender)
        if existing is not None:
            return [Reply(text=say("handoff_waiting"))]
        role = self.users.get(sender).role
        try:
            tracker = await self.rasa.tracker(sender)
        except Exception:  # noqa: BLE001 — the summary is then shorter, the handoff still happens
            logger.warning("Rasa tracker unavailable for the summary")
            tracker = {}
        summary, facts = summary_from_tracker(tracker, role)
        escalation = self.escalations.create(
            pseudonym=sender,
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
        )
        await self._pause(sender)
        await self._open_topic(escalation, facts["label"])
        return self._waiting_replies(escalation)

    def _waiting_replies(self, escalation: EscalationView) -> list[Reply]:
        replies = []
        if escalation.priority == "urgent":
            replies.append(Reply(text=say("handoff_urgent")))
        now = datetime.now(UTC)
        hours = office_hours()
        if hours.is_open(now):
            replies.append(Reply(text=say("handoff_queued", position=self.escalations.queue_position(escalation.id))))
        else:
            replies.append(Reply(text=say("handoff_after_hours", when=when_text(hours.next_opening(now), now))))
        return replies

    async def user_text(self, sender: str, text: str) -> list[Reply]:
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        message_id = self.escalations.add_message(escalation.id, "user", text)
        await self._deliver_to_staff(escalation, message_id, staff_text("user_wrote", text=text))
        return [Reply(text=say("handoff_waiting"))] if escalation.status == "new" else []

    async def user_urgent(self, sender: str, text: str) -> list[Reply]:
        """An urgent message while a person helps: staff are alerted in the
        topic (marked urgent) and the escalation gets the urgent priority."""
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        message_id = self.escalations.add_message(escalation.id, "user", text)
        if escalation.priority != "urgent":
            self.escalations.make_urgent(escalation.id)
            await self._mark_topic_urgent(escalation)
        await self._deliver_to_staff(escalation, message_id, staff_text("user_urgent", text=text))
        return [Reply(text=say("handoff_urgent"))]

    async def _mark_topic_urgent(self, escalation: EscalationView) -> None:
        if escalation.staff_chat_id is None or escalation.staff_thread_id is None:
            return
        name = staff_text("urgent_mark") + self._topic_name(escalation, escalation.topic)
        try:
            await self.bot.edit_forum_topic(escalation.staff_chat_id, escalation.staff_thread_id, name=name[:128])
        except TelegramError:
            logger.warning("Could not mark the forum topic of #%s urgent", escalation.id)

    async def user_photo(self, sender: str, file_id: str, caption: str) -> list[Reply]:
        escalation = self.escalations.open_for(sender)
        if escalation is None:
            return []
        message_id = self.escalations.add_message(escalation.id, "user", caption, kind="photo", file_id=file_id)
        await self._deliver_to_staff(escalation, message_id, caption, file_id=file_id)
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

    # -- the staff side ---------------------------------------------------------
    async def staff_message(
        self, escalation: EscalationView, staff_user_id: int, name: str, text: str, file_id: str | None = None
    ) -> None:
        """A staff member wrote in the topic: to the user, at once. The first
        reply claims the escalation if nobody has yet."""
        if escalation.status == "new":
            await self.claim(escalation, staff_user_id, name)
        message_id = self.escalations.add_message(
            escalation.id,
            "staff",
            text,
            kind="photo" if file_id else "text",
            file_id=file_id,
            staff_user_id=staff_user_id,
        )
        self.escalations.staff_replied(escalation.id)
        self.escalations.log("reply", staff_user_id, name, escalation.id)
        await self._deliver_to_user(escalation.user_chat_id, message_id, text, file_id, from_staff=True)

    async def claim(self, escalation: EscalationView, staff_user_id: int, name: str) -> bool:
        claimed = self.escalations.claim(escalation.id, staff_user_id, name)
        if claimed:
            await self.post_in_topic(escalation, staff_text("claimed", id=escalation.id, name=name))
            message_id = self.escalations.add_message(escalation.id, "bot", say("handoff_joined"))
            await self._deliver_to_user(escalation.user_chat_id, message_id, say("handoff_joined"))
        else:
            current = self.escalations.get(escalation.id)
            await self.post_in_topic(
                escalation,
                staff_text(
                    "already_claimed",
                    id=escalation.id,
                    name=(current.claimed_by_name if current else None) or "?",
                ),
            )
        return claimed

    async def close(self, escalation: EscalationView, staff_user_id: int, name: str) -> None:
        if not self.escalations.close(escalation.id, staff_user_id, name):
            return
        await self._resume(escalation.pseudonym)
        await self.post_in_topic(escalation, staff_text("closed", id=escalation.id, name=name))
        closed_id = self.escalations.add_message(escalation.id, "bot", say("handoff_closed"))
        await self._deliver_to_user(escalation.user_chat_id, closed_id, say("handoff_closed"))
        await self._send_user(
            escalation.user_chat_id,
            say("outcome_question"),
            buttons=[
                Button(say("outcome_yes_button"), "/uitkomst solved"),
                Button(say("outcome_no_button"), "/uitkomst not_solved"),
            ],
            sender=escalation.pseudonym,
        )
        if escalation.staff_chat_id is None or escalation.staff_thread_id is None:
            return
        try:
            await self.bot.close_forum_topic(escalation.staff_chat_id, escalation.staff_thread_id)
        except TelegramError:
            logger.warning("Could not close forum topic of #%s", escalation.id)

    async def reopen(self, escalation: EscalationView, staff_user_id: int, name: str) -> None:
        if not self.escalations.reopen(escalation.id, staff_user_id, name):
            return
        await self._pause(escalation.pseudonym)
        if escalation.staff_chat_id is not None and escalation.staff_thread_id is not None:
            try:
                await self.bot.reopen_forum_topic(escalation.staff_chat_id, escalation.staff_thread_id)
            except TelegramError:
                logger.warning("Could not reopen forum topic of #%s", escalation.id)
        await self.post_in_topic(escalation, staff_text("reopened", id=escalation.id, name=name))
        message_id = self.escalations.add_message(escalation.id, "bot", say("handoff_reopened"))
        await self._deliver_to_user(escalation.user_chat_id, message_id, say("handoff_reopened"))

    async def note(self, escalation: EscalationView, staff_user_id: int, name: str, text: str) -> None:
        self.escalations.note(escalation.id, staff_user_id, name, text)
        await self.post_in_topic(escalation, staff_text("note_saved"))

    # -- delivery ----------------------------------------------------------------
    async def redeliver(self) -> int:
        """Send what was stored but not delivered (e.g. before a restart)."""
        count = 0
        for outgoing in self.escalations.undelivered():
            escalation = self.escalations.get(outgoing.escalation_id)
            if escalation is None:
                continue
            if outgoing.sender == "user":
                text = staff_text("user_wrote", text=outgoing.text) if outgoing.kind == "text" else outgoing.text
                await self._deliver_to_staff(escalation, outgoing.id, text, outgoing.file_id)
            elif escalation.user_chat_id:
                await self._deliver_to_user(
                    escalation.user_chat_id,
                    outgoing.id,
                    outgoing.text,
                    outgoing.file_id,
                    from_staff=outgoing.sender == "staff",
                )
            count += 1
        return count

    async def _deliver_to_staff(
        self, escalation: EscalationView, message_id: int, text: str, file_id: str | None = None
    ) -> None:
        if escalation.staff_chat_id is None or escalation.staff_thread_id is None:
            return
        try:
            if file_id:
                await self.bot.send_photo(
                    escalation.staff_chat_id,
                    file_id,
                    caption=text or staff_text("user_photo"),
                    message_thread_id=escalation.staff_thread_id,
                )
            else:
                await self.bot.send_message(
                    escalation.staff_chat_id, text, message_thread_id=escalation.staff_thread_id
                )
        except TelegramError:
            logger.warning("Message %s to staff not delivered yet", message_id)
            return
        self.escalations.mark_delivered(message_id)

    async def _deliver_to_user(
        self, chat_id: int, message_id: int, text: str, file_id: str | None = None, from_staff: bool = False
    ) -> None:
        """To the user: a staff member's words marked as such, or the bot's own note."""
        shown = say("handoff_staff_says", text=text) if from_staff and text else text
        try:
            if file_id:
                await self.bot.send_photo(chat_id, file_id, caption=shown or None)
            else:
                await self.bot.send_message(chat_id, shown)
        except TelegramError:
            logger.warning("Message %s to the user not delivered yet", message_id)
            return
        self.escalations.mark_delivered(message_id)

    async def _send_user(self, chat_id: int, text: str, buttons: list[Button], sender: str) -> None:
        ids = self.users.button_ids(sender, [(b.title, b.payload) for b in buttons])
        rows = [[InlineKeyboardButton(b.title, callback_data=i)] for b, i in zip(buttons, ids, strict=True)]
        markup = InlineKeyboardMarkup(rows)
        try:
            await self.bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramError:
            logger.warning("Outcome question not delivered")

    async def post_in_topic(self, escalation: EscalationView, text: str) -> None:
        if escalation.staff_chat_id is None:
            return
        try:
            await self.bot.send_message(escalation.staff_chat_id, text, message_thread_id=escalation.staff_thread_id)
        except TelegramError:
            logger.warning("Note to the staff topic of #%s not sent", escalation.id)

    @staticmethod
    def _topic_name(escalation: EscalationView, label: str | None) -> str:
        if label is None or label in topics():
            label = topics()[label].label if label in topics() else staff_text("topic_question")
        return staff_text(
            "topic_name",
            id=escalation.id,
            topic=label,
            place=escalation.place or escalation.gemeente or staff_text("place_unknown"),
        )

    async def _open_topic(self, escalation: EscalationView, label: str) -> None:
        if self.staff_chat_id is None:
            return
        name = self._topic_name(escalation, label)
        if escalation.priority == "urgent":
            name = staff_text("urgent_mark") + name
        topic = await self.bot.create_forum_topic(self.staff_chat_id, name[:128])
        self.escalations.set_thread(escalation.id, self.staff_chat_id, topic.message_thread_id)
        header = staff_text(
            "summary_header",
            id=escalation.id,
            reason=staff_text.label("reason", escalation.reason),
            priority=staff_text.label("priority", escalation.priority),
        )
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(staff_text("claim_button"), callback_data=f"st:claim:{escalation.id}"),
                    InlineKeyboardButton(staff_text("note_button"), callback_data=f"st:note:{escalation.id}"),
                    InlineKeyboardButton(staff_text("close_button"), callback_data=f"st:close:{escalation.id}"),
                ]
            ]
        )
        await self.bot.send_message(
            self.staff_chat_id,
            f"{header}\n\n{escalation.summary}",
            message_thread_id=topic.message_thread_id,
            reply_markup=markup,
        )

    async def _pause(self, sender: str) -> None:
        try:
            await self.rasa.append_events(sender, [{"event": "pause"}])
        except Exception:  # noqa: BLE001
            logger.warning("Could not pause the Rasa conversation")

    async def _resume(self, sender: str) -> None:
        try:
            await self.rasa.append_events(sender, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])
        except Exception:  # noqa: BLE001
            logger.warning("Could not resume the Rasa conversation")
