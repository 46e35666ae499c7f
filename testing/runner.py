"""Run the real Steady application in-process against a fake Bot API server.

It follows the order `Application.run_polling` uses (initialize, post_init, polling, start; and
back), so tests exercise the same start-up and shut-down code a deployment runs.
"""

from __future__ import annotations

from pathlib import Path

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, services_of
from bot.config import Settings
from bot.context import Services
from scheduler.clock import Clock


class BotRunner:
    def __init__(
        self,
        api_url: str,
        token: str,
        database_path: Path,
        clock: Clock,
        *,
        tick_seconds: float = 0.2,
        send_rate: float = 30.0,
        request_timeout: float = 5.0,
    ) -> None:
        self.settings = Settings(
            bot_token=token,
            telegram_api_url=api_url,
            database_path=database_path,
            tick_seconds=tick_seconds,
            send_rate=send_rate,
            request_timeout=request_timeout,
        )
        self.clock = clock
        self.app: Application | None = None

    @property
    def services(self) -> Services:
        assert self.app is not None
        return services_of(self.app)

    async def start(self) -> None:
        app = build_application(self.settings, self.clock)
        self.app = app
        try:
            await app.initialize()
            if app.post_init:
                await app.post_init(app)
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
            )
            await app.start()
        except BaseException:
            await self.stop()  # a failed start must not leave sessions and tasks behind
            raise

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()
