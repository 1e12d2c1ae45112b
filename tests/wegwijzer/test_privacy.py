from __future__ import annotations

import pytest

from wegwijzer.privacy import pseudonym, redact


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("haar bsn is 111222333", "haar bsn is [BSN]", {"bsn"}),
        ("bsn 111.222.333 graag", "bsn [BSN] graag", {"bsn"}),
        ("iban NL91 ABNA 0417 1643 00 van hem", "iban [IBAN] van hem", {"iban"}),
        ("bel haar op 06-12345678", "bel haar op [telefoonnummer]", {"phone"}),
        ("mail naar jan.jansen@example.org", "mail naar [e-mail]", {"email"}),
        ("de sms code is 481516", "de sms code is [code]", {"secret"}),
        ("wachtwoord: Zomer2024", "wachtwoord: [code]", {"secret"}),
        ("mijn digid wachtwoord is welkom", "mijn digid wachtwoord is [code]", {"secret"}),
        ("code 4815 16 werkt niet", "code [code] werkt niet", {"secret"}),
    ],
)
def test_personal_numbers_and_codes_are_removed(text: str, expected: str, kinds: set[str]) -> None:
    assert redact(text) == (expected, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "wachtwoord vergeten",
        "de sms code komt niet binnen",
        "postcode 9561 AB en huisnummer 12",
        "ze moet 1500 euro terugbetalen voor 2024",
        "123456789 is geen geldig bsn",
        "activeringscode kwijt",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == (text, set())


def test_pseudonyms_are_stable_and_keyed() -> None:
    assert pseudonym("tg", 42, b"a") == pseudonym("tg", 42, b"a")
    assert pseudonym("tg", 42, b"a") != pseudonym("tg", 42, b"b")
    assert pseudonym("tg", 42, b"a") != pseudonym("tg", 43, b"a")
    assert "42" not in pseudonym("tg", 42, b"a")
