"""Import doors (IDOs, overheidsbrede loketten, gemeente front desks, ...) from a file.

Three kinds of file, picked from `--format` or from the file itself:

1. `csv`: UTF-8, comma-separated, one door per row; the columns are in
   `csv_counters.py` (the same columns `wegwijzer export --format csv` writes).
2. `roo`: the "Gemeenten" export of the Register van Overheidsorganisaties
   (`;`-separated; recognised by its header): every gemeente's front desk, see
   `roo.py`. Doors of the register that are no longer in a newer export are
   retired (kept, with their history, but no longer shown).
3. `osm`: OpenStreetMap public libraries (`amenity=library`) as GeoJSON or
   Overpass JSON: see `osm.py`.

Every row is validated first; bad rows are reported with their line (CSV) or
element number, and then nothing is imported. A good file is imported in one
transaction, upserting by (source, source_id), so importing the same file
again changes nothing. Every added, changed or retired door is kept in the
directory's history with the actor "import:<source>".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wegwijzer.clock import now_utc
from wegwijzer.db.models import Counter
from wegwijzer.doors import apply, remember
from wegwijzer.importers.csv_counters import csv_rows
from wegwijzer.importers.osm import OSM_SOURCE, osm_rows
from wegwijzer.importers.roo import SOURCE as ROO_SOURCE
from wegwijzer.importers.roo import is_roo, roo_rows
from wegwijzer.places import Gazetteer

FORMATS = ("csv", "roo", "osm")


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    source: str
    format: str = "csv"
    read: int = 0
    added: list[str] = field(default_factory=list)  # door names
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # retired: no longer in the source
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return len(self.changed)


def file_format(path: Path, text: str) -> str:
    """csv, roo or osm, from the file name and its first line."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if path.suffix.lower() in {".json", ".geojson"} or first.startswith("{"):
        return "osm"
    return "roo" if is_roo(first) else "csv"


def import_file(
    session: Session, path: Path, gazetteer: Gazetteer, source: str | None = None, fmt: str | None = None
) -> ImportReport:
    """Validate and import a file (see module doc); ImportFailed with every problem."""
    text = path.read_text(encoding="utf-8-sig")
    fmt = fmt or file_format(path, text)
    if fmt == "osm":
        rows, skipped, errors = osm_rows(json.loads(text), gazetteer)
        source = source or OSM_SOURCE
    elif fmt == "roo":
        rows, skipped, errors = roo_rows(text, gazetteer)
        source = source or ROO_SOURCE
    else:
        rows, skipped, errors = csv_rows(text, gazetteer, source or path.stem)
        source = source or path.stem
    if errors:
        raise ImportFailed(errors)
    if fmt != "csv":
        rows = [{**row, "source": source} for row in rows]
    return save_rows(session, rows, source, fmt, skipped, retire_missing=fmt == "roo")


def save_rows(
    session: Session,
    rows: list[dict[str, Any]],
    source: str,
    fmt: str,
    skipped: list[str] | None = None,
    retire_missing: bool = False,
) -> ImportReport:
    """Upsert the rows by (source, source_id); with retire_missing, doors of the
    source that are not in the rows are retired."""
    report = ImportReport(source=source, format=fmt, read=len(rows), skipped=skipped or [])
    actor = f"import:{source}"
    sources = {row["source"] for row in rows} | {source}
    existing = {
        (c.source, c.source_id): c
        for c in session.execute(select(Counter).where(Counter.source.in_(sources))).scalars()
    }
    seen = set()
    for row in rows:
        key = (row["source"], row["source_id"])
        seen.add(key)
        current = existing.get(key)
        if current is None:
            report.added.append(apply(session, None, row, actor, "import")[0].name)
            continue
        was_retired = current.retired_at is not None
        _, changed = apply(session, current, row, actor, "import")
        if was_retired:
            current.retired_at = None
            remember(session, current, "restore", actor, {"retired": [True, False]})
        if changed or was_retired:
            report.changed.append(current.name)
        else:
            report.unchanged += 1
    if retire_missing:
        for key, door in existing.items():
            if key not in seen and key[0] == source and door.retired_at is None:
                door.retired_at = now_utc()
                remember(session, door, "retire", actor, {"retired": [False, True]})
                report.removed.append(door.name)
    session.flush()
    return report
