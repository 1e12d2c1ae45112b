"""Every setting of Wegwijzer, in one place: read once from the environment.

All settings are environment variables (the README lists them); none is
needed for `make run`. `settings()` reads them the first time it is called
and keeps them; `reload_settings()` reads them again (tests).

Relative folders are taken from the project folder, never from the current
working directory, so every process finds the same `var/`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
TELEGRAM_API = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """The settings, with their environment variables (case-insensitive)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore")

    # -- storage --------------------------------------------------------------
    var: Path = Field(Path("var"), validation_alias="WEGWIJZER_VAR")
    database_url_setting: str | None = Field(None, validation_alias="DATABASE_URL")
    secret: SecretStr | None = Field(None, validation_alias="WEGWIJZER_SECRET")

    # -- processes --------------------------------------------------------------
    rasa_url: str | None = Field(None, validation_alias="RASA_URL")
    rasa_port: int = Field(5005, validation_alias="RASA_PORT")
    # Rasa servers `make run` starts (ports RASA_PORT, RASA_PORT+1, ...);
    # more than one needs LOCK_STORE_URL, Redis as Rasa's lock store.
    rasa_servers: int = Field(1, ge=1, validation_alias="RASA_SERVERS")
    lock_store_url: str | None = Field(None, validation_alias="LOCK_STORE_URL")
    action_port: int = Field(5055, validation_alias="ACTION_PORT")
    # How long a message waits for a Rasa server that is down (restarting,
    # loading a model) before the user hears it cannot be answered now.
    rasa_patience_seconds: float = Field(1800.0, gt=0, validation_alias="RASA_PATIENCE_SECONDS")
    review_host: str = Field("127.0.0.1", validation_alias="REVIEW_HOST")
    review_port: int = Field(8080, validation_alias="REVIEW_PORT")
    # Reverse proxies whose X-Forwarded-For the staff page believes (comma-separated); none by default.
    review_trusted_proxies: str | None = Field(None, validation_alias="REVIEW_TRUSTED_PROXIES")
    log_level: str = Field("WARNING", validation_alias="LOG_LEVEL")
    # Prometheus metrics of the Telegram front-end (off unless a port is set).
    metrics_port: int | None = Field(None, validation_alias="METRICS_PORT")
    metrics_host: str = Field("127.0.0.1", validation_alias="METRICS_HOST")

    # -- Telegram ---------------------------------------------------------------
    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(TELEGRAM_API, validation_alias="TELEGRAM_API_URL")
    telegram_file_url_setting: str | None = Field(None, validation_alias="TELEGRAM_FILE_URL")
    telegram_webhook_url: str | None = Field(None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_listen: str = Field("127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(8443, validation_alias="TELEGRAM_WEBHOOK_PORT")
    rate_per_second: float = Field(1.0, validation_alias="RATE_PER_SECOND")
    rate_burst: int = Field(5, validation_alias="RATE_BURST")

    # -- staff --------------------------------------------------------------------
    staff_chat_id: int | None = Field(None, validation_alias="STAFF_CHAT_ID")
    staff_user_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), validation_alias="STAFF_USER_IDS")
    staff_password: SecretStr | None = Field(None, validation_alias="WEGWIJZER_STAFF_PASSWORD")
    office_hours_file: Path = Field(DATA_DIR / "office_hours.yml", validation_alias="OFFICE_HOURS_FILE")
    # How long what points to a user is kept; a user who comes back within it
    # gets the staff member who helped before (the contact person).
    retention_days: int = Field(30, ge=1, validation_alias="RETENTION_DAYS")
    # How long transcripts and user rows are kept: this many days after an
    # escalation is closed, otherwise after the user's last message; then
    # the purge removes them (wegwijzer.retention), counts stay.
    data_retention_days: int = Field(30, ge=1, validation_alias="WEGWIJZER_RETENTION_DAYS")
    # "Is het gelukt?": asked this many days after a referral (Telegram only).
    follow_up_days: float = Field(7, gt=0, validation_alias="FOLLOW_UP_DAYS")
    # Where users' links to the staff page's public parts (a printable
    # handover card) point; the local staff page when unset.
    public_url_setting: str | None = Field(None, validation_alias="WEGWIJZER_PUBLIC_URL")
    handover_card_hours: int = Field(24, ge=1, validation_alias="HANDOVER_CARD_HOURS")
    # At most this many new escalations per user in 24 hours (also across /stop).
    escalations_per_day: int = Field(3, ge=1, validation_alias="ESCALATIONS_PER_DAY")

    @field_validator("staff_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        """ "123, 456" or "123;456" (an empty value is no ids)."""
        if isinstance(value, str):
            return frozenset(int(v) for v in value.replace(";", ",").split(",") if v.strip())
        return value

    @field_validator(
        "database_url_setting",
        "rasa_url",
        "telegram_bot_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "telegram_file_url_setting",
        "staff_chat_id",
        "metrics_port",
        "secret",
        "staff_password",
        "public_url_setting",
        "lock_store_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    # -- derived ----------------------------------------------------------------------
    @property
    def var_dir(self) -> Path:
        """The folder for the SQLite database, the key and the logs."""
        return self.var if self.var.is_absolute() else ROOT / self.var

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "log"

    @property
    def database_url(self) -> str:
        """DATABASE_URL, else a SQLite file in the var folder."""
        if self.database_url_setting:
            # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants "postgresql".
            return self.database_url_setting.replace("postgres://", "postgresql+psycopg://", 1)
        return f"sqlite:///{self.var_dir / 'wegwijzer.db'}"

    @property
    def tracker_store_url(self) -> str:
        """The same database for Rasa's SQL tracker store (table `events`)."""
        return rasa_database_url(self.database_url)

    @property
    def public_url(self) -> str:
        """The staff page's address for links users open (no trailing slash)."""
        return (self.public_url_setting or f"http://127.0.0.1:{self.review_port}").rstrip("/")

    @property
    def telegram_file_url(self) -> str:
        """Where files are downloaded: next to the Bot API URL unless set."""
        if self.telegram_file_url_setting:
            return self.telegram_file_url_setting
        api = self.telegram_api_url
        return api.removesuffix("/bot") + "/file/bot" if api.endswith("/bot") else "https://api.telegram.org/file/bot"


def rasa_database_url(url: str) -> str:
    """An application database URL as the Rasa server connects to it: its
    environment has psycopg2, SQLAlchemy's default PostgreSQL driver."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url.removeprefix(prefix)
    return url


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings()


def reload_settings() -> Settings:
    """Read the environment again (after a test changed it)."""
    settings.cache_clear()
    return settings()
