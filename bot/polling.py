"""Running the bot in place of PTB's `run_polling`: reach Telegram, retrying with backoff while
it is unreachable; poll until SIGTERM or SIGINT; shut down in run_polling's order.

`run_polling` gives up at once when Telegram is unreachable (a crash loop under Docker's
restart policy) and its last traceback prints the whole token. Here each failed try is one line
without a traceback, and a token Telegram rejects is one line and exit code 2.

With WEBHOOK_URL set, updates come to bot.webhook's server instead of polling (several workers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.context import Services

log = logging.getLogger(__name__)
T = TypeVar("T")

FIRST_RETRY = 1.0  # seconds; doubled after each failed try, up to MAX_RETRY
MAX_RETRY = 60.0


class TokenRejected(Exception):
    """Telegram answered 401 to the token: retrying cannot help."""


class _Stopped(Exception):
    """A stop signal came while waiting."""


async def run(app: Application) -> None:
    """Connect, poll until a stop signal, shut down. TokenRejected if Telegram refuses the token."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await _connect(app, stop)
        await _until_stopped(_start(app), stop)
        await stop.wait()
    except _Stopped:
        pass
    except InvalidToken:  # at getMe, or revoked just after it
        raise TokenRejected from None  # PTB's message holds the token
    finally:
        await _shut_down(app)


async def _connect(app: Application, stop: asyncio.Event) -> None:
    """`initialize` (PTB's getMe), again and again while Telegram cannot be reached."""
    delay = FIRST_RETRY
    attempt = 0
    while True:
        attempt += 1
        try:
            await _until_stopped(app.initialize(), stop)
            return
        except InvalidToken:
            raise
        except TelegramError as exc:
            wait = max(delay, _seconds(exc.retry_after)) if isinstance(exc, RetryAfter) else delay
            # One line, no traceback: the reason is an error class or Telegram's description.
            log.warning(
                "cannot reach Telegram (try %d: %s); trying again in %gs", attempt, exc, wait
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
            raise _Stopped
        delay = min(delay * 2, MAX_RETRY)


def _seconds(value: object) -> float:
    """RetryAfter.retry_after: an int or a timedelta, depending on PTB's settings."""
    total = getattr(value, "total_seconds", None)
    return float(total() if callable(total) else value)  # type: ignore[arg-type]


async def _start(app: Application) -> None:
    if app.post_init:
        await app.post_init(app)
    services = app.bot_data["services"]
    if services.settings.webhook_url:
        await _start_webhook(app, services)
        return
    assert app.updater is not None

    def polling_error(exc: TelegramError) -> None:  # as run_polling routes them
        app.create_task(app.process_error(error=exc, update=None))

    await app.updater.start_polling(
        allowed_updates=Update.ALL_TYPES,
        drop_pending_updates=False,
        bootstrap_retries=-1,  # Telegram went away again just after getMe: keep trying
        error_callback=polling_error,
    )
    await app.start()


async def _start_webhook(app: Application, services: Services) -> None:
    """Webhook mode: serve, then tell Telegram where to post (every worker says the same; the
    address is the reverse proxy's)."""
    # Only here: aiohttp's server side is 45 ms of imports a polling bot never needs.
    from bot.webhook import MAX_CONNECTIONS, WebhookServer

    await app.start()  # the job queue (the tick); updates come through the server, not a queue
    server = WebhookServer(app, services)
    app.bot_data["webhook"] = server
    await server.start()
    settings = services.settings
    delay = FIRST_RETRY
    while True:
        try:
            await app.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
                max_connections=MAX_CONNECTIONS,
            )
            return
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("could not set the webhook (%s); trying again in %gs", exc, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_RETRY)


async def _until_stopped(step: Awaitable[T], stop: asyncio.Event) -> T:
    """The step's result, unless a stop signal comes first: then the step is cancelled."""
    task = asyncio.ensure_future(step)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise _Stopped
    return task.result()


async def _shut_down(app: Application) -> None:
    server = app.bot_data.pop("webhook", None)
    if server is not None:
        await server.stop()  # no new updates; those being handled finish
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
    await app.shutdown()
    await app.bot.shutdown()  # its HTTP sessions, when initialize never got through
    if app.post_shutdown:
        await app.post_shutdown(app)
