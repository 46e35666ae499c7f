"""What every handler can reach: settings, database, clock and delivery, via `context`."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.languages import ChosenLanguages
from bot.storage.db import Database
from scheduler.clock import Clock
from scheduler.delivery import Delivery


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database | None = None
    delivery: Delivery | None = field(default=None, repr=False)
    # The server key (bot.keys.server_key): invite codes are hashed with it; never logged.
    server_key: bytes | None = field(default=None, repr=False)
    chosen_languages: ChosenLanguages = field(default_factory=ChosenLanguages, repr=False)
    ticked_at: float | None = None  # wall clock of the tick's last pass (webhook /healthz)

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is opened in post_init")
        return self.db

    @property
    def invite_key(self) -> bytes:
        if self.server_key is None:
            raise RuntimeError("the server key is loaded in post_init")
        return self.server_key

    def now(self) -> int:
        return self.clock.timestamp()


class SteadyContext(CallbackContext[ExtBot, dict, dict, dict]):
    """A typed context: `context.services` instead of string lookups in bot_data."""

    @property
    def services(self) -> Services:
        return self.bot_data["services"]
