"""Route by what a person received, never by what is due (issue: keep the core promise).

A round counts as received by a person once Telegram accepted a message quoting its question to
them. A plain message answers only such rounds; a reply answers the round of the message it
replies to (a prompt, a reminder, a guided step or "already open"); ending a pairing withdraws
the couple's queue except reveals both had earned.
"""

from __future__ import annotations

from bot import checkins, pairing, privacy
from bot.checkins import AnswerOutcome, StartOutcome
from bot.models import Person
from bot.storage import rounds
from bot.storage.db import Database
from testing import seeding
from testing.probes import (
    deliver,
    message_id_of,
    open_rounds,
    pending,
    stored_answers,
)
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
NOW = 1_800_000_000
HOUR = 3600


async def paired(db: Database) -> None:
    code = (await pairing.create_invite(db, ANA, NOW, INVITE_KEY)).code
    result = await pairing.join(db, BEN, code, NOW, INVITE_KEY)
    assert result.outcome is pairing.JoinOutcome.PAIRED
    await deliver(db, NOW)


async def pending_keys(db: Database) -> list[str]:
    return [key for _, key, _ in await pending(db)]


async def guided_step_open(db: Database) -> None:
    await seeding.guided_step_open(db, ANA, BEN, NOW)


async def test_a_message_sent_while_the_new_prompt_is_held_back_goes_to_the_received_round(
    db: Database,
) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)  # the check-in reached both
    await guided_step_open(db)  # its prompt is due now, but held back (a 429, pacing)
    result = await checkins.answer(db, ANA, "for the check-in", 1, NOW)
    assert result.outcome is AnswerOutcome.SAVED
    assert await stored_answers(db) == [("checkin", ANA.id, "for the check-in")]
    # The acknowledgement names the question it was filed under; no other received round yet.
    assert result.question == checkins.prompt_text(
        (await _round(db, (await open_rounds(db))["checkin"])), "en"
    )
    assert result.others == ()


async def test_with_no_received_round_nothing_is_stored(db: Database) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)  # the prompt is queued, not yet accepted
    result = await checkins.answer(db, ANA, "too early", 1, NOW + HOUR)
    assert result.outcome is AnswerOutcome.NO_ROUND
    assert await stored_answers(db) == []
    assert [k for k in await pending_keys(db) if k.startswith("waiting")] == []
    # /checkin does not show the question before its prompt has reached this person.
    assert (await checkins.start_round(db, ANA.id, NOW)).outcome is StartOutcome.ON_ITS_WAY
    await deliver(db, NOW)
    assert (await checkins.answer(db, ANA, "now", 2, NOW)).outcome is AnswerOutcome.SAVED


async def test_with_two_received_rounds_the_answer_can_be_moved(db: Database) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await guided_step_open(db)
    await deliver(db, NOW)  # both questions reached both
    rounds_open = await open_rounds(db)
    result = await checkins.answer(db, ANA, "which one?", 1, NOW)
    assert result.round_id == rounds_open["repair"]  # the newest received
    assert [other for other, _ in result.others] == [rounds_open["checkin"]]
    moved = await checkins.move_answer(db, ANA, rounds_open["repair"], rounds_open["checkin"], NOW)
    assert moved.outcome is AnswerOutcome.SAVED and moved.round_id == rounds_open["checkin"]
    assert await stored_answers(db) == [("checkin", ANA.id, "which one?")]
    # The button again, or a forged one for a round of another couple: nothing changes.
    again = await checkins.move_answer(db, ANA, rounds_open["repair"], rounds_open["checkin"], NOW)
    assert again.outcome is AnswerOutcome.STALE
    forged = await checkins.move_answer(db, BEN, rounds_open["checkin"], 999, NOW)
    assert forged.outcome is AnswerOutcome.STALE
    assert await stored_answers(db) == [("checkin", ANA.id, "which one?")]
    # Moved beside Ben's answer, it reveals there, once.
    await checkins.answer(db, BEN, "to the step", 2, NOW)
    revealed = await checkins.move_answer(
        db, ANA, rounds_open["checkin"], rounds_open["repair"], NOW
    )
    assert revealed.outcome is AnswerOutcome.REVEALED
    reveals = [key for _, key, _ in await deliver(db, NOW) if key.startswith("reveal")]
    assert sorted(k.split(":")[2] for k in reveals) == sorted([str(ANA.id), str(BEN.id)])


async def test_a_reply_to_the_reminder_answers_its_round_not_the_newest(db: Database) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    checkin_id = (await open_rounds(db))["checkin"]
    assert await checkins.remind_due(db, NOW + 18 * HOUR) == 2
    await deliver(db, NOW)
    await guided_step_open(db)
    await deliver(db, NOW)
    reminder = await message_id_of(db, f"remind:{checkin_id}:{ANA.id}")
    assert reminder is not None
    await checkins.answer(db, ANA, "to the reminder", 1, NOW, reply_to=reminder)
    assert await stored_answers(db) == [("checkin", ANA.id, "to the reminder")]


