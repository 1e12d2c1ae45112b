"""The "overdrachtskaart": a short summary for the desk a helper goes to.

After a referral the helper can ask for it: the topic, the door with its
address and opening hours, what to bring, a deadline if one was named, and
what was already tried. Never a personal number: it is made from the
referral and the topic's data, plus the user's words only where they name a
deadline or what was tried, redacted once more. Shown three ways: as a
message to forward or show at the desk (`card_text`), as a printable page
behind a short-lived link (`HandoverCards`, the staff page's /kaart/...),
and as a PDF (`card_pdf`, sent as a document in Telegram).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fpdf import FPDF
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer import hours
from wegwijzer.clock import now_utc
from wegwijzer.db.models import HandoverCard
from wegwijzer.deadlines import deadline_in
from wegwijzer.privacy import redact
from wegwijzer.texts import say
from wegwijzer.topics import Topic

MAX_TRIED = 3
# Words that say something was already tried: "ik heb al gebeld", "we zijn er al geweest".
TRIED = re.compile(
    r"\b(al|eerder|vorige week|gisteren)\b.*\b(gebeld|gemaild|geprobeerd|geweest|gevraagd|ingevuld|aangevraagd|"
    r"gestuurd|opgestuurd|geschreven|bezwaar gemaakt|langs geweest)\b|\bgeprobeerd\b",
    re.IGNORECASE,
)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class Card:
    topic: str  # the topic's label
    about: str | None  # the topic in plain words
    door_name: str | None
    door_address: str | None
    door_hours: list[str]  # a line per open day of the coming week
    door_phone: str | None
    door_visit: str | None  # walk in, appointment, both
    bring: list[str] = field(default_factory=list)
    deadline: str | None = None  # as the user wrote it
    tried: list[str] = field(default_factory=list)
    made_on: str = ""  # the day it was made (dd-mm-yyyy)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Card:
        known: dict[str, Any] = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def _clean(text: str) -> str:
    cleaned, _ = redact(text)
    return " ".join(cleaned.split())[:200]


def make_card(topic: Topic | None, door: dict[str, Any] | None, user_texts: list[str], today: date) -> Card:
    """The card for a referral: the topic, the door (a referral card's payload),
    and from the user's own (redacted) words a deadline and what was tried."""
    texts = [_clean(t) for t in user_texts if t and not t.startswith("/")]
    tried = [t for t in texts if TRIED.search(t)][-MAX_TRIED:]
    address = None
    if door is not None:
        place = " ".join(p for p in (door.get("postcode"), door.get("place")) if p)
        address = ", ".join(p for p in (door.get("address"), place) if p) or None
    visit = door.get("visit") if door else None
    # The week's hours: a card is shown later, when "now open" may be wrong.
    week = hours.week(door.get("opening_hours"), today) if door else []
    return Card(
        topic=topic.label if topic else say("card_topic_unknown"),
        about=topic.about if topic else None,
        door_name=door.get("name") if door else None,
        door_address=address,
        door_hours=week,
        door_phone=door.get("phone") if door else None,
        door_visit=say(f"card_visit_{visit}") if visit else None,
        bring=list(topic.bring) if topic else [],
        deadline=deadline_in(texts),
        tried=tried,
        made_on=today.strftime("%d-%m-%Y"),
    )


def card_lines(card: Card) -> list[tuple[str, list[str]]]:
    """The card's sections: (heading, lines), for every way it is shown."""
    sections: list[tuple[str, list[str]]] = [(say("handover_topic"), [card.topic])]
    door = [p for p in (card.door_name, card.door_address) if p]
    if card.door_hours:
        door += [say("handover_hours"), *card.door_hours]
    if card.door_visit:
        door.append(card.door_visit)
    if card.door_phone:
        door.append(say("card_phone", value=card.door_phone))
    sections.append((say("handover_door"), door or [say("handover_no_door")]))
    if card.bring:
        sections.append((say("handover_bring"), [f"- {item}" for item in card.bring]))
    sections.append((say("handover_deadline"), [card.deadline or say("handover_no_deadline")]))
    sections.append((say("handover_tried"), [f"- {t}" for t in card.tried] or [say("handover_nothing_tried")]))
    return sections


def card_text(card: Card) -> str:
    """The card as a message to forward or show at the desk."""
    parts = [say("handover_title", day=card.made_on)]
    for heading, lines in card_lines(card):
        parts.append(f"{heading}\n" + "\n".join(lines))
    parts.append(say("handover_footer"))
    return "\n\n".join(parts)


def card_pdf(card: Card) -> bytes:
    """The card as a one-page A4 PDF."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if FONT.exists() and FONT_BOLD.exists():
        pdf.add_font("card", "", str(FONT))
        pdf.add_font("card", "B", str(FONT_BOLD))
        family = "card"
    else:
        family = "helvetica"  # the PDF core font: Latin-1 only

    def write(text: str, size: int, bold: bool = False) -> None:
        shown = text if family == "card" else text.encode("latin-1", "replace").decode("latin-1")
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.55, shown, new_x="LMARGIN", new_y="NEXT")

    write(say("handover_title", day=card.made_on), 18, bold=True)
    pdf.ln(4)
    for heading, lines in card_lines(card):
        write(heading, 13, bold=True)
        for line in lines:
            write(line, 12)
        pdf.ln(3)
    write(say("handover_footer"), 10)
    return bytes(pdf.output())


class HandoverCards:
    """Cards behind a short-lived link, removed when they expire."""

    def __init__(self, sessions: sessionmaker[Session], hours: int = 24) -> None:
        self.sessions = sessions
        self.hours = hours

    def store(self, card: Card) -> str:
        token = secrets.token_urlsafe(18)
        with self.sessions.begin() as session:
            session.execute(delete(HandoverCard).where(HandoverCard.expires_at < now_utc()))
            session.add(
                HandoverCard(token=token, content=card.as_dict(), expires_at=now_utc() + timedelta(hours=self.hours))
            )
        return token

    def get(self, token: str, now: datetime | None = None) -> Card | None:
        if not token or len(token) > 64:
            return None
        with self.sessions() as session:
            row = session.get(HandoverCard, token)
            if row is None or row.expires_at < (now or now_utc()):
                return None
            return Card.from_dict(dict(row.content))
