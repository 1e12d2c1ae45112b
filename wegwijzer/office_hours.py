"""When Wegwijzer's staff answer the chat, from data/office_hours.yml (or
the file OFFICE_HOURS_FILE names), and how to say when they are back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from wegwijzer.texts import say

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class OfficeHours:
    zone: ZoneInfo
    hours: dict[int, tuple[str, str] | None]  # weekday (0 = Monday) → (open, close)
    closed_dates: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> OfficeHours:
        doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        hours: dict[int, tuple[str, str] | None] = {}
        for number, day in enumerate(DAYS):
            span = doc["hours"].get(day)
            hours[number] = (str(span[0]), str(span[1])) if span else None
        return cls(ZoneInfo(doc["timezone"]), hours, frozenset(str(d) for d in doc.get("closed_dates") or []))

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        span = self.hours.get(local.weekday())
        if span is None or local.date().isoformat() in self.closed_dates:
            return False
        return span[0] <= local.strftime("%H:%M") < span[1]

    def next_opening(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.zone)
        for days in range(15):
            day = (local + timedelta(days=days)).date()
            span = self.hours.get(day.weekday())
            if span is None or day.isoformat() in self.closed_dates:
                continue
            hour, minute = (int(x) for x in span[0].split(":"))
            opening = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)
            if opening > local:
                return opening
        return local

    def open_minutes(self, start: datetime, end: datetime) -> float:
        """How many minutes between start and end fall within office hours."""
        if end <= start:
            return 0.0
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        total = 0.0
        day = first.date()
        while day <= last.date():
            span = self.hours.get(day.weekday())
            if span is not None and day.isoformat() not in self.closed_dates:
                opens, closes = (self._at(day, value) for value in span)
                overlap = min(closes, last) - max(opens, first)
                total += max(overlap.total_seconds(), 0.0) / 60
            day += timedelta(days=1)
        return total

    def _at(self, day: date, clock: str) -> datetime:
        if clock == "24:00":
            return datetime(day.year, day.month, day.day, tzinfo=self.zone) + timedelta(days=1)
        hour, minute = (int(x) for x in clock.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)


@lru_cache(maxsize=1)
def office_hours() -> OfficeHours:
    """The office hours; OFFICE_HOURS_FILE points to another file (tests, pilots)."""
    from wegwijzer.settings import settings

    return OfficeHours.load(settings().office_hours_file)


def when_text(moment: datetime, now: datetime) -> str:
    """ "vandaag om 9.00 uur", "morgen om 9.00 uur", "maandag om 9.00 uur"."""
    local_now = now.astimezone(moment.tzinfo)
    days = (moment.date() - local_now.date()).days
    day = say("day_today") if days == 0 else say("day_tomorrow") if days == 1 else say(f"day_{DAYS[moment.weekday()]}")
    return say("when_at", day=day, hour=moment.hour, minute=f"{moment.minute:02d}")
