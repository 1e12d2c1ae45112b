"""What every handler shares: one conversation at a time per user (different
users concurrently), a per-user rate limit, "typing…" while waiting, and
sending the replies the Telegram way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.conversation import LONG_WAIT, Conversation
from bot.rendering import Outgoing, Reply, telegram_plan
from wegwijzer import metrics
from wegwijzer.db.session import database_unavailable
from wegwijzer.texts import DEFAULT_VOICE, Voice, say, speaking

logger = logging.getLogger(__name__)


@dataclass
class Bucket:
    """Token bucket: `rate` messages per second, bursts up to `burst`."""

    rate: float
    burst: int
    tokens: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def wait_time(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.tokens -= 1
        return wait


@dataclass
class UserGate:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    bucket: Bucket | None = None
    warned_slow: bool = False


MAX_GATES = 10_000


def gate(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> UserGate:
    gates: dict[int, UserGate] = context.bot_data.setdefault("gates", {})
    if len(gates) > MAX_GATES:
        # Forget idle users (not busy, bucket long refilled) so memory stays small.
        now = time.monotonic()
        for key in [k for k, g in gates.items() if not g.lock.locked() and g.bucket and now - g.bucket.updated > 60]:
            del gates[key]
    found = gates.get(user_id)
    if found is None:
        config = context.bot_data["settings"]
        found = gates[user_id] = UserGate(bucket=Bucket(config.rate_per_second, config.rate_burst))
    return found


def conversation(context: ContextTypes.DEFAULT_TYPE) -> Conversation:
    conv: Conversation = context.bot_data["conversation"]
    return conv


async def in_turn(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    user_id: int,
    work: Callable[[Callable[[str], Awaitable[None]]], Awaitable[list[Reply]]],
    urgent: Callable[[], Awaitable[list[Reply]]] | None = None,
    kind: str = "text",
) -> None:
    """Run `work` for this user after their earlier messages, under the rate
    limit, and send its replies. `work` gets an `on_wait` to call when Rasa
    is slow, which tells the user "een moment…" (and later that it takes long).

    A message that must wait its turn does no work until then (no database,
    no Rasa): many queued messages of one account cost others nothing.
    Urgent help does not wait: when an earlier message is still being
    answered (Rasa slow or down), `urgent` gives the crisis numbers at once;
    the message itself is still answered in its turn."""
    metrics.MESSAGES.labels(kind=kind).inc()
    user_gate = gate(context, user_id)
    if urgent is not None and user_gate.lock.locked():
        try:
            now = await urgent()
            if now:
                await send(context.bot, chat_id, now, context)
        except Exception:  # the message itself still waits its turn: nothing is lost
            logger.exception("The urgent answer before the user's turn failed")
    async with user_gate.lock:
        delay = user_gate.bucket.wait_time() if user_gate.bucket else 0.0
        with speaking(voice_of(context, user_id)):
            if delay > 0:
                if not user_gate.warned_slow:
                    user_gate.warned_slow = True
                    await send(context.bot, chat_id, [Reply(text=say("slow_down"))], context)
                await asyncio.sleep(delay)

            async def please_wait(key: str) -> None:
                await send(context.bot, chat_id, [Reply(text=say(key))], context)

            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            with metrics.REPLY_SECONDS.time():
                try:
                    replies = await while_database_away(context, work, please_wait)
                    await send(context.bot, chat_id, replies, context)
                except Exception:
                    metrics.ERRORS.labels(where="turn").inc()
                    raise


def voice_of(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> Voice:
    """The user's voice; the default one while the database is away (the
    message is kept and answered, see while_database_away)."""
    try:
        return conversation(context).voice_of(user_id)
    except Exception as error:
        if not database_unavailable(error):
            raise
        return DEFAULT_VOICE


DATABASE_RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15)  # then every 15 s, within the patience


async def while_database_away(
    context: ContextTypes.DEFAULT_TYPE,
    work: Callable[[Callable[[str], Awaitable[None]]], Awaitable[list[Reply]]],
    please_wait: Callable[[str], Awaitable[None]],
) -> list[Reply]:
    """Run `work`; while the database cannot be reached (a restart), keep the
    message and try again, telling the user once that it takes a moment and
    once that it takes long; after the patience, say it does not work now."""
    patience = context.bot_data["settings"].rasa_patience_seconds
    started = time.monotonic()
    attempt = 0
    said_long = False
    while True:
        try:
            return await work(please_wait)
        except Exception as error:
            if not database_unavailable(error):
                raise
            waited = time.monotonic() - started
            if waited >= patience:
                logger.error("The database was away too long; the message could not be answered")
                return [Reply(text=say("unavailable"))]
            logger.warning("The database is not available; retry %d", attempt + 1)
            metrics.ERRORS.labels(where="database").inc()
            if attempt == 0:
                await please_wait("one_moment")
            elif waited >= LONG_WAIT and not said_long:
                said_long = True
                await please_wait("taking_long")
            await asyncio.sleep(DATABASE_RETRY_DELAYS[min(attempt, len(DATABASE_RETRY_DELAYS) - 1)])
            attempt += 1


async def send(bot: Bot, chat_id: int, replies: list[Reply], context: ContextTypes.DEFAULT_TYPE) -> None:
    conv = conversation(context)
    sender = conv.sender_id(chat_id)

    def button_ids(buttons: list[tuple[str, str]]) -> list[str]:
        return conv.users.button_ids(sender, buttons)

    with speaking(voice_of(context, chat_id)):  # the voice may have changed with this message
        calls = telegram_plan(replies, button_ids, say("share_location_button"))
    for call in calls:
        await execute(bot, chat_id, call)


def markup(value: dict[str, Any] | None) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    if value is None:
        return None
    if "inline_keyboard" in value:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(b["text"], url=b["url"])
                    if "url" in b
                    else InlineKeyboardButton(b["text"], callback_data=b["callback_data"])
                    for b in row
                ]
                for row in value["inline_keyboard"]
            ]
        )
    if "keyboard" in value:
        return ReplyKeyboardMarkup(
            [
                [KeyboardButton(b["text"], request_location=b.get("request_location", False)) for b in row]
                for row in value["keyboard"]
            ],
            resize_keyboard=value.get("resize_keyboard", True),
            one_time_keyboard=value.get("one_time_keyboard", True),
        )
    return ReplyKeyboardRemove()


async def execute(bot: Bot, chat_id: int, call: Outgoing, raise_errors: bool = False) -> None:
    """One planned call; a refusal is logged (or, raise_errors, raised for
    the caller to try again later)."""
    params = dict(call.params)
    try:
        if call.method == "sendVenue":
            await bot.send_venue(chat_id, **params)
        elif call.method == "sendDocument":
            await bot.send_document(chat_id, InputFile(params["document"], filename=params["filename"]))
        else:
            reply_markup = markup(params.pop("reply_markup", None))
            await bot.send_message(chat_id, params["text"], reply_markup=reply_markup)
    except TelegramError:
        if raise_errors:
            raise
        logger.exception("Telegram refused %s", call.method)
