"""Telegram's side of webhook mode, with the owner's reverse proxy in front of several workers.

Each queued update is posted to one of the workers (round robin, as a proxy balances), with the
secret the bot gave setWebhook; one that gets no 200 (a worker killed mid-request, a timeout,
a 5xx) is posted again, to the next worker. A person's next update is posted only once their
previous one was answered, as Telegram keeps a chat's updates in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import aiohttp

from testing.fake.server import FakeTelegram

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Attempt:
    update_id: int
    person: int
    target: str
    status: int | None  # None: no answer (connection lost, timeout)
    took: float  # seconds from post to answer


def person_of(update: dict[str, Any]) -> int:
    body = next(value for key, value in update.items() if key != "update_id")
    sender = body.get("from") or {}
    return int(sender.get("id") or (body.get("chat") or {}).get("id") or 0)


class Pusher:
    def __init__(
        self,
        fake: FakeTelegram,
        targets: list[str],
        *,
        at_once: int = 40,  # setWebhook's max_connections default
        timeout: float = 10.0,
    ) -> None:
        self._fake = fake
        self.targets = targets
        self._at_once = at_once
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._next = 0
        self._posting: dict[int, asyncio.Task[None]] = {}  # update_id → its post
        self._busy: set[int] = set()  # people with an update being posted
        self.attempts: list[Attempt] = []
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def answered(self) -> Counter[str]:
        """Updates each worker answered 200."""
        return Counter(a.target for a in self.attempts if a.status == 200)

    def idle(self) -> bool:
        return not self._fake._updates and not self._posting

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for task in list(self._posting.values()):
            task.cancel()
        await asyncio.gather(*self._posting.values(), return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def _run(self) -> None:
        fake = self._fake
        while True:
            waiting: set[int] = set()  # people with an earlier update still queued
            for update in list(fake._updates):
                if len(self._posting) >= self._at_once:
                    break
                person = person_of(update)
                uid = update["update_id"]
                if uid in self._posting or person in self._busy or person in waiting:
                    waiting.add(person)
                    continue
                waiting.add(person)
                self._busy.add(person)
                self._posting[uid] = asyncio.create_task(self._post(update, person))
            # A plain sleep: a cancel that meets the timeout of Changes.wait_until's
            # asyncio.wait_for can be lost on Python 3.11, and stop() would wait forever.
            await asyncio.sleep(0.02)

    async def _post(self, update: dict[str, Any], person: int) -> None:
        fake = self._fake
        uid = update["update_id"]
        target = self.targets[self._next % len(self.targets)]
        self._next += 1
        secret = (fake.webhook or {}).get("secret_token", "")
        status: int | None = None
        started = time.monotonic()
        try:
            assert self._session is not None
            async with self._session.post(
                target, json=update, headers={SECRET_HEADER: secret}
            ) as response:
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = None
        self.attempts.append(Attempt(uid, person, target, status, time.monotonic() - started))
        if status == 200:
            fake._updates = [u for u in fake._updates if u["update_id"] != uid]
        else:
            await asyncio.sleep(0.05)  # then it is posted again, to the next worker
        self._posting.pop(uid, None)
        self._busy.discard(person)
        fake._changes.fire()
