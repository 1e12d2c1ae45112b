"""The text catalogues: every text the code asks for exists, every text is
used, every placeholder can be filled, and the users' texts are plain
(B1: short sentences). The users' texts exist in every voice: English for
every text, the je-form for every text that addresses the reader with u, with
the same placeholders, numbers and commands."""

from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

import pytest
import yaml

from wegwijzer.texts import Catalogue, cli, staff, users, users_en, users_je

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {"users": users, "staff": staff, "cli": cli}
# How the code calls each catalogue: say("key"), staff_text("key"), cli_text("key").
CALLS = {
    "users": re.compile(r"\bsay\(\s*[\"']([a-z0-9_]+)[\"']"),
    "staff": re.compile(r"\bstaff_text\(\s*[\"']([a-z0-9_]+)[\"']"),
    "cli": re.compile(r"\b(?:cli_text|say)\(\s*[\"']([a-z0-9_]+)[\"']"),
}
# Keys built from a prefix and a value: status_new, day_monday, command_menu_rol, ...
PREFIXES = {
    "users": re.compile(r"\bsay\(\s*f[\"']([a-z0-9_]+)\{"),
    "staff": re.compile(r"\bstaff_text(?:\.label)?\(\s*f?[\"']([a-z0-9_]+?)_?[\"'{]"),
    "cli": re.compile(r"\b(?:cli_text|say)\(\s*f[\"']([a-z0-9_]+)\{"),
}
MAX_WORDS_PER_SENTENCE = 25


def sources() -> dict[str, str]:
    files = subprocess.check_output(["git", "ls-files", "*.py", "*.html"], cwd=ROOT, text=True).split()
    files += subprocess.check_output(
        ["git", "ls-files", "--others", "--exclude-standard", "*.py", "*.html"], cwd=ROOT, text=True
    ).split()
    return {f: (ROOT / f).read_text(encoding="utf-8") for f in files if not f.startswith("tests/")}


