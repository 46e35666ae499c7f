"""Common user journeys through the fake Bot API server, shared by tests and the benchmark."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from testing.clock import MovableClock
from testing.fake.users import WAIT
from testing.fake_telegram import FakeUser

OFFER = "Would you like a check-in every day"
FIRST_STEPS = "When trust has been broken"  # the first-steps offer, right after pairing
PROMPT = "Answer with a message whenever you're ready"
NEUTRAL = "Something new is waiting for you in Steady."  # discreet mode's line that sounds


async def pair(ana: FakeUser, ben: FakeUser, timeout: float = WAIT) -> None:  # noqa: ASYNC109
    """Pair two fake users through /pair and /join, reading every message it causes."""
    await ana.send("/pair")
    invite = await ana.wait_for("forward this link", timeout=timeout)
    code = invite.plain.split("/join ")[1].split()[0]
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired with", timeout=timeout)
    await ana.wait_for("joined you", timeout=timeout)
    await decline_first_steps(ana, ben, timeout)


async def decline_first_steps(ana: FakeUser, ben: FakeUser, timeout: float = WAIT) -> None:  # noqa: ASYNC109
    """Both are offered first steps after pairing; Ana says "not now", and then both are
    offered the default schedule."""
    offer = await ana.wait_for(FIRST_STEPS, timeout=timeout)
    await ben.wait_for(FIRST_STEPS, timeout=timeout)
    await ana.press(offer, dict(offer.buttons)["Not now"])
    # The reply to what she did comes first, then what it queued (also pinned, engine by
    # engine, in tests/test_direct.py).
    await ana.wait_for("begin first steps any time", timeout=timeout)
    await ana.wait_for(OFFER, timeout=timeout)
    await ben.wait_for("would rather not begin first steps", timeout=timeout)
    await ben.wait_for(OFFER, timeout=timeout)


async def take_a_break(user: FakeUser, partner: FakeUser, length: str = "20 minutes") -> None:
    """`user` sends /conflict and picks `length` (a button's label); both hear of the break."""
    await user.send("/conflict")
    menu = await user.wait_for("How long do you need")
    await user.press(menu, dict(menu.buttons)[length])
    await user.wait_for("Your break runs until")
    await partner.wait_for("needs a pause")


async def open_guided_step(ana: FakeUser, ben: FakeUser, clock: MovableClock) -> None:
    """From a paired couple to the first step of a guided conversation, received by both:
    a break, its end, both ready, and the conversation started."""
    await take_a_break(ana, ben)
    clock.advance(timedelta(minutes=21))
    for user in (ana, ben):
        nudge = await user.wait_for("The break is over", timeout=10)
        await user.press(nudge, dict(nudge.buttons)["I'm ready to talk"])
        await user.wait_for("when you're both ready")
    clock.advance(timedelta(minutes=5))  # the reveal's short random delay
    both = await ana.wait_for("You are both ready to talk", timeout=10)
    await ben.wait_for("You are both ready to talk", timeout=10)
    await ana.press(both, dict(both.buttons)["Start a guided conversation"])
    await ana.wait_for("step 1 of 5", timeout=10)
    await ben.wait_for("step 1 of 5", timeout=10)


def around_now(clock: MovableClock, inside: bool) -> str:
    """Quiet hours (UTC, each person's zone by default) that hold now, or that don't."""
    now = datetime.fromtimestamp(clock.timestamp(), UTC)
    if inside:
        start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    else:
        start, end = now + timedelta(hours=2), now + timedelta(hours=3)
    return f"{start:%H:%M}-{end:%H:%M}"


async def phone(user: FakeUser, clock: MovableClock, *, quiet: bool, discreet: bool) -> None:
    """Set a person's quiet hours to hold now or not, and discreet mode on or left off."""
    await user.send(f"/options quiet {around_now(clock, inside=quiet)}")
    await user.wait_for("Done.")
    if discreet:
        await user.send("/options discreet on")
        await user.wait_for("Discreet mode is on")
