"""The delivery of the outbox, with recording front-end sides: what the
user and the forum topic get, in order, and nothing lost when a side fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Delivery, for_user
from bot.rendering import Reply
from wegwijzer.cli import ensure_database
from wegwijzer.db.session import session_factory
from wegwijzer.escalations import Escalations, EscalationView, OutboxMessage
from wegwijzer.texts import say
from wegwijzer.workspace import Actor, Origin, Workspace


class Users:
    """The user's chat, recorded; `down` makes it refuse for a while."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.down = False

    async def send(self, escalation: EscalationView, replies: list[Reply], file_id: str | None = None) -> bool:
        if self.down:
            return False
        self.got += [r.text for r in replies]
        return True


class Topics:
    def __init__(self, escalations: Escalations) -> None:
        self.escalations = escalations
        self.opened: list[int] = []
        self.posted: list[tuple[str, str]] = []

    async def open_topic(self, escalation: EscalationView) -> bool:
        self.opened.append(escalation.id)
        self.escalations.set_thread(escalation.id, escalation.staff_chat_id or 0, 1000 + escalation.id)
        return True

    async def post(self, escalation: EscalationView, message: OutboxMessage) -> bool:
        self.posted.append((message.kind, message.text))
        return True


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'delivery.db'}"
    ensure_database(url)
    return session_factory(url)


def escalation(
    sessions: sessionmaker[Session], pseudonym: str = "p1", staff_chat_id: int | None = -100
) -> EscalationView:
    return Escalations(sessions).create(
        pseudonym=pseudonym,
        channel="tg",
        user_chat_id=42,
        reason="request_human",
        priority="normal",
        role="helper",
        topic=None,
        topics=[],
        gemeente_code=None,
        gemeente=None,
        place=None,
        summary="",
        advised=None,
        staff_chat_id=staff_chat_id,
    )


async def test_both_sides_get_what_is_theirs_in_order(sessions: sessionmaker[Session]) -> None:
    escalations = Escalations(sessions)
    users, topics = Users(), Topics(escalations)
    delivery = Delivery(escalations, "tg", users, topics)
    view = escalation(sessions)
    escalations.add_message(view.id, "user", "hallo?", origin="tg", to_topic=True)
    web = Actor("Anna", Origin.WEB, username="anna")
    Workspace(sessions).reply(view, web, "Goedemiddag")
    assert await delivery.deliver(staff_chat_id=-100) == 5
    assert topics.opened == [view.id]  # the topic opened before anything was posted in it
    assert topics.posted == [("text", "hallo?"), ("event", "claimed"), ("text", "Goedemiddag")]
    assert users.got == [say("handoff_joined"), say("handoff_staff_says", text="Goedemiddag")]
    assert escalations.pending("tg", with_topics=True) == []
    assert await delivery.deliver(staff_chat_id=-100) == 0  # nothing twice


async def test_a_refusing_side_loses_nothing(sessions: sessionmaker[Session]) -> None:
    escalations = Escalations(sessions)
    users = Users()
    delivery = Delivery(escalations, "tg", users, topics=None)
    view = escalation(sessions)
    workspace = Workspace(sessions)
    users.down = True
    workspace.reply(view, Actor("Anna", Origin.WEB, username="anna"), "Bent u er nog?")
    await delivery.deliver(staff_chat_id=-100)
    assert users.got == []
    users.down = False
    await delivery.deliver(staff_chat_id=-100)
    assert users.got == [say("handoff_joined"), say("handoff_staff_says", text="Bent u er nog?")]


async def test_closing_asks_the_outcome_and_an_erased_user_gets_nothing(sessions: sessionmaker[Session]) -> None:
    escalations = Escalations(sessions)
    workspace = Workspace(sessions)
    view = escalation(sessions)
    web = Actor("Anna", Origin.WEB, username="anna")
    workspace.close(view, web)
    [closed] = escalations.pending("tg", with_topics=False)
    replies = for_user(closed)
    assert [r.text for r in replies] == [say("handoff_closed"), say("outcome_question")]
    assert [b.payload for b in replies[1].buttons] == ["/uitkomst solved", "/uitkomst not_solved"]

    other = escalation(sessions, pseudonym="weg")
    workspace.reply(other, web, "Hallo")
    escalations.forget_user("weg")
    users = Users()
    await Delivery(escalations, "tg", users, topics=None).deliver(staff_chat_id=-100)
    assert say("handoff_staff_says", text="Hallo") not in users.got


async def test_each_front_end_delivers_only_the_escalations_of_its_own_staff_group(
    sessions: sessionmaker[Session],
) -> None:
    """Two bots on one database, one with a staff group: neither delivers
    the other's messages (a bot cannot write to another bot's users)."""
    escalations = Escalations(sessions)
    ours, theirs = escalation(sessions, "a", staff_chat_id=-100), escalation(sessions, "b", staff_chat_id=None)
    mine = escalations.add_message(ours.id, "staff", "hallo", to_user=True)
    other = escalations.add_message(theirs.id, "staff", "hoi", to_user=True)
    assert [m.id for m in escalations.pending("tg", with_topics=False, staff_chat_id=-100)] == [mine]
    assert [m.id for m in escalations.pending("tg", with_topics=False, staff_chat_id=None)] == [other]
    assert len(escalations.pending("tg", with_topics=False)) == 2
    users = Users()
    assert await Delivery(escalations, "tg", users, None).deliver(staff_chat_id=None) == 1
    assert users.got == [say("handoff_staff_says", text="hoi")]
