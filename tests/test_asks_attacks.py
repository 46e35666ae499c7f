"""Attacks on the double-blind ask (bot.asks): presses before a question arrived, a word moved
away, a long word split by the client, two presses at once, stale and foreign presses, and
what /export, /history and the logs may hold before the reveal."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot import ask_kinds, asks, checkins, pairing, privacy
from bot.checkins import AnswerOutcome
from bot.models import Person
from bot.storage import rounds
from bot.storage.db import Database
from bot.storage.rounds import Round
from bot.storage.unit import Unit
from testing.probes import deliver, message_id_of
from testing.seeding import INVITE_KEY
from tests.test_concurrency import Meet, _this_tests_schema, no_errors, once_after  # noqa: F401

ANA, BEN, CARA = Person(101, "Ana"), Person(202, "Ben"), Person(303, "Cara")
NOW = 1_800_000_000
KIND = "attack-ask"


async def _question(uow: Unit, current: Round, language: str) -> str:
    return f"How did it go with thing {current.subject_id}?"


@dataclass(frozen=True)
class _Words(ask_kinds.Kind):
    """Options with test words (a real kind's words live in its locale files)."""

    def label(self, option: str, language: str) -> str:
        return f"{option}-word"


ask_kinds.register(_Words(KIND, _question, options=("kept", "partly", "not"), labels="test"))


async def paired(db: Database, a: Person = ANA, b: Person = BEN) -> None:
    code = (await pairing.create_invite(db, a, NOW, INVITE_KEY)).code
    await pairing.join(db, b, code, NOW, INVITE_KEY)


async def open_one(db: Database, subject: int = 7, when: dict[int, int] | None = None) -> int:
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        return await asks.open_ask(uow, couple, KIND, when=when or {}, now=NOW, subject_id=subject)


def texts_to(sent: list[tuple[int, str, str]], chat_id: int) -> list[str]:
    return [text for chat, _, text in sent if chat == chat_id]


async def _both_have(db: Database, ask: int) -> None:
    await deliver(db, NOW)
    for person in (ANA, BEN):
        assert await message_id_of(db, f"prompt:{ask}:{person.id}") is not None


async def test_moving_a_word_out_of_an_ask_keeps_the_choice_beside_it(db: Database) -> None:
    """A check-in and an ask open at once: a plain message goes to the newest (the ask), as a
    word beside the choice; "It's for: <the check-in>" moves the word, never the choice."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    ask = await open_one(db)
    await deliver(db, NOW)
    assert await asks.choose(db, ANA.id, ask, 2, NOW + 1) is asks.Outcome.SAVED
    told = texts_to(await deliver(db, NOW + 1), BEN.id)
    assert any("Ana" in text for text in told)  # "Ana has answered" went out
    filed = await checkins.answer(db, ANA, "for the check-in", 50, NOW + 2)
    assert filed.round_id == ask and filed.others  # the newest round received: the ask
    (checkin,) = [other for other, _ in filed.others]
    moved = await checkins.move_answer(db, ANA, ask, checkin, NOW + 3)
    assert moved.outcome is AnswerOutcome.SAVED and moved.round_id == checkin
    async with db.read() as uow:
        kept = (await uow.rounds.answers(ask))[ANA.id]
    assert kept.choice == "not" and kept.text == ""  # the word went, the choice stayed
    # Ben was told Ana answered the ask: his press reveals it, without the moved word.
    assert await asks.choose(db, BEN.id, ask, 0, NOW + 4) is asks.Outcome.REVEALED
    (reveal,) = [text for chat, key, text in await deliver(db, NOW + 4)
                 if chat == BEN.id and key.startswith(f"reveal:{ask}:")]  # fmt: skip
    assert "not-word" in reveal and "for the check-in" not in reveal


async def test_a_long_word_split_by_the_client_is_revealed_whole(db: Database) -> None:
    """A client splits a text over 4096 characters: the partner's press between the parts
    waits a few seconds for the rest, as a check-in's reveal does."""
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 0, NOW) is asks.Outcome.SAVED
    first = "a" * checkins.LONG_PART
    assert (await checkins.answer(db, ANA, first, 50, NOW + 1)).outcome is AnswerOutcome.SAVED
    assert await asks.choose(db, BEN.id, ask, 1, NOW + 2) is asks.Outcome.HELD
    assert not [key for _, key, _ in await deliver(db, NOW + 2) if key.startswith("reveal:")]
    rest = await checkins.answer(db, ANA, "the end of it", 51, NOW + 2)
    assert rest.outcome is AnswerOutcome.REVEALED  # joined, and nothing more can come
    sent = await deliver(db, NOW + 2)
    to_ben = " ".join(texts_to(sent, BEN.id))
    assert "the end of it" in to_ben and "partly-word" in to_ben and "kept-word" in to_ben


