"""The review page through Starlette's TestClient: the real application, a
real SQLite database seeded through the domain service, no mocks."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

with warnings.catch_warnings():  # Starlette 1.x would like httpx2; httpx works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from review.app import create_app
from review.security import MAX_FAILURES
from tests.review.seed import (
    BSN,
    CHAT_ID_BASE,
    PASSWORD,
    PLAN,
    PSEUDONYM_PREFIX,
    STAFF_NAME,
    STAFF_TELEGRAM_ID,
    SUMMARY_MARK,
    USERNAME,
    Seeded,
)
from wegwijzer import review
from wegwijzer.db.models import StaffAction
from wegwijzer.db.session import session_scope
from wegwijzer.staff import create_staff, set_password

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

PROTECTED = ["/", "/?status=closed", "/overdrachten/1", "/statistieken", "/statistieken?van=2026-11-01"]
CSV_HEADER = "id,created,status,priority,reason,topic,gemeente,claimed_by,minutes_to_first_reply,outcome"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def log_in(client: TestClient, username: str = USERNAME, password: str = PASSWORD, next_: str = "/"):
    form = client.get("/login")
    assert form.status_code == 200
    return client.post(
        "/login", data={"gebruikersnaam": username, "wachtwoord": password, "csrf": csrf_of(form.text), "next": next_}
    )


def listed_ids(html: str) -> set[int]:
    """The escalations in the (filtered) list, not in the inbox above it."""
    table = html.split('id="live-lijst"', 1)[1]
    return {int(n) for n in re.findall(r'href="/overdrachten/(\d+)"', table)}


def inbox_ids(html: str) -> list[int]:
    """The inbox's escalations, in their order."""
    inbox = html.split('id="live-postvak"', 1)[1].split('id="live-lijst"', 1)[0]
    return [int(n) for n in re.findall(r'href="/overdrachten/(\d+)"', inbox)]


def actions(url: str, action: str) -> list[tuple[str, str | None, int | None]]:
    with session_scope(url) as session:
        rows = session.execute(select(StaffAction).where(StaffAction.action == action).order_by(StaffAction.id))
        return [(a.actor, a.detail, a.staff_user_id) for a in rows.scalars()]


@pytest.fixture(scope="module")
def url(review_db: tuple[str, Seeded]) -> str:
    return review_db[0]


@pytest.fixture(scope="module")
def ids(review_db: tuple[str, Seeded]) -> dict[str, int]:
    return review_db[1].ids


@pytest.fixture(scope="module")
def app(url: str):
    return create_app(url, secret=b"test")


