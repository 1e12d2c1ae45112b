"""Seed data for the review page tests: escalations made through the real
domain services (wegwijzer.escalations.Escalations, and the staff actions of
wegwijzer.workspace.Workspace), then moved to fixed times so the timings
and statistics have exact, known values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Escalation, EscalationMessage
from wegwijzer.db.session import session_factory, session_scope
from wegwijzer.escalations import Escalations
from wegwijzer.review import topic_label
from wegwijzer.staff import create_staff
from wegwijzer.vocabulary import Closing
from wegwijzer.workspace import Actor, Origin, Workspace

USERNAME = "anna"
PASSWORD = "correct-paard-batterij-niet"
STAFF_NAME = "Anna de Vries"
STAFF_TELEGRAM_ID = 5550001
# Things that must never reach the page or the export.
PSEUDONYM_PREFIX = "tg-geheimpseudo"
CHAT_ID_BASE = 7770001000
SUMMARY_MARK = "Rol: helper (buur, familie, vrijwilliger)"
BSN = "111222333"  # a valid BSN (11-proof), stored unredacted on purpose


@dataclass(frozen=True)
class Seeded:
    ids: dict[str, int]  # e1 … e5 → escalation id


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


# Times are UTC, as the database keeps them. In November the Netherlands is
# UTC+1, so e3 (Sunday 22 Nov 23:30 UTC) is Monday 23 Nov 00:30 Dutch time:
# ISO week 48, not 47.
PLAN = {
    # key: topic, gemeente, reason, priority, created (UTC), claim, first reply, close (minutes after), outcome
    "e1": ("topic_digid", "Groningen", "request_human", "normal", datetime(2026, 11, 17, 9, 0), 5, 10, 60, "solved"),
    "e2": (
        "topic_toeslagen",
        "Groningen",
        "complex",
        "normal",
        datetime(2026, 11, 18, 12, 0),
        2,
        30,
        120,
        "not_solved",
    ),
    "e3": ("topic_digid", "Utrecht", "crisis", "urgent", datetime(2026, 11, 22, 23, 30), 1, 4, 45, None),
    "e4": ("topic_schulden", "Utrecht", "fallback", "normal", datetime(2026, 11, 24, 10, 0), 3, 20, None, None),
    "e5": (None, None, "request_human", "normal", datetime(2026, 11, 25, 8, 0), None, None, None, None),
}


def seed(url: str) -> Seeded:
    ensure_database(url)
    with session_scope(url) as session:
        create_staff(session, USERNAME, STAFF_NAME, PASSWORD, telegram_user_id=STAFF_TELEGRAM_ID)
    service = Escalations(session_factory(url))
    workspace = Workspace(session_factory(url))
    anna = Actor(STAFF_NAME, Origin.TOPIC, telegram_id=STAFF_TELEGRAM_ID)
    ids: dict[str, int] = {}
    for n, (key, (topic, gemeente, reason, priority, created, claim, reply, close, outcome)) in enumerate(PLAN.items()):
        summary = f"{SUMMARY_MARK}\nOnderwerp: {topic_label(topic) if topic else 'onbekend'}\nPlaats: {gemeente}"
        view = service.create(
            pseudonym=f"{PSEUDONYM_PREFIX}{n}",
            channel="tg",
            user_chat_id=CHAT_ID_BASE + n,
            reason=reason,
            priority=priority,
            role="helper",
            topic=topic,
            topics=[topic] if topic else [],
            gemeente_code=None,
            gemeente=gemeente,
            place=gemeente,
            summary=summary,
            advised=None,
        )
        ids[key] = view.id
        if claim is not None:
            workspace.claim(view, anna)
        if reply is not None:
            service.staff_replied(view.id)
        if close is not None:
            workspace.close(view, anna, Closing.SOLVED)
        if outcome is not None:
            service.set_outcome(view.id, outcome)
        with session_scope(url) as session:
            session.execute(
                update(Escalation)
                .where(Escalation.id == view.id)
                .values(
                    created_at=created,
                    consented_at=created,
                    claimed_at=None if claim is None else created + minutes(claim),
                    first_staff_reply_at=None if reply is None else created + minutes(reply),
                    closed_at=None if close is None else created + minutes(close),
                )
            )

    # A conversation for e1: the user, the bot, a photo, the staff member.
    e1 = ids["e1"]
    service.add_message(e1, "user", "Mijn buurvrouw is haar DigiD kwijt.")
    service.add_message(e1, "bot", "Ik geef u door aan een medewerker.")
    service.add_message(e1, "user", kind="photo", file_id="AgACAgQAAxkBAAIBfoto")
    service.add_message(e1, "user", f"Haar bsn is {BSN}")  # must be shown redacted
    service.add_message(
        e1, "staff", "Ga samen naar het Informatiepunt in de bibliotheek.", staff_user_id=STAFF_TELEGRAM_ID
    )
    e1_view = service.get(e1)
    assert e1_view is not None
    workspace.note(e1_view, anna, "Doorverwezen naar IDO Groningen.")
    workspace.note(e1_view, anna, "<script>alert('x')</script>")
    with session_scope(url) as session:
        for i, message in enumerate(
            session.query(EscalationMessage).filter_by(escalation_id=e1).order_by(EscalationMessage.id)
        ):
            message.created_at = PLAN["e1"][4] + minutes(i * 2)
    return Seeded(ids)
