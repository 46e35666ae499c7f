"""Promises: made in one's own words with a due moment, told kindly, seen, withdrawn, renewed,
weekly; the outcome ask at the due moment (held while paused or in a break).

Through the real application offline (testing.offline) on either engine, and pure functions
for the due moments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import callbacks, pairing, promises
from bot.models import Person
from bot.storage.promises import Promise
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User

ANA = User(7_100_000_001, "Ana")
BEN = User(7_200_000_002, "Ben")
CAREL = User(7_300_000_003, "Carel")
# Thursday 26 Nov 2026, 12:00 UTC (= 12:00 in the default zone, UTC).
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WORDS = "I'll text you if I'm running late this week"


def button(call: Call, label_start: str) -> str:
    """The callback data of the button whose label starts so."""
    for row in call.buttons:
        for label, data in row:
            if label.startswith(label_start):
                return data
    raise AssertionError(f"no button {label_start!r} in {call.buttons}")


async def press(bot: Offline, user: User, data: str, *, group: bool = False) -> list[Call]:
    return await bot.run(bot.updates.button(user, data, group=group))


async def said(bot: Offline, user: User, data: str) -> list[Call]:
    """The messages a press of `data` by `user` sent (its button's own answer left out)."""
    return [c for c in await press(bot, user, data) if c.method == "sendMessage"]


async def promised(bot: Offline, choice: str = "Sunday") -> int:
    """Ana promises WORDS, due at the common moment `choice`; the id of the promise."""
    [offer] = await bot.send(ANA, f"/promise {WORDS}")
    data = button(offer, choice)
    parsed = callbacks.parse(data)
    assert isinstance(parsed, callbacks.PromiseDue)
    await press(bot, ANA, data)
    return parsed.promise_id


def test_the_common_due_moments_are_in_the_promisers_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    thursday_noon = datetime(2026, 11, 26, 12, 0, tzinfo=berlin)
    found = dict(promises.due_choices(thursday_noon))
    assert list(found) == ["tonight", "tomorrow", "sunday", "week"]
    assert found["tonight"] == datetime(2026, 11, 26, 21, 0, tzinfo=berlin)
    assert found["tomorrow"] == datetime(2026, 11, 27, 20, 0, tzinfo=berlin)
    assert found["sunday"] == datetime(2026, 11, 29, 20, 0, tzinfo=berlin)
    assert found["week"] == datetime(2026, 12, 3, 20, 0, tzinfo=berlin)
    # Late in the evening "tonight" is gone; on a Saturday, Sunday is tomorrow (offered once).
    saturday_late = datetime(2026, 11, 28, 20, 30, tzinfo=berlin)
    assert [c for c, _ in promises.due_choices(saturday_late)] == ["tomorrow", "week"]


def test_a_typed_due_moment() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 11, 26, 12, 0, tzinfo=berlin)  # a Thursday
    assert promises.parse_due("sun 20:00", now) == datetime(2026, 11, 29, 20, 0, tzinfo=berlin)
    assert promises.parse_due("вс 20:00", now) == datetime(2026, 11, 29, 20, 0, tzinfo=berlin)
    assert promises.parse_due("So 20 Uhr", now) == datetime(2026, 11, 29, 20, 0, tzinfo=berlin)
    assert promises.parse_due("domingo 20:00", now) == datetime(2026, 11, 29, 20, 0, tzinfo=berlin)
    assert promises.parse_due("11:00", now) == datetime(2026, 11, 27, 11, 0, tzinfo=berlin)
    assert promises.parse_due("2026-12-24 18:00", now) == datetime(
        2026, 12, 24, 18, 0, tzinfo=berlin
    )
    assert promises.parse_due("24.12.2026 18:00", now) == datetime(
        2026, 12, 24, 18, 0, tzinfo=berlin
    )
    for wrong in ("", "someday", "2026-11-25 18:00", "2030-01-01 10:00", "sun"):
        assert promises.parse_due(wrong, now) is None, wrong
    # The spring-forward gap: 02:30 does not exist on 29 March 2026 in Berlin.
    march = datetime(2026, 3, 28, 12, 0, tzinfo=berlin)
    gap = promises.parse_due("2026-03-29 02:30", march)
    assert gap is not None and gap.astimezone(UTC).hour == 1  # 03:00 CEST


