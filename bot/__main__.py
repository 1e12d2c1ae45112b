"""`python -m bot` (what `make run` starts): the assistant.

Starts the Rasa server and the action server, then the front-end: the
terminal chat, or Telegram when TELEGRAM_BOT_TOKEN is set. Ctrl-C or the end
of the input stops every process it started.
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
from wegwijzer.privacy import load_secret


async def console_main(stack: Stack) -> None:
    rasa = RasaClient(stack.rasa_url)
    try:
        await run_console(Conversation(rasa, load_secret(), channel="terminal"))
    finally:
        await rasa.close()


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """Stop on SIGTERM as on Ctrl-C: the finally block stops the servers."""
    raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"))
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(say("console_starting"), file=sys.stderr, flush=True)
    stack = Stack(model=current_model())
    try:
        stack.start()
        if os.environ.get("TELEGRAM_BOT_TOKEN"):
            from bot.app import run_telegram

            run_telegram(stack)
        else:
            asyncio.run(console_main(stack))
    except KeyboardInterrupt:
        print(say("console_bye"), file=sys.stderr)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
