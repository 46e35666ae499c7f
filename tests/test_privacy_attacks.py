"""Attacks on /export and /delete: a partner exporting to read an answer not revealed to them,
an erased person's words left somewhere, an erasure racing delivery, the tick or the partner,
and an erased person whose old messages and buttons keep coming.

Domain calls on either engine (the `db` and `two` fixtures); handler paths through the real
application offline (testing.offline)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import time
from pathlib import Path

import pytest
from telegram import Bot

from bot import checkins, pairing, privacy, reachability, scheduling
from bot.checkins import AnswerOutcome
from bot.models import Outgoing, Person
from bot.pairing import JoinOutcome
from bot.privacy import EraseOutcome
from bot.schedule_rules import EVERY_DAY, Schedule
from bot.storage import invites, outbox, rounds, schedules, users
from bot.storage.db import Database
from bot.telegram_http import AiohttpRequest
from scheduler.clock import Clock
from scheduler.delivery import Delivery
from testing.clock import StoppedClock
from testing.engines import on_postgres
from testing.fake_telegram import FakeTelegram
from testing.offline import Offline, User
from testing.probes import deliver, holding, open_rounds, pending
from testing.seeding import INVITE_KEY, guided_step_open
from tests.test_concurrency import _this_tests_schema, once_after, value  # noqa: F401

# Ids and words no timestamp, key or prompt could hold by chance.
ANA = Person(7_315_004_211, "Anazofia")
BEN = Person(6_208_113_957, "Benedek")
CAL = Person(5_107_220_843, "Calloway")
NOW = 1_800_000_000
SECRET = "quokka-violin"
LONG = checkins.LONG_PART


async def paired(db: Database, now: int = NOW - 600) -> int:
    code = (await pairing.create_invite(db, ANA, now, INVITE_KEY)).code
    assert code is not None
    joined = await pairing.join(db, BEN, code, now, INVITE_KEY)
    assert joined.couple is not None
    await deliver(db, now)
    return joined.couple.id


async def received_round(db: Database, now: int = NOW) -> int:
    """A check-in both partners have received."""
    await checkins.start_round(db, ANA.id, now)
    await deliver(db, now)
    return (await open_rounds(db))["checkin"]


async def exported(db: Database, person: Person, now: int = NOW + 3600) -> str:
    data = await privacy.export(db, person.id, now)
    assert data is not None
    return json.dumps(data.document, ensure_ascii=False)


async def guided_step(db: Database) -> int:
    """The first step of a guided conversation, received by both (after a break both ended
    ready to talk); its round id."""
    await guided_step_open(db, ANA, BEN, NOW)
    await deliver(db, NOW)
    return (await open_rounds(db))["repair"]


# --- a partner's export never holds an answer not revealed to them ----------------------------


async def test_a_reveal_held_for_a_long_answers_next_part_is_not_in_the_partners_export(
    db: Database,
) -> None:
    await paired(db)
    await received_round(db)
    long = SECRET + "x" * LONG
    assert (await checkins.answer(db, ANA, long, 1, NOW)).outcome is AnswerOutcome.SAVED
    held = await checkins.answer(db, BEN, "his words", 2, NOW + 1)
    assert held.outcome is AnswerOutcome.HELD  # both answered; not revealed yet
    assert SECRET not in await exported(db, BEN)
    assert SECRET in await exported(db, ANA)


async def test_a_long_answers_parts_are_not_in_the_partners_export(db: Database) -> None:
    await paired(db)
    await received_round(db)
    await checkins.answer(db, ANA, "x" * LONG, 1, NOW)
    joined = await checkins.answer(db, ANA, SECRET, 2, NOW + 1)
    assert joined.outcome is AnswerOutcome.JOINED
    assert SECRET not in await exported(db, BEN)
    assert SECRET in await exported(db, ANA)


async def test_an_answer_moved_or_given_to_a_guided_step_is_not_in_the_partners_export(
    db: Database,
) -> None:
    await paired(db)
    step = await guided_step(db)
    checkin = await received_round(db)
    saved = await checkins.answer(db, ANA, SECRET, 1, NOW + 5)
    assert saved.round_id == checkin and [r for r, _ in saved.others] == [step]
    moved = await checkins.move_answer(db, ANA, checkin, step, NOW + 6)
    assert moved.outcome is AnswerOutcome.SAVED and moved.round_id == step
    await checkins.answer(db, ANA, "edited " + SECRET, 1, NOW + 7, edited=True)
    assert SECRET not in await exported(db, BEN)
    assert "edited " + SECRET in await exported(db, ANA)


# --- nothing of hers is left ------------------------------------------------------------------


async def test_the_partners_unpair_notice_naming_her_is_erased_with_her(db: Database) -> None:
    """She unpaired, then erases: Ben's "Anazofia ended your pairing" still waits (he may have
    blocked the bot, so it waits up to 30 days). It names her: it goes with her."""
    couple = await paired(db)
    assert await pairing.unpair(db, ANA.id, couple, NOW) is not None
    assert any(ANA.first_name in text for _, _, text in await pending(db))
    assert await privacy.erase(db, ANA.id, NOW + 60) is EraseOutcome.ERASED
    assert await holding(db, ANA.id, ANA.first_name) == []


async def test_a_send_on_the_wire_while_she_is_erased_records_nothing_of_hers(
    db: Database,
) -> None:
    """Delivery took her prompt (and Ben's, which names her) and Telegram accepts them after
    the erasure committed: recording those sends writes no row of hers back."""
    await paired(db)
    await checkins.start_round(db, ANA.id, NOW)
    async with db.unit() as uow:
        rows = await uow.outbox.ready(NOW, 100)
        await uow.outbox.mark_inflight([r.id for r in rows])
    assert {r.chat_id for r in rows} == {ANA.id, BEN.id}
    assert await privacy.erase(db, ANA.id, NOW) is EraseOutcome.ERASED
    async with db.unit() as uow:
        await uow.outbox.mark_sent([(r.id, 900 + r.id) for r in rows], NOW + 1)
    assert await holding(db, ANA.id, ANA.first_name) == []


async def test_erasing_during_a_guided_conversation_leaves_nothing_of_hers(db: Database) -> None:
    await paired(db)
    step = await guided_step(db)
    await checkins.answer(db, ANA, SECRET, 1, NOW + 1)  # unmatched; Ben is told she answered
    assert await privacy.erase(db, ANA.id, NOW + 2) is EraseOutcome.ERASED
    assert await holding(db, ANA.id, ANA.first_name, SECRET) == []
    [(chat, key, _)] = await pending(db)
    assert chat == BEN.id and key.startswith("pairing_ended:")
    assert step not in (await open_rounds(db)).values()


@pytest.mark.skipif(on_postgres(), reason="the file and its WAL are SQLite's")
async def test_no_word_of_a_long_edited_moved_answer_stays_in_the_sqlite_file(
    db: Database,
) -> None:
    """Overflow pages of a long answer, its parts, an edited part's old text, a reveal queued
    for Ben: none of it may stay in the database file or its WAL."""
    await paired(db)
    await received_round(db)
    first, second = "A" + SECRET * (LONG // len(SECRET)), "B" + SECRET * 300
    await checkins.answer(db, ANA, first, 1, NOW)
    await checkins.answer(db, ANA, second, 2, NOW + 1)
    await checkins.answer(db, ANA, "C" + SECRET * 10, 1, NOW + 2, edited=True)
    await checkins.answer(db, BEN, "his words", 3, NOW + 10)  # the reveal is queued for both
    assert SECRET in str(await pending(db))
    assert await privacy.erase(db, ANA.id, NOW + 11) is EraseOutcome.ERASED
    path = db.path
    assert path is not None
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert SECRET.encode() not in file.read_bytes(), file


# --- an erased person's updates keep coming ----------------------------------------------------


async def test_her_edits_replies_and_buttons_after_the_erasure_store_nothing(
    db: Database,
) -> None:
    await paired(db)
    checkin = await received_round(db)
    await checkins.answer(db, ANA, "first " + SECRET, 1, NOW)
    assert await privacy.erase(db, ANA.id, NOW + 1) is EraseOutcome.ERASED
    later = NOW + 2
    # An edit of her old answer, a reply to the old prompt, a plain message, a "file it under"
    # button: each is refused; none writes her back.
    edit = await checkins.answer(db, ANA, "edited " + SECRET, 1, later, edited=True)
    reply = await checkins.answer(db, ANA, "reply " + SECRET, 5, later, reply_to=10_001)
    plain = await checkins.answer(db, ANA, "plain " + SECRET, 6, later)
    moved = await checkins.move_answer(db, ANA, checkin, checkin + 1, later)
    assert {edit.outcome, reply.outcome, plain.outcome} == {AnswerOutcome.NOT_PAIRED}
    assert moved.outcome is AnswerOutcome.STALE
    # Blocking the bot after erasing (a 403 for a send already on the wire, or her
    # my_chat_member update), then unblocking it.
    assert not await reachability.set_reachable(db, ANA.id, False, later)
    assert not await reachability.set_reachable(db, ANA.id, True, later)
    assert await privacy.erase(db, ANA.id, later) is EraseOutcome.UNKNOWN  # the old button
    assert await holding(db, ANA.id, ANA.first_name, SECRET) == []


# --- races (on PostgreSQL as two processes; SQLite serialises them) --------------------------

SLOT = NOW + 7200


async def test_erasing_while_the_tick_opens_the_couples_round_is_no_deadlock(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two
    await paired(first, SLOT - 7200)
    every_day = Schedule(EVERY_DAY, time(20, 0))
    await scheduling.set_schedule(first, ANA.id, every_day, SLOT - 7200, "UTC")
    await deliver(first, SLOT - 7200)
    due = await value(first, "SELECT next_due_at FROM schedules")
    erased = once_after(
        schedules.Schedules,
        "due_slots",
        lambda: privacy.erase(second, ANA.id, due),
        monkeypatch,
    )
    await scheduling.run_due(first, due, 2 * 3600, "UTC")
    assert await erased[0] is EraseOutcome.ERASED
    assert await holding(first, ANA.id, ANA.first_name) == []


async def test_erasing_while_the_partner_answers_sends_him_nothing_of_hers(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben's answer, the second, is being saved (it holds the couple) when she erases: the
    reveal it queues holds her words and is withdrawn with her."""
    first, second = two
    await paired(first)
    await received_round(first)
    await checkins.answer(first, ANA, SECRET, 1, NOW)
    erased = once_after(
        rounds.Rounds,
        "open_for_answer",
        lambda: privacy.erase(second, ANA.id, NOW + 1),
        monkeypatch,
    )
    answered = await checkins.answer(first, BEN, "his words", 2, NOW + 1)
    assert await erased[0] is EraseOutcome.ERASED
    assert answered.outcome in (AnswerOutcome.REVEALED, AnswerOutcome.NOT_PAIRED)
    assert await holding(first, ANA.id, ANA.first_name, SECRET) == []
    assert [key.split(":")[0] for _, key, _ in await pending(first)] == ["pairing_ended"]


@pytest.mark.skipif(
    not on_postgres(),
    reason="several processes sending are a PostgreSQL deployment; one SQLite worker learns of "
    "withdrawn rows through Handoff.withdrawn",
)
@pytest.mark.heavy
async def test_a_send_claimed_by_another_process_waiting_its_turn_is_withdrawn(
    two: tuple[Database, Database], fake: FakeTelegram
) -> None:
    """Delivery.hand_off learns of withdrawn rows only from its own process's units; with
    several workers, the send is fenced instead: just before it goes out, the row must still
    be held under this worker's lease (Outbox.hold), and an erased row is not."""
    first, second = two
    await paired(second)
    fake.user(BEN.id, BEN.first_name)
    now = Clock().timestamp()
    async with second.unit() as uow:
        for key in ("first", "reveal"):  # both his couple's, as a reveal to him would be
            await uow.outbox.enqueue(Outgoing(BEN.id, key, key + " " + SECRET), now)
    client = Bot(fake.token, base_url=f"{fake.base_url}/bot", request=AiohttpRequest())
    async with client:
        # Process two's delivery; the chat's next turn is 3 s after "first".
        delivery = Delivery(client, second, Clock(), rate=30, per_chat_interval=3.0)
        await delivery.start()
        try:
            await fake.wait_until(lambda: len(fake.messages_to(BEN.id)) == 1, timeout=10)
            await delivery.recorded()
            async with second.unit() as uow:  # claimed there, as a reveal is
                assert await uow.outbox.claim(["reveal"], Clock().timestamp())
            # She erases herself through process one, while the claimed send waits.
            assert await privacy.erase(first, ANA.id, now) is EraseOutcome.ERASED
            await asyncio.wait_for(delivery.idle(), 10)
        finally:
            await delivery.stop()
    words = [m.plain for m in fake.messages_to(BEN.id) if SECRET in m.plain]
    assert words == ["first " + SECRET]  # and the notice that the pairing ended


@pytest.mark.skipif(on_postgres(), reason="the file and its WAL are SQLite's")
async def test_a_reader_open_during_the_erasure_does_not_keep_her_words_in_the_wal(
    db: Database,
) -> None:
    """Another connection (`make backup`, an owner's sqlite3 shell) reads while she erases
    herself: the WAL cannot be truncated then, and must be once the reader is gone."""
    await paired(db)
    await received_round(db)
    await checkins.answer(db, ANA, SECRET * 50, 1, NOW)
    path = db.path
    assert path is not None
    async with db.read() as uow:  # the erasure waits this long for the reader, not 5 s
        await uow.conn.execute("PRAGMA busy_timeout=50")
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM answers").fetchall()  # a snapshot held
        assert await privacy.erase(db, ANA.id, NOW + 1) is EraseOutcome.ERASED
    finally:
        reader.close()
    for later in range(3):  # life goes on: units commit, the tick runs
        await checkins.answer(db, BEN, f"his words {later}", 10 + later, NOW + 2 + later)
        await deliver(db, NOW + 2 + later)
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert SECRET.encode() not in file.read_bytes(), file


async def test_a_held_reveal_released_by_her_unpairing_is_erased_with_her(db: Database) -> None:
    """Both answered; the reveal waits for her long answer's next part when she unpairs, which
    releases it (both earned it). She erases herself before it went out: it holds her words."""
    couple = await paired(db)
    await received_round(db)
    await checkins.answer(db, ANA, SECRET + "x" * LONG, 1, NOW)
    assert (await checkins.answer(db, BEN, "his words", 2, NOW + 1)).outcome is AnswerOutcome.HELD
    assert await pairing.unpair(db, ANA.id, couple, NOW + 2) is not None
    assert any(SECRET in text and chat == BEN.id for chat, _, text in await pending(db))
    assert await privacy.erase(db, ANA.id, NOW + 3) is EraseOutcome.ERASED
    assert await holding(db, ANA.id, ANA.first_name, SECRET) == []


async def test_after_erasing_her_old_messages_and_buttons_keep_nothing_and_they_can_pair_again(
    tmp_path: Path,
) -> None:
    ana, ben = User(ANA.id, ANA.first_name), User(BEN.id, BEN.first_name)
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ana, ben)
        await bot.send(ana, "/checkin")
        await bot.deliver()
        async with bot.db.read() as uow:
            prompt = await uow.conn.fetch_value(
                "SELECT message_id FROM round_messages WHERE chat_id = ?", (ana.id,)
            )
        answer = bot.updates.text(ana, SECRET)
        await bot.run(answer)
        [question] = await bot.send(ana, "/delete")
        erase_now = question.buttons[0][0][1]
        await bot.run(bot.updates.button(ana, erase_now))
        assert await holding(bot.db, ANA.id, ANA.first_name, SECRET) == []

        quoted = {"message_id": prompt, "date": 0, "chat": {"id": ana.id, "type": "private"}}
        for update in (
            bot.updates.edited(ana, answer.message.message_id, "edited " + SECRET),
            bot.updates.text(ana, "reply " + SECRET, reply_to_message={**quoted, "text": "?"}),
            bot.updates.text(ana, "plain " + SECRET),
            bot.updates.blocked(ana),
            bot.updates.blocked(ana, blocked=False),
            bot.updates.button(ana, "v1:mv:1:2"),  # a "file it under" button she still has
            bot.updates.button(ana, erase_now),  # the old confirmation, pressed again
        ):
            calls = await bot.run(update)
            assert not any(SECRET in c.text for c in calls)
        assert await holding(bot.db, ANA.id, ANA.first_name, SECRET) == []
        [said] = await bot.send(ben, "/checkin")
        assert "/pair" in said.text and SECRET not in said.text
        for said in await bot.send(ben, "/history"):  # his ended pairing: her half erased
            assert SECRET not in said.text and "Anazofia" not in said.text

        # She comes back as someone new; their old pairing is his alone.
        await bot.send(ana, "/start")
        await bot.pair(ana, ben)
        await bot.send(ana, "/checkin")
        await bot.deliver()
        await bot.send(ana, "new words")
        await bot.send(ben, "his new words")
        await bot.deliver()
        for user in (ana, ben):
            await bot.send(user, "/export")
        mine, his = (
            json.loads(next(iter(c.params["files"].values())))
            for c in (bot.sent(ana.id, "sendDocument")[-1], bot.sent(ben.id, "sendDocument")[-1])
        )
        assert [p["partner"] for p in his["pairings"]] == [None, ANA.first_name]
        assert [p["partner"] for p in mine["pairings"]] == [BEN.first_name]
        assert [a["text"] for a in mine["my_answers"]] == ["new words"]
        assert SECRET not in json.dumps(his) + json.dumps(mine)
        history = await bot.send(ben, "/history")
        assert "new words" in history[0].plain and SECRET not in history[0].plain


