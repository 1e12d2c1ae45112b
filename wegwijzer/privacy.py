"""Privacy by design: pseudonyms for users (redaction of personal numbers
comes with the Telegram front-end).

The Rasa conversation and the database never see a raw Telegram id: the
front-end sends a keyed hash of it. The key lives outside the code
(WEGWIJZER_SECRET, or a file under var/ made on first use), so the pseudonym
cannot be recomputed from a leaked conversation alone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = Path(os.environ.get("WEGWIJZER_VAR", "var")) / "secret.key"


def load_secret(path: Path = SECRET_FILE) -> bytes:
    """WEGWIJZER_SECRET, else a random key kept in var/secret.key."""
    configured = os.environ.get("WEGWIJZER_SECRET")
    if configured:
        return configured.encode()
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path.write_bytes(key)
    path.chmod(0o600)
    return key


def pseudonym(channel: str, user_id: str | int, secret: bytes) -> str:
    """A stable, non-reversible id for a user of a channel: 'tg-3f9a…'."""
    digest = hmac.new(secret, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:20]}"
