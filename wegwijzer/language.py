"""Which language a message is in, and whether it says "je" or "u".

Wegwijzer speaks Dutch and English. A message's language is detected with
Lingua (`lingua-language-detector`: its models ship in the wheel, nothing is
downloaded at run time). Official Dutch words are taken out first, so "my mum
got a letter from the Belastingdienst" counts as English: names of
organisations (`organisation_names.yml`), words from the glossary and place
names are the same in every language.

A message in a language Wegwijzer does not speak is recognised by its script
(Arabic, Cyrillic, Ethiopic, Chinese, ...) or by Lingua among the Latin-script
languages of `other_languages.yml`; it gets that language's fixed text
(`other_language`). Short messages ("ok", "ja", "thanks") say nothing about the
language: the remembered language stays.

The form of address is read from the words themselves: "u", "uw" → "u";
"je", "jij", "jou", "jouw" → "je" (DESIGN: "u unless the user writes je").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

DATA_DIR = Path(__file__).resolve().parent / "data"

# Lingua's Latin-script languages: Wegwijzer's two, and those with a fixed text.
LATIN = {
    Language.DUTCH: "nl",
    Language.ENGLISH: "en",
    Language.TURKISH: "tr",
    Language.POLISH: "pl",
    Language.SOMALI: "so",
    Language.GERMAN: "de",
    Language.FRENCH: "fr",
    Language.SPANISH: "es",
    Language.PORTUGUESE: "pt",
    Language.ROMANIAN: "ro",
}
ARABIC_SCRIPT = {Language.ARABIC: "ar", Language.PERSIAN: "fa"}
CYRILLIC = {Language.RUSSIAN: "ru", Language.UKRAINIAN: "uk", Language.BULGARIAN: "bg"}
# Unicode script ranges → the language shown when Lingua cannot tell them apart.
SCRIPTS = (
    ("ethiopic", ((0x1200, 0x139F), (0x2D80, 0x2DDF)), "ti"),  # Tigrinya (and Amharic: both texts)
    ("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)), "ar"),
    ("cyrillic", ((0x0400, 0x04FF),), "ru"),
    ("cjk", ((0x4E00, 0x9FFF), (0x3400, 0x4DBF)), "zh"),
)
MIN_WORDS = 3  # fewer words (after the official ones) say nothing about the language
MIN_CONFIDENCE = 0.5  # to take a first language, or Dutch/English at all
SURE = 0.7  # to change a remembered language, or to name another language

U_FORM = re.compile(r"(?i)\b(u|uw|uzelf)\b")
JE_FORM = re.compile(r"(?i)\b(je|jij|jou|jouw|jezelf)\b")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# "in English please", "can you speak English?"; "Nederlands graag".
ASKS_ENGLISH = re.compile(
    r"(?i)\b(in english|english please|speak english|talk english|write english|engels graag|in het engels)\b"
    r"|^\s*english\s*[?!.]*\s*$"
)
ASKS_DUTCH = re.compile(
    r"(?i)\b(in dutch|dutch please|speak dutch|nederlands graag|in het nederlands|spreek nederlands)\b"
    r"|^\s*(nederlands|dutch)\s*[?!.]*\s*$"
)


@dataclass(frozen=True)
class Heard:
    """What a message says about its writer's language and form of address."""

    language: str | None = None  # "nl", "en", another ISO code, or None: cannot tell
    confidence: float = 0.0
    form: str | None = None  # "u", "je", or None: neither (Dutch only)
    asked: bool = False  # the user asked for the language ("in English please")

    @property
    def spoken(self) -> bool:
        """A language Wegwijzer speaks."""
        return self.language in ("nl", "en")


