"""Logging in and out of the staff page. Logins (also failed ones) go to the
audit log; wrong passwords are throttled per username and address, and per
address: an outsider who knows a username cannot lock its owner out, since
the owner's own address is counted apart."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from review.web import web_of
from wegwijzer.staff import verify_login
from wegwijzer.texts import staff as staff_text

log = logging.getLogger(__name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site, never another site ('//evil', 'https://...')."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_form(request: Request) -> Response:
    web = web_of(request)
    if web.logged_in(request):
        return RedirectResponse("/", status_code=303)
    target = safe_next(request.query_params.get("next"))
    return web.page(request, "login.html", None, next=target, error=None, username="")


async def login(request: Request) -> Response:
    web = web_of(request)
    form = await request.form()
    username = str(form.get("gebruikersnaam") or "").strip()[:64]
    password = str(form.get("wachtwoord") or "")[:1024]
    target = safe_next(str(form.get("next") or ""))

    def refuse(status_code: int, error: str) -> Response:
        return web.page(
            request, "login.html", None, status_code=status_code, next=target, username=username, error=error
        )

    if not web.csrf_ok(request, form.get("csrf")):
        return refuse(400, staff_text("login_expired_form"))
    # The peer address: X-Forwarded-For counts only from a trusted proxy
    # (REVIEW_TRUSTED_PROXIES, handled by uvicorn), so it cannot reset this.
    key = (username.lower(), request.client.host if request.client else "")
    if web.throttle.blocked(key):
        await run_in_threadpool(web.record, username, "login", staff_text("login_blocked_detail"))
        log.warning("review login blocked for %r", username)
        return refuse(429, staff_text("login_blocked"))

    def check() -> dict[str, Any] | None:
        with web.sessions() as session:
            member = verify_login(session, username, password)
            if member is None:
                return None
            return {
                "id": member.id,
                "username": member.username,
                "mark": web.password_mark(member),
                "telegram": member.telegram_user_id,
            }

    member = await run_in_threadpool(check)
    if member is None:
        web.throttle.failed(key)
        await run_in_threadpool(web.record, username, "login", staff_text("login_failed_detail"))
        log.info("review login failed for %r", username)
        return refuse(401, staff_text("login_wrong"))
    web.throttle.succeeded(key)
    await run_in_threadpool(web.record, member["username"], "login", staff_text("login_ok_detail"), member["telegram"])
    log.info("review login of %r", member["username"])
    request.session.clear()
    request.session.update(
        staff_id=member["id"], sid=web.begin_session(member["id"]), pw=member["mark"], csrf=secrets.token_urlsafe(32)
    )
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form()
    web = web_of(request)
    if web.csrf_ok(request, form.get("csrf")):
        web.end_session(request)  # the old cookie no longer works
    return RedirectResponse("/login", status_code=303)


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
