"""`python -m bot` (what `make run` starts): the assistant.

Starts the Rasa server, the action server and the staff page, then the
front-end: the terminal chat, or Telegram when TELEGRAM_BOT_TOKEN is set.
In the terminal chat a person takes over through the staff page (make a
staff account with `uv run wegwijzer staff add NAME`).
Ctrl-C or the end of the input stops every process it started. With
RASA_URL set it uses that Rasa server instead of starting its own.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.compose import build_conversation
from bot.console import run_console
from bot.launcher import PortTaken, Stack, current_model
from bot.rasa_client import RasaClient
from wegwijzer.db.session import session_factory
from wegwijzer.logs import setup_logging
from wegwijzer.settings import settings
from wegwijzer.staff import StaffDirectory
from wegwijzer.texts import say


async def console_main(rasa_url: str) -> None:
    rasa = RasaClient(rasa_url, patience=settings().rasa_patience_seconds)
    if not StaffDirectory(session_factory()).accounts_exist():
        # For whoever runs it: without a staff account nobody can answer on the staff page.
        print(say("console_no_staff_hint"), file=sys.stderr, flush=True)
    try:
        await run_console(build_conversation(rasa, channel="terminal"))
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

    config = settings()
    setup_logging(config.log_level)
    if config.telegram_bot_token is not None and config.telegram_webhook_url and not config.telegram_webhook_secret:
        # Without the secret anyone who finds the URL could post forged updates.
        print(say("webhook_needs_secret"), file=sys.stderr, flush=True)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    stack: Stack | None = None
    rasa_url = config.rasa_url
    try:
        if rasa_url:
            ensure_database()
        else:
            print(say("console_starting"), file=sys.stderr, flush=True)
            stack = Stack(model=current_model(), with_review=True)
            try:
                stack.start()
            except PortTaken as taken:
                print(taken, file=sys.stderr, flush=True)
                return 1
            stack.supervise()  # a server that dies is started again
            rasa_url = stack.rasa_url
            print(say("review_at", url=f"http://127.0.0.1:{stack.review_port}/"), file=sys.stderr, flush=True)
        if config.telegram_bot_token is not None:
            from bot.app import run_telegram

            run_telegram(rasa_url)
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
