"""Settings of webhook mode and the JSON log format (web15)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logs import JsonFormatter, RedactSecrets, update_fields, user_hash
from bot.settings import SettingsError, load_settings

TOKEN = "123456789:AAE-secret-half-of-the-token"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"webhook_url": "https://bot.example.com/hook"}, "WEBHOOK_SECRET: required with WEBHOOK_URL"),
        ({"webhook_url": "ftp://x/hook", "webhook_secret": "abc"}, "WEBHOOK_URL: must start with https://"),
        (
            {"webhook_url": "https://x/hook", "webhook_secret": "has space"},
            "WEBHOOK_SECRET: 1 to 256 characters",
        ),
        (
            {"webhook_url": "https://x/hook", "webhook_secret": "a" * 257},
            "WEBHOOK_SECRET: 1 to 256 characters",
        ),
        ({"webhook_max_connections": "101"}, "WEBHOOK_MAX_CONNECTIONS:"),
        ({"health_port": "70000"}, "HEALTH_PORT:"),
        ({"log_format": "xml"}, "LOG_FORMAT:"),
    ],
)
def test_bad_webhook_settings_are_one_line_naming_the_variable(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, **values)
    assert str(error.value).startswith(message)


def test_polling_is_the_default_and_empty_values_mean_unset() -> None:
    settings = load_settings(_env_file=None, webhook_url="", webhook_secret="", health_port="")
    assert not settings.webhook_mode and settings.health_port is None and settings.log_format == "text"
    hooked = load_settings(
        _env_file=None, webhook_url="https://bot.example.com/t/hook", webhook_secret="s_3-x"
    )
    assert hooked.webhook_mode and hooked.webhook_port == 8080 and hooked.webhook_max_connections == 40


def json_lines(emit: object) -> list[dict[str, object]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets([TOKEN, TOKEN.partition(":")[2]]))
    logger = logging.getLogger("tests.json")
    logger.handlers[:] = [handler]
    logger.propagate, logger.level = False, logging.DEBUG
    assert callable(emit)
    emit(logger)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_the_update_fields_and_never_the_token() -> None:
    def emit(logger: logging.Logger) -> None:
        logger.info("plain line")
        with update_fields(update_id=42, user=user_hash(1001)), update_fields(handler="profile.start"):
            logger.info("calling https://api.telegram.org/bot%s/sendMessage", TOKEN)
            logger.info("done", extra={"duration_ms": 12.5})
            try:
                raise RuntimeError(f"failed with {TOKEN}\nsecond line")
            except RuntimeError:
                logger.exception("boom")

    plain, call, done, boom = json_lines(emit)
    assert plain["message"] == "plain line" and plain["update_id"] is None and plain["duration_ms"] is None
    assert (
        plain["level"] == "INFO" and plain["logger"] == "tests.json" and str(plain["time"]).endswith("+00:00")
    )
    assert call["message"] == "calling https://api.telegram.org/bot<redacted>/sendMessage"
    assert (call["update_id"], call["handler"], call["user"]) == (42, "profile.start", user_hash(1001))
    assert done["duration_ms"] == 12.5
    assert "RuntimeError: failed with <redacted>" in str(boom["exception"])
    assert all(TOKEN.partition(":")[2] not in json.dumps(line) for line in (plain, call, done, boom))


def test_user_hash_is_stable_short_and_not_the_id() -> None:
    first = user_hash(123456789)
    assert first == user_hash(123456789) and first is not None and len(first) == 12
    assert "123456789" not in first and user_hash(123456780) != first and user_hash(None) is None
