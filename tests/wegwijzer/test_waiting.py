"""Honest waiting: the usual wait from seeded first-answer times, counted in
office hours only, and what the user hears inside and outside them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Escalation
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import Escalations
from wegwijzer.office_hours import OfficeHours
from wegwijzer.settings import DATA_DIR
from wegwijzer.texts import say
from wegwijzer.waiting import expected_minutes, recent_waits, wait_text, waiting_message

HOURS = OfficeHours.load(DATA_DIR / "office_hours.yml")  # Mon–Fri 9–17, Europe/Amsterdam
# Wednesday 2 December 2026, 10:00 in Amsterdam (UTC+1).
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_office_minutes_skip_nights_weekends_and_holidays() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)  # 19:00 Amsterdam, after closing
    monday = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)  # 9:05 Amsterdam
    assert HOURS.open_minutes(friday_evening, monday) == pytest.approx(5)
    within = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 10:00
    assert HOURS.open_minutes(within, within + timedelta(minutes=25)) == pytest.approx(25)
    # Christmas (a closed date in the file) counts nothing.
    christmas = datetime(2026, 12, 25, 9, 0, tzinfo=UTC)
    assert HOURS.open_minutes(christmas, christmas + timedelta(hours=3)) == 0
    assert HOURS.open_minutes(monday, friday_evening) == 0  # end before start


@pytest.mark.parametrize(
    ("waits", "expected"),
    [
        ([], None),
        ([3.0, 4.0], None),  # too few answers to promise anything
        ([3.0, 4.0, 6.0], 10),  # 80th percentile 6 → rounded up to 10
        ([1.0, 1.0, 2.0, 2.0, 2.0], 5),  # never less than 5
        ([10, 12, 14, 16, 18, 20, 22, 24, 26, 90], 25),  # the 8th of 10 (24) sets it, not the slow one
        ([100.0, 110.0, 120.0], 120),
    ],
)
def test_expected_minutes(waits: list[float], expected: int | None) -> None:
    assert expected_minutes(waits) == expected


def test_wait_words() -> None:
    assert wait_text(None) == say("wait_unknown")
    assert wait_text(20) == say("wait_minutes", minutes=20)
    assert wait_text(120) == say("wait_hours", hours=2)


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'waiting.db'}"
    ensure_database(url)
    return session_factory(url)


def seed_answer(sessions: sessionmaker[Session], consented: datetime, minutes_later: float) -> None:
    view = Escalations(sessions).create(
        pseudonym=f"p{consented.timestamp()}",
        channel="tg",
        user_chat_id=1,
        reason="request_human",
        priority="normal",
        role="helper",
        topic=None,
        topics=[],
        gemeente_code=None,
        gemeente=None,
        place=None,
        summary="",
        advised=None,
    )
    with sessions.begin() as session:
        session.execute(
            update(Escalation)
            .where(Escalation.id == view.id)
            .values(
                status="closed",
                consented_at=consented.replace(tzinfo=None),
                first_staff_reply_at=(consented + timedelta(minutes=minutes_later)).replace(tzinfo=None),
            )
        )


def test_the_promise_comes_from_recent_answers(sessions: sessionmaker[Session]) -> None:
    # Three answers this week within office hours: 8, 12 and 18 minutes.
    for day, minutes in ((30, 8), (1, 12), (2, 18)):
        month = 11 if day == 30 else 12
        seed_answer(sessions, datetime(2026, month, day, 9, 0, tzinfo=UTC), minutes)
    # Asked on Friday at 16:55 Amsterdam, answered Monday at 9:10: 15 office minutes, not 3 days.
    seed_answer(sessions, datetime(2026, 11, 27, 15, 55, tzinfo=UTC), (2 * 24 + 16) * 60 + 15)
    # An answer two months ago is not recent and does not count.
    seed_answer(sessions, datetime(2026, 10, 1, 9, 0, tzinfo=UTC), 500)
    waits = sorted(recent_waits(sessions, HOURS, NOW))
    assert waits == pytest.approx([8, 12, 15, 18])
    assert expected_minutes(waits) == 20
    text = waiting_message(sessions, HOURS, position=2, now=NOW)
    assert text == say("handoff_queued", position=2, wait=say("wait_minutes", minutes=20))
    assert "nummer 2 in de rij" in text and "binnen 20 minuten" in text


def test_outside_office_hours_the_user_hears_when_staff_are_back(sessions: sessionmaker[Session]) -> None:
    saturday = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    text = waiting_message(sessions, HOURS, position=1, now=saturday)
    assert text == say("handoff_after_hours", when="maandag om 9.00 uur")
