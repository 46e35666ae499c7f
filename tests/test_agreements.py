"""Agreements: active only once the partner accepted the same words; changes, revisions and
retirement need both; every step is kept as history.

Through the real application offline (testing.offline) on either engine."""

from __future__ import annotations

from pathlib import Path

from bot import agreements, callbacks
from testing.clock import StoppedClock
from testing.offline import Call, Offline, User

ANA = User(8_100_000_001, "Ana")
BEN = User(8_200_000_002, "Ben")
WORDS = "We tell each other when plans change"
OTHER = "We tell each other when plans change, by noon"


def button(call: Call, label_start: str) -> str:
    for row in call.buttons:
        for label, data in row:
            if label.startswith(label_start):
                return data
    raise AssertionError(f"no button {label_start!r} in {call.buttons}")


async def press(bot: Offline, user: User, data: str, *, group: bool = False) -> list[Call]:
    return await bot.run(bot.updates.button(user, data, group=group))


async def said(bot: Offline, user: User, data: str) -> list[Call]:
    return [c for c in await press(bot, user, data) if c.method == "sendMessage"]


async def delivered_to(bot: Offline, user: User) -> list[Call]:
    return [c for c in await bot.deliver() if c.chat_id == user.id]


async def active(bot: Offline, user: User) -> list[str]:
    found = await agreements.listing(bot.db, user.id)
    assert found is not None
    return [e.text for e in found if e.status == "active"]


