from __future__ import annotations

from bot.rendering import Button, Reply, from_rasa, to_console


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
            Reply(
                text="Gaat het over:",
                buttons=[Button("DigiD", "/topic_digid"), Button("Toeslagen", "/topic_toeslagen")],
            ),
            Reply(text="Of:", buttons=[Button("Iets anders", "/out_of_scope")]),
        ]
    )
    assert text.splitlines() == ["Gaat het over:", "  1. DigiD", "  2. Toeslagen", "Of:", "  3. Iets anders"]
    assert choices == {"1": "/topic_digid", "2": "/topic_toeslagen", "3": "/out_of_scope"}


def test_a_referral_card_shows_its_own_text_with_a_pin() -> None:
    card = {"type": "referral", "name": "Bibliotheek Assen", "text": "Bibliotheek Assen\nCollegeplein 1, Assen"}
    text, choices = to_console(from_rasa([{"custom": card}]))
    assert text == "📍 Bibliotheek Assen\nCollegeplein 1, Assen"
    assert choices == {}


def test_in_the_terminal_links_are_text_and_choices_are_numbered() -> None:
    from bot.rendering import Button, Reply, to_console

    shown, choices = to_console(
        [
            Reply(
                text="Gemeente Kampen",
                custom={"type": "referral"},
                buttons=[
                    Button("Afspraak maken", url="https://www.kampen.nl/afspraak-maken"),
                    Button("Klopt dit niet?", "/melding 7"),
                ],
            )
        ]
    )
    assert shown.splitlines() == [
        "📍 Gemeente Kampen",
        "  Afspraak maken: https://www.kampen.nl/afspraak-maken",
        "  1. Klopt dit niet?",
    ]
    assert choices == {"1": "/melding 7"}


def test_a_response_by_key_is_said_in_the_voice_with_its_buttons() -> None:
    from wegwijzer.texts import Voice, say, speaking

    messages = [
        {"recipient_id": "x", "text": None, "buttons": [{"title": "Hengelo (Overijssel)", "payload": "/a"}]},
        {"recipient_id": "x", "custom": {"say": "utter_place_ambiguous", "place": "Hengelo"}},
        {
            "recipient_id": "x",
            "custom": {
                "say": "utter_clarify_other",
                "buttons": [{"say": "talk_to_staff_button", "payload": "/medewerker"}],
            },
        },
        {"recipient_id": "x", "custom": {"type": "ask_location", "say": "utter_ask_location"}},
    ]
    with speaking(Voice("en")):
        replies = from_rasa(messages)
        assert [r.text for r in replies] == [
            say("utter_place_ambiguous", place="Hengelo"),
            say("utter_clarify_other"),
            say("utter_ask_location"),
        ]
        assert [b.title for b in replies[0].buttons] == ["Hengelo (Overijssel)"]
        assert [(b.title, b.payload) for b in replies[1].buttons] == [(say("talk_to_staff_button"), "/medewerker")]
        assert replies[2].kind == "ask_location" and replies[2].custom == {"type": "ask_location"}
