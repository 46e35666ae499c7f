"""Attacks on the double-blind ask (bot.asks): presses before a question arrived, a word moved
away, a long word split by the client, two presses at once, stale and foreign presses, and
what /export, /history and the logs may hold before the reveal."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import ask_kinds, asks, checkins, pairing, privacy
from bot.checkins import AnswerOutcome
from bot.logs import setup_logging
from bot.models import Person
from bot.storage import outbox, rounds
from bot.storage.db import Database
from bot.storage.rounds import Round
from bot.storage.unit import Unit
from testing.fake_telegram import FakeUser
from testing.journeys import pair
from testing.offline import GROUP_CHAT_ID, Offline, User
from testing.probes import deliver, message_id_of
from testing.runner import BotRunner
from testing.seeding import INVITE_KEY
from tests.test_concurrency import Meet, _this_tests_schema, no_errors, once_after  # noqa: F401

ANA, BEN, CARA = Person(101, "Ana"), Person(202, "Ben"), Person(303, "Cara")
NOW = 1_800_000_000
KIND = "attack-ask"


async def _question(uow: Unit, current: Round, language: str, reader: int) -> str:
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


async def _reveal_of(db: Database, ask: int, reader: int, now: int) -> str:
    sent = await deliver(db, now)
    return " ".join(t for c, k, t in sent if c == reader and k.startswith(f"reveal:{ask}:"))


async def test_a_reply_or_an_edit_after_the_reveal_changes_nothing(db: Database) -> None:
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    question = await message_id_of(db, f"prompt:{ask}:{ANA.id}")
    assert await asks.choose(db, ANA.id, ask, 0, NOW) is asks.Outcome.SAVED
    word = await checkins.answer(db, ANA, "before", 50, NOW + 1, reply_to=question)
    assert word.outcome is AnswerOutcome.SAVED and word.round_id == ask
    assert await asks.choose(db, BEN.id, ask, 1, NOW + 2) is asks.Outcome.REVEALED
    assert "before" in await _reveal_of(db, ask, BEN.id, NOW + 2)
    late = await checkins.answer(db, ANA, "after", 51, NOW + 3, reply_to=question)
    assert late.outcome is AnswerOutcome.CLOSED
    edit = await checkins.answer(db, ANA, "edited", 50, NOW + 4, edited=True)
    assert edit.outcome is AnswerOutcome.IGNORED
    async with db.read() as uow:
        assert (await uow.rounds.answers(ask))[ANA.id].text == "before"
    assert await deliver(db, NOW + 5) == []


async def test_export_and_history_hold_nothing_of_the_partners_before_the_reveal(
    db: Database,
) -> None:
    await paired(db)
    ask = await open_one(db)
    await _both_have(db, ask)
    assert await asks.choose(db, BEN.id, ask, 1, NOW) is asks.Outcome.SAVED
    await checkins.answer(db, BEN, "bens quiet word", 60, NOW + 1)
    await checkins.answer(db, ANA, "anas own word", 61, NOW + 1)
    before = await privacy.export(db, ANA.id, NOW + 2)
    assert before is not None
    shown = repr(before.document)
    assert "partly" not in shown and "bens quiet word" not in shown
    assert before.document["revealed_to_me"] == []
    assert [a["text"] for a in before.document["my_answers"]] == ["anas own word"]
    page = await checkins.history(db, ANA.id, None)
    assert page is not None and page.pages == []
    assert await asks.choose(db, BEN.id, ask, 0, NOW + 3) is asks.Outcome.CHANGED
    assert await asks.choose(db, ANA.id, ask, 2, NOW + 3) is asks.Outcome.REVEALED
    after = await privacy.export(db, ANA.id, NOW + 4)
    assert after is not None
    (revealed,) = after.document["revealed_to_me"]
    assert (revealed["partner_choice"], revealed["partner"]) == ("kept-word", "bens quiet word")
    page = await checkins.history(db, ANA.id, None)
    assert page is not None and "bens quiet word" in " ".join(page.pages)


async def test_the_partners_notice_never_comes_before_their_own_question(db: Database) -> None:
    """Ben's question waits for his morning: "Ana has answered" waits behind it."""
    await paired(db)
    ask = await open_one(db, when={BEN.id: NOW + 3600})
    await deliver(db, NOW, due_by=NOW)
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 1) is asks.Outcome.SAVED
    assert texts_to(await deliver(db, NOW + 1, due_by=NOW + 1800), BEN.id) == []
    keys = [key for chat, key, _ in await deliver(db, NOW + 3600) if chat == BEN.id]
    assert keys == [f"prompt:{ask}:{BEN.id}", f"waiting:{ask}:{BEN.id}"]


