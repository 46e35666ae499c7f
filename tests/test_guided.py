"""The guided repair conversation: five steps revealed like check-ins, stoppable at any step."""

from __future__ import annotations

from bot import checkins, guided, pairing, repair
from bot.checkins import AnswerOutcome
from bot.models import Person
from bot.storage.db import Database
from testing.probes import (
    Inbox,
    count,
    cursor,
    deliver,
    latest_break,
    message_id_of,
    open_rounds,
    stored_answers,
)
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
NOW = 1_800_000_000


async def both_ready(db: Database) -> int:
    code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
    await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    # Early enough that both have been told they are ready by NOW.
    early = NOW - 1300 - repair.REVEAL_DELAY[1]
    await repair.start_break(db, ANA.id, "20m", early, "UTC")
    break_id = await latest_break(db)
    assert await guided.start(db, ANA.id, break_id, early) is guided.Outcome.STALE  # not yet
    await repair.run_due(db, early + 1200)
    await repair.ready(db, ANA.id, break_id, early + 1300)
    await repair.ready(db, BEN.id, break_id, early + 1300)
    # Not before both are told: until then it looks as if only one of them were ready.
    assert await guided.start(db, ANA.id, break_id, early + 1301) is guided.Outcome.STALE
    return break_id


async def texts_to(db: Database, chat_id: int) -> list[str]:
    """What this chat has received so far (the outbox is delivered on each look)."""
    inbox = _inboxes.setdefault(id(db), Inbox(db))
    return await inbox.texts(chat_id)


_inboxes: dict[int, Inbox] = {}


async def test_five_steps_each_revealed_only_when_both_answered(db: Database) -> None:
    break_id = await both_ready(db)
    assert await guided.start(db, BEN.id, break_id, NOW) is guided.Outcome.STARTED
    assert await guided.start(db, ANA.id, break_id, NOW) is guided.Outcome.ALREADY
    message_id = 0
    for step in range(1, 6):
        await texts_to(db, ANA.id)  # the step's prompt reaches both
        message_id += 1
        first = await checkins.answer(db, ANA, f"ana step {step}", message_id, NOW)
        assert first.outcome is AnswerOutcome.SAVED
        assert not any(f"ana step {step}" in text for text in await texts_to(db, BEN.id))
        message_id += 1
        second = await checkins.answer(db, BEN, f"ben step {step}", message_id, NOW)
        assert second.outcome is AnswerOutcome.REVEALED
        assert any(f"ana step {step}" in text for text in await texts_to(db, BEN.id))
    assert any("all five steps" in text for text in await texts_to(db, ANA.id))
    async with (
        db.read() as uow,
        cursor(
            uow.conn, "SELECT step, status FROM rounds WHERE kind = 'repair' ORDER BY step"
        ) as cur,
    ):
        assert [tuple(r) for r in await cur.fetchall()] == [(s, "revealed") for s in range(1, 6)]
    # Repair steps stay out of the check-in history.
    assert (await checkins.history(db, ANA.id, None)).pages == []


async def test_stopping_at_a_step_deletes_its_answers_and_tells_the_partner(
    db: Database,
) -> None:
    break_id = await both_ready(db)
    await guided.start(db, ANA.id, break_id, NOW)
    await deliver(db, NOW)
    await checkins.answer(db, ANA, "half said", 1, NOW)
    async with (
        db.read() as uow,
        cursor(uow.conn, "SELECT id FROM rounds WHERE kind = 'repair'") as cur,
    ):
        step_id = (await cur.fetchone())[0]
    assert await guided.stop(db, BEN.id, step_id, NOW) is guided.Outcome.STOPPED
    assert await guided.stop(db, BEN.id, step_id, NOW) is guided.Outcome.STALE
    assert any("Ben stopped the guided conversation" in t for t in await texts_to(db, ANA.id))
    assert not any("half said" in t for t in await texts_to(db, BEN.id))
    assert await count(db, "answers") == 0


async def test_a_check_in_and_a_guided_step_can_be_open_together(db: Database) -> None:
    break_id = await both_ready(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    checkin_prompt = await message_id_of(db, await _prompt_key(db, "checkin"))
    await guided.start(db, ANA.id, break_id, NOW)
    await deliver(db, NOW)
    # A plain message answers the newest question; a reply answers the one replied to.
    await checkins.answer(db, ANA, "to the newest", 1, NOW)
    await checkins.answer(db, ANA, "to the check-in", 2, NOW, reply_to=checkin_prompt)
    assert await stored_answers(db) == [
        ("checkin", ANA.id, "to the check-in"),
        ("repair", ANA.id, "to the newest"),
    ]


async def _prompt_key(db: Database, kind: str) -> str:
    return f"prompt:{(await open_rounds(db))[kind]}:{ANA.id}"
