"""What /options, /history and /stats tell people is true: the owner's RETENTION_DAYS bounds
the keeping shown, a partner hears that changed options apply from the next check-in, an old
"older" button of an earlier pairing does not claim there is no history, and ended couples
are not counted as active. Each test was red against a bug an attack round found. Through
the real application offline (testing.offline)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.texts import t
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN, CARA = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben"), User(9_300_000_003, "Cara")


async def test_keep_forever_is_not_promised_when_the_owner_deletes_after_retention_days(
    tmp_path: Path,
) -> None:
    """RETENTION_DAYS=30: the tick deletes every revealed answer after 30 days, "forever" or
    not (README, "How long answers are kept"). Steady told the person their answers were kept
    until they deleted them, and that 365 days applied: both untrue."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        bot.services.settings = replace(bot.services.settings, retention_days=30)
        await bot.pair(ANA, BEN)
        [forever] = await bot.send(ANA, "/options keep forever")
        assert t("options.keep_forever", "en") not in forever.plain
        [year] = await bot.send(ANA, "/options keep 365")
        assert "kept for 365 days" not in year.plain
        [current] = await bot.send(ANA, "/options")
        assert "kept for 365 days" not in current.plain
        assert "kept for 30 days" in current.plain


async def test_a_stale_older_button_after_a_new_pairing_does_not_say_there_is_no_history(
    tmp_path: Path,
) -> None:
    """Ana pages her history with Ben, unpairs, pairs with Cara, and presses the old "Show
    older": it pages Cara's rounds older than a round id of Ben's (none), so Steady answers
    "Nothing here yet. Check-ins appear here once you've both answered." although her
    /history with Cara holds a revealed round. A stale button should say it is stale (or
    start from the newest), not deny history that exists."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        now = bot.services.now()
        for i in range(5):
            await bot.revealed_round({ANA: f"ana{i}", BEN: f"ben{i}"}, at=now - 1000 + i)
        shown = await bot.send(ANA, "/history")
        older = shown[-1].buttons[0][0][1]
        [confirm] = await bot.send(ANA, "/unpair")
        await bot.run(bot.updates.button(ANA, confirm.buttons[0][0][1]))
        await bot.pair(ANA, CARA)
        await bot.revealed_round({ANA: "with Cara", CARA: "hers"}, at=now - 10)
        [current] = await bot.send(ANA, "/history")
        assert "with Cara" in current.plain
        said = [c.plain for c in await bot.run(bot.updates.button(ANA, older)) if c.plain]
        assert t("history.empty", "en") not in said, said


async def test_the_partner_is_told_a_changed_window_applies_from_the_next_check_in(
    tmp_path: Path,
) -> None:
    """A check-in is open (Ben has its question, Ana answered). Ana sets `/options window 48`:
    she is told "It applies from the next check-in"; Ben was told only "Check-ins stay open
    for 48 hours", though the open round still closes after 24 hours (Ana's answer then
    deleted unread). His notice says it applies from the next check-in too."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, "/checkin")
        await bot.deliver()
        await bot.send(ANA, "hers")
        await bot.deliver()
        [saved] = await bot.send(ANA, "/options window 48")
        assert "from the next check-in" in saved.plain
        [notice] = [c.plain for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "48 hours" in notice
        assert "next check-in" in notice, notice


async def test_stats_counts_no_ended_couple_as_active(tmp_path: Path) -> None:
    """/stats: "couples paired" and "couples active this week (one of them answered in the
    last seven days)" (README). A couple that answered today and then ended is counted active
    while no couple is paired: "paired: 0, active this week: 1". The count joins answers to
    rounds without asking whether the couple still exists (bot/storage/stats.py)."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        bot.services.settings = replace(bot.services.settings, admin_ids=frozenset({CARA.id}))
        await bot.send(CARA, "/start")
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: "hers", BEN: "his"}, at=bot.services.now() - 3600)
        [confirm] = await bot.send(ANA, "/unpair")
        await bot.run(bot.updates.button(ANA, confirm.buttons[0][0][1]))
        [stats] = await bot.send(CARA, "/stats")
        assert "Couples paired: 0" in stats.plain
        assert "Couples active this week: 0" in stats.plain, stats.plain


async def test_options_shows_a_persons_own_settings_when_not_paired(tmp_path: Path) -> None:
    """Keep days, discreet mode and quiet hours are one's own, "paired or not" (README), and
    can be set unpaired; but `/options` unpaired showed none of them, only "Check-ins are for
    two": on a shared phone after an unpairing, one could not check that discreet mode is on."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.send(ANA, "/start")
        [saved] = await bot.send(ANA, "/options discreet on")
        assert "Discreet mode is on" in saved.plain
        [current] = await bot.send(ANA, "/options")
        assert "Discreet mode is on" in current.plain, current.plain