def hear(text: str) -> Heard:
    """The language and form of address of one message."""
    text = text or ""
    if ASKS_ENGLISH.search(text):
        return Heard("en", 1.0, None, asked=True)
    if ASKS_DUTCH.search(text):
        return Heard("nl", 1.0, form_of(text), asked=True)
    script = _script(text)
    if script is not None:
        return script
    words = [w for w in WORD.findall(text) if not is_official_word(w)]
    if len(words) < MIN_WORDS:
        return Heard(None, 0.0, form_of(text))
    values = latin_detector().compute_language_confidence_values(" ".join(words))
    if not values:
        return Heard(None, 0.0, form_of(text))
    best = values[0]
    code = LATIN[best.language]
    if code == "en":
        return Heard("en", best.value, None)
    if code == "nl" and best.value >= MIN_CONFIDENCE:
        return Heard("nl", best.value, form_of(text))
    if code != "nl" and best.value >= SURE:
        return Heard(code, best.value, None)
    return Heard(None, best.value, form_of(text))


def form_of(text: str) -> str | None:
    """ "u" or "je" as the writer addresses the reader; "u" when both appear."""
    if U_FORM.search(text):
        return "u"
    if JE_FORM.search(text):
        return "je"
    return None


def _script(text: str) -> Heard | None:
    """A language known by its script alone (or, within it, by Lingua)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    for name, ranges, fallback in SCRIPTS:
        share = sum(1 for c in letters if any(lo <= ord(c) <= hi for lo, hi in ranges)) / len(letters)
        if share < 0.5:
            continue
        if name == "arabic":
            return Heard(_within(text, ARABIC_SCRIPT, fallback), 1.0)
        if name == "cyrillic":
            return Heard(_within(text, CYRILLIC, fallback), 1.0)
        return Heard(fallback, 1.0)
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin / len(letters) < 0.5:
        return Heard("other", 1.0)  # Hangul, Devanagari, Thai, ...: the default text
    return None


def _within(text: str, languages: dict[Language, str], fallback: str) -> str:
    found = script_detector(tuple(languages)).detect_language_of(text)
    return languages.get(found, fallback) if found is not None else fallback


@lru_cache(maxsize=1)
def latin_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LATIN).with_preloaded_language_models().build()


@lru_cache(maxsize=4)
def script_detector(languages: tuple[Language, ...]) -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*languages).build()


# -- official words: the same in every language ------------------------------------
def is_official_word(word: str) -> bool:
    return word.lower() in official_words()


@lru_cache(maxsize=1)
def official_words() -> frozenset[str]:
    """Single words that name an organisation, a scheme or a place."""
    words: set[str] = set()
    doc: Any = yaml.safe_load((DATA_DIR / "organisation_names.yml").read_text(encoding="utf-8"))
    for canonical, entry in (doc.get("organisations") or {}).items():
        for name in [canonical, *(entry or {}).get("names", [])]:
            words.update(w.lower() for w in WORD.findall(str(name)))
    glossary: Any = yaml.safe_load((DATA_DIR / "glossary.yml").read_text(encoding="utf-8"))
    for key in glossary.get("entries") or {}:
        # Only the Dutch head words: the forms also hold English glosses.
        if " " not in str(key):
            words.add(str(key).lower())
    from wegwijzer.placenames import default_place_names

    for place in default_place_names().places:
        if " " not in place.name and len(place.name) > 3:
            words.add(place.name.lower())
    return frozenset(words)


# -- other languages: a fixed text ----------------------------------------------------
@dataclass(frozen=True)
class FixedText:
    language: str
    texts: tuple[str, ...]  # the language's text (Ethiopic: Tigrinya and Amharic)
    button: str


@lru_cache(maxsize=1)
def _other_languages() -> dict[str, Any]:
    doc: Any = yaml.safe_load((DATA_DIR / "other_languages.yml").read_text(encoding="utf-8"))
    return dict(doc["languages"])


def other_language(code: str) -> FixedText:
    """The fixed text for a language Wegwijzer does not speak."""
    languages = _other_languages()
    codes = ["ti", "am"] if code == "ti" else [code]
    found = [languages[c] for c in codes if c in languages]
    if not found:
        default = languages["default"]
        return FixedText("other", (str(default["text"]),), str(default["button"]))
    return FixedText(code, tuple(str(e["text"]) for e in found), str(found[0]["button"]))
