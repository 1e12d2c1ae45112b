"""Starts and stops the processes behind the front-end: the Rasa server
(its own Python 3.10 environment), the action server and, for `make run`,
the staff review page.

Used by `make run` (via `python -m bot`) and by the tests, so both run the
assistant the same way. Every process is started in its own process group
and stopped by its process id; nothing is left running.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from wegwijzer.ports import port_is_free
from wegwijzer.settings import settings
from wegwijzer.texts import say

ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = ROOT / "nlu" / ".venv" / "bin" / "python"
RASA_TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
# `rasa run ... --auth-token TOKEN`, with the token from the environment.
WITH_TOKEN = (
    "import os, sys; from rasa.__main__ import main; "
    f"sys.argv = ['rasa', *sys.argv[1:], '--auth-token', os.environ['{RASA_TOKEN_VARIABLE}']]; main()"
)


def current_model() -> Path:
    """The trained model for the current inputs (trains when stale)."""
    result = subprocess.run(
        [str(RASA_PYTHON), str(ROOT / "nlu" / "train.py")],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return Path(result.stdout.strip().splitlines()[-1])


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:  # the child keeps its own handle
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def healthy(self) -> bool:
        try:
            response = httpx.get(self.health_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        if response.status_code != 200:
            return False
        return self.name != "rasa" or bool(response.json().get("model_file"))

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


@dataclass
class Stack:
    """The Rasa server and the action server, on 127.0.0.1."""

    model: Path
    rasa_port: int = field(default_factory=lambda: settings().rasa_port)
    action_port: int = field(default_factory=lambda: settings().action_port)
    log_dir: Path = field(default_factory=lambda: settings().log_dir)
    extra_env: dict[str, str] = field(default_factory=dict)
    with_review: bool = False  # also serve the staff review page (make run)
    review_port: int = field(default_factory=lambda: settings().review_port)
    services: list[Service] = field(default_factory=list)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def start(self, timeout: float = 180.0) -> None:
        from wegwijzer.cli import ensure_database

        ensure_database(self.extra_env.get("DATABASE_URL"))
        # Rasa's HTTP API and channel answer only with this token; made per
        # start unless set, and passed on in the environment (never on a
        # command line, where every local process could read it).
        os.environ.setdefault(RASA_TOKEN_VARIABLE, secrets.token_urlsafe(24))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ACTION_SERVER_URL": self.action_url,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": "127.0.0.1",  # the action server listens on loopback only
            **self.extra_env,
        }
        self.services = [
            Service(
                name="actions",
                command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)],
                health_url=f"http://127.0.0.1:{self.action_port}/health",
                env=env,
                log_path=self.log_dir / "actions.log",
            ),
            Service(
                name="rasa",
                command=[
                    str(RASA_PYTHON),
                    "-c",
                    WITH_TOKEN,
                    "run",
                    "--enable-api",
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(self.rasa_port),
                    "--model",
                    str(self.model),
                    "--endpoints",
                    "endpoints.yml",
                    "--credentials",
                    "credentials.yml",
                ],
                health_url=f"{self.rasa_url}/status?token={os.environ[RASA_TOKEN_VARIABLE]}",
                env=env,
                log_path=self.log_dir / "rasa.log",
            ),
        ]
        if self.with_review and not port_is_free(self.review_port):
            print(say("review_port_taken", port=self.review_port), file=sys.stderr)
        elif self.with_review:
            self.services.append(
                Service(
                    name="review",
                    command=[sys.executable, "-m", "review"],
                    health_url=f"http://127.0.0.1:{self.review_port}/login",
                    env={**env, "REVIEW_PORT": str(self.review_port)},
                    log_path=self.log_dir / "review.log",
                )
            )
        try:
            for service in self.services:
                service.start()
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = list(self.services)
        while pending:
            for service in list(pending):
                if service.process is not None and service.process.poll() is not None:
                    raise RuntimeError(f"{service.name} stopped while starting; see {service.log_path}")
                if service.healthy():
                    pending.remove(service)
            if pending and time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise TimeoutError(f"{names} not ready after {timeout:.0f} s; see {self.log_dir}")
            time.sleep(0.3)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
