"""The right door: from a topic, a place and a role to what Wegwijzer says.

`national_route` names the topic in plain words and how to reach the
national organisation. `refer` gives the referral once the place is known:
why this door, the nearest counters as cards (a text plus a structured
payload the front-ends render: the terminal as text, Telegram as a map pin),
what to bring, and the steps for a helper or the route for a professional.

When nothing is known near the person it says so, and gives what is always
true: ask at the public library or the gemeente for the Informatiepunt
Digitale Overheid, plus the national phone route. It never makes up an
address, phone number or opening hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wegwijzer.directory import KINDS, CounterIndex, Found, Organisation
from wegwijzer.places import Location
from wegwijzer.texts import say
from wegwijzer.topics import Topic
from wegwijzer.vocabulary import Role

RADIUS_KM = 25.0
MAX_CARDS = 2


@dataclass
class Referral:
    messages: list[str] = field(default_factory=list)  # before the cards
    cards: list[dict[str, Any]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # after the cards
    fallback: bool = False  # nothing known nearby: the always-true route was given


def national_route(topic: Topic, organisations: dict[str, Organisation]) -> list[str]:
    """The topic in plain words, then each national organisation's contacts."""
    messages = [topic.about]
    for org_id in topic.organisations:
        org = organisations.get(org_id)
        if org is not None:
            messages.append(say("route_organisation", name=org.name, contacts="\n".join(org.contact_lines())))
    return messages


def card(found: Found) -> dict[str, Any]:
    """A counter as a card: the payload the front-ends render."""
    door = found.door
    payload = {
        "type": "referral",
        "name": door.name,
        "kind": door.kind,
        "address": door.address,
        "postcode": door.postcode,
        "place": door.place or door.gemeente,
        "gemeente": door.gemeente,
        "lat": door.lat,
        "lon": door.lon,
        "distance_km": None if found.distance_km is None else round(found.distance_km, 1),
        "hours": door.opening_hours or (say("card_by_appointment") if door.by_appointment else None),
        "walk_in": door.walk_in,
        "phone": door.phone,
        "website": door.website,
        "confirmed": door.confirmed,
        "note": door.status_note,
        "source": door.source,
        "attribution": door.attribution,
    }
    payload["text"] = card_text(payload)
    return payload


def card_text(card: dict[str, Any]) -> str:
    """The card as plain text: for front-ends without maps, and for logs."""
    lines = [card["name"]]
    address = ", ".join(p for p in (card.get("address"), card.get("postcode"), card.get("place")) if p)
    lines.append(address if card.get("address") else say("card_no_address", place=address or card.get("gemeente")))
    if card.get("distance_km") is not None:
        lines.append(say("card_distance", km=card["distance_km"]))
    else:
        lines.append(say("card_in_gemeente"))
    for key in ("hours", "walk_in", "phone", "website"):
        if card.get(key):
            lines.append(say(f"card_{key}", value=card[key]))
    if card.get("note"):
        lines.append(card["note"])
    if not card.get("confirmed"):
        lines.append(say("card_not_checked"))
    if card.get("attribution"):
        lines.append(say("card_source", source=card["attribution"]))
    return "\n".join(lines)


def refer(
    topic: Topic,
    location: Location | None,
    role: str,
    index: CounterIndex,
    organisations: dict[str, Organisation],
) -> Referral:
    referral = Referral()
    where = location.name if location else None
    gemeente = location.gemeente if location else None

    doors: list[Found] = []
    if location is not None and "ido" in topic.doors:
        doors += index.nearest(
            location.lat,
            location.lon,
            KINDS["ido"],
            k=MAX_CARDS,
            radius_km=RADIUS_KM,
            gemeente_code=location.gemeente_code,
        )
    lokets: list[Found] = []
    if location is not None and ("loket" in topic.doors or role == Role.PROFESSIONAL):
        lokets = index.nearest(
            location.lat, location.lon, KINDS["loket"], k=1, radius_km=RADIUS_KM, gemeente_code=location.gemeente_code
        )

    intro = say("referral_for_place", place=where, why=topic.why) if where else topic.why
    referral.messages.append(intro)

    if topic.door == "loket":
        doors = lokets + doors
    elif role == Role.PROFESSIONAL:
        doors = doors + lokets
    referral.cards = [card(found) for found in doors[: MAX_CARDS + 1]]

    if "ido" in topic.doors and not any(c["kind"] == "ido" for c in referral.cards):
        referral.fallback = True
        near = say("referral_near", place=where) if where else ""
        named = say("referral_gemeente_name", gemeente=gemeente) if gemeente else ""
        referral.after.append(say("referral_no_ido", near=near, gemeente=named))
    if topic.door == "loket" and not lokets:
        referral.after.append(say("referral_no_loket", gemeente=gemeente or say("referral_gemeente_of_person")))
    if topic.door == "gemeente" and gemeente:
        referral.after.append(say("referral_gemeente_door", gemeente=gemeente))

    phones = [
        say("referral_phone_line", name=org.name, contacts=" ".join(org.contact_lines()))
        for org_id in topic.organisations
        if (org := organisations.get(org_id)) is not None and org.phone
    ]
    if phones and (referral.fallback or topic.door == "organisation"):
        referral.after.append(say("referral_national", lines="\n".join(phones)))
    if topic.bring:
        referral.after.append(say("referral_bring", items="\n".join(f"- {item}" for item in topic.bring)))
    steps = topic.professional if role == Role.PROFESSIONAL else topic.helper
    if steps:
        referral.after.append("\n".join(f"- {step}" for step in steps))
    return referral