async def test_a_round_counts_as_received_from_when_its_question_first_arrived(
    db: Database,
) -> None:
    """A reminder quoting the check-in arrives later than its prompt did: a message Ana wrote
    between the two still answers the check-in (she had its question), on both engines."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)  # the check-in reaches both
    checkin_id = (await open_rounds(db))["checkin"]
    assert await checkins.remind_due(db, NOW + 18 * HOUR) == 2
    await deliver(db, NOW + 18 * HOUR)  # then its reminder
    assert await message_id_of(db, f"remind:{checkin_id}:{ANA.id}") is not None
    result = await checkins.answer(
        db, ANA, "written before the reminder", 1, NOW + 18 * HOUR + 5, written_at=NOW + HOUR
    )
    assert result.outcome is AnswerOutcome.SAVED and result.round_id == checkin_id
    assert await stored_answers(db) == [("checkin", ANA.id, "written before the reminder")]


async def test_a_reply_to_already_open_answers_its_round(db: Database) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    shown = await checkins.start_round(db, ANA.id, NOW)
    assert shown.outcome is StartOutcome.ALREADY_OPEN and shown.round_id is not None
    await checkins.record_quote(db, ANA.id, shown.round_id, 777, NOW)  # the message it became
    await guided_step_open(db)
    await deliver(db, NOW)
    await checkins.answer(db, ANA, "to already-open", 1, NOW, reply_to=777)
    assert await stored_answers(db) == [("checkin", ANA.id, "to already-open")]


async def test_unpairing_withdraws_the_couples_queue_but_earned_reveals(db: Database) -> None:
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    await checkins.answer(db, ANA, "a", 1, NOW)
    await checkins.answer(db, BEN, "b", 2, NOW)  # a reveal both earned, still queued
    await checkins.set_window(db, ANA.id, 12, NOW)  # an options notice to Ben
    await checkins.start_round(db, ANA.id, NOW)  # new prompts to both
    await checkins.answer(db, ANA, "c", 3, NOW)  # nothing: Ana has not received it
    couple = await pairing.current_couple(db, ANA.id)
    assert couple is not None
    await pairing.unpair(db, BEN.id, couple.id, NOW)
    left = await pending_keys(db)
    assert sorted(k.split(":")[0] for k in left) == ["reveal", "reveal", "unpaired"]


async def _round(db: Database, round_id: int) -> rounds.Round:
    async with db.read() as uow:
        found = await uow.rounds.get(round_id)
    assert found is not None
    return found


async def test_a_message_written_before_a_question_reached_its_author_is_not_filed_under_it(
    db: Database,
) -> None:
    """Written before the guided step reached Ana, handled just after: it belongs to what she
    had received when she wrote it (the check-in), not to the step (found by a review)."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    await guided_step_open(db)
    await deliver(db, NOW + 1)  # the step reaches both at NOW + 1
    result = await checkins.answer(db, ANA, "written at NOW", 1, NOW + 2, written_at=NOW)
    assert result.outcome is AnswerOutcome.SAVED
    assert await stored_answers(db) == [("checkin", ANA.id, "written at NOW")]
    # Written once the step had arrived, it answers the step.
    later = await checkins.answer(db, BEN, "written at NOW + 1", 2, NOW + 2, written_at=NOW + 1)
    assert later.round_id == (await open_rounds(db))["repair"]


async def test_an_answer_is_never_moved_to_a_question_its_author_has_not_received(
    db: Database,
) -> None:
    """A forged "It's for: …" naming a round whose prompt has not reached Ana yet (queued,
    held back) moves nothing: her words would sit under a question she never saw."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)  # the check-in reached both
    await guided_step_open(db)  # the step's prompt is queued, not yet accepted
    rounds_open = await open_rounds(db)
    assert (await checkins.answer(db, ANA, "mine", 1, NOW)).round_id == rounds_open["checkin"]
    moved = await checkins.move_answer(db, ANA, rounds_open["checkin"], rounds_open["repair"], NOW)
    assert moved.outcome is AnswerOutcome.STALE
    assert await stored_answers(db) == [("checkin", ANA.id, "mine")]


async def test_ending_a_pairing_deletes_an_unmatched_answer_unread(db: Database) -> None:
    """Ana answered, Ben never did: ended by unpairing, or by Ben erasing himself, her words
    are deleted, never kept where a later export or reveal could show them."""
    for end in ("unpair", "erase"):
        await paired(db)
        await checkins.start_round(db, ANA.id, NOW)
        await deliver(db, NOW)
        await checkins.answer(db, ANA, f"unmatched before {end}", 1, NOW)
        assert await stored_answers(db) == [("checkin", ANA.id, f"unmatched before {end}")]
        couple = await pairing.current_couple(db, ANA.id)
        assert couple is not None
        if end == "unpair":
            assert await pairing.unpair(db, BEN.id, couple.id, NOW) is not None
        else:
            await privacy.erase(db, BEN.id, NOW)
        assert await stored_answers(db) == []
        await deliver(db, NOW)


async def test_message_ids_are_per_chat_and_never_mixed_between_partners(db: Database) -> None:
    """Telegram numbers messages per chat, so Ana's message 5 and Ben's message 5 are
    different messages: the same number in the partner's chat never makes Ana's answer a
    "duplicate", nor her reply a reply to the partner's question."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    await deliver(db, NOW)
    first = (await open_rounds(db))["checkin"]
    bens_prompt = await message_id_of(db, f"prompt:{first}:{BEN.id}")
    assert bens_prompt is not None
    assert await checkins.close_due(db, NOW + 2 * 24 * HOUR) == 1  # nobody answered it
    await deliver(db, NOW + 2 * 24 * HOUR)
    later = NOW + 2 * 24 * HOUR
    await checkins.start_round(db, ANA.id, later)
    await deliver(db, later)
    second = (await open_rounds(db))["checkin"]
    # Ana replies to her own message that has the number of Ben's old prompt in his chat.
    mine = await checkins.answer(db, ANA, "to this one", 7, later, reply_to=bens_prompt)
    assert mine.outcome is AnswerOutcome.SAVED and mine.round_id == second
    # Ben's answer is his message 7 too: a message of its own, not a repeat of Ana's.
    his = await checkins.answer(db, BEN, "mine as well", 7, later)
    assert his.outcome is AnswerOutcome.REVEALED
