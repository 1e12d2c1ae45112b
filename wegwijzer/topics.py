"""Topics and their referral rules, from `data/topics.yml`.

For each topic intent: the topic in plain words, the door that fits and
why, what to bring, the steps for a helper and the route for a professional,
and the national organisations (whose contact facts come from the directory).

The texts follow the voice being spoken (wegwijzer.texts): `topics.en.yml`
holds the English texts, `topics.je.yml` the je-form of the texts that
address the reader; the rules (doors, organisations, sources) are those of
`topics.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from wegwijzer.texts import Voice, current_voice
from wegwijzer.vocabulary import DoorKind

DATA_FILE = Path(__file__).resolve().parent / "data" / "topics.yml"
DOORS = {"ido", "organisation", "loket", "gemeente", "crisis"}
TEXT_FIELDS = ("label", "about", "ask_gemeente", "why", "bring", "helper", "professional")


@dataclass(frozen=True)
class Topic:
    intent: str
    label: str
    about: str
    door: str
    also: tuple[str, ...]
    organisations: tuple[str, ...]  # ids in the directory
    near: tuple[str, ...]  # kinds of local door to look for (wegwijzer.vocabulary.DoorKind)
    ask_gemeente: str  # what to ask for at the gemeente's front desk
    why: str
    bring: tuple[str, ...]
    helper: tuple[str, ...]
    professional: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def doors(self) -> tuple[str, ...]:
        return (self.door, *self.also)


def overlay_file(voice: Voice, path: Path = DATA_FILE) -> Path | None:
    """The file with this voice's texts (None for Dutch with "u", the base)."""
    if voice.language == "en":
        return path.with_suffix(".en.yml")
    return path.with_suffix(".je.yml") if voice.form == "je" else None


def read_overlay(path: Path | None) -> dict[str, dict[str, Any]]:
    if path is None:
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(intent): dict(entry or {}) for intent, entry in (doc.get("topics") or {}).items()}


def load_topics(path: Path = DATA_FILE, overlay: Path | None = None) -> dict[str, Topic]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = read_overlay(overlay)
    topics = {}
    for intent, base in doc["topics"].items():
        unknown = set(texts.get(intent, {})) - set(TEXT_FIELDS)
        if unknown:
            raise ValueError(f"{overlay}: {intent} has fields that are not texts: {unknown}")
        entry = {**base, **texts.get(intent, {})}
        doors = {entry["door"], *entry.get("also", [])}
        if not doors <= DOORS:
            raise ValueError(f"topics.yml: {intent} has unknown doors {doors - DOORS}")
        kinds = set(entry.get("near") or ()) - {kind.value for kind in DoorKind}
        if kinds:
            raise ValueError(f"topics.yml: {intent} looks near for unknown kinds {kinds}")
        topics[intent] = Topic(
            intent=intent,
            label=entry.get("label", intent),
            about=entry.get("about", "").strip(),
            door=entry["door"],
            also=tuple(entry.get("also") or ()),
            organisations=tuple(str(o) for o in entry.get("organisations") or ()),
            near=tuple(str(k) for k in entry.get("near") or ()),
            ask_gemeente=str(entry.get("ask_gemeente") or "").strip(),
            why=entry["why"].strip(),
            bring=tuple(entry.get("bring") or ()),
            helper=tuple(entry.get("helper") or ()),
            professional=tuple(entry.get("professional") or ()),
            sources=tuple(entry.get("sources") or ()),
        )
    return topics


@lru_cache(maxsize=4)
def topics_in(voice: Voice) -> dict[str, Topic]:
    return load_topics(DATA_FILE, overlay_file(voice))


def topics() -> dict[str, Topic]:
    """The topics, with their texts in the voice being spoken."""
    return topics_in(current_voice())


def topic_for_intent(intent: str | None) -> Topic | None:
    """The topic of an intent that gets a topic answer (not urgent_crisis)."""
    topic = topics().get(intent or "")
    return topic if topic is not None and topic.door != "crisis" else None
