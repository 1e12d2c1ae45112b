"""Privacy by design: pseudonyms for users, and redaction of personal
numbers, names, street addresses and dates of birth.

The Rasa conversation and the database never see a raw Telegram id: the
front-end sends a keyed hash of it. The key lives outside the code
(WEGWIJZER_SECRET, or a file under var/ made on first use), so the pseudonym
cannot be recomputed from a leaked conversation alone.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from wegwijzer.settings import settings
from wegwijzer.texts import say


def load_secret(path: Path | None = None) -> bytes:
    """WEGWIJZER_SECRET, else a random key kept in var/secret.key."""
    config = settings()
    if config.secret is not None:
        return config.secret.get_secret_value().encode()
    path = path or config.var_dir / "secret.key"
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path.write_bytes(key)
    path.chmod(0o600)
    return key


def pseudonym(channel: str, user_id: str | int, secret: bytes) -> str:
    """A stable, non-reversible id for a user of a channel: 'tg-3f9a…'."""
    digest = hmac.new(secret, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:20]}"


# -- redaction ---------------------------------------------------------------
# Personal numbers never leave the front-end: not to Rasa, not to the
# database, not to the logs. What was removed is named in its place, so the
# text still reads well ("mijn BSN is [BSN]").


EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
IBAN_LIKE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
NINE_DIGITS = re.compile(r"(?<![\d-])(\d{3}[ .]?\d{3}[ .]?\d{3}|\d{8})(?![\d-])")
SECRET_WORDS = (
    r"sms[- ]?code|sms[- ]?controle ?code|controlecode|verificatiecode|inlogcode|pincode|pin|"
    r"wachtwoord|password|passwoord|ww|activeringscode|code"
)
SECRET = re.compile(
    rf"\b(?P<word>{SECRET_WORDS})\b(?P<sep>\s*(?:is|was|=|:)\s*|\s+)(?P<value>\d[\d ]*\d|[^\s,.;!?]+)",
    re.IGNORECASE,
)


def label(kind: str) -> str:
    """What stands in a redacted number's place: "[BSN]", "[telefoonnummer]", ..."""
    return say(f"redacted_{kind}")


# -- names, street addresses, dates of birth ---------------------------------
# Found by deduce (the Dutch de-identification library, offline), and used
# selectively: a person's name; a location only when it is a street with a
# house number (a place name or a postcode is what the referral needs); a date
# only when the words before it say it is a birth date (a deadline stays).

HOUSE_NUMBER = re.compile(r"[A-Za-zÀ-ÿ].*\s\d{1,5}(?:\s?[a-zA-Z]{1,2}\b|-\d{1,4})?$")
POSTCODE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")
BIRTH_CONTEXT = re.compile(
    r"(?:geboren|geb\.|geboortedatum|geboortedag|born|date of birth|birth date|birthday|verjaardag)"
    r"(?:\s+(?:is|op|in|on|was|:))*[\s:]*$",
    re.IGNORECASE,
)
# Words deduce may take for a name that are not one here.
NOT_A_NAME = {
    "digid",
    "bsn",
    "iban",
    "sms",
    "ido",
    "uwv",
    "svb",
    "cak",
    "cjib",
    "duo",
    "ind",
    "belastingdienst",
    "toeslagen",
    "gemeente",
    "mijnoverheid",
    "ggd",
    "wmo",
    "aow",
    "ww",
    "wia",
    "bijstand",
}


_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _load_deduce() -> Any:
    import deduce  # heavy: loaded on first use

    return deduce.Deduce()


def _deduce() -> Any:
    """The de-identifier, built once per process (a few seconds)."""
    with _LOADING:
        return _load_deduce()


@lru_cache(maxsize=1)
def warm_up() -> threading.Thread:
    """Load the de-identifier in the background, so the first message does
    not wait for it. One loading thread per process: a later call returns
    the same thread (to join it)."""
    thread = threading.Thread(target=_deduce, name="deduce-warm-up", daemon=True)
    thread.start()
    return thread


def _is_place(text: str) -> bool:
    from wegwijzer.placenames import default_place_names

    names = default_place_names()
    return names.official(text) is not None or names.gemeente_of_neighbourhood(text) is not None


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the names, street addresses and birth dates."""
    if not re.search(r"[A-Za-z]", text):
        return []
    spans: list[tuple[int, int, str]] = []
    for a in _deduce().deidentify(text).annotations:
        value = a.text.strip()
        if a.tag in {"persoon", "patient"}:
            if value.lower() in NOT_A_NAME or _is_place(value) or value.startswith("["):
                continue
            spans.append((a.start_char, a.end_char, "name"))
        elif a.tag == "locatie":
            if HOUSE_NUMBER.match(value) and not POSTCODE.match(value):
                spans.append((a.start_char, a.end_char, "address"))
        elif a.tag == "datum" and BIRTH_CONTEXT.search(text[max(0, a.start_char - 40) : a.start_char]):
            spans.append((a.start_char, a.end_char, "birthdate"))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            continue  # overlapping: the first wins
        merged.append(span)
    return merged


def redact(text: str) -> tuple[str, set[str]]:
    """The text without BSN, IBAN, phone numbers, e-mail addresses, codes or
    passwords, people's names, street addresses and dates of birth; and the
    kinds that were removed."""
    found: set[str] = set()

    def replace(kind: str) -> str:
        found.add(kind)
        return label(kind)

    text = EMAIL.sub(lambda m: replace("email"), text)
    text = IBAN_LIKE.sub(lambda m: replace("iban") if stdnum_iban.is_valid(m.group(0)) else m.group(0), text)
    text = NINE_DIGITS.sub(
        lambda m: replace("bsn") if stdnum_bsn.is_valid(re.sub(r"\D", "", m.group(0))) else m.group(0),
        text,
    )
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "NL"))):
        text = text[: match.start] + replace("phone") + text[match.end :]

    def secret(m: re.Match[str]) -> str:
        value = m.group("value")
        explicit = m.group("sep").strip() != ""
        if value.startswith("[") or not (explicit or re.search(r"\d|[^\w]", value)):
            return m.group(0)  # "de code komt niet", "wachtwoord vergeten"
        if value.lower() in {"niet", "nog", "al", "kwijt", "vergeten", "verkeerd", "fout"}:
            return m.group(0)
        found.add("secret")
        return f"{m.group('word')}{m.group('sep')}{label('secret')}"

    text = SECRET.sub(secret, text)
    for start, end, kind in reversed(_spans(text)):
        text = text[:start] + replace(kind) + text[end:]
    return text, found
