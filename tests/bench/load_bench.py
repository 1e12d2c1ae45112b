"""Load, soak and faults: many simulated users holding real conversations
with the whole assistant, side by side on the two topologies.

- embedded: SQLite and one Rasa server (what `make run` starts);
- scale: PostgreSQL, Redis as Rasa's lock store and two Rasa servers (what
  `make test-scale` checks and deploy/compose.yml runs).

Each simulated user talks like a helper: a topic, sometimes a vague message
first (a clarifying question), then the place, which gives the referral
card; some ask for a person. A user sends the next message only when the
reply cycle of the last one is complete, as a person reading the answer
does. A reply cycle is complete when its final reply arrives (the referral
for a place, the question for the place after a topic, ...).

Per topology: a soak at 30 msg/s for 5 minutes (p50/p95/p99 of the time from
a message to its final reply, throughput, RSS per process), then rising
rates to the highest one with p95 ≤ 250 ms. On the scale topology, faults
during load: a Rasa server killed, the action server killed, PostgreSQL
restarted, a new model loaded into a running Rasa server. For every phase:
messages lost (no final reply), doubled (a final reply twice), out of order,
delayed (told "een moment") and the time to recover.

Usage (application environment): python tests/bench/load_bench.py [--quick] [--json FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bot.launcher import Stack, current_model  # noqa: E402
from tests.fake_telegram import Call, FakeTelegram  # noqa: E402
from tests.scaleout.conftest import PostgresServer, throwaway_postgres, throwaway_redis  # noqa: E402
from wegwijzer.numbers import percentile  # noqa: E402
from wegwijzer.ports import free_port  # noqa: E402
from wegwijzer.texts import say  # noqa: E402

# (message, the text that ends its reply cycle)
TOPICS = [
    ("mijn buurvrouw is haar digid kwijt", "postcode"),
    ("hoe vraagt mijn vader huurtoeslag aan", "postcode"),
    ("ze heeft een brief van de belastingdienst over de aanslag en snapt er niks van", "postcode"),
    ("mijn cliënt heeft schulden en er staat een deurwaarder aan de deur", "postcode"),
    ("het paspoort van mijn moeder is verlopen, hoe verlengt ze dat", "postcode"),
    ("mijn oom krijgt geen aow en weet niet waarom", "postcode"),
]
PLACES = ["Assen", "Zwolle", "Groningen", "Utrecht", "Leeuwarden", "Haarlem"]
VAGUE = ("vraagje over iets", "Waar gaat het over")
PERSON = ("kan ik een medewerker spreken", "medewerker")
GREETING = ("hallo", "Hallo!")


@dataclass
class Cycle:
    user: int
    text: str
    marker: str
    mark: int
    pushed: float
    done_at: float | None = None
    finals: int = 0  # how often the same final reply came
    waited: bool = False  # told "een moment"


@dataclass
class User:
    id: int
    script: list[tuple[str, str]]
    step: int = 0
    current: Cycle | None = None


class Load:
    """Simulated users over the fake Telegram Bot API."""

    def __init__(self, fake: FakeTelegram, seed: int = 7) -> None:
        self.fake = fake
        self.rng = random.Random(seed)
        self.ids = itertools.count(2_000_001)
        self.active: list[User] = []  # users with messages still to send
        self.cycles: list[Cycle] = []
        self.seen = 0  # calls of the fake API read so far
        self.by_chat: dict[int | None, list[tuple[int, Call]]] = {}  # chat → (position in the call log, call)

    def refresh(self) -> None:
        """Read the fake API's new calls once, by chat."""
        new = self.fake.calls_to(None, since=self.seen)
        for offset, call in enumerate(new):
            if call.method == "sendMessage":
                self.by_chat.setdefault(call.chat_id, []).append((self.seen + offset, call))
        self.seen += len(new)

    def new_user(self) -> User:
        topic = self.rng.choice(TOPICS)
        place = self.rng.choice(PLACES)
        script = [topic, (place, f"Voor {place}")]
        roll = self.rng.random()
        if roll < 0.2:
            script.insert(0, VAGUE)  # a clarification first
        elif roll < 0.3:
            script.append(PERSON)  # then asks for a person
        if self.rng.random() < 0.3:
            script.insert(0, GREETING)
        user = User(next(self.ids), script)
        self.active.append(user)
        return user

    def _check(self, cycle: Cycle) -> None:
        calls = [call for at, call in self.by_chat.get(cycle.user, []) if at >= cycle.mark]
        finals = [c for c in calls if cycle.marker in c.text]
        texts = [c.text for c in finals]
        # Answered twice: the same final reply again (a message may hold the marker in two different replies).
        cycle.finals = max((texts.count(text) for text in texts), default=0)
        cycle.waited = any(c.text == say("one_moment") for c in calls)
        if finals and cycle.done_at is None:
            cycle.done_at = finals[0].at

    def drain(self, quiet: float = 5.0, limit: float = 900.0) -> None:
        """Wait until the bot has sent nothing for `quiet` seconds (what is
        still queued from the last phase is answered), then start the next
        phase with new users only."""
        deadline = time.perf_counter() + limit
        last_count, last_change = -1, time.perf_counter()
        while time.perf_counter() < deadline:
            count = self.fake.mark()
            if count != last_count:
                last_count, last_change = count, time.perf_counter()
            elif time.perf_counter() - last_change >= quiet:
                break
            time.sleep(0.2)
        self.active.clear()

    def ready(self, user: User) -> bool:
        if user.current is None:
            return True
        self._check(user.current)
        return user.current.done_at is not None

    def send(self, user: User) -> None:
        text, marker = user.script[user.step]
        mark = self.fake.mark()
        update = self.fake.send_text(user.id, text)
        cycle = Cycle(user.id, text, marker, mark, self.fake.pushed_at[update])
        user.current = cycle
        user.step += 1
        if user.step == len(user.script):
            self.active.remove(user)
        self.cycles.append(cycle)

    def run(self, rate: float, seconds: float, during: Callable[[float], None] | None = None) -> dict:
        """Offer `rate` messages per second for `seconds`; each message goes to
        a user whose last reply cycle is complete (or to a new user)."""
        first = len(self.cycles)
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < seconds:
            target = start + n / rate
            pause = target - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if during is not None:
                during(time.perf_counter() - start)
            self.refresh()
            user = next((u for u in self.active if self.ready(u)), None)
            self.send(user if user is not None else self.new_user())
            n += 1
        offered_for = time.perf_counter() - start
        return self.settle(first, start, offered_for, rate)

    def settle(self, first: int, start: float, offered_for: float, rate: float, wait: float = 300.0) -> dict:
        cycles = self.cycles[first:]
        deadline = time.perf_counter() + wait
        while time.perf_counter() < deadline:
            self.refresh()
            for cycle in cycles:
                self._check(cycle)
            if all(c.done_at is not None for c in cycles):
                break
            time.sleep(0.1)
        time.sleep(1.0)  # a doubled final reply comes late
        self.refresh()
        for cycle in cycles:
            self._check(cycle)
        done = [c for c in cycles if c.done_at is not None]
        latencies = [(c.done_at - c.pushed) * 1000 for c in done if c.done_at is not None]
        last = max((c.done_at for c in done if c.done_at is not None), default=start)
        return {
            "offered_rate": rate,
            "seconds": round(offered_for, 1),
            "messages": len(cycles),
            "answered": len(done),
            "lost": len(cycles) - len(done),  # no final reply within `wait` after the phase
            "doubled": sum(1 for c in cycles if c.finals > 1),
            "out_of_order": self.out_of_order(cycles),
            "delayed": sum(1 for c in cycles if c.waited),
            "throughput": round(len(done) / max(last - start, offered_for), 1),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
            "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None,
        }

    @staticmethod
    def out_of_order(cycles: list[Cycle]) -> int:
        """Final replies that came before the final reply of the user's earlier message."""
        by_user: dict[int, list[Cycle]] = {}
        for cycle in cycles:
            by_user.setdefault(cycle.user, []).append(cycle)
        wrong = 0
        for own in by_user.values():
            times = [c.done_at for c in own if c.done_at is not None]
            wrong += sum(1 for a, b in itertools.pairwise(times) if b < a)
        return wrong