async def test_an_agreement_is_active_only_once_the_partner_accepts(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        [sent] = await bot.send(ANA, f"/agree {WORDS}")
        assert "once they accept" in sent.plain
        assert await active(bot, ANA) == []
        [asked] = await delivered_to(bot, BEN)
        assert WORDS in asked.plain and "Ana proposes an agreement" in asked.plain
        listing = (await bot.send(ANA, "/agreements"))[0].plain
        assert "waiting for your partner" in listing
        [done] = await said(bot, BEN, button(asked, "Accept"))
        assert "is now an agreement" in done.plain
        [heard] = await delivered_to(bot, ANA)
        assert "Ben accepted" in heard.plain
        assert await active(bot, ANA) == await active(bot, BEN) == [WORDS]
        # A second "accept" changes nothing; nor does "decline" on the same, accepted words
        # (Ana would hear Ben would rather not, of words now their agreement).
        again = await press(bot, BEN, button(asked, "Accept"))
        assert [c.method for c in again] == ["answerCallbackQuery"]
        late = await press(bot, BEN, button(asked, "Decline"))
        assert [c.method for c in late] == ["answerCallbackQuery"]
        assert await delivered_to(bot, ANA) == []
        assert await active(bot, ANA) == await active(bot, BEN) == [WORDS]


async def test_the_proposer_cannot_accept_their_own_words(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        calls = await press(bot, ANA, button(asked, "Accept"))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        calls = await press(bot, ANA, button(asked, "Accept"), group=True)
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert await active(bot, ANA) == []


async def test_a_change_must_be_accepted_by_the_first(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        [how] = await said(bot, BEN, button(asked, "Propose other words"))
        number = how.plain.split("/agree #")[1].split()[0]
        await bot.send(BEN, f"/agree #{number} {OTHER}")
        # Ben's "accept" of Ana's first words is stale now: they were replaced.
        calls = await press(bot, BEN, button(asked, "Accept"))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert await active(bot, ANA) == []
        [counter] = await delivered_to(bot, ANA)
        assert OTHER in counter.plain and "other words" in counter.plain
        await said(bot, ANA, button(counter, "Accept"))
        assert await active(bot, BEN) == [OTHER]


async def test_a_decline_is_gentle_and_nothing_becomes_active(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        await said(bot, BEN, button(asked, "Decline"))
        [heard] = await delivered_to(bot, ANA)
        assert "That's okay" in heard.plain
        assert await active(bot, ANA) == []
        assert "No agreements yet" in (await bot.send(ANA, "/agreements"))[0].plain


async def test_a_revision_holds_only_once_both_accept_and_history_keeps_every_step(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        await said(bot, BEN, button(asked, "Accept"))
        await bot.deliver()
        listing = (await bot.send(BEN, "/agreements"))[0]
        [how] = await said(bot, BEN, button(listing, "Revise"))
        number = how.plain.split("/agree #")[1].split()[0]
        await bot.send(BEN, f"/agree #{number} {OTHER}")
        assert await active(bot, ANA) == [WORDS]  # the old words hold meanwhile
        assert OTHER in (await bot.send(ANA, "/agreements"))[0].plain
        [revision] = await delivered_to(bot, ANA)
        await said(bot, ANA, button(revision, "Accept"))
        assert await active(bot, ANA) == [OTHER]
        async with bot.db.read() as uow:
            [agreement] = await uow.agreements.of_couple(
                (await uow.couples.active_for(ANA.id)).id,  # type: ignore[union-attr]
                ("active",),
            )
            versions = await uow.agreements.versions(agreement.id)
            events = await uow.agreements.events(agreement.id)
        assert [(v.text, v.status) for v in versions] == [
            (WORDS, "superseded"),
            (OTHER, "accepted"),
        ]
        assert [(e.what, e.user_id) for e in events] == [
            ("proposed", ANA.id),
            ("accepted", BEN.id),
            ("revised", BEN.id),
            ("accepted", ANA.id),
        ]


async def test_retiring_needs_both_and_it_stays_active_until_then(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        await said(bot, BEN, button(asked, "Accept"))
        await bot.deliver()
        listing = (await bot.send(ANA, "/agreements"))[0]
        [asked_retire] = await said(bot, ANA, button(listing, "Retire"))
        assert "stays active until Ben confirms" in asked_retire.plain
        assert await active(bot, BEN) == [WORDS]
        [confirm] = await delivered_to(bot, BEN)
        # Ana cannot confirm her own request.
        calls = await press(bot, ANA, button(confirm, "Retire it"))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        # Ben keeps it: still active; asked again, he confirms: retired.
        await said(bot, BEN, button(confirm, "Keep it"))
        assert await active(bot, ANA) == [WORDS]
        await bot.deliver()
        listing = (await bot.send(ANA, "/agreements"))[0]
        await said(bot, ANA, button(listing, "Retire"))
        [confirm] = await delivered_to(bot, BEN)
        [retired] = await said(bot, BEN, button(confirm, "Retire it"))
        assert "stays in your history" in retired.plain
        assert await active(bot, ANA) == []


async def test_forged_and_foreign_agreement_buttons_change_nothing(tmp_path: Path) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        carel, dora = User(8_300_000_003, "Carel"), User(8_400_000_004, "Dora")
        await bot.pair(carel, dora)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        accept = button(asked, "Accept")
        before = await bot.dump(ignore=("users.updated_at",))
        for user, data in (
            (carel, accept),
            (dora, accept),
            (carel, callbacks.AgreeAction(1, "r").encode()),
            (BEN, callbacks.AgreeAnswer(2**61, "y").encode()),
            (BEN, callbacks.AgreeAction(1, "y").encode()),  # nobody asked to retire it
            (BEN, "v1:ag:a:1:q"),
            (BEN, "v1:ag:a:123456789012345678901:y"),
            (BEN, ""),
        ):
            calls = await press(bot, user, data)
            assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert await bot.dump(ignore=("users.updated_at",)) == before
        # /agree #n for another couple's agreement: unknown.
        [unknown] = await bot.send(carel, "/agree #1 mine now")
        assert "don't know that agreement" in unknown.plain


async def test_new_words_waiting_when_an_agreement_is_retired_cannot_bring_it_back(
    tmp_path: Path,
) -> None:
    async with Offline(tmp_path, StoppedClock()) as bot:
        await bot.pair(ANA, BEN)
        await bot.deliver()
        await bot.send(ANA, f"/agree {WORDS}")
        [asked] = await delivered_to(bot, BEN)
        await said(bot, BEN, button(asked, "Accept"))
        await bot.deliver()
        await bot.send(ANA, f"/agree #1 {OTHER}")  # new words, waiting for Ben
        [revision] = await delivered_to(bot, BEN)
        listing = (await bot.send(BEN, "/agreements"))[0]
        await said(bot, BEN, button(listing, "Retire"))
        [confirm] = await delivered_to(bot, ANA)
        await said(bot, ANA, button(confirm, "Retire it"))
        assert await active(bot, ANA) == []
        calls = await press(bot, BEN, button(revision, "Accept"))
        assert [c.method for c in calls] == ["answerCallbackQuery"]
        assert await active(bot, ANA) == []
