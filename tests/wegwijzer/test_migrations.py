"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from wegwijzer.db.migrate import ROOT, upgrade


def test_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/schema.db"
    upgrade(url)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.check(config)  # raises when the models need a migration that does not exist


def test_rasas_tracker_table_in_the_same_database_needs_no_migration(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from wegwijzer.conversations import events

    url = f"sqlite:///{tmp_path}/shared.db"
    upgrade(url)
    events.metadata.create_all(create_engine(url))  # what Rasa's SQL tracker store creates
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.check(config)  # would want to drop `events` without the filter
