"""The Telegram front-end: `build_application()` wires everything.

Long polling by default; webhook mode (with a secret token that Telegram
sends along and PTB checks) when TELEGRAM_WEBHOOK_URL is set. The Bot API
base URL is TELEGRAM_API_URL, so a self-hosted Bot API server (or the test
suite's fake one) works too.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.conversation import Conversation
from bot.handlers import buttons, messages, other
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.staff import handlers as staff
from bot.staff.relay import StaffRelay
from wegwijzer.db.models import ProcessedUpdate
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import Escalations
from wegwijzer.privacy import load_secret
from wegwijzer.users import UserStore

logger = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "Begin: wat Wegwijzer doet"),
    BotCommand("help", "Hoe het werkt"),
    BotCommand("rol", "Helper of professional kiezen"),
    BotCommand("locatie", "Een plaats of postcode geven"),
    BotCommand("privacy", "Wat ik bewaar"),
    BotCommand("bronnen", "Waar mijn gegevens vandaan komen"),
    BotCommand("medewerker", "Praat met een medewerker"),
    BotCommand("stop", "Alles over mij wissen"),
]
PRIVATE = filters.ChatType.PRIVATE


async def once_per_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram may send an update again (webhook retries): handle it once."""
    sessions = context.bot_data["sessions"]
    try:
        with sessions.begin() as session:
            session.add(ProcessedUpdate(bot_id=context.bot.id, update_id=update.update_id))
    except IntegrityError:
        logger.info("Update %s was handled before; skipped", update.update_id)
        raise ApplicationHandlerStop from None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    logger.error("Error while handling an update", exc_info=context.error)


async def post_init(application: Application) -> None:
    data = application.bot_data
    rasa = RasaClient(data["rasa_url"])
    data["rasa"] = rasa
    data["sessions"] = session_factory()
    users = UserStore(data["sessions"])
    settings: Settings = data["settings"]
    relay = StaffRelay(application.bot, settings.staff_chat_id, Escalations(data["sessions"]), rasa, users)
    data["relay"] = relay
    data["conversation"] = Conversation(rasa, load_secret(), "tg", users, places=data.get("places"), handoff=relay)
    bot_id = application.bot.id
    with data["sessions"].begin() as session:  # forget update ids older than the last 10,000
        newest = session.execute(
            select(ProcessedUpdate.update_id)
            .where(ProcessedUpdate.bot_id == bot_id)
            .order_by(ProcessedUpdate.update_id.desc())
            .limit(1)
        ).scalar()
        if newest is not None:
            session.execute(
                delete(ProcessedUpdate).where(
                    ProcessedUpdate.bot_id == bot_id, ProcessedUpdate.update_id < newest - 10_000
                )
            )
    await application.bot.set_my_commands(COMMANDS, language_code="nl")
    await application.bot.set_my_commands(COMMANDS)
    resent = await relay.redeliver()
    if resent:
        logger.info("Delivered %d message(s) left from before the restart", resent)


async def post_shutdown(application: Application) -> None:
    rasa: RasaClient | None = application.bot_data.get("rasa")
    if rasa is not None:
        await rasa.close()


def build_application(settings: Settings, rasa_url: str, places=None) -> Application:  # type: ignore[no-untyped-def]
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(settings.file_url)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    application = builder.build()
    application.bot_data.update(settings=settings, rasa_url=rasa_url, places=places)

    application.add_handler(TypeHandler(Update, once_per_update), group=-1)
    if settings.staff_chat_id is not None:
        staff_chat = filters.Chat(settings.staff_chat_id)
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
    application.add_handler(
        MessageHandler(
            PRIVATE
            & (
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
            ),
            other.on_media,
        ),
        group=0,
    )
    application.add_handler(CallbackQueryHandler(buttons.on_button), group=0)
    application.add_error_handler(on_error)
    return application


def run_telegram(rasa_url: str, places=None) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env()
    application = build_application(settings, rasa_url, places)
    updates = Update.ALL_TYPES
    if settings.webhook_url:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_url.rstrip("/").rsplit("/", 1)[-1],
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=updates,
        )
    else:
        application.run_polling(allowed_updates=updates)
