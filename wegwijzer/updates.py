"""Telegram update ids already handled, per bot: an update Telegram sends
again (webhook retries, a restart) is handled once."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.db.models import ProcessedUpdate

KEEP = 10_000  # update ids kept per bot; older ones can no longer come back


class HandledUpdates:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def first_time(self, bot_id: int, update_id: int) -> bool:
        """Marks the update as handled; False when it was handled before."""
        try:
            with self.sessions.begin() as session:
                session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id))
        except IntegrityError:
            return False
        return True

    def prune(self, bot_id: int) -> None:
        """Forget all but the newest KEEP update ids of this bot."""
        with self.sessions.begin() as session:
            newest = session.execute(
                select(ProcessedUpdate.update_id)
                .where(ProcessedUpdate.bot_id == bot_id)
                .order_by(ProcessedUpdate.update_id.desc())
                .limit(1)
            ).scalar()
            if newest is not None:
                session.execute(
                    delete(ProcessedUpdate).where(
                        ProcessedUpdate.bot_id == bot_id, ProcessedUpdate.update_id < newest - KEEP
                    )
                )
