"""Human handoff end to end: the real bot process with a staff supergroup,
the fake Telegram Bot API, the real Rasa and action servers and the test
database. A restart of the bot in the middle keeps everything."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.e2e.conftest import NOT_STAFF, STAFF_MEMBER, Handoff, ask_for_a_person, user_texts
from wegwijzer.db.models import Escalation, EscalationMessage, StaffAction, StaffNote
from wegwijzer.db.session import session_scope
from wegwijzer.texts import say
from wegwijzer.texts import staff as staff_text

pytestmark = pytest.mark.stack


def test_handoff_end_to_end_with_a_restart(handoff: Handoff) -> None:
    h, fake = handoff, handoff.fake
    user = h.bot.new_user()
    # Some context first, so the summary has something to say.
    mark = fake.mark()
    fake.send_text(user, "mijn buurvrouw is haar digid kwijt")
    fake.wait_quiet(user, mark, quiet=1.0)
    mark = fake.mark()
    fake.send_text(user, "Assen")
    fake.wait_quiet(user, mark, quiet=1.0)

    mark = fake.mark()
    escalation_id, thread = ask_for_a_person(h, user)
    topic = fake.calls_to("createForumTopic", since=mark)[0]
    assert topic.params["name"] == f"#{escalation_id} DigiD · Assen"
    summary = fake.calls_to("sendMessage", chat_id=h.staff_chat["id"], since=mark)[0]
    assert "Onderwerp: DigiD" in summary.text and "Plaats: Assen" in summary.text
    assert "Gebruiker: mijn buurvrouw is haar digid kwijt" in summary.text
    buttons = [b["callback_data"] for row in summary.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"st:claim:{escalation_id}", f"st:note:{escalation_id}", f"st:close:{escalation_id}"]
    waiting = fake.wait_for("sendMessage", chat_id=user, since=mark, contains="in de rij")
    assert "U bent nummer 1 in de rij" in waiting[0].text

    # Writing again while waiting creates no second escalation.
    mark = fake.mark()
    fake.send_text(user, "is er al iemand?")
    fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="Gebruiker: is er al iemand?")
    assert user_texts(fake, user, mark) == [say("handoff_waiting")]
    assert not fake.calls_to("createForumTopic", since=mark)

    # A non-staff member in the group is ignored, and refused for staff actions.
    mark = fake.mark()
    fake.send_in_topic(NOT_STAFF, h.staff_chat, thread, "hallo, ik ben geen medewerker")
    fake.press(NOT_STAFF, f"st:close:{escalation_id}", chat=h.staff_chat)
    refused = fake.wait_for("answerCallbackQuery", since=mark)[0]
    assert refused.params.get("text") == staff_text("not_allowed")
    time.sleep(1.0)
    assert user_texts(fake, user, mark) == []

    # The first staff reply claims the escalation and reaches the user at once.
    mark = fake.mark()
    fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "Goedemiddag, ik help u verder met DigiD.")
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Goedemiddag")
    said = user_texts(fake, user, mark)
    assert said == [say("handoff_joined"), say("handoff_staff_says", text="Goedemiddag, ik help u verder met DigiD.")]

    # The user's reply goes to the topic, and the bot does not answer it.
    mark = fake.mark()
    fake.send_text(user, "dank u, ze heeft ook een brief van de gemeente")
    relayed = fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="brief van de gemeente")
    assert int(relayed[0].params["message_thread_id"]) == thread
    time.sleep(1.5)
    assert user_texts(fake, user, mark) == []

    # The bot restarts in the middle: nothing is lost.
    h.restart()
    mark = fake.mark()
    fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "Neem de brief mee naar de bibliotheek.")
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Neem de brief mee")
    mark = fake.mark()
    fake.send_text(user, "goed, dat doen we")
    fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="goed, dat doen we")

    # A note, then close: the user is told and asked for the outcome.
    mark = fake.mark()
    fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "/note buurvrouw komt dinsdag langs")
    fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains=staff_text("note_saved"))
    fake.send_in_topic(STAFF_MEMBER, h.staff_chat, thread, "/close")
    question = fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("outcome_question"))[0]
    assert say("handoff_closed") in user_texts(fake, user, mark)
    fake.wait_for("closeForumTopic", since=mark)
    solved = question.params["reply_markup"]["inline_keyboard"][0][0]
    assert solved["text"] == say("outcome_yes_button")
    mark = fake.mark()
    fake.press(user, solved["callback_data"])
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("outcome_thanks_solved"))

    # The bot answers again.
    mark = fake.mark()
    fake.send_text(user, "hoe vraagt ze huurtoeslag aan")
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="toeslag")

    with session_scope() as session:
        escalation = session.get(Escalation, escalation_id)
        assert escalation.status == "closed" and escalation.outcome == "solved"
        assert escalation.claimed_by == STAFF_MEMBER and escalation.first_staff_reply_at is not None
        messages = (
            session.execute(select(EscalationMessage).where(EscalationMessage.escalation_id == escalation_id))
            .scalars()
            .all()
        )
        assert all(m.delivered for m in messages)
        # What the user told the bot before is kept for staff, with what the NLU understood.
        earlier = [(m.text, m.intent) for m in messages if m.kind == "earlier"]
        assert earlier[:2] == [("mijn buurvrouw is haar digid kwijt", "topic_digid"), ("Assen", "inform_location")]
        assert [m.text for m in messages if m.sender == "user" and m.kind != "earlier"] == [
            "is er al iemand?",
            "dank u, ze heeft ook een brief van de gemeente",
            "goed, dat doen we",
        ]
        notes = session.execute(select(StaffNote).where(StaffNote.escalation_id == escalation_id)).scalars().all()
        assert [n.text for n in notes] == ["buurvrouw komt dinsdag langs"]
        actions = [
            a.action
            for a in session.execute(select(StaffAction).where(StaffAction.escalation_id == escalation_id)).scalars()
        ]
        assert {"claim", "reply", "note", "close", "refused"} <= set(actions)


def test_crisis_becomes_a_priority_escalation(handoff: Handoff) -> None:
    fake = handoff.fake
    user = handoff.bot.new_user()
    mark = fake.mark()
    fake.send_text(user, "mijn buurman zegt dat hij er een eind aan wil maken")
    first = fake.wait_for("sendMessage", chat_id=user, since=mark)[0]
    assert "112" in first.text and "113" in first.text
    calls = fake.wait_quiet(user, mark, quiet=1.0)
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in calls
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    mark = fake.mark()
    fake.press(user, keyboard[0][0]["callback_data"])
    topic = fake.wait_for("createForumTopic", since=mark)[0]
    assert topic.params["name"].startswith(staff_text("urgent_mark").strip())
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains="voorrang")


def test_declining_keeps_the_bot_and_offers_a_desk(handoff: Handoff) -> None:
    fake = handoff.fake
    user = handoff.bot.new_user()
    mark = fake.mark()
    fake.send_text(user, "kan ik een mens spreken")
    calls = fake.wait_quiet(user, mark, quiet=1.0)
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in calls
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    mark = fake.mark()
    fake.press(user, keyboard[1][0]["callback_data"])
    said = fake.wait_quiet(user, mark, quiet=1.0)
    assert say("handoff_declined") in [c.text for c in said]
    assert not fake.calls_to("createForumTopic", since=mark)


def test_photos_go_both_ways_during_a_handoff(handoff: Handoff) -> None:
    h, fake = handoff, handoff.fake
    user = handoff.bot.new_user()
    mark = fake.mark()
    fake.send_text(user, "vraagje over iets")
    old_question = fake.wait_quiet(user, mark, quiet=1.0)
    old_button = next(
        c.params["reply_markup"]["inline_keyboard"][0][0]
        for c in old_question
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    escalation_id, thread = ask_for_a_person(handoff, user)
    # An old topic button pressed while a person helps gets a clear answer.
    mark = fake.mark()
    fake.press(user, old_button["callback_data"])
    fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("button_during_handoff"))
    mark = fake.mark()
    fake.send_media(
        user,
        photo=[{"file_id": "brief-foto", "file_unique_id": "u", "width": 90, "height": 90}],
        caption="de brief, bsn 111222333",
    )
    to_staff = fake.wait_for("sendPhoto", chat_id=h.staff_chat["id"], since=mark)[0]
    assert to_staff.params["photo"] == "brief-foto" and "111222333" not in to_staff.text
    mark = fake.mark()
    fake.send_in_topic(
        STAFF_MEMBER,
        h.staff_chat,
        thread,
        None,
        photo=[{"file_id": "uitleg-foto", "file_unique_id": "v", "width": 90, "height": 90}],
        caption="zo vult u het in",
    )
    to_user = fake.wait_for("sendPhoto", chat_id=user, since=mark)[0]
    assert to_user.params["photo"] == "uitleg-foto"
    with session_scope() as session:
        stored = (
            session.execute(
                select(EscalationMessage).where(
                    EscalationMessage.escalation_id == escalation_id, EscalationMessage.kind == "photo"
                )
            )
            .scalars()
            .all()
        )
        assert stored and all(m.file_id is None for m in stored), "no photo reference kept after delivery"
        assert all("111222333" not in m.text for m in stored)
