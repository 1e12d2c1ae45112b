"""Updates from the staff supergroup: messages in an escalation's topic go
to the user; /close, /reopen, /note and the topic's buttons act on it. Only
staff (STAFF_USER_IDS or staff members in the database) act as staff;
anyone else is ignored for relaying and refused for staff actions, and every
staff action is logged."""

from __future__ import annotations

import contextlib

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.staff.relay import StaffRelay
from wegwijzer.escalations import EscalationView
from wegwijzer.texts import staff as staff_text


def relay(context: ContextTypes.DEFAULT_TYPE) -> StaffRelay:
    staff_relay: StaffRelay = context.bot_data["relay"]
    return staff_relay


def staff_name(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> str | None:
    return relay(context).staff.name_of(user_id)


def escalation_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> EscalationView | None:
    message = update.effective_message
    if message is None or not message.is_topic_message or message.message_thread_id is None:
        return None
    return relay(context).escalations.by_thread(message.chat_id, message.message_thread_id)


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot:
        return
    escalation = escalation_of(update, context)
    if escalation is None or not escalation.is_open:
        return
    name = staff_name(context, user.id)
    if name is None:
        return  # not staff: never relayed
    file_id = message.photo[-1].file_id if message.photo else None
    text = message.text or message.caption or ""
    if not text and not file_id:
        return
    await relay(context).staff_message(escalation, user.id, name, text, file_id)


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or not message.text:
        return
    command, _, argument = message.text.partition(" ")
    command = command.split("@")[0].lower()
    escalation = escalation_of(update, context)
    name = staff_name(context, user.id)
    staff_relay = relay(context)
    if name is None:
        refuse(staff_relay, user.id, escalation, command)
        await message.reply_text(staff_text("not_allowed"))
        return
    if escalation is None:
        await message.reply_text(staff_text("no_escalation"))
        return
    if command == "/close":
        await staff_relay.close(escalation, user.id, name)
    elif command == "/reopen":
        await staff_relay.reopen(escalation, user.id, name)
    elif command == "/note":
        if argument.strip():
            await staff_relay.note(escalation, user.id, name, argument.strip())
        else:
            await message.reply_text(staff_text("note_how"))


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    _, action, raw_id = (query.data or "st::0").split(":", 2)
    staff_relay = relay(context)
    escalation = staff_relay.escalations.get(int(raw_id)) if raw_id.isdigit() else None
    name = staff_name(context, user.id)
    if name is None:
        refuse(staff_relay, user.id, escalation, f"button {action}")
        await _answer(query, staff_text("not_allowed"))
        return
    await _answer(query, None)
    if escalation is None:
        return
    if action == "claim":
        await staff_relay.claim(escalation, user.id, name)
    elif action == "close":
        await staff_relay.close(escalation, user.id, name)
    elif action == "note":
        await staff_relay.post_in_topic(escalation, staff_text("note_how"))


def refuse(staff_relay: StaffRelay, user_id: int, escalation: EscalationView | None, what: str) -> None:
    """Someone who is not staff tried a staff action: refused, and logged."""
    staff_relay.escalations.log("refused", user_id, f"telegram:{user_id}", escalation.id if escalation else None, what)


async def _answer(query: CallbackQuery, text: str | None) -> None:
    with contextlib.suppress(TelegramError):
        await query.answer(text, show_alert=bool(text))
