"""Least data, through the real bot process, the fake Telegram Bot API and
the real Rasa and action servers: names, street addresses and dates of
birth never reach Rasa, the database, the staff group or the logs; /stop
erases the user everywhere, Rasa's tracker included."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.e2e.conftest import Handoff, ask_for_a_person
from wegwijzer.db.models import ButtonPayload, ChatUser, Escalation, EscalationMessage, FollowUp
from wegwijzer.db.session import session_scope
from wegwijzer.escalations import FORGOTTEN
from wegwijzer.texts import say

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "mijn moeder Maria de Vries, geboren 12 maart 1951, woont op Dorpsstraat 12 in Assen"
PERSONAL = ("Maria", "Vries", "1951", "Dorpsstraat")


def settle(h: Handoff, user: int, text: str) -> list[str]:
    mark = h.fake.mark()
    h.fake.send_text(user, text)
    h.fake.wait_for("sendMessage", chat_id=user, since=mark)  # the first answer may wait for the redaction to load
    return [c.text for c in h.fake.wait_quiet(user, mark, quiet=1.0) if c.method == "sendMessage"]


def said_to_rasa(h: Handoff, user: int) -> list[str]:
    tracker = httpx.get(
        f"{h.stack.rasa_url}/conversations/{h.bot.sender(user)}/tracker",
        params={"token": os.environ["RASA_AUTH_TOKEN"]},
    ).json()
    return [e.get("text") or "" for e in tracker["events"] if e.get("event") == "user"]


def test_names_addresses_and_birth_dates_reach_no_one(handoff: Handoff, request: pytest.FixtureRequest) -> None:
    h = handoff
    user = h.bot.new_user()
    settle(h, user, EXAMPLE + " en ze is haar digid kwijt")
    escalation_id, _ = ask_for_a_person(h, user)
    mark = h.fake.mark()
    h.fake.send_text(user, "haar buurman Piet Hendriks op Kerkweg 3a helpt ook")
    relayed = h.fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="[naam]")

    heard = said_to_rasa(h, user)
    assert any("Assen" in text and "[naam]" in text and "[adres]" in text for text in heard), heard
    assert not any(word in text for text in heard for word in PERSONAL)
    with session_scope() as session:
        row = session.get(Escalation, escalation_id)
        assert row is not None
        messages = session.scalars(
            select(EscalationMessage.text).where(EscalationMessage.escalation_id == escalation_id)
        ).all()
        stored = [row.summary, row.advised or "", *messages]
    assert any("[geboortedatum]" in text for text in stored), stored
    assert not any(word in text for text in stored for word in (*PERSONAL, "Piet", "Hendriks", "Kerkweg"))
    to_staff = [c.text for c in h.fake.calls_to("sendMessage", chat_id=h.staff_chat["id"])] + [
        c.params.get("name", "") for c in h.fake.calls_to("createForumTopic")
    ]
    assert relayed and not any(word in text for text in to_staff for word in (*PERSONAL, "Piet", "Kerkweg"))
    logs = ROOT / "tests" / "artifacts" / "logs"
    for log in [logs / f"bot-handoff-{request.node.name}.log", logs / "rasa.log", logs / "actions.log"]:
        if log.exists():
            text = log.read_text(errors="replace")
            assert not any(word in text for word in ("Maria de Vries", "Dorpsstraat 12", "12 maart 1951")), log


def test_stop_erases_the_user_everywhere(handoff: Handoff) -> None:
    h = handoff
    user = h.bot.new_user()
    sender = h.bot.sender(user)
    settle(h, user, "/rol professional")
    settle(h, user, "mijn buurvrouw is haar digid kwijt")
    escalation_id, _ = ask_for_a_person(h, user)
    mark = h.fake.mark()
    h.fake.send_text(user, "ze woont in Assen en heeft geen computer")
    h.fake.wait_for("sendMessage", chat_id=h.staff_chat["id"], since=mark, contains="computer")
    assert said_to_rasa(h, user)
    with session_scope() as session:
        assert session.get(ChatUser, sender) is not None
        assert session.scalars(select(EscalationMessage).where(EscalationMessage.escalation_id == escalation_id)).all()

    mark = h.fake.mark()
    h.fake.send_text(user, "/stop")
    calls = h.fake.wait_quiet(user, mark, quiet=1.0)
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in calls
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    yes = next(button for row in keyboard for button in row if button["text"] == say("stop_yes_button"))
    mark = h.fake.mark()
    h.fake.press(user, yes["callback_data"])
    h.fake.wait_for("sendMessage", chat_id=user, since=mark, contains=say("stop_done")[:30])

    assert not said_to_rasa(h, user), "Rasa's tracker still holds the user's messages"
    with session_scope() as session:
        assert session.get(ChatUser, sender) is None
        assert not session.scalars(select(ButtonPayload).where(ButtonPayload.pseudonym == sender)).all()
        assert not session.scalars(select(Escalation).where(Escalation.pseudonym == sender)).all()
        assert not session.scalars(select(FollowUp).where(FollowUp.pseudonym == sender)).all()
        assert not session.scalars(
            select(EscalationMessage).where(EscalationMessage.escalation_id == escalation_id)
        ).all()
        row = session.get(Escalation, escalation_id)
        assert row is not None  # kept for the statistics, without content
        assert (row.pseudonym, row.user_chat_id, row.status, row.advised) == (FORGOTTEN, 0, "closed", None)
        assert "digid" not in row.summary.lower()
        assert str(user) not in f"{row.summary} {row.place} {row.gemeente}"