def rss_mb(pid: int) -> float:
    """Resident memory of a process and every process in its group (workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(entry.name) != pid and int(fields[2]) != pid:  # fields[2]: the process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return round(total / 1024, 1)


@dataclass
class Topology:
    name: str
    stack: Stack
    fake: FakeTelegram
    bot: subprocess.Popen[bytes]
    postgres: PostgresServer | None = None
    extra: dict[str, int] = field(default_factory=dict)  # other processes: name → pid

    def memory(self) -> dict[str, float]:
        found = {s.name: rss_mb(s.process.pid) for s in self.stack.services if s.process is not None}
        found["bot"] = rss_mb(self.bot.pid)
        if self.postgres is not None and self.postgres.process is not None:
            found["postgres"] = rss_mb(self.postgres.process.pid)
        return found


@contextmanager
def topology(name: str, work: Path, scale: bool) -> Iterator[Topology]:
    with ExitStack() as stack_of:
        env: dict[str, str] = {"WEGWIJZER_VAR": str(work / name)}
        postgres = None
        if scale:
            postgres = stack_of.enter_context(throwaway_postgres())
            env["DATABASE_URL"] = postgres.create_database("bench")
            env["LOCK_STORE_URL"] = stack_of.enter_context(throwaway_redis())
        else:
            env["DATABASE_URL"] = f"sqlite:///{work}/{name}.db"
        ports = [free_port(), free_port()] if scale else [free_port()]
        stack = Stack(
            model=current_model(),
            rasa_ports=ports,
            action_port=free_port(),
            log_dir=work / name / "logs",
            extra_env=env,
        )
        stack.start()
        stack_of.callback(stack.stop)
        stack.supervise()
        fake = FakeTelegram(token="919191:LOAD").start()
        stack_of.callback(fake.stop)
        bot_env = {
            **os.environ,
            **env,
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.api_url,
            "RASA_URL": stack.rasa_url,
            "LOG_LEVEL": "WARNING",
        }
        mark = fake.mark()
        with open(work / name / "bot.log", "w") as log:  # the bot keeps its own handle
            bot = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=bot_env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        stack_of.callback(stop_bot, bot)
        while not fake.calls_to("setMyCommands", since=mark):
            if bot.poll() is not None:
                raise SystemExit(f"bot did not start: {(work / name / 'bot.log').read_text()[-2000:]}")
            time.sleep(0.05)
        yield Topology(name, stack, fake, bot, postgres)


def stop_bot(bot: subprocess.Popen[bytes]) -> None:
    bot.terminate()
    try:
        bot.wait(15)
    except subprocess.TimeoutExpired:
        bot.kill()


def highest_rate(load: Load, rates: tuple[int, ...], seconds: float) -> tuple[float, list[dict]]:
    best, steps = 0.0, []
    for rate in rates:
        load.drain()
        result = load.run(rate, seconds)
        steps.append(result)
        keeps_up = result["lost"] == 0 and result["p95_ms"] is not None and result["p95_ms"] <= 250
        print(f"    {rate:>3} msg/s offered: {result['throughput']} msg/s, p95 {result['p95_ms']} ms", flush=True)
        if not keeps_up:
            break
        best = max(best, result["throughput"])
        time.sleep(3)
    return best, steps


def faults(t: Topology, load: Load, rate: float, quick: bool) -> dict:
    """Load at `rate` with a fault every `gap` seconds; how each went."""
    gap = 20.0 if quick else 40.0
    happened: list[tuple[str, float]] = []

    def kill_rasa() -> None:
        os.kill(t.stack.service("rasa").process.pid, signal.SIGKILL)  # type: ignore[union-attr]

    def kill_actions() -> None:
        os.killpg(t.stack.service("actions").process.pid, signal.SIGKILL)  # type: ignore[union-attr]

    def restart_postgres() -> None:
        assert t.postgres is not None
        t.postgres.restart()

    def new_model() -> None:
        # The same model file, loaded again into the running second server
        # (Rasa's PUT /model): what a model update does to a running server.
        server = t.stack.service("rasa-2")
        token = os.environ["RASA_AUTH_TOKEN"]
        httpx.put(
            f"http://127.0.0.1:{server.port}/model?token={token}",
            json={"model_file": str(t.stack.model)},
            timeout=300,
        ).raise_for_status()

    plan = [("rasa server killed", kill_rasa), ("action server killed", kill_actions)]
    plan += [("PostgreSQL restarted", restart_postgres), ("new model loaded", new_model)]
    todo = list(plan)

    def during(elapsed: float) -> None:
        if todo and elapsed >= gap * (len(plan) - len(todo) + 0.5):
            name, act = todo.pop(0)
            print(f"    fault: {name} at {elapsed:.0f} s", flush=True)
            happened.append((name, time.perf_counter()))
            act()

    first = len(load.cycles)
    result = load.run(rate, gap * len(plan) + gap / 2, during)
    cycles = load.cycles[first:]
    recovery = {}
    for name, at in happened:
        # Recovered: the first message sent after the fault whose reply came in time again.
        after = [c for c in cycles if c.pushed >= at and c.done_at is not None]
        normal = next((c for c in after if (c.done_at - c.pushed) < 0.25), None)  # type: ignore[operator]
        recovery[name] = round(normal.done_at - at, 1) if normal and normal.done_at else None
    result["recovery_seconds"] = recovery
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "reports" / "load_bench.json")
    parser.add_argument("--quick", action="store_true", help="1-minute soak and short steps (not the goal's figures)")
    parser.add_argument("--only", choices=["embedded", "scale"], help="one topology")
    args = parser.parse_args()
    soak_seconds = 60 if args.quick else 300
    step_seconds = 10 if args.quick else 20
    work = Path(tempfile.mkdtemp(prefix="wegwijzer-load-"))
    report: dict[str, dict] = {}
    for name, scale in (("embedded", False), ("scale", True)):
        if args.only and name != args.only:
            continue
        print(f"{name}: starting", flush=True)
        with topology(name, work, scale) as t:
            load = Load(t.fake)
            load.run(5, 10)  # warm-up
            load.drain()
            print(f"  soak: 30 msg/s for {soak_seconds} s", flush=True)
            soak = load.run(30, soak_seconds)
            soak["rss_mb"] = t.memory()
            print(f"    {soak}", flush=True)
            load.drain()
            best, steps = highest_rate(load, (5, 10, 15, 20, 25, 30, 40, 60), step_seconds)
            entry = {"soak": soak, "highest_rate_p95_250ms": best, "steps": steps}
            if scale:
                print("  faults during load (10 msg/s)", flush=True)
                load.drain()
                entry["faults"] = faults(t, load, 10, args.quick)
                print(f"    {entry['faults']}", flush=True)
            entry["rss_mb_end"] = t.memory()
            report[name] = entry
    print_table(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))
    return 0


def print_table(report: dict[str, dict]) -> None:
    names = list(report)
    rows = [
        ("soak messages", lambda e: e["soak"]["messages"]),
        ("soak p50 ms", lambda e: e["soak"]["p50_ms"]),
        ("soak p95 ms", lambda e: e["soak"]["p95_ms"]),
        ("soak p99 ms", lambda e: e["soak"]["p99_ms"]),
        ("soak throughput msg/s", lambda e: e["soak"]["throughput"]),
        ("soak lost / doubled / out of order", lambda e: "{lost} / {doubled} / {out_of_order}".format(**e["soak"])),
        ("highest rate, p95 ≤ 250 ms", lambda e: e["highest_rate_p95_250ms"]),
        ("RSS MB after soak", lambda e: ", ".join(f"{k} {v}" for k, v in e["soak"]["rss_mb"].items())),
    ]
    print("\n| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for label, value in rows:
        print(f"| {label} | " + " | ".join(str(value(report[n])) for n in names) + " |")
    scale = report.get("scale", {}).get("faults")
    if scale:
        print(
            f"\nFaults (scale, 10 msg/s): {scale['messages']} messages, lost {scale['lost']}, "
            f"doubled {scale['doubled']}, out of order {scale['out_of_order']}, delayed {scale['delayed']}, "
            f"p95 {scale['p95_ms']} ms, max {scale['max_ms']} ms; recovery (s): {scale['recovery_seconds']}"
        )


if __name__ == "__main__":
    sys.exit(main())
