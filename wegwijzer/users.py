"""What the front-ends remember about a user, and forgetting it (/stop).

Keyed by the pseudonym; the Telegram id is never stored here. Button
payloads sit behind short random ids, so an inline button carries only that
id and an old or unknown id can be answered politely.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.conversations import forget_conversations
from wegwijzer.db.models import ButtonPayload, ChatUser
from wegwijzer.texts import Voice
from wegwijzer.vocabulary import Role

BUTTON_LIFETIME = timedelta(days=30)


@dataclass(frozen=True)
class UserState:
    pseudonym: str
    role: str
    gemeente_code: str | None
    privacy_warned: bool
    pending_report: int | None = None
    language: str | None = None  # None: not known yet
    form: str | None = None

    @property
    def voice(self) -> Voice:
        return Voice.of(self.language, self.form)


def _state(user: ChatUser) -> UserState:
    return UserState(
        user.pseudonym,
        user.role,
        user.gemeente_code,
        user.privacy_warned,
        user.pending_report,
        user.language,
        user.form,
    )


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class UserStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, pseudonym: str) -> UserState:
        with self.sessions() as session:
            user = session.get(ChatUser, pseudonym)
            if user is None:
                return UserState(pseudonym, Role.HELPER.value, None, False)
            return _state(user)

    def update(self, pseudonym: str, **values: object) -> UserState:
        with self.sessions.begin() as session:
            user = session.get(ChatUser, pseudonym)
            if user is None:
                user = ChatUser(pseudonym=pseudonym, role=Role.HELPER.value, privacy_warned=False)
                session.add(user)
            for key, value in values.items():
                setattr(user, key, value)
            session.flush()
            return _state(user)

    def forget(self, pseudonym: str) -> None:
        """Delete everything stored about this user, their Rasa conversation too."""
        with self.sessions.begin() as session:
            session.execute(delete(ButtonPayload).where(ButtonPayload.pseudonym == pseudonym))
            session.execute(delete(ChatUser).where(ChatUser.pseudonym == pseudonym))
            forget_conversations(session, [pseudonym])

    # -- buttons ----------------------------------------------------------
    def button_ids(self, pseudonym: str, buttons: list[tuple[str, str]]) -> list[str]:
        """Short ids for (title, payload) pairs, stored for later presses."""
        ids = []
        with self.sessions.begin() as session:
            for title, payload in buttons:
                button_id = secrets.token_urlsafe(9)
                session.add(ButtonPayload(id=button_id, pseudonym=pseudonym, title=title[:120], payload=payload))
                ids.append(button_id)
        return ids

    def button(self, pseudonym: str, button_id: str) -> tuple[str, str] | None:
        """(title, payload) of a pressed button, or None when unknown or too old."""
        with self.sessions() as session:
            row = session.get(ButtonPayload, button_id)
            if row is None or row.pseudonym != pseudonym:
                return None
            if row.created_at and row.created_at < _utc_now() - BUTTON_LIFETIME:
                return None
            return row.title, row.payload

    def spend_button(self, button_id: str) -> None:
        """A button that changes state works once (consent, an outcome, /stop)."""
        with self.sessions.begin() as session:
            row = session.get(ButtonPayload, button_id)
            if row is not None:
                session.delete(row)
