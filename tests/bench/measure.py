"""Small helpers the benchmarks share (plain Python, for both environments)."""

from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    """The value at quantile q (0–1) of the measurements, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
