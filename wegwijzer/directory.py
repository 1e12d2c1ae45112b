"""The directory of national organisations (and, later, local counters).

Organisations come from `data/organisaties.json`, a copy of the team's shared
data with a source for every fact. A phone number is shown as confirmed only
when the data says so (`bevestigd`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    topics: tuple[str, ...]
    phone: str | None
    phone_cost: str | None
    website: str | None
    confirmed: bool
    sources: tuple[str, ...] = field(default=())
    note: str | None = None

    def contact_lines(self) -> list[str]:
        """How to reach the organisation, in B1 Dutch, honest about what is unchecked."""
        lines = []
        if self.phone and self.confirmed:
            cost = f" ({self.phone_cost})" if self.phone_cost else ""
            lines.append(f"Bel {self.phone}{cost}.")
        elif self.phone:
            lines.append(f"Telefoon: {self.phone}. Dit nummer is niet gecontroleerd.")
        else:
            lines.append("Een telefoonnummer konden we niet controleren.")
        if self.website:
            lines.append(f"Website: {self.website.removeprefix('https://').removeprefix('http://')}")
        return lines


def load_organisations(path: Path = DATA_DIR / "organisaties.json") -> dict[str, Organisation]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    result = {}
    for row in doc["organisaties"]:
        result[row["id"]] = Organisation(
            id=row["id"],
            name=row["naam"],
            topics=tuple(row.get("onderwerpen") or ()),
            phone=row.get("telefoon"),
            phone_cost=_short_cost(row.get("telefoon_kosten")),
            website=row.get("website"),
            confirmed=bool(row.get("bevestigd")),
            sources=tuple(row.get("bronnen") or ()),
            note=row.get("opmerking"),
        )
    return result


def _short_cost(cost: str | None) -> str | None:
    """'gratis (0800)' → 'gratis'; costs with a tariff are kept whole."""
    if not cost:
        return None
    return "gratis" if cost.lower().startswith("gratis") else cost


@lru_cache(maxsize=1)
def organisations() -> dict[str, Organisation]:
    return load_organisations()
