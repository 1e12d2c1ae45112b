"""Throw-away PostgreSQL and Redis servers on 127.0.0.1 (Debian's packages),
started once for the session and stopped by their process ids."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from wegwijzer.ports import free_port, port_is_free


def postgres_binary(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL ({name}) is not installed; `make test` installs Debian's postgresql package")
    return str(found[-1])


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL server; `restart` stops and starts it again
    on the same port and data (a fault the topology must survive)."""

    base: Path
    port: int
    as_postgres: list[str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str = "wegwijzer") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        import psycopg

        with open(self.base / "postgres.log", "a") as log:  # the server keeps its own handle
            self.process = subprocess.Popen(
                [
                    *self.as_postgres,
                    postgres_binary("postgres"),
                    "-D",
                    str(self.base / "data"),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.base / "sockets"),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "max_connections=200",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(self.admin_url, autocommit=True):
                    return
            except psycopg.OperationalError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log_tail = (self.base / "postgres.log").read_text()[-2000:]
                    raise RuntimeError(f"PostgreSQL did not start: {log_tail}") from error
                time.sleep(0.2)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None:
            # SIGINT is PostgreSQL's "fast" shutdown (SIGTERM waits for every
            # client to leave); to the group, so it reaches the server itself.
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def throwaway_postgres() -> Iterator[PostgresServer]:
    """A new PostgreSQL cluster in a temporary folder, started; removed after."""
    base = Path(tempfile.mkdtemp(prefix="wegwijzer-pg-"))
    data, sockets = base / "data", base / "sockets"
    data.mkdir()
    sockets.mkdir()
    # PostgreSQL refuses to run as root: then it runs as the postgres user.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        [
            *as_postgres,
            postgres_binary("initdb"),
            "-D",
            str(data),
            "--auth=trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--no-instructions",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    server = PostgresServer(base, free_port(), as_postgres)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def throwaway_redis() -> Iterator[str]:
    """A Redis server on 127.0.0.1 that keeps no files; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("Redis is not installed; `make test` installs Debian's redis-server package")
    base = Path(tempfile.mkdtemp(prefix="wegwijzer-redis-"))
    port = free_port()
    with open(base / "redis.log", "w") as log:
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(base), "--save", ""],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 30
    while port_is_free(port):
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Redis did not start: {(base / 'redis.log').read_text()[-2000:]}")
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with throwaway_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    return postgres_server.create_database("wegwijzer")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server on 127.0.0.1 (Debian's redis-server)."""
    with throwaway_redis() as url:
        yield url
