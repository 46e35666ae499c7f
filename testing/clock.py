"""A clock for tests: real time that a test can jump forward (to expire invites, end breaks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from scheduler.clock import Clock


class MovableClock(Clock):
    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return super().now() + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta
