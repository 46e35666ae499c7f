"""What looks like a command but is not the person's fresh one is not acted on: an edit of a
sent command (Telegram sends it as an edit) and a forwarded command (someone else's words).
Through the real application offline (testing.offline)."""

from __future__ import annotations

from pathlib import Path

from telegram import Update

from bot.texts import t
from testing.clock import StoppedClock
from testing.offline import Offline, User

ANA, BEN = User(9_100_000_001, "Ana"), User(9_200_000_002, "Ben")
CARL = User(9_300_000_003, "Carl")


def as_command(bot: Offline, update: Update, field: str) -> Update:
    """`update` with the bot_command entity Telegram gives a text starting with a command."""
    data = update.to_dict()
    name = data[field]["text"].split(" ")[0]
    data[field]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(name)}]
    return Update.de_json(data, bot.app.bot)


async def agreement_versions(bot: Offline) -> list[str]:
    async with bot.db.read() as uow:
        rows = await uow.conn.fetch_all("SELECT text FROM agreement_versions ORDER BY id")
    return [bot.db.cipher.open(r["text"], "agreement_versions") for r in rows]


async def test_fixing_a_typo_in_an_agree_command_does_not_propose_a_second_agreement(
    tmp_path: Path,
) -> None:
    """Every CommandHandler took edits too (PTB's default), so an edited /agree ran again:
    a second agreement proposed, Ben asked twice."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        first = bot.updates.command(ANA, "agree", "We tell each other when plans chnage")
        await bot.run(first)
        await bot.deliver()
        edit = bot.updates.edited(
            ANA, first.message.message_id, "/agree We tell each other when plans change"
        )
        [told] = await bot.run(as_command(bot, edit, "edited_message"))
        assert told.plain == t("fallback.edited_command", "en")
        await bot.deliver()
        assert len([c for c in bot.sent(BEN.id) if "plans" in c.plain]) == 1
        assert await agreement_versions(bot) == ["We tell each other when plans chnage"]


async def test_a_forwarded_agree_command_is_not_taken_as_her_proposal(tmp_path: Path) -> None:
    """A forwarded text was refused as an answer, but a forwarded "/agree …" still ran: the
    command handlers came first, and none looked at forward_origin. Ana "proposed" words
    she never wrote."""
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        forwarded = bot.updates.forwarded(ANA, "/agree Ana never goes out without Ben", CARL)
        [told] = await bot.run(as_command(bot, forwarded, "message"))
        assert told.plain == t("fallback.forwarded_command", "en")
        assert await agreement_versions(bot) == []
        assert not [c for c in await bot.deliver() if c.chat_id == BEN.id]
