"""Updates run side by side across people, and in order for each person."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.update_order import InOrderPerPerson


def message_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, f"U{user_id}", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat, from_user=user, text="hi"))  # type: ignore[arg-type]


async def test_one_persons_updates_keep_their_order_while_others_go_ahead() -> None:
    processor = InOrderPerPerson()
    finished: list[str] = []

    async def work(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    jobs = [
        (message_from(1, 1), work("ana first (slow)", 0.2)),
        (message_from(1, 2), work("ana second", 0)),
        (message_from(2, 3), work("ben", 0)),
    ]
    # As PTB does: one task per update, started in arrival order.
    await asyncio.gather(*(processor.process_update(u, c) for u, c in jobs))
    assert finished == ["ben", "ana first (slow)", "ana second"]
    assert processor._last == {}  # nobody's place in line is kept after their last update


async def test_a_failed_update_does_not_hold_up_the_next() -> None:
    processor = InOrderPerPerson()
    finished: list[str] = []

    async def fails() -> None:
        await asyncio.sleep(0.05)
        raise RuntimeError("handler bug")

    async def works() -> None:
        finished.append("second")

    first = asyncio.ensure_future(processor.process_update(message_from(1, 1), fails()))
    second = asyncio.ensure_future(processor.process_update(message_from(1, 2), works()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and finished == ["second"]


async def test_an_update_cancelled_while_waiting_its_turn_never_runs() -> None:
    processor = InOrderPerPerson()
    ran: list[str] = []

    async def slow() -> None:
        await asyncio.sleep(0.1)
        ran.append("first")

    async def later() -> None:
        ran.append("second")

    first = asyncio.ensure_future(processor.process_update(message_from(1, 1), slow()))
    waiting = asyncio.ensure_future(processor.process_update(message_from(1, 2), later()))
    await asyncio.sleep(0.01)
    waiting.cancel()
    await first
    await asyncio.sleep(0)
    assert ran == ["first"] and waiting.cancelled()
    assert processor._last == {}


async def test_a_cancelled_update_keeps_the_next_one_waiting_for_the_one_before() -> None:
    processor = InOrderPerPerson()
    events: list[str] = []

    async def slow() -> None:
        events.append("first starts")
        await asyncio.sleep(0.1)
        events.append("first ends")

    async def third() -> None:
        events.append("third")

    async def never() -> None:
        events.append("second")

    first = asyncio.ensure_future(processor.process_update(message_from(1, 1), slow()))
    second = asyncio.ensure_future(processor.process_update(message_from(1, 2), never()))
    last = asyncio.ensure_future(processor.process_update(message_from(1, 3), third()))
    await asyncio.sleep(0.01)
    second.cancel()
    await asyncio.gather(first, last)
    assert events == ["first starts", "first ends", "third"]
