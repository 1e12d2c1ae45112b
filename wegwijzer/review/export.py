"""The CSV export of the escalation list: no personal data."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from wegwijzer.review.listing import list_escalations

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