async def test_every_message_about_an_ask_is_private_for_discreet_mode(db: Database) -> None:
    """Discreet mode sounds only the neutral line for private rows: the question may hold a
    promise's words, the notice says the partner answered, the reveal holds both."""
    await paired(db)
    ask = await open_one(db)
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(f"SELECT dedupe_key, {outbox.READ_COLUMNS} FROM outbox")
    questions = [r for r in rows if r["dedupe_key"].startswith(f"prompt:{ask}:")]
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 0, NOW) is asks.Outcome.SAVED
    await deliver(db, NOW)
    assert await asks.choose(db, BEN.id, ask, 1, NOW) is asks.Outcome.REVEALED
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(f"SELECT dedupe_key, {outbox.READ_COLUMNS} FROM outbox")
    about = [[*r["dedupe_key"].split(":"), r["private"]] for r in rows]
    kinds = {
        kind: private
        for kind, of, *_, private in about
        if of == str(ask) and kind not in ("paired", "offer")  # the couple's, not the ask's
    }
    assert len(questions) == 2 and kinds == {"prompt": 1, "waiting": 1, "reveal": 1}


ANA_TG, BEN_TG, CAL_TG, DEE_TG = (
    User(1001, "Ana"),
    User(2002, "Ben"),
    User(3003, "Cal"),
    User(4004, "Dee"),
)


async def _offline_ask(bot: Offline, a: User, b: User) -> int:
    async with bot.db.unit() as uow:
        couple = await uow.couples.active_for(a.id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, KIND, when={}, now=bot.services.now())
    await bot.deliver()
    return ask


async def test_forged_and_group_presses_act_on_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA_TG, BEN_TG)
        await bot.pair(CAL_TG, DEE_TG)
        ask = await _offline_ask(bot, ANA_TG, BEN_TG)
        theirs = await _offline_ask(bot, CAL_TG, DEE_TG)
        before = await bot.dump(ignore=("users.last_seen",))
        for who, data, group in (
            (ANA_TG, f"v1:ask:{ask}:0", True),  # the right button, in a group
            (ANA_TG, f"v1:ask:{theirs}:0", False),  # another couple's ask
            (CAL_TG, f"v1:ask:{ask}:1", False),
            (ANA_TG, f"v1:ask:{ask}:3", False),  # no such option
            (ANA_TG, f"v1:ask:{ask}:9", False),
            (ANA_TG, f"v1:ask:{ask}:10", False),
            (ANA_TG, f"v1:ask:{2**62}:0", False),  # huge ids
            (ANA_TG, f"v1:ask:{2**63}:0", False),
            (ANA_TG, "v1:ask:99999999999999999999:0", False),
            (ANA_TG, f"v1:ask:{ask}:0:0", False),  # an extra field
            (ANA_TG, f"v2:ask:{ask}:0", False),  # another version, another tag
            (ANA_TG, f"v1:mv:{ask}:{theirs}", False),
            (ANA_TG, f"v1:ask:-{ask}:0", False),
        ):
            calls = await bot.run(bot.updates.button(who, data, group=group))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
            assert bot.sent(GROUP_CHAT_ID) == []
        assert await bot.dump(ignore=("users.last_seen",)) == before
        # The real press, in her own chat, is taken.
        calls = await bot.run(bot.updates.button(ANA_TG, f"v1:ask:{ask}:1"))
        assert [c.chat_id for c in calls if c.method == "sendMessage"] == [ANA_TG.id]


