"""The review web page (Starlette): log in, the list of escalations with
filters, one escalation, statistics and a CSV export.

Every page except /login and /static needs a logged-in staff member.
Sessions are signed cookies (SessionMiddleware) with a key derived from the
Wegwijzer secret; forms carry a CSRF token. Logins (also failed ones) and
exports are logged as StaffAction rows with actor 'web:<username>'.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import secrets
import time
from collections import defaultdict, deque
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from review import charts
from wegwijzer import review
from wegwijzer.db.models import StaffAction, StaffMember
from wegwijzer.db.session import session_factory
from wegwijzer.staff import verify_login

HERE = Path(__file__).resolve().parent
log = logging.getLogger("wegwijzer.review")

SESSION_COOKIE = "wegwijzer_review"
SESSION_MAX_AGE = 10 * 60 * 60  # a working day; then log in again
LIST_LIMIT = 500
MAX_FAILURES = 5  # failed logins per username and address ...
FAILURE_WINDOW = 15 * 60  # ... in this many seconds, then wait
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Strict headers on every response; pages that need a login are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginThrottle:
    """After MAX_FAILURES wrong passwords for one username from one address
    within FAILURE_WINDOW seconds, further attempts are refused for a while."""

    def __init__(self) -> None:
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self.failures[key]
        while times and times[0] < time.monotonic() - FAILURE_WINDOW:
            times.popleft()
        return times

    def blocked(self, key: tuple[str, str]) -> bool:
        return len(self._recent(key)) >= MAX_FAILURES

    def failed(self, key: tuple[str, str]) -> None:
        self._recent(key).append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        self.failures.pop(key, None)


# -- formatting for the templates --------------------------------------------------
def format_time(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y %H:%M") if moment else "–"


def format_minutes(minutes: float | None) -> str:
    """12.5 → '12,5 min'; 75 → '1 uur 15 min'; 1500 → '1 dag 1 uur'."""
    if minutes is None:
        return "–"
    if minutes < 10:
        return f"{minutes:.1f}".replace(".", ",").replace(",0", "") + " min"
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours, rest = divmod(round(minutes), 60)
    if hours < 24:
        return f"{hours} uur {rest} min" if rest else f"{hours} uur"
    days, hours = divmod(hours, 24)
    day_word = "dag" if days == 1 else "dagen"
    return f"{days} {day_word} {hours} uur" if hours else f"{days} {day_word}"


def format_week(week: str) -> str:
    """'2026-W48' → 'week 48 (2026)'."""
    year, number = week.split("-W")
    return f"week {int(number)} ({year})"


def _environment() -> jinja2.Environment:
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
    return env


# -- filters from the query string ----------------------------------------------------
def _parse_day(text: str | None, errors: list[str], what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.append(f"De datum bij '{what}' klopt niet. Gebruik dag-maand-jaar uit de kalender.")
        return None


def read_filters(request: Request) -> tuple[dict[str, Any], list[str]]:
    """status, topic, gemeente, date_from, date_to from the query string;
    values that are not allowed are left out, with a Dutch message."""
    q = request.query_params
    errors: list[str] = []
    status = q.get("status") or None
    if status and status not in review.STATUS_FILTERS:
        errors.append("Deze status bestaat niet.")
        status = None
    topic = q.get("onderwerp") or None
    if topic and topic not in {intent for intent, _ in review.topic_choices()}:
        errors.append("Dit onderwerp bestaat niet.")
        topic = None
    gemeente = (q.get("gemeente") or "").strip()[:120] or None
    date_from = _parse_day(q.get("van"), errors, "van")
    date_to = _parse_day(q.get("tot"), errors, "tot en met")
    if date_from and date_to and date_from > date_to:
        errors.append("De datum 'van' ligt na de datum 'tot en met'. Ik heb ze omgedraaid.")
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


def _csv_safe(cell: str) -> str:
    """Text that a spreadsheet could run as a formula is made plain text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another site ('//evil', 'https://...')."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# -- the application --------------------------------------------------------------------
