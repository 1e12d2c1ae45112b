"""Opening hours in OpenStreetMap's `opening_hours` syntax ("Mo-Fr
09:00-17:00; Sa 10:00-12:00; PH off"), read with the maintained parser
opening-hours-py, and said in plain Dutch in Europe/Amsterdam time:
"Nu open tot 17:00", "Nu dicht. Morgen open vanaf 10:00"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import opening_hours
from opening_hours import OpeningHours

from wegwijzer.texts import say

ZONE = ZoneInfo("Europe/Amsterdam")
# The parser raises its own ParserError (its type stubs name only SyntaxError).
PARSE_ERRORS: tuple[type[Exception], ...] = (
    SyntaxError,
    ValueError,
    getattr(opening_hours, "ParserError", SyntaxError),
)
READ_ERRORS: tuple[type[Exception], ...] = (*PARSE_ERRORS, OverflowError)  # also dates out of range
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOOK_AHEAD = timedelta(days=8)  # further away than this: "open on weekdays" is not said


def parse(expression: str) -> OpeningHours:
    """The parsed hours; ParserError when the text is not in OSM syntax."""
    return OpeningHours(expression, timezone=ZONE, country="NL")


def problem(expression: str) -> str | None:
    """None when the hours can be read, else what is wrong (for staff)."""
    try:
        parse(expression)
    except PARSE_ERRORS as error:
        return " ".join(str(error).split()) or "syntax"
    return None


def _day(moment: datetime, today: date) -> str:
    days = (moment.date() - today).days
    if days == 0:
        return say("hours_today")
    if days == 1:
        return say("hours_tomorrow")
    return say(f"day_{DAYS[moment.weekday()]}")


def sentence(expression: str | None, now: datetime) -> str | None:
    """ "Nu open tot 17:00", "Nu dicht. Morgen open vanaf 10:00", or None
    when the hours are unknown or cannot be read."""
    if not expression:
        return None
    try:
        hours = parse(expression)
    except PARSE_ERRORS:
        return None
    local = now.astimezone(ZONE)
    try:
        change = hours.next_change(local)
        is_open = hours.is_open(local)
    except (ValueError, OverflowError):
        return None
    if change is not None:
        change = change.astimezone(ZONE)
    if is_open:
        if change is None or change - local > LOOK_AHEAD:
            return say("hours_open_now")
        return say("hours_open_until", time=change.strftime("%H:%M"), day=_until_day(change, local.date()))
    if change is None or change - local > LOOK_AHEAD:
        return say("hours_closed_for_now")
    day = _day(change, local.date())
    return say("hours_closed_opens", day=day[:1].upper() + day[1:], time=change.strftime("%H:%M"))


def _until_day(change: datetime, today: date) -> str:
    """Nothing for today ("tot 17:00"); else the day ("tot morgen 02:00")."""
    return "" if change.date() == today else _day(change, today) + " "


def week(expression: str | None, today: date) -> list[str]:
    """The open hours of the seven days from today, one line per open day:
    "maandag: 10:00-17:00", "zaterdag: 10:00-13:00" (for a card to keep,
    where "now open" would soon be wrong). [] when unknown or unreadable."""
    if not expression:
        return []
    start = datetime(today.year, today.month, today.day, tzinfo=ZONE)
    try:
        spans = [
            (begin, end)
            for begin, end, state, _ in parse(expression).intervals(start, start + timedelta(days=7))
            if str(state).lower() == "open"
        ]
    except READ_ERRORS:
        return []
    lines = []
    for offset in range(7):
        day_start = start + timedelta(days=offset)
        day_end = day_start + timedelta(days=1)
        parts = []
        for begin, end in spans:
            begin, end = max(begin, day_start), min(end, day_end)
            if begin < end:
                parts.append(f"{begin.strftime('%H:%M')}-{'24:00' if end == day_end else end.strftime('%H:%M')}")
        if parts:
            day = say(f"day_{DAYS[day_start.weekday()]}")
            lines.append(say("hours_week_day", day=day, spans=", ".join(parts)))
    return lines
