"""Evaluate the NLU on the held-out test set (tests/nlu/test_nlu.yml).

Trains on nlu/data when the model is stale (see train.py), parses every test
message through the trained model and prints intent accuracy, macro-F1,
per-intent F1, the worst confusions, urgent_crisis recall and entity F1 on
(type, canonical value). The intent is scored as served: a message the
FallbackClassifier turns into `nlu_fallback` counts as wrong.

Usage (Rasa environment):
  python nlu/evaluate.py [--check] [--config config.yml] [--json report.json]

--check exits 1 below the quality bar: macro-F1 0.90, urgent_crisis recall
1.00, entity F1 0.90.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "nlu"))

from train import train  # noqa: E402

TEST_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
CONTRACT_ENTITIES = {"plaats", "postcode", "organisatie"}
BAR = {"macro_f1": 0.90, "urgent_recall": 1.00, "entity_f1": 0.90}


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    intents: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted)
    entity_tp: int = 0
    entity_pred: int = 0
    entity_gold: int = 0
    entity_errors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    guard_fired: int = 0
    guard_false_alarms: int = 0

    def metrics(self) -> dict:
        from sklearn.metrics import f1_score

        gold = [g for g, _ in self.intents]
        pred = [p for _, p in self.intents]
        labels = sorted(set(gold))
        per_intent = f1_score(gold, pred, labels=labels, average=None, zero_division=0)
        urgent = [p for g, p in self.intents if g == "urgent_crisis"]
        precision = self.entity_tp / self.entity_pred if self.entity_pred else 1.0
        recall = self.entity_tp / self.entity_gold if self.entity_gold else 1.0
        entity_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        confusions = Counter((g, p) for g, p in self.intents if g != p)
        return {
            "messages": self.total,
            "intent_accuracy": self.correct / self.total,
            "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
            "per_intent_f1": {label: round(float(f), 3) for label, f in zip(labels, per_intent, strict=False)},
            "urgent_recall": sum(p == "urgent_crisis" for p in urgent) / len(urgent) if urgent else 0.0,
            "urgent_precision": (
                sum(g == "urgent_crisis" for g, p in self.intents if p == "urgent_crisis")
                / sum(p == "urgent_crisis" for _, p in self.intents)
                if any(p == "urgent_crisis" for _, p in self.intents)
                else 1.0
            ),
            "entity_precision": precision,
            "entity_recall": recall,
            "entity_f1": entity_f1,
            "worst_confusions": [[g, p, n] for (g, p), n in confusions.most_common(12)],
            "crisis_guard_fired": self.guard_fired,
            "crisis_guard_false_alarms": self.guard_false_alarms,
        }


async def evaluate(model: Path, test_set: Path) -> Report:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    data = load_data(str(test_set))
    report = Report()
    for example in data.intent_examples:
        text = example.get("text")
        gold_intent = example.get("intent")
        parsed = await agent.parse_message(text)
        predicted = parsed["intent"]["name"]
        report.total += 1
        report.correct += predicted == gold_intent
        report.intents.append((gold_intent, predicted))
        if parsed.get("crisis_signal"):
            report.guard_fired += 1
            report.guard_false_alarms += gold_intent != "urgent_crisis"
        if predicted != gold_intent:
            report.errors.append(f"{gold_intent:>18} → {predicted:<18} {text}")
        gold = {(e["entity"], str(e["value"])) for e in example.get("entities", [])}
        # Only the contract's entities count: `begrip` (glossary words) is the
        # project's own and never labelled.
        pred = {(e["entity"], str(e["value"])) for e in parsed.get("entities", []) if e["entity"] in CONTRACT_ENTITIES}
        report.entity_tp += len(gold & pred)
        report.entity_gold += len(gold)
        report.entity_pred += len(pred)
        if gold != pred:
            report.entity_errors.append(f"missed {sorted(gold - pred)} extra {sorted(pred - gold)}  {text}")
    return report


async def evaluate_crisis(model: Path, path: Path) -> dict:
    """A crisis set (plain YAML: text, urgent, kind, language): is each
    message urgent_crisis exactly when it is urgent? Per language and kind."""
    import yaml
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    rows = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
        parsed = await agent.parse_message(item["text"])
        rows.append(
            (
                item.get("language", "nl"),
                item.get("kind", "none"),
                bool(item["urgent"]),
                parsed["intent"]["name"] == "urgent_crisis",
            )
        )

    def score(subset: list) -> dict:
        urgent = [r for r in subset if r[2]]
        flagged = [r for r in subset if r[3]]
        return {
            "messages": len(subset),
            "urgent": len(urgent),
            "urgent_recall": sum(r[3] for r in urgent) / len(urgent) if urgent else 1.0,
            "urgent_precision": sum(r[2] for r in flagged) / len(flagged) if flagged else 1.0,
        }

    result = {"all": score(rows)}
    for language in sorted({r[0] for r in rows}):
        result[f"language {language}"] = score([r for r in rows if r[0] == language])
    for kind in sorted({r[1] for r in rows}):
        result[f"kind {kind}"] = score([r for r in rows if r[1] == kind])
    return result


def print_report(metrics: dict, report: Report, verbose: bool) -> None:
    print(f"Test set {metrics['file']}: {metrics['messages']} messages")
    print(f"  intent accuracy      {metrics['intent_accuracy']:.3f}")
    print(f"  intent macro-F1      {metrics['macro_f1']:.3f}   (bar {BAR['macro_f1']:.2f})")
    print(f"  urgent_crisis recall {metrics['urgent_recall']:.3f}   (bar {BAR['urgent_recall']:.2f})")
    print(
        f"  entity F1            {metrics['entity_f1']:.3f}   (bar {BAR['entity_f1']:.2f}; "
        f"precision {metrics['entity_precision']:.3f}, recall {metrics['entity_recall']:.3f})"
    )
    print(
        f"  crisis guard         fired on {metrics['crisis_guard_fired']} messages, "
        f"{metrics['crisis_guard_false_alarms']} of them not urgent_crisis"
    )
    print("Per-intent F1:")
    for label, f1 in sorted(metrics["per_intent_f1"].items(), key=lambda kv: kv[1]):
        print(f"  {label:<20} {f1:.3f}")
    print("Worst confusions (gold → predicted, count):")
    for gold, pred, n in metrics["worst_confusions"]:
        print(f"  {gold:>18} → {pred:<18} {n}")
    if verbose:
        print("Intent errors:")
        for line in report.errors:
            print("  " + line)
        print("Entity errors:")
        for line in report.entity_errors:
            print("  " + line)


def quiet_rasa() -> None:
    """Only the report on stdout: no Rasa debug lines or library warnings."""
    import warnings

    import structlog

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--test", type=Path, default=TEST_SET)
    parser.add_argument("--check", action="store_true", help="exit 1 below the quality bar")
    parser.add_argument("--json", type=Path, help="also write the metrics as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--crisis", type=Path, help="score a crisis set (text, urgent, kind, language) instead")
    args = parser.parse_args()
    quiet_rasa()

    model, _ = train(args.config)
    if args.crisis:
        crisis = asyncio.run(evaluate_crisis(model, args.crisis))
        for name, row in crisis.items():
            print(
                f"  {name:<22} {row['messages']:>4} messages, {row['urgent']:>3} urgent: "
                f"recall {row['urgent_recall']:.3f}, precision {row['urgent_precision']:.3f}"
            )
        if args.json:
            args.json.write_text(json.dumps(crisis, indent=2))
        return 0
    report = asyncio.run(evaluate(model, args.test))
    metrics = {
        "file": str(args.test.relative_to(ROOT)) if args.test.is_relative_to(ROOT) else str(args.test),
        **report.metrics(),
    }
    print_report(metrics, report, args.verbose)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(metrics, indent=2))
    failed = [k for k, bar in BAR.items() if metrics[k] < bar]
    if args.check and failed:
        print(f"FAILED: below the bar for {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
