"""When an ask must wait: while the couple has paused check-ins or a conflict break runs.

A break runs from /conflict until both are ready to talk, or at most its 24 hours: a break
whose nudge went unanswered does not hold every ask forever.

Every ask (a promise's outcome, an agreement review) is a due row; a tick that finds one held
moves it to HOLD_RECHECK later, so it comes once the pause or break is over."""

from __future__ import annotations

from bot.storage.unit import Unit

HOLD_RECHECK = 15 * 60


async def held(uow: Unit, couple_id: int, now: int) -> bool:
    """Check-ins are paused (until a date, or until resumed), or a break is under way."""
    schedule = await uow.schedules.get(couple_id)
    if schedule is not None and schedule.paused_until is not None and schedule.paused_until > now:
        return True
    current = await uow.breaks.active_for(couple_id, now)
    return current is not None and (current.status != "nudged" or now < current.limit_at)
