"""Read models for the staff review page: the list of escalations, one
escalation in detail, statistics and the CSV export.

No web code here (the page is in review/). What comes out is what staff
need and no more: never a pseudonym, a chat id or a Telegram id. The
database keeps times in UTC without a zone; everything returned here is in
Dutch time (Europe/Amsterdam), and date filters are Dutch calendar days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Escalation, EscalationMessage, StaffAction, StaffNote
from wegwijzer.privacy import redact
from wegwijzer.topics import topics

ZONE = ZoneInfo("Europe/Amsterdam")

STATUS_LABELS = {"new": "Nieuw", "claimed": "In behandeling", "closed": "Gesloten"}
STATUS_FILTERS = {"open": ("new", "claimed"), "new": ("new",), "claimed": ("claimed",), "closed": ("closed",)}
PRIORITY_LABELS = {"normal": "Normaal", "urgent": "Spoed"}
REASON_LABELS = {
    "request_human": "Vroeg om een mens",
    "fallback": "Niet begrepen",
    "complex": "Ingewikkelde vraag",
    "crisis": "Crisis",
}
OUTCOME_LABELS = {"solved": "Opgelost", "not_solved": "Niet opgelost", None: "Onbekend"}
ROLE_LABELS = {"helper": "Helper (buur, familie, vrijwilliger)", "professional": "Professional (hulpverlener)"}
SENDER_LABELS = {"user": "Gebruiker", "staff": "Medewerker", "bot": "Wegwijzer"}
ACTION_LABELS = {
    "claim": "Opgepakt",
    "claim_again": "Opnieuw geprobeerd op te pakken",
    "reply": "Antwoord gestuurd",
    "note": "Notitie",
    "close": "Gesloten",
    "reopen": "Heropend",
    "refused": "Geweigerd",
    "login": "Ingelogd",
    "export": "Export",
    "urgent": "Spoed gemeld door de gebruiker",
}
UNKNOWN_TOPIC = "Onbekend onderwerp"
UNKNOWN_GEMEENTE = "Onbekend"
PHOTO = "[foto]"
CSV_HEADER = (
    "id",
    "created",
    "status",
    "priority",
    "reason",
    "topic",
    "gemeente",
    "claimed_by",
    "minutes_to_first_reply",
    "outcome",
)


# -- helpers ----------------------------------------------------------------------
def topic_label(intent: str | None) -> str:
    if not intent:
        return UNKNOWN_TOPIC
    topic = topics().get(intent)
    if topic is None:
        return intent
    return "Crisis" if intent == "urgent_crisis" and topic.label == intent else topic.label


def topic_choices() -> list[tuple[str, str]]:
    """(intent, label) of every known topic, by label."""
    return sorted(((intent, topic_label(intent)) for intent in topics()), key=lambda pair: pair[1].lower())


def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as Dutch time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZONE)


def utc_start_of(day: date) -> datetime:
    """The start of a Dutch calendar day as naive UTC (how the database stores time)."""
    return datetime.combine(day, time(0), tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return round((end - start).total_seconds() / 60, 1)


def iso_week(moment: datetime) -> str:
    """'2026-W48' for a Dutch time."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks (as Excel's
    PERCENTILE.INC and numpy's default): the median is percentile(v, 0.5)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    value = ordered[below] + (ordered[above] - ordered[below]) * (position - below)
    return round(value, 1)


def _filtered(
    query: Select,
    status: str | None,
    topic: str | None,
    gemeente: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select:
    if status:
        query = query.where(Escalation.status.in_(STATUS_FILTERS.get(status, (status,))))
    if topic:
        query = query.where(Escalation.topic == topic)
    if gemeente:
        query = query.where(Escalation.gemeente == gemeente)
    if date_from:
        query = query.where(Escalation.created_at >= utc_start_of(date_from))
    if date_to:
        query = query.where(Escalation.created_at < utc_start_of(date_to + timedelta(days=1)))
    return query


# -- the list -----------------------------------------------------------------------
@dataclass(frozen=True)
class ListRow:
    id: int
    created_at: datetime  # Dutch time
    status: str
    priority: str
    reason: str
    topic: str | None  # the intent
    topic_label: str
    gemeente: str | None
    claimed_by_name: str | None
    minutes_to_first_reply: float | None
    outcome: str | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, self.priority)

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome or "")


_LIST_COLUMNS = (
    Escalation.id,
    Escalation.created_at,
    Escalation.status,
    Escalation.priority,
    Escalation.reason,
    Escalation.topic,
    Escalation.gemeente,
    Escalation.claimed_by_name,
    Escalation.first_staff_reply_at,
    Escalation.outcome,
)


def list_escalations(
    session: Session,
    status: str | None = None,
    topic: str | None = None,
    gemeente: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int | None = None,
) -> list[ListRow]:
    """Escalations, newest first. status is new, claimed, closed or open
    (new and claimed); topic is an intent; dates are inclusive Dutch days."""
    query = _filtered(select(*_LIST_COLUMNS), status, topic, gemeente, date_from, date_to)
    query = query.order_by(Escalation.created_at.desc(), Escalation.id.desc())
    if limit:
        query = query.limit(limit)
    return [
        ListRow(
            id=r.id,
            created_at=local(r.created_at),
            status=r.status,
            priority=r.priority,
            reason=r.reason,
            topic=r.topic,
            topic_label=topic_label(r.topic),
            gemeente=r.gemeente,
            claimed_by_name=r.claimed_by_name,
            minutes_to_first_reply=minutes_between(r.created_at, r.first_staff_reply_at),
            outcome=r.outcome,
        )
        for r in session.execute(query)
    ]


