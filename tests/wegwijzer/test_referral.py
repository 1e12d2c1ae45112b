"""Referral composition (domain only, no servers)."""

from __future__ import annotations

from wegwijzer.directory import CounterIndex, Door, Organisation
from wegwijzer.places import Location
from wegwijzer.referral import card_text, refer
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
        "walk_in": None,
        "by_appointment": False,
        "phone": None,
        "website": None,
        "topics": (),
        "confirmed": False,
        "status_note": "IDO waarschijnlijk",
        "source": "openstreetmap",
        "attribution": "© OpenStreetMap-bijdragers",
    }
    return Door(**{**base, **values})


def test_a_nearby_ido_becomes_a_card_with_its_source() -> None:
    referral = refer(topics()["topic_digid"], ASSEN, "helper", CounterIndex([door()]), ORGS)
    assert referral.messages[0].startswith("Voor Assen:")
    assert [c["name"] for c in referral.cards] == ["IDO Test"]
    text = referral.cards[0]["text"]
    assert "niet gecontroleerd" in text and "© OpenStreetMap-bijdragers" in text
    assert not referral.fallback


def test_nothing_nearby_gives_the_honest_fallback_and_never_an_address() -> None:
    far = door(lat=53.4, lon=5.3)  # Terschelling, far from Assen
    referral = refer(topics()["topic_digid"], ASSEN, "helper", CounterIndex([far]), ORGS)
    assert referral.fallback and not referral.cards
    said = "\n".join(referral.after)
    assert "Ik ken geen Informatiepunt Digitale Overheid dicht bij Assen" in said
    assert "bibliotheek" in said and "gemeente Assen" in said


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
            "confirmed": True,
        }
    )
    assert "adres: vraag het na" in text and "In uw gemeente" in text
