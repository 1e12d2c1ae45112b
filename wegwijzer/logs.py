"""Logging for every Wegwijzer process: a time, the level and the module on
each line, or one JSON object per line with LOG_FORMAT=json (for a log
collector). Messages never carry personal data (see wegwijzer.privacy)."""

from __future__ import annotations

import json
import logging
import os

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """{"time", "level", "logger", "message"[, "error"]} per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(level: str = "WARNING") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines() if os.environ.get("LOG_FORMAT", "").lower() == "json" else logging.Formatter(FORMAT)
    )
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    # The HTTP client logs each request's URL, and URLs carry the Telegram
    # bot token and Rasa's token: only its warnings are kept.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