@pytest.fixture
def anonymous(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        assert log_in(client).status_code == 303
        yield client


# -- access ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PROTECTED)
def test_pages_without_login_redirect_to_login(anonymous: TestClient, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_export_without_login_is_401(anonymous: TestClient) -> None:
    response = anonymous.get("/export.csv")
    assert response.status_code == 401
    assert "id," not in response.text


def test_login_page_and_stylesheet_need_no_login(anonymous: TestClient) -> None:
    page = anonymous.get("/login")
    assert page.status_code == 200
    assert "Inloggen" in page.text and 'type="password"' in page.text
    css = anonymous.get("/static/style.css")
    assert css.status_code == 200 and "@media" in css.text


def test_cookie_and_security_headers(anonymous: TestClient) -> None:
    page = anonymous.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_session_signed_with_another_key_is_refused(url: str, anonymous: TestClient) -> None:
    with TestClient(create_app(url, secret=b"another key"), follow_redirects=False) as elsewhere:
        assert log_in(elsewhere).status_code == 303
        assert elsewhere.get("/").status_code == 200
        cookie = elsewhere.cookies.get("wegwijzer_review")
    assert cookie
    anonymous.cookies.set("wegwijzer_review", cookie)
    assert anonymous.get("/").status_code == 303


def test_wrong_password_is_refused(anonymous: TestClient, url: str) -> None:
    before = len(actions(url, "login"))
    response = log_in(anonymous, USERNAME, "niet-het-goede-wachtwoord")
    assert response.status_code == 401
    assert "klopt niet" in response.text
    assert anonymous.get("/").status_code == 303
    unknown = log_in(anonymous, "onbekend", PASSWORD)
    assert unknown.status_code == 401
    assert anonymous.get("/").status_code == 303
    logged = actions(url, "login")[before:]
    assert logged == [(f"web:{USERNAME}", "mislukt", None), ("web:onbekend", "mislukt", None)]


def test_login_without_form_token_is_refused(anonymous: TestClient) -> None:
    anonymous.get("/login")
    response = anonymous.post("/login", data={"gebruikersnaam": USERNAME, "wachtwoord": PASSWORD})
    assert response.status_code == 400
    assert anonymous.get("/").status_code == 303


def test_login_works_and_is_logged(anonymous: TestClient, url: str) -> None:
    before = len(actions(url, "login"))
    response = log_in(anonymous, next_="/statistieken")
    assert response.status_code == 303
    assert response.headers["location"] == "/statistieken"
    page = anonymous.get("/")
    assert page.status_code == 200
    assert "Overdrachten" in page.text and STAFF_NAME in page.text
    assert actions(url, "login")[before:] == [(f"web:{USERNAME}", "gelukt", STAFF_TELEGRAM_ID)]
    # never the password, in no detail of any logged action
    with session_scope(url) as session:
        details = session.execute(select(StaffAction.detail)).scalars().all()
    assert not any(PASSWORD in (d or "") for d in details)


def test_login_only_redirects_within_the_site(anonymous: TestClient) -> None:
    response = log_in(anonymous, next_="//evil.example/")
    assert response.headers["location"] == "/"


def test_logout(client: TestClient) -> None:
    page = client.get("/")
    response = client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_too_many_wrong_passwords_block_for_a_while(url: str) -> None:
    with TestClient(create_app(url, secret=b"test"), follow_redirects=False) as fresh:
        for _ in range(MAX_FAILURES):
            assert log_in(fresh, USERNAME, "fout-fout-fout").status_code == 401
        blocked = log_in(fresh, USERNAME, PASSWORD)
        assert blocked.status_code == 429
        assert fresh.get("/").status_code == 303


def test_changed_password_ends_old_sessions(app, url: str) -> None:
    with session_scope(url) as session:
        create_staff(session, "bram", "Bram", "eerste-wachtwoord-123")
    with TestClient(app, follow_redirects=False) as bram:
        assert log_in(bram, "bram", "eerste-wachtwoord-123").status_code == 303
        assert bram.get("/").status_code == 200
        with session_scope(url) as session:
            set_password(session, "bram", "tweede-wachtwoord-456")
        assert bram.get("/").status_code == 303


# -- the list and its filters ------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"e1", "e2", "e3", "e4", "e5"}),
        ("status=closed", {"e1", "e2", "e3"}),
        ("status=open", {"e4", "e5"}),
        ("status=new", {"e5"}),
        ("onderwerp=topic_digid", {"e1", "e3"}),
        ("gemeente=Utrecht", {"e3", "e4"}),
        ("van=2026-11-23", {"e3", "e4", "e5"}),  # e3 is 23 Nov 00:30 Dutch time (22 Nov in UTC)
        ("tot=2026-11-22", {"e1", "e2"}),
        ("van=2026-11-18&tot=2026-11-24", {"e2", "e3", "e4"}),
        ("status=closed&gemeente=Groningen&onderwerp=topic_toeslagen", {"e2"}),
        ("gemeente=Amsterdam", set()),
    ],
)
def test_filters_narrow_the_list(client: TestClient, ids: dict[str, int], query: str, expected: set[str]) -> None:
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    assert listed_ids(page.text) == {ids[key] for key in expected}


def test_list_shows_the_columns(client: TestClient) -> None:
    page = client.get("/?onderwerp=topic_toeslagen").text
    for text in (
        "Toeslagen",
        "Groningen",
        "Gesloten",
        "Ingewikkelde vraag",
        STAFF_NAME,
        "30 min",
        "Niet opgelost",
        "18-11-2026 13:00",
    ):
        assert text in page


def test_bad_filter_values_are_explained_not_used(client: TestClient) -> None:
    page = client.get("/?status=kapot&van=31-02-2026")
    assert page.status_code == 200
    assert "Deze status bestaat niet." in page.text
    assert "De datum bij" in page.text
    assert len(listed_ids(page.text)) == 5