async def test_a_press_before_the_question_reached_the_presser_changes_nothing(
    db: Database,
) -> None:
    """Ana's question waits for her morning; a forged press of it (the round id is easy to
    guess) neither answers it nor lets Ben's press reveal it before she has it."""
    await paired(db)
    ask = await open_one(db, when={ANA.id: NOW + 3600})
    await deliver(db, NOW, due_by=NOW)  # Ben has his; Ana's waits
    assert await message_id_of(db, f"prompt:{ask}:{ANA.id}") is None
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 1) is asks.Outcome.STALE
    assert await asks.choose(db, BEN.id, ask, 1, NOW + 2) is asks.Outcome.SAVED
    async with db.read() as uow:
        assert set(await uow.rounds.answers(ask)) == {BEN.id}
    sent = await deliver(db, NOW + 3600)
    assert [key for _, key, _ in sent if key.startswith("reveal:")] == []
    # Once it reached her, her press counts.
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 3601) is asks.Outcome.REVEALED


async def test_presses_after_the_couple_ended_or_the_partner_erased_change_nothing(
    db: Database,
) -> None:
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 1, NOW) is asks.Outcome.SAVED
    assert await privacy.erase(db, BEN.id, NOW + 1) is privacy.EraseOutcome.ERASED
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 2) is asks.Outcome.STALE
    async with db.read() as uow:
        assert await uow.rounds.answers(ask) == {}  # deleted unread
    # Re-paired with someone else: the old round is still not hers to answer.
    await paired(db, ANA, CARA)
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 3) is asks.Outcome.STALE
    assert await asks.choose(db, CARA.id, ask, 0, NOW + 3) is asks.Outcome.STALE
    assert [k for _, k, _ in await deliver(db, NOW + 3) if k.startswith("reveal:")] == []


async def test_an_ended_pairing_cancels_its_ask_and_a_later_press_is_stale(db: Database) -> None:
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, BEN.id, ask, 2, NOW) is asks.Outcome.SAVED
    async with db.read() as uow:
        couple = await uow.couples.active_for(ANA.id)
    assert couple is not None
    assert await pairing.unpair(db, ANA.id, couple.id, NOW + 1) is not None
    await paired(db)  # the same two pair again: a new couple
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 2) is asks.Outcome.STALE
    async with db.read() as uow:
        assert await uow.rounds.answers(ask) == {}


async def test_a_first_word_after_a_choice_is_saved_not_said_to_replace_the_answer(
    db: Database,
) -> None:
    """asks.saved invites a few words: the first must not read "this replaces your earlier
    answer" (the choice stays); a second word does replace the first."""
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 1, NOW) is asks.Outcome.SAVED
    first = await checkins.answer(db, ANA, "a few words", 50, NOW + 1)
    assert first.outcome is AnswerOutcome.SAVED
    second = await checkins.answer(db, ANA, "better words", 51, NOW + 2)
    assert second.outcome is AnswerOutcome.REPLACED
    async with db.read() as uow:
        mine = (await uow.rounds.answers(ask))[ANA.id]
    assert (mine.choice, mine.text) == ("partly", "better words")


