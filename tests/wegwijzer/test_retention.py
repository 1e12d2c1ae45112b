"""The purge: transcripts and user rows go after the retention period, the
statistics still count the escalations, and a closed escalation's raw chat
id goes once the relay no longer needs it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.cli import ensure_database, main
from wegwijzer.clock import now_utc
from wegwijzer.conversations import events
from wegwijzer.db.models import ButtonPayload, ChatUser, Escalation, EscalationMessage, FollowUp, StaffNote
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import FORGOTTEN, Escalations
from wegwijzer.follow_ups import FollowUps
from wegwijzer.retention import purge
from wegwijzer.review.statistics import statistics
from wegwijzer.settings import settings
from wegwijzer.texts import staff as staff_text
from wegwijzer.users import UserStore


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'retention.db'}"
    ensure_database(url)
    return url


@pytest.fixture
def sessions(url: str) -> sessionmaker[Session]:
    return session_factory(url)


def escalate(sessions: sessionmaker[Session], pseudonym: str) -> int:
    escalations = Escalations(sessions)
    view = escalations.create(
        pseudonym=pseudonym,
        channel="tg",
        user_chat_id=6007,
        reason="request_human",
        priority="normal",
        role="helper",
        topic="topic_digid",
        topics=["topic_digid"],
        gemeente_code="GM0106",
        gemeente="Assen",
        place="Assen",
        summary="DigiD kwijt, [naam] uit Assen",
        advised="IDO Assen",
    )
    escalations.add_message(view.id, "user", "mijn buurvrouw [naam] is haar digid kwijt", origin="tg")
    escalations.note(view.id, None, "Anna", "belt morgen")
    return view.id


def age(sessions: sessionmaker[Session], escalation_id: int, days: float) -> None:
    with sessions.begin() as session:
        session.execute(
            update(Escalation)
            .where(Escalation.id == escalation_id)
            .values(created_at=now_utc() - timedelta(days=days + 1), closed_at=now_utc() - timedelta(days=days))
        )


def seen(sessions: sessionmaker[Session], pseudonym: str, days_ago: float) -> None:
    users = UserStore(sessions)
    users.update(pseudonym, role="professional")
    users.button_ids(pseudonym, [("Ja", "/stop ja")])
    with sessions.begin() as session:
        session.execute(
            update(ChatUser)
            .where(ChatUser.pseudonym == pseudonym)
            .values(last_seen=now_utc() - timedelta(days=days_ago))
        )


def test_a_closed_escalation_loses_its_content_after_the_period_and_is_still_counted(
    sessions: sessionmaker[Session],
) -> None:
    old, recent, still_open = escalate(sessions, "old"), escalate(sessions, "recent"), escalate(sessions, "open")
    escalations = Escalations(sessions)
    for escalation_id in (old, recent):
        escalations.close(escalation_id, "solved")
    age(sessions, old, 31)
    age(sessions, recent, 5)
    for pseudonym in ("old", "recent", "open"):
        seen(sessions, pseudonym, 40)
    with sessions() as session:
        before = statistics(session)

    result = purge(sessions, days=30)

    assert result.escalations == 1 and result.messages == 1 and result.notes == 1
    assert "old" in result.pseudonyms and "recent" not in result.pseudonyms
    assert "old" not in result.line() and "6007" not in result.line()
    with sessions() as session:
        row = session.get(Escalation, old)
        assert row is not None
        assert (row.pseudonym, row.user_chat_id, row.advised) == (FORGOTTEN, 0, None)
        assert row.summary == staff_text("purged_summary")
        assert (row.topic, row.gemeente, row.close_outcome) == ("topic_digid", "Assen", "solved")
        assert not session.scalars(select(EscalationMessage).where(EscalationMessage.escalation_id == old)).all()
        assert not session.scalars(select(StaffNote).where(StaffNote.escalation_id == old)).all()
        # The recent and the open one keep everything; the recent one's chat id went (closed > a day ago).
        assert session.scalars(select(EscalationMessage).where(EscalationMessage.escalation_id == recent)).all()
        chat_ids = dict(session.execute(select(Escalation.id, Escalation.user_chat_id)).tuples().all())
        assert (chat_ids[recent], chat_ids[still_open]) == (0, 6007)
        # The user whose escalations are all purged goes; the others stay (their escalations need them).
        assert session.get(ChatUser, "old") is None
        assert not session.scalars(select(ButtonPayload).where(ButtonPayload.pseudonym == "old")).all()
        assert session.get(ChatUser, "recent") is not None and session.get(ChatUser, "open") is not None
        after = statistics(session)
    assert after.total == before.total == 3
    assert escalations.reopen(recent) is False  # the user can no longer be reached
    # A second run finds nothing more.
    assert purge(sessions, days=30).escalations == 0


def test_a_user_without_escalation_goes_after_the_last_message(sessions: sessionmaker[Session]) -> None:
    seen(sessions, "quiet", 31)
    seen(sessions, "active", 2)
    follow_ups = FollowUps(sessions)
    seen(sessions, "waiting", 31)
    follow_ups.request(
        pseudonym="waiting", channel="tg", user_chat_id=5, door={"name": "IDO Assen"}, topic=None, days=7
    )
    result = purge(sessions, days=30)
    assert result.users == 1
    with sessions() as session:
        assert session.get(ChatUser, "quiet") is None
        assert session.get(ChatUser, "active") is not None
        assert session.get(ChatUser, "waiting") is not None  # a follow-up still to ask needs the chat


def test_answered_follow_ups_keep_their_counts_without_the_user(sessions: sessionmaker[Session]) -> None:
    follow_ups = FollowUps(sessions)
    follow_up = follow_ups.request(
        pseudonym="helper", channel="tg", user_chat_id=5, door={"name": "IDO Assen"}, topic="topic_digid", days=7
    )
    with sessions.begin() as session:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id == follow_up)
            .values(status="completed", answer="ja", answered_at=now_utc() - timedelta(days=31), user_chat_id=None)
        )
    assert purge(sessions, days=30).follow_ups == 1
    with sessions() as session:
        row = session.get(FollowUp, follow_up)
        assert row is not None and (row.pseudonym, row.status, row.door_name) == (FORGOTTEN, "completed", "IDO Assen")


def rasa_events(sessions: sessionmaker[Session], **senders: list[float]) -> None:
    """Rows in Rasa's tracker table (as Rasa's SQL tracker store writes
    them), each sender with events this many days ago."""
    with sessions.begin() as session:
        events.metadata.create_all(session.connection())
        for sender, days in senders.items():
            for days_ago in days:
                moment = (now_utc() - timedelta(days=days_ago)).timestamp()
                session.execute(insert(events).values(sender_id=sender, timestamp=moment))


def conversation_rows(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        rows = session.execute(select(events.c.sender_id, func.count()).group_by(events.c.sender_id))
        return dict(rows.tuples().all())


def test_rasa_conversations_go_whole_when_idle_and_with_their_purged_user(sessions: sessionmaker[Session]) -> None:
    seen(sessions, "quiet", 31)  # purged: their conversation goes with them
    rasa_events(sessions, old=[40, 35], mixed=[40, 1], quiet=[3], active=[0.1])
    result = purge(sessions, days=30)
    assert result.conversations == 1  # "old"; "quiet" goes as a purged user
    assert conversation_rows(sessions) == {"mixed": 2, "active": 1}  # a live conversation keeps its old events
    assert "old" not in result.line()  # counts only, no pseudonyms


def test_purge_without_a_rasa_table_still_works(sessions: sessionmaker[Session]) -> None:
    seen(sessions, "quiet", 31)
    assert purge(sessions, days=30).conversations == 0


def test_stop_deletes_the_users_rasa_conversation(sessions: sessionmaker[Session]) -> None:
    rasa_events(sessions, leaving=[0.1, 0], staying=[0])
    UserStore(sessions).forget("leaving")
    assert conversation_rows(sessions) == {"staying": 1}


def test_purge_from_the_command_line_prints_counts(
    url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("WEGWIJZER_RETENTION_DAYS", raising=False)
    settings.cache_clear()  # the settings of this test's environment, not an earlier test's
    seen(sessions, "quiet", 31)
    try:
        assert main(["purge", "--json"]) == 0
    finally:
        settings.cache_clear()
    counts = json.loads(capsys.readouterr().out)
    assert counts["days"] == 30 and counts["users"] == 1 and counts["buttons"] == 1
    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "1")
    settings.cache_clear()
    seen(sessions, "two_days", 2)
    try:
        assert main(["purge"]) == 0
    finally:
        settings.cache_clear()
    out = capsys.readouterr().out
    assert "users: 1" in out and "two_days" not in out
