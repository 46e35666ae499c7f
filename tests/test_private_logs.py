"""At LOG_LEVEL=DEBUG the real bot process logs nothing anyone wrote, no name and no token."""

from __future__ import annotations

import html
import json
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from testing.engines import database_url
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.forked import fork_bot
from testing.journeys import PROMPT, pair
from testing.process import TEST_SECRET, wait_polling
from testing.seeding import let_time_pass

# Each carries a word found nowhere else, and characters that HTML, JSON and repr() escape
# differently, so no encoding of them in the output can slip through the search.
ANA = 'Zoë "Quillfeather" <&>'
BEN = "Bjørn 'Marrowlight' & <Co>"
ANSWERS = (
    'I felt "unheard" <today> & tired — Snowquartz',
    "Ben's note: <3 & thanks, ünïcode Velvetmoth",
    'step one: I\'m sorry for "that" <rant> & more Emberglade',
    "step one too: ça va <b>bold</b> & Tidewhistle",
)
NUDGE = "The break is over"


def _forms(secret: str) -> set[str]:
    return {
        secret,
        html.escape(secret),
        html.escape(secret, quote=False),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        ascii(secret)[1:-1],
    }


async def _answer_both(ana: FakeUser, ben: FakeUser, first: str, second: str) -> None:
    await ana.send(first)
    await ana.wait_for("stays private")
    await ben.send(second)
    for user in (ana, ben):
        reveal = await user.wait_for("You both answered", timeout=10)
        assert first in reveal.plain and second in reveal.plain


@pytest.mark.heavy
async def test_a_whole_journey_at_debug_leaves_no_words_names_or_token_in_the_output(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    path = tmp_path / "steady.db"
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "TELEGRAM_API_URL"}}
    env |= {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": database_url(path),
        "LOG_LEVEL": "DEBUG",
        "TICK_SECONDS": "0.2",
        "SECRET_KEY": TEST_SECRET,  # required with PostgreSQL; never in the output either
    }
    ana, ben = fake.user(3001, ANA), fake.user(3002, BEN)
    # Forked from a process that imported Steady already, with a short per-chat interval: the
    # journey's forty messages, not Telegram's pace, are what this test is about.
    output = tmp_path / "output.log"
    proc = fork_bot(env, tmp_path, output, per_chat_interval=0.05)
    try:
        await wait_polling(fake, proc)
        await pair(ana, ben, timeout=10)
        # A check-in, answered by both and revealed.
        await ana.send("/checkin")
        await ana.wait_for(PROMPT)
        await ben.wait_for(PROMPT)
        await _answer_both(ana, ben, ANSWERS[0], ANSWERS[1])
        # A conflict: a break, its end, both ready.
        await ana.send("/conflict")
        menu = await ana.wait_for("How long do you need")
        await ana.press(menu, dict(menu.buttons)["20 minutes"])
        await ana.wait_for("Your break runs until")
        await ben.wait_for("needs a pause")
        await let_time_pass(path, datetime.now(UTC))
        for user in (ana, ben):
            nudge = await user.wait_for(NUDGE, timeout=10)
            await user.press(nudge, dict(nudge.buttons)["I'm ready to talk"])
            await user.wait_for("when you're both ready")
        await let_time_pass(path, datetime.now(UTC))  # the short delay of "both ready"
        both = await ana.wait_for("You are both ready to talk", timeout=10)
        await ben.wait_for("You are both ready to talk", timeout=10)
        # A guided conversation's first step, answered by both and revealed.
        await ana.press(both, dict(both.buttons)["Start a guided conversation"])
        await ana.wait_for("step 1 of 5", timeout=10)
        await ben.wait_for("step 1 of 5", timeout=10)
        await _answer_both(ana, ben, ANSWERS[2], ANSWERS[3])
    finally:
        proc.send_signal(signal.SIGTERM)
        code = await proc.wait()
    logs = output.read_text()
    assert code == 0, logs
    assert "log level DEBUG" in logs
    for secret in (*ANSWERS, ANA, BEN, fake.token, fake.token.split(":")[1], TEST_SECRET):
        for form in _forms(secret):
            assert form not in logs, f"{form!r} is in the output"
    for word in (
        "Snowquartz",
        "Velvetmoth",
        "Emberglade",
        "Tidewhistle",
        "Quillfeather",
        "Marrowlight",
    ):
        assert word not in logs
