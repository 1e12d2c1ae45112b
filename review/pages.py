"""The escalation pages: the inbox and the list with filters, one
escalation (its actions are in workspace.py), statistics and the CSV export
(without personal data)."""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from review import charts
from review.filters import filters_query, read_filters, status_choices
from review.web import StaffUser, staff_only, web_of
from review.workspace import detail_page
from wegwijzer import review
from wegwijzer.texts import staff as staff_text

log = logging.getLogger(__name__)
LIST_LIMIT = 500


@staff_only
def escalation_list(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    filters, errors = read_filters(request)
    with web.sessions() as session:
        rows = review.list_escalations(session, **filters, limit=LIST_LIMIT + 1)
        gemeenten = review.gemeente_choices(session)
        inbox = review.inbox(session, staff.id)
        version = review.live_version(session)
    return web.page(
        request,
        "list.html",
        staff,
        inbox=inbox,
        version=version,
        rows=rows[:LIST_LIMIT],
        more=len(rows) > LIST_LIMIT,
        limit=LIST_LIMIT,
        filters=filters,
        errors=errors,
        topics=review.topic_choices(),
        gemeenten=gemeenten,
        statuses=status_choices(),
        query=filters_query(filters),
        filtered=any(filters.values()),
    )


@staff_only
def escalation(request: Request, staff: StaffUser) -> Response:
    return detail_page(request, staff)


@staff_only
def statistics(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    filters, errors = read_filters(request)
    with web.sessions() as session:
        stats = review.statistics(session, filters["date_from"], filters["date_to"])
        referrals = review.referral_outcomes(session, filters["date_from"], filters["date_to"])
    return web.page(
        request,
        "stats.html",
        staff,
        stats=stats,
        charts=charts.all_charts(stats),
        referrals=referrals,
        filters=filters,
        errors=errors,
    )


def csv_safe(cell: str) -> str:
    """Text that a spreadsheet could run as a formula is made plain text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


@staff_only(plain=True)
def export(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    filters, errors = read_filters(request)
    if errors:
        return PlainTextResponse(" ".join(errors), status_code=400)
    with web.sessions() as session:
        rows = review.csv_rows(session, **filters)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([csv_safe(cell) for cell in row] for row in rows)
    query = filters_query(filters) or staff_text("export_no_filters")
    web.record(staff.username, "export", staff_text("export_detail", rows=len(rows) - 1, filters=query), staff.telegram)
    log.info("review export by %r: %d rows", staff.username, len(rows) - 1)
    name = staff_text("export_file_name", day=datetime.now(review.ZONE).date().isoformat())
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


routes = [
    Route("/", escalation_list, methods=["GET"]),
    Route("/overdrachten/{id:int}", escalation, methods=["GET"]),
    Route("/statistieken", statistics, methods=["GET"]),
    Route("/export.csv", export, methods=["GET"]),
]
