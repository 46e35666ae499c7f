"""Time as an injected dependency, so tests can move it."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """The real wall clock. Tests pass a subclass that can jump forward."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def timestamp(self) -> int:
        """Whole UTC seconds, the unit the database stores."""
        return int(self.now().timestamp())
