"""Logging that never prints the bot token (it appears in every Bot API URL)."""

from __future__ import annotations

import logging


class RedactingFormatter(logging.Formatter):
    """Formats, then replaces secrets anywhere in the result, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<token>")
        return text


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL, token included, at INFO: keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # A tick still running when the next is due is skipped by design (the database holds the
    # work; the next tick finds it), which APScheduler reports as a warning each time.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    # PTB's DEBUG lines carry whole updates and request parameters (what people wrote):
    # even LOG_LEVEL=DEBUG keeps the library at INFO.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level)))
