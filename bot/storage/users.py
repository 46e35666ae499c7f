"""Users: Telegram people who have talked to Steady."""

from __future__ import annotations

from aiosqlite import Connection

from bot.models import Person
from bot.storage.db import fetch_all, fetch_one


async def upsert(conn: Connection, person: Person, now: int) -> None:
    """Record or refresh a user; talking to the bot means they can be reached again."""
    await conn.execute(
        """
        INSERT INTO users (id, first_name, language, reachable, created_at, updated_at)
        VALUES (?, ?, ?, 1, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            first_name = excluded.first_name,
            language = excluded.language,
            reachable = 1,
            updated_at = excluded.updated_at
        """,
        (person.id, person.first_name, person.language, now, now),
    )


async def get(conn: Connection, user_id: int) -> Person | None:
    row = await fetch_one(
        conn, "SELECT id, first_name, language, reachable FROM users WHERE id = ?", (user_id,)
    )
    if row is None:
        return None
    return Person(row["id"], row["first_name"], row["language"], bool(row["reachable"]))


async def set_reachable(conn: Connection, user_id: int, reachable: bool, now: int) -> bool:
    """Set reachability; True when it changed."""
    cur = await conn.execute(
        "UPDATE users SET reachable = ?, updated_at = ? WHERE id = ? AND reachable != ?",
        (int(reachable), now, user_id, int(reachable)),
    )
    return cur.rowcount > 0


async def count_expired(conn: Connection, user_id: int, messages: int) -> None:
    """Note messages that expired unsent while they were unreachable, to tell them on return."""
    await conn.execute(
        "UPDATE users SET expired_unseen = expired_unseen + ? WHERE id = ?", (messages, user_id)
    )


async def returned_with_expired(conn: Connection, limit: int) -> list[Person]:
    """People reachable again who have not yet been told that messages expired meanwhile."""
    rows = await fetch_all(
        conn,
        "SELECT id, first_name, language, reachable FROM users "
        "WHERE expired_unseen > 0 AND reachable = 1 ORDER BY id LIMIT ?",
        (limit,),
    )
    return [Person(r["id"], r["first_name"], r["language"], True) for r in rows]


async def clear_expired(conn: Connection, user_id: int) -> None:
    await conn.execute("UPDATE users SET expired_unseen = 0 WHERE id = ?", (user_id,))
