"""How the staff page writes times, durations and weeks (Jinja filters)."""

from __future__ import annotations

from datetime import datetime

from wegwijzer.review.common import local
from wegwijzer.texts import staff as staff_text

NONE = "–"


def format_time(moment: datetime | None) -> str:
    """In Dutch time; a time without a zone is UTC (as the database stores it)."""
    return local(moment).strftime("%d-%m-%Y %H:%M") if moment else NONE


def format_minutes(minutes: float | None) -> str:
    """12.5 → '12,5 min'; 75 → '1 uur 15 min'; 1500 → '1 dag 1 uur'."""
    if minutes is None:
        return NONE
    if minutes < 10:
        return staff_text("minutes", minutes=f"{minutes:.1f}".replace(".", ",").replace(",0", ""))
    if minutes < 60:
        return staff_text("minutes", minutes=f"{minutes:.0f}")
    hours, rest = divmod(round(minutes), 60)
    if hours < 24:
        return staff_text("hours_minutes", hours=hours, minutes=rest) if rest else staff_text("hours", hours=hours)
    days, hours = divmod(hours, 24)
    day_word = staff_text("day") if days == 1 else staff_text("days")
    return staff_text("days_hours", days=days, day_word=day_word, hours=hours) if hours else f"{days} {day_word}"


def format_week(week: str) -> str:
    """'2026-W48' → 'week 48 (2026)'."""
    year, number = week.split("-W")
    return staff_text("week", number=int(number), year=year)


def format_field(name: str) -> str:
    """A door's column in words: "opening_hours" → "Openingstijden"."""
    return staff_text.label("field", name) or name


def format_value(value: object) -> str:
    """A value in the history: yes/no in words, nothing as a dash."""
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, bool):
        return staff_text("word_yes") if value else staff_text("word_no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
