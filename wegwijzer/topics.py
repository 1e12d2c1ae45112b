"""What Wegwijzer says about a topic: plain words plus the national route.

Texts live in `data/topics.yml`; organisations in the directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from wegwijzer.directory import Organisation, organisations

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Topic:
    intent: str
    label: str
    about: str
    organisations: tuple[Organisation, ...]
    local: str
    sources: tuple[str, ...]

    def national_route(self) -> str:
        """The topic in plain words and how to reach the national organisation(s)."""
        parts = [self.about]
        for org in self.organisations:
            parts.append(f"{org.name}:\n" + "\n".join(org.contact_lines()))
        return "\n\n".join(parts)


def load_topics(path: Path = DATA_DIR / "topics.yml") -> dict[str, Topic]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    orgs = organisations()
    topics = {}
    for intent, entry in doc["topics"].items():
        missing = [o for o in entry["organisations"] if o not in orgs]
        if missing:
            raise ValueError(f"topics.yml: {intent} names unknown organisations {missing}")
        topics[intent] = Topic(
            intent=intent,
            label=entry["label"],
            about=entry["about"].strip(),
            organisations=tuple(orgs[o] for o in entry["organisations"]),
            local=entry["local"].strip(),
            sources=tuple(entry.get("sources") or ()),
        )
    return topics


@lru_cache(maxsize=1)
def topics() -> dict[str, Topic]:
    return load_topics()


def topic_for_intent(intent: str | None) -> Topic | None:
    return topics().get(intent or "")
