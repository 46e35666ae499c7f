"""Logging that never prints what people write, their names, or the bot token (it appears in
every Bot API URL)."""

from __future__ import annotations

import logging
from pathlib import PurePath


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


# Library loggers that carry payloads below WARNING, so they stay at WARNING (or above, when
# LOG_LEVEL is higher) whatever LOG_LEVEL says. The token redaction above cannot help here:
# answers and names are not secrets it knows.
_QUIET = (
    # Every statement with its parameters at DEBUG: answers, queued reveal texts, first names.
    "aiosqlite",
    # Request URLs (the token) at INFO; headers and bodies at DEBUG (hpack: HTTP/2 headers).
    "httpx",
    "httpcore",
    "hpack",
    # Steady's HTTP client: connection and request details at DEBUG.
    "aiohttp",
    # Debug mode reports slow callbacks and tasks with the arguments they hold.
    "asyncio",
    # The PostgreSQL driver and its pool: connection details and notices at DEBUG and INFO.
    "psycopg",
)


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    chosen = logging.getLevelName(level)
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, chosen))
    # A tick still running when the next is due is skipped by design (the database holds the
    # work; the next tick finds it), which APScheduler reports as a warning each time.
    logging.getLogger("apscheduler").setLevel(max(logging.ERROR, chosen))
    # PTB's DEBUG lines carry whole updates and request parameters (what people wrote); its
    # INFO lines are start, stop and polling state only: even LOG_LEVEL=DEBUG keeps it at INFO.
    logging.getLogger("telegram").setLevel(max(logging.INFO, chosen))


def where(error: BaseException) -> str:
    """An exception as a log may show it: its class and where it was raised (file, line,
    function), never its message, which can quote what someone wrote (a name in a chart, an
    answer in a report). For failures caught where people's words are at hand."""
    last = error.__traceback__
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    if last is None:
        return type(error).__name__
    code = last.tb_frame.f_code
    place = f"{PurePath(code.co_filename).name}:{last.tb_lineno}"
    return f"{type(error).__name__} at {place} in {code.co_name}"
