"""What every page of the staff page shares: who is logged in, the CSRF
token, rendering a template, and the `staff_only` guard that every page but
the login page uses (so the login check is written once)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import inspect
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlencode

import jinja2
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from review.formatting import format_field, format_minutes, format_time, format_value, format_week
from review.security import LoginThrottle
from wegwijzer.audit import AuditLog
from wegwijzer.db.models import StaffMember
from wegwijzer.places import Gazetteer, gazetteer
from wegwijzer.staff import gemeenten_of, may_edit_door
from wegwijzer.texts import staff as staff_text

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class StaffUser:
    """The staff member of a request (what the pages need, no password)."""

    id: int
    username: str
    name: str
    admin: bool
    telegram: int | None
    gemeenten: frozenset[str] = frozenset()  # whose doors this member keeps up

    @property
    def actor(self) -> str:
        """How the audit log and the directory's history name this member."""
        return f"web:{self.username}"

    def may_edit(self, gemeente_code: str | None) -> bool:
        return may_edit_door(self.admin, self.gemeenten, gemeente_code)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["tijd"] = format_time
    env.filters["minuten"] = format_minutes
    env.filters["week"] = format_week
    env.filters["veld"] = format_field
    env.filters["waarde"] = format_value
    return env


class Web:
    """The staff page's shared state: database, secret, templates, audit log."""

    def __init__(self, sessions: sessionmaker[Session], secret: bytes, database_url: str) -> None:
        self.sessions = sessions
        self.database_url = database_url
        self.secret = secret
        self.templates = Jinja2Templates(env=environment())
        self.audit = AuditLog(sessions)
        self.throttle = LoginThrottle()
        # Sessions live on the server: the cookie names one, logout ends it,
        # and a restart of the staff page ends them all.
        self.live_sessions: dict[str, int] = {}

    def begin_session(self, staff_id: int) -> str:
        session_id = secrets.token_urlsafe(32)
        self.live_sessions[session_id] = staff_id
        return session_id

    def end_session(self, request: Request) -> None:
        self.live_sessions.pop(str(request.session.get("sid") or ""), None)
        request.session.clear()

    def places(self) -> Gazetteer:
        """The places of this page's database (the directory needs them)."""
        return gazetteer(self.database_url)

    def password_mark(self, member: StaffMember) -> str:
        """Changes when the password changes, so old sessions stop working."""
        return hmac.new(self.secret, (member.password_hash or "").encode(), hashlib.sha256).hexdigest()[:16]

    @staticmethod
    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return str(token)

    @staticmethod
    def csrf_ok(request: Request, sent: Any) -> bool:
        expected = request.session.get("csrf")
        return isinstance(expected, str) and isinstance(sent, str) and hmac.compare_digest(expected, sent)

    def logged_in(self, request: Request) -> StaffUser | None:
        """The staff member of this session, else None."""
        staff_id = request.session.get("staff_id")
        if not isinstance(staff_id, int):
            return None
        if self.live_sessions.get(str(request.session.get("sid") or "")) != staff_id:
            request.session.clear()  # ended at logout, or before a restart
            return None
        with self.sessions() as session:
            member = session.get(StaffMember, staff_id)
            if member is None or not member.active or request.session.get("pw") != self.password_mark(member):
                request.session.clear()
                return None
            return StaffUser(
                member.id,
                member.username,
                member.display_name,
                member.is_admin,
                member.telegram_user_id,
                gemeenten_of(session, member.id),
            )

    def record(self, username: str, action: str, detail: str, telegram_user_id: int | None = None) -> None:
        """A web action in the audit log, with actor 'web:<username>'."""
        self.audit.record(action, f"web:{username}", staff_user_id=telegram_user_id, detail=detail)

    def page(
        self, request: Request, name: str, staff: StaffUser | None, status_code: int = 200, **context: Any
    ) -> Response:
        context.update(staff=staff, csrf=self.csrf_token(request), path=request.url.path)
        return self.templates.TemplateResponse(request, name, context, status_code=status_code)


def web_of(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


Handler = Callable[[Request, StaffUser], Response | Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


@overload
def staff_only(handler: Handler, *, plain: bool = False) -> Endpoint: ...
@overload
def staff_only(handler: None = None, *, plain: bool = False) -> Callable[[Handler], Endpoint]: ...
def staff_only(handler: Handler | None = None, *, plain: bool = False) -> Endpoint | Callable[[Handler], Endpoint]:
    """A page for logged-in staff: others go to the login page (or, with
    plain=True, get a plain 401). The handler gets the staff member."""

    def decorate(handler: Handler) -> Endpoint:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            staff = await run_in_threadpool(web_of(request).logged_in, request)
            if staff is None:
                return PlainTextResponse(staff_text("login_first"), status_code=401) if plain else to_login(request)
            result = await run_in_threadpool(handler, request, staff)
            if inspect.isawaitable(result):
                return await result
            return result

        return endpoint

    return decorate(handler) if handler is not None else decorate
