"""Opening hours in OpenStreetMap syntax, said in Dutch at fixed times
(Europe/Amsterdam)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from wegwijzer.hours import problem, sentence

AMS = ZoneInfo("Europe/Amsterdam")
HOURS = "Mo-Fr 09:00-17:00; Sa 10:00-12:00; PH off"


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 12, 2, 10, 0, tzinfo=AMS), "Nu open tot 17:00."),  # a Wednesday morning
        (datetime(2026, 12, 2, 7, 30, tzinfo=AMS), "Nu dicht. Vandaag open vanaf 09:00."),
        (datetime(2026, 12, 2, 18, 0, tzinfo=AMS), "Nu dicht. Morgen open vanaf 09:00."),
        (datetime(2026, 12, 5, 11, 0, tzinfo=AMS), "Nu open tot 12:00."),  # Saturday
        (datetime(2026, 12, 5, 13, 0, tzinfo=AMS), "Nu dicht. Maandag open vanaf 09:00."),
        (datetime(2026, 12, 24, 18, 0, tzinfo=AMS), "Nu dicht. Maandag open vanaf 09:00."),  # Christmas: PH off
        (datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("UTC")), "Nu open tot 17:00."),  # 10:00 in Amsterdam
    ],
)
def test_what_the_hours_say(moment: datetime, said: str) -> None:
    assert sentence(HOURS, moment) == said


def test_unknown_or_unreadable_hours_say_nothing() -> None:
    now = datetime(2026, 12, 2, 10, 0, tzinfo=AMS)
    assert sentence(None, now) is None
    assert sentence("ma-vr 9-5", now) is None
    assert sentence("Mo-Su 00:00-24:00", now) == "Nu open."  # no end within a week: no time is made up


def test_staff_hear_what_is_wrong() -> None:
    assert problem("Mo-Fr 09:00-17:00") is None
    assert problem("ma-vr 9-5")
