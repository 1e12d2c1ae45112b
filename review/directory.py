"""The directory section of the staff page: list and filter the doors,
add, edit, confirm, retire and restore a door, and resolve users' reports.

A source and a check date are required; the postcode fills in the
coordinate from the PC4 data when none is given; every change goes into
the door's history. Staff edit the doors of their own gemeenten; admins
edit every door. Doors that come from an imported source (the register,
OpenStreetMap, a CSV list) are kept up in that source: here they can be
confirmed, retired or restored, not edited.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.web import StaffUser, Web, staff_only, web_of
from wegwijzer.db.models import Counter
from wegwijzer.doors import DoorStore, is_stale
from wegwijzer.importers.csv_counters import csv_row
from wegwijzer.review.common import ZONE
from wegwijzer.review.directory import EDITED_HERE, SHOWS, kinds_in_use, list_doors
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import DoorKind, Standing

log = logging.getLogger(__name__)
FIELDS = (
    "name",
    "kind",
    "address",
    "postcode",
    "place",
    "gemeente_code",
    "lat",
    "lon",
    "opening_hours",
    "walk_in",
    "by_appointment",
    "phone",
    "website",
    "appointment_url",
    "status",
    "checked_on",
    "status_note",
    "attribution",
)
MESSAGES = {
    "opgeslagen": "door_saved",
    "bevestigd": "door_confirmed",
    "ingetrokken": "door_retired",
    "teruggezet": "door_restored",
    "afgehandeld": "door_report_resolved",
}


def today() -> date:
    return datetime.now(ZONE).date()


def store(request: Request) -> DoorStore:
    return DoorStore(web_of(request).sessions)


def _door(web: Web, door_id: int) -> Counter:
    with web.sessions() as session:
        door = session.get(Counter, door_id)
        if door is None:
            raise HTTPException(404)
        session.expunge(door)
        return door


def form_values(form: FormData) -> dict[str, str]:
    values = {name: str(form.get(name) or "").strip()[:500] for name in FIELDS}
    for flag in ("walk_in", "by_appointment"):
        values[flag] = "ja" if form.get(flag) else "nee"
    return values


def checked_values(web: Web, values: dict[str, str], source_id: str) -> tuple[dict[str, Any], list[str]]:
    """The door's columns from the form, checked like an imported row."""
    problems: list[str] = []
    row = csv_row({**values, "source": EDITED_HERE, "source_id": source_id}, web.places(), EDITED_HERE, problems)
    if not values.get("attribution"):
        problems.append(staff_text("door_needs_source"))
    if not values.get("checked_on"):
        problems.append(staff_text("door_needs_checked"))
    if not row.get("gemeente_code") and not problems:
        problems.append(staff_text("door_needs_gemeente"))
    row.pop("source_id", None)
    return row, problems


def door_form(
    web: Web,
    request: Request,
    staff: StaffUser,
    door: Counter | None,
    values: dict[str, str],
    errors: list[str],
    status_code: int = 200,
) -> Response:
    store_ = DoorStore(web.sessions)
    values = {name: values.get(name, "") for name in FIELDS}
    return web.page(
        request,
        "door.html",
        staff,
        status_code=status_code,
        door=door,
        values=values,
        errors=errors,
        kinds=[(k.value, staff_text.label("kind", k.value)) for k in DoorKind],
        statuses=[(s.value, staff_text.label("standing", s.value)) for s in Standing],
        history=store_.history(door.id) if door else [],
        reports=store_.reports(door.id, open_only=False) if door else [],
        editable=door is None or (door.source == EDITED_HERE and staff.may_edit(door.gemeente_code)),
        may_act=door is None or staff.may_edit(door.gemeente_code),
        stale=door is not None and is_stale(door.checked_on, today()),
        message=staff_text(MESSAGES[m]) if (m := request.query_params.get("klaar")) in MESSAGES else None,
    )


def values_of(door: Counter) -> dict[str, str]:
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)

    return {name: text(getattr(door, name)) for name in FIELDS}


