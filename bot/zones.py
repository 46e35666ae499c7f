"""A person's time zone, with the deployment's default until they set their own."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiosqlite import Connection

from bot.schedule_rules import zone_or_none
from bot.storage import schedules


async def zone_of(conn: Connection, user_id: int, default: str) -> ZoneInfo:
    name, _ = await schedules.timezone_of(conn, user_id)
    return zone_or_none(name or default) or ZoneInfo("UTC")
