"""First-steps journeys: a couple's path through roles, acknowledge, responsibility and decide."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage import bulk
from bot.storage.engine import Conn, Row, from_row

LIVE = ("offered", "running")


@dataclass(frozen=True)
class Journey:
    id: int
    couple_id: int
    status: str  # offered | running | done | parted | stopped | declined
    offered_at: int
    first_yes: int | None
    shared: bool  # both were offered it (after pairing); from /firststeps only the asker
    pace: str  # daily | ready
    local_time: str  # "HH:MM", in each partner's own zone
    stage: int  # 0 roles, 1 acknowledge, 2 responsibility and impact, 3 decide
    roles: str | None  # split | both, once revealed
    hurt_id: int | None
    round_id: int | None
    next_at: int | None
    plan: str  # later | local | at: how `stage` opens at next_at (see migration 0020)
    remind_at: int | None
    finished_at: int | None = None


_COLUMNS = (
    "id, couple_id, status, offered_at, first_yes, shared, pace, local_time, stage, roles, "
    "hurt_id, round_id, next_at, plan, remind_at, finished_at"
)
_LIVE = "status IN ('offered', 'running')"


def _journey(row: Row) -> Journey:
    return from_row(Journey, row, shared=bool(row["shared"]))


class Journeys:
    """First-steps journeys. Who may change what is the domain's; every change of status is a
    conditional UPDATE whose row count says whether it happened (two presses, two processes)."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def create(self, couple_id: int, now: int, *, shared: bool) -> int:
        return await self.conn.fetch_value(
            "INSERT INTO first_steps (couple_id, offered_at, shared) VALUES (?, ?, ?) RETURNING id",
            (couple_id, now, int(shared)),
        )

    async def get(self, journey_id: int) -> Journey | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM first_steps WHERE id = ?", (journey_id,)
        )
        return _journey(row) if row else None

    async def live_for(self, couple_id: int) -> Journey | None:
        """The couple's journey that is offered or under way, if any."""
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM first_steps WHERE couple_id = ? AND {_LIVE}", (couple_id,)
        )
        return _journey(row) if row else None

    async def latest_for(self, couple_id: int) -> Journey | None:
        row = await self.conn.fetch_one(
            f"SELECT {_COLUMNS} FROM first_steps WHERE couple_id = ? ORDER BY id DESC LIMIT 1",
            (couple_id,),
        )
        return _journey(row) if row else None

    async def roles_of(self, couple_id: int) -> str | None:
        """The roles this couple revealed in their latest journey that got that far."""
        return await self.conn.fetch_value(
            "SELECT roles FROM first_steps WHERE couple_id = ? AND roles IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (couple_id,),
        )

    async def roles_many(self, couple_ids: list[int]) -> dict[int, str]:
        """roles_of for many couples (due work opens rounds in sets): each couple's latest."""
        found: dict[int, tuple[int, str]] = {}
        for r in await bulk.where_in(
            self.conn,
            "SELECT couple_id, id, roles FROM first_steps "
            "WHERE roles IS NOT NULL AND couple_id IN ({ids})",
            couple_ids,
            fetch=True,
        ):
            if r[0] not in found or r[1] > found[r[0]][0]:
                found[r[0]] = (r[1], r[2])
        return {couple_id: roles for couple_id, (_, roles) in found.items()}

    async def first_yes(self, journey_id: int, user_id: int, pace: str) -> bool:
        """The first "yes" (with the pace it chose), while nobody said yes yet."""
        changed = await self.conn.execute(
            "UPDATE first_steps SET first_yes = ?, pace = ? "
            "WHERE id = ? AND status = 'offered' AND first_yes IS NULL",
            (user_id, pace, journey_id),
        )
        return changed == 1

    async def begin(self, journey_id: int, user_id: int, pace: str, now: int) -> bool:
        """The second "yes", from the other partner: it begins, once, with roles due now."""
        changed = await self.conn.execute(
            "UPDATE first_steps SET status = 'running', pace = ?, stage = 0, next_at = ?, "
            "plan = 'at' "
            "WHERE id = ? AND status = 'offered' AND first_yes IS NOT NULL AND first_yes <> ?",
            (pace, now, journey_id, user_id),
        )
        return changed == 1

    async def finish(self, journey_id: int, status: str, now: int, *, was: str) -> bool:
        """Leave status `was` for an end (done, parted, stopped, declined), nothing left due."""
        changed = await self.conn.execute(
            "UPDATE first_steps SET status = ?, finished_at = ?, next_at = NULL, "
            "remind_at = NULL WHERE id = ? AND status = ?",
            (status, now, journey_id, was),
        )
        return changed == 1

    async def end_for_couple(self, couple_id: int, now: int) -> None:
        """The pairing ended: whatever was under way stops, nothing left due."""
        await self.conn.execute(
            "UPDATE first_steps SET status = 'stopped', finished_at = ?, next_at = NULL, "
            f"remind_at = NULL WHERE couple_id = ? AND {_LIVE}",
            (now, couple_id),
        )

    async def set_next(self, journey_id: int, stage: int, at: int | None, plan: str) -> None:
        """`stage` is due at `at` (None: nothing due), opening as `plan` says. Its round and
        reminder are not yet."""
        await self.conn.execute(
            "UPDATE first_steps SET stage = ?, next_at = ?, plan = ?, round_id = NULL, "
            "remind_at = NULL WHERE id = ?",
            (stage, at, plan, journey_id),
        )

    async def plan(self, journey_id: int, at: int, plan: str) -> None:
        await self.conn.execute(
            "UPDATE first_steps SET next_at = ?, plan = ? WHERE id = ?", (at, plan, journey_id)
        )

    async def postpone_reminder(self, journey_id: int, at: int) -> None:
        """The reminder waits (a conflict break is under way)."""
        await self.conn.execute(
            "UPDATE first_steps SET remind_at = ? WHERE id = ?", (at, journey_id)
        )

    async def opened(self, journey_id: int, round_id: int, remind_at: int) -> None:
        await self.conn.execute(
            "UPDATE first_steps SET round_id = ?, next_at = NULL, remind_at = ? WHERE id = ?",
            (round_id, remind_at, journey_id),
        )

    async def clear_reminder(self, journey_id: int) -> None:
        await self.conn.execute(
            "UPDATE first_steps SET remind_at = NULL WHERE id = ?", (journey_id,)
        )

    async def set_roles(self, journey_id: int, roles: str, hurt_id: int | None) -> None:
        await self.conn.execute(
            "UPDATE first_steps SET roles = ?, hurt_id = ? WHERE id = ?",
            (roles, hurt_id, journey_id),
        )

    async def set_time(self, journey_id: int, local_time: str) -> None:
        await self.conn.execute(
            "UPDATE first_steps SET local_time = ? WHERE id = ?", (local_time, journey_id)
        )

    async def due_next(self, now: int, limit: int) -> list[Journey]:
        """Running journeys whose next stage is due, held for this unit."""
        return await self._due("next_at", now, limit)

    async def due_remind(self, now: int, limit: int) -> list[Journey]:
        return await self._due("remind_at", now, limit)

    async def _due(self, column: str, now: int, limit: int) -> list[Journey]:
        rows = await self.conn.fetch_all(
            f"SELECT {_COLUMNS} FROM first_steps j WHERE {column} <= ? AND status = 'running' "
            f"ORDER BY {column} LIMIT ? {self.conn.for_update('j', skip_locked=True)}",
            (now, limit),
        )
        return [_journey(r) for r in rows]
