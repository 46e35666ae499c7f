"""Repair and first steps at their edges: a private first-steps offer's time, a repair phrase
at a later nudge, reminders and "answered" news withdrawn with what they were about, the words
of a guided step, and the news of an ended pairing on a discreet phone. Each test was red
against a bug an attack round found; its docstring says what went wrong. Through the real
application offline (testing.offline) with a stopped clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import callbacks, firststeps, repair
from bot.texts import t
from testing.clock import StoppedClock
from testing.offline import Offline, User
from testing.probes import latest_break
from tests.test_break_ready_hidden import nudged_break

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
        break_id = await nudged_break(bot, clock.timestamp(), ANA)
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
        assert any("has answered" in q.text for q in await bot.queued(BEN.id))
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
    break_id = await latest_break(bot.db)
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
        await _daily_steps_ben_in_new_york(bot, clock)
        await bot.run(bot.updates.button(BEN, callbacks.ChooseLanguage("de").encode()))
        clock.advance(timedelta(hours=6))
        [step] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "Schritt 1 von 3" in step.plain, step.plain  # in German, which he reads now


async def _daily_steps_ben_in_new_york(bot: Offline, clock: StoppedClock) -> None:
    """First steps, one a day at 20:00 each one's time: Ana's step 1 has come (20:00 UTC),
    Ben's (New York) waits for 01:00 UTC."""
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
    await firststeps.run_due(bot.db, bot.services.now(), "UTC")
    clock.advance(timedelta(hours=8, minutes=1))
    await firststeps.run_due(bot.db, bot.services.now(), "UTC")
    assert any("step 1 of 3" in c.plain for c in await bot.deliver() if c.chat_id == ANA.id)


async def test_a_new_zone_before_ones_first_step_moves_it_like_a_checkin(
    tmp_path: Path,
) -> None:
    """A check-in prompt still waiting moves when its reader sets /timezone; a first step,
    also at 20:00 in each one's zone, did not: Ben, now in Los Angeles, got it at 17:00 there
    (01:00 UTC, New York's 20:00) rather than at his 20:00 (04:00 UTC)."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await _daily_steps_ben_in_new_york(bot, clock)  # now 20:01 UTC
        await bot.send(BEN, "/timezone America/Los_Angeles")
        await bot.deliver()
        clock.advance(timedelta(hours=5, minutes=30))  # 01:31 UTC: 17:31 in Los Angeles
        early = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert not any("step 1 of 3" in text for text in early), early
        clock.advance(timedelta(hours=2, minutes=30))  # 04:01 UTC: 20:01 in Los Angeles
        due = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert any("step 1 of 3" in text for text in due), due


async def test_the_news_beside_a_rewritten_step_comes_in_the_new_language_too(
    tmp_path: Path,
) -> None:
    """Ben's queued first step is written again in German after /language de. Ana answered
    her step before that: "Ana has answered", queued beside Ben's step for his 20:00, stayed
    in English, so he got the step in German and the news right after it in English."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await _daily_steps_ben_in_new_york(bot, clock)
        await bot.send(ANA, "what I think")
        await bot.deliver()
        await bot.run(bot.updates.button(BEN, callbacks.ChooseLanguage("de").encode()))
        await bot.deliver()
        clock.advance(timedelta(hours=6))
        got = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert any("Schritt 1 von 3" in text for text in got), got
        assert not any("has answered" in text for text in got), got
        assert t("asks.partner_answered", "de", partner="Ana") in got, got


async def test_a_phrase_waits_for_the_next_nudge_while_the_break_cools_again(
    tmp_path: Path,
) -> None:
    """After Ben's "more time" the break cools again, and the old nudge's phrase buttons still
    worked: a tap then reached him during the quiet he had asked for, and took the phrase's
    place at the next nudge (the same tap there said "Sent." and sent nothing). While it
    cools a tap is refused; at the next nudge it goes."""
    from bot import repair

    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        break_id = await nudged_break(bot, clock.timestamp(), ANA)
        sorry = callbacks.Phrase(break_id, 2).encode()
        await bot.run(bot.updates.button(BEN, callbacks.Ready(break_id, False).encode()))
        await bot.deliver()
        clock.advance(timedelta(minutes=5))
        [ack] = await bot.run(bot.updates.button(ANA, sorry))
        assert ack.params.get("text") == t("fallback.stale_button", "en")
        assert not [c for c in await bot.deliver() if c.chat_id == BEN.id]  # the quiet holds
        clock.advance(timedelta(minutes=26))
        assert await repair.run_due(bot.db, clock.timestamp()) == 1  # the next nudge
        await bot.deliver()
        [ack] = await bot.run(bot.updates.button(ANA, sorry))
        assert ack.params.get("text") == "Sent."
        assert [c.plain for c in await bot.deliver() if c.chat_id == BEN.id] == [
            "Ana sends you: I'm sorry."
        ]


async def test_his_firststeps_time_does_not_find_her_private_offer(tmp_path: Path) -> None:
    """Ana sends /firststeps: an offer only she sees ("Ben hears of it only if Ana says yes").
    Ben sends "/firststeps 21:30": he was answered "Done" where, with nothing under way, he
    is told so, and learned she is looking at first steps after a breach (and her offer's
    time became his). A time is set once someone said yes."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await paired_offer_declined(bot)
        [before] = await bot.send(BEN, "/firststeps 21:30")  # nothing under way
        [offer] = await bot.send(ANA, "/firststeps")
        assert "First steps" in offer.plain and offer.chat_id == ANA.id
        await bot.deliver()
        [reply] = await bot.send(BEN, "/firststeps 21:30")
        assert reply.plain == before.plain, (before.plain, reply.plain)
