"""Updates from the staff supergroup: messages in an escalation's topic go
to the user; /close, /reopen, /note and the topic's buttons act on it. Only
staff (STAFF_USER_IDS or staff members in the database) act as staff;
anyone else is ignored for relaying and refused for staff actions, and every
staff action is logged. The actions themselves are the staff page's too
(wegwijzer.workspace); the delivery brings them to the user."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.delivery import Delivery
from bot.staff.telegram import TelegramTopics
from wegwijzer.escalations import EscalationView
from wegwijzer.staff import StaffDirectory
from wegwijzer.texts import staff as staff_text
from wegwijzer.workspace import Actor, Origin, Workspace

STAFF_BUTTON_ACTIONS = ("claim", "note", "close")


@dataclass(frozen=True)
class StaffGroup:
    """What the staff group's handlers need (in bot_data["staff_group"])."""

    workspace: Workspace
    topics: TelegramTopics
    directory: StaffDirectory
    delivery: Delivery


def group_of(context: ContextTypes.DEFAULT_TYPE) -> StaffGroup:
    found: StaffGroup = context.bot_data["staff_group"]
    return found


def actor_of(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> Actor | None:
    member = group_of(context).directory.member(user_id)
    if member is None:
        return None
    name, staff_id = member
    return Actor(name, Origin.TOPIC, telegram_id=user_id, staff_id=staff_id)


def escalation_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> EscalationView | None:
    message = update.effective_message
    if message is None or not message.is_topic_message or message.message_thread_id is None:
        return None
    return group_of(context).workspace.escalations.by_thread(message.chat_id, message.message_thread_id)


async def on_staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or user.is_bot:
        return
    escalation = escalation_of(update, context)
    if escalation is None or not escalation.is_open:
        return
    actor = actor_of(context, user.id)
    if actor is None:
        return  # not staff: never relayed
    file_id = message.photo[-1].file_id if message.photo else None
    group = group_of(context)
    if group.workspace.reply(escalation, actor, message.text or message.caption or "", file_id) is not None:
        group.delivery.kick()


async def on_staff_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or not message.text:
        return
    command, _, argument = message.text.partition(" ")
    command = command.split("@")[0].lower()
    escalation = escalation_of(update, context)
    actor = actor_of(context, user.id)
    group = group_of(context)
    if actor is None:
        refuse(group, user.id, escalation, command)
        await message.reply_text(staff_text("not_allowed"))
        return
    if escalation is None:
        await message.reply_text(staff_text("no_escalation"))
        return
    if command == "/close":
        group.workspace.close(escalation, actor)
    elif command == "/reopen":
        group.workspace.reopen(escalation, actor)
    elif command == "/note":
        if group.workspace.note(escalation, actor, argument):
            await group.topics.say_in_topic(escalation, staff_text("note_saved"))
        else:
            await message.reply_text(staff_text("note_how"))
    group.delivery.kick()


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = (query.data or "").split(":")
    action = parts[1] if len(parts) == 3 and parts[1] in STAFF_BUTTON_ACTIONS else None
    raw_id = parts[2] if action else ""
    group = group_of(context)
    escalation = (
        group.workspace.escalations.get(int(raw_id))
        if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
        else None
    )
    actor = actor_of(context, user.id)
    if actor is None:
        refuse(group, user.id, escalation, f"button {action or '?'}")
        await _answer(query, staff_text("not_allowed"))
        return
    await _answer(query, None)
    if escalation is None:
        return
    if action == "claim":
        if not group.workspace.claim(escalation, actor):
            current = group.workspace.escalations.get(escalation.id)
            taken_by = (current.claimed_by_name if current else None) or "?"
            await group.topics.say_in_topic(escalation, staff_text("already_claimed", id=escalation.id, name=taken_by))
    elif action == "close":
        group.workspace.close(escalation, actor)
    elif action == "note":
        await group.topics.say_in_topic(escalation, staff_text("note_how"))
    group.delivery.kick()


def refuse(group: StaffGroup, user_id: int, escalation: EscalationView | None, what: str) -> None:
    """Someone who is not staff tried a staff action: refused, and logged
    (under a mark, not their Telegram id)."""
    group.workspace.escalations.log(
        "refused", None, staff_text("not_staff_actor"), escalation.id if escalation else None, what
    )


async def _answer(query: CallbackQuery, text: str | None) -> None:
    with contextlib.suppress(TelegramError):
        await query.answer(text, show_alert=bool(text))
