"""The text catalogues: every text the code asks for exists, every text is
used, every placeholder can be filled, and the users' texts are plain
(B1: short sentences)."""

from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

import pytest

from wegwijzer.texts import Catalogue, cli, staff, users

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
    code = "\n".join(sources().values())
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


def test_users_read_short_sentences() -> None:
    long = [
        f"{key}: {sentence}"
        for key, text in users.texts.items()
        for sentence in sentences(text)
        if len(sentence.split()) > MAX_WORDS_PER_SENTENCE
    ]
    assert not long, long
