"""End to end: repair after a conflict, through the real bot, with time moved."""

from __future__ import annotations

from datetime import timedelta

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import open_guided_step, pair, take_a_break
from testing.runner import BotRunner

NUDGE = "The break is over"


async def take_break(ana: FakeUser, length: str) -> None:
    await ana.send("/conflict")
    menu = await ana.wait_for("How long do you need")
    assert "at least 20 minutes" in menu.plain
    await ana.press(menu, dict(menu.buttons)[length])
    await ana.wait_for("Your break runs until")


async def test_from_conflict_to_both_ready(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await take_break(ana, "20 minutes")
    notice = await ben.wait_for("needs a pause")
    assert "Ana" in notice.plain and "blame" not in notice.plain
    await ben.expect_silence()
    clock.advance(timedelta(minutes=21))
    nudge_ana = await ana.wait_for(NUDGE, timeout=10)
    nudge_ben = await ben.wait_for(NUDGE, timeout=10)
    await ben.press(nudge_ben, dict(nudge_ben.buttons)["I'm sorry."])
    sorry = await ana.wait_for("sends you")
    assert "Ben <3 sends you: I'm sorry." in sorry.plain
    await ana.press(nudge_ana, dict(nudge_ana.buttons)["I'm ready to talk"])
    await ana.wait_for("when you're both ready")
    await ben.expect_silence()  # Ben hears nothing of Ana's readiness
    await ben.press(nudge_ben, dict(nudge_ben.buttons)["I'm ready to talk"])
    await ben.wait_for("when you're both ready")
    await ana.expect_silence()
    clock.advance(timedelta(minutes=5))  # the reveal's short random delay
    await ana.wait_for("You are both ready to talk", timeout=10)
    await ben.wait_for("You are both ready to talk", timeout=10)
    # Tapping "ready" again answers as before: nobody can probe who was first.
    await ana.press(nudge_ana, dict(nudge_ana.buttons)["I'm ready to talk"])
    await ana.wait_for("when you're both ready")
    await ana.press(nudge_ana, dict(nudge_ana.buttons)["I appreciate you."])  # break is over
    await ana.send("/help")  # once this is answered, the press before it was handled
    await ana.wait_for("What Steady can do")
    await ben.expect_silence()
    assert any("no longer active" in (c.get("text") or "") for c in ana.answered_callbacks)


async def test_not_ready_yet_asks_for_more_time(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await take_break(ana, "1 hour")
    await ben.wait_for("needs a pause")
    clock.advance(timedelta(hours=1, minutes=1))
    nudge = await ben.wait_for(NUDGE, timeout=10)
    await ana.wait_for(NUDGE, timeout=10)
    await ben.press(nudge, dict(nudge.buttons)["I need a bit more time"])
    await ben.wait_for("Take the time you need")
    await ana.wait_for("needs a little more time")
    clock.advance(timedelta(minutes=31))
    await ana.wait_for(NUDGE, timeout=10)
    await ben.wait_for(NUDGE, timeout=10)


async def test_a_restart_during_the_break(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await take_break(ana, "3 hours")
    await ben.wait_for("needs a pause")
    await bot.stop()
    clock.advance(timedelta(hours=3, minutes=1))
    await bot.start()
    await ana.wait_for(NUDGE, timeout=10)
    await ben.wait_for(NUDGE, timeout=10)


async def test_conflict_needs_a_pair_and_help_offers_it(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/conflict")
    await ana.wait_for("send /pair to invite")
    await pair(ana, ben)
    await ana.send("/help")
    help_message = await ana.wait_for("What Steady can do")
    assert "local emergency services" in help_message.plain
    await ana.press(help_message, dict(help_message.buttons)["We had a conflict"])
    menu = await ana.wait_for("How long do you need")
    await ana.press(menu, dict(menu.buttons)["Tomorrow morning"])
    await ana.wait_for("Your break runs until")
    await ana.press(menu, dict(menu.buttons)["20 minutes"])  # a second choice replaces it
    await ana.wait_for("I've changed your break")
    await ben.wait_for("needs a pause")
    await ben.wait_for("needs a little longer")


async def test_a_full_guided_conversation(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await take_break(ana, "20 minutes")
    await ben.wait_for("needs a pause")
    clock.advance(timedelta(minutes=21))
    for user in (ana, ben):
        nudge = await user.wait_for(NUDGE, timeout=10)
        await user.press(nudge, dict(nudge.buttons)["I'm ready to talk"])
        await user.wait_for("when you're both ready")
    clock.advance(timedelta(minutes=5))
    both = await ana.wait_for("You are both ready to talk", timeout=10)
    await ben.wait_for("You are both ready to talk", timeout=10)
    await ana.press(both, dict(both.buttons)["Start a guided conversation"])
    for step in range(1, 6):
        await ana.wait_for(f"step {step} of 5", timeout=10)
        await ben.wait_for(f"step {step} of 5", timeout=10)
        await ana.send(f"ana's answer {step}")
        await ana.wait_for("stays private")
        waiting = await ben.wait_for("has answered", timeout=10)
        assert f"ana's answer {step}" not in waiting.plain
        await ben.send(f"ben's answer {step}")
        for user in (ana, ben):
            reveal = await user.wait_for("You both answered", timeout=10)
            assert f"ana's answer {step}" in reveal.plain
            assert f"ben's answer {step}" in reveal.plain
    await ana.wait_for("all five steps", timeout=10)
    await ben.wait_for("all five steps", timeout=10)


async def test_a_second_conflict_pauses_the_unfinished_guided_conversation(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """Half way through the guided conversation of Monday's conflict, Ana has answered step 2
    and needs a pause again (/conflict, an hour). Ben answered step 2 meanwhile: his words
    and step 3 reached Ana inside the quiet she had just asked for. Now the open step closes
    when the new break starts (answers deleted unread, both told)."""
    await pair(ana, ben)
    await open_guided_step(ana, ben, clock)
    await ana.send("ana one")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered", timeout=10)
    await ben.send("ben one")
    for user in (ana, ben):
        await user.wait_for("You both answered", timeout=10)
        await user.wait_for("step 2 of 5", timeout=10)
    await ana.send("ana two")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered", timeout=10)
    await take_a_break(ana, ben, "1 hour")
    await ben.wait_for("This step closed")
    await ana.wait_for("This step closed")
    await ben.send("ben two, and it is heated")
    await ben.wait_for("no open check-in")
    await bot.settle(fake)  # everything due has gone: what is missing now is not on its way
    assert not any("ben two" in m.plain for m in ana.inbox)
    assert not any("ana two" in m.plain for m in ben.inbox)


async def test_a_conflict_days_after_an_unanswered_nudge_is_a_new_break(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """Monday: a 20-minute break; the nudge comes and neither taps anything (they talked in
    person). Wednesday: another fight; Ana asks for 3 hours. Monday's break was still 'under
    way' (nudged, never ready), so Wednesday's was taken as a change of it: capped at
    Monday's 24-hour limit, it ran 20 minutes, Ana read 'I've changed your break', and Ben
    'needs a little longer'. A nudge nobody answers is over a day after it came."""
    await pair(ana, ben)
    await take_a_break(ana, ben)
    clock.advance(timedelta(minutes=21))
    await ana.wait_for("The break is over", timeout=10)
    await ben.wait_for("The break is over", timeout=10)
    clock.advance(timedelta(days=2))
    await ana.send("/conflict")
    menu = await ana.wait_for("How long do you need")
    await ana.press(menu, dict(menu.buttons)["3 hours"])
    own = await ana.next_message(timeout=10)
    told = await ben.next_message(timeout=10)
    assert "changed your break" not in own.plain, own.plain
    assert "needs a pause" in told.plain, told.plain
