"""Settings, read once from the environment (and an optional `.env` file) in `main()`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.schedule_rules import zone_or_none

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
DATABASE_DEFAULT = "sqlite:///data/steady.db"
# A Bot API token is "<bot id>:<secret>"; BotFather's secrets are 35 characters today.
_TOKEN_RE = re.compile(r"^\d{5,20}:[A-Za-z0-9_-]{30,100}$")
# A short secret could be guessed along with the code; a key file has 32 random bytes.
MIN_SECRET = 16
_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    bot_token: str
    telegram_api_url: str = TELEGRAM_API_DEFAULT
    # The SQLite file; with PostgreSQL, its folder still holds the heartbeat file.
    database_path: Path = Path("data/steady.db")
    # A postgresql:// URL selects PostgreSQL instead of the SQLite file (it may hold a
    # password: never logged).
    database_url: str = ""
    log_level: str = "INFO"
    # How often the scheduler's tick asks the database what is due.
    tick_seconds: float = 20.0
    # Global send rate of the outbox delivery loop (Telegram allows about 30/s; up to 1000/s
    # with paid broadcasts, which Telegram charges Stars for).
    send_rate: float = 30.0
    paid_broadcast: bool = False
    # Seconds between two messages to one private chat (Telegram allows about one a second).
    # Not read from the environment: tests shorten it, except the tests of pacing itself.
    per_chat_interval: float = 1.0
    # Where a couple can find a couples therapist (shown after repeated conflicts), and the
    # crisis line text shown in /help; each has a kind default when unset.
    help_url: str = ""
    crisis_text: str = ""
    # Seconds to wait for Telegram's answer to a request (long polling adds its own wait).
    request_timeout: float = 5.0
    # The zone used for a partner who has not set one yet.
    default_timezone: str = "UTC"
    # After downtime, check-ins that came due at most this long ago are still sent.
    schedule_grace_seconds: int = 2 * 3600
    # The server key (bot.keys): invite hashes and encryption at rest. Empty: a key file made
    # beside the SQLite database; required with PostgreSQL.
    secret_key: str = ""
    # The owner's maximum for keeping revealed texts, in days (None: as the couple chooses).
    retention_days: int | None = None
    # Telegram user ids of the people who run this Steady: only they get /stats.
    admin_ids: frozenset[int] = frozenset()
    # Webhook mode (several workers behind a reverse proxy): the public HTTPS address Telegram
    # posts updates to; empty: polling, the default, which needs nothing public.
    webhook_url: str = ""
    # Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update; a request
    # without it is refused (403). Never logged.
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8080
    # Seconds a worker holds an outbox row it claimed without renewing (it renews every
    # third of it): a worker that died gives its sends back after this long.
    lease_seconds: int = 30

    def __repr__(self) -> str:  # never let the token reach a log or a traceback
        return f"Settings(api={self.telegram_api_url!r}, db={self.database_label!r})"

    @property
    def database(self) -> str | Path:
        """What Database.open takes."""
        return self.database_url or self.database_path

    @property
    def database_password(self) -> str:
        """The PostgreSQL URL's password, if any: redacted from every log line."""
        return (urlsplit(self.database_url).password or "") if self.database_url else ""

    @property
    def log_secrets(self) -> list[str]:
        """Every secret these settings hold, replaced in each log line (bot.logs): the token
        (in every Bot API URL), the server key, the database password, the webhook secret."""
        return [self.bot_token, self.secret_key, self.database_password, self.webhook_secret]

    @property
    def database_label(self) -> str:
        """The database for a log line: a PostgreSQL URL's host and name, never its password."""
        if not self.database_url:
            return str(self.database_path)
        parts = urlsplit(self.database_url)
        return f"postgresql://{parts.hostname or 'localhost'}{parts.path}"

    @property
    def heartbeat_path(self) -> Path:
        """Touched by every tick; `python -m bot.health` reads its age (beside the database, or
        in the data folder with PostgreSQL: a file costs no database connection)."""
        return self.database_path.parent / "heartbeat"

    @property
    def bot_base_url(self) -> str:
        return f"{self.telegram_api_url}/bot"

    @property
    def bot_file_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"


