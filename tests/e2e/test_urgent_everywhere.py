"""Urgent help comes first, whatever the conversation is doing.

One test per state, through the real bot process, the fake Telegram Bot
API and the real Rasa and action servers: an urgent message gets the crisis
numbers as the first answer (never "Die plaats ken ik niet: ..."), and while
a person helps, the escalation becomes urgent and staff are alerted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from tests.e2e.conftest import STAFF_MEMBER, Handoff, ask_for_a_person, user_texts
from wegwijzer.crisis import crisis_kind
from wegwijzer.db.models import Escalation, StaffAction
from wegwijzer.db.session import session_scope
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text

pytestmark = pytest.mark.stack

SUICIDE = "ik weet het niet meer, ik wil niet meer leven"
VIOLENCE = "hij slaat haar weer, ik hoor het door de muur"
FIRST_NUMBER = {SUICIDE: "113", VIOLENCE: "0800 2000"}


def settle(h: Handoff, user: int, text: str) -> None:
    mark = h.fake.mark()
    h.fake.send_text(user, text)
    h.fake.wait_quiet(user, mark, quiet=1.0)


def first_message(h: Handoff, user: int) -> None:
    pass


def place_question(h: Handoff, user: int) -> None:
    settle(h, user, "ik help mijn zus met haar digid")


def consent_question(h: Handoff, user: int) -> None:
    settle(h, user, "ik wil graag met een medewerker praten")


def after_a_clarification(h: Handoff, user: int) -> None:
    settle(h, user, "vraagje over iets")


def stop_confirmation(h: Handoff, user: int) -> None:
    settle(h, user, "/stop")


def waiting_for_staff(h: Handoff, user: int) -> None:
    ask_for_a_person(h, user)


def talking_with_staff(h: Handoff, user: int) -> None:
    _, thread = ask_for_a_person(h, user)
    mark = h.fake.mark()
    h.fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "Goedemiddag, waarmee kan ik helpen?")
    h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Goedemiddag")


STATES: dict[str, tuple[Callable[[Handoff, int], None], str]] = {
    "first message": (first_message, SUICIDE),
    "the place question": (place_question, SUICIDE),
    "the consent question": (consent_question, VIOLENCE),
    "after a clarification": (after_a_clarification, SUICIDE),
    "the /stop confirmation": (stop_confirmation, SUICIDE),
    "waiting for staff": (waiting_for_staff, SUICIDE),
    "talking with staff": (talking_with_staff, VIOLENCE),
}


@pytest.mark.parametrize("state", list(STATES))
def test_urgent_help_comes_first(handoff: Handoff, state: str) -> None:
    h, fake = handoff, handoff.fake
    user = h.bot.new_user()
    prepare, message = STATES[state]
    prepare(h, user)
    fake.wait_quiet(user, 0, quiet=1.0)  # every answer to the preparation has arrived
    with session_scope() as session:
        open_before = session.execute(
            select(Escalation).where(
                Escalation.pseudonym == h.bot.sender(user), Escalation.status.in_(("new", "claimed"))
            )
        ).scalar()
    mark = fake.mark()
    fake.send_text(user, message)
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="112")
    said = user_texts(fake, user, mark)
    # The right numbers first, by kind: 113 for a suicide signal, Veilig Thuis for violence.
    assert said[0] == say(crisis_kind(message).say), said
    assert "112" in said[0] and FIRST_NUMBER[message] in said[0], said
    assert not any("Die plaats ken ik niet" in t for t in said)
    assert not any(message in t for t in said), "the urgent message is never echoed back"
    if open_before is None:
        return
    # A person helps: the escalation becomes urgent, staff are alerted in the topic.
    alert = fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="SPOED")[0]
    assert int(alert.params["message_thread_id"]) == open_before.staff_thread_id
    assert message in alert.text
    renamed = fake.wait_for("editForumTopic", since=mark)[0]
    assert renamed.params["name"].startswith(staff_text("urgent_mark").strip())
    assert say("handoff_urgent") in user_texts(fake, user, mark)
    with session_scope() as session:
        escalation = session.get(Escalation, open_before.id)
        assert escalation.priority == "urgent" and escalation.status in ("new", "claimed")
        actions = (
            session.execute(select(StaffAction.action).where(StaffAction.escalation_id == open_before.id))
            .scalars()
            .all()
        )
        assert "urgent" in actions