def create_app(database_url: str | None = None, secret: bytes | None = None) -> Starlette:
    if secret is None:
        from wegwijzer.privacy import load_secret

        secret = load_secret()
    sessions: sessionmaker[Session] = session_factory(database_url)
    # A key of its own for the cookies, derived from the Wegwijzer secret.
    session_key = hmac.new(secret, b"wegwijzer-review-session", hashlib.sha256).hexdigest()
    templates = Jinja2Templates(env=_environment())
    throttle = LoginThrottle()

    def password_mark(member: StaffMember) -> str:
        """Changes when the password changes, so old sessions stop working."""
        return hmac.new(secret, (member.password_hash or "").encode(), hashlib.sha256).hexdigest()[:16]

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    def csrf_ok(request: Request, sent: Any) -> bool:
        expected = request.session.get("csrf")
        return bool(expected) and isinstance(sent, str) and hmac.compare_digest(expected, sent)

    def logged_in(request: Request) -> dict[str, Any] | None:
        """The staff member of this session (id, username, name), else None."""
        staff_id = request.session.get("staff_id")
        if not isinstance(staff_id, int):
            return None
        with sessions() as session:
            member = session.get(StaffMember, staff_id)
            if member is None or not member.active or request.session.get("pw") != password_mark(member):
                request.session.clear()
                return None
            return {
                "id": member.id,
                "username": member.username,
                "name": member.display_name,
                "admin": member.is_admin,
                "telegram": member.telegram_user_id,
            }

    def record(username: str, action: str, detail: str, telegram_user_id: int | None = None) -> None:
        with sessions.begin() as session:
            session.add(
                StaffAction(action=action, actor=f"web:{username}"[:120], detail=detail, staff_user_id=telegram_user_id)
            )

    def page(
        request: Request, name: str, staff: dict[str, Any] | None, status_code: int = 200, **context: Any
    ) -> Response:
        context.update(staff=staff, csrf=csrf_token(request), path=request.url.path)
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def to_login(request: Request) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)

    # -- login and logout --------------------------------------------------------------
    def login_form(request: Request) -> Response:
        if logged_in(request):
            return RedirectResponse("/", status_code=303)
        return page(
            request, "login.html", None, next=_safe_next(request.query_params.get("next")), error=None, username=""
        )

    async def login(request: Request) -> Response:
        form = await request.form()
        username = str(form.get("gebruikersnaam") or "").strip()[:64]
        password = str(form.get("wachtwoord") or "")[:1024]
        target = _safe_next(str(form.get("next") or ""))
        if not csrf_ok(request, form.get("csrf")):
            return page(
                request,
                "login.html",
                None,
                status_code=400,
                next=target,
                username=username,
                error="Het formulier was verlopen. Probeer het nog een keer.",
            )
        key = (username.lower(), request.client.host if request.client else "")
        if throttle.blocked(key):
            await run_in_threadpool(record, username, "login", "mislukt: te vaak geprobeerd")
            log.warning("review login blocked for %r", username)
            return page(
                request,
                "login.html",
                None,
                status_code=429,
                next=target,
                username=username,
                error="U heeft te vaak een verkeerd wachtwoord getypt. Probeer het over 15 minuten opnieuw.",
            )

        def check() -> dict[str, Any] | None:
            with sessions() as session:
                member = verify_login(session, username, password)
                if member is None:
                    return None
                return {
                    "id": member.id,
                    "username": member.username,
                    "mark": password_mark(member),
                    "telegram": member.telegram_user_id,
                }

        member = await run_in_threadpool(check)
        if member is None:
            throttle.failed(key)
            await run_in_threadpool(record, username, "login", "mislukt")
            log.info("review login failed for %r", username)
            return page(
                request,
                "login.html",
                None,
                status_code=401,
                next=target,
                username=username,
                error="De gebruikersnaam of het wachtwoord klopt niet.",
            )
        throttle.succeeded(key)
        await run_in_threadpool(record, member["username"], "login", "gelukt", member["telegram"])
        log.info("review login of %r", member["username"])
        request.session.clear()
        request.session.update(staff_id=member["id"], pw=member["mark"], csrf=secrets.token_urlsafe(32))
        return RedirectResponse(target, status_code=303)

    async def logout(request: Request) -> Response:
        form = await request.form()
        if csrf_ok(request, form.get("csrf")):
            request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # -- pages -------------------------------------------------------------------------
    def escalation_list(request: Request) -> Response:
        staff = logged_in(request)
        if staff is None:
            return to_login(request)
        filters, errors = read_filters(request)
        with sessions() as session:
            rows = review.list_escalations(session, **filters, limit=LIST_LIMIT + 1)
            gemeenten = review.gemeente_choices(session)
        return page(
            request,
            "list.html",
            staff,
            rows=rows[:LIST_LIMIT],
            more=len(rows) > LIST_LIMIT,
            limit=LIST_LIMIT,
            filters=filters,
            errors=errors,
            topics=review.topic_choices(),
            gemeenten=gemeenten,
            statuses=[("open", "Open (nieuw of in behandeling)"), *review.STATUS_LABELS.items()],
            query=filters_query(filters),
            filtered=any(filters.values()),
        )

    def escalation(request: Request) -> Response:
        staff = logged_in(request)
        if staff is None:
            return to_login(request)
        with sessions() as session:
            detail = review.escalation_detail(session, request.path_params["id"])
        if detail is None:
            raise HTTPException(404)
        return page(request, "detail.html", staff, d=detail, e=detail.row)

    def statistics(request: Request) -> Response:
        staff = logged_in(request)
        if staff is None:
            return to_login(request)
        filters, errors = read_filters(request)
        with sessions() as session:
            stats = review.statistics(session, filters["date_from"], filters["date_to"])
        return page(
            request, "stats.html", staff, stats=stats, charts=charts.all_charts(stats), filters=filters, errors=errors
        )

    def export(request: Request) -> Response:
        staff = logged_in(request)
        if staff is None:
            return PlainTextResponse("Log eerst in.", status_code=401)
        filters, errors = read_filters(request)
        if errors:
            return PlainTextResponse(" ".join(errors), status_code=400)
        with sessions() as session:
            rows = review.csv_rows(session, **filters)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([_csv_safe(cell) for cell in row] for row in rows)
        query = filters_query(filters)
        record(staff["username"], "export", f"{len(rows) - 1} rijen; filters: {query or 'geen'}", staff["telegram"])
        log.info("review export by %r: %d rows", staff["username"], len(rows) - 1)
        name = f"overdrachten-{datetime.now(review.ZONE).date().isoformat()}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # -- errors --------------------------------------------------------------------------
    def http_error(request: Request, exc: Exception) -> Response:
        code = getattr(exc, "status_code", 500)
        messages = {404: "Deze pagina bestaat niet.", 405: "Dat kan op deze pagina niet."}
        message = messages.get(code, "Er ging iets mis.")
        if request.url.path.endswith(".csv"):
            return PlainTextResponse(message, status_code=code)
        staff = logged_in(request) if "session" in request.scope else None
        return page(request, "error.html", staff, status_code=code, message=message)

    def server_error(request: Request, exc: Exception) -> Response:
        log.exception("review page error", exc_info=exc)
        return PlainTextResponse("Er ging iets mis. Probeer het later nog een keer.", status_code=500)

    routes = [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", escalation_list, methods=["GET"]),
        Route("/overdrachten/{id:int}", escalation, methods=["GET"]),
        Route("/statistieken", statistics, methods=["GET"]),
        Route("/export.csv", export, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=session_key,
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_MAX_AGE,
            same_site="strict",
            https_only=False,
        ),
    ]
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error, 500: server_error}
    )
