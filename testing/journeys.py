"""Common user journeys through the fake Bot API server, shared by tests and the benchmark."""

from __future__ import annotations

from testing.fake_telegram import FakeUser

OFFER = "Would you like a check-in every day"
PROMPT = "Answer with a message whenever you're ready"


async def pair(ana: FakeUser, ben: FakeUser, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Pair two fake users through /pair and /join, reading every message it causes."""
    await ana.send("/pair")
    invite = await ana.wait_for("forward this link", timeout=timeout)
    code = invite.plain.split("/join ")[1].split()[0]
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired with", timeout=timeout)
    await ana.wait_for("joined you", timeout=timeout)
    # Both are then offered the default schedule.
    await ana.wait_for(OFFER, timeout=timeout)
    await ben.wait_for(OFFER, timeout=timeout)
