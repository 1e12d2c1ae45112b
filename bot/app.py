"""The Telegram front-end: `build_application()` wires everything.

Long polling by default; webhook mode (with a secret token that Telegram
sends along and PTB checks) when TELEGRAM_WEBHOOK_URL is set. The Bot API
base URL is TELEGRAM_API_URL, so a self-hosted Bot API server (or the test
suite's fake one) works too. Resources (the Rasa client, the database, the
delivery of staff answers) are opened in `post_init` and closed in
`post_stop` and `post_shutdown`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import warnings
from datetime import timedelta
from typing import Any

import httpx
import prometheus_client
from sqlalchemy.orm import Session, sessionmaker
from telegram import BotCommand, Update
from telegram.error import NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.after_referral import AfterReferral
from bot.commands import COMMANDS
from bot.compose import build_conversation
from bot.delivery import Delivery
from bot.handlers import buttons, messages, other
from bot.rasa_client import RasaClient
from bot.staff import handlers as staff
from bot.staff.handlers import StaffGroup
from bot.staff.telegram import TelegramTopics, TelegramUsers
from wegwijzer import metrics
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import Escalations
from wegwijzer.language import official_words
from wegwijzer.privacy import warm_up
from wegwijzer.retention import PURGE_INTERVAL_SECONDS, purge
from wegwijzer.settings import Settings, settings
from wegwijzer.staff import StaffDirectory
from wegwijzer.texts import Voice, speaking
from wegwijzer.updates import HandledUpdates
from wegwijzer.workspace import Workspace

logger = logging.getLogger(__name__)

PRIVATE = filters.ChatType.PRIVATE
MEDIA = (
    filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.Document.ALL
    | filters.ANIMATION
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
    | filters.VENUE
)
App = Application[Any, Any, Any, Any, Any, Any]
FOLLOW_UP_CHECK_SECONDS = 60
CONCURRENT_UPDATES = 4096
MAX_ID = 2**62  # below what a signed 64-bit column holds
SEND_CONNECTIONS = 256
POOL_WAIT = 30.0  # seconds a reply may wait for a free connection
SEND_ATTEMPTS = 5  # repeats of a call that did not reach Telegram
MAX_FLOOD_WAIT = 60.0


class SturdyBot(ExtBot[Any]):
    """One update the library cannot read (a poll without `persistent_id`)
    would make every later getUpdates fail: such an update is logged once,
    without its content, and skipped (confirmed to Telegram, so it is not
    sent again).

    A call that Telegram did not receive (every connection busy, no
    connection made) or asked to repeat later (flood control, "retry
    after") is sent again, so a busy moment loses no reply; a call that may
    have arrived (a read timeout) is not, so none is doubled."""

    async def _do_post(self, endpoint: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if endpoint == "getUpdates":  # the updater has its own retry loop
            return await super()._do_post(endpoint, data, *args, **kwargs)
        for attempt in itertools.count(1):
            try:
                return await super()._do_post(endpoint, data, *args, **kwargs)
            except RetryAfter as error:
                with warnings.catch_warnings():  # PTB 22 announces a timedelta here
                    warnings.simplefilter("ignore", PTBDeprecationWarning)
                    wait = error.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                if attempt > SEND_ATTEMPTS:
                    raise
                metrics.ERRORS.labels(where="telegram_flood").inc()
                await asyncio.sleep(min(seconds, MAX_FLOOD_WAIT))
            except (TimedOut, NetworkError) as error:
                if attempt > SEND_ATTEMPTS or not not_sent(error):
                    raise
                metrics.ERRORS.labels(where="telegram_busy").inc()
                await asyncio.sleep(min(2.0**attempt / 4, 5.0))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        readable, unreadable = [], []
        for raw in result:
            try:
                Update.de_json(raw, self)
                readable.append(raw)
            except Exception:  # noqa: BLE001 — anything the library cannot parse
                unreadable.append(raw.get("update_id") if isinstance(raw, dict) else None)
        if unreadable:
            ids = [i for i in unreadable if isinstance(i, int)]
            logger.warning("Skipped %d update(s) that cannot be read (update ids %s)", len(unreadable), ids)
            newest_readable = max((r["update_id"] for r in readable), default=-1)
            if ids and max(ids) > newest_readable:
                # Confirm them: the next getUpdates starts after the unreadable one.
                await super()._post("getUpdates", {"offset": max(ids) + 1, "limit": 1, "timeout": 0})
        return readable


def not_sent(error: TelegramError) -> bool:
    """True when the request surely did not reach Telegram: no free
    connection (pool timeout) or no connection made."""
    cause = error.__cause__
    return isinstance(cause, (httpx.PoolTimeout, httpx.ConnectTimeout, httpx.ConnectError))


def sending_request() -> HTTPXRequest:
    """Connections to the Bot API for replies: many at once, and time to wait
    for a free one in a busy moment (a request still waiting was not sent)."""
    return HTTPXRequest(
        connection_pool_size=SEND_CONNECTIONS, pool_timeout=POOL_WAIT, read_timeout=20.0, write_timeout=20.0
    )


async def ids_in_range(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ids no database column can hold (Telegram's are below 2**52): ignored."""
    user, chat = update.effective_user, update.effective_chat
    if any(abs(i) >= MAX_ID for i in (user.id if user else 0, chat.id if chat else 0)):
        logger.warning("Update %s ignored: an id out of range", update.update_id)
        raise ApplicationHandlerStop


async def once_per_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram may send an update again (webhook retries): handle it once."""
    handled: HandledUpdates = context.bot_data["handled"]
    if not handled.first_time(context.bot.id, update.update_id):
        logger.info("Update %s was handled before; skipped", update.update_id)
        raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    logger.error("Error while handling an update", exc_info=context.error)
    metrics.ERRORS.labels(where="update").inc()


async def post_init(application: App) -> None:
    data = application.bot_data
    config: Settings = data["settings"]
    sessions = session_factory()
    rasa = RasaClient(data["rasa_url"], patience=config.rasa_patience_seconds)
    conversation = build_conversation(rasa, "tg", staff_chat_id=config.staff_chat_id)
    escalations = Escalations(sessions)
    topics = (
        TelegramTopics(application.bot, config.staff_chat_id, escalations) if config.staff_chat_id is not None else None
    )
    users = TelegramUsers(application.bot, conversation.users)
    delivery = Delivery(
        escalations, "tg", users, topics, voice_of=lambda pseudonym: conversation.users.get(pseudonym).voice
    )
    if conversation.handoff is not None:
        conversation.handoff.delivery = delivery
    data.update(rasa=rasa, handled=HandledUpdates(sessions), conversation=conversation, delivery=delivery)
    if topics is not None:
        data["staff_group"] = StaffGroup(
            Workspace(sessions), topics, StaffDirectory(sessions, config.staff_user_ids), delivery
        )
    data["handled"].prune(application.bot.id)
    # The de-identifier's name lists (loading since build_conversation) and
    # the official words (place and organisation names) are ready before the
    # first update is taken.
    await asyncio.to_thread(warm_up().join)
    await asyncio.to_thread(official_words)
    if config.metrics_port:
        # Prometheus metrics (counts and timings, nothing personal), also the front-end's health check.
        prometheus_client.start_http_server(config.metrics_port, addr=config.metrics_host)
    menu = [BotCommand(c.name, c.menu_text) for c in COMMANDS]
    await application.bot.set_my_commands(menu, language_code="nl")
    await application.bot.set_my_commands(menu)
    with speaking(Voice("en")):  # Telegram shows this menu to users whose app is in English
        await application.bot.set_my_commands([BotCommand(c.name, c.menu_text) for c in COMMANDS], language_code="en")
    # What was left from before a restart goes first; then delivery runs on.
    resent = await delivery.deliver(config.staff_chat_id)
    if resent:
        logger.info("Delivered %d message(s) left from before the restart", resent)
    data["delivery_task"] = asyncio.create_task(delivery.run(config.staff_chat_id))
    if conversation.after_referral is not None:
        data["follow_up_task"] = asyncio.create_task(ask_follow_ups(conversation.after_referral, users))
    data["purge_task"] = asyncio.create_task(purge_periodically(sessions, rasa, config.data_retention_days))


async def ask_follow_ups(after_referral: AfterReferral, users: TelegramUsers) -> None:
    """ "Is het gelukt?" when the day has come: at the start, then every so often."""
    while True:
        try:
            asked = await after_referral.ask_due(users.send_chat)
            if asked:
                logger.info("Asked %d follow-up(s)", asked)
        except Exception:
            logger.exception("Asking the follow-ups failed; trying again later")
        await asyncio.sleep(FOLLOW_UP_CHECK_SECONDS)


async def purge_periodically(sessions: sessionmaker[Session], rasa: RasaClient, days: int) -> None:
    """The retention purge: at the start, then every hour; the Rasa
    conversations of purged users go too. Only counts are logged."""
    while True:
        try:
            result = await asyncio.to_thread(purge, sessions, days)
            logger.info("Purged: %s", result.line())
            for sender in result.pseudonyms:
                try:
                    await rasa.forget(sender)
                except Exception:  # noqa: BLE001
                    logger.warning("Could not delete a purged Rasa conversation")
        except Exception:
            logger.exception("The purge failed; trying again later")
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)


async def post_stop(application: App) -> None:
    """Delivery and follow-ups stop with the application (what is left goes after a restart)."""
    for name in ("delivery_task", "follow_up_task", "purge_task"):
        task: asyncio.Task[None] | None = application.bot_data.get(name)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def post_shutdown(application: App) -> None:
    rasa: RasaClient | None = application.bot_data.get("rasa")
    if rasa is not None:
        await rasa.close()


def build_application(config: Settings, rasa_url: str) -> App:
    if config.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    bot = SturdyBot(
        config.telegram_bot_token.get_secret_value(),
        base_url=config.telegram_api_url,
        base_file_url=config.telegram_file_url,
        request=sending_request(),
    )
    application: App = (
        Application.builder()
        .bot(bot)
        # Updates waiting in a user's turn (the rate limit) hold a slot: enough
        # slots that a few flooding accounts cannot stall everyone else.
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.update(settings=config, rasa_url=rasa_url)

    application.add_handler(TypeHandler(Update, ids_in_range), group=-2)
    application.add_handler(TypeHandler(Update, once_per_update), group=-1)
    if config.staff_chat_id is not None:
        staff_chat = filters.Chat(config.staff_chat_id)
        application.add_handler(MessageHandler(staff_chat & filters.COMMAND, staff.on_staff_command), group=0)
        application.add_handler(
            MessageHandler(staff_chat & ~filters.COMMAND & (filters.TEXT | filters.PHOTO), staff.on_staff_message),
            group=0,
        )
        application.add_handler(CallbackQueryHandler(staff.on_staff_button, pattern=r"^st:"), group=0)
        not_staff_group = ~staff_chat
    else:
        not_staff_group = filters.ALL
    # Other groups: it works in private chats only.
    application.add_handler(
        MessageHandler(~PRIVATE & not_staff_group & ~filters.StatusUpdate.ALL, other.on_group), group=0
    )
    application.add_handler(MessageHandler(PRIVATE & filters.LOCATION, messages.on_location), group=0)
    application.add_handler(MessageHandler(PRIVATE & (filters.TEXT | filters.COMMAND), messages.on_text), group=0)
    application.add_handler(MessageHandler(PRIVATE & MEDIA, other.on_media), group=0)
    application.add_handler(CallbackQueryHandler(buttons.on_button), group=0)
    application.add_error_handler(on_error)
    return application


def run_telegram(rasa_url: str) -> None:
    config = settings()
    application = build_application(config, rasa_url)
    updates = Update.ALL_TYPES
    if config.telegram_webhook_url:
        secret = config.telegram_webhook_secret
        if secret is None or not secret.get_secret_value():
            raise SystemExit("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
        application.run_webhook(
            listen=config.telegram_webhook_listen,
            port=config.telegram_webhook_port,
            url_path=config.telegram_webhook_url.rstrip("/").rsplit("/", 1)[-1],
            webhook_url=config.telegram_webhook_url,
            secret_token=secret.get_secret_value(),
            allowed_updates=updates,
        )
    else:
        application.run_polling(allowed_updates=updates)
