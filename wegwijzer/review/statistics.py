"""Statistics for the staff page: escalations per topic per week, time to
the first staff answer, outcomes, per gemeente; and what became of
referrals ("is het gelukt?") per door kind, topic and gemeente, the figures
a gemeente needs for its regierol."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Escalation
from wegwijzer.follow_ups import OutcomeRow, outcomes_by
from wegwijzer.numbers import percentile
from wegwijzer.review.common import filtered, iso_week, local, minutes_between, topic_label, utc_start_of
from wegwijzer.texts import staff as staff_text


@dataclass(frozen=True)
class ReplyTimes:
    """Minutes from escalation to the first staff answer."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, minutes: list[float]) -> ReplyTimes:
        median, p90 = percentile(minutes, 0.5), percentile(minutes, 0.9)
        return cls(len(minutes), None if median is None else round(median, 1), None if p90 is None else round(p90, 1))


@dataclass(frozen=True)
class Statistics:
    date_from: date | None
    date_to: date | None
    total: int
    weeks: list[str]  # every ISO week from the first to the last escalation, '2026-W48'
    topics: list[str]  # topic labels, most escalations first
    per_topic_week: dict[str, dict[str, int]]  # topic label → week → count (0 included)
    per_week: dict[str, int]
    reply: ReplyTimes
    reply_per_week: dict[str, ReplyTimes]
    outcomes: dict[str, int]  # solved, not_solved, unknown
    per_gemeente: list[tuple[str, int]]  # most first; "Onbekend" when not known
    not_answered: int = field(default=0)  # escalations without a staff answer (yet)


def _weeks_between(first: datetime, last: datetime) -> list[str]:
    weeks = []
    monday = (first - timedelta(days=first.weekday())).date()
    while monday <= last.date():
        weeks.append(iso_week(datetime.combine(monday, time(12))))
        monday += timedelta(days=7)
    return weeks


def statistics(session: Session, date_from: date | None = None, date_to: date | None = None) -> Statistics:
    """Counts and reply times for the escalations created in the period
    (inclusive Dutch days; None is open-ended)."""
    query = filtered(
        select(
            Escalation.created_at,
            Escalation.topic,
            Escalation.gemeente,
            Escalation.first_staff_reply_at,
            Escalation.outcome,
        ),
        None,
        None,
        None,
        date_from,
        date_to,
    )
    rows = list(session.execute(query))
    per_topic_week: dict[str, Counter[str]] = defaultdict(Counter)
    per_week: Counter[str] = Counter()
    reply_minutes: list[float] = []
    reply_by_week: dict[str, list[float]] = defaultdict(list)
    outcomes = {"solved": 0, "not_solved": 0, "unknown": 0}
    gemeenten: Counter[str] = Counter()
    created = []
    for r in rows:
        when = local(r.created_at)
        created.append(when)
        week = iso_week(when)
        per_topic_week[topic_label(r.topic)][week] += 1
        per_week[week] += 1
        minutes = minutes_between(r.created_at, r.first_staff_reply_at)
        if minutes is not None:
            reply_minutes.append(minutes)
            reply_by_week[week].append(minutes)
        outcomes[r.outcome if r.outcome in ("solved", "not_solved") else "unknown"] += 1
        gemeenten[r.gemeente or staff_text("unknown_gemeente")] += 1
    weeks = _weeks_between(min(created), max(created)) if created else []
    topic_order = sorted(per_topic_week, key=lambda label: (-sum(per_topic_week[label].values()), label.lower()))
    return Statistics(
        date_from=date_from,
        date_to=date_to,
        total=len(rows),
        weeks=weeks,
        topics=topic_order,
        per_topic_week={label: {week: per_topic_week[label][week] for week in weeks} for label in topic_order},
        per_week={week: per_week[week] for week in weeks},
        reply=ReplyTimes.of(reply_minutes),
        reply_per_week={week: ReplyTimes.of(reply_by_week[week]) for week in weeks},
        outcomes=outcomes,
        per_gemeente=sorted(gemeenten.items(), key=lambda item: (-item[1], item[0].lower())),
        not_answered=len(rows) - len(reply_minutes),
    )


@dataclass(frozen=True)
class ReferralOutcomes:
    """Follow-up states, grouped three ways; each row's key is a label."""

    by_door_kind: list[OutcomeRow]
    by_topic: list[OutcomeRow]
    by_gemeente: list[OutcomeRow]

    @property
    def empty(self) -> bool:
        return not self.by_door_kind


def referral_outcomes(session: Session, date_from: date | None = None, date_to: date | None = None) -> ReferralOutcomes:
    """What became of the referrals followed up in the period (inclusive Dutch days)."""
    since = utc_start_of(date_from) if date_from else None
    until = utc_start_of(date_to + timedelta(days=1)) if date_to else None

    def labelled(grouping: str, label: Callable[[str | None], str]) -> list[OutcomeRow]:
        return [OutcomeRow(label(r.key), r.counts) for r in outcomes_by(session, grouping, since, until)]

    return ReferralOutcomes(
        by_door_kind=labelled("door_kind", lambda key: staff_text.label("kind", key) or staff_text("unknown")),
        by_topic=labelled("topic", topic_label),
        by_gemeente=labelled("gemeente", lambda key: key or staff_text("unknown_gemeente")),
    )
