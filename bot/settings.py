"""Settings from the environment and .env, validated once at startup."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_LANGUAGES = ("en", "zh_CN")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/quota_coach.sqlite3"
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
DRIVER_ALIASES = {
    "postgres://": "postgresql+asyncpg://",
    "postgresql://": "postgresql+asyncpg://",
    "sqlite://": "sqlite+aiosqlite://",
}


class Settings(BaseSettings):
    """Everything the bot reads from its environment. Each field is documented in .env.example."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    default_timezone: str = "Asia/Shanghai"
    default_language: Literal["en", "zh_CN"] = "zh_CN"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    shell_output_dir: Path = Path("data/shell-files")
    # Messages per second across all chats (Telegram allows about 30); 0 turns the limiter off, e.g. for
    # a local Bot API server or the test emulator.
    telegram_rate_limit: float = Field(default=30.0, ge=0, le=10_000)
    # How long getUpdates may keep refusing the token (401/404) before the bot exits for its supervisor.
    telegram_unauthorized_grace_seconds: float = Field(default=120.0, gt=0, le=24 * 3600)
    # The review dispatcher: how often it wakes, how late a prompt may still go out, when to remind.
    dispatcher_enabled: bool = True
    dispatch_interval_seconds: float = Field(default=15.0, gt=0, le=3600)
    review_grace_hours: float = Field(default=3.0, ge=0.1, le=48)
    reminder_delay_minutes: float = Field(default=120.0, ge=1, le=24 * 60)
    # How long replies that were sent (or given up) stay in the outbox table before they are pruned.
    outbox_retention_hours: float = Field(default=72.0, gt=0, le=24 * 365)
    # workers15: how long a send under way (a reply, a prompt) or a claimed prompt is held by its process
    # before another process on the same PostgreSQL takes it over (the process died).
    outbox_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    prompt_lease_seconds: float = Field(default=120.0, ge=1, le=3600)
    # The inbox: how many users' updates are handled at once (each user's one at a time, in order), how
    # long a consumer's claim on a user's updates lasts unless renewed (another process takes over a dead
    # one's after it), and how long handled updates are kept before they are pruned.
    inbox_concurrency: int = Field(default=8, ge=1, le=256)
    inbox_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    inbox_retention_hours: float = Field(default=72.0, gt=0, le=24 * 365)
    # shutdown15: one deadline for a stop (SIGTERM, SIGINT): the handlers and sends under way may finish
    # within it, then what is left is cancelled (rolled back, or left for the next start's rules).
    shutdown_deadline_seconds: float = Field(default=10.0, gt=0, le=600)
    # For tests and demos only: the bot's clock starts at this instant and runs on from there.
    clock_start: datetime | None = None
    # sync14: the Fernet key CRM credentials are encrypted with (Fernet.generate_key()); empty: API sync off.
    crm_secret_key: SecretStr | None = None
    # sync14: how often each CRM connection is synced (its slot), and how long a sync holds its connection.
    crm_sync_interval_minutes: int = Field(default=60, ge=5, le=24 * 60)
    crm_sync_lease_seconds: float = Field(default=600.0, ge=10, le=24 * 3600)
    # web15 (issue 15): webhook mode (set WEBHOOK_URL; polling otherwise), the web server's address, the
    # health port of a polling process (unset: no server), readiness bounds, and the log format.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_max_connections: int = Field(default=40, ge=1, le=100)  # Telegram's range
    health_port: int | None = Field(default=None, ge=1, le=65535)
    ready_inbox_lag_seconds: float = Field(default=60.0, gt=0, le=24 * 3600)
    log_format: Literal["text", "json"] = "text"
    log_user_salt: SecretStr = SecretStr("")
    # workers15: "all" receives updates (getUpdates or the webhook) and works; "worker" only works (the
    # inbox, the dispatcher, the outbox, CRM syncs) beside one receiving process on the same PostgreSQL.
    bot_role: Literal["all", "worker"] = "all"

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("crm_secret_key", mode="before")
    @classmethod
    def _empty_key_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("crm_secret_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        # Checked at startup: a key that cannot decrypt would otherwise surface as every sync failing.
        if value is not None:
            from cryptography.fernet import Fernet

            try:
                Fernet(value.get_secret_value().encode())
            except ValueError:
                raise ValueError("expected a Fernet key (32 url-safe base64-encoded bytes)") from None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram tokens are "<bot id>:<secret>"; catching a pasted-wrong token here beats a 401 later.
        if value is not None:
            bot_id, _, secret = value.get_secret_value().partition(":")
            if not bot_id.isdigit() or len(secret) < 10:
                raise ValueError("expected the form 123456789:ABC... from @BotFather")
        return value

    @field_validator("telegram_base_url", "telegram_base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_url", "health_port", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        # Telegram itself needs https; http is for a self-hosted Bot API server and the emulator.
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http:// for a local Bot API server)")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # setWebhook's secret_token: 1-256 characters, A-Z, a-z, 0-9, _ and - only.
        if value is not None and not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET: required with WEBHOOK_URL (Telegram sends it on every request)")
        return self

    @field_validator("database_url", mode="before")
    @classmethod
    def _async_driver(cls, value: object) -> object:
        # People paste the URLs their other tools use; the bot only speaks the async drivers.
        if isinstance(value, str):
            for plain, driver in DRIVER_ALIASES.items():
                if value.startswith(plain):
                    return driver + value.removeprefix(plain)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL (e.g. sqlite+aiosqlite:///data/bot.sqlite3)") from None
        if url.drivername not in SUPPORTED_DRIVERS:
            raise ValueError(f"driver must be one of {', '.join(SUPPORTED_DRIVERS)}, not {url.drivername}")
        if url.drivername.startswith("postgresql") and not url.database:
            raise ValueError("a PostgreSQL URL needs a database name")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone name (e.g. Asia/Shanghai)") from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("a comma-separated list of Telegram user ids")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("clock_start")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-27T10:00:00+08:00")
        return value

    @cached_property
    def database(self) -> URL:
        """The parsed database URL."""
        return make_url(self.database_url)

    @property
    def is_sqlite(self) -> bool:
        return self.database.drivername.startswith("sqlite")

    @property
    def webhook_mode(self) -> bool:
        """Updates arrive by webhook (WEBHOOK_URL is set) rather than by long polling."""
        return self.webhook_url is not None


class SettingsError(Exception):
    """A setting has a bad value; the message names the variable and is safe to print."""


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one line naming the first bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if not first["loc"]:  # a check across variables: its message names them
            raise SettingsError(message) from None
        raise SettingsError(f"{str(first['loc'][0]).upper()}: {message}") from None
