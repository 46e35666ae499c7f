"""Whether Steady can reach a person (they may have blocked the bot)."""

from __future__ import annotations

from bot.storage import outbox, users
from bot.storage.db import Database


async def set_reachable(db: Database, user_id: int, reachable: bool, now: int) -> None:
    async with db.transaction() as conn:
        await users.set_reachable(conn, user_id, reachable, now)
        if not reachable:
            await outbox.hold_for_chat(conn, user_id)
