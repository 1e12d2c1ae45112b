"""Logging for every Wegwijzer process: a time, the level and the module on
each line. Messages never carry personal data (see wegwijzer.privacy)."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str = "WARNING") -> None:
    logging.basicConfig(level=level.upper(), format=FORMAT, force=True)
    # The HTTP client logs each request's URL, and URLs carry the Telegram
    # bot token and Rasa's token: only its warnings are kept.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
