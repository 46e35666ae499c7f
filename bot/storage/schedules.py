"""Couples' schedules, skipped slots, and people's time zones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Conn


@dataclass(frozen=True)
class ScheduleRow:
    couple_id: int
    days: int
    local_time: str
    paused_until: int | None
    skip_next: bool
    next_slot: str | None
    next_due_at: int | None


_COLUMNS = "couple_id, days, local_time, paused_until, skip_next, next_slot, next_due_at"


class Schedules:
    """Check-in schedules, slots and time zones."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, couple_id: int) -> ScheduleRow | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM schedules WHERE couple_id = ?", (couple_id,)
        )
        return ScheduleRow(*row[:4], bool(row[4]), *row[5:]) if row else None

    async def save(self, couple_id: int, days: int, local_time: str, now: int) -> None:
        await self.conn.execute(
            """
            INSERT INTO schedules (couple_id, days, local_time, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (couple_id) DO UPDATE SET
                days = excluded.days, local_time = excluded.local_time,
                updated_at = excluded.updated_at
            """,
            (couple_id, days, local_time, now),
        )

    async def set_next(self, couple_id: int, slot: str | None, due_at: int | None) -> None:
        await self.conn.execute(
            "UPDATE schedules SET next_slot = ?, next_due_at = ? WHERE couple_id = ?",
            (slot, due_at, couple_id),
        )

    async def set_pause(self, couple_id: int, until: int | None) -> None:
        await self.conn.execute(
            "UPDATE schedules SET paused_until = ? WHERE couple_id = ?", (until, couple_id)
        )

    async def set_skip_next(self, couple_id: int, skip: bool) -> None:
        await self.conn.execute(
            "UPDATE schedules SET skip_next = ? WHERE couple_id = ?", (int(skip), couple_id)
        )

    async def due(self, now: int, limit: int) -> list[ScheduleRow]:
        """Schedules whose slot has come, claimed for this unit with their couples.

        A couple a person's use case holds (/checkin, unpairing, a schedule change) is left for
        the next tick; two ticks take different couples; a row is returned as it is now, so a
        slot another tick just moved on is not returned."""
        columns = ", ".join(f"s.{name}" for name in _COLUMNS.split(", "))
        rows = await self.conn.fetch_all(
            f"""
            SELECT {columns} FROM schedules s JOIN couples c ON c.id = s.couple_id
            WHERE s.next_due_at IS NOT NULL AND s.next_due_at <= ?
            ORDER BY s.next_due_at, s.couple_id LIMIT ?
            """
            + self.conn.for_update("s", "c", skip_locked=True),
            (now, limit),
        )
        return [ScheduleRow(*r[:4], bool(r[4]), *r[5:]) for r in rows]

    async def record_skip(self, couple_id: int, slot: str, reason: str, now: int) -> None:
        await self.conn.execute(
            """
            INSERT INTO skipped_slots (couple_id, slot, reason, recorded_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (couple_id, slot) DO NOTHING
            """,
            (couple_id, slot, reason, now),
        )

    async def slot_taken(self, couple_id: int, slot: str) -> bool:
        """A round was opened for this slot, or it was recorded as skipped."""
        row = await self.conn.fetch_one(
            """
            SELECT 1 FROM rounds WHERE couple_id = ? AND slot = ?
            UNION ALL SELECT 1 FROM skipped_slots WHERE couple_id = ? AND slot = ?
            """,
            (couple_id, slot, couple_id, slot),
        )
        return row is not None

    async def timezone_of(self, user_id: int) -> tuple[str | None, bool]:
        """(IANA zone or None, whether Steady has asked for it)."""
        row = await self.conn.fetch_one(
            "SELECT timezone, timezone_asked FROM users WHERE id = ?", (user_id,)
        )
        return (row[0], bool(row[1])) if row else (None, False)

    async def set_timezone(self, user_id: int, zone: str, now: int) -> None:
        await self.conn.execute(
            "UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?", (zone, now, user_id)
        )

    async def mark_timezone_asked(self, user_id: int) -> bool:
        """True the first time only: Steady asks once."""
        changed = await self.conn.execute(
            "UPDATE users SET timezone_asked = 1 WHERE id = ? AND timezone_asked = 0", (user_id,)
        )
        return changed > 0

    async def delete(self, couple_id: int) -> None:
        """The couple ended: no more check-ins for it."""
        await self.conn.execute("DELETE FROM schedules WHERE couple_id = ?", (couple_id,))
