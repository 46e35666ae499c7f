"""End to end: input a person can send that Steady must not act on (a forwarded message, a
button without data, a forged button in a group), through the real bot and the fake Bot API."""

from __future__ import annotations

from typing import Any

from bot.texts import t
from testing.fake_telegram import FakeTelegram, FakeUser
from testing.journeys import OFFER, PROMPT, pair
from testing.probes import in_value_order, table_names
from testing.runner import BotRunner


async def start_checkin(ana: FakeUser, ben: FakeUser) -> None:
    await ana.send("/checkin")
    await ana.wait_for(PROMPT)
    await ben.wait_for(PROMPT)


async def answers(bot: BotRunner) -> list[str]:
    async with bot.services.database.read() as uow:
        rows = await uow.conn.fetch_all("SELECT text FROM answers")
    return sorted(bot.services.database.cipher.open(row[0], "answers") for row in rows)


async def everything(bot: BotRunner, fake: FakeTelegram) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows once the bot has settled, but when each person was last seen."""
    await bot.settle(fake)
    state = {}
    async with bot.services.database.read() as uow:
        for table in await table_names(uow.conn):
            columns = "id, first_name, language, reachable" if table == "users" else "*"
            rows = await uow.conn.fetch_all(f"SELECT {columns} FROM {table}")
            state[table] = in_value_order(tuple(row) for row in rows)
    return state


async def test_a_forwarded_message_is_not_taken_as_an_answer(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)
    await ana.forward("someone else's words", from_user=ben)
    await ana.wait_for(t("checkin.forwarded"))
    await ben.expect_silence()  # no "Ana has answered"
    await ana.expect_silence()
    assert await answers(bot) == []
    # The round is still open for her own words.
    await ana.send("my own words")
    await ana.wait_for("stays private")
    assert await answers(bot) == ["my own words"]


async def test_a_button_without_data_gets_a_quiet_notice_and_changes_nothing(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    offer = next(m for m in reversed(ana.inbox) if OFFER in m.plain)
    buttons = offer.buttons
    assert buttons
    before = await everything(bot, fake)
    pressed = len(ana.answered_callbacks)  # pairing's own press: first steps, not now
    await ana.press(offer, None)  # callback data is optional in the Bot API
    await fake.wait_until(lambda: len(ana.answered_callbacks) == pressed + 1)
    notice = ana.answered_callbacks[-1]
    assert notice["text"] == t("fallback.stale_button") and not notice["show_alert"]
    await ana.expect_silence()
    await ben.expect_silence()
    assert offer.edits == [] and offer.buttons == buttons
    assert await everything(bot, fake) == before


async def test_a_forged_history_button_in_a_group_posts_nothing_there(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await start_checkin(ana, ben)  # a revealed round: a history page would have words to show
    await ana.send("ana private words")
    await ana.wait_for("stays private")
    await ben.send("ben private words")
    await ana.wait_for("You both answered")
    await ben.wait_for("You both answered")
    group = fake.group(-5005, "Friends", kind="supergroup")
    await ana.send("/history", chat=group)
    pointer = await group.wait_for("private chat")  # the only thing Steady says in a group
    pressed = len(ana.answered_callbacks)  # pairing's own press: first steps, not now
    await ana.press(pointer, "v1:hist:999999")  # forged: /history's "show older"
    await fake.wait_until(lambda: len(ana.answered_callbacks) == pressed + 1)
    assert ana.answered_callbacks[-1]["text"] == t("fallback.group_button")
    await group.expect_silence()
    await ana.expect_silence()
    await ben.expect_silence()
    assert group.messages == [pointer]
    assert not any("private words" in m.plain for m in group.messages)
