"""Rasa's SQL tracker store, for a database that may restart.

The conversations live in the application's database (endpoints.yml). Rasa's
own SQLTrackerStore keeps pooled connections without checking them, so after
a restart of PostgreSQL the first message on every old connection fails, and
Rasa's fail-safe wrapper then answers from an empty, in-memory conversation
(the topic is forgotten). This one checks a connection before it uses it
(SQLAlchemy's pool_pre_ping) and can say whether the database is reachable,
which the channel asks before it takes a message (nlu/addons/channel.py).

It also finds the current session by the order of the events (their id),
not by their time: an event appended over the HTTP API (the place from a
deep link) is made before Rasa starts the conversation's first session, so
Rasa's own store, which compares times, dropped it from the conversation.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted


class SharedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _event_query(self, session: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        """The conversation's events, ordered; only those from its latest
        SessionStarted on unless all sessions are asked for."""
        event = self.SQLEvent
        query = session.query(event).filter(event.sender_id == sender_id)
        if not fetch_events_from_all_sessions:
            session_start = (
                session.query(sa.func.max(event.id))
                .filter(event.sender_id == sender_id, event.type_name == SessionStarted.type_name)
                .scalar_subquery()
            )
            query = query.filter(sa.or_(session_start.is_(None), event.id >= session_start))
        return query.order_by(event.id)

    def reachable(self) -> bool:
        """A round trip to the database (blocking; call it in a thread)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True
