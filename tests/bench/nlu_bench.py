"""NLU benchmark: the project's pipeline against Rasa's default pipeline.

For both configurations, on the same training data and in the same run:
training time, model size, Rasa server cold start (process start to first
parse answer), Rasa server memory (RSS) after the run, and parse latency
p50/p95 over the held-out messages (sequential, over HTTP, after warm-up),
plus held-out intent accuracy. Prints the ratios.

Goals (issue): parse p95 ≤ 20 ms on 2 cores, cold start ≤ 20 s,
RSS ≤ 1.0 GB, training ≤ 3 minutes.

Usage (Rasa environment): python tests/bench/nlu_bench.py [--no-baseline] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "nlu"))
sys.path.insert(0, str(ROOT))
from train import train  # noqa: E402

from wegwijzer.numbers import percentile  # noqa: E402
from wegwijzer.ports import free_port  # noqa: E402

TEST_SET = ROOT / "tests" / "nlu" / "test_nlu.yml"
RASA = Path(sys.executable).parent / "rasa"


def test_messages() -> list[tuple[str, str]]:
    import re

    annotation = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
    doc = yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))
    out = []
    for block in doc["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append((annotation.sub(lambda m: m.group(1), line[2:]), block["intent"]))
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, config: Path, out_dir: Path, messages: list[tuple[str, str]]) -> dict:
    print(f"\n== {name}: training ({config.relative_to(ROOT)})", flush=True)
    cache = tempfile.mkdtemp(prefix="rasa-cache-")
    os.environ["RASA_CACHE_DIRECTORY"] = cache  # no help from an earlier training
    model, seconds = train(config, out_dir)
    if seconds is None:
        raise SystemExit(f"{model} already existed; the benchmark needs a fresh output directory")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "ACTION_SERVER_URL": "http://127.0.0.1:9/webhook",  # parsing needs no actions
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(RASA), "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(port), "--model", str(model)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/model/parse"
    try:
        session = requests.Session()
        while True:
            try:
                session.post(url, json={"text": "hallo"}, timeout=5).raise_for_status()
                break
            except requests.RequestException as error:
                if process.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit(f"{name}: Rasa server did not start") from error
                time.sleep(0.1)
        cold_start = time.perf_counter() - started
        for text, _ in messages[:30]:  # warm-up
            session.post(url, json={"text": text}).raise_for_status()
        latencies, correct = [], 0
        for text, intent in messages:
            t0 = time.perf_counter()
            response = session.post(url, json={"text": text})
            latencies.append((time.perf_counter() - t0) * 1000)
            correct += response.json()["intent"]["name"] == intent
        memory = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    result = {
        "training_s": round(seconds, 1),
        "model_mb": round(model.stat().st_size / 1e6, 2),
        "cold_start_s": round(cold_start, 1),
        "rss_mb": round(memory),
        "parse_p50_ms": round(statistics.median(latencies), 1),
        "parse_p95_ms": round(percentile(latencies, 0.95), 1),
        "held_out_accuracy": round(correct / len(messages), 3),
    }
    for key, value in result.items():
        print(f"  {key:<18} {value}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-baseline", action="store_true", help="skip Rasa's default pipeline (slow)")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "reports" / "nlu_bench.json")
    args = parser.parse_args()
    messages = test_messages()
    out_dir = Path(tempfile.mkdtemp(prefix="wegwijzer-bench-"))
    results = {"project": measure("project pipeline", ROOT / "config.yml", out_dir, messages)}
    goals = {"parse_p95_ms": 20, "cold_start_s": 20, "rss_mb": 1024, "training_s": 180}
    print("\nGoals:")
    for key, goal in goals.items():
        value = results["project"][key]
        print(f"  {key:<18} {value:>8} (goal ≤ {goal}) {'ok' if value <= goal else 'MISSED'}")
    if not args.no_baseline:
        results["rasa_default"] = measure(
            "Rasa default pipeline", ROOT / "tests" / "bench" / "baseline_config.yml", out_dir, messages
        )
        print("\nProject / Rasa default:")
        for key, value in results["project"].items():
            base = results["rasa_default"][key]
            print(f"  {key:<18} {value:>8} / {base:<8} = {value / base if base else float('nan'):.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
