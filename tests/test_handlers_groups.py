"""Private content is never posted into a group, whatever chat a (forged) button sits in."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from handlers.checkins import history
from testing.offline import GROUP_CHAT_ID, Offline, User

ANA = User(1001, "Ana")
BEN = User(2002, "Ben")
SECRET = "the secret only Ben may read"


async def test_a_history_button_pressed_in_a_group_posts_nothing_there(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA, BEN)
        for i in range(6):  # more than a page, so "show older" has something to show
            await bot.revealed_round({ANA: f"{SECRET} {i}", BEN: "fine"}, at=1_000 + i)
        calls = await bot.run(bot.updates.button(ANA, "v1:hist:999", group=True))
        # Only the presser sees a notice, on the button; nothing reaches the group chat.
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert "private chat" in calls[0].params["text"]
        assert bot.sent(GROUP_CHAT_ID) == []
        assert all(SECRET not in c.plain for c in calls)
        # The same button in the private chat shows the history there, to the presser only.
        calls = await bot.run(bot.updates.button(ANA, "v1:hist:999"))
        shown = [c for c in calls if c.method == "sendMessage"]
        assert shown and {c.chat_id for c in shown} == {ANA.id}
        assert any(SECRET in c.plain for c in shown)


async def test_no_button_acts_on_a_message_outside_a_private_chat(tmp_path: Path) -> None:
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA, BEN)
        before = await bot.dump()
        for data in ("v1:unpair:1:y", "v1:unpair:1:n", "v1:cf:menu", "v1:sch:off", None, ""):
            calls = await bot.run(bot.updates.button(BEN, data, group=True))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert bot.sent(GROUP_CHAT_ID) == []
        assert await bot.dump() == before  # still paired, schedule untouched


async def test_replies_go_to_the_persons_private_chat(tmp_path: Path) -> None:
    """Defence in depth: a reply is addressed to the person, not to the update's chat, so even
    a handler reached from a group (bypassing the private-only filters) posts nothing there."""
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: SECRET, BEN: "fine"})
        update = bot.updates.command(ANA, "history", group=True)
        await history(update, SimpleNamespace(services=bot.services))  # type: ignore[arg-type]
        assert bot.sent(GROUP_CHAT_ID) == []
        assert any(SECRET in c.plain for c in bot.sent(ANA.id))


async def test_a_command_in_any_group_gets_only_the_pointer_to_a_private_chat(
    tmp_path: Path,
) -> None:
    """In a basic group as in a supergroup, a command is answered with the pointer alone:
    nothing private, nothing done; plain messages there get no answer at all."""
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA, BEN)
        await bot.revealed_round({ANA: SECRET, BEN: "fine"})
        await bot.deliver()
        before = await bot.dump(ignore=("users.updated_at",))
        for chat_type in ("group", "supergroup"):
            for command in ("history", "checkin", "export", "unpair", "start", "agreements"):
                update = bot.updates.command(ANA, command, group=True, chat_type=chat_type)
                calls = await bot.run(update)
                assert [(c.method, c.chat_id) for c in calls] == [("sendMessage", GROUP_CHAT_ID)], (
                    chat_type,
                    command,
                )
                assert "private chats only" in calls[0].plain
                assert SECRET not in calls[0].plain and "Ben" not in calls[0].plain
            update = bot.updates.text(ANA, "just chatting", group=True, chat_type=chat_type)
            assert await bot.run(update) == []
        assert await bot.dump(ignore=("users.updated_at",)) == before
        assert await bot.deliver() == []


async def test_a_button_under_an_inline_message_does_nothing(tmp_path: Path) -> None:
    """An inline-mode message has no chat: a button under it (forged) is never taken as a
    press in the private chat."""
    async with Offline(tmp_path) as bot:
        await bot.pair(ANA, BEN)
        async with bot.db.read() as uow:
            couple = await uow.couples.active_for(ANA.id)
        assert couple is not None
        await bot.deliver()
        before = await bot.dump()
        for data in (f"v1:unpair:{couple.id}:y", "v1:hist:999", "v1:sch:off", "v1:cf:menu"):
            calls = await bot.run(bot.updates.button(BEN, data, inline=True))
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert await bot.dump() == before  # still paired
        assert await bot.deliver() == []
