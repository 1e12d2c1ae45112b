"""Staff actions from either place (forum topic or staff page) and what they
put in the outbox; the contact person; corrections and their Rasa export;
follow-ups as FHIR-Task-like states and their counts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.cli import ensure_database
from wegwijzer.clock import now_utc
from wegwijzer.db.models import Correction, Escalation, EscalationMessage, FollowUp, StaffAction
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import Escalations, EscalationView
from wegwijzer.follow_ups import FollowUps, outcomes_by
from wegwijzer.staff import create_staff
from wegwijzer.training_export import export_rasa_nlu
from wegwijzer.vocabulary import Closing, FollowUpStatus
from wegwijzer.workspace import Actor, Origin, Workspace


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    ensure_database(url)
    return session_factory(url)


def new_escalation(
    sessions: sessionmaker[Session], pseudonym: str = "p1", staff_chat_id: int | None = -100, contact=None
) -> EscalationView:
    return Escalations(sessions).create(
        pseudonym=pseudonym,
        channel="tg",
        user_chat_id=42,
        reason="request_human",
        priority="normal",
        role="helper",
        topic="topic_digid",
        topics=["topic_digid"],
        gemeente_code="GM0106",
        gemeente="Assen",
        place="Assen",
        summary="Onderwerp: DigiD",
        advised=None,
        staff_chat_id=staff_chat_id,
        contact=contact,
    )


def outbox(sessions: sessionmaker[Session], escalation_id: int) -> list[tuple[str, str, str, bool, bool]]:
    with sessions() as session:
        rows = session.execute(
            select(EscalationMessage)
            .where(EscalationMessage.escalation_id == escalation_id)
            .order_by(EscalationMessage.id)
        ).scalars()
        return [(m.sender, m.kind, m.text, m.to_user, m.to_topic) for m in rows]


def anna(sessions: sessionmaker[Session]) -> Actor:
    with sessions.begin() as session:
        member = create_staff(session, "anna", "Anna", "een-lang-wachtwoord")
        return Actor("Anna", Origin.WEB, staff_id=member.id, username="anna")


def test_a_reply_on_the_page_goes_to_the_user_and_to_the_topic(sessions: sessionmaker[Session]) -> None:
    workspace = Workspace(sessions)
    escalation = new_escalation(sessions)
    web = anna(sessions)
    assert workspace.reply(escalation, web, "Goedemiddag!") is not None
    # The first reply claims it: the user hears a person joined; the topic hears both.
    assert outbox(sessions, escalation.id) == [
        ("bot", "event", "claimed", True, True),
        ("staff", "text", "Goedemiddag!", True, True),
    ]
    current = workspace.escalations.get(escalation.id)
    assert current is not None and current.claimed_by_name == "Anna" and current.claimed_by_staff == web.staff_id
    # A reply in the topic is not posted in the topic again.
    topic = Actor("Bram", Origin.TOPIC, telegram_id=9001)
    workspace.reply(current, topic, "Ik kijk mee.")
    assert outbox(sessions, escalation.id)[-1] == ("staff", "text", "Ik kijk mee.", True, False)
    # A note from the page goes to the topic only; a note in the topic nowhere.
    workspace.note(current, web, "belt dinsdag terug")
    workspace.note(current, topic, "ok")
    assert outbox(sessions, escalation.id)[-1] == ("staff", "note", "belt dinsdag terug", False, True)
    assert workspace.reply(current, web, "   ") is None
    # Closing with an outcome; then nothing more can be sent.
    assert workspace.close(current, web, Closing.REFERRED)
    assert outbox(sessions, escalation.id)[-1] == ("bot", "event", "closed", True, True)
    assert workspace.reply(current, web, "nog iets") is None
    assert not workspace.close(current, web, Closing.SOLVED)
    assert workspace.reopen(current, web)
    with sessions() as session:
        row = session.get(Escalation, escalation.id)
        assert row is not None and row.status == "claimed" and row.close_outcome is None
        actors = [(a.action, a.actor) for a in session.execute(select(StaffAction).order_by(StaffAction.id)).scalars()]
    assert ("reply", "web:anna") in actors and ("reply", "Bram") in actors and ("close", "web:anna") in actors


def test_without_a_staff_group_nothing_waits_for_a_topic(sessions: sessionmaker[Session]) -> None:
    escalation = new_escalation(sessions, staff_chat_id=None)
    Workspace(sessions).reply(escalation, anna(sessions), "Hallo")
    assert all(not to_topic for *_, to_topic in outbox(sessions, escalation.id))


def test_a_second_claim_is_refused(sessions: sessionmaker[Session]) -> None:
    workspace = Workspace(sessions)
    escalation = new_escalation(sessions)
    assert workspace.claim(escalation, anna(sessions))
    assert not workspace.claim(escalation, Actor("Bram", Origin.TOPIC, telegram_id=9001))
    with sessions() as session:
        assert [a.action for a in session.execute(select(StaffAction).order_by(StaffAction.id)).scalars()] == [
            "claim",
            "claim_again",
        ]


def test_the_contact_person_is_who_helped_before(sessions: sessionmaker[Session]) -> None:
    escalations = Escalations(sessions)
    workspace = Workspace(sessions)
    first = new_escalation(sessions, pseudonym="terugkomer")
    web = anna(sessions)
    workspace.reply(first, web, "Ik help u.")
    workspace.close(first, web, Closing.SOLVED)
    contact = escalations.previous_contact("terugkomer", within_days=30)
    assert contact is not None and contact.name == "Anna" and contact.staff_id == web.staff_id
    assert escalations.previous_contact("iemand-anders", within_days=30) is None
    second = new_escalation(sessions, pseudonym="terugkomer", contact=contact)
    assert second.contact_name == "Anna" and second.contact_staff == web.staff_id
    # Longer ago than the retention period: no contact person.
    with sessions.begin() as session:
        session.execute(update(Escalation).values(created_at=now_utc() - timedelta(days=40)))
    assert escalations.previous_contact("terugkomer", within_days=30) is None


def test_corrections_become_rasa_nlu_for_review(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    escalations = Escalations(sessions)
    workspace = Workspace(sessions)
    escalation = new_escalation(sessions)
    escalations.add_earlier(escalation.id, [("mijn moeder snapt de brief van het cak niet", "topic_brief")])
    safe = escalations.add_message(escalation.id, "user", "kan ze de eigen bijdrage in termijnen betalen")
    bsn = escalations.add_message(escalation.id, "user", "haar bsn is [BSN], wat nu")  # as stored: redacted
    staff_line = escalations.add_message(escalation.id, "staff", "Ik kijk het na.")
    with sessions() as session:
        earlier = session.execute(select(EscalationMessage.id).where(EscalationMessage.kind == "earlier")).scalar_one()
    web = anna(sessions)
    assert workspace.mark_misunderstood(escalation, earlier, web, "topic_zorg")
    assert workspace.mark_misunderstood(escalation, safe, web, "topic_zorg")
    assert workspace.mark_misunderstood(escalation, bsn, web, "topic_zorg")
    assert not workspace.mark_misunderstood(
        escalation, staff_line, web, "topic_zorg"
    )  # staff words are not training data
    other = new_escalation(sessions, pseudonym="p2")
    assert not workspace.mark_misunderstood(other, safe, web, "topic_zorg")  # not that escalation's message
    with sessions() as session:
        understood = {c.text: c.understood for c in session.execute(select(Correction)).scalars()}
    assert understood["mijn moeder snapt de brief van het cak niet"] == "topic_brief"

    target = tmp_path / "nlu" / "correcties.yml"
    with sessions() as session:
        count = export_rasa_nlu(session, target)
    written = target.read_text(encoding="utf-8")
    assert count == 2
    assert "[BSN]" not in written and "bsn" not in written
    doc = yaml.safe_load(written)
    assert doc["version"] == "3.1"
    assert doc["nlu"] == [
        {
            "intent": "topic_zorg",
            "examples": (
                "- mijn moeder snapt de brief van het cak niet\n- kan ze de eigen bijdrage in termijnen betalen\n"
            ),
        }
    ]
    # /stop: the user's words leave the corrections too.
    escalations.forget_user("p1")
    with sessions() as session:
        assert session.execute(select(Correction)).scalars().all() == []


DOOR = {"door_id": None, "name": "Bibliotheek Assen", "kind": "ido", "gemeente_code": "GM0106", "gemeente": "Assen"}


def test_follow_ups_move_through_the_task_states(sessions: sessionmaker[Session]) -> None:
    follow_ups = FollowUps(sessions)
    first = follow_ups.request(
        pseudonym="helper1", channel="tg", user_chat_id=7, door=DOOR, topic="topic_digid", days=7
    )
    assert follow_ups.due("tg") == []  # not yet
    later = now_utc() + timedelta(days=7, minutes=1)
    due = follow_ups.due("tg", now=later)
    assert [(d.id, d.door_name, d.user_chat_id) for d in due] == [(first, "Bibliotheek Assen", 7)]
    assert follow_ups.answer(first, "helper1", "ja") is None  # not asked yet
    follow_ups.asked(first)
    assert follow_ups.due("tg", now=later) == []
    assert follow_ups.answer(first, "iemand-anders", "ja") is None  # not theirs
    assert follow_ups.answer(first, "helper1", "misschien") is None
    assert follow_ups.answer(first, "helper1", "nee") == FollowUpStatus.FAILED
    assert follow_ups.answer(first, "helper1", "ja") is None  # answered already

    # A newer referral replaces one not asked yet; /stop cancels what is open.
    second = follow_ups.request(
        pseudonym="helper2", channel="tg", user_chat_id=8, door=DOOR, topic="topic_zorg", days=7
    )
    third = follow_ups.request(pseudonym="helper2", channel="tg", user_chat_id=8, door=DOOR, topic="topic_zorg", days=7)
    follow_ups.forget_user("helper2")
    with sessions() as session:
        rows = {r.id: r for r in session.execute(select(FollowUp)).scalars()}
    assert rows[first].status == "failed" and rows[first].answer == "nee" and rows[first].user_chat_id is None
    assert rows[second].status == rows[third].status == "cancelled"
    assert rows[third].user_chat_id is None and rows[third].pseudonym == "vergeten"

    with sessions() as session:
        by_kind = outcomes_by(session, "door_kind")
        by_topic = {r.key: r.counts for r in outcomes_by(session, "topic")}
    assert [(r.key, r.counts, r.completed_share) for r in by_kind] == [("ido", {"failed": 1, "cancelled": 2}, 0.0)]
    assert by_topic == {"topic_digid": {"failed": 1}, "topic_zorg": {"cancelled": 2}}
