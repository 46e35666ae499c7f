"""Webhook mode: Telegram posts each update to the owner's HTTPS address, and their reverse
proxy forwards it to one of the workers listening here. Polling stays the default (it needs
nothing public, and only one process may poll a token); a webhook lets several workers share
one bot (bot.update_ledger keeps each update once and a person's in order).

An update is answered 200 only once it was handled and recorded: a worker that dies mid-way
gives no answer, and Telegram posts it again (the proxy may pick another worker). A handler
that fails is handled as in polling mode: PTB's error handler tells the person kindly
(handlers/errors.py), and the update counts as handled (a retry would only fail again); what
is not recorded, and so posted again, is an update the ledger itself could not record. Every request
must carry the secret Telegram was given (X-Telegram-Bot-Api-Secret-Token); without it: 403,
and nothing is read or changed. `/healthz` on the same port says whether the tick runs.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot import health
from bot.context import Services
from bot.update_ledger import Ledger
from scheduler import direct

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Updates handled at once per worker: each holds a pooled connection for its person's turn
# while its handler's units take others (PostgresEngine's pool has 16).
AT_ONCE = 6
# Telegram's own cap on parallel webhook connections; more workers share what it sends.
MAX_CONNECTIONS = 40


def webhook_path(url: str) -> str:
    """The path Telegram posts to (the proxy forwards it unchanged)."""
    return urlsplit(url).path or "/"


class WebhookServer:
    def __init__(self, app: Application, services: Services) -> None:
        self._app = app
        self._services = services
        self._settings = services.settings
        self._ledger = Ledger(services.database)
        self._secret = self._settings.webhook_secret.encode()
        self._slots = asyncio.Semaphore(AT_ONCE)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application(client_max_size=1 << 20)  # an update is a few kB
        server.router.add_post(webhook_path(self._settings.webhook_url), self._update)
        server.router.add_get("/healthz", self._health)
        self._runner = web.AppRunner(server, access_log=None, shutdown_timeout=10.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._settings.webhook_listen, self._settings.webhook_port)
        await site.start()
        log.info("listening for webhook updates on port %s", self._settings.webhook_port)

    async def stop(self) -> None:
        """Stop taking updates; those being handled finish (Telegram retries any that do not)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)  # before the body is read: nothing changes
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                raise ValueError("not an update")
            if not 0 <= data["update_id"] < 1 << 63:  # the ledger's column is a BIGINT
                raise ValueError("not an update id")
            update = Update.de_json(data, self._app.bot)
        except Exception:  # whatever the parsers raise (an out-of-range date,
            # JSON nested past the recursion limit): malformed, Telegram never sends it, and
            # a retry would not help. Nothing is logged: the body is someone's words.
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            async with self._slots:
                await self._ledger.handle(update, int(time.time()), lambda: self._handle(update))
        except Exception as exc:
            # The class only (a driver's message may quote what someone wrote). Not recorded:
            # Telegram posts it again.
            log.error(
                "update %s failed (%s); Telegram will retry", data["update_id"], type(exc).__name__
            )
            return web.Response(status=500)
        return web.Response(status=200)

    async def _handle(self, update: Update) -> None:
        async with direct.answering(update):  # as in polling (bot.update_order)
            await self._app.process_update(update)

    async def _health(self, request: web.Request) -> web.Response:
        """200 while this worker's tick runs (it reaches the database); 503 otherwise."""
        limit = health.stale_after(self._settings)
        ticked_at = self._services.ticked_at
        if ticked_at is None or time.time() - ticked_at > limit:
            return web.Response(status=503, text="the tick has not run recently\n")
        return web.Response(text="ok\n")
