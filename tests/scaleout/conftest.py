"""A throw-away PostgreSQL server on 127.0.0.1 (Debian's packages), started
once for the session and stopped by its process id."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wegwijzer.ports import free_port


def postgres_binary(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        pytest.fail(f"PostgreSQL ({name}) is not installed; `make test` installs Debian's postgresql package")
    return str(found[-1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    import psycopg

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
    port = free_port()
    with open(base / "postgres.log", "w") as log:  # the server keeps its own handle
        server = subprocess.Popen(
            [
                *as_postgres,
                postgres_binary("postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(sockets),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 60
    while True:
        try:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute("CREATE DATABASE wegwijzer")
            break
        except psycopg.OperationalError as error:
            if server.poll() is not None or time.monotonic() > deadline:
                log_tail = (base / "postgres.log").read_text()[-2000:]
                raise RuntimeError(f"PostgreSQL did not start: {log_tail}") from error
            time.sleep(0.2)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/wegwijzer"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)
