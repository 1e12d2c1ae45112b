"""The right door: from a topic, a place and a role to what Wegwijzer says.

`national_route` names the topic in plain words and how to reach the
national organisation. `refer` gives the referral once the place is known:
why this door, and always at least one door with a street address and a map
pin: the nearest known door of the kinds the topic looks for (an IDO, an
overheidsbreed loket, schuldhulp, ...), otherwise the gemeente's front desk
with one line on what to ask for there. Topics whose door is a national
organisation have given the national route first (national_route, before
the place is asked) and get the local door for help with logging in or
filling in. Then what to bring, and the steps for a helper or
the route for a professional.

A door is a card: a text plus a structured payload the front-ends render
(the terminal as text, Telegram as a map pin with buttons). Every fact on a
card is as strong as its source: a trial says it is a trial, a door not
checked for a year says when it was checked last, a reported door says so.
Nothing is made up: an unknown phone number or opening hour is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from wegwijzer import hours
from wegwijzer.directory import CounterIndex, Door, Found, Organisation, distance_km
from wegwijzer.doors import is_stale
from wegwijzer.places import Location
from wegwijzer.texts import say
from wegwijzer.topics import Topic
from wegwijzer.vocabulary import DoorKind, Role, Standing

RADIUS_KM = 25.0
MAX_CARDS = 2


@dataclass
class Referral:
    messages: list[str] = field(default_factory=list)  # before the cards
    cards: list[dict[str, Any]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # after the cards
    fallback: bool = False  # no door of the topic's kinds nearby: the gemeente (or the general route) instead


def national_route(topic: Topic, organisations: dict[str, Organisation]) -> list[str]:
    """The topic in plain words, then each national organisation's contacts."""
    messages = [topic.about]
    for org_id in topic.organisations:
        org = organisations.get(org_id)
        if org is not None:
            messages.append(say("route_organisation", name=org.name, contacts="\n".join(org.contact_lines())))
    return messages


def month_year(day: date) -> str:
    return say("month_year", month=say(f"month_{day.month}"), year=day.year)


def card(found: Found, now: datetime | None = None, ask: str | None = None) -> dict[str, Any]:
    """A door as a card: the payload the front-ends render."""
    door: Door = found.door
    now = now or datetime.now(UTC)
    today = now.astimezone(hours.ZONE).date()
    visit = (
        "both"
        if door.walk_in and door.by_appointment
        else "walk_in"
        if door.walk_in
        else ("appointment" if door.by_appointment else None)
    )
    payload: dict[str, Any] = {
        "type": "referral",
        "door_id": door.id,
        "name": door.name,
        "kind": door.kind,
        "address": door.address,
        "postcode": door.postcode,
        "place": door.place or door.gemeente,
        "gemeente": door.gemeente,
        "gemeente_code": door.gemeente_code,
        "lat": door.lat,
        "lon": door.lon,
        "distance_km": None if found.distance_km is None else round(found.distance_km, 1),
        "hours": hours.sentence(door.opening_hours, now),
        "opening_hours": door.opening_hours,
        "visit": visit,
        "phone": door.phone,
        "website": door.website,
        "appointment_url": door.appointment_url,
        "status": door.status,
        "confirmed": door.confirmed,
        "note": door.status_note,
        "checked_on": door.checked_on.isoformat() if door.checked_on else None,
        "stale": is_stale(door.checked_on, today),
        "reported": door.reports > 0,
        "ask": ask,
        "source": door.source,
        "attribution": door.attribution,
    }
    payload["text"] = card_text(payload)
    payload["buttons"] = card_buttons(payload)
    return payload


