"""Property test: a promise's outcome is double-blind. Whatever the order of choices, changed
choices, words beside them, deliveries and ticks, nobody reads the other's choice or word
before both chose, the outcome is revealed exactly once, and the promise is then done."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import asks, checkins, pairing, promises
from bot.models import Person
from bot.storage.db import Database
from testing.engines import migrated, scratch
from testing.probes import deliver
from testing.seeding import INVITE_KEY

A, B = Person(1, "Ana"), Person(2, "Ben")
START = 1_800_000_000  # a Friday, 08:00 UTC
LABELS = {"kept": "Kept", "partly": "Partly", "not": "Not this time"}


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


steps = st.lists(
    st.one_of(
        st.tuples(st.just("choose"), st.sampled_from([A, B]), st.integers(0, 2)),
        st.tuples(st.just("word"), st.sampled_from([A, B]), st.just(0)),
        st.tuples(st.just("deliver"), st.just(A), st.just(0)),
        st.tuples(st.just("tick"), st.just(A), st.just(0)),
    ),
    max_size=20,
)


async def scenario(ops: list[tuple[str, Person, int]], folder: Path) -> None:
    db = await Database.open(migrated(folder / "p.db"))
    try:
        await db.migrate()
        code = (await pairing.create_invite(db, A, START, INVITE_KEY)).code
        await pairing.join(db, B, code, START, INVITE_KEY)
        drafted = await promises.draft(db, A.id, "call mum on sunday", START, "UTC")
        assert drafted.promise_id is not None
        made = await promises.choose_due(db, A.id, drafted.promise_id, "tomorrow", START, "UTC")
        assert made.due is not None
        now = int(made.due.timestamp())
        assert await promises.run_due(db, now, "UTC") == 1
        async with db.read() as uow:
            promise = await uow.promises.get(drafted.promise_id)
        assert promise is not None and promise.round_id is not None
        ask = promise.round_id
        chosen: dict[int, str] = {}
        words: dict[int, list[str]] = {A.id: [], B.id: []}
        revealed_at_step: int | None = None
        read: dict[int, list[str]] = {A.id: [], B.id: []}
        message_id = 0
        delivered = False  # the questions reached both (a press counts only after)
        for step, (op, who, index) in enumerate(ops):
            now += 1
            if op == "choose":
                outcome = await asks.choose(db, who.id, ask, index, now)
                if revealed_at_step is None:
                    assert (outcome is asks.Outcome.STALE) == (not delivered)
                    if delivered:
                        chosen[who.id] = promises.OUTCOMES[index]
                    if outcome is asks.Outcome.REVEALED:
                        revealed_at_step = step
                        assert set(chosen) == {A.id, B.id}
                    else:
                        assert len(chosen) < 2
                else:
                    assert outcome is asks.Outcome.STALE
            elif op == "word":
                message_id += 1
                marker = f"w{step}{who.first_name}"
                result = await checkins.answer(db, who, marker, message_id, now)
                if result.outcome in (
                    checkins.AnswerOutcome.SAVED,
                    checkins.AnswerOutcome.REPLACED,
                ):
                    words[who.id].append(marker)
            elif op == "deliver":
                delivered = True
                for chat, _, text in await deliver(db, now):
                    read[chat].append(plain(text))
            else:
                await promises.run_due(db, now, "UTC")
            # Nothing either has read shows the other's choice or word before both chose.
            if revealed_at_step is None:
                for reader, other in ((A, B), (B, A)):
                    for text in read[reader.id]:
                        assert f"{other.first_name}: " not in text
                        assert not any(w in text for w in words[other.id])
        for chat, _, text in await deliver(db, now + 1):
            read[chat].append(plain(text))
        reveals = {
            chat: [t for t in texts if "Ana: " in t and "Ben: " in t]
            for chat, texts in read.items()
        }
        async with db.read() as uow:
            promise = await uow.promises.get(drafted.promise_id)
        assert promise is not None
        if revealed_at_step is None:
            assert reveals == {A.id: [], B.id: []} and promise.status == "asked"
        else:
            assert promise.status == "done"
            for chat in (A.id, B.id):
                [shown] = reveals[chat]  # exactly once
                for person in (A, B):
                    assert f"{person.first_name}: {LABELS[chosen[person.id]]}" in shown
    finally:
        await db.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_no_outcome_is_seen_before_both_chose_and_it_is_revealed_once(
    ops: list[tuple[str, Person, int]],
) -> None:
    with scratch() as folder:
        asyncio.run(scenario(ops, folder))
