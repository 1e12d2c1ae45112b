"""Rasa's SQL tracker store, for a database that may restart.

The conversations live in the application's database (endpoints.yml). Rasa's
own SQLTrackerStore keeps pooled connections without checking them, so after
a restart of PostgreSQL the first message on every old connection fails, and
Rasa's fail-safe wrapper then answers from an empty, in-memory conversation
(the topic is forgotten). This one checks a connection before it uses it
(SQLAlchemy's pool_pre_ping) and can say whether the database is reachable,
which the channel asks before it takes a message (nlu/addons/channel.py).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class SharedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def reachable(self) -> bool:
        """A round trip to the database (blocking; call it in a thread)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True
