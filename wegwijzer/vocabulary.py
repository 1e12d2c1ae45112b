"""The words the parts of Wegwijzer share, each defined once.

- roles: who is writing (a helper or a professional);
- reasons: why a conversation went to a person;
- priorities: how soon a person should answer;
- topic intents: the intents that get a topic answer and a referral (the
  keys of data/topics.yml whose door is not "crisis").

Their words for people live in the text catalogues (wegwijzer/texts/),
keyed by these values; Rasa's rules for the topic intents are generated from
them (nlu/generate_rules.py).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HELPER = "helper"  # a neighbour, family, a volunteer
    PROFESSIONAL = "professional"  # a welfare worker

    @classmethod
    def of(cls, value: object) -> Role:
        """The role a value names; a helper when it names none."""
        return cls.PROFESSIONAL if value == cls.PROFESSIONAL.value else cls.HELPER


class Reason(StrEnum):
    REQUEST_HUMAN = "request_human"  # the user asked for a person
    FALLBACK = "fallback"  # not understood twice
    COMPLEX = "complex"  # a professional, or a case between agencies
    CRISIS = "crisis"  # urgent help was needed

    @classmethod
    def of(cls, value: object) -> Reason:
        return next((r for r in cls if r.value == value), cls.REQUEST_HUMAN)


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"

    @classmethod
    def of(cls, value: object) -> Priority:
        return cls.URGENT if value == cls.URGENT.value else cls.NORMAL


def topic_intents() -> tuple[str, ...]:
    """The intents with a topic answer, in the order of data/topics.yml."""
    from wegwijzer.topics import topics

    return tuple(intent for intent, topic in topics().items() if topic.door != "crisis")


class DoorKind(StrEnum):
    """The kinds of door in the directory."""

    IDO = "ido"  # Informatiepunt Digitale Overheid
    LOKET = "overheidsbreed_loket"
    GEMEENTE = "gemeente"  # the gemeente's front desk
    BIBLIOTHEEK = "bibliotheek"
    BUURTTEAM = "buurtteam"  # buurtteam or wijkteam
    SOCIAAL_RAADSLIEDEN = "sociaal_raadslieden"
    SCHULDHULP = "schuldhulp"
    OTHER = "other"


class Standing(StrEnum):
    """How strong a door's facts are: shown as strong as the source, no stronger."""

    CONFIRMED = "confirmed"  # the source says so, or the organisation confirmed it
    TRIAL = "trial"  # the source calls it a trial (proef)
    PROBABLE = "probable"  # likely, not confirmed (a library that probably has an IDO)
    UNCHECKED = "unchecked"

    @classmethod
    def of(cls, value: object) -> Standing:
        return next((s for s in cls if s.value == value), cls.UNCHECKED)


# The door kinds a search can ask for (`wegwijzer nearest --kind ...`).
DOOR_SEARCHES: dict[str, tuple[str, ...]] = {
    "ido": (DoorKind.IDO.value,),
    "loket": (DoorKind.LOKET.value,),
    **{kind.value: (kind.value,) for kind in DoorKind if kind not in (DoorKind.IDO, DoorKind.LOKET)},
    "all": tuple(kind.value for kind in DoorKind),
}
