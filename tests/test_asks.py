"""Double-blind asks (bot.asks): chosen by button, revealed once when both chose, never early,
a word beside a choice, forged or stale presses changing nothing, stopping deletes unread."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import ask_kinds, asks, callbacks, checkins, pairing, privacy
from bot.checkins import AnswerOutcome
from bot.crypto import Cipher
from bot.models import Person
from bot.storage.db import Database
from bot.storage.rounds import Round
from bot.storage.unit import Unit
from testing.engines import migrated, scratch
from testing.probes import deliver, holding, open_rounds
from testing.seeding import INVITE_KEY

ANA, BEN = Person(101, "Ana"), Person(202, "Ben")
CARA, DAN = Person(303, "Cara"), Person(404, "Dan")
NOW = 1_800_000_000


async def _question(uow: Unit, current: Round, language: str, reader: int) -> str:
    return f"How did it go with thing {current.subject_id}?"


@dataclass(frozen=True)
class _Words(ask_kinds.Kind):
    """Options with test words (the real kinds' words live in their locale files)."""

    def label(self, option: str, language: str) -> str:
        return f"<{option}-word>"


TEST_KIND = ask_kinds.register(
    _Words("test-ask", _question, options=("kept", "partly", "not"), labels="test")
)


async def paired(db: Database, a: Person = ANA, b: Person = BEN) -> None:
    code = (await pairing.create_invite(db, a, NOW, INVITE_KEY)).code
    await pairing.join(db, b, code, NOW, INVITE_KEY)


async def open_one(db: Database, subject: int = 7, a: Person = ANA, b: Person = BEN) -> int:
    async with db.unit() as uow:
        couple = await uow.couples.active_for(a.id)
        assert couple is not None
        return await asks.open_ask(
            uow, couple, "test-ask", when={a.id: NOW, b.id: NOW}, now=NOW, subject_id=subject
        )


def texts_to(sent: list[tuple[int, str, str]], chat_id: int) -> list[str]:
    return [text for chat, _, text in sent if chat == chat_id]


async def test_each_choice_stays_private_until_both_chose_then_both_see_both(db: Database) -> None:
    await paired(db)
    ask = await open_one(db)
    sent = await deliver(db, NOW)
    prompt = texts_to(sent, ANA.id)[-1]
    assert "thing 7" in prompt and "Ben" in prompt  # the question, and whose answer it waits for

    assert await asks.choose(db, ANA.id, ask, 2, NOW + 1) is asks.Outcome.SAVED
    to_ben = texts_to(await deliver(db, NOW + 1), BEN.id)
    assert to_ben and all("not-word" not in text for text in to_ben)  # told, never shown
    assert "Ana" in to_ben[0]
    assert await asks.choose(db, ANA.id, ask, 0, NOW + 2) is asks.Outcome.CHANGED
    assert texts_to(await deliver(db, NOW + 2), BEN.id) == []  # a change is not news

    assert await asks.choose(db, BEN.id, ask, 1, NOW + 3) is asks.Outcome.REVEALED
    sent = await deliver(db, NOW + 3)
    for reader in (ANA.id, BEN.id):
        (reveal,) = texts_to(sent, reader)
        assert "&lt;kept-word&gt;" in reveal and "&lt;partly-word&gt;" in reveal  # escaped
        assert "not-word" not in reveal  # the replaced choice is gone
    # Revealed once: another press changes nothing and sends nothing.
    assert await asks.choose(db, BEN.id, ask, 0, NOW + 4) is asks.Outcome.STALE
    assert await deliver(db, NOW + 4) == []


async def test_a_word_beside_the_choice_shows_in_the_reveal_which_never_waits_for_it(
    db: Database,
) -> None:
    await paired(db)
    ask = await open_one(db)
    await deliver(db, NOW)  # both have the question
    # A word before any choice is kept, and reveals nothing even when both wrote one.
    first = await checkins.answer(db, ANA, "ana's word", 1, NOW + 1)
    assert first.outcome is AnswerOutcome.SAVED
    ben_word = await checkins.answer(db, BEN, "ben's word", 2, NOW + 1)
    assert ben_word.outcome is AnswerOutcome.SAVED
    assert await asks.choose(db, BEN.id, ask, 0, NOW + 2) is asks.Outcome.SAVED
    sent = await deliver(db, NOW + 2)
    assert all("word" not in t or "kept-word" not in t for t in texts_to(sent, ANA.id))
    assert all("ben's word" not in t for _, _, t in sent)
    assert await open_rounds(db) == {"test-ask": 1}
    assert await asks.choose(db, ANA.id, ask, 1, NOW + 3) is asks.Outcome.REVEALED
    (reveal,) = texts_to(await deliver(db, NOW + 3), BEN.id)
    assert "ana&#x27;s word" in reveal or "ana's word" in reveal
    assert "ben&#x27;s word" in reveal or "ben's word" in reveal


async def test_forged_stale_and_foreign_presses_change_nothing(db: Database) -> None:
    await paired(db)
    await paired(db, CARA, DAN)
    ask = await open_one(db)
    await deliver(db, NOW)
    assert await asks.choose(db, CARA.id, ask, 0, NOW) is asks.Outcome.STALE  # another couple
    assert await asks.choose(db, 999, ask, 0, NOW) is asks.Outcome.STALE  # a stranger
    assert await asks.choose(db, ANA.id, ask, 3, NOW) is asks.Outcome.STALE  # no such option
    assert await asks.choose(db, ANA.id, ask + 50, 0, NOW) is asks.Outcome.STALE  # no such ask
    assert await deliver(db, NOW) == []
    async with db.read() as uow:
        assert await uow.rounds.answers(ask) == {}
    # Button data is parsed in one place: a forged option or id is not a button at all.
    assert callbacks.parse(f"v1:ask:{ask}:10") is None
    assert callbacks.parse(f"v1:ask:{ask}:-1") is None
    assert callbacks.parse("v1:ask::1") is None
    assert callbacks.parse(callbacks.Choose(ask, 2).encode()) == callbacks.Choose(ask, 2)


async def test_two_asks_of_one_kind_are_open_at_once_and_reveal_separately(db: Database) -> None:
    await paired(db)
    first, second = await open_one(db, 1), await open_one(db, 2)
    await deliver(db, NOW)
    for person in (ANA, BEN):
        assert await asks.choose(db, person.id, second, 0, NOW) in {
            asks.Outcome.SAVED,
            asks.Outcome.REVEALED,
        }
    sent = await deliver(db, NOW)
    assert any("thing 2" in t for t in texts_to(sent, ANA.id))
    assert not any("thing 1" in t for t in texts_to(sent, ANA.id))
    async with db.read() as uow:
        assert (await uow.rounds.get(first)).status == "open"  # type: ignore[union-attr]


async def test_stopping_deletes_the_unmatched_choice_unread(db: Database) -> None:
    await paired(db)
    ask = await open_one(db)
    await deliver(db, NOW)
    assert await asks.choose(db, ANA.id, ask, 2, NOW) is asks.Outcome.SAVED
    async with db.unit() as uow:
        assert await asks.stop(uow, ask, NOW + 1)
        assert not await asks.stop(uow, ask, NOW + 1)  # once
    async with db.read() as uow:
        assert await uow.rounds.answers(ask) == {}
    assert await asks.choose(db, BEN.id, ask, 0, NOW + 2) is asks.Outcome.STALE


async def test_a_choice_is_sealed_at_rest(db: Database) -> None:
    db.cipher = Cipher(b"k" * 32)
    await paired(db)
    ask = await open_one(db)
    await deliver(db, NOW)
    await asks.choose(db, ANA.id, ask, 1, NOW)
    # The chosen "partly" is stored nowhere in the clear (the buttons offer every option to
    # both, so the queued question's keyboard names it too), and reads back with the key.
    stored = [place for place in await holding(db, -1, "partly") if place[0] != "outbox"]
    assert stored == []
    async with db.read() as uow:
        assert (await uow.rounds.answers(ask))[ANA.id].choice == "partly"


# --- property: whatever the order of presses, words, changes and deliveries ------------------

MARK = re.compile(r"w\d+[AB]")
steps = st.lists(
    st.tuples(
        st.sampled_from(["choose", "word", "deliver"]),
        st.sampled_from("AB"),
        st.integers(0, 1),  # which of two asks
        st.integers(0, 2),  # which option
    ),
    max_size=16,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_no_choice_or_word_reaches_the_partner_before_both_chose(ops: list) -> None:
    import asyncio

    with scratch() as folder:
        asyncio.run(_property(ops, folder))


async def _property(ops: list, folder: Path) -> None:
    db = await Database.open(migrated(folder / "p.db"))
    await db.migrate()
    try:
        await paired(db)
        ids = [await open_one(db, 1), await open_one(db, 2)]
        await deliver(db, NOW)
        chose: dict[tuple[int, int], int] = {}
        written: dict[str, int] = {}  # word marker -> its ask
        reveals = {ask: 0 for ask in ids}
        message = 0
        for op, who, which, option in ops:
            person = ANA if who == "A" else BEN
            ask = ids[which]
            if op == "choose":
                outcome = await asks.choose(db, person.id, ask, option, NOW)
                if outcome is not asks.Outcome.STALE:
                    chose[(ask, person.id)] = option
            elif op == "word":
                message += 1
                marker = f"w{message}{who}"
                # A reply to the ask's question: it says which ask the word is for.
                async with db.read() as uow:
                    rows = await uow.conn.fetch_all(
                        "SELECT message_id FROM outbox WHERE dedupe_key = ?",
                        (f"prompt:{ask}:{person.id}",),
                    )
                result = await checkins.answer(
                    db, person, f"word {marker}", message, NOW, reply_to=rows[0][0]
                )
                if result.outcome in {AnswerOutcome.SAVED, AnswerOutcome.REPLACED}:
                    written[marker] = ask
            for chat, key, text in await deliver(db, NOW):
                if key.startswith("reveal:"):
                    reveals[int(key.split(":")[1])] += 1 if key.endswith(":0") else 0
                revealed = {a for a, n in reveals.items() if n}
                for marker in MARK.findall(text):
                    author = ANA.id if marker.endswith("A") else BEN.id
                    if author != chat:
                        assert written[marker] in revealed, "a word left before the reveal"
                for ask_id in ids:
                    both = {(ask_id, ANA.id), (ask_id, BEN.id)} <= chose.keys()
                    if key.startswith(f"reveal:{ask_id}:"):
                        assert both, "revealed before both chose"
        for ask_id, count in reveals.items():
            # Each partner's copy once: at most one reveal per partner, two in all.
            assert count <= 2
            both = {(ask_id, ANA.id), (ask_id, BEN.id)} <= chose.keys()
            assert (count == 2) == both
    finally:
        await db.close()


async def test_a_round_of_a_kind_this_process_does_not_know_still_reads_kindly(
    db: Database,
) -> None:
    """A tool or a test that loads no feature module still renders /history and /export."""
    await paired(db)
    ask = await open_one(db)
    async with db.read() as uow:
        current = await uow.rounds.get(ask)
        assert current is not None
        unknown = Round(**{**current.__dict__, "kind": "gone-kind"})
        assert await checkins.question_of(uow, unknown, "de", ANA.id) == (
            "Eine Frage, die ihr beide beantwortet habt"
        )


async def test_past_keeping_an_asks_word_goes_and_its_choice_stays(db: Database) -> None:
    """The words expire, the facts stay: a chart of kept promises still counts the choice."""
    db.cipher = Cipher(b"k" * 32)
    await paired(db)
    ask = await open_one(db)
    await deliver(db, NOW)
    await checkins.answer(db, ANA, "ana's private word", 1, NOW)
    await asks.choose(db, ANA.id, ask, 0, NOW)
    assert await asks.choose(db, BEN.id, ask, 2, NOW) is asks.Outcome.REVEALED
    assert await privacy.expire_texts(db, NOW + 400 * 86400, 365) == 1
    async with db.read() as uow:
        kept = await uow.rounds.answers(ask)
    assert {uid: (a.choice, a.text) for uid, a in kept.items()} == {
        ANA.id: ("kept", ""),
        BEN.id: ("not", ""),
    }
    assert await privacy.expire_texts(db, NOW + 800 * 86400, 365) == 0  # done, not again


async def test_an_ask_closing_before_it_reached_one_partner_is_never_news_to_them(
    db: Database,
) -> None:
    """Ben's question waits for his own moment; the ask closes before it: he is not told a
    question he never saw has closed, and that question is withdrawn, never sent after."""
    await paired(db)
    await deliver(db, NOW)
    hour = 3600
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        await asks.open_ask(
            uow, couple, "test-ask", when={ANA.id: NOW, BEN.id: NOW + 10 * hour}, now=NOW,
            subject_id=7, closes_at=NOW + 2 * hour,
        )  # fmt: skip
    assert [chat for chat, _, _ in await deliver(db, NOW, due_by=NOW)] == [ANA.id]
    assert await checkins.close_due(db, NOW + 2 * hour) == 1
    later = await deliver(db, NOW + 11 * hour)
    assert [(chat, key.split(":")[0]) for chat, key, _ in later] == [(ANA.id, "closed")]


async def test_a_press_after_the_window_ended_reveals_nothing_before_the_close_runs(
    db: Database,
) -> None:
    """Ana chose; the ask's window ended, and the tick that closes it (every 20 s, and beside
    the backlog after a restart) has not run yet. Ben's press then is too late: her choice is
    to be deleted unread, not revealed to him."""
    await paired(db)
    late = NOW + 3600
    async with db.unit() as uow:
        couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        ask = await asks.open_ask(
            uow, couple, "test-ask", when={ANA.id: NOW, BEN.id: NOW}, now=NOW, closes_at=late
        )
    await deliver(db, NOW)
    assert await asks.choose(db, ANA.id, ask, 2, NOW + 1) is asks.Outcome.SAVED
    await deliver(db, NOW + 1)
    assert await asks.choose(db, BEN.id, ask, 0, late) is asks.Outcome.STALE
    assert all("not-word" not in text for text in texts_to(await deliver(db, late), BEN.id))
    assert await asks.choose(db, BEN.id, ask, 0, late - 1) is asks.Outcome.REVEALED  # in time
