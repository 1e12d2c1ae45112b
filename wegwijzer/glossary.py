"""Words from government letters, explained (`data/glossary.yml`).

A question about a word ("wat betekent een voorlopige aanslag?", "wat is
kwijtschelding", "what does 'beschikking' mean", a word from the glossary in
quotes) is answered with the word's explanation, then the topic's route as
usual. The NLU marks the words as the entity `begrip` (value: the glossary
entry) with the tables of `tables()`; `find` works on the same tables.

An entry's `forms` are found anywhere in a message. The entry's own word is
found only where it is asked about or quoted: "bezwaar", "beslag" and
"aanslag" are everyday words too.

Also imported by the Rasa server (Python 3.10): standard library and PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "glossary.yml"

# A question about a word, just before it: "wat betekent (een) X", "what is a X".
QUESTION_BEFORE = re.compile(
    r"(?i)(\bwat\s+(betekent|betekend|beteken|betekenen|is|zijn|bedoelen\s+ze\s+met|wordt\s+bedoeld\s+met"
    r"|houdt|wil)|\bbetekenis\s+van|\buitleg\s+(over|van)|\bleg\s+uit|\bwhat\s+(does|do|is|are|'s)|\bwhat's"
    r"|\bmeaning\s+of|\bexplain|\bwat\s+moet\s+ik\s+verstaan\s+onder)"
    r"(\s+(een|de|het|dat|die|a|an|the|is|zijn|een\s+zogenaamde|eigenlijk|precies|nou))*\s*[\"'‘’“”]?\s*$"
)
# ... or just after it: "X, wat is dat?", "X betekent?", "X mean?".
QUESTION_AFTER = re.compile(
    r"(?i)^\s*[\"'‘’“”]?\s*(,?\s*(wat\s+is\s+dat|wat\s+betekent\s+dat|betekent|betekenis|mean|means|what\s+is\s+that)\b|\s*\?)"
)
QUOTES = "\"'‘’“”"


@dataclass(frozen=True)
class Term:
    key: str  # the word itself, as in the glossary
    topic: str  # the topic intent whose route follows the explanation
    nl: str
    en: str
    source: str | None  # the organisation's own page; None: no such page

    def explanation(self, language: str) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True)
class Found:
    term: Term
    start: int
    end: int
    asked: bool  # asked about or quoted: explain it


@lru_cache(maxsize=1)
def glossary() -> dict[str, Term]:
    doc: Any = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return {
        str(key): Term(str(key), str(e["topic"]), str(e["nl"]).strip(), str(e["en"]).strip(), e.get("source"))
        for key, e in doc["entries"].items()
    }


def tables() -> dict[str, dict[str, str]]:
    """{"forms": form → entry, "words": entry word → entry}, lowercase."""
    doc: Any = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    words: dict[str, str] = {}
    for key, entry in doc["entries"].items():
        words[str(key).lower()] = str(key)
        for form in entry.get("forms") or []:
            forms.setdefault(str(form).lower(), str(key))
    return {"forms": forms, "words": words}


@lru_cache(maxsize=1)
def _default_tables() -> dict[str, dict[str, str]]:
    return tables()


def spans(text: str, found_tables: dict[str, dict[str, str]] | None = None) -> list[tuple[int, int, str, bool]]:
    """(start, end, entry, asked) of the glossary words in a message, longest
    first where they overlap."""
    t = found_tables or _default_tables()
    lower = text.lower()
    candidates: list[tuple[int, int, str, bool]] = []
    for table, anywhere in ((t["forms"], True), (t["words"], False)):
        for phrase, key in table.items():
            for m in re.finditer(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", lower):
                asked = _asked(text, m.start(), m.end())
                if anywhere or asked:
                    candidates.append((m.start(), m.end(), key, asked))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, bool]] = []
    for c in candidates:
        if all(c[1] <= s or e <= c[0] for s, e, _, _ in chosen):
            chosen.append(c)
    return sorted(chosen)


def _asked(text: str, start: int, end: int) -> bool:
    before, after = text[:start], text[end:]
    quoted = bool(before.rstrip()[-1:] and before.rstrip()[-1] in QUOTES and after.lstrip()[:1] in set(QUOTES))
    return quoted or bool(QUESTION_BEFORE.search(before)) or bool(QUESTION_AFTER.match(after))


def find(text: str) -> Found | None:
    """The word asked about in a message, or None."""
    for start, end, key, asked in spans(text):
        if asked:
            return Found(glossary()[key], start, end, True)
    return None
