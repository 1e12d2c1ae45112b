"""The model cache: everything the trained model is made of is in the hash."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_the_nlu_components_read_is_hashed() -> None:
    train = (ROOT / "nlu" / "train.py").read_text(encoding="utf-8")
    inputs = set(re.findall(r'^    "([^"]+)",$', train, flags=re.MULTILINE))
    addons = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "nlu" / "addons").glob("*.py"))
    read_by_addons = {f"wegwijzer/{m}.py" for m in re.findall(r"from wegwijzer\.(\w+) import", addons)}
    assert read_by_addons <= inputs, read_by_addons - inputs
    for data_file in re.findall(r'DATA_DIR / "([\w.]+)"', addons):
        assert f"wegwijzer/data/{data_file}" in inputs
    assert {"nlu/domain", "nlu/data", "nlu/addons", "build/spacy_nl", "wegwijzer/data/crisis_signals.yml"} <= inputs
