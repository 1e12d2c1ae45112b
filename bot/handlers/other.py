"""Everything else people send: photos, voice, stickers, files, ... and
messages in group chats. A friendly answer each time; nothing is stored."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.flow import conversation, send
from bot.rendering import Reply
from wegwijzer.privacy import redact
from wegwijzer.texts import say, speaking


def kind_of(update: Update) -> str:
    message = update.effective_message
    if message is None:
        return "other_media"
    if message.photo:
        return "photo"
    if message.voice or message.audio or message.video_note:
        return "voice"
    if message.sticker:
        return "sticker"
    if message.document:
        return "document"
    return "other_media"


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    conv = conversation(context)
    sender = conv.sender_id(user.id)
    handoff = conv.handoff
    with speaking(conv.voice_of(user.id)):
        if message.photo and handoff is not None and handoff.is_open(sender):
            # A person is helping: the photo goes to them (Telegram keeps it; we
            # keep only its reference until it is delivered).
            caption, _ = redact(message.caption or "")
            replies = await handoff.user_photo(sender, message.photo[-1].file_id, caption)
        else:
            replies = [Reply(text=say(kind_of(update)))]
    await send(context.bot, message.chat_id, replies, context)


async def on_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group (other than the staff group) it says once that it works in
    private chats, then stays quiet there."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    told: set[int] = context.bot_data.setdefault("groups_told", set())
    if chat.id in told:
        return
    told.add(chat.id)
    await send(context.bot, chat.id, [Reply(text=say("group_only_private"))], context)
