"""The owner's view (/stats): counts only, for the ids in ADMIN_IDS."""

from __future__ import annotations

from pathlib import Path

from bot import health
from bot.storage.db import Database
from bot.storage.stats import counts
from bot.texts import t


def is_admin(user_id: int, admin_ids: frozenset[int]) -> bool:
    return user_id in admin_ids


async def report(db: Database, heartbeat: Path, now: int, language: str) -> str:
    """The counts, rendered; never a name, an id or a word anyone wrote."""
    async with db.read() as uow:
        found = await counts(uow.conn, now)
    beat = health.last_beat(heartbeat)
    last_tick = (
        t("stats.last_tick_never", language)
        if beat is None
        else t("stats.last_tick_ago", language, seconds=max(0, round(now - beat)))
    )
    size = (
        t("stats.size_unknown", language)
        if found.database_bytes is None
        else t("stats.size_mb", language, mb=f"{found.database_bytes / 1_000_000:.1f}")
    )
    return t(
        "stats.text",
        language,
        couples=found.couples,
        active=found.active_couples,
        queued=found.queued,
        undeliverable=found.undeliverable,
        last_tick=last_tick,
        size=size,
    )
