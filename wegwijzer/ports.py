"""Ports on 127.0.0.1 for the processes Wegwijzer starts (standard library
only: the benchmarks in the Rasa environment use it too)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0
