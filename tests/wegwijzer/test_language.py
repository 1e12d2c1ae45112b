"""The language of a message and its form of address (wegwijzer.language)."""

from __future__ import annotations

import pytest

from wegwijzer.language import hear, other_language


@pytest.mark.parametrize(
    "message",
    [
        "hi, my neighbour lost his digid and he only speaks english",
        "my mum got a letter from the belastingdienst",
        "help my neighbour got a fine from cjib",
        "Can someone help my father with his toeslagen form?",
    ],
)
def test_english_is_heard_despite_dutch_official_words(message: str) -> None:
    assert hear(message).language == "en"


@pytest.mark.parametrize(
    ("message", "form"),
    [
        ("hoi kun je me helpen, mn opa is zn digid kwijt", "je"),
        ("hoe kan ik jou bereiken", "je"),
        ("kunt u mij helpen met de toeslagen", "u"),
        ("wat betekent een voorlopige aanslag?", None),
        ("mijn buurvrouw is haar digid kwijt", None),
        ("kunt u mij helpen, je weet wel, met die brief", "u"),  # both: the polite form
    ],
)
def test_dutch_and_its_form_of_address(message: str, form: str | None) -> None:
    heard = hear(message)
    assert heard.language == "nl"
    assert heard.form == form


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Merhaba, komşum dijital kimliğini kaybetti, yardım eder misiniz", "tr"),
        ("Dzień dobry, mam problem z listem z urzędu", "pl"),
        ("Salaan, waxaan u baahanahay caawimaad", "so"),
        ("مرحبا، جاري فقد الديجيد الخاص به", "ar"),
        ("سلام، من به کمک نیاز دارم برای نامه", "fa"),
        ("Привіт, мій сусід загубив свій код", "uk"),
        ("Здравствуйте, мне нужна помощь с письмом", "ru"),
        ("ሰላም ሓገዝ የድልየኒ", "ti"),
        ("我需要帮助", "zh"),
        ("안녕하세요 도와주세요", "other"),
    ],
)
def test_other_languages_are_recognised(message: str, language: str) -> None:
    assert hear(message).language == language
    assert not hear(message).spoken


@pytest.mark.parametrize("message", ["ok", "ja", "thanks", "Zwolle", "9561 AB", "👍", ""])
def test_short_messages_say_nothing_about_the_language(message: str) -> None:
    assert hear(message).language is None


@pytest.mark.parametrize("message", ["in English please", "English?", "can you speak english"])
def test_asking_for_english(message: str) -> None:
    heard = hear(message)
    assert (heard.language, heard.asked) == ("en", True)


@pytest.mark.parametrize("message", ["Nederlands graag", "nederlands!", "in het Nederlands alstublieft"])
def test_asking_for_dutch(message: str) -> None:
    heard = hear(message)
    assert (heard.language, heard.asked) == ("nl", True)


def test_every_other_language_has_a_fixed_text_with_112_and_a_person() -> None:
    for code in ("ar", "tr", "pl", "uk", "ru", "so", "fa", "de", "fr", "zh", "ti", "xx", "other"):
        fixed = other_language(code)
        assert fixed.texts and fixed.button
        assert all("112" in text for text in fixed.texts), code
    assert len(other_language("ti").texts) == 2  # Ethiopic script: Tigrinya and Amharic
    assert other_language("xx").language == "other"  # the default text, in English and Dutch
