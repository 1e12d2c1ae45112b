"""Signals of acute danger or acute lack (the NLU contract's rule 1).

A high-precision safety net beside the intent classifier: a message that
matches one of the rules in `data/crisis_signals.yml` is urgent, whatever
else it is about. Used by the Rasa pipeline (so it stays compatible with
Python 3.10 and imports only the standard library and PyYAML) and by the
escalation logic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "crisis_signals.yml"
KINDS_FILE = Path(__file__).resolve().parent / "data" / "crisis_kinds.yml"
GENERAL = "general"  # urgent, but no signal says which kind


@dataclass(frozen=True)
class CrisisRule:
    name: str
    kind: str  # a kind of data/crisis_kinds.yml
    patterns: tuple[re.Pattern[str], ...]  # all must match


class CrisisSignals:
    def __init__(
        self,
        rules: list[CrisisRule],
        not_acute: tuple[re.Pattern[str], ...] = (),
        now: re.Pattern[str] | None = None,
    ) -> None:
        self.rules = rules
        self.not_acute = not_acute
        self.now = now

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> CrisisSignals:
        macros = doc.get("macros") or {}
        rules = []
        for rule in doc["rules"]:
            patterns = []
            for pattern in rule["all"]:
                for name, value in macros.items():
                    pattern = pattern.replace("{" + name + "}", value)
                patterns.append(re.compile(pattern))
            rules.append(CrisisRule(rule["name"], rule.get("kind", GENERAL), tuple(patterns)))
        not_acute = tuple(re.compile(p) for p in doc.get("not_acute") or ())
        now = re.compile(doc["now"]) if doc.get("now") else None
        return cls(rules, not_acute, now)

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> CrisisSignals:
        return cls.from_document(yaml.safe_load(path.read_text(encoding="utf-8")))

    def match(self, text: str) -> str | None:
        """The name of the first rule the message matches, or None."""
        rule = self.rule_for(text)
        return rule.name if rule else None

    def kind(self, text: str) -> str | None:
        """The kind of crisis the message signals ("suicide", "medical", ...), or None."""
        rule = self.rule_for(text)
        return rule.kind if rule else None

    def is_not_acute(self, text: str) -> bool:
        """About the past, a general question or a joke, and nothing says "now"."""
        plain = _plain(text)
        if self.now is not None and self.now.search(plain):
            return False
        return any(p.search(plain) for p in self.not_acute)

    def rule_for(self, text: str) -> CrisisRule | None:
        plain = _plain(text)
        if self.is_not_acute(text):
            return None
        for rule in self.rules:
            if all(p.search(plain) for p in rule.patterns):
                return rule
        return None


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’‘`´]", "'", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def crisis_signals() -> CrisisSignals:
    return CrisisSignals.load()


@dataclass(frozen=True)
class CrisisKind:
    name: str
    say: str  # the text's key in the users catalogue
    numbers: tuple[str, ...]  # organisaties.json ids the text names
    gemeente: bool  # the gemeente's own number too


@lru_cache(maxsize=1)
def crisis_kinds() -> dict[str, CrisisKind]:
    doc = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))
    return {
        name: CrisisKind(name, kind["say"], tuple(kind.get("numbers") or ()), bool(kind.get("gemeente")))
        for name, kind in doc["kinds"].items()
    }


def crisis_kind(text: str) -> CrisisKind:
    """What to say first for an urgent message: by the kind its signal names."""
    kinds = crisis_kinds()
    return kinds.get(crisis_signals().kind(text) or GENERAL, kinds[GENERAL])
