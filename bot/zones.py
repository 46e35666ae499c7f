"""A person's time zone, with the deployment's default until they set their own."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.schedule_rules import zone_or_none
from bot.storage.unit import Unit


async def zone_of(uow: Unit, user_id: int, default: str) -> ZoneInfo:
    name, _ = await uow.schedules.timezone_of(user_id)
    return zone_or_none(name or default) or ZoneInfo("UTC")
