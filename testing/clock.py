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

    def advance_to_noon(self) -> None:
        """On to the next 12:00 UTC: a test whose asks wait for the morning where it is night
        (promises, reviews, first steps) reads the same whatever the hour it runs at."""
        now = self.now()
        noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
        self.advance((noon if noon > now else noon + timedelta(days=1)) - now)


class StoppedClock(Clock):
    """Time that moves only when the test moves it: two runs, or two presses, read the same."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta
