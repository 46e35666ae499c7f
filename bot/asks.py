"""Double-blind asks beyond check-ins: both partners are asked the same thing privately, and
both answers are shown to both once both answered, exactly like a check-in round.

A promise's outcome, an agreement's review, a weekly rating and the first steps after a breach
are all rounds of a registered kind (bot.ask_kinds), so they share the round tables, the reveal
that happens once (bot.checkins), routing by what a person received, and what /export, /delete,
retention and encryption at rest already do for answers. An ask with options is answered by a
button; a word typed after it (a plain message, or a reply to the question) is kept beside the
choice and shown if it came before the reveal, which never waits for it. An ask without options
is answered in words, like a check-in.
"""

from __future__ import annotations

import enum

from bot import ask_kinds, callbacks, checkins
from bot.models import Button, Couple, Person
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.rounds import Answer, Round
from bot.storage.unit import Unit
from bot.texts import t

NEVER = 2**62  # closes_at of an ask that waits as long as it takes


class Outcome(enum.Enum):
    SAVED = "saved"  # kept private; the partner is told one is waiting
    CHANGED = "changed"  # an earlier choice replaced, still private
    REVEALED = "revealed"  # the second choice: both now see both
    HELD = "held"  # both chose; the reveal waits a few seconds for a long word's next part
    STALE = "stale"  # not theirs, no longer open, or not an option of it: nothing changed


async def open_ask(
    uow: Unit,
    couple: Couple,
    kind: str,
    *,
    when: dict[int, int],
    now: int,
    subject_id: int | None = None,
    step: int | None = None,
    closes_at: int | None = None,
) -> int:
    """Create an ask and queue each partner's question at their own moment `when[person]`
    (caller's transaction). `closes_at` None: it stays open until both answered or it is
    stopped. The round's id."""
    found = ask_kinds.get(kind)
    if found is None:
        raise ValueError(f"unknown ask kind {kind!r}")
    round_id = await uow.rounds.create(
        couple.id, kind, kind, now, NEVER if closes_at is None else closes_at, None,
        kind=kind, step=step, subject_id=subject_id,
    )  # fmt: skip
    moments = {p.id: max(now, when.get(p.id, now)) for p in (couple.a, couple.b)}
    await uow.rounds.add_participants(round_id, moments)
    current = await uow.rounds.get(round_id)
    assert current is not None
    for person in (couple.a, couple.b):
        text, buttons = await _question_for(uow, found, current, couple, person)
        await uow.notify(
            person, "prompt", round_id, person.id, text=text, buttons=buttons,
            round_id=round_id, due_at=moments[person.id], couple_id=couple.id, now=now,
        )  # fmt: skip
    return round_id


async def _question_for(
    uow: Unit, found: ask_kinds.Kind, current: Round, couple: Couple, person: Person
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """An ask's question to one partner, in their language, with its options' buttons."""
    question = await found.question(uow, current, person.language, person.id)
    hint = "asks.prompt_choose" if found.options else "asks.prompt_words"
    text = t(
        hint, person.language, question=question, partner=couple.partner_of(person.id).first_name
    )
    buttons = tuple(
        (Button(found.label(option, person.language), callbacks.Choose(current.id, i).encode()),)
        for i, option in enumerate(found.options)
    )
    return text, buttons


async def in_new_language(uow: Unit, user_id: int) -> None:
    """This person chose another language (caller's transaction, after it was stored): their
    asks' questions still waiting for their moment (a first step at 20:00 their time), and the
    news queued beside any question ("Ana has answered"), are written again in it, as a
    check-in prompt is rendered when it goes. One on its way stays."""
    # Held as an answer holds it: the partner's answer queueing "Ana has answered" meanwhile
    # commits first, and is written again here, not left in the old language.
    couple = await uow.couples.active_for(user_id, lock=True)
    if couple is None:
        return
    person, partner = couple.member(user_id), couple.partner_of(user_id)
    for current in await uow.rounds.open_rounds(couple.id):
        seen = await uow.rounds.participants(current.id)
        if user_id not in seen or seen[user_id][1] is not None:
            continue
        found = ask_kinds.get(current.kind)
        if found is not None:
            text, buttons = await _question_for(uow, found, current, couple, person)
            await uow.outbox.rewrite_waiting(
                outbox.notice(person, "prompt", current.id, person.id, text=text, buttons=buttons)
            )
        news = checkins.waiting_notice(current, person.language, partner.first_name)
        await uow.outbox.rewrite_waiting(
            outbox.notice(person, "waiting", current.id, person.id, text=news)
        )


async def choose(db: Database, user_id: int, round_id: int, index: int, now: int) -> Outcome:
    """A press of an ask's option. Only a participant of an open ask of their own active
    couple whose question has reached them, and only an option it has; anything else (forged,
    stale, another couple's) is STALE and changes nothing."""
    try:
        async with db.unit() as uow:
            couple = await uow.couples.active_for(user_id, lock=True)
            current = await uow.rounds.get(round_id)
            if couple is None or current is None or current.couple_id != couple.id:
                return Outcome.STALE
            kind = ask_kinds.get(current.kind)
            if current.status != "open" or kind is None or not 0 <= index < len(kind.options):
                return Outcome.STALE
            if current.closes_at <= now:  # its window ended; the tick closing it is on its way
                return Outcome.STALE
            seen = await uow.rounds.participants(round_id)
            if user_id not in seen or seen[user_id][1] is None:
                return Outcome.STALE  # its question has not reached them: a forged press
            option = kind.options[index]
            answers = await uow.rounds.answers(round_id)
            had = answers.get(user_id)
            await uow.rounds.save_choice(round_id, user_id, option, now)
            answers[user_id] = Answer(
                user_id, had.text if had else "", had.message_id if had else None, now,
                had.last_part_len if had else 0, option,
            )  # fmt: skip
            if checkins.both_answered(current, couple, answers):
                # A long word's next part may be on its way (a client splits long texts).
                wait_until = checkins.wait_for_more(answers, now)
                if wait_until is not None:
                    await uow.rounds.set_reveal_at(round_id, wait_until)
                    return Outcome.HELD
                await checkins.reveal(uow, couple, current, answers, now)
                return Outcome.REVEALED
            if had is not None and had.choice is not None:
                return Outcome.CHANGED
            me, partner = couple.member(user_id), couple.partner_of(user_id)
            notice = checkins.waiting_notice(current, partner.language, me.first_name)
            # Never before the partner's own question: it may wait for their local time.
            if partner.id not in await uow.rounds.withdrawn(round_id):  # paused: not news now
                await uow.notify(
                    partner, "waiting", round_id, partner.id, text=notice,
                    due_at=seen[partner.id][0] if partner.id in seen else now, now=now,
                )  # fmt: skip
            return Outcome.SAVED
    except checkins.NoLongerOpen:
        return Outcome.STALE


async def stop(uow: Unit, round_id: int, now: int) -> bool:
    """Stop an open ask (caller's transaction): its answers are deleted unread, and what was
    still queued about it is withdrawn. False when it was no longer open."""
    current = await uow.rounds.get(round_id)
    if current is None:
        return False
    # Held like every use case of the couple: a press or a word being stored meanwhile
    # commits first, and is deleted with the rest, never left behind in a stopped ask.
    await uow.couples.lock(current.couple_id)
    if not await uow.rounds.finish(round_id, "cancelled", now):
        return False
    await uow.rounds.delete_answers(round_id)
    await uow.outbox.cancel_round_news(round_id, await uow.rounds.participants(round_id))
    return True
