"""Breaks after a conflict and the partners' private readiness."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Conn, from_row


@dataclass(frozen=True)
class Break:
    id: int
    couple_id: int
    started_by: int
    started_at: int
    ends_at: int
    limit_at: int
    status: str
    # 'ready': when "you are both ready" is due (until then the break looks nudged to both).
    finished_at: int | None = None


# A nudge nobody answers ("ready", "more time") stays open this long, then the break is over:
# a conflict days later is a new one, not a change to it.
NUDGE_OPEN = 24 * 3600

_COLUMNS = "id, couple_id, started_by, started_at, ends_at, limit_at, status, finished_at"


class Breaks:
    """Breaks (cool-downs after a conflict) and who is ready."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def active_for(self, couple_id: int, now: int) -> Break | None:
        """The break under way: cooling, nudged (for NUDGE_OPEN after its nudge: one nobody
        answered is over then), or both ready but not yet told so."""
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM breaks WHERE couple_id = ? AND (status = 'cooling'"
            " OR (status = 'nudged' AND ends_at > ?) OR (status = 'ready' AND finished_at > ?))"
            " ORDER BY id DESC LIMIT 1",
            (couple_id, now - NUDGE_OPEN, now),
        )
        return from_row(Break, row) if row else None

    async def latest_id(self, couple_id: int) -> int | None:
        """The couple's most recent break, whatever became of it."""
        return await self.conn.fetch_value(
            "SELECT MAX(id) FROM breaks WHERE couple_id = ?", (couple_id,)
        )

    async def get(self, break_id: int) -> Break | None:
        row = await self.conn.fetch_one(f"SELECT {_COLUMNS} FROM breaks WHERE id = ?", (break_id,))
        return from_row(Break, row) if row else None

    async def create(
        self, couple_id: int, user_id: int, now: int, ends_at: int, limit_at: int
    ) -> int:
        return await self.conn.fetch_value(
            "INSERT INTO breaks (couple_id, started_by, started_at, ends_at, limit_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (couple_id, user_id, now, ends_at, limit_at),
        )

    async def reschedule(self, break_id: int, ends_at: int) -> None:
        """Back to cooling until `ends_at` (a longer break, or more time asked for)."""
        await self.conn.execute(
            "UPDATE breaks SET ends_at = ?, status = 'cooling' WHERE id = ?", (ends_at, break_id)
        )
        await self.conn.execute("DELETE FROM break_ready WHERE break_id = ?", (break_id,))

    async def nudged(self, break_id: int, now: int) -> bool:
        """Cooling, now nudged; False when it was no longer cooling. Its end becomes the moment
        of the nudge when that is later (after downtime), which NUDGE_OPEN counts from."""
        changed = await self.conn.execute(
            "UPDATE breaks SET status = 'nudged', ends_at = CASE WHEN ends_at < ? THEN ? "
            "ELSE ends_at END WHERE id = ? AND status = 'cooling'",
            (now, now, break_id),
        )
        return changed > 0

    async def set_status(self, break_id: int, old: str, new: str, now: int) -> bool:
        """Move the break from `old` to `new`; False when it was no longer `old` (row count).
        `now` becomes finished_at for 'ready' and 'ended' (for 'ready': when both are told)."""
        changed = await self.conn.execute(
            "UPDATE breaks SET status = ?, finished_at = CASE WHEN ? IN ('ready', 'ended') "
            "THEN ? ELSE finished_at END WHERE id = ? AND status = ?",
            (new, new, now, break_id, old),
        )
        return changed > 0

    async def due(self, now: int, limit: int) -> list[Break]:
        rows = await self.conn.fetch_all(
            f"SELECT {_COLUMNS} FROM breaks WHERE status = 'cooling' AND ends_at <= ? "
            "ORDER BY ends_at LIMIT ?",
            (now, limit),
        )
        return [from_row(Break, r) for r in rows]

    async def mark_ready(self, break_id: int, user_id: int, now: int) -> set[int]:
        """Record one partner's readiness while the break awaits it; return everyone ready so far.

        Pressing twice records once. Only a break still 'nudged' takes it: after "more time"
        (back to cooling, readiness cleared) a late press must not carry into the next nudge.
        """
        await self.conn.execute(
            """
            INSERT INTO break_ready (break_id, user_id, ready_at)
            SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM breaks WHERE id = ? AND status = 'nudged')
            ON CONFLICT (break_id, user_id) DO NOTHING
            """,
            (break_id, user_id, now, break_id),
        )
        rows = await self.conn.fetch_all(
            "SELECT user_id FROM break_ready WHERE break_id = ?", (break_id,)
        )
        return {r[0] for r in rows}

    async def ready_users(self, break_id: int) -> set[int]:
        rows = await self.conn.fetch_all(
            "SELECT user_id FROM break_ready WHERE break_id = ?", (break_id,)
        )
        return {r[0] for r in rows}

    async def started_since(self, couple_id: int, since: int) -> int:
        row = await self.conn.fetch_one(
            "SELECT COUNT(*) FROM breaks WHERE couple_id = ? AND started_at >= ?",
            (couple_id, since),
        )
        return int(row[0]) if row else 0

    async def end_unanswered(self, couple_id: int, now: int) -> None:
        """A new conflict: a nudge nobody answered is over past its break's 24-hour limit or
        NUDGE_OPEN after it came, so this is a new break (one under way per couple), of the
        length asked for, not a change to the old one capped at its limit."""
        await self.conn.execute(
            "UPDATE breaks SET status = 'ended', finished_at = ? WHERE couple_id = ? "
            "AND status = 'nudged' AND (limit_at <= ? OR ends_at <= ?)",
            (now, couple_id, now, now - NUDGE_OPEN),
        )

    async def end_for_couple(self, couple_id: int, now: int) -> None:
        """The couple ended: its break under way ends, a "both ready" not yet told included
        (its news is withdrawn unread, so nothing left may say both had been ready)."""
        await self.conn.execute(
            "UPDATE breaks SET status = 'ended', finished_at = ? WHERE couple_id = ? "
            "AND (status IN ('cooling', 'nudged') OR (status = 'ready' AND finished_at > ?))",
            (now, couple_id, now),
        )
