"""Deadlines in what a helper writes: "voor 15 januari", "uiterlijk
1-2-2027", "binnen zes weken", "morgen", "deze week".

Found as the words the user used, not interpreted further: a handover card
repeats "voor 15 januari" as written, so it is never stronger than what was
said. `deadline_in` finds the latest one named; `days_left` says how close a date is,
when the words name a date. `pressing` finds a deadline that is not a crisis
but needs action this week (a bailiff, a last reminder, an objection period,
a garnishment, an energy supplier's warning: data/deadline_signals.yml).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

SIGNALS_FILE = Path(__file__).resolve().parent / "data" / "deadline_signals.yml"

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
NUMBER_WORDS = r"(?:\d{1,3}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|veertien)"
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
BEFORE = r"(?:voor|vóór|uiterlijk|op|tot|deadline|termijn(?:\s+is)?|verloopt(?:\s+op)?)"

PATTERNS = [
    # "voor 15 januari", "uiterlijk 3 maart 2027"
    re.compile(rf"\b{BEFORE}\s+(\d{{1,2}})\s+({MONTH})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE),
    # "voor 15-1", "uiterlijk 1/2/2027"
    re.compile(rf"\b{BEFORE}\s+(\d{{1,2}})[-/.](\d{{1,2}})(?:[-/.](\d{{2,4}}))?\b", re.IGNORECASE),
    # "binnen 6 weken", "binnen twee dagen"
    re.compile(rf"\bbinnen\s+{NUMBER_WORDS}\s+(?:dag|dagen|week|weken|maand|maanden)\b", re.IGNORECASE),
    # "voor/tot morgen", "voor vrijdag", "deze week", "vandaag nog"
    re.compile(
        r"\b(?:(?:voor|vóór|uiterlijk|tot)\s+(?:morgen|overmorgen|maandag|dinsdag|woensdag|donderdag|vrijdag|"
        r"zaterdag|zondag|het\s+eind\s+van\s+de\s+(?:week|maand))|vandaag\s+nog|morgen\s+al)\b",
        re.IGNORECASE,
    ),
]


def deadline_in(texts: list[str]) -> str | None:
    """The last deadline the user named (their own words), if any."""
    found = None
    for text in texts:
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                found = match.group(0).strip()
    return found


def named_date(words: str, today: date) -> date | None:
    """The date in "voor 15 januari" or "uiterlijk 1-2-2027" (the next such
    day when no year is given); None when the words name no date."""
    for pattern in PATTERNS[:2]:
        match = pattern.search(words)
        if match is None:
            continue
        day_text, month_text, year_text = match.group(1), match.group(2), match.group(3)
        month = MONTHS.get(month_text.lower()) if not month_text.isdigit() else int(month_text)
        year = int(year_text) if year_text else today.year
        if year < 100:
            year += 2000
        try:
            found = date(year, month or 0, int(day_text))
        except ValueError:
            return None
        if not year_text and found < today:
            try:
                found = date(year + 1, found.month, found.day)
            except ValueError:
                return None
        return found
    return None


def days_left(words: str, today: date) -> int | None:
    """Days from today to the named date (negative when it has passed)."""
    found = named_date(words, today)
    return None if found is None else (found - today).days


@dataclass(frozen=True)
class Pressing:
    kind: str  # "bailiff", "last_reminder", ...
    say: str  # the text's key in the users catalogue: what to do this week
    patterns: tuple[re.Pattern[str], ...]  # any may match


@lru_cache(maxsize=1)
def pressing_kinds() -> tuple[Pressing, ...]:
    doc = yaml.safe_load(SIGNALS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Pressing(name, kind["say"], tuple(re.compile(p) for p in kind["any"])) for name, kind in doc["kinds"].items()
    )


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def pressing(texts: list[str]) -> Pressing | None:
    """The first kind of pressing deadline the user named, if any."""
    plain = [_plain(text) for text in texts]
    for kind in pressing_kinds():
        if any(p.search(text) for p in kind.patterns for text in plain):
            return kind
    return None
