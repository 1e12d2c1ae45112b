"""From Rasa's bot messages to what a front-end shows.

Rasa answers with a list of messages: text, buttons, and custom payloads
(a referral card, a request to share a location). `from_rasa` turns them into
`Reply` objects; each front-end renders those its own way: the terminal chat
as text with numbered choices (`to_console`), Telegram with inline keyboards
and map pins (`telegram_plan`). A referral card carries its own text (made
by the domain), so every front-end shows the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wegwijzer.texts import say


@dataclass(frozen=True)
class Button:
    """A choice (its payload goes back to the conversation) or a link to open."""

    title: str
    payload: str = ""
    url: str | None = None


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
    """Rasa's answer as replies. A response of the domain names its text by a
    catalogue key (`custom: {say: key, ...}`), and its buttons the same way:
    the text is looked up here, in the voice being spoken.

    An action that adds buttons to such a response (utter_place_ambiguous
    with a button per place) reaches us as two messages: the buttons without
    a text, then the response; they are joined again here."""
    replies = []
    held: list[Button] = []
    for message in messages:
        raw = message.get("custom")
        custom: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
        key = custom.pop("say", None)
        said = custom.pop("buttons", None) if key else None
        # A referral card carries its own buttons: links and "Klopt dit niet?".
        listed = [
            *(_said_buttons(said) if isinstance(said, list) else []),
            *(message.get("buttons") or (custom.get("buttons") if custom.get("type") == "referral" else None) or []),
        ]
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")), url=b.get("url") or None)
            for b in listed
            if isinstance(b, dict)
        ]
        if isinstance(key, str):
            values = {k: v for k, v in custom.items() if k != "type" and isinstance(v, str | int | float)}
            text = say(key, **values)
            custom = {k: v for k, v in custom.items() if k == "type"}
        else:
            text = message.get("text") or custom.get("text") or ""
        if buttons and not text and not raw:
            held += buttons  # the buttons of the response that follows
            continue
        if held and text:
            buttons, held = [*held, *buttons], []
        if text or buttons or custom:
            replies.append(Reply(text=text, buttons=buttons, custom=custom))
    if held:
        replies.append(Reply(buttons=held))
    return replies


def _said_buttons(said: list[Any]) -> list[dict[str, Any]]:
    return [
        {"title": say(str(b["say"])), "payload": str(b.get("payload", ""))}
        for b in said
        if isinstance(b, dict) and "say" in b
    ]


def to_console(replies: list[Reply]) -> tuple[str, dict[str, str]]:
    """Plain text for a terminal, and the number → payload map of its choices.
    Links are shown as text (a terminal cannot open them)."""
    out: list[str] = []
    choices: dict[str, str] = {}
    for reply in replies:
        if reply.kind == "referral":
            out.append(f"📍 {reply.text}")
        elif reply.text:
            out.append(reply.text)
        if reply.kind == "handover" and reply.custom.get("url"):
            out.append(f"  {reply.custom['link_label']}: {reply.custom['url']}")
        for button in reply.buttons:
            if button.url:
                out.append(f"  {button.title}: {button.url}")
                continue
            number = str(len(choices) + 1)
            choices[number] = button.payload
            out.append(f"  {number}. {button.title}")
    return "\n".join(out), choices


# -- Telegram ----------------------------------------------------------------
TELEGRAM_MAX_TEXT = 4096
SPLIT_AT = 4000  # a little room under Telegram's limit


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call to make: its method and parameters (without chat_id)."""

    method: str
    params: dict[str, Any]


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _fitting_prefix(text: str, limit: int) -> int:
    """The number of code points of `text` whose UTF-16 length is at most `limit`."""
    if utf16_length(text[:limit]) <= limit and len(text) <= limit:
        return len(text)
    end, units = 0, 0
    for char in text:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        end += 1
    return end


def split_text(text: str, limit: int = SPLIT_AT) -> list[str]:
    """Pieces under Telegram's limit, cut at a paragraph, line or word end.

    Telegram counts UTF-16 code units, not code points, so the limit is in
    those units.
    """
    pieces = []
    while utf16_length(text) > limit:
        fit = _fitting_prefix(text, limit)
        cuts = (text.rfind(sep, 0, fit) for sep in ("\n\n", "\n", " "))
        cut = next((c for c in cuts if c > fit // 2), fit)
        piece = text[:cut].rstrip()
        if piece:
            pieces.append(piece)
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def telegram_plan(
    replies: list[Reply],
    button_ids: Callable[[list[tuple[str, str]]], list[str]],
    share_location_label: str,
) -> list[Outgoing]:
    """The Bot API calls that show these replies.

    Buttons become an inline keyboard whose callback data is a short id
    (`button_ids` stores the payloads); a request for the location becomes a
    reply keyboard with a "share my location" button; a referral card with a
    coordinate becomes a map pin (sendVenue) followed by its details.
    """
    calls: list[Outgoing] = []
    for reply in replies:
        if reply.kind == "referral" and reply.custom.get("lat") is not None:
            card = reply.custom
            address = ", ".join(p for p in (card.get("address"), card.get("postcode"), card.get("place")) if p)
            calls.append(
                Outgoing(
                    "sendVenue",
                    {
                        "latitude": card["lat"],
                        "longitude": card["lon"],
                        "title": str(card.get("name", ""))[:128],
                        "address": (address or card.get("gemeente") or "")[:256],
                    },
                )
            )
        if reply.kind == "ask_location":
            markup: dict[str, Any] | None = {
                "keyboard": [[{"text": share_location_label, "request_location": True}]],
                "resize_keyboard": True,
                "one_time_keyboard": True,
            }
        elif reply.buttons:
            choices = [b for b in reply.buttons if not b.url]
            ids = iter(button_ids([(b.title, b.payload) for b in choices]) if choices else [])
            # Links open in the browser (tel: is not allowed in Telegram buttons).
            rows = [
                [{"text": b.title[:64], "url": b.url} if b.url else {"text": b.title[:64], "callback_data": next(ids)}]
                for b in reply.buttons
            ]
            markup = {"inline_keyboard": rows}
        else:
            markup = None
        if not reply.text:
            if markup is not None and calls and calls[-1].method == "sendMessage":
                # A markup without text (Rasa sends the location request apart):
                # attach it to the message before.
                calls[-1] = Outgoing("sendMessage", {**calls[-1].params, "reply_markup": markup})
            continue
        pieces = split_text(reply.text)
        for n, piece in enumerate(pieces):
            params: dict[str, Any] = {"text": piece}
            if markup is not None and n == len(pieces) - 1:
                params["reply_markup"] = markup
            calls.append(Outgoing("sendMessage", params))
        if reply.kind == "handover" and reply.custom.get("pdf"):
            # The handover card as a PDF to print or show at the desk.
            calls.append(
                Outgoing("sendDocument", {"document": reply.custom["pdf"], "filename": reply.custom["filename"]})
            )
    return calls
