"""Places benchmark: how fast and how well places are found.

- place resolution latency p50/p95 over postcodes, official names and
  real-world spellings (goal: p95 ≤ 1 ms);
- nearest-counter latency p50/p95 over 10,000 counters spread over the
  country (goal: p95 ≤ 1 ms);
- resolution rate on the real-world spellings of tests/bench/spellings.yml
  (typos, aliases, Frisian names, abbreviations).

Usage (application environment): python tests/bench/places_bench.py [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from wegwijzer.cli import ensure_database  # noqa: E402
from wegwijzer.db.session import session_scope  # noqa: E402
from wegwijzer.directory import KINDS, CounterIndex, Door  # noqa: E402
from wegwijzer.numbers import percentile  # noqa: E402
from wegwijzer.places import Gazetteer  # noqa: E402

SPELLINGS = ROOT / "tests" / "bench" / "spellings.yml"


def timed(fn, inputs) -> list[float]:
    out = []
    for item in inputs:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def made_up_counters(gazetteer: Gazetteer, n: int, rng: random.Random) -> list[Door]:
    areas = list(gazetteer.pc4.values())
    doors = []
    for i in range(n):
        area = rng.choice(areas)
        doors.append(
            Door(
                id=i,
                kind=rng.choice(["ido", "ido", "ido", "overheidsbreed_loket"]),
                name=f"Bench {i}",
                address=None,
                postcode=None,
                place=None,
                gemeente_code=area.gemeente_code,
                gemeente=area.gemeente,
                lat=area.lat + rng.uniform(-0.02, 0.02),
                lon=area.lon + rng.uniform(-0.03, 0.03),
                opening_hours=None,
                walk_in=None,
                by_appointment=False,
                phone=None,
                website=None,
                topics=(),
                confirmed=False,
                status_note=None,
                source="bench",
                attribution=None,
            )
        )
    return doors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "reports" / "places_bench.json")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp(prefix='wegwijzer-bench-')}/bench.db"
    ensure_database(url)
    with session_scope(url) as session:
        gazetteer = Gazetteer.from_session(session)
    rng = random.Random(7)
    spellings = yaml.safe_load(SPELLINGS.read_text(encoding="utf-8"))["spellings"]

    # Resolution rate on real-world spellings.
    resolved = 0
    misses = []
    for typed, expected in spellings:
        r = gazetteer.resolve(typed)
        names = [r.location.name] if r.location else [c.name for c in r.choices]
        if expected in names:
            resolved += 1
        else:
            misses.append(f"{typed!r} → {r.status} {names[:3]} (expected {expected})")

    # Resolution latency: postcodes, official names and spellings, after warm-up.
    names = [loc.name for loc in gazetteer.by_key.values() if loc.kind == "woonplaats"]
    postcodes = [f"{code} {rng.choice(['AB', 'cd', 'XZ'])}" for code in gazetteer.pc4]
    queries = rng.sample(names, 2000) + rng.sample(postcodes, 2000) + [s[0] for s in spellings] * 5
    rng.shuffle(queries)
    for q in queries[:200]:
        gazetteer.resolve(q)
    resolve_ms = timed(gazetteer.resolve, queries)

    # Nearest over 10,000 counters.
    index = CounterIndex(made_up_counters(gazetteer, 10_000, rng))
    points = [(a.lat, a.lon, a.gemeente_code) for a in rng.sample(list(gazetteer.pc4.values()), 3000)]
    nearest_ms = timed(lambda p: index.nearest(p[0], p[1], KINDS["ido"], k=3, radius_km=25, gemeente_code=p[2]), points)

    result = {
        "spellings": len(spellings),
        "spellings_resolved": resolved,
        "resolution_rate": round(resolved / len(spellings), 3),
        "resolve_queries": len(queries),
        "resolve_p50_ms": round(statistics.median(resolve_ms), 3),
        "resolve_p95_ms": round(percentile(resolve_ms, 0.95), 3),
        "nearest_counters": 10_000,
        "nearest_queries": len(points),
        "nearest_p50_ms": round(statistics.median(nearest_ms), 3),
        "nearest_p95_ms": round(percentile(nearest_ms, 0.95), 3),
    }
    print("Places benchmark")
    for key, value in result.items():
        print(f"  {key:<20} {value}")
    print(
        f"  goals: resolve p95 ≤ 1 ms {'ok' if result['resolve_p95_ms'] <= 1 else 'MISSED'}, "
        f"nearest p95 ≤ 1 ms {'ok' if result['nearest_p95_ms'] <= 1 else 'MISSED'}"
    )
    if misses:
        print("  not resolved:")
        for miss in misses:
            print(f"    {miss}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
