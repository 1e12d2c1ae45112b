"""Learning from what went wrong: the messages staff marked as
misunderstood, as Rasa NLU training data (YAML) for a person to review
before it goes into nlu/data/.

Redacted twice (when stored and here); a message in which a personal number
is still found is left out, never written. Examples are grouped per intent
and each text appears once.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Correction
from wegwijzer.privacy import redact
from wegwijzer.vocabulary import INTENTS

HEADER = (
    "# Messages staff marked as misunderstood, with the intent they should have had.\n"
    "# Review every example (and the labelling rules in nlu/LABELLING.md) before\n"
    "# copying it into nlu/data/: a person decides what Wegwijzer learns.\n"
)


class Literal(str):
    """A block of examples, written as a YAML literal block (|)."""


def _literal(dumper: yaml.SafeDumper, value: Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.SafeDumper.add_representer(Literal, _literal)


def corrections_by_intent(session: Session) -> dict[str, list[str]]:
    """intent → the corrected texts (redacted; without personal numbers), in the contract's order."""
    found: dict[str, list[str]] = {}
    for correction in session.execute(select(Correction).order_by(Correction.id)).scalars():
        if correction.intent not in INTENTS:
            continue
        text, removed = redact(" ".join(correction.text.split()))
        if removed or not text or "[" in text:
            continue  # a personal number (or what is left of one): never exported
        texts = found.setdefault(correction.intent, [])
        if text not in texts:
            texts.append(text)
    return {intent: found[intent] for intent in INTENTS if intent in found}


def export_rasa_nlu(session: Session, path: Path) -> int:
    """Write the corrections as Rasa NLU YAML; returns how many examples."""
    grouped = corrections_by_intent(session)
    doc = {
        "version": "3.1",
        "nlu": [
            {"intent": intent, "examples": Literal("".join(f"- {text}\n" for text in texts))}
            for intent, texts in grouped.items()
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(HEADER + body, encoding="utf-8")
    return sum(len(texts) for texts in grouped.values())
