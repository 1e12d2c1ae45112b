"""How the staff page writes times, durations and weeks (Jinja filters)."""

from __future__ import annotations

from datetime import datetime

from wegwijzer.texts import staff as staff_text

NONE = "–"


def format_time(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y %H:%M") if moment else NONE


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
