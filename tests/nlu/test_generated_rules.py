"""The topic rules are generated from the topic vocabulary: the file in
nlu/data/rules/ must be what the generator writes now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_topic_rules_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("generate_rules", ROOT / "nlu" / "generate_rules.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.TARGET.read_text(encoding="utf-8") == generator.render(), (
        "run: .venv/bin/python nlu/generate_rules.py"
    )
