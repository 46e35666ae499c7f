"""Whether Steady can reach a person (they may have blocked the bot)."""

from __future__ import annotations

import logging

from bot.models import Person
from bot.storage.db import Database, in_batches
from bot.storage.unit import Unit
from bot.texts import amount, t

log = logging.getLogger(__name__)

# How long a message waits for someone who blocked the bot before it is let go (README).
KEEP_UNDELIVERABLE_DAYS = 30
KEEP_UNDELIVERABLE = KEEP_UNDELIVERABLE_DAYS * 24 * 3600
BATCH = 200


async def set_reachable(db: Database, user_id: int, reachable: bool, now: int) -> bool:
    """Record whether they can be reached; True when that changed.

    While unreachable, their outbox messages wait and go out when they come back (/start, or
    unblocking the bot); those still waiting after KEEP_UNDELIVERABLE_DAYS expire. Their
    partner is told once, gently, when it happens.
    """
    async with db.unit() as uow:
        changed = await uow.users.set_reachable(user_id, reachable, now)
        if changed and not reachable:
            couple = await uow.couples.active_for(user_id, lock=True)
            if couple is not None:
                me, partner = couple.member(user_id), couple.partner_of(user_id)
                text = t(
                    "reach.partner_unreachable",
                    partner.language,
                    partner=me.first_name,
                    days=amount("days", KEEP_UNDELIVERABLE_DAYS, partner.language),
                )
                await uow.notify(partner, "unreachable", user_id, now, text=text, now=now)
        return changed


async def expire_undeliverable(db: Database, now: int) -> int:
    """Let go of messages that waited KEEP_UNDELIVERABLE_DAYS past their due time for someone
    who blocked the bot (text emptied), counted per person so they hear of it on return."""

    async def count(uow: Unit, chat_id: int) -> int:
        await uow.users.count_expired(chat_id, 1)
        return 1

    expired = await in_batches(
        db,
        BATCH,
        lambda uow, n: uow.outbox.expire_unreachable(now - KEEP_UNDELIVERABLE, n),
        count,
    )
    if expired:
        log.info(
            "%s messages for people who blocked the bot expired after %s days",
            expired,
            KEEP_UNDELIVERABLE_DAYS,
        )
    return expired


async def tell_returned(db: Database, now: int) -> int:
    """Tell each person who came back that messages expired while they were away (once)."""

    async def tell(uow: Unit, person: Person) -> int:
        if not await uow.users.clear_expired(person.id):
            return 0  # told meanwhile by another process (its key carries its own `now`)
        days = amount("days", KEEP_UNDELIVERABLE_DAYS, person.language)
        text = t("reach.expired_while_away", person.language, days=days)
        await uow.notify(person, "expired", person.id, now, text=text, now=now)
        return 1

    return await in_batches(
        db, BATCH, lambda uow, limit: uow.users.returned_with_expired(limit), tell
    )
