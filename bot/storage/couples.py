"""Couples and their members."""

from __future__ import annotations

from bot.models import Couple, Person
from bot.storage.engine import Conn


def _couple(rows: list) -> Couple | None:
    if len(rows) != 2:
        return None
    a, b = (Person(r["id"], r["first_name"], r["language"], bool(r["reachable"])) for r in rows)
    return Couple(rows[0]["couple_id"], a, b)


class Couples:
    """Couples and their members."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def active_for(self, user_id: int, *, lock: bool = False) -> Couple | None:
        """The user's active couple, with both members, or None.

        `lock`: hold the couple until the unit ends, so use cases of one couple that read,
        decide and write (two answers arriving together, both pressing "ready") run one after
        the other on any engine; what the unit reads next sees the other's commit."""
        rows = await self.conn.fetch_all(
            """
            SELECT c.id AS couple_id, u.id, u.first_name, u.language, u.reachable
            FROM couple_members mine
            JOIN couples c ON c.id = mine.couple_id AND c.ended_at IS NULL
            JOIN couple_members m ON m.couple_id = c.id AND m.left_at IS NULL
            JOIN users u ON u.id = m.user_id
            WHERE mine.user_id = ? AND mine.left_at IS NULL
            ORDER BY m.joined_at, u.id
            """
            + (self.conn.for_update("c") if lock else ""),
            (user_id,),
        )
        return _couple(list(rows))

    async def lock(self, couple_id: int) -> None:
        """Hold a couple until the unit ends, as `active_for(lock=True)` does, by its id."""
        await self.conn.lock("couples", couple_id)

    async def get(self, couple_id: int) -> Couple | None:
        """A couple by id, active or ended, with both members."""
        rows = await self.conn.fetch_all(
            """
            SELECT m.couple_id AS couple_id, u.id, u.first_name, u.language, u.reachable
            FROM couple_members m JOIN users u ON u.id = m.user_id
            WHERE m.couple_id = ?
            ORDER BY m.joined_at, u.id
            """,
            (couple_id,),
        )
        return _couple(list(rows))

    async def last_for(self, user_id: int) -> tuple[int, list[Person]] | None:
        """The user's most recent couple, ended or not, and the members still in Steady (a
        partner who erased themselves is gone)."""
        couple_id = await self.conn.fetch_value(
            "SELECT couple_id FROM couple_members WHERE user_id = ? "
            "ORDER BY joined_at DESC, couple_id DESC LIMIT 1",
            (user_id,),
        )
        if couple_id is None:
            return None
        rows = await self.conn.fetch_all(
            """
            SELECT u.id, u.first_name, u.language, u.reachable
            FROM couple_members m JOIN users u ON u.id = m.user_id
            WHERE m.couple_id = ? ORDER BY m.joined_at, u.id
            """,
            (couple_id,),
        )
        members = [
            Person(r["id"], r["first_name"], r["language"], bool(r["reachable"])) for r in rows
        ]
        return couple_id, members

    async def is_active(self, couple_id: int) -> bool:
        row = await self.conn.fetch_one(
            "SELECT 1 FROM couples WHERE id = ? AND ended_at IS NULL", (couple_id,)
        )
        return row is not None

    async def create(self, first: int, second: int, now: int) -> int:
        couple_id = await self.conn.fetch_value(
            "INSERT INTO couples (created_at) VALUES (?) RETURNING id", (now,)
        )
        await self.conn.execute_many(
            "INSERT INTO couple_members (couple_id, user_id, joined_at) VALUES (?, ?, ?)",
            [(couple_id, first, now), (couple_id, second, now)],
        )
        return couple_id

    async def end(self, couple_id: int, ended_by: int, now: int) -> bool:
        """End an active couple; False when it was already ended (a stale button)."""
        changed = await self.conn.execute(
            "UPDATE couples SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
            (now, ended_by, couple_id),
        )
        if changed == 0:
            return False
        await self.conn.execute(
            "UPDATE couple_members SET left_at = ? WHERE couple_id = ? AND left_at IS NULL",
            (now, couple_id),
        )
        return True

    async def claim_care_suggestion(self, couple_id: int, now: int, since: int) -> bool:
        """Note that a couples therapist is suggested now, unless that was done since `since`;
        False when it was (one conditional statement, so two suggestions can't race)."""
        changed = await self.conn.execute(
            "UPDATE couples SET care_suggested_at = ? "
            "WHERE id = ? AND (care_suggested_at IS NULL OR care_suggested_at < ?)",
            (now, couple_id, since),
        )
        return changed > 0
