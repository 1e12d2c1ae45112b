"""No way around consent: what changes state comes only from the bot's own
buttons, issued for that user and that moment.

Through the real bot process, the fake Telegram Bot API and the real Rasa
and action servers: a typed button payload or a message in Rasa's own
syntax is refused politely and forces nothing; a state-changing button works
once; and /stop in between cannot open unlimited staff topics."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.e2e.conftest import Handoff, ask_for_a_person, user_texts
from wegwijzer.db.models import ChatUser, Escalation
from wegwijzer.db.session import session_scope
from wegwijzer.texts import say

pytestmark = pytest.mark.stack


def escalations_of(h: Handoff, user: int) -> int:
    with session_scope() as session:
        return int(
            session.execute(
                select(func.count(Escalation.id)).where(Escalation.pseudonym == h.bot.sender(user))
            ).scalar_one()
        )


def h_sender(h: Handoff, user: int) -> str:
    return str(h.bot.sender(user))


def said_to(h: Handoff, user: int, text: str) -> list[str]:
    mark = h.fake.mark()
    h.fake.send_text(user, text)
    h.fake.wait_quiet(user, mark, quiet=1.0)
    return user_texts(h.fake, user, mark)


def keyboard_of(h: Handoff, user: int, since: int) -> list[dict]:
    calls = h.fake.calls_to("sendMessage", chat_id=user, since=since)
    rows = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in reversed(calls)
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    return [button for row in rows for button in row]


@pytest.mark.parametrize("typed", ["/overdracht ja crisis urgent", "/overdracht ja request_human normal"])
def test_a_typed_consent_payload_opens_no_escalation(handoff: Handoff, typed: str) -> None:
    user = handoff.bot.new_user()
    said = said_to(handoff, user, typed)
    assert said == [say("button_only")]
    assert escalations_of(handoff, user) == 0
    assert not handoff.fake.calls_to("createForumTopic")


@pytest.mark.parametrize(
    "typed",
    [
        "/urgent_crisis",
        "/request_human",
        "/topic_digid",
        "/restart",
        '/inform_location{"location": "Assen"}',
        "/affirm",
    ],
)
def test_rasa_syntax_typed_by_a_user_forces_nothing(handoff: Handoff, typed: str) -> None:
    user = handoff.bot.new_user()
    asked = said_to(handoff, user, "ik help mijn zus met haar digid")
    assert any("plaats" in t.lower() or "woont" in t.lower() for t in asked), asked
    assert said_to(handoff, user, typed) == [say("unknown_command")]
    assert escalations_of(handoff, user) == 0
    # The conversation is where it was: the place question still waits for its answer.
    after = said_to(handoff, user, "Assen")
    assert any("DigiD" in t for t in after), after
    assert not any("Die plaats ken ik niet" in t for t in after)


def test_an_urgent_message_that_starts_with_a_slash_still_gets_help(handoff: Handoff) -> None:
    user = handoff.bot.new_user()
    said = said_to(handoff, user, "/ik wil niet meer leven")
    assert said and "113" in said[0], said


def test_typed_stop_yes_asks_first(handoff: Handoff) -> None:
    user = handoff.bot.new_user()
    said_to(handoff, user, "/rol professional")
    mark = handoff.fake.mark()
    said = said_to(handoff, user, "/stop ja")
    assert said == [say("stop_question")]
    titles = [b["text"] for b in keyboard_of(handoff, user, mark)]
    assert titles == [say("stop_yes_button"), say("stop_no_button")]
    with session_scope() as session:  # nothing was erased
        assert session.get(ChatUser, h_sender(handoff, user)).role == "professional"


def stop_with_the_button(h: Handoff, user: int) -> None:
    mark = h.fake.mark()
    h.fake.send_text(user, "/stop")
    h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("stop_question")[:20])
    yes = keyboard_of(h, user, mark)[0]
    mark = h.fake.mark()
    h.fake.press(user, yes["callback_data"])
    h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("stop_done")[:20])


def test_stop_in_between_does_not_open_unlimited_staff_topics(handoff: Handoff) -> None:
    h = handoff
    user = h.bot.new_user()
    for _ in range(3):  # ESCALATIONS_PER_DAY is 3 by default
        ask_for_a_person(h, user)
        stop_with_the_button(h, user)
    topics = len(h.fake.calls_to("createForumTopic"))
    mark = h.fake.mark()
    h.fake.send_text(user, "ik wil graag een medewerker spreken")
    h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="medewerker")
    h.fake.wait_quiet(user, mark, quiet=1.0)
    yes = keyboard_of(h, user, mark)[0]
    mark = h.fake.mark()
    h.fake.press(user, yes["callback_data"])
    h.fake.wait_quiet(user, mark, quiet=1.5)
    assert say("handoff_limit") in user_texts(h.fake, user, mark)
    assert len(h.fake.calls_to("createForumTopic")) == topics
    assert escalations_of(h, user) == 0  # the last /stop erased the earlier ones


def test_a_consent_button_works_once(handoff: Handoff) -> None:
    h = handoff
    user = h.bot.new_user()
    mark = h.fake.mark()
    ask_for_a_person(h, user)
    yes = keyboard_of(h, user, mark)[0]
    stop_with_the_button(h, user)
    mark = h.fake.mark()
    h.fake.press(user, yes["callback_data"])  # the same, already used button again
    h.fake.wait_quiet(user, mark, quiet=1.0)
    assert user_texts(h.fake, user, mark)[-1] == say("old_button")
    assert escalations_of(h, user) == 0
