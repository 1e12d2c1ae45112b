"""Starts and stops the processes behind the front-end: the Rasa server
(its own Python 3.10 environment), the action server and, for `make run`,
the staff review page.

Used by `make run` (via `python -m bot`) and by the tests, so both run the
assistant the same way. Every process is started in its own process group
and stopped by its process id; nothing is left running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import yaml

from wegwijzer.ports import port_is_free
from wegwijzer.settings import rasa_database_url, settings
from wegwijzer.texts import say

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RASA_PYTHON = ROOT / "nlu" / ".venv" / "bin" / "python"
RASA_TOKEN_VARIABLE = "RASA_AUTH_TOKEN"
# `rasa run ... --auth-token TOKEN`, with the token from the environment.
WITH_TOKEN = (
    "import os, sys; from rasa.__main__ import main; "
    f"sys.argv = ['rasa', *sys.argv[1:], '--auth-token', os.environ['{RASA_TOKEN_VARIABLE}']]; main()"
)


SUPERVISE_INTERVAL = 1.0  # seconds between looks at the processes
RESTART_BACKOFF = (1.0, 60.0)  # first and longest wait before a restart
STABLE_AFTER = 300.0  # a service that ran this long starts again after the first wait


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
    port: int
    port_variable: str  # the setting that chooses another port
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    paused: bool = False  # being restarted by hand: the supervisor leaves it alone

    def start(self) -> None:
        if not port_is_free(self.port):
            # An old process (or its workers) still holds the port: running on
            # would talk to that process, not to this one.
            raise PortTaken(say("port_taken", name=self.name, port=self.port, variable=self.port_variable))
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

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        try:
            response = httpx.get(self.health_url, timeout=2.0)
        except httpx.HTTPError:
            return False
        if response.status_code != 200:
            return False
        return not self.name.startswith("rasa") or bool(response.json().get("model_file"))

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the whole process group, also when its main process has
        already died and left workers behind (the action server's)."""
        if self.process is None:
            return
        group = self.process.pid  # started with start_new_session: group id = pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _group_alive(group) and time.monotonic() < deadline:
            self.process.poll()  # reaps the main process once it exits
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self.process.wait()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PortTaken(RuntimeError):
    """A port a service needs is in use by another process."""