async def test_a_send_a_delivery_pass_takes_while_she_is_erased_is_withdrawn(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delivery pass marks her couple's messages in flight and has not committed when she
    erases herself: the erasure deletes them once the pass commits, and must withdraw them
    from delivery too, or the pass sends them."""
    first, second = two
    await paired(first)
    await checkins.start_round(first, ANA.id, NOW)  # a prompt to each, naming the other
    withdrawn: list[int] = []
    second.after_commit.append(lambda uow: withdrawn.extend(uow.handoff.withdrawn))
    erased = once_after(
        outbox.Outbox, "mark_inflight", lambda: privacy.erase(second, ANA.id, NOW), monkeypatch
    )
    async with first.unit() as uow:  # a delivery pass
        taken = await uow.outbox.ready(NOW, 100)
        await uow.outbox.mark_inflight([row.id for row in taken])
    assert await erased[0] is EraseOutcome.ERASED
    assert {row.chat_id for row in taken} == {ANA.id, BEN.id}
    assert sorted(withdrawn) == sorted(row.id for row in taken)


@pytest.mark.parametrize("point", ["find", "lock"])
async def test_joining_her_invite_while_she_erases_herself_leaves_no_half_couple(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    """Ben uses her invite as she erases herself: he is paired and then told it ended, or
    refused; never left in a couple with nobody (which would bar him from pairing again)."""
    first, second = two
    code = (await pairing.create_invite(first, ANA, NOW, INVITE_KEY)).code
    assert code is not None
    where = invites.Invites if point == "find" else users.Users
    erased = once_after(where, point, lambda: privacy.erase(second, ANA.id, NOW), monkeypatch)
    joined = await pairing.join(first, BEN, code, NOW, INVITE_KEY)
    assert await erased[0] is EraseOutcome.ERASED
    assert joined.outcome in (JoinOutcome.PAIRED, JoinOutcome.WRONG)
    assert await holding(first, ANA.id, ANA.first_name) == []
    assert await pairing.current_couple(first, BEN.id) is None
    code = (await pairing.create_invite(first, CAL, NOW + 1, INVITE_KEY)).code
    assert code is not None
    again = await pairing.join(first, BEN, code, NOW + 1, INVITE_KEY)
    assert again.outcome is JoinOutcome.PAIRED


async def test_two_presses_of_erase_at_once_erase_once_and_tell_him_once(
    two: tuple[Database, Database],
) -> None:
    first, second = two
    await paired(first)
    await received_round(first)
    await checkins.answer(first, ANA, SECRET, 1, NOW)
    outcomes = await asyncio.gather(
        privacy.erase(first, ANA.id, NOW + 1), privacy.erase(second, ANA.id, NOW + 1)
    )
    assert sorted(o.value for o in outcomes) == ["erased", "unknown"]
    assert await holding(first, ANA.id, ANA.first_name, SECRET) == []
    assert [key.split(":")[0] for _, key, _ in await pending(first)] == ["pairing_ended"]


async def test_a_delayed_notice_is_withdrawn_when_he_pairs_again_before_it(db: Database) -> None:
    """She asked that Ben be told a day later. He pairs with someone else meanwhile: a day
    later "your pairing has ended" would read as if the new one had."""
    await paired(db)
    assert await privacy.erase(db, ANA.id, NOW, privacy.NOTICE_DELAY) is EraseOutcome.ERASED
    code = (await pairing.create_invite(db, CAL, NOW + 3600, INVITE_KEY)).code
    assert code is not None
    assert (await pairing.join(db, BEN, code, NOW + 3600, INVITE_KEY)).couple is not None
    sent = await deliver(db, NOW + 2 * privacy.NOTICE_DELAY)
    assert [key for chat, key, _ in sent if key.startswith("pairing_ended:")] == []


async def test_erasing_while_his_answer_reveals_a_guided_step_is_no_deadlock(
    two: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """His answer reveals a guided step and opens the next, adding both people to it (a
    foreign key check on her user row) while it holds the couple she waits for."""
    first, second = two
    await paired(first)
    await guided_step(first)
    await checkins.answer(first, ANA, SECRET, 1, NOW + 1)
    erased = once_after(
        rounds.Rounds,
        "open_for_answer",
        lambda: privacy.erase(second, ANA.id, NOW + 2),
        monkeypatch,
    )
    answered = await checkins.answer(first, BEN, "his words", 2, NOW + 2)
    assert await erased[0] is EraseOutcome.ERASED
    assert answered.outcome in (AnswerOutcome.REVEALED, AnswerOutcome.NOT_PAIRED)
    assert await holding(first, ANA.id, ANA.first_name, SECRET) == []
    assert [key.split(":")[0] for _, key, _ in await pending(first)] == ["pairing_ended"]
