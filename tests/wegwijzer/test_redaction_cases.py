"""Names, street addresses and dates of birth are redacted; deadline dates,
place names, postcodes and organisations survive. Measured both ways on
tests/data/redaction_cases.yml (run with -s to see the figures)."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from wegwijzer.privacy import redact, warm_up

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "redaction_cases.yml").read_text())["cases"]


def test_the_example_from_the_issue_comes_out_clean() -> None:
    text, kinds = redact("mijn moeder Maria de Vries, geboren 12 maart 1951, woont op Dorpsstraat 12 in Assen")
    assert text == "mijn moeder [naam], geboren [geboortedatum], woont op [adres] in Assen"
    assert kinds == {"name", "birthdate", "address"}


def test_numbers_and_names_together() -> None:
    text, kinds = redact("Jan de Boer, bsn 111222333, woont op Kerkweg 3a in Emmen, bel 0612345678")
    assert "111222333" not in text and "Kerkweg 3a" not in text and "Jan" not in text
    assert "Emmen" in text and "[BSN]" in text and "[adres]" in text
    assert {"bsn", "address", "name", "phone"} <= kinds


def test_a_deadline_date_is_not_a_birth_date() -> None:
    assert redact("ik moet voor 15 maart 2027 bezwaar maken") == ("ik moet voor 15 maart 2027 bezwaar maken", set())
    assert redact("geboren op 12-03-1951")[0] == "geboren op [geboortedatum]"


def test_measured_on_realistic_sentences() -> None:
    warm_up().join()
    assert len(CASES) >= 60
    personal = [c for c in CASES if c["remove"]]
    assert len(personal) >= 30 and len(CASES) - len(personal) >= 30
    removed = must_remove = kept = must_keep = 0
    failures = []
    started = time.perf_counter()
    for case in CASES:
        out, _ = redact(case["text"])
        for item in case["remove"]:
            must_remove += 1
            removed += item not in out
            if item in out:
                failures.append(f"left {item!r} in {out!r}")
        for item in case["keep"]:
            must_keep += 1
            kept += item in out
            if item not in out:
                failures.append(f"removed {item!r} from {out!r}")
    per_message_ms = (time.perf_counter() - started) * 1000 / len(CASES)
    recall = removed / must_remove
    over_redaction = 1 - kept / must_keep
    print(
        f"\nredaction on {len(CASES)} sentences: recall {recall:.3f} ({removed}/{must_remove}), "
        f"over-redaction {over_redaction:.3f} ({must_keep - kept}/{must_keep}), {per_message_ms:.1f} ms per message"
    )
    for failure in failures:
        print("  ", failure)
    assert recall >= 0.95, failures
    assert over_redaction <= 0.02, failures
    assert per_message_ms < 50
