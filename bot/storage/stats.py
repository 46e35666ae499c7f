"""Counts for the owner's /stats: how many, never what anyone wrote or who."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Conn

WEEK = 7 * 24 * 3600


@dataclass(frozen=True)
class Counts:
    couples: int  # paired now
    active_couples: int  # with an answer written in the last seven days
    queued: int  # messages waiting to be sent
    undeliverable: int  # given up on (failed, or the person blocked Steady), until purged
    database_bytes: int | None  # None when the engine cannot say


async def counts(conn: Conn, now: int) -> Counts:
    row = await conn.fetch_one(
        """
        SELECT
          (SELECT COUNT(*) FROM couples WHERE ended_at IS NULL) AS couples,
          (SELECT COUNT(DISTINCT r.couple_id) FROM answers a JOIN rounds r ON r.id = a.round_id
            JOIN couples c ON c.id = r.couple_id
            WHERE a.updated_at >= ? AND c.ended_at IS NULL) AS active_couples,
          (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS queued,
          (SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'expired')) AS undeliverable
        """,
        (now - WEEK,),
    )
    assert row is not None
    return Counts(
        couples=int(row["couples"]),
        active_couples=int(row["active_couples"]),
        queued=int(row["queued"]),
        undeliverable=int(row["undeliverable"]),
        database_bytes=await database_bytes(conn),
    )


async def database_bytes(conn: Conn) -> int | None:
    """The database's size on disk: pages in use on SQLite (the WAL aside), the whole database
    on PostgreSQL."""
    if conn.engine == "postgres":
        value = await conn.fetch_value("SELECT pg_database_size(current_database())")
    else:
        pages = await conn.fetch_value("PRAGMA page_count")
        size = await conn.fetch_value("PRAGMA page_size")
        value = None if pages is None or size is None else int(pages) * int(size)
    return None if value is None else int(value)
