"""The staff page (Starlette): `create_app()` wires the parts together.

- `auth.py`: log in and out; `web.py`: the shared state and the
  `staff_only` guard every page but /login uses;
- `pages.py`: the inbox and escalation list, one escalation, statistics,
  CSV export; `workspace.py`: answering from the page (claim, reply, note,
  close, reopen, mark misunderstood), the live updates, handover cards;
- `directory.py`: the doors of the directory;
- `security.py`: strict headers and the login throttle;
- `charts.py`, `formatting.py`, `filters.py`: what the pages show.

Sessions are signed cookies (SessionMiddleware) with a key derived from the
Wegwijzer secret; forms carry a CSRF token. Logins (also failed ones) and
exports go to the audit log with actor 'web:<username>'.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from review import auth, directory, metrics, pages, workspace
from review.security import SecurityHeaders
from review.web import HERE, Web, web_of
from wegwijzer.db.session import database_url as default_database_url
from wegwijzer.db.session import session_factory
from wegwijzer.settings import settings
from wegwijzer.texts import staff as staff_text

log = logging.getLogger(__name__)

SESSION_COOKIE = "wegwijzer_review"
SESSION_MAX_AGE = 10 * 60 * 60  # a working day; then log in again
ERRORS = {404: "error_not_found", 405: "error_not_allowed"}


def http_error(request: Request, exc: Exception) -> Response:
    code = getattr(exc, "status_code", 500)
    message = staff_text(ERRORS.get(code, "error_other"))
    if request.url.path.endswith(".csv"):
        return PlainTextResponse(message, status_code=code)
    web = web_of(request)
    staff = web.logged_in(request) if "session" in request.scope else None
    return web.page(request, "error.html", staff, status_code=code, message=message)


def server_error(request: Request, exc: Exception) -> Response:
    log.exception("review page error", exc_info=exc)
    return PlainTextResponse(staff_text("error_server"), status_code=500)


def create_app(database_url: str | None = None, secret: bytes | None = None) -> Starlette:
    if secret is None:
        from wegwijzer.privacy import load_secret

        secret = load_secret()
    # A key of its own for the cookies, derived from the Wegwijzer secret.
    session_key = hmac.new(secret, b"wegwijzer-review-session", hashlib.sha256).hexdigest()
    routes = [
        *auth.routes,
        *pages.routes,
        *workspace.routes,
        *directory.routes,
        *metrics.routes,
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
            # Behind HTTPS (WEGWIJZER_PUBLIC_URL https://...) the cookie is Secure.
            https_only=settings().public_url.startswith("https://"),
        ),
    ]
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error, 500: server_error}
    )
    url = database_url or default_database_url()
    app.state.web = Web(session_factory(url), secret, url)
    return app
