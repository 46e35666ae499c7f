"""Run the real Steady application in-process against a fake Bot API server.

It follows the order `Application.run_polling` uses (initialize, post_init, polling, start; and
back), so tests exercise the same start-up and shut-down code a deployment runs.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, services_of
from bot.config import Settings
from bot.context import Services
from scheduler import due
from scheduler.clock import Clock
from testing.engines import migrated, on_postgres
from testing.fake_telegram import FakeTelegram

# Telegram's one message a second to a private chat, shortened: most tests are not about
# pacing, and waiting out the real spacing was most of the suite's time. The tests of pacing
# itself (and the limit-enforcing fake) keep the real value.
FAST_PER_CHAT = 0.02
# And the bot's overall 30 a second: a test's twenty messages to two people took 0.7 s at it.
# Tests of the rate, and those against the limit-enforcing fake, pass Telegram's own.
FAST_SEND_RATE = 300.0


class BotRunner:
    def __init__(
        self,
        api_url: str,
        token: str,
        database_path: Path,
        clock: Clock,
        *,
        tick_seconds: float = 0.2,
        send_rate: float = FAST_SEND_RATE,
        request_timeout: float = 5.0,
        per_chat_interval: float = FAST_PER_CHAT,
    ) -> None:
        where = migrated(database_path)  # a new database: as migrations leave it, made cheaply
        self.settings = Settings(
            bot_token=token,
            telegram_api_url=api_url,
            database_path=database_path,
            database_url=where if on_postgres() else "",
            tick_seconds=tick_seconds,
            send_rate=send_rate,
            request_timeout=request_timeout,
            per_chat_interval=per_chat_interval,
        )
        self.clock = clock
        self.app: Application | None = None

    @property
    def services(self) -> Services:
        assert self.app is not None
        return services_of(self.app)

    async def idle(self, fake: FakeTelegram, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Return once every update the fake queued has been handled and delivery has nothing
        due now: the barrier before a test asserts that something was *not* sent."""
        assert self.app is not None
        app = self.app
        deadline = time.monotonic() + timeout
        calm = 0  # an update taken from the queue reaches the processor a loop turn later
        while calm < 3:
            busy = (
                fake.updates_pending()
                or not app.update_queue.empty()
                or app.update_processor.current_concurrent_updates
                or getattr(app.update_processor, "in_line", 0)
            )
            calm = 0 if busy else calm + 1
            if time.monotonic() > deadline:
                raise TimeoutError("updates were not handled in time")
            await asyncio.sleep(0.005)
        assert self.services.delivery is not None
        await asyncio.wait_for(self.services.delivery.idle(), max(0.1, deadline - time.monotonic()))

    async def tick(self) -> None:
        """Do what is due by the clock now, as the periodic tick would (it may run too: due
        work is safe to do twice)."""
        services = self.services
        while await due.run_due(services.database, services.clock, services.settings):
            pass

    async def settle(self, fake: FakeTelegram) -> None:
        """Every update handled, what is due by the clock done, and nothing left to send now:
        after this, a message that was going to be sent has reached the fake."""
        await self.idle(fake)
        await self.tick()
        await self.idle(fake)

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
