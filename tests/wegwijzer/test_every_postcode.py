"""A real door for every postcode: each of the 4,086 PC4 areas gets its own
gemeente's front desk with a street, a phone number and a map pin (for a
PC4 across a border: one of its gemeenten), also where no IDO is known."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from wegwijzer.db.session import session_scope
from wegwijzer.directory import CounterIndex, organisations
from wegwijzer.places import gazetteer
from wegwijzer.referral import refer
from wegwijzer.settings import DATA_DIR
from wegwijzer.topics import topics
from wegwijzer.vocabulary import topic_intents

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_every_pc4_gets_its_own_gemeentes_front_desk(database_url: str) -> None:
    with session_scope() as session:
        full = CounterIndex.from_session(session)
    desks_only = CounterIndex([d for d in full.doors if d.kind == "gemeente"])
    with open(DATA_DIR / "pc4.csv", encoding="utf-8") as fh:
        areas = {row["pc4"]: set(row["gemeente_codes"].split(";")) for row in csv.DictReader(fh)}
    assert len(areas) == 4086
    places = gazetteer()
    missing = []
    for pc4, codes in areas.items():
        location = places.pc4[pc4]
        referral = refer(topics()["topic_digid"], location, "helper", desks_only, organisations(), NOW)
        desks = [c for c in referral.cards if c["kind"] == "gemeente"]
        if not desks or desks[0]["gemeente_code"] not in codes:
            missing.append(pc4)
            continue
        desk = desks[0]
        assert desk["address"] and desk["postcode"] and desk["phone"], pc4
        assert desk["lat"] is not None and desk["lon"] is not None, pc4
    assert missing == []


def test_every_topic_with_a_local_door_names_a_physical_place(database_url: str) -> None:
    with session_scope() as session:
        index = CounterIndex.from_session(session)
    westerwolde = gazetteer().resolve("9561 AB").location
    assert westerwolde is not None
    for intent in topic_intents():
        referral = refer(topics()[intent], westerwolde, "helper", index, organisations(), NOW)
        physical = [c for c in referral.cards if c["address"] and c["lat"] is not None]
        assert physical, intent
