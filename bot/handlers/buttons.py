"""Inline keyboard presses: the short callback id is looked up server-side;
an old or unknown button gets a polite answer."""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.commands import once_only
from bot.conversation import OnWait
from bot.handlers.flow import conversation, in_turn, send
from bot.rendering import Reply
from wegwijzer.texts import say, speaking


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None or query.message is None:
        return
    conv = conversation(context)
    found = conv.users.button(conv.sender_id(user.id), query.data or "")
    chat_id = query.message.chat.id
    try:
        await query.answer()
        await query.edit_message_reply_markup(None)  # one press per question
    except TelegramError:
        pass
    if found is None:
        with speaking(conv.voice_of(user.id)):
            old = [Reply(text=say("old_button"))]
        await send(context.bot, chat_id, old, context)
        return
    title, payload = found
    if once_only(payload):
        conv.users.spend_button(query.data or "")

    async def work(on_wait: OnWait) -> list[Reply]:
        return [Reply(text=f"✔ {title}")] + await conv.handle_button(user.id, payload, on_wait=on_wait)

    await in_turn(context, chat_id, user.id, work, kind="button")
