"""Log lines: the plain format, and one JSON object per line with LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging

import pytest

from wegwijzer.logs import setup_logging


def test_json_lines_with_log_format_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    setup_logging("INFO")
    try:
        logging.getLogger("bot.launcher").warning("rasa stopped (exit code %s)", -9)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("bot.app").exception("Error while handling an update")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    finally:
        monkeypatch.delenv("LOG_FORMAT")
        setup_logging("WARNING")
    assert lines[0] == {
        **lines[0],
        "level": "WARNING",
        "logger": "bot.launcher",
        "message": "rasa stopped (exit code -9)",
    }
    assert lines[0]["time"][:2] == "20"
    assert lines[1]["level"] == "ERROR" and "RuntimeError: boom" in lines[1]["error"]


def test_plain_lines_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO")
    try:
        logging.getLogger("bot.launcher").warning("actions started again (restart %d)", 1)
        err = capsys.readouterr().err
    finally:
        setup_logging("WARNING")
    assert err.rstrip().endswith("WARNING bot.launcher: actions started again (restart 1)")
