"""The fresh held-out set (tests/nlu/fresh_nlu.yml), measured per language.

The set was written by someone who saw only the NLU contract and
nlu/LABELLING.md, and is measured once, after the training data is final.
Its messages are split by the language Wegwijzer hears in them
(wegwijzer.language: Dutch, English), and each part is scored by
nlu/evaluate.py (macro-F1, urgent_crisis recall, entity F1), plus the crisis
set (tests/nlu/fresh_crisis.yml).

Usage (app environment): python tests/bench/fresh_eval.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from wegwijzer.language import hear  # noqa: E402

FRESH = ROOT / "tests" / "nlu" / "fresh_nlu.yml"
CRISIS = ROOT / "tests" / "nlu" / "fresh_crisis.yml"
RASA_PY = ROOT / "nlu" / ".venv" / "bin" / "python"


def plain(example: str) -> str:
    """The message without its entity labels: "[Zwole]{...}" → "Zwole"."""
    import re

    text = re.sub(r"\[([^\]]+)\]\{[^}]*\}", r"\1", example)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def split(path: Path, out: Path) -> dict[str, Path]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts: dict[str, dict[str, list[str]]] = {"nl": {}, "en": {}}
    for block in doc["nlu"]:
        for line in block["examples"].splitlines():
            example = line.strip()[2:] if line.strip().startswith("- ") else None
            if not example:
                continue
            language = "en" if hear(plain(example)).language == "en" else "nl"
            parts[language].setdefault(block["intent"], []).append(example)
    files = {}
    for language, intents in parts.items():
        target = out / f"fresh_{language}.yml"
        blocks = [
            {"intent": intent, "examples": "".join(f"- {e}\n" for e in examples)}
            for intent, examples in intents.items()
        ]
        target.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False))
        files[language] = target
    return files


def evaluate(test: Path, report: Path, crisis: bool = False) -> dict[str, float]:
    subprocess.run(
        [
            str(RASA_PY),
            str(ROOT / "nlu" / "evaluate.py"),
            "--crisis" if crisis else "--test",
            str(test),
            "--json",
            str(report),
        ],
        check=True,
        cwd=ROOT,
        env={"PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"},
    )
    metrics: dict[str, float] = json.loads(report.read_text())
    return metrics


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="fresh-eval-"))
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    for language, part in split(FRESH, out).items():
        results[language] = evaluate(part, out / f"report_{language}.json")
    results["all"] = evaluate(FRESH, out / "report_all.json")
    crisis = evaluate(CRISIS, out / "report_crisis.json", crisis=True)
    keys = ("messages", "intent_accuracy", "macro_f1", "urgent_recall", "urgent_precision", "entity_f1")
    print("\nFresh held-out set, per language (nl: Dutch, en: English)")
    for name, metrics in results.items():
        print(f"  {name:<7}" + "  ".join(f"{k} {metrics[k]:.3f}" for k in keys))
    print("Fresh crisis set")
    for name, row in crisis.items():
        recall, precision = row["urgent_recall"], row["urgent_precision"]
        print(f"  {name:<24} recall {recall:.3f}  precision {precision:.3f}  ({row['messages']} messages)")
    results["crisis"] = crisis
    (out / "summary.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
