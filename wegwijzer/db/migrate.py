"""Bring a database to the newest schema with Alembic (programmatically)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from wegwijzer.db.session import database_url

ROOT = Path(__file__).resolve().parents[2]


def upgrade(url: str | None = None) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or database_url()
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
