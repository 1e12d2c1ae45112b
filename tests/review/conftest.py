"""A fresh SQLite database per test module, prepared by
wegwijzer.cli.ensure_database and seeded through the real domain service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.review.seed import Seeded, seed


@pytest.fixture(scope="module")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded]]:
    folder: Path = tmp_path_factory.mktemp("review-db")
    url = f"sqlite:///{folder / 'review.db'}"
    yield url, seed(url)
