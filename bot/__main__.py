"""`python -m bot` (what `make run` starts): the assistant.

Starts the Rasa server and the action server, then the front-end: the
terminal chat, or Telegram when TELEGRAM_BOT_TOKEN is set. Ctrl-C or the end
of the input stops every process it started. With RASA_URL set it uses that
Rasa server instead of starting its own.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from bot.console import run_console
from bot.conversation import Conversation
from bot.launcher import Stack, current_model
from bot.rasa_client import RasaClient
from bot.texts import text as say
from wegwijzer.db.session import session_factory
from wegwijzer.privacy import load_secret
from wegwijzer.users import UserStore


def location_for_key(key: str) -> dict | None:
    """A location slot value for a place key such as "gm:GM0106" (deep links)."""
    from wegwijzer.places import gazetteer

    resolution = gazetteer().resolve(key)
    return resolution.location.as_slot() if resolution.found and resolution.location else None


def make_conversation(rasa: RasaClient, channel: str) -> Conversation:
    return Conversation(rasa, load_secret(), channel, UserStore(session_factory()), places=location_for_key)


async def console_main(rasa_url: str) -> None:
    rasa = RasaClient(rasa_url)
    try:
        await run_console(make_conversation(rasa, channel="terminal"))
    finally:
        await rasa.close()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """Stop on SIGTERM as on Ctrl-C: the finally block stops the servers."""
    raise KeyboardInterrupt


def main() -> int:
    """Start the servers (unless RASA_URL points to a running Rasa server),
    then the Telegram front-end when TELEGRAM_BOT_TOKEN is set, else the
    terminal chat."""
    from wegwijzer.cli import ensure_database

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"))
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    stack: Stack | None = None
    rasa_url = os.environ.get("RASA_URL")
    try:
        if rasa_url:
            ensure_database()
        else:
            print(say("console_starting"), file=sys.stderr, flush=True)
            stack = Stack(model=current_model(), with_review=True)
            stack.start()
            rasa_url = stack.rasa_url
        if stack is not None:
            print(say("review_at", url=f"http://127.0.0.1:{stack.review_port}/"), file=sys.stderr, flush=True)
        if os.environ.get("TELEGRAM_BOT_TOKEN"):
            from bot.app import run_telegram

            run_telegram(rasa_url, places=location_for_key)
        else:
            asyncio.run(console_main(rasa_url))
    except KeyboardInterrupt:
        print(say("console_bye"), file=sys.stderr)
    finally:
        if stack is not None:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
