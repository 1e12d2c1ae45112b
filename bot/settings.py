"""The bot's configuration, from environment variables (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _ids(value: str | None) -> frozenset[int]:
    return frozenset(int(v) for v in (value or "").replace(";", ",").split(",") if v.strip())


@dataclass(frozen=True)
class Settings:
    token: str
    api_url: str = "https://api.telegram.org/bot"
    file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    staff_chat_id: int | None = None
    staff_user_ids: frozenset[int] = field(default_factory=frozenset)
    rate_per_second: float = 1.0
    burst: int = 5

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        api_url = env.get("TELEGRAM_API_URL") or cls.api_url
        file_url = env.get("TELEGRAM_FILE_URL") or (
            api_url[: -len("/bot")] + "/file/bot" if api_url.endswith("/bot") else cls.file_url
        )
        return cls(
            token=env["TELEGRAM_BOT_TOKEN"],
            api_url=api_url,
            file_url=file_url,
            webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or None,
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            webhook_listen=env.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=int(env.get("TELEGRAM_WEBHOOK_PORT", "8443")),
            staff_chat_id=int(env["STAFF_CHAT_ID"]) if env.get("STAFF_CHAT_ID") else None,
            staff_user_ids=_ids(env.get("STAFF_USER_IDS")),
            rate_per_second=float(env.get("RATE_PER_SECOND", "1")),
            burst=int(env.get("RATE_BURST", "5")),
        )
