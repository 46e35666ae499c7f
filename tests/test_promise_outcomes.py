"""A promise's outcome: asked of both at the due moment through bot.asks (kind "promise"),
revealed together once both chose, held while check-ins are paused or a break runs; weekly
promises come again; "not this time" is met with warmth.

Through the real application offline (testing.offline) on either engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import callbacks
from scheduler import due
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User

ANA = User(7_100_000_001, "Ana")
BEN = User(7_200_000_002, "Ben")
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday; the default zone is UTC
SUNDAY_EVENING = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
WORDS = "I'll text you if I'm running late this week"


def button(call: Call, label_start: str) -> str:
    for row in call.buttons:
        for label, data in row:
            if label.startswith(label_start):
                return data
    raise AssertionError(f"no button {label_start!r} in {call.buttons}")


async def press(bot: Offline, user: User, data: str) -> list[Call]:
    calls = await bot.run(bot.updates.button(user, data))
    return [c for c in calls if c.method == "sendMessage"]


async def tick(bot: Offline) -> None:
    await due.run_due(bot.db, bot.services.clock, replace(bot.services.settings))


async def promised(bot: Offline, choice: str = "Sunday") -> None:
    [offer] = await bot.send(ANA, f"/promise {WORDS}")
    await press(bot, ANA, button(offer, choice))
    await bot.deliver()


async def asked(bot: Offline) -> dict[int, Call]:
    """Deliver what is due; each partner's outcome question, by chat."""
    found = {}
    for call in await bot.deliver():
        if "How did it go" in call.plain or "promise was kept" in call.plain:
            found[call.chat_id] = call
    return found


async def test_both_are_asked_at_the_due_moment_and_see_both_choices_together(
    tmp_path: Path,
) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await promised(bot)
        clock.at = SUNDAY_EVENING - timedelta(minutes=1)
        await tick(bot)
        assert await asked(bot) == {}  # not yet
        clock.at = SUNDAY_EVENING
        await tick(bot)
        questions = await asked(bot)
        assert set(questions) == {ANA.id, BEN.id}
        # Each is asked as who they are: the promiser how it went, the partner how it felt.
        assert "How did it go with your promise" in questions[ANA.id].plain
        assert "Did you feel Ana's promise was kept" in questions[BEN.id].plain
        for question in questions.values():
            assert WORDS in question.plain
            assert [label for row in question.buttons for label, _ in row] == [
                "Kept",
                "Partly",
                "Not this time",
            ]
        # Ana chooses: Ben hears only that she answered.
        await press(bot, ANA, button(questions[ANA.id], "Kept"))
        to_ben = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert to_ben and not any("Kept" in text for text in to_ben)
        listing = (await bot.send(BEN, "/promises"))[0].plain
        assert "Kept" not in listing and "kept" not in listing
        # Ben chooses: both see both, once.
        await press(bot, BEN, button(questions[BEN.id], "Partly"))
        delivered = await bot.deliver()
        for user in (ANA, BEN):
            [reveal] = [c for c in delivered if c.chat_id == user.id and "Partly" in c.plain]
            assert "Ana: Kept" in reveal.plain and "Ben: Partly" in reveal.plain
        # No "not this time": no talk offered; Ana may promise it again.
        assert not any("Would you like to talk" in c.plain for c in delivered)
        [again] = [c for c in delivered if c.chat_id == ANA.id and "again" in c.plain]
        [renewed] = await press(bot, ANA, button(again, "Again next week"))
        assert "Sun 6 Dec, 20:00" in renewed.plain
        listing = (await bot.send(ANA, "/promises"))[0].plain
        assert "Ana: kept, Ben: partly" in listing and "Sun 6 Dec, 20:00" in listing
        # The old buttons are stale now.
        calls = await bot.run(bot.updates.button(BEN, button(questions[BEN.id], "Kept")))
        assert [c.method for c in calls] == ["answerCallbackQuery"]


