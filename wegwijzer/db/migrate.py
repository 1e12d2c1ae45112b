"""Bring a database to the newest schema with Alembic (programmatically).

`upgrade_if_needed()` first compares the database's revision with the newest
migration in migrations/versions/ (read from the files, without loading
Alembic), so a command on an up-to-date database starts quickly.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from wegwijzer.db.session import database_url, session_factory

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "migrations" / "versions"
REVISION = re.compile(r'^revision: str = "(\w+)"', re.MULTILINE)
DOWN_REVISION = re.compile(r'^down_revision: [^=]+= "(\w+)"', re.MULTILINE)


def upgrade(url: str | None = None) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or database_url()
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def head_revision() -> str | None:
    """The newest migration: the one no other migration follows."""
    revisions, followed = set(), set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(REVISION.findall(source))
        followed.update(DOWN_REVISION.findall(source))
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None


def current_revision(url: str | None = None) -> str | None:
    try:
        with session_factory(url)() as session:
            return session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None  # a new database: no version table yet


def upgrade_if_needed(url: str | None = None) -> None:
    head = head_revision()
    if head is None or current_revision(url) != head:
        upgrade(url)
