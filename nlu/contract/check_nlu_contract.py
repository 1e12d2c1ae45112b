#!/usr/bin/env python3
"""Check Rasa NLU training data against shared/nlu-contract.md.

Usage: python check_nlu_contract.py TRAIN_DIR_OR_FILE... [--test tests/nlu/test_nlu.yml]

Checks that the training data uses exactly the contract's intents, only its
entities, canonical values that exist (plaats in the CBS place/municipality
lists, organisatie in the fixed list, postcode as '1234 AB' or '1234'), and
that no test message is a near-copy of a training message. Needs PyYAML
(present in the Rasa environment). Exit 1 on any problem.
"""

import csv
import difflib
import re
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[2] / "wegwijzer" / "data"  # project copy of shared/data
INTENTS = {
    "topic_digid",
    "topic_toeslagen",
    "topic_belasting",
    "topic_inkomen",
    "topic_zorg",
    "topic_studie",
    "topic_schulden",
    "topic_wonen",
    "topic_documenten",
    "topic_brief",
    "topic_phishing",
    "topic_vaardigheden",
    "topic_apparaat",
    "find_ido",
    "find_loket",
    "inform_location",
    "request_human",
    "urgent_crisis",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "ask_capabilities",
    "out_of_scope",
}
ORGS = {"Belastingdienst", "Dienst Toeslagen", "UWV", "SVB", "DUO", "CAK", "CJIB", "RDW", "CIZ", "IND", "gemeente"}
PLACES = {r["woonplaats"] for r in csv.DictReader(open(DATA / "woonplaatsen.csv", encoding="utf-8"))}
PLACES |= {r["gemeente_naam"] for r in csv.DictReader(open(DATA / "gemeenten.csv", encoding="utf-8"))}
# [text](entity), [text]{"entity": "e", "value": "v"}, [text]{"entity": "e"}
ANNOT = re.compile(r"\[([^\]]+)\](?:\((\w+)(?::([^)]+))?\)|(\{[^}]*\}))")


def examples(paths):
    for p in paths:
        files = sorted(Path(p).rglob("*.yml")) + sorted(Path(p).rglob("*.yaml")) if Path(p).is_dir() else [Path(p)]
        for f in files:
            doc = yaml.safe_load(open(f, encoding="utf-8")) or {}
            for block in doc.get("nlu", []) or []:
                if "intent" not in block:
                    continue
                for line in str(block.get("examples", "")).splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        yield f, block["intent"], line[2:]


def entities(text):
    for m in ANNOT.finditer(text):
        span, ent, val, js = m.groups()
        if js:
            d = yaml.safe_load(js)
            ent, val = d.get("entity"), d.get("value", span)
        yield ent, (val or span)


def plain(text):
    return ANNOT.sub(lambda m: m.group(1), text).lower().strip()


def main(argv):
    test = None
    if "--test" in argv:
        i = argv.index("--test")
        test = argv[i + 1]
        argv = argv[:i] + argv[i + 2 :]
    problems, warnings, seen = [], [], {}
    train = list(examples(argv))
    for f, intent, text in train:
        seen[intent] = seen.get(intent, 0) + 1
        if intent not in INTENTS:
            problems.append(f"{f}: intent {intent!r} is not in the contract")
        for ent, val in entities(text):
            if ent == "plaats" and val not in PLACES:
                warnings.append(
                    f"{f}: plaats value {val!r} is not an official CBS name (right only for a neighbourhood)"
                )
            elif ent == "organisatie" and val not in ORGS:
                problems.append(f"{f}: organisatie value {val!r} is not in the list")
            elif ent == "postcode" and not re.fullmatch(r"\d{4}( [A-Z]{2})?", val):
                problems.append(f"{f}: postcode value {val!r} is not '1234 AB' or '1234'")
            elif ent not in ("plaats", "organisatie", "postcode"):
                problems.append(f"{f}: entity {ent!r} is not in the contract")
    for missing in sorted(INTENTS - set(seen)):
        problems.append(f"intent {missing!r} has no training examples")
    if test:
        pool = [plain(t) for _, _, t in train]
        for f, intent, text in examples([test]):
            p = plain(text)
            close = difflib.get_close_matches(p, pool, n=1, cutoff=0.85)
            if close:
                problems.append(f"{f}: test message is a near-copy of a training message: {text[:60]!r}")
    for p in warnings + problems:
        print(p)
    print(f"{len(train)} training examples, {len(seen)} intents; {len(problems)} problems, {len(warnings)} warnings")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
