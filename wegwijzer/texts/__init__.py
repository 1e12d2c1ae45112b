"""Every text Wegwijzer shows, in one catalogue per audience:

- `users.yml`: what helpers read in the chat (Telegram and the terminal chat);
- `staff.yml`: what staff read (the staff group, the staff page);
- `cli.yml`: what the command line prints.

A change of wording touches one of these files, and the text checks in
tests/wegwijzer/test_texts.py see every text. Placeholders are in {braces}
(`str.format`). No code rewrites sentences: every variant of a text is
written out in the catalogue.

Users are answered in their own voice (`Voice`): Dutch with "u" (the base,
`users.yml`), Dutch with "je" (`users.je.yml`: only the texts that address
the reader) or English (`users.en.yml`: every text). The front-end and the
actions set the voice for the message they handle (`speaking`); `say` then
picks the text. Staff and command-line texts are Dutch only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


class Catalogue:
    """The texts of one audience, read from a YAML file on first use."""

    def __init__(self, name: str, base: Catalogue | None = None) -> None:
        self.name = name
        self.path = HERE / f"{name}.yml"
        # An overlay (users.je.yml) holds only its own texts; the rest is the base's.
        self.base = base

    @cached_property
    def texts(self) -> dict[str, str]:
        doc: Any = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
            # (YAML reads a bare yes, no, on or off as true or false: such a key is refused too.)
            raise ValueError(f"{self.path}: every entry must be a text with a text as its key")
        return {str(key): str(value) for key, value in doc.items()}

    def template(self, key: str) -> str:
        if key in self.texts:
            return self.texts[key]
        if self.base is not None:
            return self.base.template(key)
        raise KeyError(f"{self.name}.yml has no text {key!r}")

    def __call__(self, key: str, /, **values: object) -> str:
        """The text `key` with its placeholders filled in."""
        return self.template(key).format(**values)

    def __contains__(self, key: str) -> bool:
        return key in self.texts or (self.base is not None and key in self.base)

    def label(self, kind: str, value: str | None) -> str:
        """A stored value's word: staff.label("status", "new") → "Nieuw";
        the value itself when the catalogue has no word for it."""
        key = f"{kind}_{value if value is not None else 'none'}"
        return self.texts[key] if key in self.texts else str(value or "")


users = Catalogue("users")
users_je = Catalogue("users.je", base=users)
users_en = Catalogue("users.en")
staff = Catalogue("staff")
cli = Catalogue("cli")

LANGUAGES = ("nl", "en")
FORMS = ("u", "je")


@dataclass(frozen=True)
class Voice:
    """How a user is addressed: the language, and in Dutch "u" or "je"."""

    language: str = "nl"
    form: str = "u"

    @classmethod
    def of(cls, language: object = None, form: object = None) -> Voice:
        """A voice from stored or sent values; unknown values give the default."""
        return cls(
            language=language if language in LANGUAGES else "nl",
            form=form if form in FORMS else "u",
        )

    @property
    def catalogue(self) -> Catalogue:
        if self.language == "en":
            return users_en
        return users_je if self.form == "je" else users

    def as_dict(self) -> dict[str, str]:
        return {"language": self.language, "form": self.form}


DEFAULT_VOICE = Voice()
_voice: ContextVar[Voice] = ContextVar("voice", default=DEFAULT_VOICE)


@contextmanager
def speaking(voice: Voice) -> Iterator[Voice]:
    """Texts said inside this block are in `voice`."""
    token = _voice.set(voice)
    try:
        yield voice
    finally:
        _voice.reset(token)


def current_voice() -> Voice:
    return _voice.get()


def say(key: str, /, **values: object) -> str:
    """A text for the user in the chat, in the voice being spoken."""
    return _voice.get().catalogue(key, **values)
