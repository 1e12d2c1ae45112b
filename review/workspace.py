"""The staff workspace: answering users from the staff page.

On an escalation's page staff claim it, reply (a plain HTML form: it works
without JavaScript), write a note, close it with an outcome, reopen it, and
mark a user's message as misunderstood with the right intent. Each action
goes through wegwijzer.workspace, so the user hears it in Telegram or in the
terminal chat, and the staff group's forum topic hears it too.

`/live` is a stream of server-sent events: it says when anything changed
(a new escalation, a message, a claim), and static/live.js then refreshes
the parts of the page marked data-live, without a reload.

`/kaart/<token>` is a handover card to print, for the user (no login: the
link is unguessable and expires).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.web import StaffUser, staff_only, web_of
from wegwijzer import review
from wegwijzer.handover import HandoverCards, card_lines
from wegwijzer.review.listing import live_version
from wegwijzer.settings import settings
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text
from wegwijzer.vocabulary import INTENTS, Closing
from wegwijzer.workspace import Actor, Origin, Workspace

log = logging.getLogger(__name__)

MAX_REPLY = 4000  # under Telegram's limit for one message
LIVE_POLL_SECONDS = 1.0
LIVE_STREAM_SECONDS = 300  # then the browser reconnects (EventSource does so by itself)
DONE = {
    "oppakken": "done_claimed",
    "antwoord": "done_replied",
    "notitie": "done_note",
    "sluiten": "done_closed",
    "heropenen": "done_reopened",
    "begrepen": "done_corrected",
}


def actor_of(staff: StaffUser) -> Actor:
    return Actor(staff.name, Origin.WEB, telegram_id=staff.telegram, staff_id=staff.id, username=staff.username)


def intent_choices() -> list[tuple[str, str]]:
    """(intent, label) for the "misunderstood" choice, in the contract's order."""
    from wegwijzer.review.detail import intent_label

    return [(intent, intent_label(intent) or intent) for intent in INTENTS]


def closing_choices() -> list[tuple[str, str]]:
    return [(c.value, staff_text.label("closing", c.value)) for c in Closing]


def detail_page(request: Request, staff: StaffUser, status_code: int = 200, error: str | None = None) -> Response:
    web = web_of(request)
    with web.sessions() as session:
        detail = review.escalation_detail(session, request.path_params["id"])
        version = live_version(session)
    if detail is None:
        raise HTTPException(404)
    done = DONE.get(request.query_params.get("klaar", ""))
    return web.page(
        request,
        "detail.html",
        staff,
        status_code=status_code,
        d=detail,
        e=detail.row,
        version=version,
        error=error,
        done=staff_text(done) if done else None,
        intents=intent_choices(),
        closings=closing_choices(),
        max_reply=MAX_REPLY,
        mine=detail.contact_staff is not None and detail.contact_staff == staff.id,
    )


@staff_only
async def act(request: Request, staff: StaffUser) -> Response:
    """One staff action from an escalation's page (a form post)."""
    web = web_of(request)
    form = await request.form()
    if not web.csrf_ok(request, form.get("csrf")):
        raise HTTPException(400)
    action = request.path_params["action"]
    if action not in DONE:
        raise HTTPException(404)
    workspace = Workspace(web.sessions)
    escalation = workspace.escalations.get(request.path_params["id"])
    if escalation is None:
        raise HTTPException(404)
    actor = actor_of(staff)
    text = str(form.get("tekst") or "").strip()
    error = None
    if action == "oppakken":
        if not await run_in_threadpool(workspace.claim, escalation, actor):
            error = staff_text("error_already_claimed")
    elif action == "antwoord":
        if not text:
            error = staff_text("error_empty_reply")
        elif len(text) > MAX_REPLY:
            error = staff_text("error_reply_too_long", limit=MAX_REPLY)
        elif await run_in_threadpool(workspace.reply, escalation, actor, text) is None:
            error = staff_text("error_closed")
    elif action == "notitie":
        if not await run_in_threadpool(workspace.note, escalation, actor, text[:MAX_REPLY]):
            error = staff_text("error_empty_note")
    elif action == "sluiten":
        closing = Closing.of(form.get("uitkomst"))
        if closing is None:
            error = staff_text("error_pick_outcome")
        elif not await run_in_threadpool(workspace.close, escalation, actor, closing):
            error = staff_text("error_closed")
    elif action == "heropenen":
        if not await run_in_threadpool(workspace.reopen, escalation, actor):
            error = staff_text("error_not_reopenable")
    elif action == "begrepen":
        intent = str(form.get("intent") or "")
        message_id = str(form.get("bericht") or "")
        if (
            intent not in INTENTS
            or not message_id.isdigit()
            or not await run_in_threadpool(workspace.mark_misunderstood, escalation, int(message_id), actor, intent)
        ):
            error = staff_text("error_pick_intent")
    if error is not None:
        return await run_in_threadpool(detail_page, request, staff, 400, error)
    anchor = "#antwoord" if action == "antwoord" else ""
    return RedirectResponse(f"/overdrachten/{escalation.id}?klaar={action}{anchor}", status_code=303)


@staff_only(plain=True)
def live(request: Request, staff: StaffUser) -> Response:
    """Server-sent events: "change" with a version, whenever something changed."""
    web = web_of(request)

    def version() -> str:
        with web.sessions() as session:
            return live_version(session)

    async def events() -> AsyncIterator[dict[str, str]]:
        last = None
        ends = time.monotonic() + LIVE_STREAM_SECONDS
        while time.monotonic() < ends:
            current = await run_in_threadpool(version)
            if current != last:
                last = current
                yield {"event": "change", "data": current}
            await asyncio.sleep(LIVE_POLL_SECONDS)

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})


def handover_card(request: Request) -> Response:
    """A handover card to print (no login: the link itself is the key)."""
    web = web_of(request)
    card = HandoverCards(web.sessions, settings().handover_card_hours).get(request.path_params["token"])
    if card is None:
        return web.page(request, "card_gone.html", None, status_code=404)
    return web.page(
        request,
        "card.html",
        None,
        title=say("handover_title", day=card.made_on),
        sections=card_lines(card),
        footer=say("handover_footer"),
    )


routes = [
    Route("/overdrachten/{id:int}/{action:str}", act, methods=["POST"]),
    Route("/live", live, methods=["GET"]),
    Route("/kaart/{token:str}", handover_card, methods=["GET"]),
]
