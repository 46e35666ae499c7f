"""`python -m bot.health`: exit 0 while the tick runs, 1 when it has not for a few minutes.

In webhook mode (several workers) it asks the worker's own /healthz instead.

Docker's HEALTHCHECK runs it. Every tick touches a heartbeat file (Settings.heartbeat_path);
this reads the file's age, so the check needs no database connection and no Telegram."""

from __future__ import annotations

import logging
import os
import sys
import time
import urllib.request
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger(__name__)

# "A few minutes": three minutes, or three ticks when ticks are further apart than a minute.
MIN_STALE_SECONDS = 180.0


def beat(path: Path) -> None:
    """Record that the tick ran now."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # PostgreSQL's data folder
        # 0600 like every file in the data folder, whatever the umask; then mtime = now.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.utime(path)
    except OSError as exc:  # the bot keeps working; only the health check will say so
        log.warning("could not touch the heartbeat file (%s)", type(exc).__name__)


def last_beat(path: Path) -> float | None:
    """When the tick last ran (seconds since the epoch), or None if it never has."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def stale_after(settings: Settings) -> float:
    return max(MIN_STALE_SECONDS, 3 * settings.tick_seconds)


def check(path: Path, now: float, limit: float) -> str | None:
    """None when the last tick is recent enough; otherwise why not, in one line."""
    beat = last_beat(path)
    if beat is None:
        return f"no tick has run yet ({path} is missing)"
    age = now - beat
    if age > limit:
        return f"the last tick ran {age:.0f}s ago (more than {limit:.0f}s)"
    return None


def ask_webhook(port: int) -> str | None:
    """In webhook mode: this worker's own /healthz (bot.webhook) says whether its tick runs."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as reply:
            return None if reply.status == 200 else f"/healthz answered {reply.status}"
    except OSError as exc:  # HTTPError (503: the tick stopped) and refused connections
        return f"/healthz: {type(exc).__name__} {getattr(exc, 'code', '')}".strip()


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if settings.webhook_url:
        # Several workers may share one data folder (and its heartbeat file): ask this one.
        problem = ask_webhook(settings.webhook_port)
    else:
        problem = check(settings.heartbeat_path, time.time(), stale_after(settings))
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
