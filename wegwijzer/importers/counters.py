"""Import counters (IDOs, overheidsbrede loketten, other doors) from a file.

Two kinds of file:

1. CSV (UTF-8, comma-separated, header row), one counter per row: the
   columns are in `csv_counters.py`.


2. OpenStreetMap public libraries (`amenity=library`) as GeoJSON or
   Overpass JSON: see `osm.py`.

Every row is validated first; bad rows are reported with their line (CSV) or
element number, and then nothing is imported. A good file is imported in
one transaction, upserting by (source, source_id), so importing the same file
again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.db.models import Counter
from wegwijzer.importers.csv_counters import csv_rows
from wegwijzer.importers.osm import OSM_SOURCE, osm_rows
from wegwijzer.places import Gazetteer


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    source: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def import_file(session: Session, path: Path, gazetteer: Gazetteer, source: str | None = None) -> ImportReport:
    """Validate and import a CSV, GeoJSON or Overpass JSON file (see module doc)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in {".json", ".geojson"} or text.lstrip().startswith("{"):
        rows, skipped, errors = osm_rows(json.loads(text), gazetteer)
        source = source or OSM_SOURCE
    else:
        rows, skipped, errors = csv_rows(text, gazetteer, source or path.stem)
        source = source or path.stem
    if errors:
        raise ImportFailed(errors)
    report = ImportReport(source=source, read=len(rows), skipped=skipped)
    sources = {row["source"] for row in rows}
    existing = {
        (c.source, c.source_id): c
        for c in session.execute(select(Counter).where(Counter.source.in_(sources))).scalars()
    }
    for row in rows:
        current = existing.get((row["source"], row["source_id"]))
        if current is None:
            session.add(Counter(**row))
            report.added += 1
            continue
        changed = False
        for key, value in row.items():
            if getattr(current, key) != value:
                setattr(current, key, value)
                changed = True
        report.updated += changed
        report.unchanged += not changed
    session.flush()
    return report
