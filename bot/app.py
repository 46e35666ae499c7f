"""Building the application: settings in, a ready PTB Application out."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from telegram import BotCommand, LinkPreviewOptions
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import at_rest, health, keys
from bot.config import Settings
from bot.context import Services, SteadyContext
from bot.crypto import Cipher
from bot.routes import register_handlers
from bot.storage.db import Database, DatabaseUnavailable
from bot.telegram_http import MESSAGE_DEFAULTS, AiohttpRequest
from bot.texts import DEFAULT_LANGUAGE, languages, t
from bot.update_order import InOrderPerPerson
from scheduler import direct, due
from scheduler.clock import Clock
from scheduler.delivery import Delivery, in_flight_for
from scheduler.direct import DirectPace

log = logging.getLogger(__name__)

# HTTP connections beyond delivery's sends in flight: handlers' replies, edits, button answers.
HANDLER_CONNECTIONS = 48

MENU = (
    "checkin",
    "history",
    "schedule",
    "timezone",
    "pause",
    "resume",
    "skip",
    "conflict",
    "promise",
    "promises",
    "agree",
    "agreements",
    "progress",
    "report",
    "firststeps",
    "options",
    "pair",
    "join",
    "unpair",
    "export",
    "delete",
    "language",
    "help",
    "start",
)


def build_application(
    settings: Settings, clock: Clock | None = None, request: BaseRequest | None = None
) -> Application:
    """An application with handlers wired; the database opens in post_init.

    `request`: the Bot API client (tests pass an offline one that records calls)."""
    app = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_base_url)
        .base_file_url(settings.bot_file_url)
        .request(
            request
            or AiohttpRequest(
                # A connection for each send delivery keeps in flight, and room for handlers.
                pool_size=in_flight_for(settings.send_rate) + HANDLER_CONNECTIONS,
                read_timeout=settings.request_timeout,
            )
        )
        .get_updates_request(AiohttpRequest(pool_size=1))
        .rate_limiter(DirectPace())  # what handlers send, in the delivery pace (see _post_init)
        .defaults(
            Defaults(
                parse_mode=MESSAGE_DEFAULTS["parse_mode"],
                link_preview_options=LinkPreviewOptions(**MESSAGE_DEFAULTS["link_preview_options"]),
            )
        )
        .context_types(ContextTypes(context=SteadyContext))
        .concurrent_updates(InOrderPerPerson())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data["services"] = Services(settings=settings, clock=clock or Clock())
    register_handlers(app)
    return app


def services_of(app: Application) -> Services:
    return app.bot_data["services"]


async def prepare(app: Application) -> None:
    """Open and migrate the database, load the server key, set the command menu: everything
    post_init does but start the loops."""
    services = services_of(app)
    services.db = await _open_database(services.settings)
    services.db.lease.seconds = services.settings.lease_seconds
    await services.db.migrate()
    settings = services.settings
    key = keys.server_key(settings.secret_key, settings.database_path)
    services.server_key = key
    await at_rest.adopt(services.db, Cipher(key))
    await set_command_menus(app)


async def set_command_menus(app: Application) -> None:
    """The command menu in each language we ship: Telegram shows a person the menu for
    their app's language_code, and the English one (set without a code) to everyone else."""
    for language in languages():
        commands = [BotCommand(c, t(f"commands.{c}", language)) for c in MENU]
        code = None if language == DEFAULT_LANGUAGE else language
        try:
            await app.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            log.warning(
                "could not set the %s command menu (%s); continuing", language, type(exc).__name__
            )


async def _open_database(settings: Settings) -> Database:
    """Open the database, again and again while its server cannot be reached (PostgreSQL
    starting after the bot, or restarting): one line a try, never the connection string."""
    delay, attempt = 1.0, 0
    while True:
        attempt += 1
        try:
            return await Database.open(settings.database)
        except DatabaseUnavailable as exc:
            log.warning(
                "cannot reach the database (try %d: %s); trying again in %gs", attempt, exc, delay
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, 60.0)


async def _post_init(app: Application) -> None:
    await prepare(app)
    services = services_of(app)
    settings = services.settings
    services.delivery = Delivery(
        app.bot, services.db, services.clock, settings.send_rate,
        paid_broadcast=settings.paid_broadcast, per_chat_interval=settings.per_chat_interval,
        default_zone=settings.default_timezone,
    )  # fmt: skip
    await services.delivery.start()
    pace = direct.gate(app.bot)
    if pace is not None:
        pace.attach(services.delivery, services.database, services.clock)
    assert app.job_queue is not None
    # The job queue starts after post_init: APScheduler would count a job added before it
    # from that start, its first run one whole interval on. Due now, run however late the
    # start (never skipped: the tick only asks the database what is due).
    app.job_queue.run_repeating(
        _tick,
        interval=services.settings.tick_seconds,
        name="steady-tick",
        job_kwargs={"next_run_time": datetime.now(UTC), "misfire_grace_time": None},
    )


async def _tick(context: SteadyContext) -> None:
    services = context.services
    # Keep going while work is waiting, but stop between batches when the bot is stopping:
    # PTB waits for a running job at shutdown, and the database keeps what is left.
    failed: due.DueWorkFailed | None = None
    while True:
        try:
            more = await due.run_due(services.database, services.clock, services.settings)
        except due.DueWorkFailed as error:
            # One kind of work failing holds up no backlog of the rest; the tick still ends in
            # the error (logged by the error handler), and without a beat, for the health check.
            failed, more = error, error.more
        else:
            # Each pass proves the tick alive, a long backlog included (the health check).
            health.beat(services.settings.heartbeat_path)
            services.ticked_at = time.time()
        if not more or not context.application.running:
            if failed is not None:
                raise failed
            return


async def _post_stop(app: Application) -> None:
    # Runs while the bot can still send: let the send in flight finish.
    delivery = services_of(app).delivery
    if delivery is not None:
        await delivery.stop()


async def _post_shutdown(app: Application) -> None:
    services = services_of(app)
    if services.db is not None:
        await services.db.close()
        services.db = None