def load_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; comments, blank lines and surrounding quotes are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def database_path_from_url(url: str) -> Path:
    """`sqlite:///relative/path.db` or `sqlite:////absolute/path.db` to a path."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ConfigError(
            f"DATABASE_URL must look like {DATABASE_DEFAULT} or "
            "postgresql://user:password@host:5432/steady."
        )
    return Path(url[len(prefix) :])


def _database(env: Mapping[str, str]) -> tuple[Path, str]:
    """(SQLite file or the data folder's default file, PostgreSQL URL or "")."""
    url = env.get("DATABASE_URL", "").strip() or DATABASE_DEFAULT
    if url.startswith(("postgresql://", "postgres://")):
        if not urlsplit(url).path.strip("/"):
            raise ConfigError("DATABASE_URL for PostgreSQL must name a database (…:5432/steady).")
        return database_path_from_url(DATABASE_DEFAULT), url
    return database_path_from_url(url), ""


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero.")
    return value


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Build settings from `env` (default: the process environment) over an optional `.env`."""
    merged = dict(load_dotenv(dotenv or Path(".env")))
    merged.update(os.environ if env is None else env)

    token = merged.get("BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("BOT_TOKEN is not set: get one from @BotFather and put it in .env.")
    if not _TOKEN_RE.match(token):
        raise ConfigError("BOT_TOKEN does not look like a token from @BotFather (<id>:<secret>).")

    api = merged.get("TELEGRAM_API_URL", "").strip() or TELEGRAM_API_DEFAULT
    if not api.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_API_URL must start with http:// or https://.")
    # Accept the base with or without PTB's "/bot" suffix.
    api = api.rstrip("/").removesuffix("/bot")

    database_path, database_url = _database(merged)

    level = (merged.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(sorted(_LOG_LEVELS))}.")

    return Settings(
        bot_token=token,
        telegram_api_url=api,
        database_path=database_path,
        database_url=database_url,
        log_level=level,
        tick_seconds=_positive_float(merged, "TICK_SECONDS", 20.0),
        send_rate=_send_rate(merged),
        paid_broadcast=_flag(merged, "PAID_BROADCAST"),
        request_timeout=_positive_float(merged, "REQUEST_TIMEOUT", 5.0),
        help_url=merged.get("HELP_URL", "").strip(),
        crisis_text=merged.get("CRISIS_TEXT", "").strip(),
        default_timezone=_timezone(merged.get("DEFAULT_TIMEZONE", "").strip() or "UTC"),
        schedule_grace_seconds=int(_positive_float(merged, "SCHEDULE_GRACE_MINUTES", 120.0) * 60),
        secret_key=_secret_key(merged, database_url),
        retention_days=_retention_days(merged),
        admin_ids=_admin_ids(merged.get("ADMIN_IDS", "")),
        **_webhook(merged),
        lease_seconds=_lease_seconds(merged),
    )


_WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


def _webhook(env: Mapping[str, str]) -> dict[str, object]:
    """WEBHOOK_URL (https://, Telegram's requirement), WEBHOOK_SECRET (what Telegram allows
    in its header, long enough not to be guessed), WEBHOOK_LISTEN and WEBHOOK_PORT."""
    url = env.get("WEBHOOK_URL", "").strip()
    if not url:
        return {}
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError("WEBHOOK_URL must be the public https:// address of your reverse proxy.")
    secret = env.get("WEBHOOK_SECRET", "").strip()
    if not _WEBHOOK_SECRET_RE.match(secret):
        raise ConfigError(
            "WEBHOOK_SECRET must be set with WEBHOOK_URL: 16 to 256 of A-Z a-z 0-9 _ - "
            "(for example the output of `openssl rand -hex 32`)."
        )
    port = env.get("WEBHOOK_PORT", "").strip() or "8080"
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ConfigError(f"WEBHOOK_PORT must be a port number, got {port!r}.")
    return {
        "webhook_url": url,
        "webhook_secret": secret,
        "webhook_listen": env.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        "webhook_port": int(port),
    }


def _lease_seconds(env: Mapping[str, str]) -> int:
    """At least three times the request timeout: a send's lease, renewed just before it, must
    outlast its request."""
    lease = int(_positive_float(env, "LEASE_SECONDS", 30.0))
    timeout = _positive_float(env, "REQUEST_TIMEOUT", 5.0)
    if lease < 3 * timeout:
        raise ConfigError(
            f"LEASE_SECONDS must be at least three times REQUEST_TIMEOUT ({3 * timeout:g})."
        )
    return lease


def _retention_days(env: Mapping[str, str]) -> int | None:
    raw = env.get("RETENTION_DAYS", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ConfigError(f"RETENTION_DAYS must be a whole number of days, 1 or more, got {raw!r}.")
    return int(raw)


def _admin_ids(raw: str) -> frozenset[int]:
    """`ADMIN_IDS=123, 456`: numeric Telegram user ids, separated by commas or spaces."""
    ids = set()
    for part in raw.replace(",", " ").split():
        if not (part.isascii() and part.isdigit()):
            raise ConfigError(
                f"ADMIN_IDS must be numeric Telegram user ids separated by commas, got {part!r}."
            )
        ids.add(int(part))
    return frozenset(ids)


def _secret_key(env: Mapping[str, str], database_url: str) -> str:
    """SECRET_KEY (INVITE_SECRET, its name before encryption at rest, still works)."""
    name = "SECRET_KEY" if env.get("SECRET_KEY", "").strip() else "INVITE_SECRET"
    secret = env.get(name, "").strip()
    if secret and len(secret) < MIN_SECRET:
        raise ConfigError(
            f"{name} must be at least {MIN_SECRET} characters "
            "(for example the output of `openssl rand -hex 32`), or unset."
        )
    if not secret and database_url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            "SECRET_KEY must be set with PostgreSQL (for example the output of "
            "`openssl rand -hex 32`); keep a copy: stored answers cannot be read without it."
        )
    return secret


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in {"", "0", "false", "no", "off"}:
        return False
    if raw in {"1", "true", "yes", "on"}:
        return True
    raise ConfigError(f"{name} must be true or false, got {raw!r}.")


def _send_rate(env: Mapping[str, str]) -> float:
    rate = _positive_float(env, "SEND_RATE", 30.0)
    cap = 1000.0 if _flag(env, "PAID_BROADCAST") else 30.0
    if rate > cap:
        raise ConfigError(
            f"SEND_RATE {rate:g} is above Telegram's limit of {cap:g} messages per second"
            + ("" if cap > 30 else " (set PAID_BROADCAST=true for up to 1000)")
            + "."
        )
    return rate


def _timezone(name: str) -> str:
    if zone_or_none(name) is None:
        raise ConfigError(f"DEFAULT_TIMEZONE {name!r} is not an IANA zone (e.g. Europe/Berlin).")
    return name
