"""Webhook updates across several workers: each handled once, one person's in order.

Telegram retries a webhook post it got no 200 for, and the reverse proxy may hand the retry to
another worker; one person's next update may reach a different worker than their last. So the
order and the "once" live in the database, not in a worker's memory: a person's row is held
(FOR UPDATE) while one of their updates is handled, and the ids handled are on record.

The record is written after the handler's own units committed, in the transaction that held the
person: a worker that dies in between leaves the update unrecorded, and Telegram's retry runs
it again; handlers are idempotent where that matters (an answer is upserted, a join is a no-op
the second time; DESIGN.md §2).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.storage.db import Database
from bot.storage.updates import Message, Turn

log = logging.getLogger(__name__)

NOBODY = 0  # updates with neither user nor chat (none that Steady asks for) share one line


def person_of(update: Update) -> int:
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else NOBODY


def message_of(update: Update) -> Message | None:
    """The message an update carries (new or edited), for the rule that an older form of a
    message never overwrites a newer edit of it."""
    message = update.edited_message or update.message
    if message is None:
        return None
    edited = update.edited_message is not None and message.edit_date is not None
    edit_date = int(message.edit_date.timestamp()) if edited else 0
    return Message(message.chat.id, message.message_id, edit_date)


class Ledger:
    """Runs each update's handling inside its person's turn (see the module's docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        # SQLite has one writer connection: a unit cannot stay open while the handler's units
        # write. One worker owns a SQLite file, so its person's line is kept here instead.
        self._local: dict[int, asyncio.Lock] = {}

    async def handle(self, update: Update, now: int, run: Callable[[], Awaitable[None]]) -> Turn:
        person, message = person_of(update), message_of(update)
        if self._db.engine == "postgres":
            async with self._db.unit() as uow:  # held until the record: the person's turn
                turn = await uow.updates.take_turn(person, update.update_id, message)
                if turn in (Turn.FRESH, Turn.LATE):
                    await run()
                    await uow.updates.applied(person, update.update_id, message, now)
        else:
            # Kept, one small lock per person: one dropped while another update waits on it
            # would let a third run beside that one.
            async with self._local.setdefault(person, asyncio.Lock()):
                async with self._db.unit() as uow:
                    turn = await uow.updates.take_turn(person, update.update_id, message)
                if turn in (Turn.FRESH, Turn.LATE):
                    await run()
                    async with self._db.unit() as uow:
                        await uow.updates.applied(person, update.update_id, message, now)
        if turn is not Turn.FRESH:
            log.info("update %s: %s", update.update_id, turn.value)
        return turn
