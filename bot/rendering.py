"""From Rasa's bot messages to what a front-end shows.

Rasa answers with a list of messages: text, buttons, and custom payloads
(a referral card, a request to share a location). `from_rasa` turns them into
`Reply` objects; each front-end renders those its own way: the terminal chat
as text with numbered choices (`to_console`), Telegram with inline keyboards
and map pins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class Reply:
    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    custom: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """'referral', 'ask_location', ... for custom payloads; 'text' otherwise."""
        return str(self.custom.get("type", "text")) if self.custom else "text"


def from_rasa(messages: list[dict[str, Any]]) -> list[Reply]:
    replies = []
    for message in messages:
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in message.get("buttons") or []
        ]
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
        text = message.get("text") or custom.get("text") or ""
        if text or buttons or custom:
            replies.append(Reply(text=text, buttons=buttons, custom=custom))
    return replies


def referral_lines(card: dict[str, Any]) -> list[str]:
    """A referral card as plain lines: name, address, distance, hours, phone."""
    lines = [f"📍 {card.get('name', '')}"]
    address = ", ".join(p for p in (card.get("address"), card.get("place")) if p)
    if address:
        lines.append(address)
    if card.get("distance_km") is not None:
        lines.append(f"Afstand: ongeveer {card['distance_km']:.1f} km")
    for key, label in (("hours", "Open"), ("phone", "Telefoon"), ("website", "Website")):
        if card.get(key):
            lines.append(f"{label}: {card[key]}")
    if card.get("confirmed") is False:
        lines.append("Let op: deze gegevens zijn niet gecontroleerd. Bel of kijk eerst even.")
    return lines


def to_console(replies: list[Reply]) -> tuple[str, dict[str, str]]:
    """Plain text for a terminal, and the number → payload map of its choices."""
    out: list[str] = []
    choices: dict[str, str] = {}
    for reply in replies:
        if reply.kind == "referral":
            out.extend(referral_lines(reply.custom))
            if reply.text and reply.text not in out:
                out.append(reply.text)
        elif reply.text:
            out.append(reply.text)
        for button in reply.buttons:
            number = str(len(choices) + 1)
            choices[number] = button.payload
            out.append(f"  {number}. {button.title}")
    return "\n".join(out), choices
