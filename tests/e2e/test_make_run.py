"""`make run` with piped input, as in the README: it answers, then stops
every process it started."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from wegwijzer.ports import free_port, port_is_free

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.stack
@pytest.mark.timeout(300)
def test_make_run_answers_piped_messages_and_cleans_up(model: Path, tmp_path: Path) -> None:
    rasa_port, action_port, review_port = free_port(), free_port(), free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port), "REVIEW_PORT": str(review_port)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    # A fresh install: only the data the project ships.
    env.pop("DATABASE_URL", None)
    env["WEGWIJZER_VAR"] = str(tmp_path / "var")
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        input="hallo\nmijn buurvrouw is haar digid kwijt\n9561 AB\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=280,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Hallo! Ik ben Wegwijzer" in out
    digid = out.split("U: mijn buurvrouw is haar digid kwijt")[1].split("U: 9561 AB")[0]
    assert "DigiD" in digid
    assert "postcode" in digid and "plaats" in digid
    referral = out.split("U: 9561 AB")[1]
    assert "Voor 9561 AB (Ter Apel)" in referral
    # No IDO is shipped: the Westerwolde front desk from the register, with its phone.
    assert "Ik ken geen Informatiepunt Digitale Overheid dicht bij 9561 AB (Ter Apel)" in referral
    assert "📍 Gemeente Westerwolde\nDorpsstraat 1, 9551 AB Sellingen" in referral
    assert "Telefoon: 0599 32 02 20" in referral
    assert "Vraag naar het Informatiepunt Digitale Overheid. De gemeente weet waar het is." in referral
    assert "1. Klopt dit niet?" in referral
    assert "Overzicht voor medewerkers" in result.stderr
    assert port_is_free(rasa_port) and port_is_free(action_port) and port_is_free(review_port)