async def test_a_word_before_any_choice_is_told_to_choose_too(tmp_path: Path) -> None:
    """An ask is answered by its buttons: a word typed first is kept, and the reply must not
    say "your answer stays private until Ben has answered" (she has not answered; Ben is not
    told, and nothing would ever be revealed). It says to choose an option."""
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA_TG, BEN_TG)
        ask = await _offline_ask(bot, ANA_TG, BEN_TG)
        (reply,) = [c for c in await bot.send(ANA_TG, "a word first") if c.chat_id == ANA_TG.id]
        assert "choose" in reply.plain.lower() and "How did it go" in reply.plain
        assert await bot.queued(BEN_TG.id) == []  # nothing to tell Ben yet
        await bot.run(bot.updates.button(ANA_TG, f"v1:ask:{ask}:1"))
        (again,) = [c for c in await bot.send(ANA_TG, "a better word") if c.chat_id == ANA_TG.id]
        assert "replaces" in again.plain and "choose" not in again.plain.lower()


async def test_the_real_application_asks_hides_and_reveals_once(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    """Through the fake Bot API: each presses privately, a long word split by Ben's client
    comes whole, and the reveal is the only place either sees the other's answer."""
    await pair(ana, ben)
    services = bot.services
    async with services.database.unit() as uow:
        couple = await uow.couples.active_for(ana.chat_id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, KIND, when={}, now=services.now(), subject_id=3)
    question_to_ana = await ana.wait_for("thing 3")
    question_to_ben = await ben.wait_for("thing 3")
    await ana.press(question_to_ana, dict(question_to_ana.buttons)["not-word"])
    await ana.wait_for("add a few words")
    notice = await ben.wait_for("has answered")
    assert "not-word" not in notice.plain
    await ana.send("anas secret word")
    await ana.wait_for("stays private")
    first = "Ben says " + "b" * checkins.LONG_PART
    await ben.send(first)
    await ben.wait_for("choose one of the options")
    await ben.press(question_to_ben, dict(question_to_ben.buttons)["kept-word"])
    await ben.send("and the end of bens word")  # the client's next part, a moment later
    for user in (ana, ben):
        await user.wait_for("the end of bens word", timeout=10)  # the reveal's last page
        reveal = " ".join(m.plain for m in user.inbox)
        assert "Ana: not-word" in reveal and "Ben <3: kept-word" in reveal
        assert "anas secret word" in reveal and "Ben says" in reveal
    await ben.press(question_to_ben, dict(question_to_ben.buttons)["partly-word"])
    await ben.send("/help")  # once this is answered, the press before it was handled
    await ben.wait_for("What Steady can do")
    assert any("no longer active" in (c.get("text") or "") for c in ben.answered_callbacks)
    await ana.expect_silence()
    assert f"v1:ask:{ask}:1" in dict(question_to_ben.buttons).values()


async def test_an_ask_that_closes_unanswered_is_not_called_a_check_in(db: Database) -> None:
    await paired(db)
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, KIND, when={}, now=NOW, closes_at=NOW + 60)
    await _both_have(db, ask)
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 1) is asks.Outcome.SAVED
    await deliver(db, NOW + 1)
    assert await checkins.close_due(db, NOW + 60) == 1
    closed = texts_to(await deliver(db, NOW + 60), ANA.id)
    assert closed and all("check-in" not in text for text in closed)
    assert all("deleted unread" in text and "How did it go" in text for text in closed)
    async with db.read() as uow:
        assert await uow.rounds.answers(ask) == {}


@pytest.fixture
def debug_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The real process's logging at LOG_LEVEL=DEBUG (bot.logs), every record it lets out
    caught by caplog; put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    names = ("aiosqlite", "httpx", "httpcore", "hpack", "aiohttp", "asyncio", "psycopg")
    levels = {name: logging.getLogger(name).level for name in (*names, "telegram", "apscheduler")}
    setup_logging("DEBUG", [])
    yield caplog
    root.handlers[:], root.level = handlers, level
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