def gemeente_choices(session: Session) -> list[str]:
    """The gemeenten that have escalations, by name."""
    names = session.execute(select(Escalation.gemeente).where(Escalation.gemeente.is_not(None)).distinct()).scalars()
    return sorted(names, key=str.lower)


# -- one escalation ---------------------------------------------------------------
@dataclass(frozen=True)
class TranscriptLine:
    sender: str  # user, staff, bot
    who: str  # Dutch label
    text: str
    at: datetime


@dataclass(frozen=True)
class NoteLine:
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class ActionLine:
    actor: str
    action: str
    label: str
    detail: str | None
    at: datetime


@dataclass(frozen=True)
class Timings:
    """Minutes from the escalation to each step; None when not (yet) done."""

    to_claim: float | None
    to_first_reply: float | None
    to_close: float | None


@dataclass(frozen=True)
class Detail:
    row: ListRow
    role: str
    topics: list[str]  # labels of every topic the conversation touched
    place: str | None
    summary: str
    advised: str | None
    reopened: int
    claimed_at: datetime | None
    first_staff_reply_at: datetime | None
    closed_at: datetime | None
    timings: Timings
    transcript: list[TranscriptLine]
    notes: list[NoteLine]
    actions: list[ActionLine]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _transcript_text(message: EscalationMessage) -> str:
    text = message.text or ""
    if message.sender == "user" and text:
        text, _ = redact(text)  # stored redacted already; once more, to be safe
    if message.kind == "photo":
        return f"{PHOTO} {text}".strip()
    return text


def escalation_detail(session: Session, escalation_id: int) -> Detail | None:
    row = session.get(Escalation, escalation_id)
    if row is None:
        return None
    messages = session.execute(
        select(EscalationMessage)
        .where(EscalationMessage.escalation_id == escalation_id)
        .order_by(EscalationMessage.created_at, EscalationMessage.id)
    ).scalars()
    notes = session.execute(
        select(StaffNote).where(StaffNote.escalation_id == escalation_id).order_by(StaffNote.created_at, StaffNote.id)
    ).scalars()
    actions = session.execute(
        select(StaffAction)
        .where(StaffAction.escalation_id == escalation_id)
        .order_by(StaffAction.created_at, StaffAction.id)
    ).scalars()
    return Detail(
        row=ListRow(
            id=row.id,
            created_at=local(row.created_at),
            status=row.status,
            priority=row.priority,
            reason=row.reason,
            topic=row.topic,
            topic_label=topic_label(row.topic),
            gemeente=row.gemeente,
            claimed_by_name=row.claimed_by_name,
            minutes_to_first_reply=minutes_between(row.created_at, row.first_staff_reply_at),
            outcome=row.outcome,
        ),
        role=row.role,
        topics=[topic_label(t) for t in (row.topics or [])],
        place=row.place,
        summary=row.summary,
        advised=row.advised,
        reopened=row.reopened,
        claimed_at=local(row.claimed_at),
        first_staff_reply_at=local(row.first_staff_reply_at),
        closed_at=local(row.closed_at),
        timings=Timings(
            to_claim=minutes_between(row.created_at, row.claimed_at),
            to_first_reply=minutes_between(row.created_at, row.first_staff_reply_at),
            to_close=minutes_between(row.created_at, row.closed_at),
        ),
        transcript=[
            TranscriptLine(m.sender, SENDER_LABELS.get(m.sender, m.sender), _transcript_text(m), local(m.created_at))
            for m in messages
        ],
        notes=[NoteLine(n.author, n.text, local(n.created_at)) for n in notes],
        actions=[
            ActionLine(a.actor, a.action, ACTION_LABELS.get(a.action, a.action), a.detail, local(a.created_at))
            for a in actions
        ],
    )


# -- statistics ---------------------------------------------------------------------
@dataclass(frozen=True)
class ReplyTimes:
    """Minutes from escalation to the first staff answer."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, minutes: list[float]) -> ReplyTimes:
        return cls(len(minutes), percentile(minutes, 0.5), percentile(minutes, 0.9))


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
    query = _filtered(
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
        gemeenten[r.gemeente or UNKNOWN_GEMEENTE] += 1
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


# -- export ----------------------------------------------------------------------------
def csv_rows(
    session: Session,
    status: str | None = None,
    topic: str | None = None,
    gemeente: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[tuple[str, ...]]:
    """The filtered list for a spreadsheet, header first. No personal data:
    no pseudonym, chat id, summary or transcript. Codes for status, priority,
    reason and outcome; the topic in words; created as ISO 8601 Dutch time."""
    rows: list[tuple[str, ...]] = [CSV_HEADER]
    for r in list_escalations(session, status, topic, gemeente, date_from, date_to):
        rows.append(
            (
                str(r.id),
                r.created_at.isoformat(timespec="seconds"),
                r.status,
                r.priority,
                r.reason,
                r.topic_label if r.topic else "",
                r.gemeente or "",
                r.claimed_by_name or "",
                "" if r.minutes_to_first_reply is None else f"{r.minutes_to_first_reply:.1f}",
                r.outcome or "",
            )
        )
    return rows
