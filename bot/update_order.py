"""Updates from different people run side by side; each person's run in the order sent.

PTB runs updates one after another by default, so one person's answer waits for everyone
else's database round trips. Side by side, the database lock still serializes transactions
(and the domain is safe under that: see the concurrency tests), while the waits overlap.
One person's updates must not overtake each other: "answer" then "edit", or two taps.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from scheduler import direct

MAX_CONCURRENT = 32


class InOrderPerPerson(BaseUpdateProcessor):
    """Concurrent across people, sequential for each person (by user, else chat)."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self._last: dict[int, asyncio.Future[None]] = {}  # each person's latest update

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Before the first await: PTB starts update tasks in arrival order, so the place in
        # each person's line is taken in that order too.
        person = _person_of(update)
        previous = self._last.get(person) if person is not None else None
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if person is not None:
            self._last[person] = done
            done.add_done_callback(lambda _: self._forget(person, done))
        try:
            if previous is not None:
                await asyncio.wait([previous])  # its outcome is its own task's business
            await super().process_update(update, coroutine)
        finally:
            if previous is None or previous.done():
                done.set_result(None)
            else:
                # Cancelled while waiting: whoever is next must still wait for `previous`.
                previous.add_done_callback(lambda _: done.set_result(None))
            if inspect.iscoroutine(coroutine) and (
                inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED
            ):
                coroutine.close()  # cancelled while waiting its turn: it never ran

    @property
    def in_line(self) -> int:
        """People with an update being handled or waiting its turn."""
        return len(self._last)

    def _forget(self, person: int, done: asyncio.Future[None]) -> None:
        if self._last.get(person) is done:
            del self._last[person]  # nobody is in line behind it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with direct.answering(update):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _person_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
