"""End to end: first steps after a breach, through the real bot and the fake Bot API."""

from __future__ import annotations

from testing.clock import MovableClock
from testing.fake_telegram import FakeUser
from testing.journeys import FIRST_STEPS, OFFER
from testing.runner import BotRunner


async def paired_with_offers(ana: FakeUser, ben: FakeUser) -> None:
    """Pair Ana and Ben; each is offered first steps, and nothing else yet."""
    await ana.send("/pair")
    invite = await ana.wait_for("forward this link")
    code = invite.plain.split("/join ")[1].split()[0]
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired with")
    await ana.wait_for("joined you")


async def test_first_steps_are_offered_after_pairing_and_the_check_in_offer_waits(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ben.wait_for(FIRST_STEPS)
    assert [label for label, _ in offer.buttons] == [
        "Yes, one step a day",
        "Yes, whenever we're both ready",
        "Not now",
    ]
    await ana.expect_silence()  # no check-in offer while first steps are open
    await ben.expect_silence()
    await ben.press(offer_of(ben), dict(offer_of(ben).buttons)["Not now"])
    await ben.wait_for("begin first steps any time")
    notice = await ana.wait_for("would rather not begin first steps")
    assert "Ben &lt;3" not in notice.plain and "Ben <3" in notice.plain  # escaped once
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)


def offer_of(user: FakeUser) -> object:
    return next(m for m in reversed(user.inbox) if FIRST_STEPS in m.plain)


async def test_one_yes_asks_the_partner_who_may_say_not_now(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ben.wait_for(FIRST_STEPS)
    await ana.press(offer, dict(offer.buttons)["Yes, one step a day"])
    await ana.wait_for("I've asked Ben")
    asked = await ben.wait_for("would like to begin first steps with you")
    assert "one step a day at 20:00" in asked.plain and "not now" in asked.plain.lower()
    await ana.press(offer, dict(offer.buttons)["Yes, one step a day"])  # again: only waits
    await ana.wait_for("begin when Ben <3 says yes too")
    await ben.expect_silence()
    await ben.press(asked, dict(asked.buttons)["Not now"])
    await ana.wait_for("would rather not begin first steps")
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)


async def test_help_and_firststeps_offer_it_any_time_to_the_asker_only(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/firststeps")
    await ana.wait_for("send /pair to invite")
    await paired_with_offers(ana, ben)
    offer = await ana.wait_for(FIRST_STEPS)
    await ana.press(offer, dict(offer.buttons)["Not now"])
    await ana.wait_for(OFFER)
    await ben.wait_for(OFFER)
    await ana.send("/help")
    help_message = await ana.wait_for("What Steady can do")
    assert "/firststeps" in help_message.plain
    await ana.press(help_message, dict(help_message.buttons)["First steps after a breach"])
    again = await ana.wait_for(FIRST_STEPS)
    await ben.expect_silence()  # Ben hears of it only if Ana says yes
    await ben.send("/firststeps")
    await ben.wait_for(FIRST_STEPS)  # the same offer, now for Ben too
    await ana.press(again, dict(again.buttons)["Not now"])
    await ana.wait_for("begin first steps any time")
    await ben.expect_silence()  # he never heard of it from Ana: nothing to tell him
    await ana.send("/firststeps 21:30")
    await ana.wait_for("not under way")