@staff_only
def door_list(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    q = request.query_params
    show = str(q.get("toon")) if q.get("toon") in SHOWS else "attention"
    kind = q.get("soort") if q.get("soort") in {k.value for k in DoorKind} else None
    gemeente = (q.get("gemeente") or "").strip().upper()[:8] or None
    search = (q.get("zoek") or "").strip()[:80] or None
    with web.sessions() as session:
        doors = list_doors(session, today(), kind=kind, gemeente_code=gemeente, show=show, search=search)
        kinds = kinds_in_use(session)
    reports = store(request).reports()
    gemeenten = sorted(
        (
            (loc.gemeente_code or "", loc.gemeente or "")
            for key, loc in web.places().by_key.items()
            if key.startswith("gm:")
        ),
        key=lambda pair: pair[1].lower(),
    )
    return web.page(
        request,
        "doors.html",
        staff,
        doors=doors,
        reports=reports,
        show=show,
        kind=kind,
        gemeente=gemeente,
        search=search or "",
        shows=[(s, staff_text(f"show_{s}")) for s in SHOWS],
        kinds=[(k, staff_text.label("kind", k)) for k in kinds],
        gemeenten=gemeenten,
    )


@staff_only
async def door_new(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    if request.method == "GET":
        values = {"kind": DoorKind.IDO.value, "status": Standing.CONFIRMED.value, "checked_on": today().isoformat()}
        return door_form(web, request, staff, None, values, [])
    form = await request.form()
    if not web.csrf_ok(request, form.get("csrf")):
        raise HTTPException(400)
    values = form_values(form)
    source_id = f"web-{uuid.uuid4().hex[:12]}"
    row, errors = checked_values(web, values, source_id)
    if not errors and not staff.may_edit(row.get("gemeente_code")):
        errors.append(staff_text("door_not_yours"))
        return door_form(web, request, staff, None, values, errors, status_code=403)
    if errors:
        return door_form(web, request, staff, None, values, errors, status_code=400)
    door_id = store(request).add({**row, "source_id": source_id}, staff.actor)
    log.info("door %s added by %r", door_id, staff.username)
    return RedirectResponse(f"/deuren/{door_id}?klaar=opgeslagen", status_code=303)


@staff_only
async def door_page(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    door = _door(web, request.path_params["id"])
    if request.method == "GET":
        return door_form(web, request, staff, door, values_of(door), [])
    form = await request.form()
    if not web.csrf_ok(request, form.get("csrf")):
        raise HTTPException(400)
    values = form_values(form)
    if door.source != EDITED_HERE:
        return door_form(
            web,
            request,
            staff,
            door,
            values_of(door),
            [staff_text("door_imported", source=door.source)],
            status_code=403,
        )
    row, errors = checked_values(web, values, door.source_id)
    allowed = staff.may_edit(door.gemeente_code) and (errors or staff.may_edit(row.get("gemeente_code")))
    if not allowed:
        log.info("door %s: edit by %r refused (not their gemeente)", door.id, staff.username)
        web.record(staff.username, "refused", f"deur {door.id} wijzigen", staff.telegram)
        return door_form(web, request, staff, door, values, [staff_text("door_not_yours")], status_code=403)
    if errors:
        return door_form(web, request, staff, door, values, errors, status_code=400)
    store(request).edit(door.id, row, staff.actor)
    return RedirectResponse(f"/deuren/{door.id}?klaar=opgeslagen", status_code=303)


@staff_only
async def door_action(request: Request, staff: StaffUser) -> Response:
    """Confirm, retire or restore a door."""
    web = web_of(request)
    door = _door(web, request.path_params["id"])
    form = await request.form()
    if not web.csrf_ok(request, form.get("csrf")):
        raise HTTPException(400)
    if not staff.may_edit(door.gemeente_code):
        web.record(staff.username, "refused", f"deur {door.id} {request.path_params['action']}", staff.telegram)
        return door_form(web, request, staff, door, values_of(door), [staff_text("door_not_yours")], status_code=403)
    action = request.path_params["action"]
    doors = store(request)
    if action == "bevestigen":
        doors.confirm(door.id, staff.actor, today())
        done = "bevestigd"
    elif action == "intrekken":
        doors.retire(door.id, staff.actor)
        done = "ingetrokken"
    elif action == "terugzetten":
        doors.retire(door.id, staff.actor, retired=False)
        done = "teruggezet"
    else:
        raise HTTPException(404)
    return RedirectResponse(f"/deuren/{door.id}?klaar={done}", status_code=303)


@staff_only
async def resolve_report(request: Request, staff: StaffUser) -> Response:
    web = web_of(request)
    form = await request.form()
    if not web.csrf_ok(request, form.get("csrf")):
        raise HTTPException(400)
    doors = store(request)
    report = next((r for r in doors.reports(open_only=False) if r.id == request.path_params["id"]), None)
    if report is None:
        raise HTTPException(404)
    if not staff.may_edit(report.gemeente_code):
        return door_form(
            web,
            request,
            staff,
            _door(web, report.door_id),
            values_of(_door(web, report.door_id)),
            [staff_text("door_not_yours")],
            status_code=403,
        )
    doors.resolve(report.id, staff.actor, str(form.get("afhandeling") or ""))
    return RedirectResponse(f"/deuren/{report.door_id}?klaar=afgehandeld", status_code=303)


routes = [
    Route("/deuren", door_list, methods=["GET"]),
    Route("/deuren/nieuw", door_new, methods=["GET", "POST"]),
    Route("/deuren/{id:int}", door_page, methods=["GET", "POST"]),
    Route("/deuren/{id:int}/{action:str}", door_action, methods=["POST"]),
    Route("/meldingen/{id:int}/afhandelen", resolve_report, methods=["POST"]),
]
