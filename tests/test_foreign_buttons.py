"""A button naming another couple's break, conversation, pairing or first steps (forged, or
kept from an earlier pairing) changes nothing: each use case checks the thing is the presser's
own couple's, not only that the presser is in some couple.

Through the real application offline (testing.offline) on either engine."""

from __future__ import annotations

from pathlib import Path

from bot import callbacks, guided, pairing, repair
from bot.texts import t
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")
DORA, ELI = User(9_300_000_003, "Dora"), User(9_400_000_004, "Eli")


async def two_couples(bot: Offline) -> int:
    """Ana and Ben, Dora and Eli, everything so far delivered; Ana and Ben's couple id."""
    await bot.pair(ANA, BEN)
    await bot.pair(DORA, ELI)
    await bot.deliver()
    couple = await pairing.current_couple(bot.db, ANA.id)
    assert couple is not None
    return couple.id


async def changes_nothing(bot: Offline, presser: User, buttons: list[str]) -> None:
    """Each press is answered on the button (or told, in the presser's chat, that it is an
    old button); no row changes, nothing is queued."""
    stale = t("fallback.stale_button", "en")
    before = await bot.dump(ignore=("users.updated_at",))
    for data in buttons:
        calls = await bot.run(bot.updates.button(presser, data))
        assert calls[0].method == "answerCallbackQuery", data
        assert [(c.chat_id, c.plain) for c in calls[1:]] in ([], [(presser.id, stale)]), data
    assert await bot.dump(ignore=("users.updated_at",)) == before
    assert await bot.deliver() == []


async def test_anothers_break_buttons_change_nothing(tmp_path: Path) -> None:
    """Dora presses a repair phrase, "ready" and "more time" of Ana and Ben's break."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await two_couples(bot)
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1  # nudged: both may answer now
        await bot.deliver()
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        await changes_nothing(
            bot,
            DORA,
            [
                callbacks.Phrase(break_id, 0).encode(),
                callbacks.Ready(break_id, True).encode(),
                callbacks.Ready(break_id, False).encode(),
            ],
        )


async def test_anothers_guided_conversation_buttons_change_nothing(tmp_path: Path) -> None:
    """Ana and Ben are both ready: Dora can neither start their guided conversation nor stop
    it (a stop deletes its unmatched answers and tells the partner)."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        await two_couples(bot)
        now = clock.timestamp()
        early = now - 1300 - repair.REVEAL_DELAY[1]  # "both ready" is due by now
        await repair.start_break(bot.db, ANA.id, "20m", early, "UTC")
        await repair.run_due(bot.db, early + 1200)
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        for user in (ANA, BEN):
            await repair.ready(bot.db, user.id, break_id, early + 1300)
        await bot.deliver()
        await changes_nothing(bot, DORA, [callbacks.StartGuided(break_id).encode()])
        assert await guided.start(bot.db, BEN.id, break_id, now) is guided.Outcome.STARTED
        await bot.deliver()
        async with bot.db.read() as uow:
            step = int(await uow.conn.fetch_value("SELECT MAX(id) FROM rounds"))
        await bot.send(ANA, "my words for step one")
        await bot.deliver()
        await changes_nothing(bot, DORA, [callbacks.StopGuided(step).encode()])


async def test_anothers_pairing_schedule_and_first_steps_buttons_change_nothing(
    tmp_path: Path,
) -> None:
    """Dora presses "yes, unpair", "use the default time" and a first-steps choice naming Ana
    and Ben's couple and journey: her own pairing, schedule and first steps stay as they are,
    and so do theirs."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        couple_id = await two_couples(bot)
        async with bot.db.read() as uow:
            journey = int(
                await uow.conn.fetch_value(
                    "SELECT id FROM first_steps WHERE couple_id = ?", (couple_id,)
                )
            )
        await changes_nothing(
            bot,
            DORA,
            [
                callbacks.Unpair(couple_id, True).encode(),
                callbacks.AcceptDefaultSchedule(couple_id).encode(),
                *(callbacks.FirstSteps(journey, a).encode() for a in ("daily", "ready", "no")),
            ],
        )


async def test_buttons_kept_from_an_earlier_pairing_change_nothing(tmp_path: Path) -> None:
    """Ana said "ready" in a break with Ben, then they parted and she paired with Dora: the
    old nudge's buttons and the old "yes, unpair" touch neither pairing."""
    clock = StoppedClock()
    async with Offline(tmp_path, clock) as bot:
        old_couple = await two_couples(bot)
        now = clock.timestamp()
        await repair.start_break(bot.db, ANA.id, "20m", now - 1300, "UTC")
        assert await repair.run_due(bot.db, now - 60) == 1
        async with bot.db.read() as uow:
            break_id = int(await uow.conn.fetch_value("SELECT MAX(id) FROM breaks"))
        await repair.ready(bot.db, ANA.id, break_id, now - 30)
        assert await pairing.unpair(bot.db, ANA.id, old_couple, now)
        doras = await pairing.current_couple(bot.db, DORA.id)
        assert doras is not None and await pairing.unpair(bot.db, DORA.id, doras.id, now)
        await bot.pair(ANA, DORA)
        await bot.deliver()
        await changes_nothing(
            bot,
            ANA,
            [
                callbacks.Ready(break_id, True).encode(),
                callbacks.Ready(break_id, False).encode(),
                callbacks.Phrase(break_id, 0).encode(),
                callbacks.Unpair(old_couple, True).encode(),
            ],
        )
