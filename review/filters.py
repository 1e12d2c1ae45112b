"""The list and statistics filters, from and back to the query string."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from wegwijzer import review
from wegwijzer.texts import staff as staff_text


def _parse_day(text: str | None, errors: list[str], what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.append(staff_text("filter_bad_date", what=what))
        return None


def read_filters(request: Request) -> tuple[dict[str, Any], list[str]]:
    """status, topic, gemeente, date_from, date_to from the query string;
    values that are not allowed are left out, with a Dutch message."""
    q = request.query_params
    errors: list[str] = []
    status = q.get("status") or None
    if status and status not in review.STATUS_FILTERS:
        errors.append(staff_text("filter_bad_status"))
        status = None
    topic = q.get("onderwerp") or None
    if topic and topic not in {intent for intent, _ in review.topic_choices()}:
        errors.append(staff_text("filter_bad_topic"))
        topic = None
    gemeente = (q.get("gemeente") or "").strip()[:120] or None
    date_from = _parse_day(q.get("van"), errors, staff_text("filter_from"))
    date_to = _parse_day(q.get("tot"), errors, staff_text("filter_to"))
    if date_from and date_to and date_from > date_to:
        errors.append(staff_text("filter_dates_swapped"))
        date_from, date_to = date_to, date_from
    filters = {"status": status, "topic": topic, "gemeente": gemeente, "date_from": date_from, "date_to": date_to}
    return filters, errors


def filters_query(filters: dict[str, Any]) -> str:
    """The filters as a query string again (for the export link)."""
    pairs = {
        "status": filters["status"],
        "onderwerp": filters["topic"],
        "gemeente": filters["gemeente"],
        "van": filters["date_from"].isoformat() if filters["date_from"] else None,
        "tot": filters["date_to"].isoformat() if filters["date_to"] else None,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def status_choices() -> list[tuple[str, str]]:
    """The status filter's choices: open, then each status."""
    return [
        ("open", staff_text.label("status", "open")),
        *((s, staff_text.label("status", s)) for s in review.STATUSES),
    ]
