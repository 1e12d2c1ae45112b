"""The Telegram sides of the delivery (bot/delivery.py): the user's private
chat, and the staff group with a forum topic per escalation."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.handlers.flow import execute
from bot.rendering import Reply, split_text, telegram_plan
from wegwijzer.escalations import Escalations, EscalationView, OutboxMessage
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text
from wegwijzer.topics import topics
from wegwijzer.users import UserStore
from wegwijzer.workspace import Event

logger = logging.getLogger(__name__)
MAX_CAPTION = 1024  # Telegram's limit for a photo's caption (UTF-16 units)


class TelegramUsers:
    """Sends to a user's private chat; buttons get ids of their own."""

    def __init__(self, bot: Bot, users: UserStore) -> None:
        self.bot = bot
        self.users = users

    async def send(self, escalation: EscalationView, replies: list[Reply], file_id: str | None = None) -> bool:
        return await self.send_chat(escalation.user_chat_id, escalation.pseudonym, replies, file_id)

    async def send_chat(self, chat_id: int, pseudonym: str, replies: list[Reply], file_id: str | None = None) -> bool:
        try:
            if file_id:
                text = replies[0].text if replies else ""
                caption, *rest = split_text(text, MAX_CAPTION) or [""]
                await self.bot.send_photo(chat_id, file_id, caption=caption or None)
                replies = [Reply(text="\n".join(rest))] * bool(rest) + replies[1:]
            for call in telegram_plan(
                replies,
                lambda buttons: self.users.button_ids(pseudonym, buttons),
                say("share_location_button"),
            ):
                await execute(self.bot, chat_id, call, raise_errors=True)
        except TelegramError:
            logger.warning("A message to a user is not delivered yet")
            return False
        return True


def topic_name(escalation: EscalationView) -> str:
    label = topics()[escalation.topic].label if escalation.topic in topics() else staff_text("topic_question")
    name = staff_text(
        "topic_name",
        id=escalation.id,
        topic=label,
        place=escalation.place or escalation.gemeente or staff_text("place_unknown"),
    )
    marks = {"urgent": staff_text("urgent_mark"), "high": staff_text("high_mark")}
    return (marks.get(escalation.priority, "") + name)[:128]


class TelegramTopics:
    """The staff supergroup: opens a topic per escalation and posts in it."""

    def __init__(self, bot: Bot, staff_chat_id: int, escalations: Escalations) -> None:
        self.bot = bot
        self.staff_chat_id = staff_chat_id
        self.escalations = escalations

    async def open_topic(self, escalation: EscalationView) -> bool:
        """A forum topic with the summary and the staff buttons."""
        try:
            topic = await self.bot.create_forum_topic(self.staff_chat_id, topic_name(escalation))
        except TelegramError:
            logger.warning("Could not open a forum topic for #%s yet", escalation.id)
            return False
        self.escalations.set_thread(escalation.id, self.staff_chat_id, topic.message_thread_id)
        header = staff_text(
            "summary_header",
            id=escalation.id,
            reason=staff_text.label("reason", escalation.reason),
            priority=staff_text.label("priority", escalation.priority),
        )
        if escalation.contact_name:
            header += "\n" + staff_text("contact_person_line", name=escalation.contact_name)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(staff_text("claim_button"), callback_data=f"st:claim:{escalation.id}"),
                    InlineKeyboardButton(staff_text("note_button"), callback_data=f"st:note:{escalation.id}"),
                    InlineKeyboardButton(staff_text("close_button"), callback_data=f"st:close:{escalation.id}"),
                ]
            ]
        )
        try:
            await self.bot.send_message(
                self.staff_chat_id,
                f"{header}\n\n{escalation.summary}",
                message_thread_id=topic.message_thread_id,
                reply_markup=markup,
            )
        except TelegramError:
            logger.warning("The summary of #%s was not posted in its topic", escalation.id)
        return True

    async def say_in_topic(self, escalation: EscalationView, text: str) -> bool:
        if escalation.staff_chat_id is None or escalation.staff_thread_id is None:
            return False
        try:
            # The relay adds a prefix: a full-length message is split to fit.
            for piece in split_text(text):
                await self.bot.send_message(
                    escalation.staff_chat_id, piece, message_thread_id=escalation.staff_thread_id
                )
        except TelegramError:
            logger.warning("A message to the topic of #%s is not delivered yet", escalation.id)
            return False
        return True

    async def post(self, escalation: EscalationView, message: OutboxMessage) -> bool:
        """An outbox message in the escalation's topic."""
        if message.kind == "photo":
            caption, *rest = split_text(message.text or "", MAX_CAPTION) or [staff_text("user_photo")]
            try:
                await self.bot.send_photo(
                    self.staff_chat_id,
                    message.file_id or "",
                    caption=caption,
                    message_thread_id=escalation.staff_thread_id,
                )
            except TelegramError:
                return False
            return not rest or await self.say_in_topic(escalation, "\n".join(rest))
        if message.kind == "event":
            return await self._event(escalation, message)
        if message.kind == "note":
            return await self.say_in_topic(escalation, staff_text("web_note", name=message.author, text=message.text))
        if message.kind == "urgent":
            await self._rename(escalation)
            return await self.say_in_topic(escalation, staff_text("user_urgent", text=message.text))
        if message.sender == "staff":
            return await self.say_in_topic(escalation, staff_text("web_reply", name=message.author, text=message.text))
        return await self.say_in_topic(escalation, staff_text("user_wrote", text=message.text))

    async def _event(self, escalation: EscalationView, message: OutboxMessage) -> bool:
        name = message.author or "?"
        thread = escalation.staff_thread_id
        if message.text == Event.CLAIMED:
            return await self.say_in_topic(escalation, staff_text("claimed", id=escalation.id, name=name))
        if message.text == Event.CLOSED:
            posted = await self.say_in_topic(escalation, staff_text("closed", id=escalation.id, name=name))
            if posted and thread is not None:
                try:
                    await self.bot.close_forum_topic(self.staff_chat_id, thread)
                except TelegramError:
                    logger.warning("Could not close the forum topic of #%s", escalation.id)
            return posted
        if message.text == Event.REOPENED:
            if thread is not None:
                try:
                    await self.bot.reopen_forum_topic(self.staff_chat_id, thread)
                except TelegramError:
                    logger.warning("Could not reopen the forum topic of #%s", escalation.id)
            return await self.say_in_topic(escalation, staff_text("reopened", id=escalation.id, name=name))
        return True

    async def _rename(self, escalation: EscalationView) -> None:
        """The topic's name shows the escalation is urgent."""
        current = self.escalations.get(escalation.id) or escalation
        if escalation.staff_thread_id is None:
            return
        try:
            await self.bot.edit_forum_topic(self.staff_chat_id, escalation.staff_thread_id, name=topic_name(current))
        except TelegramError:
            logger.warning("Could not mark the forum topic of #%s urgent", escalation.id)
