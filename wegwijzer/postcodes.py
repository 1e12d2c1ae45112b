"""Dutch postcodes: four digits (not starting with 0) and two letters.

One definition for the gazetteer, the importers and the NLU's entity
extractor (which runs in the Rasa environment: standard library only,
Python 3.10)."""

from __future__ import annotations

import re

DIGITS = r"[1-9][0-9]{3}"
# "9561 AB", "9561ab": not glued to other letters or digits, nor to an amount ("€1234ab").
PC6 = re.compile(rf"(?<![\w€$])({DIGITS}) ?([A-Za-z]{{2}})(?![\w])")
# Four digits alone; whether they are a postcode depends on the context.
PC4 = re.compile(rf"(?<![\w€$])({DIGITS})(?![\w])")
FULL = re.compile(rf"^({DIGITS}) ?([A-Za-z]{{2}})$")


def normal_postcode(text: str) -> str | None:
    """'9561ab' → '9561 AB'; None when the whole text is not a full postcode."""
    match = FULL.match(text.strip())
    return f"{match.group(1)} {match.group(2).upper()}" if match else None