def domain_say_keys() -> set[str]:
    """The keys Rasa's responses name (`custom: {say: key, buttons: [{say: key}]}`)."""
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("say"), str):
                keys.add(node["say"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "nlu" / "domain").glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return keys


def data_say_keys() -> set[str]:
    """The keys data files name (the urgent answer per kind of crisis, what
    to do this week per kind of deadline)."""
    keys: set[str] = set()
    for name in ("crisis_kinds.yml", "deadline_signals.yml"):
        doc = yaml.safe_load((ROOT / "wegwijzer" / "data" / name).read_text(encoding="utf-8"))
        keys |= {kind["say"] for kind in doc["kinds"].values()}
    return keys


def test_every_text_the_domain_names_exists() -> None:
    keys = domain_say_keys()
    assert len(keys) >= 20  # the domain's responses are all in the catalogue
    assert sorted(k for k in keys if k not in users) == []


def catalogue_of(path: str, audience: str) -> bool:
    """Whether this file's bare say() means that catalogue."""
    text = (ROOT / path).read_text(encoding="utf-8")
    if audience == "cli":
        return "import cli as say" in text or "cli as cli_text" in text
    if audience == "users":
        return "import cli as say" not in text
    return True


@pytest.mark.parametrize("audience", list(CATALOGUES))
def test_every_text_the_code_asks_for_exists(audience: str) -> None:
    catalogue: Catalogue = CATALOGUES[audience]
    missing = []
    for path, text in sources().items():
        if not catalogue_of(path, audience):
            continue
        pattern = CALLS[audience]
        if audience == "cli" and "import cli as say" not in text:
            pattern = re.compile(r"\bcli_text\(\s*[\"']([a-z0-9_]+)[\"']")
        for key in pattern.findall(text):
            if key not in catalogue:
                missing.append(f"{path}: {key}")
    assert not missing, missing


def test_every_text_is_used() -> None:
    code = "\n".join(sources().values()) + "\n".join(f'"{key}"' for key in domain_say_keys() | data_say_keys())
    unused = []
    for audience, catalogue in CATALOGUES.items():
        prefixes = set(PREFIXES[audience].findall(code))
        for key in catalogue.texts:
            if f'"{key}"' in code or f"'{key}'" in code or any(key.startswith(p) for p in prefixes):
                continue
            unused.append(f"{audience}.yml: {key}")
    assert not unused, unused


@pytest.mark.parametrize("audience", list(CATALOGUES))
def test_every_placeholder_can_be_filled(audience: str) -> None:
    for key, template in CATALOGUES[audience].texts.items():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        # A number for numeric formats, a word for the rest.
        values = dict.fromkeys(names, 1.5)
        try:
            template.format(**values)
        except (ValueError, KeyError, IndexError) as error:
            pytest.fail(f"{audience}.yml {key}: {error}")


def sentences(text: str) -> list[str]:
    plain = re.sub(r"\{[^}]*\}", "X", text)
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n", plain) if s.strip()]


# -- the voices: English, and "je" where the base text says "u" ---------------
U_FORM = re.compile(r"(?i)\b(u|uw|uzelf)\b")
JE_FORM = re.compile(r"(?i)\b(je|jij|jou|jouw|jezelf)\b")
NUMBERS = re.compile(r"\d[\d \-]*\d|\d")
COMMANDS = re.compile(r"/[a-z]+")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def numbers(text: str) -> set[str]:
    return {re.sub(r"[ \-]", "", n) for n in NUMBERS.findall(text)}


def test_english_has_every_text_with_the_same_placeholders_numbers_and_commands() -> None:
    assert list(users_en.texts) == list(users.texts), "users.en.yml: same keys, same order"
    wrong = [
        key
        for key, dutch in users.texts.items()
        if placeholders(users_en.texts[key]) != placeholders(dutch)
        or not numbers(dutch) <= numbers(users_en.texts[key])
        or set(COMMANDS.findall(dutch)) != set(COMMANDS.findall(users_en.texts[key]))
    ]
    assert not wrong, wrong


def test_je_form_for_every_text_that_says_u_and_for_no_other() -> None:
    says_u = [key for key, text in users.texts.items() if U_FORM.search(text)]
    assert list(users_je.texts) == says_u
    for key in says_u:
        je, u = users_je.texts[key], users.texts[key]
        assert not U_FORM.search(je), f"users.je.yml {key} still says u: {je}"
        assert placeholders(je) == placeholders(u), key
        assert numbers(je) == numbers(u), key
        assert set(COMMANDS.findall(je)) == set(COMMANDS.findall(u)), key


def test_the_base_texts_never_say_je() -> None:
    """users.yml is the u-form: "je" there would mix the two."""
    mixed = [key for key, text in users.texts.items() if JE_FORM.search(text) and key != "language_question"]
    assert not mixed, mixed


@pytest.mark.parametrize("catalogue", [users, users_en, users_je], ids=["nl", "en", "je"])
def test_users_read_short_sentences_in_every_voice(catalogue: Catalogue) -> None:
    long = [
        f"{key}: {sentence}"
        for key, text in catalogue.texts.items()
        for sentence in sentences(text)
        if len(sentence.split()) > MAX_WORDS_PER_SENTENCE
    ]
    assert not long, long


def test_say_speaks_the_voice() -> None:
    from wegwijzer.texts import Voice, say, speaking

    key = next(k for k, t in users.texts.items() if U_FORM.search(t) and not placeholders(t))
    assert say(key) == users.texts[key]
    with speaking(Voice("nl", "je")):
        assert say(key) == users_je.texts[key]
        assert say("day_monday") == users.texts["day_monday"]  # no u-form: the base text
    with speaking(Voice("en")):
        assert say(key) == users_en.texts[key]
    assert say(key) == users.texts[key]  # the voice ends with the block
