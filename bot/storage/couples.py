"""Couples and their members."""

from __future__ import annotations

from aiosqlite import Connection

from bot.models import Couple, Person
from bot.storage.db import fetch_all, fetch_one


async def active_for(conn: Connection, user_id: int) -> Couple | None:
    """The user's active couple, with both members, or None."""
    rows = await fetch_all(
        conn,
        """
        SELECT c.id AS couple_id, u.id, u.first_name, u.language, u.reachable
        FROM couple_members mine
        JOIN couples c ON c.id = mine.couple_id AND c.ended_at IS NULL
        JOIN couple_members m ON m.couple_id = c.id AND m.left_at IS NULL
        JOIN users u ON u.id = m.user_id
        WHERE mine.user_id = ? AND mine.left_at IS NULL
        ORDER BY m.joined_at, u.id
        """,
        (user_id,),
    )
    return _couple(list(rows))


async def get(conn: Connection, couple_id: int) -> Couple | None:
    """A couple by id, active or ended, with both members."""
    rows = await fetch_all(
        conn,
        """
        SELECT m.couple_id, u.id, u.first_name, u.language, u.reachable
        FROM couple_members m JOIN users u ON u.id = m.user_id
        WHERE m.couple_id = ?
        ORDER BY m.joined_at, u.id
        """,
        (couple_id,),
    )
    return _couple(list(rows))


async def is_active(conn: Connection, couple_id: int) -> bool:
    row = await fetch_one(
        conn, "SELECT 1 FROM couples WHERE id = ? AND ended_at IS NULL", (couple_id,)
    )
    return row is not None


def _couple(rows: list) -> Couple | None:
    if len(rows) != 2:
        return None
    a, b = (Person(r[1], r[2], r[3], bool(r[4])) for r in rows)
    return Couple(rows[0][0], a, b)


async def create(conn: Connection, first: int, second: int, now: int) -> int:
    cur = await conn.execute("INSERT INTO couples (created_at) VALUES (?)", (now,))
    couple_id = cur.lastrowid
    assert couple_id is not None
    await conn.executemany(
        "INSERT INTO couple_members (couple_id, user_id, joined_at) VALUES (?, ?, ?)",
        [(couple_id, first, now), (couple_id, second, now)],
    )
    return couple_id


async def end(conn: Connection, couple_id: int, ended_by: int, now: int) -> bool:
    """End an active couple; False when it was already ended (a stale button)."""
    cur = await conn.execute(
        "UPDATE couples SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
        (now, ended_by, couple_id),
    )
    if cur.rowcount == 0:
        return False
    await conn.execute(
        "UPDATE couple_members SET left_at = ? WHERE couple_id = ? AND left_at IS NULL",
        (now, couple_id),
    )
    return True


async def claim_care_suggestion(conn: Connection, couple_id: int, now: int, since: int) -> bool:
    """Note that a couples therapist is suggested now, unless that was done since `since`;
    False when it was (one conditional statement, so two suggestions can't race)."""
    cur = await conn.execute(
        "UPDATE couples SET care_suggested_at = ? "
        "WHERE id = ? AND (care_suggested_at IS NULL OR care_suggested_at < ?)",
        (now, couple_id, since),
    )
    return cur.rowcount > 0