# -- detail ------------------------------------------------------------------------------------
def test_detail_shows_transcript_notes_outcome_and_timing(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get(f"/overdrachten/{ids['e1']}")
    assert page.status_code == 200
    text = page.text
    lines = [
        "Mijn buurvrouw is haar DigiD kwijt.",
        "Ik geef u door aan een medewerker.",
        "[foto]",
        "Haar bsn is [BSN]",
        "Ga samen naar het Informatiepunt in de bibliotheek.",
    ]
    positions = [text.index(line) for line in lines]
    assert positions == sorted(positions), "transcript out of order"
    assert SUMMARY_MARK in text
    assert "Doorverwezen naar IDO Groningen." in text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text and "<script>" not in text
    assert '<dd id="uitkomst">Opgelost</dd>' in text
    assert "(na 5 min)" in text and "(na 10 min)" in text and "(na 1 uur)" in text
    assert BSN not in text


def test_unknown_escalation_is_404(client: TestClient) -> None:
    response = client.get("/overdrachten/9999")
    assert response.status_code == 404
    assert "bestaat niet" in response.text


def test_no_pseudonym_chat_id_or_telegram_id_anywhere(client: TestClient, ids: dict[str, int]) -> None:
    pages = [client.get(path).text for path in ["/", "/statistieken", "/export.csv"]]
    pages += [client.get(f"/overdrachten/{i}").text for i in ids.values()]
    for html in pages:
        assert PSEUDONYM_PREFIX not in html
        for n in range(len(PLAN)):
            assert str(CHAT_ID_BASE + n) not in html
        assert str(STAFF_TELEGRAM_ID) not in html
        assert "AgACAgQAAxkBAAIBfoto" not in html  # the Telegram file id of the photo


# -- statistics --------------------------------------------------------------------------------
def test_statistics_numbers(url: str) -> None:
    with session_scope(url) as session:
        stats = review.statistics(session)
    assert stats.total == 5
    assert stats.weeks == ["2026-W47", "2026-W48"]
    assert stats.per_topic_week == {
        "DigiD": {"2026-W47": 1, "2026-W48": 1},
        "Onbekend onderwerp": {"2026-W47": 0, "2026-W48": 1},
        "Schulden": {"2026-W47": 0, "2026-W48": 1},
        "Toeslagen": {"2026-W47": 1, "2026-W48": 0},
    }
    assert stats.topics[0] == "DigiD"
    assert stats.per_week == {"2026-W47": 2, "2026-W48": 3}
    # minutes to first staff reply: e1 10, e2 30, e3 4, e4 20; e5 none
    assert stats.reply == review.ReplyTimes(count=4, median=15.0, p90=27.0)
    assert stats.reply_per_week == {
        "2026-W47": review.ReplyTimes(count=2, median=20.0, p90=28.0),
        "2026-W48": review.ReplyTimes(count=2, median=12.0, p90=18.4),
    }
    assert stats.not_answered == 1
    assert stats.outcomes == {"solved": 1, "not_solved": 1, "unknown": 3}
    assert stats.per_gemeente == [("Groningen", 2), ("Utrecht", 2), ("Onbekend", 1)]


def test_statistics_for_a_period(url: str) -> None:
    with session_scope(url) as session:
        stats = review.statistics(session, date(2026, 11, 23), date(2026, 11, 30))
    assert stats.total == 3
    assert stats.weeks == ["2026-W48"]
    assert stats.reply == review.ReplyTimes(count=2, median=12.0, p90=18.4)
    assert stats.outcomes == {"solved": 0, "not_solved": 0, "unknown": 3}
    assert stats.per_gemeente == [("Utrecht", 2), ("Onbekend", 1)]


def test_statistics_page(client: TestClient) -> None:
    page = client.get("/statistieken")
    assert page.status_code == 200
    text = page.text
    for key, value in {
        "totaal": "5",
        "mediaan": "15 min",
        "p90": "27 min",
        "geen-antwoord": "1",
        "opgelost": "1",
        "niet-opgelost": "1",
        "onbekend": "3",
    }.items():
        assert f'<dd id="stat-{key}">{value}</dd>' in text, key
    assert text.count("<svg") >= 4
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # the stacked bars: DigiD in both weeks, with the counts as tooltips
    assert "<title>week 47: DigiD: 1</title>" in text and "<title>week 48: DigiD: 1</title>" in text
    assert "<title>Opgelost: 1</title>" in text and "<title>Onbekend: 3</title>" in text
    assert "<title>Groningen: 2</title>" in text
    period = client.get("/statistieken?van=2026-11-23&tot=2026-11-30").text
    assert '<dd id="stat-totaal">3</dd>' in period
    assert '<dd id="stat-mediaan">12 min</dd>' in period


# -- export ----------------------------------------------------------------------------------------
def test_export_csv(client: TestClient, url: str, ids: dict[str, int]) -> None:
    before = len(actions(url, "export"))
    response = client.get("/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert ",".join(rows[0]) == CSV_HEADER
    assert rows[1:] == [
        [str(ids["e5"]), "2026-11-25T09:00:00+01:00", "new", "normal", "request_human", "", "", "", "", ""],
        [
            str(ids["e4"]),
            "2026-11-24T11:00:00+01:00",
            "claimed",
            "normal",
            "fallback",
            "Schulden",
            "Utrecht",
            STAFF_NAME,
            "20.0",
            "",
        ],
        [
            str(ids["e3"]),
            "2026-11-23T00:30:00+01:00",
            "closed",
            "urgent",
            "crisis",
            "DigiD",
            "Utrecht",
            STAFF_NAME,
            "4.0",
            "",
        ],
        [
            str(ids["e2"]),
            "2026-11-18T13:00:00+01:00",
            "closed",
            "normal",
            "complex",
            "Toeslagen",
            "Groningen",
            STAFF_NAME,
            "30.0",
            "not_solved",
        ],
        [
            str(ids["e1"]),
            "2026-11-17T10:00:00+01:00",
            "closed",
            "normal",
            "request_human",
            "DigiD",
            "Groningen",
            STAFF_NAME,
            "10.0",
            "solved",
        ],
    ]
    for personal in (PSEUDONYM_PREFIX, str(CHAT_ID_BASE), SUMMARY_MARK, "buurvrouw", "Doorverwezen"):
        assert personal not in response.text
    assert actions(url, "export")[before:] == [(f"web:{USERNAME}", "5 rijen; filters: geen", STAFF_TELEGRAM_ID)]


def test_export_follows_the_filters(client: TestClient, url: str, ids: dict[str, int]) -> None:
    response = client.get("/export.csv?status=closed&gemeente=Groningen")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert [row[0] for row in rows[1:]] == [str(ids["e2"]), str(ids["e1"])]
    assert actions(url, "export")[-1] == (
        f"web:{USERNAME}",
        "2 rijen; filters: status=closed&gemeente=Groningen",
        STAFF_TELEGRAM_ID,
    )
    assert (
        'href="/export.csv?status=closed&amp;gemeente=Groningen"'
        in client.get("/?status=closed&gemeente=Groningen").text
    )


def test_health_answers_without_a_login(anonymous: TestClient) -> None:
    answer = anonymous.get("/health")
    assert answer.status_code == 200 and answer.text == "ok"


def test_metrics_only_for_this_machine_or_with_the_token(app, monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(app, follow_redirects=False) as elsewhere:
        assert elsewhere.get("/metrics").status_code == 403
        monkeypatch.setenv("METRICS_TOKEN", "scrape-token-for-tests")
        assert elsewhere.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        with_token = elsewhere.get("/metrics", headers={"Authorization": "Bearer scrape-token-for-tests"})
    assert with_token.status_code == 200
    monkeypatch.delenv("METRICS_TOKEN")
    with TestClient(app, follow_redirects=False, client=("127.0.0.1", 50000)) as local:
        answer = local.get("/metrics")
    assert answer.status_code == 200
    counts = [line for line in answer.text.splitlines() if line.startswith("wegwijzer_escalations{")]
    assert counts and all('status="' in line and 'priority="' in line for line in counts)
    assert sum(float(line.rsplit(" ", 1)[1]) for line in counts) > 0  # the seeded escalations are counted
