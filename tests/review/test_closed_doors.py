"""Closed doors of the staff page: a session ends on the server at logout,
cookies are Secure behind HTTPS, the login throttle cannot be reset with
X-Forwarded-For or used by an outsider to lock a staff member out, and staff
pages show no raw Telegram ids. Starlette's TestClient on the real app and a
real SQLite database; the uvicorn part through the real `python -m review`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from review.app import create_app
from review.security import MAX_ADDRESS_FAILURES, MAX_FAILURES
from tests.review.seed import PASSWORD, USERNAME, Seeded
from tests.review.test_review_app import csrf_of, log_in
from wegwijzer.db.session import session_factory
from wegwijzer.ports import free_port
from wegwijzer.settings import reload_settings
from wegwijzer.staff import StaffDirectory

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def url(review_db: tuple[str, Seeded]) -> str:
    return review_db[0]


@pytest.fixture
def app(url: str):
    return create_app(url, secret=b"test")


def test_an_old_cookie_no_longer_works_after_logout(app) -> None:
    with TestClient(app, follow_redirects=False) as browser:
        assert log_in(browser).status_code == 303
        cookie = dict(browser.cookies)
        page = browser.get("/")
        assert page.status_code == 200
        assert browser.post("/logout", data={"csrf": csrf_of(page.text)}).status_code == 303
    with TestClient(app, follow_redirects=False, cookies=cookie) as thief:
        assert thief.get("/").status_code == 303  # to the login page
        assert thief.get("/", follow_redirects=True).url.path == "/login"


def test_a_restart_ends_every_session(url: str) -> None:
    with TestClient(create_app(url, secret=b"test"), follow_redirects=False) as browser:
        assert log_in(browser).status_code == 303
        cookie = dict(browser.cookies)
    with TestClient(create_app(url, secret=b"test"), follow_redirects=False, cookies=cookie) as later:
        assert later.get("/").status_code == 303


def test_cookies_are_secure_behind_https(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_PUBLIC_URL", "https://wegwijzer.example")
    reload_settings()
    try:
        with TestClient(create_app(url, secret=b"test"), base_url="https://testserver", follow_redirects=False) as c:
            response = log_in(c)
            assert response.status_code == 303
            cookie = response.headers["set-cookie"].lower()
            assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    finally:
        monkeypatch.delenv("WEGWIJZER_PUBLIC_URL")
        reload_settings()
    with TestClient(create_app(url, secret=b"test"), follow_redirects=False) as plain:
        assert "secure" not in log_in(plain).headers["set-cookie"].lower()


def test_an_outsider_cannot_lock_a_staff_member_out(app) -> None:
    outsider = TestClient(app, follow_redirects=False, client=("203.0.113.9", 50000))
    for _ in range(MAX_FAILURES + 3):
        log_in(outsider, USERNAME, "geraden-wachtwoord")
    assert log_in(outsider, USERNAME, PASSWORD).status_code == 429  # the outsider is blocked
    staff = TestClient(app, follow_redirects=False, client=("198.51.100.7", 50000))
    assert log_in(staff, USERNAME, PASSWORD).status_code == 303  # the staff member is not


def test_many_usernames_from_one_address_are_blocked(app) -> None:
    guesser = TestClient(app, follow_redirects=False, client=("203.0.113.10", 50000))
    for n in range(MAX_ADDRESS_FAILURES):
        log_in(guesser, f"naam{n}", "fout")
    assert log_in(guesser, USERNAME, PASSWORD).status_code == 429


@pytest.fixture
def review_server(url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "REVIEW_PORT": str(port), "WEGWIJZER_SECRET": "test"}
    env.pop("REVIEW_TRUSTED_PROXIES", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "review"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def test_x_forwarded_for_does_not_reset_the_throttle(review_server: str) -> None:
    """Through the real server (uvicorn): without a trusted proxy, a made-up
    X-Forwarded-For is not taken as the client's address."""
    with httpx.Client(base_url=review_server) as browser:
        for n in range(MAX_FAILURES):
            form = browser.get("/login")
            browser.post(
                "/login",
                data={"gebruikersnaam": USERNAME, "wachtwoord": "fout", "csrf": csrf_of(form.text)},
                headers={"X-Forwarded-For": f"192.0.2.{n + 1}"},
            )
        form = browser.get("/login")
        blocked = browser.post(
            "/login",
            data={"gebruikersnaam": USERNAME, "wachtwoord": PASSWORD, "csrf": csrf_of(form.text)},
            headers={"X-Forwarded-For": "192.0.2.200"},
        )
        assert blocked.status_code == 429


def test_staff_known_only_by_telegram_id_are_named_without_it(url: str) -> None:
    directory = StaffDirectory(session_factory(url), frozenset({6007, 9001}))
    found = directory.member(6007)
    assert found is not None
    name, _ = found
    assert "6007" not in name and "telegram:" not in name
    assert name != directory.name_of(9001)  # still told apart
