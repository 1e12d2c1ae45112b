"""The words the parts of Wegwijzer share, each defined once.

- roles: who is writing (a helper or a professional);
- reasons: why a conversation went to a person;
- priorities: how soon a person should answer;
- topic intents: the intents that get a topic answer and a referral (the
  keys of data/topics.yml whose door is not "crisis");
- door kinds and standings: what a door is, and how strong its facts are;
- closings: how staff close an escalation; follow-up states: what became of
  a referral ("is het gelukt?"), as the states of a FHIR Task.

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
    DEADLINE = "deadline"  # a deadline this week (a bailiff, a last reminder, ...)

    @classmethod
    def of(cls, value: object) -> Reason:
        return next((r for r in cls if r.value == value), cls.REQUEST_HUMAN)


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"  # a deadline this week: after urgent ones, before normal ones
    URGENT = "urgent"

    @classmethod
    def of(cls, value: object) -> Priority:
        return next((p for p in cls if p.value == value), cls.NORMAL)

    @property
    def rank(self) -> int:
        """0 is picked up first."""
        return {Priority.URGENT: 0, Priority.HIGH: 1}.get(self, 2)


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


class Closing(StrEnum):
    """How a staff member closes an escalation."""

    SOLVED = "solved"  # the question is answered
    REFERRED = "referred"  # sent on to a door or organisation (warm referral)
    NOT_SOLVED = "not_solved"  # could not be helped here
    NO_ANSWER = "no_answer"  # the user stopped answering

    @classmethod
    def of(cls, value: object) -> Closing | None:
        return next((c for c in cls if c.value == value), None)


class FollowUpStatus(StrEnum):
    """What became of a referral, named as the states of a FHIR Task."""

    REQUESTED = "requested"  # the helper agreed to be asked; not asked yet
    IN_PROGRESS = "in-progress"  # asked, no answer yet
    COMPLETED = "completed"  # "Ja": it worked
    FAILED = "failed"  # "Nee" or "Ik wil hulp"
    CANCELLED = "cancelled"  # the user stopped (/stop) or said no more

    @property
    def is_open(self) -> bool:
        return self in (FollowUpStatus.REQUESTED, FollowUpStatus.IN_PROGRESS)


class Channel(StrEnum):
    """The front-ends: where a user writes from."""

    TELEGRAM = "tg"
    TERMINAL = "terminal"


# The intents of the NLU contract, in its order (staff pick one when they
# mark a message as misunderstood); a test keeps them equal to the Rasa
# domain (nlu/domain/base.yml).
INTENTS = (
    "topic_digid",
    "topic_toeslagen",
    "topic_belasting",
    "topic_inkomen",
    "topic_zorg",
    "topic_studie",
    "topic_schulden",
    "topic_wonen",
    "topic_documenten",
    "topic_brief",
    "topic_phishing",
    "topic_vaardigheden",
    "topic_apparaat",
    "find_ido",
    "find_loket",
    "inform_location",
    "request_human",
    "urgent_crisis",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_capabilities",
    "out_of_scope",
)
