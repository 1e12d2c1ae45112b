"""Rendering for Telegram (pure: no network)."""

from __future__ import annotations

from bot.rendering import Button, Reply, split_text, telegram_plan


def ids_for(buttons: list[tuple[str, str]]) -> list[str]:
    return [f"id{n}" for n, _ in enumerate(buttons)]


def test_buttons_become_an_inline_keyboard_with_short_ids() -> None:
    plan = telegram_plan(
        [Reply(text="Kies:", buttons=[Button("DigiD", "/topic_digid"), Button("Toeslagen", "/topic_toeslagen")])],
        ids_for,
        "📍 Deel",
    )
    assert [c.method for c in plan] == ["sendMessage"]
    assert plan[0].params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "DigiD", "callback_data": "id0"}],
            [{"text": "Toeslagen", "callback_data": "id1"}],
        ]
    }


def test_a_location_request_adds_the_share_button_to_the_question() -> None:
    plan = telegram_plan(
        [Reply(text="In welke plaats?"), Reply(custom={"type": "ask_location"})], ids_for, "📍 Deel mijn locatie"
    )
    assert len(plan) == 1
    keyboard = plan[0].params["reply_markup"]["keyboard"]
    assert keyboard == [[{"text": "📍 Deel mijn locatie", "request_location": True}]]


def test_a_referral_card_becomes_a_map_pin_and_its_details() -> None:
    card = {
        "type": "referral",
        "name": "IDO Bibliotheek",
        "address": "Straat 1",
        "postcode": "9401 AA",
        "place": "Assen",
        "lat": 52.99,
        "lon": 6.56,
        "text": "IDO Bibliotheek\nStraat 1",
    }
    plan = telegram_plan([Reply(text=card["text"], custom=card)], ids_for, "x")
    assert [c.method for c in plan] == ["sendVenue", "sendMessage"]
    assert plan[0].params == {
        "latitude": 52.99,
        "longitude": 6.56,
        "title": "IDO Bibliotheek",
        "address": "Straat 1, 9401 AA, Assen",
    }


def test_a_card_without_a_coordinate_is_text_only() -> None:
    card = {"type": "referral", "name": "Loket", "lat": None, "lon": None, "text": "Loket\nIn uw gemeente"}
    assert [c.method for c in telegram_plan([Reply(text=card["text"], custom=card)], ids_for, "x")] == ["sendMessage"]


def test_long_texts_are_split_under_the_limit_at_a_boundary() -> None:
    text = "\n\n".join(f"Alinea {n}. " + "woord " * 150 for n in range(10))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "".join(p.replace("\n", "").replace(" ", "") for p in pieces) == text.replace("\n", "").replace(" ", "")
    assert all(p.startswith("Alinea") for p in pieces)


def test_a_card_has_link_buttons_and_a_report_button() -> None:
    from bot.rendering import from_rasa

    card = {
        "type": "referral",
        "name": "Gemeente Kampen",
        "address": "Burg Berghuisplein 1",
        "postcode": "8261 DD",
        "place": "Kampen",
        "lat": 52.55,
        "lon": 5.91,
        "text": "Gemeente Kampen\nTelefoon: 14 038",
        "buttons": [
            {"title": "Afspraak maken", "url": "https://www.kampen.nl/afspraak-maken"},
            {"title": "Klopt dit niet?", "payload": "/melding 7"},
        ],
    }
    replies = from_rasa([{"custom": card}])
    plan = telegram_plan(replies, ids_for, "x")
    assert [c.method for c in plan] == ["sendVenue", "sendMessage"]
    assert plan[1].params["text"] == "Gemeente Kampen\nTelefoon: 14 038"  # the number in the text, not a tel: button
    assert plan[1].params["reply_markup"]["inline_keyboard"] == [
        [{"text": "Afspraak maken", "url": "https://www.kampen.nl/afspraak-maken"}],
        [{"text": "Klopt dit niet?", "callback_data": "id0"}],
    ]


def test_pieces_fit_telegram_utf16_count_for_emoji_heavy_text() -> None:
    """Telegram counts UTF-16 units: an emoji is two, so 4,096 emoji need two messages."""
    from bot.rendering import TELEGRAM_MAX_TEXT, split_text, utf16_length

    for text in ("😀" * 4096, "a😀" * 3000, "😀 " * 2500, "𝔸" * 2049 + "\n\n" + "b" * 4000):
        pieces = split_text(text)
        assert all(0 < utf16_length(p) <= TELEGRAM_MAX_TEXT for p in pieces)
        assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