async def test_a_forged_move_of_a_choice_alone_files_no_empty_answer(db: Database) -> None:
    """ "It's for: …" with forged rounds: a choice without words has nothing to move, and an
    empty answer must never reach a check-in (Ben's answer would reveal beside it)."""
    await paired(db)
    checkin_result = await checkins.start_round(db, ANA.id, NOW)
    assert checkin_result.outcome is checkins.StartOutcome.STARTED
    ask = await open_one(db)
    await deliver(db, NOW)
    async with db.read() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        (checkin,) = [r.id for r in await uow.rounds.open_rounds(couple.id) if r.id != ask]
    assert (await checkins.answer(db, BEN, "ben's check-in", 60, NOW)).round_id == ask
    assert (await checkins.move_answer(db, BEN, ask, checkin, NOW)).round_id == checkin
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 1) is asks.Outcome.SAVED
    moved = await checkins.move_answer(db, ANA, ask, checkin, NOW + 2)
    assert moved.outcome is AnswerOutcome.STALE
    assert [k for _, k, _ in await deliver(db, NOW + 2) if k.startswith("reveal:")] == []
    async with db.read() as uow:
        assert set(await uow.rounds.answers(checkin)) == {BEN.id}


async def test_a_held_reveal_goes_when_no_next_part_comes(db: Database) -> None:
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 0, NOW) is asks.Outcome.SAVED
    assert (await checkins.answer(db, ANA, "b" * checkins.LONG_PART, 50, NOW)).round_id == ask
    assert await asks.choose(db, BEN.id, ask, 2, NOW + 1) is asks.Outcome.HELD
    assert await checkins.reveal_due(db, NOW + 1) == 0  # not yet
    assert await checkins.reveal_due(db, NOW + checkins.JOIN_SECONDS) == 1
    sent = await deliver(db, NOW + checkins.JOIN_SECONDS)
    assert any("not-word" in text for text in texts_to(sent, ANA.id))


async def test_two_presses_at_the_same_moment_give_one_reveal(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes, each with one partner's press, both having read the answers so far."""
    first, second = two
    await paired(first)
    ask = await open_one(first)
    await _both_have(first, ask)
    meet = Meet()
    after_answers(meet, monkeypatch)
    outcomes = no_errors(
        await meet.run(
            asks.choose(first, ANA.id, ask, 0, NOW + 1),
            asks.choose(second, BEN.id, ask, 2, NOW + 1),
        )
    )
    assert sorted(o.value for o in outcomes) == ["revealed", "saved"]
    sent = await deliver(first, NOW + 2)
    reveals = [chat for chat, key, _ in sent if key.startswith(f"reveal:{ask}:")]
    assert sorted(reveals) == [ANA.id, BEN.id]
    assert [chat for chat, key, _ in sent if key.startswith("waiting:")] in ([], [BEN.id], [ANA.id])


def after_answers(meet: Meet, monkeypatch: pytest.MonkeyPatch) -> None:
    real = rounds.Rounds.answers

    async def answers(self: rounds.Rounds, round_id: int) -> dict[int, rounds.Answer]:
        found = await real(self, round_id)
        await meet.point()
        return found

    monkeypatch.setattr(rounds.Rounds, "answers", answers)


async def test_a_press_while_the_ask_is_stopped_leaves_no_choice_and_no_notice(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feature stops the ask (its promise was withdrawn) in another process while Ana's
    press is being stored: her choice is deleted unread with the rest, and Ben is not told
    she answered a question that is gone."""
    first, second = two
    await paired(first)
    ask = await open_one(first)
    await _both_have(first, ask)

    async def stop() -> bool:
        async with second.unit() as uow:
            return await asks.stop(uow, ask, NOW + 1)

    stopped = once_after(rounds.Rounds, "answers", stop, monkeypatch)
    await asks.choose(first, ANA.id, ask, 1, NOW + 1)
    assert await stopped[0]
    async with first.read() as uow:
        assert (await uow.rounds.get(ask)).status == "cancelled"  # type: ignore[union-attr]
        assert await uow.rounds.answers(ask) == {}
    assert [key for _, key, _ in await deliver(first, NOW + 2)] == []
