"""Settings from the environment: clear one-line errors, the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def settings(tmp_path: Path, **env: str):
    return load_settings(env, dotenv=tmp_path / ".env")


def test_defaults(tmp_path: Path) -> None:
    s = settings(tmp_path, BOT_TOKEN=TOKEN)
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.bot_base_url == "https://api.telegram.org/bot"
    assert s.database_path == Path("data/steady.db")
    assert s.log_level == "INFO"
    assert TOKEN not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "nonsense"}, "does not look like a token"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_URL": "postgres://x"}, "must name a database"),
        ({"BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x/steady"}, "DATABASE_URL"),
        ({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"BOT_TOKEN": TOKEN, "SEND_RATE": "100"}, "PAID_BROADCAST=true"),
        ({"BOT_TOKEN": TOKEN, "SEND_RATE": "1001", "PAID_BROADCAST": "1"}, "limit of 1000"),
        ({"BOT_TOKEN": TOKEN, "PAID_BROADCAST": "maybe"}, "true or false"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_TIMEZONE": "Mars/Base"}, "IANA"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
        ({"BOT_TOKEN": TOKEN, "RETENTION_DAYS": "a month"}, "RETENTION_DAYS"),
    ],
)
def test_bad_settings_give_one_clear_line(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        settings(tmp_path, **env)
    assert "\n" not in str(info.value)
    if "BOT_TOKEN" in env:
        assert env["BOT_TOKEN"] not in str(info.value)


def test_a_postgresql_url_selects_postgresql_and_its_password_is_never_shown(
    tmp_path: Path,
) -> None:
    url = "postgresql://steady:s3cret-pw@db.internal:5432/steady"
    s = settings(tmp_path, BOT_TOKEN=TOKEN, DATABASE_URL=url, SECRET_KEY="x" * 32)
    assert s.database == url and s.database_url == url
    assert s.database_label == "postgresql://db.internal/steady"
    assert "s3cret-pw" not in repr(s) and "s3cret-pw" not in s.database_label
    assert s.database_password == "s3cret-pw"  # handed to the log redaction
    # The invite key file still has a home: the data folder.
    assert s.database_path == Path("data/steady.db")


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f'# comment\nBOT_TOKEN="{TOKEN}"\nLOG_LEVEL=debug\nDATABASE_URL=sqlite:////srv/s.db\n'
    )
    s = load_settings({"LOG_LEVEL": "warning"}, dotenv=tmp_path / ".env")
    assert s.bot_token == TOKEN
    assert s.log_level == "WARNING"
    assert s.database_path == Path("/srv/s.db")


def test_api_url_accepts_the_bot_suffix(tmp_path: Path) -> None:
    s = settings(tmp_path, BOT_TOKEN=TOKEN, TELEGRAM_API_URL="http://127.0.0.1:8081/bot/")
    assert s.bot_base_url == "http://127.0.0.1:8081/bot"


def test_the_token_is_redacted_from_tracebacks_too() -> None:
    import logging
    import sys

    from bot.logs import RedactingFormatter

    try:
        raise RuntimeError(f"proxy refused https://api.telegram.org/bot{TOKEN}/getUpdates")
    except RuntimeError:
        info = sys.exc_info()
    record = logging.LogRecord("x", 40, "", 0, "polling failed", None, info)
    text = RedactingFormatter("%(message)s", [TOKEN]).format(record)
    assert "proxy refused" in text and TOKEN not in text


def test_retention_days_is_the_owners_maximum(tmp_path: Path) -> None:
    assert settings(tmp_path, BOT_TOKEN=TOKEN).retention_days is None
    assert settings(tmp_path, BOT_TOKEN=TOKEN, RETENTION_DAYS="90").retention_days == 90


@pytest.mark.parametrize("rate", ["30", "1000"])
def test_the_bots_connections_cover_every_send_delivery_keeps_in_flight(
    tmp_path: Path, rate: str
) -> None:
    """Fewer connections than sends in flight would queue them in the HTTP pool: the pool,
    not the pace, would then set the rate at the paid cap."""
    from bot.app import build_application
    from scheduler.delivery import in_flight_for

    s = settings(tmp_path, BOT_TOKEN=TOKEN, SEND_RATE=rate, PAID_BROADCAST="true")
    pool = build_application(s).bot.request._pool_size  # type: ignore[attr-defined]
    assert pool >= in_flight_for(float(rate)) + 16  # and room for what handlers send


def test_no_secret_of_the_settings_reaches_a_log_line(tmp_path: Path) -> None:
    """Whatever a library or a traceback puts in a line (a URL with the token, a connection
    string), every secret the settings hold comes out as <token> (bot.__main__ sets logging
    up with Settings.log_secrets)."""
    import logging

    from bot.logs import RedactingFormatter

    webhook, key = "w" * 8 + "-Hookscarab-" + "w" * 8, "k" * 20 + "Keyvelvet" + "k" * 20
    s = settings(
        tmp_path,
        BOT_TOKEN=TOKEN,
        SECRET_KEY=key,
        DATABASE_URL="postgresql://steady:Dbpassmoth77@db.example/steady",
        WEBHOOK_URL="https://bot.example/hook",
        WEBHOOK_SECRET=webhook,
    )
    secrets = (TOKEN, key, "Dbpassmoth77", webhook)
    line = "failed: " + " ".join(secrets)
    record = logging.LogRecord("x", 40, "", 0, line, None, None)
    text = RedactingFormatter("%(message)s", s.log_secrets).format(record)
    assert text == "failed: <token> <token> <token> <token>"
