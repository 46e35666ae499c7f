"""Couples' schedules, skipped slots, and people's time zones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage import bulk
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


@dataclass(frozen=True)
class Member:
    id: int
    first_name: str
    language: str
    reachable: bool
    timezone: str | None


@dataclass(frozen=True)
class DueSlot:
    """A couple whose slot has come, with everything opening its round needs."""

    schedule: ScheduleRow
    active: bool  # the couple has not ended
    members: tuple[Member, ...]  # by joined_at, then id (the Couple's a, b)
    round_window: int
    reminder_before: int | None
    taken: bool  # a round was opened for this slot, or it was recorded as skipped
    open_round: int | None  # the couple's open check-in round
    open_answers: int  # answers given to it
    last_category: str | None  # of the couple's latest check-in round


# The due slots of one batch in one statement: the batch first (the due index, in order), then
# per-couple facts as correlated subqueries on indexed columns, for those rows only. On
# PostgreSQL the batch's rows are locked and rows another process holds are left to it, so two
# processes never open the same slots.
_DUE_SLOTS = f"""
    WITH batch AS (
        SELECT couple_id FROM schedules
        WHERE next_due_at IS NOT NULL AND next_due_at <= ?
        ORDER BY next_due_at, couple_id LIMIT ? {{lock}}
    )
    SELECT {", ".join(f"s.{c}" for c in _COLUMNS.split(", "))},
        CASE WHEN c.ended_at IS NULL THEN 1 ELSE 0 END AS active,
        c.round_window, c.reminder_before,
        CASE WHEN EXISTS (SELECT 1 FROM rounds t WHERE t.couple_id = s.couple_id
                              AND t.slot = s.next_slot)
              OR EXISTS (SELECT 1 FROM skipped_slots k WHERE k.couple_id = s.couple_id
                              AND k.slot = s.next_slot)
             THEN 1 ELSE 0 END AS taken,
        o.id AS open_round,
        (SELECT COUNT(*) FROM answers a WHERE a.round_id = o.id) AS open_answers,
        (SELECT l.category FROM rounds l WHERE l.couple_id = s.couple_id AND l.kind = 'checkin'
         ORDER BY l.id DESC LIMIT 1) AS last_category
    FROM batch
    JOIN schedules s ON s.couple_id = batch.couple_id
    JOIN couples c ON c.id = s.couple_id
    LEFT JOIN rounds o ON o.couple_id = s.couple_id AND o.kind = 'checkin' AND o.status = 'open'
    ORDER BY s.next_due_at, s.couple_id
"""


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

    async def due_slots(self, now: int, limit: int) -> list[DueSlot]:
        """Up to `limit` couples whose slot has come, earliest first, with both members."""
        lock = "FOR UPDATE SKIP LOCKED" if self.conn.engine == "postgres" else ""
        sql = _DUE_SLOTS.replace("{lock}", lock)
        rows = await self.conn.fetch_all(sql, (now, limit))
        if not rows:
            return []
        people: dict[int, list[Member]] = {}
        for r in await bulk.where_in(
            self.conn,
            """
            SELECT m.couple_id, u.id, u.first_name, u.language, u.reachable, u.timezone
            FROM couple_members m JOIN users u ON u.id = m.user_id
            WHERE m.couple_id IN ({ids}) ORDER BY m.couple_id, m.joined_at, u.id
            """,
            [r["couple_id"] for r in rows],
            fetch=True,
        ):
            people.setdefault(r[0], []).append(Member(r[1], r[2], r[3], bool(r[4]), r[5]))
        return [
            DueSlot(
                ScheduleRow(
                    r["couple_id"],
                    r["days"],
                    r["local_time"],
                    r["paused_until"],
                    bool(r["skip_next"]),
                    r["next_slot"],
                    r["next_due_at"],
                ),
                bool(r["active"]),
                tuple(people.get(r["couple_id"], ())),
                r["round_window"],
                r["reminder_before"],
                bool(r["taken"]),
                r["open_round"],
                r["open_answers"],
                r["last_category"],
            )
            for r in rows
        ]

    async def set_next_many(self, moves: list[tuple[int, str | None, int | None]]) -> None:
        """(couple, next slot, when it opens) for many couples in one statement."""
        await bulk.run(
            self.conn,
            "UPDATE schedules SET next_slot = v.column2, next_due_at = v.column3 FROM {rows}"
            " WHERE schedules.couple_id = v.column1",
            moves,
            ("bigint", "text", "bigint"),
        )

    async def end_pauses(self, couple_ids: list[int]) -> None:
        await bulk.where_in(
            self.conn,
            "UPDATE schedules SET paused_until = NULL WHERE couple_id IN ({ids})",
            couple_ids,
        )

    async def clear_skip_next(self, couple_ids: list[int]) -> None:
        await bulk.where_in(
            self.conn, "UPDATE schedules SET skip_next = 0 WHERE couple_id IN ({ids})", couple_ids
        )

    async def record_skips(self, skips: list[tuple[int, str, str]], now: int) -> None:
        """(couple, slot, reason) rows; a slot recorded before stays as it was."""
        await bulk.run(
            self.conn,
            "INSERT INTO skipped_slots (couple_id, slot, reason, recorded_at)"
            " SELECT * FROM {rows} WHERE true ON CONFLICT (couple_id, slot) DO NOTHING",
            [(*skip, now) for skip in skips],
            ("bigint", "text", "text", "bigint"),
        )

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