def card_text(card: dict[str, Any]) -> str:
    """The card as plain text: every front-end shows it (Telegram below the pin)."""
    lines = [card["name"]]
    address = ", ".join(
        p for p in (card.get("address"), " ".join(p for p in (card.get("postcode"), card.get("place")) if p)) if p
    )
    lines.append(address if card.get("address") else say("card_no_address", place=address or card.get("gemeente")))
    if card.get("distance_km") is not None:
        lines.append(say("card_distance", km=f"{card['distance_km']:.1f}".replace(".", ",")))
    else:
        lines.append(say("card_in_gemeente"))
    if card.get("phone"):
        lines.append(say("card_phone", value=card["phone"]))
    if card.get("hours"):
        lines.append(card["hours"])
    if card.get("visit"):
        lines.append(say(f"card_visit_{card['visit']}"))
    if card.get("ask"):
        lines.append(card["ask"])
    status = card.get("status")
    if status == Standing.TRIAL:
        lines.append(say("card_trial"))
    if card.get("note"):
        lines.append(card["note"])
    if status == Standing.UNCHECKED:
        lines.append(say("card_not_checked"))
    if card.get("reported"):
        lines.append(say("card_reported"))
    checked = date.fromisoformat(card["checked_on"]) if card.get("checked_on") else None
    if checked is not None and card.get("stale"):
        lines.append(say("card_checked_long_ago", when=month_year(checked)))
    if card.get("attribution"):
        when = say("card_checked_when", when=month_year(checked)) if checked and not card.get("stale") else ""
        lines.append(say("card_source", source=card["attribution"], when=when))
    return "\n".join(lines)


def card_buttons(card: dict[str, Any]) -> list[dict[str, str]]:
    """Links to open (the appointment, the website) and "Klopt dit niet?"."""
    buttons = []
    if card.get("appointment_url"):
        buttons.append({"title": say("card_appointment_button"), "url": card["appointment_url"]})
    if card.get("website"):
        buttons.append({"title": say("card_website_button"), "url": card["website"]})
    if card.get("door_id") is not None:
        buttons.append({"title": say("card_report_button"), "payload": f"/melding {card['door_id']}"})
    return buttons


def local_doors(topic: Topic, location: Location, role: Role, index: CounterIndex) -> list[Found]:
    """The nearest doors of the kinds the topic looks for (and, for a
    professional, an overheidsbreed loket)."""
    kinds = list(topic.near)
    if role == Role.PROFESSIONAL and DoorKind.LOKET.value not in kinds:
        kinds.append(DoorKind.LOKET.value)
    if not kinds:
        return []
    return index.nearest(
        location.lat, location.lon, tuple(kinds), k=MAX_CARDS, radius_km=RADIUS_KM, gemeente_code=location.gemeente_code
    )


def refer(
    topic: Topic,
    location: Location | None,
    role: str,
    index: CounterIndex,
    organisations: dict[str, Organisation],
    now: datetime | None = None,
) -> Referral:
    referral = Referral()
    who = Role.of(role)
    where = location.name if location else None
    referral.messages.append(say("referral_for_place", place=where, why=topic.why) if where else topic.why)

    if location is not None:
        found = local_doors(topic, location, who, index)
        desk = index.desk(location.gemeente_code)
        if not any(f.door.has_street_address for f in found) or topic.door == "gemeente":
            referral.fallback = not found
            if topic.near and not found:
                referral.messages.append(say("referral_none_near", place=where, kind=say(f"kind_{topic.near[0]}")))
            if desk is not None and desk.lat is not None and desk.lon is not None:
                desk_found = Found(desk, distance_km(location.lat, location.lon, desk.lat, desk.lon))
                found = [desk_found, *found] if topic.door == "gemeente" else [*found, desk_found]
        if topic.door == "organisation" and found:
            referral.messages.append(say("referral_local_help"))
        referral.cards = [
            card(f, now, ask=topic.ask_gemeente if f.door.kind == DoorKind.GEMEENTE else None)
            for f in found[: MAX_CARDS + 1]
        ]
    else:
        # No place: the route that is always true, and the national numbers again.
        referral.fallback = True
        referral.after.append(say("referral_no_place"))
        national = [
            say("referral_phone_line", name=org.name, contacts=" ".join(org.contact_lines()))
            for org_id in topic.organisations
            if (org := organisations.get(org_id)) is not None and (org.phone or org.no_national_number)
        ]
        if national:
            referral.after.append(say("referral_national", lines="\n".join(national)))

    if topic.bring:
        referral.after.append(say("referral_bring", items="\n".join(f"- {item}" for item in topic.bring)))
    steps = topic.professional if who == Role.PROFESSIONAL else topic.helper
    if steps:
        referral.after.append("\n".join(f"- {step}" for step in steps))
    return referral
