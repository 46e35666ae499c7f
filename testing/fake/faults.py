"""Fault injection for the fake Bot API: failures, late or missing answers, held chats,
blocked users and Telegram's rate limits (DESIGN.md §2 lists what the bot must survive)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Params = dict[str, Any]

GLOBAL_PER_SECOND = 30
PAID_PER_SECOND = 1000
# Seconds between two messages to one chat: Telegram's "about 1/s", a little lenient.
CHAT_SPACING = 0.9
GROUP_PER_MINUTE = 20
DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class Changes:
    """Wakes every waiter on each change. Firing is synchronous, so plain methods can fire too."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], bool], seconds: float, poll: float | None = None
    ) -> bool:
        """True as soon as predicate() holds; False if it still doesn't after `seconds`. It is
        asked again at each change, and every `poll` seconds if given (for a predicate on
        something no change here reports)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), min(remaining, poll or remaining))
        return True


@dataclass
class Fault:
    method: str  # lower case: Telegram method names are case-insensitive
    kind: Literal["fail", "delay", "drop"]
    times: int
    chat_id: int | None
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    seconds: float = 0.0
    deliver: bool = True
    containing: str | None = None  # only messages whose text contains this

    def matches(self, method: str, params: Params) -> bool:
        if self.method != method.lower():
            return False
        if self.containing is not None and self.containing not in str(params.get("text", "")):
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class Hold:
    """A chat whose sendMessage requests hang until the test releases them (see FakeTelegram.hold).

    On release every waiting request goes through as usual: the messages are then accepted.
    """

    def __init__(self, changes: Changes) -> None:
        self._changes = changes
        self.waiting = 0  # requests hanging now
        self.released = False

    def release(self) -> None:
        self.released = True
        self._changes.fire()

    async def wait_for_request(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until a request to the held chat is hanging; AssertionError if none comes."""
        if not await self._changes.wait_until(lambda: self.waiting > 0, timeout):
            raise AssertionError(f"no request to the held chat within {timeout}s")


class FaultInjection:
    """The fault-injection half of FakeTelegram: what tests arm, and what the server consults."""

    _changes: Changes
    _stopping: bool

    def __init__(self, enforce_limits: bool) -> None:
        self.enforce_limits = enforce_limits
        self.rate_limited = 0  # 429s given for Telegram's limits (not for fail_next)
        # Each of them: (chat, sends in the last second overall, seconds since the chat's last).
        self.rate_limits: list[tuple[int, int, float | None]] = []
        self._faults: list[Fault] = []
        self._holds: dict[int, Hold] = {}
        self._blocked: set[int] = set()
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = {}

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        containing: str | None = None,
    ) -> None:
        """The next `times` matching calls answer this error; nothing is recorded as sent."""
        if status == 429:
            retry_after = retry_after or 1  # Telegram always says how long to wait
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or DESCRIPTIONS.get(status, "Error")
        self._faults.append(
            Fault(
                method.lower(),
                "fail",
                times,
                chat_id,
                status,
                description,
                retry_after,
                containing=containing,
            )
        )

    def delay_next(
        self,
        method: str,
        seconds: float,
        *,
        deliver: bool = True,
        times: int = 1,
        chat_id: int | None = None,
        containing: str | None = None,
    ) -> None:
        """Answer only after `seconds` (the client's read timeout may fire first).

        deliver=True: Telegram accepted the call (the message counts as sent), the answer was late.
        deliver=False: the request never got through; the connection closes after the delay.
        """
        self._faults.append(
            Fault(
                method.lower(),
                "delay",
                times,
                chat_id,
                seconds=seconds,
                deliver=deliver,
                containing=containing,
            )
        )

    def drop_next(self, method: str, *, times: int = 1, chat_id: int | None = None) -> None:
        """Close the connection without an answer; nothing is recorded as sent."""
        self._faults.append(Fault(method.lower(), "drop", times, chat_id))

    def hold(self, chat_id: int) -> Hold:
        """Make sendMessage to this chat hang (no answer, no timeout of its own) until the
        returned hold is released; then the held requests are answered as usual."""
        held = self._holds[chat_id] = Hold(self._changes)
        return held

    def clear_faults(self) -> None:
        """Forget every fault not yet used up (blocks and limits stay)."""
        self._faults.clear()

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def _take_fault(self, method: str, params: Params) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _wait_while_held(self, params: Params) -> None:
        try:
            held = self._holds.get(int(params.get("chat_id") or 0))
        except ValueError:
            return
        if held is None or held.released:
            return
        held.waiting += 1
        self._changes.fire()
        try:
            await self._changes.wait_until(lambda: held.released or self._stopping, 3600)
        finally:
            held.waiting -= 1

    def _take_rate_slot(self, chat_id: int, paid: bool = False) -> None:
        """429 when a send would break Telegram's limits; otherwise count the send.

        A paid broadcast (allow_paid_broadcast) may go up to 1000 messages per second overall.
        """
        if not self.enforce_limits:
            return
        now = time.monotonic()
        overall = self._global_sends
        per_chat = self._chat_sends.setdefault(chat_id, deque())
        while overall and now - overall[0] >= 1.0:
            overall.popleft()
        while per_chat and now - per_chat[0] >= 60.0:
            per_chat.popleft()
        waits = []
        if len(overall) >= (PAID_PER_SECOND if paid else GLOBAL_PER_SECOND):
            waits.append(1.0 - (now - overall[0]))
        if per_chat and now - per_chat[-1] < CHAT_SPACING:
            waits.append(CHAT_SPACING - (now - per_chat[-1]))
        if chat_id < 0 and len(per_chat) >= GROUP_PER_MINUTE:
            waits.append(60.0 - (now - per_chat[0]))
        if waits:
            self.rate_limited += 1
            self.rate_limits.append(
                (chat_id, len(overall), round(now - per_chat[-1], 3) if per_chat else None)
            )
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        overall.append(now)
        per_chat.append(now)
