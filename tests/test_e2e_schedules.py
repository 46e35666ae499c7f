"""End to end: schedules and time zones through the real bot and the fake Bot API server."""

from __future__ import annotations

from datetime import UTC, timedelta

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import FIRST_STEPS, OFFER, PROMPT, pair
from testing.probes import cursor
from testing.runner import BotRunner


async def test_the_default_offer_after_pairing(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = (await ana.wait_for("forward this link")).plain.split("/join ")[1].split()[0]
    await ben.send(f"/join {code}")
    # First steps are offered first; once declined, the check-in offer comes.
    first = await ben.wait_for(FIRST_STEPS)
    await ben.press(first, dict(first.buttons)["Not now"])
    offer = await ben.wait_for(OFFER)
    ana_offer = await ana.wait_for(OFFER)
    [(yes, data), _] = offer.buttons
    assert yes == "Yes, every day at 20:00"
    await ben.press(offer, data)
    # The confirmation is Ben's direct reply; the time zone question comes from the outbox.
    await ben.wait_for_all("every day at 20:00. Your next one", "which time zone are you in")
    await ana.wait_for("Ben <3 changed your check-in schedule: every day at 20:00")
    await ana.wait_for("which time zone are you in")  # asked once, kindly
    await ana.press(ana_offer, dict(ana_offer.buttons)["Yes, every day at 20:00"])
    await ana.wait_for("already set")  # the partner chose first: nothing changes
    await ben.expect_silence()


async def test_schedule_by_text_and_by_buttons(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/schedule")
    await ana.wait_for("/pair to invite")
    await pair(ana, ben)
    await ana.send("/schedule sometimes")
    await ana.wait_for("couldn't read that")
    await ana.send("/schedule mon wed fri 8:30pm")
    await ana.wait_for("now come on Mon, Wed, Fri at 20:30")
    await ben.wait_for("Ana changed your check-in schedule: on Mon, Wed, Fri at 20:30")

    await ben.send("/schedule")
    menu = await ben.wait_for("in each partner's own time zone")
    labels = dict(menu.buttons)
    await ben.press(menu, labels["✓ Sun"])  # untick Sunday: the message is edited in place
    edited = await ben.wait_for(lambda m: "Tap the days" in m.plain)
    assert "Sun" in dict(edited.buttons) and "✓ Sun" not in dict(edited.buttons)
    await ben.press(edited, dict(edited.buttons)["21:00"])
    await ben.wait_for("now come on Mon, Tue, Wed, Thu, Fri, Sat at 21:00")
    await ana.wait_for("on Mon, Tue, Wed, Thu, Fri, Sat at 21:00")
    await ben.send("/schedule off")
    await ben.wait_for("scheduled check-ins are off")


async def test_time_zones_by_name_city_offset_and_button(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/timezone")
    unset = await ana.wait_for("don't know your time zone yet")
    await ana.send("/timezone Narnia")
    await ana.wait_for("don't know that time zone")
    await ana.send("/timezone tokyo")
    await ana.wait_for("your time zone is Asia/Tokyo")
    await ana.send("/timezone UTC+2")
    await ana.wait_for("your time zone is Etc/GMT-2")
    await ana.press(unset, dict(unset.buttons)["Berlin"])
    await ana.wait_for("your time zone is Europe/Berlin")
    await ana.press(unset, "v1:tz:Not/AZone")  # a forged button
    await ana.wait_for("don't know that time zone")
    await ana.send("/timezone")
    await ana.wait_for("Your time zone is Europe/Berlin")


def _in(minutes: int, clock: MovableClock) -> str:
    return (clock.now() + timedelta(minutes=minutes)).astimezone(UTC).strftime("%H:%M")


async def test_each_partner_gets_the_check_in_at_their_own_time(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/timezone UTC")
    await ana.wait_for("time zone is UTC")
    await ben.send("/timezone UTC-1")  # an hour behind Ana
    await ben.wait_for("time zone is Etc/GMT+1")
    at = _in(10, clock)
    await ana.send(f"/schedule daily {at}")
    await ana.wait_for("Your next one")
    await ben.wait_for("changed your check-in schedule")
    clock.advance(timedelta(minutes=11))
    await ana.wait_for(PROMPT, timeout=10)
    await ben.expect_silence()  # not yet 'at' for Ben
    await ben.send("an answer too early")
    await ben.wait_for("no open check-in")
    clock.advance(timedelta(hours=1))
    await ben.wait_for(PROMPT, timeout=10)
    await ana.send("mine")
    await ana.wait_for("stays private")
    await ben.wait_for("has answered")
    await ben.send("and mine")
    await ana.wait_for("You both answered")


async def test_a_restart_during_downtime_within_and_beyond_grace(
    fake: FakeTelegram, bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send(f"/schedule daily {_in(5, clock)}")
    await ana.wait_for("Your next one")
    await ben.wait_for("changed your check-in schedule")
    await bot.stop()
    clock.advance(timedelta(minutes=5 + 90))  # down through the slot, back 1.5 h late
    await bot.start()
    await ana.wait_for(PROMPT, timeout=10)
    await ben.wait_for(PROMPT, timeout=10)

    await bot.stop()
    clock.advance(timedelta(days=1, hours=3))  # next slot missed by more than the grace
    await bot.start()
    await ana.wait_for("closed before you both answered", timeout=10)
    await ana.expect_silence()
    assert sum(PROMPT in m.plain for m in ana.inbox) == 1
    db = bot.services.database
    async with db.read() as uow, cursor(uow.conn, "SELECT reason FROM skipped_slots") as cur:
        assert [r[0] for r in await cur.fetchall()] == ["late"]


async def test_pause_skip_and_resume_tell_the_partner(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.send("/pause")
    await ana.wait_for("no check-in schedule to pause")
    await ana.send("/schedule daily 20:00")
    await ben.wait_for("changed your check-in schedule")
    await ana.send("/pause whenever")
    await ana.wait_for("couldn't read that date")
    await ana.send("/pause 3 days")
    await ana.wait_for("paused until")
    await ben.wait_for("Ana paused your check-ins")
    await ben.send("/resume")
    await ben.wait_for("back on")
    await ana.wait_for("Ben <3 resumed")
    await ben.send("/skip")
    await ben.wait_for("next check-in will be skipped")
    await ana.wait_for("chose to skip the next check-in")
