"""The same domain on PostgreSQL (DATABASE_URL): migrations, the load step,
counters, users, escalations with Telegram-sized ids, and the review figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Counter, Organisation, Place
from wegwijzer.db.session import session_factory, session_scope
from wegwijzer.directory import KINDS, CounterIndex
from wegwijzer.escalations import Escalations
from wegwijzer.importers.counters import import_file
from wegwijzer.places import Gazetteer
from wegwijzer.users import UserStore

pytestmark = pytest.mark.postgres
COUNTERS = Path(__file__).resolve().parents[1] / "data" / "counters.csv"


@pytest.fixture(scope="module")
def url(postgres_url: str) -> str:
    ensure_database(postgres_url)
    ensure_database(postgres_url)  # twice: the load step is idempotent
    return postgres_url


def test_schema_and_reference_data(url: str) -> None:
    with session_scope(url) as session:
        assert session.execute(select(func.count(Place.id))).scalar_one() == 4086 + 2501 + 342
        assert session.execute(select(func.count(Organisation.id))).scalar_one() == 20
        assert (
            session.execute(select(func.count(Counter.id)).where(Counter.kind == "overheidsbreed_loket")).scalar_one()
            == 7
        )


def test_places_and_nearest_counters(url: str) -> None:
    with session_scope(url) as session:
        gazetteer = Gazetteer.from_session(session)
        report = import_file(session, COUNTERS, gazetteer, source="tests")
        assert len(report.added) == 4
    with session_scope(url) as session:
        again = import_file(session, COUNTERS, gazetteer, source="tests")
        assert (len(again.added), again.unchanged) == (0, 4)
        index = CounterIndex.from_session(session)
    assert gazetteer.resolve("den bosch").location.name == "'s-Hertogenbosch"
    here = gazetteer.resolve("9561 AB").location
    found = index.nearest(here.lat, here.lon, KINDS["ido"], k=1)
    assert found[0].door.name == "IDO Proefbibliotheek Ter Apel"


def test_users_and_buttons(url: str) -> None:
    users = UserStore(session_factory(url))
    users.update("tg-pg-1", role="professional")
    [button] = users.button_ids("tg-pg-1", [("DigiD", "/topic_digid")])
    assert users.get("tg-pg-1").role == "professional"
    assert users.button("tg-pg-1", button) == ("DigiD", "/topic_digid")
    users.forget("tg-pg-1")
    assert users.button("tg-pg-1", button) is None


def test_an_escalation_with_telegram_sized_ids(url: str) -> None:
    escalations = Escalations(session_factory(url))
    escalation = escalations.create(
        pseudonym="tg-pg-2",
        channel="tg",
        user_chat_id=7_123_456_789,
        reason="crisis",
        priority="urgent",
        role="helper",
        topic="topic_digid",
        topics=["topic_digid"],
        gemeente_code="GM0106",
        gemeente="Assen",
        place="Assen",
        summary="Onderwerp: DigiD",
        advised=None,
    )
    escalations.set_thread(escalation.id, -1_001_234_567_890, 4242)
    assert escalations.by_thread(-1_001_234_567_890, 4242).id == escalation.id
    assert escalations.claim(escalation.id, "Anna", 6_000_000_001, None)
    message = escalations.add_message(
        escalation.id, "staff", "Hallo", staff_user_id=6_000_000_001, to_user=True, to_topic=True
    )
    assert [m.id for m in escalations.pending("tg", with_topics=True)] == [message]
    escalations.delivered(message, user=True)
    assert [m.id for m in escalations.pending("tg", with_topics=False)] == []
    escalations.delivered(message, topic=True)
    assert escalations.pending("tg", with_topics=True) == []
    assert escalations.close(escalation.id, "solved")
    escalations.set_outcome(escalation.id, "solved")
    from wegwijzer.review import statistics

    with session_scope(url) as session:
        figures = statistics(session, None, None)
    assert figures.total == 1 and figures.outcomes["solved"] == 1
    assert figures.per_gemeente == [("Assen", 1)]
