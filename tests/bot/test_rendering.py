from __future__ import annotations

from bot.rendering import Button, Reply, from_rasa, referral_lines, to_console


def test_rasa_messages_become_replies() -> None:
    replies = from_rasa(
        [
            {"recipient_id": "x", "text": "Kies:", "buttons": [{"title": "DigiD", "payload": "/topic_digid"}]},
            {"recipient_id": "x", "custom": {"type": "ask_location", "text": "Waar woont de persoon?"}},
            {"recipient_id": "x"},
        ]
    )
    assert replies == [
        Reply(text="Kies:", buttons=[Button("DigiD", "/topic_digid")]),
        Reply(text="Waar woont de persoon?", custom={"type": "ask_location", "text": "Waar woont de persoon?"}),
    ]
    assert replies[1].kind == "ask_location" and replies[0].kind == "text"


def test_console_numbers_the_choices_across_messages() -> None:
    text, choices = to_console(
        [
            Reply(text="Gaat het over:", buttons=[Button("DigiD", "/topic_digid"), Button("Toeslagen", "/topic_toeslagen")]),
            Reply(text="Of:", buttons=[Button("Iets anders", "/out_of_scope")]),
        ]
    )
    assert text.splitlines() == ["Gaat het over:", "  1. DigiD", "  2. Toeslagen", "Of:", "  3. Iets anders"]
    assert choices == {"1": "/topic_digid", "2": "/topic_toeslagen", "3": "/out_of_scope"}


def test_an_unconfirmed_referral_says_so() -> None:
    lines = referral_lines(
        {"type": "referral", "name": "Bibliotheek Assen", "address": "Collegeplein 1", "place": "Assen",
         "distance_km": 1.24, "confirmed": False}
    )
    assert lines[0] == "📍 Bibliotheek Assen"
    assert "Collegeplein 1, Assen" in lines
    assert "Afstand: ongeveer 1.2 km" in lines
    assert any("niet gecontroleerd" in line for line in lines)
