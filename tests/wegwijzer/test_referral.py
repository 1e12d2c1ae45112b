"""Referral composition (domain only, no servers)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wegwijzer.directory import CounterIndex, Door, Found, Organisation
from wegwijzer.places import Location
from wegwijzer.referral import card, card_text, national_route, refer
from wegwijzer.topics import topics

ASSEN = Location(
    key="wp:1",
    name="Assen",
    kind="woonplaats",
    lat=52.99,
    lon=6.56,
    gemeente_code="GM0106",
    gemeente="Assen",
    provincie="Drenthe",
)
ORGS = {"digid": Organisation("digid", "DigiD (Logius) helpdesk", (), None, None, "https://www.digid.nl", False)}


def door(**values: object) -> Door:
    base = {
        "id": 1,
        "kind": "ido",
        "name": "IDO Test",
        "address": "Straat 1",
        "postcode": "9401 AA",
        "place": "Assen",
        "gemeente_code": "GM0106",
        "gemeente": "Assen",
        "lat": 52.99,
        "lon": 6.565,
        "opening_hours": None,
        "walk_in": False,
        "by_appointment": False,
        "phone": None,
        "website": None,
        "appointment_url": None,
        "topics": (),
        "status": "probable",
        "status_note": "IDO waarschijnlijk",
        "source": "openstreetmap",
        "attribution": "© OpenStreetMap-bijdragers",
    }
    return Door(**{**base, **values})


DESK = {
    "id": 2,
    "kind": "gemeente",
    "name": "Gemeente Assen",
    "address": "Noordhaven 1",
    "postcode": "9401 GL",
    "lat": 52.992,
    "lon": 6.561,
    "phone": "14 0592",
    "status": "confirmed",
    "status_note": None,
    "source": "roo",
    "attribution": "Bron: Register van Overheidsorganisaties",
    "checked_on": date(2026, 4, 1),
}
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_a_nearby_ido_becomes_a_card_with_its_source() -> None:
    referral = refer(topics()["topic_digid"], ASSEN, "helper", CounterIndex([door(), door(**DESK)]), ORGS, NOW)
    assert referral.messages[0].startswith("Voor Assen:")
    assert [c["name"] for c in referral.cards] == ["IDO Test"]  # a door with a street: no need for the desk
    text = referral.cards[0]["text"]
    assert "IDO waarschijnlijk" in text and "© OpenStreetMap-bijdragers" in text
    assert not referral.fallback


def test_nothing_nearby_gives_the_gemeente_front_desk_with_what_to_ask() -> None:
    far = door(lat=53.4, lon=5.3)  # Terschelling, far from Assen
    referral = refer(topics()["topic_digid"], ASSEN, "helper", CounterIndex([far, door(**DESK)]), ORGS, NOW)
    assert referral.fallback
    assert "Ik ken geen Informatiepunt Digitale Overheid dicht bij Assen" in "\n".join(referral.messages)
    assert [c["name"] for c in referral.cards] == ["Gemeente Assen"]
    desk = referral.cards[0]
    assert (desk["address"], desk["phone"], desk["lat"]) == ("Noordhaven 1", "14 0592", 52.992)
    assert "Vraag naar het Informatiepunt Digitale Overheid. De gemeente weet waar het is." in desk["text"]
    assert "gecontroleerd: april 2026" in desk["text"]


BELASTING = Organisation(
    "belastingdienst",
    "Belastingdienst",
    (),
    "0800 0543",
    "gratis",
    "https://www.belastingdienst.nl",
    True,
    ("https://example.org/x",),
)


def test_a_national_topic_adds_a_local_door_for_help_with_logging_in() -> None:
    orgs = {"belastingdienst": BELASTING}
    route = national_route(topics()["topic_belasting"], orgs)  # said first, before the place is asked
    assert "Bel 0800 0543 (gratis)." in route[1] and "Bron: example.org" in route[1]
    referral = refer(topics()["topic_belasting"], ASSEN, "helper", CounterIndex([door(**DESK)]), orgs, NOW)
    assert "Hulp bij inloggen of invullen, in de buurt:" in referral.messages
    assert [c["kind"] for c in referral.cards] == ["gemeente"]
    assert "0800 0543" not in "\n".join(referral.messages + referral.after)  # not said twice


def test_without_a_place_the_general_route_and_the_national_numbers() -> None:
    referral = refer(
        topics()["topic_belasting"], None, "helper", CounterIndex([door(**DESK)]), {"belastingdienst": BELASTING}, NOW
    )
    assert referral.fallback and not referral.cards
    said = "\n".join(referral.after)
    assert "bibliotheek of het gemeentehuis" in said and "0800 0543" in said


def test_a_card_says_how_strong_its_facts_are() -> None:
    old = card(
        Found(
            door(
                status="trial",
                checked_on=date(2025, 3, 1),
                reports=1,
                opening_hours="Mo-Fr 09:00-17:00",
                walk_in=True,
                appointment_url="https://example.org/afspraak",
            ),
            0.4,
        ),
        NOW,
    )
    text = old["text"]
    assert "proef" in text and "Laatst gecontroleerd: maart 2025." in text
    assert "Iemand meldde dat hier iets niet klopt" in text
    assert "Nu open tot 17:00." in text and "Inloop" in text
    assert "Afstand: ongeveer 0,4 km" in text
    titles = [(b["title"], b.get("url"), b.get("payload")) for b in old["buttons"]]
    assert titles == [("Afspraak maken", "https://example.org/afspraak", None), ("Klopt dit niet?", None, "/melding 1")]


def test_the_two_voices_differ() -> None:
    helper = refer(topics()["topic_toeslagen"], ASSEN, "helper", CounterIndex([]), ORGS)
    professional = refer(topics()["topic_toeslagen"], ASSEN, "professional", CounterIndex([]), ORGS)
    assert helper.after[-1] != professional.after[-1]
    assert topics()["topic_toeslagen"].professional[0] in professional.after[-1]


def test_a_card_without_address_says_to_ask() -> None:
    text = card_text(
        {
            "name": "Loket",
            "address": None,
            "place": "Dordrecht",
            "gemeente": "Dordrecht",
            "distance_km": None,
            "status": "confirmed",
        }
    )
    assert "adres: vraag het na" in text and "In uw gemeente" in text
