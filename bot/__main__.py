"""`python -m bot`: read settings, set up logging, and poll Telegram until stopped."""

from __future__ import annotations

import logging
import os
import sys

from telegram import Update

from bot.app import build_application
from bot.config import ConfigError, load_settings
from bot.logs import setup_logging


def main() -> int:
    # Whatever this process creates (database, WAL, SHM) is for its own user only.
    os.umask(0o077)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"Steady cannot start: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, secrets=[settings.bot_token])
    logging.getLogger(__name__).info(
        "starting Steady (database %s, log level %s)", settings.database_path, settings.log_level
    )
    app = build_application(settings)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
