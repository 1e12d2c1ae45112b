"""The handover card: what it says, as text and as PDF, and never a
personal number; deadlines as the user wrote them."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from wegwijzer.cli import ensure_database
from wegwijzer.clock import now_utc
from wegwijzer.db.session import session_factory
from wegwijzer.deadlines import days_left, deadline_in
from wegwijzer.handover import Card, HandoverCards, card_pdf, card_text, make_card
from wegwijzer.texts import say
from wegwijzer.topics import topics

DOOR = {
    "type": "referral",
    "door_id": 12,
    "name": "Informatiepunt Digitale Overheid Bibliotheek Assen",
    "kind": "ido",
    "address": "Collectieplein 1",
    "postcode": "9401 GA",
    "place": "Assen",
    "hours": "Nu dicht. Morgen open vanaf 10:00",  # true when the referral was made, not later
    "opening_hours": "Mo-Fr 10:00-17:00; Sa 10:00-13:00",
    "visit": "walk_in",
    "phone": "0592 31 21 21",
}
USER_SAID = [
    "mijn buurvrouw is haar digid kwijt",
    "haar bsn is 111222333 en haar telefoon 06-12345678",
    "we hebben al gebeld met digid maar dat lukte niet",
    "ze moet het voor 15 januari geregeld hebben",
    "Assen",
]
PERSONAL = ("111222333", "06-12345678", "12345678")


def card() -> Card:
    return make_card(topics()["topic_digid"], DOOR, USER_SAID, date(2026, 12, 2))


def test_the_card_says_what_the_desk_needs() -> None:
    made = card()
    text = card_text(made)
    assert made.topic == topics()["topic_digid"].label
    assert "Collectieplein 1, 9401 GA Assen" in text
    assert "Nu dicht" not in text  # a card is kept: the week's hours, not "now"
    assert made.door_hours[0] == "woensdag: 10:00-17:00" and "zaterdag: 10:00-13:00" in made.door_hours
    assert "zondag" not in text
    assert say("card_visit_walk_in") in text
    for item in topics()["topic_digid"].bring:
        assert item in text
    assert made.deadline == "voor 15 januari"
    assert made.tried == ["we hebben al gebeld met digid maar dat lukte niet"]
    assert "02-12-2026" in text


def test_no_personal_numbers_in_text_or_pdf() -> None:
    made = card()
    text = card_text(made)
    pdf = card_pdf(made)
    assert pdf.startswith(b"%PDF")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Collectieplein 1" in pdf_text and "Overdrachtskaart" in pdf_text
    assert "voor 15 januari" in pdf_text
    for number in PERSONAL:
        assert number not in text and number not in pdf_text
    assert "0592 31 21 21" in text  # the door's own public number is kept


def test_without_a_door_or_a_deadline_it_says_so() -> None:
    made = make_card(None, None, ["hallo"], date(2026, 12, 2))
    text = card_text(made)
    assert say("handover_no_door") in text and say("handover_no_deadline") in text
    assert say("handover_nothing_tried") in text


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["ik moet voor 15 januari reageren"], "voor 15 januari"),
        (["uiterlijk 1-2-2027 bezwaar maken"], "uiterlijk 1-2-2027"),
        (["binnen 6 weken bezwaar"], "binnen 6 weken"),
        (["binnen zes weken"], "binnen zes weken"),
        (["het moet voor vrijdag"], "voor vrijdag"),
        (["ik heb een brief gekregen"], None),
        (["voor de zekerheid"], None),
        (["ik woon op nummer 15"], None),
    ],
)
def test_deadlines_in_the_users_words(texts: list[str], expected: str | None) -> None:
    assert deadline_in(texts) == expected


def test_days_left() -> None:
    today = date(2026, 12, 2)
    assert days_left("voor 15 januari", today) == 44
    assert days_left("voor 5 december", today) == 3
    assert days_left("uiterlijk 1-12-2026", today) == -1
    assert days_left("voor 31 februari", today) is None
    assert days_left("binnen 6 weken", today) is None


def test_cards_behind_a_short_lived_link(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cards.db'}"
    ensure_database(url)
    cards = HandoverCards(session_factory(url), hours=24)
    token = cards.store(card())
    assert len(token) >= 20
    assert cards.get(token) == card()
    assert cards.get("niet-bestaand") is None
    assert cards.get(token, now=now_utc() + timedelta(hours=25)) is None
