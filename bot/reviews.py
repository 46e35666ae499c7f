"""The gentle monthly review of agreements, on only when both partners opt in (/options).

Once a month each partner is asked privately, for each active agreement, "Is this agreement
still working for you?", and both answers are revealed together: the double-blind rule is
bot.asks's (kind "review", subject_id = the agreement). "Needs a talk" from either suggests a
conversation. Held, like every ask, while check-ins are paused or a break runs."""

from __future__ import annotations

import enum

from bot import holds
from bot.storage.db import Database, in_batches
from bot.storage.unit import Unit
from bot.texts import t

EVERY = 30 * 24 * 3600  # "monthly": every 30 days from when both opted in
DUE_BATCH = 100
OPTIONS = ("working", "adjust", "talk")


class Outcome(enum.Enum):
    ON_WAITING = "on_waiting"  # on for me; the partner has not turned it on
    ON_BOTH = "on_both"
    OFF = "off"
    NOT_PAIRED = "not_paired"


async def set_review(db: Database, user_id: int, on: bool, now: int) -> tuple[Outcome, str]:
    """Turn my monthly review on or off; (what holds now, the partner's name). The partner is
    told of a change; the first review comes EVERY after both are on."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return Outcome.NOT_PAIRED, ""
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        before = await uow.agreements.review_choices(couple.id)
        await uow.agreements.set_review(couple.id, user_id, on)
        both = on and before.get(partner.id, False)
        if both and await uow.agreements.review_at(couple.id) is None:
            await uow.agreements.set_review_at(couple.id, now + EVERY)
        elif not both:
            await uow.agreements.set_review_at(couple.id, None)
        if before.get(user_id, False) != on:
            key = "review.partner_on" if on else "review.partner_off"
            text = t(key, partner.language, partner=me.first_name)
            await uow.notify(partner, "review-opt", couple.id, partner.id, now, text=text, now=now)
    outcome = Outcome.ON_BOTH if both else (Outcome.ON_WAITING if on else Outcome.OFF)
    return outcome, partner.first_name


async def review_on(db: Database, user_id: int) -> bool | None:
    """Whether my monthly review is on; None when not paired."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        return (await uow.agreements.review_choices(couple.id)).get(user_id, False)


async def run_due(db: Database, now: int, default_zone: str) -> int:
    """Ask each couple due for its review about each active agreement; held while paused or
    in a break (it comes after). How many asks opened."""

    async def act(uow: Unit, couple_id: int) -> int:
        couple = await uow.couples.get(couple_id)
        choices = await uow.agreements.review_choices(couple_id)
        if couple is None or len(choices) != 2 or not all(choices.values()):
            await uow.agreements.set_review_at(couple_id, None)
            return 0
        if await holds.held(uow, couple_id, now):
            await uow.agreements.set_review_at(couple_id, now + holds.HOLD_RECHECK)
            return 0
        opened = await _open_reviews(uow, couple, now, default_zone)
        await uow.agreements.set_review_at(couple_id, now + EVERY)
        return opened

    return await in_batches(db, DUE_BATCH, lambda uow, n: uow.agreements.due_reviews(now, n), act)


async def _open_reviews(uow: Unit, couple: object, now: int, default_zone: str) -> int:
    raise NotImplementedError  # built on bot.asks once it lands


async def stop_for(uow: Unit, agreement_id: int, now: int) -> None:
    """A retired agreement's open review ends, its answers deleted unread."""
    return None  # built on bot.asks once it lands