@dataclass
class Stack:
    """The Rasa server and the action server, on 127.0.0.1."""

    model: Path
    rasa_port: int = field(default_factory=lambda: settings().rasa_port)
    # More than one Rasa server shares the conversations through the
    # database and Redis (LOCK_STORE_URL): each gets its own port.
    rasa_servers: int = field(default_factory=lambda: settings().rasa_servers)
    rasa_ports: list[int] = field(default_factory=list)
    action_port: int = field(default_factory=lambda: settings().action_port)
    log_dir: Path = field(default_factory=lambda: settings().log_dir)
    extra_env: dict[str, str] = field(default_factory=dict)
    with_review: bool = False  # also serve the staff review page (make run)
    review_port: int = field(default_factory=lambda: settings().review_port)
    services: list[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.rasa_ports:
            self.rasa_ports = [self.rasa_port + i for i in range(self.rasa_servers)]
        self.rasa_port = self.rasa_ports[0]

    @property
    def rasa_url(self) -> str:
        """Every Rasa server, comma-separated (RASA_URL for the front-end)."""
        return ",".join(f"http://127.0.0.1:{port}" for port in self.rasa_ports)

    def _rasa_service(self, number: int, port: int, env: dict[str, str]) -> Service:
        name = "rasa" if number == 1 else f"rasa-{number}"
        return Service(
            name=name,
            command=[
                str(RASA_PYTHON),
                "-c",
                WITH_TOKEN,
                "run",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--model",
                str(self.model),
                "--endpoints",
                str(self._endpoints()),
                "--credentials",
                "credentials.yml",
            ],
            health_url=f"http://127.0.0.1:{port}/status?token={os.environ[RASA_TOKEN_VARIABLE]}",
            env=env,
            log_path=self.log_dir / f"{name}.log",
            port=port,
            port_variable="RASA_PORT",
        )

    def _endpoints(self) -> Path:
        """endpoints.yml, plus Redis as the lock store when LOCK_STORE_URL is
        set (written next to the logs; a password stays in the environment)."""
        lock_store = self.extra_env.get("LOCK_STORE_URL") or settings().lock_store_url
        if not lock_store:
            return ROOT / "endpoints.yml"
        redis = urlsplit(lock_store)
        if redis.scheme not in {"redis", "rediss"} or not redis.hostname:
            raise ValueError("LOCK_STORE_URL must look like redis://[:password@]host[:port][/db]")
        store = {
            "type": "redis",
            "url": redis.hostname,
            "port": redis.port or 6379,
            "db": int(redis.path.strip("/") or 0),
            "key_prefix": "wegwijzer",
            "use_ssl": redis.scheme == "rediss",
            **({"password": "${LOCK_STORE_PASSWORD}"} if redis.password else {}),
        }
        path = self.log_dir / "endpoints.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((ROOT / "endpoints.yml").read_text() + "\n" + yaml.safe_dump({"lock_store": store}))
        return path

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def start(self, timeout: float = 180.0) -> None:
        from wegwijzer.cli import ensure_database

        if len(self.rasa_ports) > 1 and not (self.extra_env.get("LOCK_STORE_URL") or settings().lock_store_url):
            # Without a shared lock store two servers could answer one conversation at once.
            raise ValueError("More than one Rasa server needs a lock store: set LOCK_STORE_URL (Redis)")
        ensure_database(self.extra_env.get("DATABASE_URL"))
        # Rasa's HTTP API and channel answer only with this token; made per
        # start unless set, and passed on in the environment (never on a
        # command line, where every local process could read it).
        os.environ.setdefault(RASA_TOKEN_VARIABLE, secrets.token_urlsafe(24))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ACTION_SERVER_URL": self.action_url,
            # Rasa keeps conversations in the application's database (endpoints.yml).
            "TRACKER_STORE_URL": rasa_database_url(self.extra_env.get("DATABASE_URL") or settings().database_url),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            **self._lock_store_password(),
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
                port=self.action_port,
                port_variable="ACTION_PORT",
            ),
            *(self._rasa_service(number, port, env) for number, port in enumerate(self.rasa_ports, start=1)),
        ]
        if self.with_review:
            self.services.append(
                Service(
                    name="review",
                    command=[sys.executable, "-m", "review"],
                    health_url=f"http://127.0.0.1:{self.review_port}/health",
                    env={**env, "REVIEW_PORT": str(self.review_port)},
                    log_path=self.log_dir / "review.log",
                    port=self.review_port,
                    port_variable="REVIEW_PORT",
                )
            )
        try:
            for service in self.services:
                service.start()
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _lock_store_password(self) -> dict[str, str]:
        lock_store = self.extra_env.get("LOCK_STORE_URL") or settings().lock_store_url
        password = urlsplit(lock_store).password if lock_store else None
        return {"LOCK_STORE_PASSWORD": unquote(password)} if password else {}

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

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def restart(self, name: str, timeout: float = 180.0) -> None:
        """Stop one service (its whole group) and start it again, ready."""
        service = self.service(name)
        service.paused = True
        try:
            service.stop()
            service.start()
        finally:
            service.paused = False
        self._wait_for(service, timeout)

    def _wait_for(self, service: Service, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not service.healthy():
            if not service.running():
                raise RuntimeError(f"{service.name} stopped while starting; see {service.log_path}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service.name} not ready after {timeout:.0f} s; see {service.log_path}")
            time.sleep(0.3)

    # -- supervision ----------------------------------------------------------
    def supervise(self) -> None:
        """Watch every service in a background thread and start again one
        that dies, with backoff (1, 2, 4 … 60 s; back to 1 s after it ran
        for 5 minutes). Each restart is logged, with the log file to read."""
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        backoff = {s.name: RESTART_BACKOFF[0] for s in self.services}
        started = {s.name: time.monotonic() for s in self.services}
        while not self._stopping.wait(SUPERVISE_INTERVAL):
            for service in self.services:
                if service.running() or service.paused or self._stopping.is_set():
                    continue
                if time.monotonic() - started[service.name] > STABLE_AFTER:
                    backoff[service.name] = RESTART_BACKOFF[0]
                delay = backoff[service.name]
                logger.warning(
                    "%s stopped (exit code %s); starting it again in %.0f s; see %s",
                    service.name,
                    service.process.returncode if service.process else None,
                    delay,
                    service.log_path,
                )
                service.stop()  # its workers too
                if self._stopping.wait(delay):
                    return
                backoff[service.name] = min(delay * 2, RESTART_BACKOFF[1])
                try:
                    service.start()
                except PortTaken as taken:
                    logger.error("%s", taken)
                    continue
                service.restarts += 1
                started[service.name] = time.monotonic()
                logger.warning("%s started again (restart %d)", service.name, service.restarts)

    def unsupervise(self) -> None:
        """Stop watching (the services keep running)."""
        stopping: threading.Event | None = getattr(self, "_stopping", None)
        if stopping is not None:
            stopping.set()
            self._watcher.join(timeout=SUPERVISE_INTERVAL + 60)

    def stop(self) -> None:
        self.unsupervise()
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
