"""Train the Rasa model only when its inputs changed.

The model is named after a hash of everything that shapes it: config.yml,
the domain, the training data, the spaCy pipeline, the NLU add-ons and the
data they read. `make train`, `make run` and `make test` call this; when a
model with that hash exists, nothing is trained.

Usage (Rasa environment):
  python nlu/train.py            train if needed; print the model path
  python nlu/train.py --path     only print the path the current inputs need
  python nlu/train.py --config other.yml --out DIR   (for benchmarks)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
PIPELINE = ROOT / "build" / "spacy_nl"
INPUTS = [
    "nlu/domain",
    "nlu/data",
    "nlu/addons",
    "wegwijzer/placenames.py",
    "wegwijzer/crisis.py",
    "wegwijzer/postcodes.py",
    "wegwijzer/data/crisis_signals.yml",
    "wegwijzer/data/place_aliases.yml",
    "wegwijzer/data/organisation_names.yml",
    "wegwijzer/glossary.py",
    "wegwijzer/data/glossary.yml",
    "wegwijzer/data/woonplaatsen.csv",
    "wegwijzer/data/pc4.csv",
    "wegwijzer/data/gemeenten.csv",
    "build/spacy_nl",
]


def input_hash(config: Path) -> str:
    digest = hashlib.sha256()
    files = [config]
    for name in INPUTS:
        path = ROOT / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    for path in files:
        if path.name.startswith(".") or "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(config: Path, out: Path = MODELS) -> Path:
    return out / f"wegwijzer-{input_hash(config)}.tar.gz"


def train(config: Path, out: Path = MODELS) -> tuple[Path, float | None]:
    """The model for these inputs, trained now if it did not exist (and how long it took)."""
    target = model_path(config, out)
    if target.exists():
        return target, None
    if not (PIPELINE / "meta.json").exists():
        sys.exit(f"The spaCy pipeline is missing: run 'make {PIPELINE.relative_to(ROOT)}/.built' first")
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    rasa = Path(sys.executable).parent / "rasa"
    log_path = ROOT / "var" / "log" / "train.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"Training {target.name} (log: {log_path.relative_to(ROOT)})", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with open(log_path, "w") as log:
        result = subprocess.run(
            [
                str(rasa),
                "train",
                "--config",
                str(config),
                "--domain",
                "nlu/domain",
                "--data",
                "nlu/data",
                "--out",
                str(out),
                "--fixed-model-name",
                target.name.removesuffix(".tar.gz"),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        sys.stderr.write(log_path.read_text()[-4000:])
        sys.exit(f"Training failed; see {log_path}")
    seconds = time.perf_counter() - started
    (out / "latest").write_text(target.name + "\n")
    return target, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--out", type=Path, default=MODELS)
    parser.add_argument("--path", action="store_true", help="print the model path for the current inputs")
    args = parser.parse_args()
    if args.path:
        print(model_path(args.config, args.out))
        return
    path, seconds = train(args.config, args.out)
    if seconds is None:
        print(f"Model is up to date: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", file=sys.stderr)
    else:
        print(f"Trained {path.name} in {seconds:.0f} s", file=sys.stderr)
    print(path)


if __name__ == "__main__":
    main()
