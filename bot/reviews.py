"""The gentle monthly review of agreements, on only when both partners opt in (/options).

Once a month each partner is asked privately, for each active agreement, "Is this agreement
still working for you?", and both answers are revealed together: the double-blind rule is
bot.asks's (kind "review", subject_id = the agreement). "Needs a talk" from either suggests a
conversation. Held, like every ask, while check-ins are paused or a break runs."""

from __future__ import annotations

import enum

from bot import ask_kinds, asks, holds
from bot.models import Couple
from bot.storage.db import Database, in_batches
from bot.storage.rounds import Answer, Round
from bot.storage.unit import Unit
from bot.texts import plain, t

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


async def _words(uow: Unit, current: Round) -> str:
    """The words of the agreement a review asks about ("…" once they are gone)."""
    if current.subject_id is not None:
        agreement = await uow.agreements.get(current.subject_id)
        if agreement is not None and agreement.active_version is not None:
            version = await uow.agreements.version(agreement.active_version)
            if version is not None and version.text:
                return version.text
    return "…"


async def _question(uow: Unit, current: Round, language: str, reader: int) -> str:
    # Plain text: bot.asks escapes it where it fills it in.
    return plain("review.ask", language, text=await _words(uow, current))


async def _after_reveal(
    uow: Unit, couple: Couple, current: Round, answers: dict[int, Answer], now: int
) -> None:
    """ "Needs a talk" from either suggests a conversation to both (the caller's transaction)."""
    if not any(answer.choice == "talk" for answer in answers.values()):
        return
    words = await _words(uow, current)
    for person in (couple.a, couple.b):
        text = t("review.talk", person.language, text=words)
        await uow.notify(person, "review-talk", current.id, person.id, text=text, now=now)


KIND = ask_kinds.register(
    ask_kinds.Kind(
        "review", _question, options=OPTIONS, labels="review.option", after_reveal=_after_reveal
    )
)


async def _open_reviews(uow: Unit, couple: Couple, now: int, default_zone: str) -> int:
    """One ask per active agreement that has none open, each partner asked now unless it is
    night where they are (then at 08:00 their time)."""
    from bot.promises import partner_moment  # the same night rule as a promise's partner

    when = {p.id: await partner_moment(uow, p, now, default_zone) for p in (couple.a, couple.b)}
    opened = 0
    for agreement in await uow.agreements.of_couple(couple.id, ("active",)):
        if await uow.agreements.open_review(agreement.id) is not None:
            continue  # last month's is still waiting for an answer
        await asks.open_ask(uow, couple, KIND.name, when=when, now=now, subject_id=agreement.id)
        opened += 1
    return opened


async def stop_for(uow: Unit, agreement_id: int, now: int) -> None:
    """A retired agreement's open review ends, its answers deleted unread."""
    round_id = await uow.agreements.open_review(agreement_id)
    if round_id is not None:
        await asks.stop(uow, round_id, now)
