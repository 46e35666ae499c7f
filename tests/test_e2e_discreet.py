"""Discreet mode and quiet hours through the real bot and delivery: what sounds on a phone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import NEUTRAL, PROMPT, pair, phone
from testing.runner import BotRunner


async def test_a_discreet_person_hears_a_neutral_line_and_the_words_arrive_silently(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await phone(ana, clock, quiet=False, discreet=True)
    await phone(ben, clock, quiet=False, discreet=False)
    mark = len(ana.inbox)
    await ben.send("/checkin")
    prompt = await ana.wait_for(PROMPT)
    neutral = ana.inbox[ana.inbox.index(prompt) - 1]
    assert neutral.plain == NEUTRAL and not neutral.silent  # the one that sounds
    assert prompt.silent and neutral.buttons == []
    ben_prompt = await ben.wait_for(PROMPT)
    assert not ben_prompt.silent  # Ben is not discreet
    # A reveal holds both answers: for Ana it comes silently after its own neutral line.
    await ana.send("mine, private")
    await ana.wait_for("stays private until Ben")
    await ben.send("his, private")
    reveal = await ana.wait_for("You both answered")
    before = ana.inbox[ana.inbox.index(reveal) - 1]
    assert reveal.silent and before.plain == NEUTRAL and not before.silent
    assert not (await ben.wait_for("You both answered")).silent
    await bot.settle(fake)
    assert sum(m.plain == NEUTRAL for m in ana.inbox[mark:]) == 2  # one per private message, once
    assert not any(m.plain == NEUTRAL for m in ben.inbox)


async def test_in_quiet_hours_everything_arrives_silently_and_nothing_is_announced(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await phone(ana, clock, quiet=True, discreet=True)
    await phone(ben, clock, quiet=True, discreet=False)
    mark = len(ana.inbox)
    await ben.send("/checkin")
    prompt = await ana.wait_for(PROMPT)
    assert prompt.silent
    assert (await ben.wait_for(PROMPT)).silent  # quiet hours alone
    await bot.settle(fake)
    assert not any(m.plain == NEUTRAL for m in ana.inbox[mark:])  # no sound to announce


async def test_quiet_hours_hold_in_each_persons_own_time_zone(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """README: quiet hours are "in your own time zone". Ana lives in Tokyo (UTC+9, no DST):
    hours around her local now hold for her, and the same hours, nine hours off for Ben in
    UTC, do not hold for him."""
    await pair(ana, ben)
    await ana.send("/timezone Asia/Tokyo")
    await ana.wait_for("your time zone is Asia/Tokyo")
    tokyo = datetime.fromtimestamp(clock.timestamp(), ZoneInfo("Asia/Tokyo"))
    hours = f"{tokyo - timedelta(hours=1):%H:%M}-{tokyo + timedelta(hours=1):%H:%M}"
    for user in (ana, ben):
        await user.send(f"/options quiet {hours}")
        await user.wait_for("Done.")
    await ben.send("/checkin")
    assert (await ana.wait_for(PROMPT)).silent
    assert not (await ben.wait_for(PROMPT)).silent


async def test_news_that_a_partner_answered_or_ended_the_pairing_never_sounds_for_the_discreet(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """ "Ben has answered the check-in" or "Ben ended your pairing" on a lock screen says as
    much as the words would: announced by the neutral line, then silent."""
    await pair(ana, ben)
    await phone(ana, clock, quiet=False, discreet=True)
    await phone(ben, clock, quiet=False, discreet=False)
    await ben.send("/checkin")
    await ana.wait_for(PROMPT)
    # His answer counts only once the question has reached him (bot.checkins._target_round):
    # written before, it answers nothing and Ana hears nothing.
    await ben.wait_for(PROMPT)
    await ben.send("his, private")
    waiting = await ana.wait_for("has answered")
    assert waiting.silent and ana.inbox[ana.inbox.index(waiting) - 1].plain == NEUTRAL
    await ben.send("/unpair")
    ask = await ben.wait_for("end your pairing with Ana")
    await ben.press(ask, dict(ask.buttons)["Yes, end it"])
    ended = await ana.wait_for("ended your pairing")
    assert ended.silent and ana.inbox[ana.inbox.index(ended) - 1].plain == NEUTRAL


async def test_news_that_the_partner_erased_and_the_pairing_ended_never_sounds_for_the_discreet(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    """README, discreet mode: "News that your partner answered or ended the pairing says as
    much, so it comes the same way". Ended by /unpair it did; ended by Ben erasing himself,
    "Your pairing on Steady has ended" sounded on Ana's lock screen with no neutral line
    before it (its kind, pairing_ended, was not a private one)."""
    await pair(ana, ben)
    await phone(ana, clock, quiet=False, discreet=True)
    await phone(ben, clock, quiet=False, discreet=False)
    await ben.send("/delete")
    ask = await ben.wait_for("Erase your data?")
    await ben.press(ask, dict(ask.buttons)["Erase now"])
    ended = await ana.wait_for("Your pairing on Steady has ended")
    before = ana.inbox[ana.inbox.index(ended) - 1]
    assert ended.silent and before.plain == NEUTRAL and not before.silent
