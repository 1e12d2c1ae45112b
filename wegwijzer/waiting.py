"""Honest waiting: the user's place in the queue and how long it usually
takes, from how fast staff really answered lately.

The expected wait is the time most recent escalations waited for a first
answer: the 80th percentile of the last SAMPLE answered ones of the last
WINDOW_DAYS days, counting only minutes within office hours (a question
asked on Friday evening and answered Monday at 9.05 waited five minutes of
office time). With fewer than MIN_SAMPLES answers nothing is promised.
Outside office hours the user hears when staff are back instead.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.db.models import Escalation
from wegwijzer.office_hours import OfficeHours, when_text
from wegwijzer.texts import say

WINDOW_DAYS = 30
SAMPLE = 50
MIN_SAMPLES = 3
PERCENTILE = 0.8  # "meestal": four out of five were answered sooner
ROUND_TO = 5  # minutes


def recent_waits(sessions: sessionmaker[Session], hours: OfficeHours, now: datetime) -> list[float]:
    """Office-hours minutes to the first staff answer, most recent first."""
    since = (now - timedelta(days=WINDOW_DAYS)).astimezone(UTC).replace(tzinfo=None)
    with sessions() as session:
        rows = session.execute(
            select(Escalation.consented_at, Escalation.created_at, Escalation.first_staff_reply_at)
            .where(Escalation.first_staff_reply_at.is_not(None), Escalation.first_staff_reply_at >= since)
            .order_by(Escalation.first_staff_reply_at.desc())
            .limit(SAMPLE)
        ).all()
    waits = []
    for consented, created, answered in rows:
        start = (consented or created).replace(tzinfo=UTC)
        waits.append(hours.open_minutes(start, answered.replace(tzinfo=UTC)))
    return waits


def expected_minutes(waits: list[float]) -> int | None:
    """The wait to promise, rounded up to ROUND_TO minutes; None without enough answers."""
    if len(waits) < MIN_SAMPLES:
        return None
    ordered = sorted(waits)
    value = ordered[min(len(ordered) - 1, math.ceil(PERCENTILE * len(ordered)) - 1)]
    return max(ROUND_TO, math.ceil(value / ROUND_TO) * ROUND_TO)


def wait_text(minutes: int | None) -> str:
    """ "Meestal reageert een medewerker binnen 20 minuten." """
    if minutes is None:
        return say("wait_unknown")
    if minutes < 90:
        return say("wait_minutes", minutes=minutes)
    return say("wait_hours", hours=math.ceil(minutes / 60))


def waiting_message(
    sessions: sessionmaker[Session], hours: OfficeHours, position: int, now: datetime | None = None
) -> str:
    """What a user who waits for a person hears: within office hours their
    place in the queue and the usual wait; outside them, when staff are back."""
    now = now or datetime.now(UTC)
    if not hours.is_open(now):
        return say("handoff_after_hours", when=when_text(hours.next_opening(now), now))
    minutes = expected_minutes(recent_waits(sessions, hours, now))
    return say("handoff_queued", position=position, wait=wait_text(minutes))
