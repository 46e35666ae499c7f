"""Whether Steady can reach a person (they may have blocked the bot)."""

from __future__ import annotations

from bot.models import Outgoing
from bot.storage import couples, outbox, users
from bot.storage.db import Database
from bot.texts import t


async def set_reachable(db: Database, user_id: int, reachable: bool, now: int) -> bool:
    """Record whether they can be reached; True when that changed.

    While unreachable, their outbox messages wait (nothing is dropped) and go out when they come
    back (/start, or unblocking the bot). Their partner is told once, gently, when it happens.
    """
    async with db.transaction() as conn:
        changed = await users.set_reachable(conn, user_id, reachable, now)
        if changed and not reachable:
            couple = await couples.active_for(conn, user_id)
            if couple is not None:
                me, partner = couple.member(user_id), couple.partner_of(user_id)
                text = t("reach.partner_unreachable", partner.language, partner=me.first_name)
                key = f"unreachable:{user_id}:{now}"
                await outbox.enqueue(conn, Outgoing(partner.id, key, text), now)
        return changed
