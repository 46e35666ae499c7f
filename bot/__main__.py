"""`python -m bot`: read settings, set up logging, and poll Telegram until stopped."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
from collections.abc import Callable

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging

log = logging.getLogger(__name__)


def main(adjust: Callable[[Settings], Settings] | None = None) -> int:
    """`adjust`: for tests (testing.forked), a change to the settings that no environment
    variable makes, such as a shorter per-chat interval."""
    # Whatever this process creates (database, WAL, SHM) is for its own user only.
    os.umask(0o077)
    try:
        settings = load_settings()
        if adjust is not None:
            settings = adjust(settings)
    except ConfigError as exc:
        print(f"Steady cannot start: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, secrets=settings.log_secrets)
    log.info(
        "starting Steady (database %s, log level %s)", settings.database_label, settings.log_level
    )
    # Only now the application (about a second of imports): a setting that stops the start
    # says so at once.
    from bot.app import build_application
    from bot.polling import TokenRejected, run

    app = build_application(settings)
    # What start-up made (modules, texts, the application) lives as long as the process: out
    # of the collector's way, or each full collection walks it all, a pause of 45-50 ms in
    # which the event loop sends nothing, after which a fan-out's sends went out bunched,
    # past Telegram's limit (bench.fanout: 5 ms now, no 429). Garbage first: only what lives
    # is set aside.
    gc.collect()
    gc.freeze()
    try:
        asyncio.run(run(app))
    except TokenRejected:
        print(
            "Steady cannot start: Telegram rejected BOT_TOKEN (401 Unauthorized); "
            "check it with @BotFather.",
            file=sys.stderr,
        )
        return 2
    except ConfigError as exc:  # found at start-up, e.g. a damaged key file or another key
        print(f"Steady cannot start: {exc}", file=sys.stderr)
        return 2
    except Exception:
        # Through the logging formatter, which redacts the token; Python's own traceback
        # printer would show it wherever a message or URL holds it.
        log.exception("Steady stopped on an unexpected error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
