"""A clock for tests: real time that a test can jump forward (to expire invites, end breaks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler.clock import Clock


class MovableClock(Clock):
    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return super().now() + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta


class StoppedClock(Clock):
    """Time that moves only when the test moves it: two runs, or two presses, read the same."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta
