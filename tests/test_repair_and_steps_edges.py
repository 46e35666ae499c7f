"""Repair and first steps at their edges: a private first-steps offer's time, a repair phrase
at a later nudge, reminders and "answered" news withdrawn with what they were about, the words
of a guided step, and the news of an ended pairing on a discreet phone. Each test was red
against a bug an attack round found; its docstring says what went wrong. Through the real
application offline (testing.offline) with a stopped clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import callbacks, firststeps, repair
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")


async def journey_id(bot: Offline) -> int:
    async with bot.db.read() as uow:
        return int(await uow.conn.fetch_value("SELECT MAX(id) FROM first_steps"))


async def paired_offer_declined(bot: Offline) -> None:
    """Ana and Ben paired; the offer after pairing declined; everything delivered."""
    await bot.pair(ANA, BEN)
    await bot.deliver()
    await bot.run(
        bot.updates.button(ANA, callbacks.FirstSteps(await journey_id(bot), "no").encode())
    )
    await bot.deliver()


async def test_setting_the_time_of_an_offer_only_she_has_seen_tells_him_nothing(
    tmp_path: Path,
) -> None:
    """/firststeps offers first steps to the asker only: "Ben hears of it only if Ana says
    yes" (and "not now" then tells him nothing). `/firststeps 21:30` on that private offer
    must not tell Ben either: it would tell him she is looking at first steps after a breach."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await paired_offer_declined(bot)
        [offer] = await bot.send(ANA, "/firststeps")
        assert "First steps" in offer.plain and offer.chat_id == ANA.id
        await bot.send(ANA, "/firststeps 21:30")
        told = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert told == [], told


async def test_a_repair_phrase_tapped_again_at_the_next_nudge_reaches_him_or_is_not_called_sent(
    tmp_path: Path,
) -> None:
    """Nudged, Ana taps "I'm sorry"; Ben asks for more time; at the next nudge she taps it
    again. She is told "Sent." both times: Ben must get it both times (the notice's key is
    the break, her and the phrase, not the nudge, so the second is dropped as a duplicate)."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        sorry = callbacks.Phrase(break_id, 2).encode()

        async def ana_says_sorry() -> list[str]:
            [ack] = await bot.run(bot.updates.button(ANA, sorry))
            assert ack.params.get("text") == "Sent."
            return [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]

        assert await ana_says_sorry() == ["Ana sends you: I'm sorry."]
        await bot.run(bot.updates.button(BEN, callbacks.Ready(break_id, False).encode()))
        await bot.deliver()
        clock.advance(timedelta(minutes=31))
        assert await repair.run_due(bot.db, clock.timestamp()) == 1  # the next nudge
        await bot.deliver()
        assert await ana_says_sorry() == ["Ana sends you: I'm sorry."]  # told "Sent.", got nothing


async def test_a_first_steps_reminder_still_queued_is_withdrawn_when_first_steps_stop(
    tmp_path: Path,
) -> None:
    """Two days after step 1 reached Ben, the tick queues his gentle reminder ("a first step
    is waiting for you"); it waits (Ben has blocked the bot for a while, or delivery is
    behind). Ana stops first steps: the step's words are deleted and its question withdrawn
    (bot.asks.stop), but the reminder, keyed "firststeps:remind:…" rather than "remind:…",
    still goes out after "Ana has stopped first steps": it points him to a step that is gone."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        journey = await journey_id(bot)
        for user in (ANA, BEN):
            await bot.run(bot.updates.button(user, callbacks.FirstSteps(journey, "ready").encode()))
            await bot.deliver()
        clock.advance(timedelta(days=2, minutes=1))
        assert await firststeps.run_due(bot.db, clock.timestamp(), "UTC") == 2  # both reminded
        await bot.run(bot.updates.button(ANA, callbacks.FirstSteps(journey, "stop").encode()))
        told = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert not any("gentle reminder" in text for text in told), told


async def test_stopping_a_guided_step_withdraws_the_still_queued_news_that_she_answered(
    tmp_path: Path,
) -> None:
    """Ana answers a guided step; "Ana has answered" is queued for Ben; before it goes (Ben
    unreachable a while, or delivery behind) Ana presses "Stop here": her words are deleted
    unread, yet Ben is still told, after "Ana stopped", that her answer will show once he
    answers. bot.asks.stop withdraws these; bot.guided.stop does not."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        step = await guided_started(bot, clock)
        await bot.send(ANA, "what I felt")
        assert any(q.chat_id == BEN.id for q in await bot.queued())  # "Ana has answered"
        await bot.run(bot.updates.button(ANA, callbacks.StopGuided(step).encode()))
        told = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert not any("has answered" in text for text in told), told


async def guided_started(bot: Offline, clock: StoppedClock) -> int:
    """Ana and Ben paired, both ready after a break, Ana started the guided conversation and
    both have its first step; its round id."""
    await bot.pair(ANA, BEN)
    await bot.deliver()
    now = clock.timestamp()
    early = now - 1300 - repair.REVEAL_DELAY[1]
    await repair.start_break(bot.db, ANA.id, "20m", early, "UTC")
    await repair.run_due(bot.db, early + 1200)
    async with bot.db.read() as uow:
        break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
    for user in (ANA, BEN):
        await repair.ready(bot.db, user.id, break_id, early + 1300)
    await bot.deliver()
    await bot.run(bot.updates.button(ANA, callbacks.StartGuided(break_id).encode()))
    await bot.deliver()
    async with bot.db.read() as uow:
        return int(await uow.conn.fetch_value("SELECT MAX(id) FROM rounds"))


async def test_news_that_she_answered_a_guided_step_does_not_call_it_a_check_in(
    tmp_path: Path,
) -> None:
    """A guided repair step is not a check-in (asks say "has answered", see
    tests/test_asks_attacks.py): Ben is told "Ana has answered the check-in"."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await guided_started(bot, clock)
        await bot.send(ANA, "what I felt")
        [told] = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "has answered" in told and "check-in" not in told, told


async def test_a_first_step_queued_for_later_comes_in_the_language_he_chose_since(
    tmp_path: Path,
) -> None:
    """One step a day at 20:00 in each one's zone: Ana's step comes at 20:00 UTC, Ben's (New
    York) six hours later. Ben switches to German in between: the step came in English,
    where a check-in prompt queued for him is rendered in his language when it goes."""
    clock = StoppedClock()  # 2026-03-02 12:00 UTC
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        journey = await journey_id(bot)
        await bot.run(bot.updates.button(ANA, callbacks.FirstSteps(journey, "daily").encode()))
        await bot.deliver()
        await bot.run(bot.updates.button(BEN, callbacks.FirstSteps(journey, "daily").encode()))
        await bot.send(BEN, "/timezone America/New_York")
        await bot.deliver()
        async with bot.db.read() as uow:
            found = await uow.firststeps.get(journey)
        assert found is not None and found.round_id is not None
        rather_not = firststeps.ROLES_KIND.options.index("private")
        for user in (ANA, BEN):
            await bot.run(
                bot.updates.button(user, callbacks.Choose(found.round_id, rather_not).encode())
            )
        await bot.deliver()
        await firststeps.run_due(bot.db, bot.services.now(), "UTC")  # planned: 20:00 local
        clock.advance(timedelta(hours=8, minutes=1))
        await firststeps.run_due(bot.db, bot.services.now(), "UTC")  # opened: Ana's now
        assert any("step 1 of 3" in c.plain for c in await bot.deliver() if c.chat_id == ANA.id)
        await bot.run(bot.updates.button(BEN, callbacks.ChooseLanguage("de").encode()))
        clock.advance(timedelta(hours=6))
        [step] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "Schritt 1 von 3" in step.plain, step.plain  # in German, which he reads now