async def test_at_debug_the_logs_hold_no_choice_and_no_word(
    bot: BotRunner, ana: FakeUser, ben: FakeUser, debug_logging: pytest.LogCaptureFixture
) -> None:
    await pair(ana, ben)
    services = bot.services
    async with services.database.unit() as uow:
        couple = await uow.couples.active_for(ana.chat_id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, KIND, when={}, now=services.now(), subject_id=3)
    to_ana, to_ben = await ana.wait_for("thing 3"), await ben.wait_for("thing 3")
    await ana.press(to_ana, dict(to_ana.buttons)["partly-word"])
    await ana.wait_for("add a few words")
    await ana.send("Glimmerquartz")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered")
    await ben.press(to_ben, dict(to_ben.buttons)["not-word"])
    await ben.wait_for("Glimmerquartz")
    logging.getLogger("bot.test").debug("a record at DEBUG gets through")
    logs = debug_logging.text
    assert "a record at DEBUG gets through" in logs
    for secret in ("Glimmerquartz", "partly-word", "not-word", f"v1:ask:{ask}:"):
        assert secret not in logs, secret


WORDS_KIND = ask_kinds.register(ask_kinds.Kind("attack-words", _question))


async def test_a_words_ask_tells_the_partner_without_calling_it_a_check_in(db: Database) -> None:
    """An ask answered in words: the partner is told, as of a check-in, but of a question."""
    await paired(db)
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, WORDS_KIND.name, when={}, now=NOW, subject_id=4)
    await _both_have(db, ask)
    saved = await checkins.answer(db, ANA, "anas words", 50, NOW + 1)
    assert saved.outcome is AnswerOutcome.SAVED and not saved.choose_too
    (notice,) = texts_to(await deliver(db, NOW + 1), BEN.id)
    assert "Ana" in notice and "check-in" not in notice and "anas words" not in notice
    assert (await checkins.answer(db, BEN, "bens", 51, NOW + 2)).outcome is AnswerOutcome.REVEALED
    assert "anas words" in await _reveal_of(db, ask, BEN.id, NOW + 2)


async def test_a_reply_to_an_asks_question_after_the_reveal_is_not_called_a_check_in(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA_TG, BEN_TG)
        ask = await _offline_ask(bot, ANA_TG, BEN_TG)
        question = await message_id_of(bot.db, f"prompt:{ask}:{ANA_TG.id}")
        for user in (ANA_TG, BEN_TG):
            await bot.run(bot.updates.button(user, f"v1:ask:{ask}:0"))
        await bot.deliver()
        late = bot.updates.text(ANA_TG, "one more thing", reply_to_message={
            "message_id": question, "date": 0, "chat": {"id": ANA_TG.id, "type": "private"},
        })  # fmt: skip
        (reply,) = [c for c in await bot.run(late) if c.method == "sendMessage"]
        assert "check-in" not in reply.plain and "no longer open" in reply.plain


async def test_a_process_that_does_not_know_the_kind_never_reveals_an_unmatched_word(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ana wrote a word and never chose; Ben chose. A process without the kind's feature
    loaded (a tool, or a kind since removed) closes the ask: it cannot tell whether both
    answered, so it must delete unread rather than reveal Ana's word as if both had."""
    await paired(db)
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        ask = await asks.open_ask(uow, couple, KIND, when={}, now=NOW, closes_at=NOW + 60)
    await _both_have(db, ask)
    assert (await checkins.answer(db, ANA, "anas unmatched word", 50, NOW)).choose_too
    assert await asks.choose(db, BEN.id, ask, 0, NOW) is asks.Outcome.SAVED
    await deliver(db, NOW)
    monkeypatch.setattr(ask_kinds, "_KINDS", {})  # this process knows no ask kind
    assert await checkins.close_due(db, NOW + 60) == 1
    sent = await deliver(db, NOW + 60)
    assert all("anas unmatched word" not in text for _, _, text in sent)
    async with db.read() as uow:
        assert (await uow.rounds.get(ask)).status == "expired"  # type: ignore[union-attr]
        assert await uow.rounds.answers(ask) == {}
