"""The guided repair conversation: five short steps, each answered privately and revealed
when both answered, exactly like a check-in round (the same tables and the same reveal)."""

from __future__ import annotations

import enum

from bot import callbacks
from bot.models import Button, Couple
from bot.storage import rounds
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import t

STEPS = 5  # guided.step_1 … guided.step_5 in the locale files
STEP_WINDOW = 24 * 3600


class Outcome(enum.Enum):
    STARTED = "started"
    ALREADY = "already"
    STOPPED = "stopped"
    STALE = "stale"


async def start(db: Database, user_id: int, break_id: int, now: int) -> Outcome:
    """Either partner starts it, once both said they are ready to talk."""
    async with db.unit() as uow:
        current = await uow.breaks.get(break_id)
        couple = await uow.couples.active_for(user_id, lock=True)
        if current is None or couple is None or current.couple_id != couple.id:
            return Outcome.STALE
        if current.status != "ready" or (current.finished_at or 0) > now:
            return Outcome.STALE  # not both ready, or not yet told so: the same answer
        if await uow.breaks.latest_id(couple.id) != break_id:
            return Outcome.STALE  # an earlier break's offer: a new conflict came since
        if await uow.rounds.step_exists(break_id, 1):
            return Outcome.ALREADY
        earlier = await uow.rounds.open_for(couple.id, "repair")
        if earlier is not None:  # a conversation from an earlier break, left unfinished
            await uow.rounds.finish(earlier.id, "cancelled", now)
            await uow.rounds.delete_answers(earlier.id)
        await open_step(uow, couple, break_id, 1, now)
    return Outcome.STARTED


async def open_step(uow: Unit, couple: Couple, break_id: int, step: int, now: int) -> None:
    round_id = await uow.rounds.create(
        couple.id,
        f"repair-{step}",
        "repair",
        now,
        now + STEP_WINDOW,
        None,
        kind="repair",
        step=step,
        break_id=break_id,
    )
    await uow.rounds.add_participants(round_id, {couple.a.id: now, couple.b.id: now})
    for person in (couple.a, couple.b):
        text = t(
            "guided.prompt",
            person.language,
            step=step,
            total=STEPS,
            question=t(f"guided.step_{step}", person.language),
            partner=couple.partner_of(person.id).first_name,
        )
        stop_data = callbacks.StopGuided(round_id).encode()
        stop = Button(t("guided.stop_button", person.language), stop_data)
        buttons = ((stop,),)
        await uow.notify(
            person, "prompt", round_id, person.id, text=text, buttons=buttons, round_id=round_id,
            now=now,
        )  # fmt: skip


async def after_reveal(uow: Unit, couple: Couple, step: rounds.Round, now: int) -> None:
    """A step was revealed (caller's transaction): open the next, or close warmly."""
    assert step.step is not None and step.break_id is not None
    if step.step < STEPS:
        await open_step(uow, couple, step.break_id, step.step + 1, now)
        return
    for person in (couple.a, couple.b):
        text = t("guided.done", person.language)
        await uow.notify(person, "guided-done", step.break_id, person.id, text=text, now=now)


async def stop(db: Database, user_id: int, round_id: int, now: int) -> Outcome:
    """Stop at any step: its unmatched answers are deleted unread; the partner is told."""
    async with db.unit() as uow:
        step = await uow.rounds.get(round_id)
        couple = await uow.couples.active_for(user_id, lock=True)
        if step is None or couple is None or step.couple_id != couple.id or step.kind != "repair":
            return Outcome.STALE
        if not await uow.rounds.finish(round_id, "cancelled", now):
            return Outcome.STALE
        await uow.rounds.delete_answers(round_id)
        # "Ana answered" (and the question, a reminder) still queued: about words now gone.
        await uow.outbox.cancel_round_news(round_id, await uow.rounds.participants(round_id))
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t("guided.stopped", partner.language, partner=me.first_name)
        await uow.notify(partner, "guided-stop", round_id, text=text, now=now)
    return Outcome.STOPPED
