"""What every handler can reach: settings, database, clock and delivery, via `context`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.storage.db import Database
from bot.storage.outbox import OutboxRow
from scheduler.clock import Clock
from scheduler.delivery import Delivery


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database | None = None
    delivery: Delivery | None = field(default=None, repr=False)
    # What invite codes are hashed with (bot.invite_codes.server_key); never logged.
    invite_secret: bytes | None = field(default=None, repr=False)

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is opened in post_init")
        return self.db

    @property
    def invite_key(self) -> bytes:
        if self.invite_secret is None:
            raise RuntimeError("the invite key is loaded in post_init")
        return self.invite_secret

    def now(self) -> int:
        return self.clock.timestamp()

    def queued(self, claimed: Sequence[OutboxRow] = (), *, more: bool = True) -> None:
        """New outbox rows: send the ones the use case claimed now, and wake the delivery loop
        for the rest (`more`)."""
        if self.delivery is None:
            return
        if claimed:
            self.delivery.send_claimed(claimed)
        if more:
            self.delivery.wake()


class SteadyContext(CallbackContext[ExtBot, dict, dict, dict]):
    """A typed context: `context.services` instead of string lookups in bot_data."""

    @property
    def services(self) -> Services:
        return self.bot_data["services"]
