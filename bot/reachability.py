"""Whether Steady can reach a person (they may have blocked the bot)."""

from __future__ import annotations

from bot.storage import users
from bot.storage.db import Database


async def set_reachable(db: Database, user_id: int, reachable: bool, now: int) -> bool:
    """Record whether they can be reached; True when that changed. While unreachable, their
    outbox messages wait (they are not dropped) and go out when they come back."""
    async with db.transaction() as conn:
        return await users.set_reachable(conn, user_id, reachable, now)