async def test_a_promise_is_made_and_the_partner_is_told_kindly(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [offer] = await bot.send(ANA, f"/promise {WORDS}")
        labels = [label for row in offer.buttons for label, _ in row]
        assert labels[0].startswith("Tonight") and labels[-1] == "Another time…"
        assert await bot.queued(BEN.id) == []  # a draft: nobody is told yet
        [made] = await said(bot, ANA, button(offer, "Sunday"))
        assert "Sun 29 Nov, 20:00" in made.plain and made.chat_id == ANA.id
        [told] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        assert WORDS in told.plain and "Ana made you a promise" in told.plain
        # He says he saw it; Ana hears it once.
        [thanks] = await said(bot, BEN, button(told, "🤍"))
        assert thanks.chat_id == BEN.id
        [heard] = [c for c in await bot.deliver() if c.chat_id == ANA.id]
        assert "Ben saw your promise" in heard.plain
        again = await press(bot, BEN, button(told, "🤍"))
        assert [c.method for c in again] == ["answerCallbackQuery"]
        assert [c for c in await bot.deliver() if c.chat_id == ANA.id] == []


async def test_a_due_moment_can_be_typed(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        [hint] = await bot.send(ANA, "/promise when sun 20:00")
        assert "No promise is waiting" in hint.plain
        await bot.send(ANA, f"/promise {WORDS}")
        [bad] = await bot.send(ANA, "/promise when yesterday-ish")
        assert "couldn't read" in bad.plain
        [made] = await bot.send(ANA, "/promise when 2026-12-24 18:00")
        assert "Thu 24 Dec, 18:00" in made.plain
        listing = (await bot.send(ANA, "/promises"))[0].plain
        assert WORDS in listing and "Thu 24 Dec, 18:00" in listing


async def test_only_the_promiser_sets_withdraws_and_only_the_partner_acknowledges(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        await bot.pair(CAREL, User(7_400_000_004, "Dora"))
        [offer] = await bot.send(ANA, f"/promise {WORDS}")
        sunday = button(offer, "Sunday")
        promise_id = callbacks.parse(sunday).promise_id  # type: ignore[union-attr]
        before = await bot.dump(ignore=("users.updated_at",))
        forged = [
            sunday,  # Ben pressing Ana's draft button
            callbacks.PromiseAction(promise_id, "x").encode(),  # Ben withdrawing hers
            callbacks.PromiseAction(promise_id, "w").encode(),
            callbacks.PromiseAction(promise_id, "r").encode(),
            callbacks.PromiseDue(promise_id, "tonight").encode(),
            callbacks.PromiseDue(2**61, "sunday").encode(),  # no such promise
            "v1:pr:d:99999999999999999999:sunday",  # too large for the database
            "v1:pr:a:",
            "",
        ]
        for data in forged:
            calls = await press(bot, BEN, data)
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
        # Someone outside the couple, and a press in a group chat, change nothing either.
        outside = [callbacks.PromiseAction(promise_id, a).encode() for a in "axrwo"]
        for data in (sunday, *outside):
            calls = await press(bot, CAREL, data)
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
            calls = await press(bot, ANA, data, group=True)
            assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert await bot.dump(ignore=("users.updated_at",)) == before
        # Ana acknowledging her own promise is refused; Ben may not set it for her.
        await press(bot, ANA, sunday)
        assert (await press(bot, ANA, callbacks.PromiseAction(promise_id, "a").encode()))[
            0
        ].method == "answerCallbackQuery"


async def test_a_promise_of_an_ended_pairing_is_not_touched_from_the_next_one(
    tmp_path: Path,
) -> None:
    """Ana promised Ben, they parted, she paired with Dora: her old buttons change nothing,
    and Dora never hears of the promise Ana made Ben (its words are theirs)."""
    dora, clock = User(7_400_000_004, "Dora"), StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        promise_id = await promised(bot)
        couple = await pairing.current_couple(bot.db, ANA.id)
        assert couple is not None
        assert await pairing.unpair(bot.db, ANA.id, couple.id, clock.timestamp())
        await bot.pair(ANA, dora)
        await bot.deliver()
        before = await bot.dump(ignore=("users.updated_at",))
        for action in "xwoa":
            data = callbacks.PromiseAction(promise_id, action).encode()
            for user in (ANA, dora):
                calls = await press(bot, user, data)
                assert [c.method for c in calls] == ["answerCallbackQuery"], (user, action)
        assert await bot.dump(ignore=("users.updated_at",)) == before
        assert await bot.deliver() == []


async def test_a_promise_withdrawn_before_its_due_time_tells_the_partner(tmp_path: Path) -> None:
    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        promise_id = await promised(bot)
        await bot.deliver()
        listing = (await bot.send(ANA, "/promises"))[0]
        [withdrawn] = await said(bot, ANA, button(listing, "Withdraw"))
        assert "withdrawn" in withdrawn.plain
        [told] = [c for c in await bot.deliver() if c.chat_id == BEN.id]
        assert "Ana withdrew the promise" in told.plain and WORDS in told.plain
        # Withdrawn: nothing is asked at the due moment, and a second press changes nothing.
        again = await press(bot, ANA, callbacks.PromiseAction(promise_id, "x").encode())
        assert [c.method for c in again] == ["answerCallbackQuery"]
        clock.advance(timedelta(days=4))
        assert await promises.run_due(bot.db, clock.timestamp(), "UTC") == 0
        assert "No promises yet" in (await bot.send(BEN, "/promises"))[0].plain


async def test_promises_need_a_pair_and_words(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        [alone] = await bot.send(ANA, f"/promise {WORDS}")
        assert "/pair" in alone.plain
        await bot.pair(ANA, BEN)
        [usage] = await bot.send(ANA, "/promise")
        assert "in your own words" in usage.plain
        [long] = await bot.send(ANA, "/promise " + "x" * (promises.MAX_WORDS + 1))
        assert "small, concrete" in long.plain


async def test_the_partner_is_asked_at_the_due_moment_unless_it_is_night_for_them(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        await bot.send(BEN, "/timezone Asia/Tokyo")
        berlin_evening = int(
            datetime(2026, 11, 29, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
        )
        async with bot.db.read() as uow:
            ben = Person(BEN.id, "Ben")
            # 20:00 in Berlin is 04:00 in Tokyo: his question waits for 08:00 his time.
            asked = await promises.partner_moment(uow, ben, berlin_evening, "UTC")
            assert datetime.fromtimestamp(asked, ZoneInfo("Asia/Tokyo")) == datetime(
                2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")
            )
            # 08:00 in Berlin is 16:00 in Tokyo: the same moment.
            morning = berlin_evening - 12 * 3600
            assert await promises.partner_moment(uow, ben, morning, "UTC") == morning
            # 22:30 his time, before midnight: the next morning.
            late = int(datetime(2026, 11, 29, 22, 30, tzinfo=ZoneInfo("Asia/Tokyo")).timestamp())
            assert datetime.fromtimestamp(
                await promises.partner_moment(uow, ben, late, "UTC"), ZoneInfo("Asia/Tokyo")
            ) == datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_again_next_week_keeps_the_local_time_across_a_change_of_clocks() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    saturday = datetime(2026, 10, 24, 20, 0, tzinfo=berlin)  # summer time; clocks go back on 25
    made = Promise(
        1, 1, 1, "w", "done", 0, "2026-10-24T20:00", "Europe/Berlin", int(saturday.timestamp()),
        None, False, None, None, None, None,
    )  # fmt: skip
    after = int(saturday.timestamp()) + 3600
    again = promises._week_after(made, after, berlin)
    assert again == datetime(2026, 10, 31, 20, 0, tzinfo=berlin)
    assert again.utcoffset() == timedelta(hours=1)  # winter time: still 20:00 on the wall
    # Weeks later, the next one still ahead.
    later = int(datetime(2026, 11, 20, tzinfo=berlin).timestamp())
    assert promises._week_after(made, later, berlin) == datetime(2026, 11, 21, 20, 0, tzinfo=berlin)


async def test_a_long_list_of_promises_comes_in_messages_that_fit(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        for n in range(15):
            await bot.send(ANA, f"/promise {n} " + "word " * 70)
        pages = await bot.send(ANA, "/promises")
        assert len(pages) > 1 and all(len(p.text) <= 4096 for p in pages)
        assert pages[-1].buttons and not any(p.buttons for p in pages[:-1])
        assert sum(p.plain.count("no due time yet") for p in pages) == 15


async def test_a_promise_starting_with_when_is_kept_as_a_promise(tmp_path: Path) -> None:
    """ "/promise Cuando llegue tarde, aviso" is a promise in Spanish ("When…",
    "Когда…", "Wann…" alike), not "/promise when <moment>": its words were dropped, and the
    person heard "no promise is waiting for a due time". A short moment still sets one."""
    async with Offline(tmp_path, StoppedClock(NOON)) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        for words in ("Cuando llegue tarde, aviso", "When I'm late I'll text you"):
            [offer] = await bot.send(ANA, f"/promise {words}")
            assert offer.buttons, offer.plain  # the due moments of a kept draft
        [made] = await bot.send(ANA, "/promise when sun 20:00")
        assert "Sun" in made.plain, made.plain
        async with bot.db.read() as uow:
            rows = await uow.conn.fetch_all("SELECT text, due_local FROM promises ORDER BY id")
        texts = [(bot.db.cipher.open(r["text"], "promises"), r["due_local"]) for r in rows]
        assert texts == [
            ("Cuando llegue tarde, aviso", None),
            ("When I'm late I'll text you", "2026-11-29T20:00"),  # the newest draft's moment
        ]


async def test_a_promise_cannot_be_withdrawn_once_its_due_moment_passed(tmp_path: Path) -> None:
    """Withdrawing is "before the due moment". An outcome ask held by a break (or a pause)
    kept the promise open past it, and withdraw looked only at the status: the promiser
    could take it back after it fell due, and the partner was never asked how it went."""
    from bot import repair

    clock = StoppedClock(NOON)
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        now = int(NOON.timestamp())
        drafted = await promises.draft(bot.db, ANA.id, WORDS, now, "UTC")
        assert drafted.promise_id is not None
        made = await promises.choose_due(bot.db, ANA.id, drafted.promise_id, "tomorrow", now, "UTC")
        assert made.due is not None
        due = int(made.due.timestamp())
        await repair.start_break(bot.db, BEN.id, "morning", due - 1800, "UTC")
        assert await promises.run_due(bot.db, due, "UTC") == 0  # held by the break
        clock.advance(timedelta(seconds=due + 3600 - now))
        [listing] = await bot.send(ANA, "/promises")
        assert not [label for row in listing.buttons for label, _ in row if "Withdraw" in label]
        late = await promises.withdraw(bot.db, ANA.id, drafted.promise_id, due + 3600)
        assert late.outcome is promises.Outcome.STALE
        early = await promises.withdraw(bot.db, ANA.id, drafted.promise_id, due - 1)
        assert early.outcome is promises.Outcome.WITHDRAWN


async def test_an_old_due_button_sets_the_moment_its_label_named_or_none(tmp_path: Path) -> None:
    """Thursday's offer says "In a week, Thu 3 Dec, 20:00". Pressed on Saturday it set Sat
    5 Dec (the choice was worked out again from the press), a moment the person never saw.
    Now it is the labelled moment; one that has passed ("tonight", the next day) is refused."""
    clock = StoppedClock(NOON)  # Thursday noon, UTC
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [offer] = await bot.send(ANA, f"/promise {WORDS}")
        week, tonight = button(offer, "In a week"), button(offer, "Tonight")
        labels = [label for row in offer.buttons for label, _ in row]
        assert any(
            label.startswith("In a week") and "Thu 3 Dec, 20:00" in label for label in labels
        )
        clock.advance(timedelta(days=2))  # Saturday
        assert "no longer" in (await press(bot, ANA, tonight))[0].plain.lower()
        await press(bot, ANA, week)
        async with bot.db.read() as uow:
            assert await uow.conn.fetch_value("SELECT due_local FROM promises") == (
                "2026-12-03T20:00"
            )


async def test_a_due_button_pressed_after_a_zone_change_sets_the_day_its_label_named(
    tmp_path: Path,
) -> None:
    """Wednesday 23:30 in UTC, Ana's zone then, the offer says "Tomorrow, Thu 26 Nov". She
    moves to Tokyo (Thursday morning there) and presses it: worked out again in her new
    zone, "tomorrow" was Fri 27 Nov, a day no label showed her."""
    clock = StoppedClock(datetime(2026, 11, 25, 23, 30, tzinfo=UTC))
    async with Offline(tmp_path, clock) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [offer] = await bot.send(ANA, f"/promise {WORDS}")
        labels = [label for row in offer.buttons for label, _ in row]
        assert any(label.startswith("Tomorrow") and "26 Nov" in label for label in labels)
        await bot.send(ANA, "/timezone Asia/Tokyo")
        clock.advance(timedelta(minutes=1))
        await press(bot, ANA, button(offer, "Tomorrow"))
        async with bot.db.read() as uow:
            row = await uow.conn.fetch_one("SELECT due_local, zone FROM promises")
        assert (row["due_local"], row["zone"]) == ("2026-11-26T20:00", "UTC")
