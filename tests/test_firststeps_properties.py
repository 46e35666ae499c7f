"""Property tests: whatever the order of presses, words, deliveries, restarts, stops and time,
no first-steps role, step answer or decision reaches the partner before both answered, and
each stage is revealed once."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import asks, checkins, firststeps, pairing
from bot.checkins import AnswerOutcome
from bot.firststeps_words import ROLE_CHOICES
from bot.models import Person
from bot.storage.db import Database
from bot.texts import plain
from testing.engines import database, migrated, scratch
from testing.seeding import INVITE_KEY

A, B = Person(1, "Ana"), Person(2, "Ben")
START = 1_800_000_000
MARKER = re.compile(r"m\d+[AB]")
# What a role or "not sure" reads like anywhere: only a reveal may carry it (and a question its
# buttons, which are not text). "Yes" and "No" are too short to look for; the notes that follow
# a decision are checked by their key instead.
CHOICE_WORDS = [plain(f"firststeps.role.{c}") for c in ROLE_CHOICES] + [
    plain("firststeps.decide.unsure")
]
AFTER_REVEAL = re.compile(r"^(?:reveal|firststeps:(?:roles|yes|no|unsure)):(\d+):")

operations = st.lists(
    st.one_of(
        st.tuples(st.just("choose"), st.sampled_from("AB"), st.integers(0, 3)),
        st.tuples(st.just("words"), st.sampled_from("AB"), st.just(0)),
        st.tuples(st.just("deliver"), st.just(""), st.just(0)),
        st.tuples(st.just("restart"), st.just(""), st.just(0)),
        st.tuples(st.just("tick"), st.just(""), st.sampled_from([1, 30, 24 * 8])),
        st.tuples(st.just("stop"), st.sampled_from("AB"), st.just(0)),
    ),
    max_size=40,
)


@dataclass
class Model:
    now: int = START
    message_id: int = 0
    author_round: dict[str, int] = field(default_factory=dict)  # marker -> round
    latest: dict[tuple[int, int], str] = field(default_factory=dict)  # (round, user) -> marker


async def newest_open(db: Database, user_id: int, received: bool) -> tuple[int, str] | None:
    """The newest open first-steps round of this person (received by them, if asked)."""
    async with db.read() as uow:
        row = await uow.conn.fetch_one(
            "SELECT r.id, r.kind FROM rounds r JOIN round_participants p ON p.round_id = r.id "
            f"WHERE r.status = 'open' AND p.user_id = ? {'AND p.received_at IS NOT NULL' if received else ''} "  # noqa: E501
            "ORDER BY r.id DESC LIMIT 1",
            (user_id,),
        )
    return (row[0], row[1]) if row else None


async def check(db: Database, model: Model) -> None:
    """The invariant, on every message queued or sent so far (texts are not sealed here)."""
    async with db.read() as uow:
        rounds = {r[0]: (r[1], r[2]) for r in await uow.conn.fetch_all(
            "SELECT id, status, kind FROM rounds")}  # fmt: skip
        rows = await uow.conn.fetch_all("SELECT chat_id, dedupe_key, text FROM outbox")
        answered = {(r[0], r[1]): r[2] for r in await uow.conn.fetch_all(
            "SELECT round_id, user_id, choice FROM answers")}  # fmt: skip
    for round_id, (status, _) in rounds.items():  # a stopped stage's answers: deleted unread
        assert status != "cancelled" or not any(r == round_id for r, _ in answered)
    for chat_id, key, text in rows:
        # A reveal, and each note that follows one, only once both answered (both chose, for
        # roles and the decision).
        if found := AFTER_REVEAL.match(key):
            round_id = int(found.group(1))
            status, kind = rounds[round_id]
            assert status == "revealed", f"{key} before the reveal"
            for person in (A, B):
                assert (round_id, person.id) in answered, f"{key} before both answered"
                if kind != "firststep":
                    assert answered[(round_id, person.id)], f"{key} before both chose"
        elif not key.startswith("prompt:"):  # a question is the same whatever anyone chose
            assert not any(word in text for word in CHOICE_WORDS), f"{key} tells a choice"
        for marker in MARKER.findall(text):
            author = A.id if marker.endswith("A") else B.id
            if author == chat_id:
                continue
            round_id = model.author_round[marker]
            assert rounds[round_id][0] == "revealed", "words left before the reveal"
            assert key.startswith(f"reveal:{round_id}:"), "words outside their reveal"
            assert model.latest[(round_id, author)] == marker, "replaced words were shown"


async def deliver(db: Database, model: Model) -> None:
    async with db.unit() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT id FROM outbox WHERE status = 'pending' AND (due_at IS NULL OR due_at <= ?)",
            (model.now,),
        )
        await uow.outbox.mark_sent([(r[0], 1_000_000 + r[0]) for r in rows], model.now)


async def scenario(
    ops: list[tuple[str, str, int]], folder: Path, pace: str, expect_done: bool = False
) -> None:
    path = folder / "p.db"
    db = await Database.open(migrated(path))
    await db.migrate()
    model = Model()
    code = (await pairing.create_invite(db, A, START, INVITE_KEY)).code
    await pairing.join(db, B, code, START, INVITE_KEY)
    async with db.read() as uow:
        journey = await uow.conn.fetch_value("SELECT MAX(id) FROM first_steps")
    await firststeps.say_yes(db, A.id, journey, pace, START)
    await firststeps.say_yes(db, B.id, journey, pace, START)
    try:
        for op, arg, number in ops:
            who = A if arg == "A" else B
            if op == "choose":
                found = await newest_open(db, who.id, received=False)
                if found is not None and found[1] != "firststep":
                    await asks.choose(db, who.id, found[0], number, model.now)
            elif op == "words":
                model.message_id += 1
                marker = f"m{model.message_id}{arg}"
                target = await newest_open(db, who.id, received=True)
                result = await checkins.answer(
                    db, who, f"words {marker}", model.message_id, model.now
                )
                if result.outcome in {
                    AnswerOutcome.SAVED,
                    AnswerOutcome.REPLACED,
                    AnswerOutcome.REVEALED,
                }:
                    assert target is not None
                    model.author_round[marker] = target[0]
                    model.latest[(target[0], who.id)] = marker
            elif op == "deliver":
                await deliver(db, model)
            elif op == "restart":
                await db.close()
                db = await Database.open(database(path))
                await db.migrate()
            elif op == "tick":
                model.now += number * 3600
                await firststeps.run_due(db, model.now, "UTC")
                await checkins.reveal_due(db, model.now)
            elif op == "stop":
                await firststeps.stop(db, who.id, journey, model.now)
            await check(db, model)
        await deliver(db, model)
        await check(db, model)
        # Each revealed stage reached each of them once; no other stage reached anyone.
        async with db.read() as uow:
            stages = await uow.conn.fetch_all(
                "SELECT id, status FROM rounds WHERE kind IN ('fs-roles', 'firststep', 'fs-decide')"
            )
            keys = [r[0] for r in await uow.conn.fetch_all(
                "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE 'reveal:%'")]  # fmt: skip
        if expect_done:
            assert [status for _, status in stages] == ["revealed"] * 4
        for round_id, status in stages:
            for person in (A, B):
                sent = [k for k in keys if k.startswith(f"reveal:{round_id}:{person.id}:")]
                assert len(sent) == (1 if status == "revealed" else 0)
    finally:
        await db.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, st.sampled_from(firststeps.PACES))
def test_nothing_reaches_the_partner_before_both_answered(
    ops: list[tuple[str, str, int]], pace: str
) -> None:
    with scratch() as folder:
        asyncio.run(scenario(ops, folder, pace))


def test_a_scripted_path_reaches_every_stage() -> None:
    """The scenario can reach the end: roles, both steps and the decision all revealed."""
    ops = [("deliver", "", 0), ("choose", "A", 0), ("choose", "B", 1)]
    ops += [("tick", "", 30), ("deliver", "", 0)]
    for _ in range(2):
        ops += [("words", "A", 0), ("words", "B", 0), ("tick", "", 30), ("deliver", "", 0)]
    ops += [("choose", "A", 0), ("choose", "B", 0), ("deliver", "", 0)]
    with scratch() as folder:
        asyncio.run(scenario(ops, folder, "daily", expect_done=True))
