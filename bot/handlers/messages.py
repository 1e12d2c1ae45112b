"""Text messages, commands, edited and forwarded messages, and shared
locations, in private chats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.conversation import OnWait
from bot.handlers.flow import conversation, in_turn
from bot.rendering import Reply
from wegwijzer.texts import say


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    edited, forwarded = update.edited_message is not None, message.forward_origin is not None
    text = message.text or message.caption or ""

    async def work(on_wait: OnWait) -> list[Reply]:
        # Notes in the user's voice, so said in their turn.
        notes = [Reply(text=say(key)) for key, applies in (("edited", edited), ("forwarded", forwarded)) if applies]
        return notes + await conversation(context).handle_text(user.id, text, on_wait=on_wait)

    async def urgent() -> list[Reply]:
        return await conversation(context).urgent_now(user.id, text)

    await in_turn(context, message.chat_id, user.id, work, urgent)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.location is None:
        return
    lat, lon = message.location.latitude, message.location.longitude

    async def work(on_wait: OnWait) -> list[Reply]:
        return await conversation(context).handle_location(user.id, lat, lon, on_wait=on_wait)

    await in_turn(context, message.chat_id, user.id, work, kind="location")