async def test_not_this_time_is_met_with_warmth_and_an_offer_to_talk(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await promised(bot)
        clock.at = SUNDAY_EVENING
        await tick(bot)
        questions = await asked(bot)
        await press(bot, ANA, button(questions[ANA.id], "Not this time"))
        await press(bot, BEN, button(questions[BEN.id], "Partly"))
        delivered = await bot.deliver()
        for user in (ANA, BEN):
            [warm] = [c for c in delivered if c.chat_id == user.id and "talk" in c.plain]
            assert "is okay" in warm.plain
            for judgement in ("%", "score", "streak", "fail"):
                assert judgement not in warm.plain.lower()


async def test_a_word_beside_the_choice_is_shown_with_it(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await promised(bot)
        clock.at = SUNDAY_EVENING
        await tick(bot)
        questions = await asked(bot)
        await press(bot, BEN, button(questions[BEN.id], "Kept"))
        await bot.send(BEN, "you really did, thank you")
        to_ana = [c.plain for c in await bot.deliver() if c.chat_id == ANA.id]
        assert not any("thank you" in text for text in to_ana)
        await press(bot, ANA, button(questions[ANA.id], "Kept"))
        [reveal] = [
            c for c in await bot.deliver() if c.chat_id == ANA.id and "Ben: Kept" in c.plain
        ]
        assert "you really did, thank you" in reveal.plain


async def test_the_ask_waits_while_check_ins_are_paused_and_comes_after(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(ANA, "/schedule daily 20:00")
        await bot.deliver()
        await promised(bot)
        await bot.send(BEN, "/pause")
        await bot.deliver()
        clock.at = SUNDAY_EVENING
        await tick(bot)
        assert await asked(bot) == {}
        clock.advance(timedelta(hours=5))
        await tick(bot)
        assert await asked(bot) == {}
        await bot.send(BEN, "/resume")
        await bot.deliver()
        clock.advance(timedelta(minutes=16))
        await tick(bot)
        # It is 01:16 where both live (UTC): their questions wait for the morning.
        assert await asked(bot) == {}
        clock.at = SUNDAY_EVENING + timedelta(hours=12)  # Monday 08:00
        assert set(await asked(bot)) == {ANA.id, BEN.id}


async def test_the_ask_waits_while_a_break_runs_and_comes_after(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await promised(bot)
        clock.at = SUNDAY_EVENING - timedelta(minutes=10)
        await bot.run(bot.updates.button(BEN, callbacks.BreakLength("1h").encode()))
        await bot.deliver()
        clock.at = SUNDAY_EVENING
        await tick(bot)
        assert await asked(bot) == {}
        # The break's hour ends and its nudge goes; the couple is not asked in the middle of
        # it, and is once it is over (the ask comes after).
        clock.at = SUNDAY_EVENING + timedelta(hours=1)
        await tick(bot)
        await bot.deliver()
        assert await asked(bot) == {}  # nudged, nobody ready yet: still the break
        # Both ready: once they are told so, the ask comes.
        for user in (ANA, BEN):
            await bot.run(bot.updates.button(user, callbacks.Ready(1, True).encode()))
        clock.advance(timedelta(minutes=5))  # "you are both ready" after its short delay
        await tick(bot)
        await bot.deliver()
        clock.advance(timedelta(minutes=16))
        await tick(bot)
        assert set(await asked(bot)) == {ANA.id, BEN.id}


async def test_an_unanswered_break_holds_the_ask_at_most_its_24_hours(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await promised(bot)
        clock.at = SUNDAY_EVENING - timedelta(minutes=10)
        await bot.run(bot.updates.button(BEN, callbacks.BreakLength("20m").encode()))
        await bot.deliver()
        clock.at = SUNDAY_EVENING + timedelta(hours=23)
        await tick(bot)
        assert await asked(bot) == {}
        clock.at = SUNDAY_EVENING + timedelta(hours=24)
        await tick(bot)
        assert set(await asked(bot)) == {ANA.id, BEN.id}


async def test_the_partner_is_asked_at_08_00_when_the_due_moment_is_night_for_him(
    tmp_path: Path,
) -> None:
    clock = StoppedClock(NOON)
    tokyo = ZoneInfo("Asia/Tokyo")
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(BEN, "/timezone Asia/Tokyo")
        await bot.deliver()
        await promised(bot)  # Sunday 20:00 UTC = Monday 05:00 in Tokyo
        clock.at = SUNDAY_EVENING
        await tick(bot)
        assert set(await asked(bot)) == {ANA.id}
        [when] = [q.due_at for q in await bot.queued() if q.chat_id == BEN.id]
        assert datetime.fromtimestamp(when, tokyo) == datetime(2026, 11, 30, 8, 0, tzinfo=tokyo)
        clock.at = datetime(2026, 11, 30, 8, 0, tzinfo=tokyo)
        assert set(await asked(bot)) == {BEN.id}


async def test_a_weekly_promise_comes_again_and_an_ended_pairing_asks_nothing(
    tmp_path: Path,
) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [offer] = await bot.send(ANA, f"/promise {WORDS}")
        [made] = await press(bot, ANA, button(offer, "Sunday"))
        [weekly] = await press(bot, ANA, button(made, "Make it weekly"))
        assert "every week" in weekly.plain
        await bot.deliver()
        clock.at = SUNDAY_EVENING
        await tick(bot)
        assert set(await asked(bot)) == {ANA.id, BEN.id}
        listing = (await bot.send(ANA, "/promises"))[0].plain
        assert "Sun 6 Dec, 20:00" in listing and "(every week)" in listing
        # The pairing ends: next week nobody is asked, and nothing is left waiting.
        [confirm] = await bot.send(ANA, "/unpair")
        await press(bot, ANA, button(confirm, "Yes"))
        await bot.deliver()
        clock.at = SUNDAY_EVENING + timedelta(days=7)
        await tick(bot)
        assert await asked(bot) == {}
        async with bot.db.read() as uow:
            waiting = await uow.conn.fetch_value(
                "SELECT COUNT(*) FROM promises WHERE ask_at IS NOT NULL"
            )
        assert waiting == 0


async def test_an_ask_held_past_the_due_moment_still_waits_for_the_partners_morning(
    tmp_path: Path,
) -> None:
    clock = StoppedClock(NOON)
    tokyo = ZoneInfo("Asia/Tokyo")
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(BEN, "/timezone Asia/Tokyo")
        await bot.send(ANA, "/schedule daily 20:00")
        await bot.deliver()
        await promised(bot, "Tomorrow")  # Friday 20:00 UTC: Saturday 05:00 in Tokyo
        await bot.send(ANA, "/pause")
        clock.at = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
        await tick(bot)
        # Resumed at 15:00 UTC the next day: midnight in Tokyo.
        clock.at = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
        await bot.send(ANA, "/resume")
        await tick(bot)
        assert set(await asked(bot)) == {ANA.id}
        [when] = [q.due_at for q in await bot.queued() if q.chat_id == BEN.id]
        assert datetime.fromtimestamp(when, tokyo) == datetime(2026, 11, 29, 8, 0, tzinfo=tokyo)


async def test_words_with_markup_are_escaped_once_in_questions_and_plain_on_buttons(
    tmp_path: Path,
) -> None:
    clock = StoppedClock(NOON)
    words = "Tom & Jerry <3 <b>"
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [offer] = await bot.send(ANA, f"/promise {words}")
        await press(bot, ANA, button(offer, "Sunday"))
        await bot.deliver()
        listing = (await bot.send(ANA, "/promises"))[0]
        assert button(listing, f"Withdraw: {words}")  # a button's label is plain text
        clock.at = SUNDAY_EVENING
        await tick(bot)
        for question in (await asked(bot)).values():
            assert "Tom &amp; Jerry &lt;3 &lt;b&gt;" in question.text
            assert words in question.plain
