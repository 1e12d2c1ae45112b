"""Every text Wegwijzer shows, in one catalogue per audience:

- `users.yml`: what helpers read in the chat (Telegram and the terminal chat);
- `staff.yml`: what staff read (the staff group, the staff page);
- `cli.yml`: what the command line prints.

A change of wording touches one of these files, and the text checks in
tests/wegwijzer/test_texts.py see every text. Placeholders are in {braces}
(`str.format`). No code rewrites sentences: every variant of a text is
written out in the catalogue.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


class Catalogue:
    """The texts of one audience, read from a YAML file on first use."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = HERE / f"{name}.yml"

    @cached_property
    def texts(self) -> dict[str, str]:
        doc: Any = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
            # (YAML reads a bare yes, no, on or off as true or false: such a key is refused too.)
            raise ValueError(f"{self.path}: every entry must be a text with a text as its key")
        return {str(key): str(value) for key, value in doc.items()}

    def __call__(self, key: str, /, **values: object) -> str:
        """The text `key` with its placeholders filled in."""
        try:
            template = self.texts[key]
        except KeyError:
            raise KeyError(f"{self.name}.yml has no text {key!r}") from None
        return template.format(**values)

    def __contains__(self, key: str) -> bool:
        return key in self.texts

    def label(self, kind: str, value: str | None) -> str:
        """A stored value's word: staff.label("status", "new") → "Nieuw";
        the value itself when the catalogue has no word for it."""
        key = f"{kind}_{value if value is not None else 'none'}"
        return self.texts[key] if key in self.texts else str(value or "")


users = Catalogue("users")
staff = Catalogue("staff")
cli = Catalogue("cli")


def say(key: str, /, **values: object) -> str:
    """A text for the user in the chat."""
    return users(key, **values)
