"""First steps at the domain level: the offer, both saying yes, not now, stop, roles and prompts."""

from __future__ import annotations

import itertools
import random
from datetime import time

import pytest

from bot import asks, checkins, firststeps, pairing, privacy, prompts, repair, scheduling
from bot.firststeps import Outcome
from bot.firststeps_words import ROLE_CHOICES, resolve
from bot.models import Person
from bot.storage.db import Database
from testing.probes import deliver, holding
from testing.seeding import INVITE_KEY

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
CAL = Person(303, "Cal")
NOW = 1_800_000_000


async def paired(db: Database, a: Person = ANA, b: Person = BEN) -> list[tuple[int, str, str]]:
    code = (await pairing.create_invite(db, a, NOW, INVITE_KEY)).code
    assert (await pairing.join(db, b, code, NOW, INVITE_KEY)).outcome is pairing.JoinOutcome.PAIRED
    return await deliver(db, NOW)


async def journey_id(db: Database) -> int:
    async with db.read() as uow:
        return await uow.conn.fetch_value("SELECT MAX(id) FROM first_steps")


def kinds(sent: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """(chat, kind) of each message: the dedupe key's first part, and a first-steps notice's
    own second part."""
    found = []
    for chat, key, _ in sent:
        parts = key.split(":")
        found.append((chat, ":".join(parts[:2]) if parts[0] == firststeps.KIND else parts[0]))
    return found


async def test_after_pairing_both_are_offered_first_steps_before_any_schedule(
    db: Database,
) -> None:
    sent = await paired(db)
    assert (ANA.id, "firststeps:offer") in kinds(sent)
    assert (BEN.id, "firststeps:offer") in kinds(sent)
    assert all(kind != "offer" for _, kind in kinds(sent))  # no check-in offer yet


async def test_not_now_tells_the_partner_and_offers_check_ins(db: Database) -> None:
    await paired(db)
    journey = await journey_id(db)
    view = await firststeps.decline(db, BEN.id, journey, NOW + 60)
    assert view.outcome is Outcome.DECLINED
    sent = kinds(await deliver(db, NOW + 60))
    assert (ANA.id, "firststeps:declined") in sent
    assert {(ANA.id, "offer"), (BEN.id, "offer")} <= set(sent)
    # A second press (or the partner's) changes nothing.
    assert (await firststeps.decline(db, ANA.id, journey, NOW + 61)).outcome is Outcome.STALE
    assert await deliver(db, NOW + 61) == []


async def test_the_first_yes_asks_the_partner_and_a_second_press_only_waits(db: Database) -> None:
    await paired(db)
    journey = await journey_id(db)
    assert (await firststeps.say_yes(db, ANA.id, journey, "daily", NOW)).outcome is Outcome.ASKED
    sent = await deliver(db, NOW)
    [(chat, _, text)] = sent
    assert chat == BEN.id and "Ana would like to begin" in text and "20:00" in text
    again = await firststeps.say_yes(db, ANA.id, journey, "ready", NOW)
    assert again.outcome is Outcome.WAITING
    assert await deliver(db, NOW) == []


async def test_firststeps_from_one_partner_asks_only_them_until_they_say_yes(
    db: Database,
) -> None:
    await paired(db)
    await firststeps.decline(db, ANA.id, await journey_id(db), NOW)
    await deliver(db, NOW)
    view = await firststeps.show(db, ANA.id, NOW + 60)
    assert view.outcome is Outcome.OFFERED and view.buttons
    assert await deliver(db, NOW + 60) == []  # Ben hears nothing of it yet
    # Ana changes her mind: Ben never knew, so he is told nothing.
    assert (await firststeps.decline(db, ANA.id, await journey_id(db), NOW + 61)).outcome is (
        Outcome.DECLINED
    )
    assert [chat for chat, _ in kinds(await deliver(db, NOW + 61))] == []


async def test_buttons_of_another_couple_or_no_journey_change_nothing(db: Database) -> None:
    await paired(db)
    journey = await journey_id(db)
    await paired(db, CAL, Person(404, "Dee"))
    for action in (
        firststeps.say_yes(db, CAL.id, journey, "daily", NOW),
        firststeps.decline(db, CAL.id, journey, NOW),
        firststeps.stop(db, CAL.id, journey, NOW),
        firststeps.say_yes(db, ANA.id, 2**62, "daily", NOW),
        firststeps.say_yes(db, ANA.id, journey, "whenever", NOW),
        firststeps.next_step(db, ANA.id, journey, "schedule"),  # not done yet
    ):
        assert (await action).outcome is Outcome.STALE
    assert await deliver(db, NOW) == []
    assert (await firststeps.show(db, 999, NOW)).outcome is Outcome.NOT_PAIRED


async def test_ending_the_pairing_ends_first_steps_and_erasing_leaves_no_trace(
    db: Database,
) -> None:
    await paired(db)
    journey = await journey_id(db)
    await firststeps.say_yes(db, ANA.id, journey, "daily", NOW)
    async with db.read() as uow:
        couple = await uow.couples.active_for(ANA.id)
    assert couple is not None
    await pairing.unpair(db, BEN.id, couple.id, NOW + 60)
    async with db.read() as uow:
        assert (await uow.firststeps.get(journey)).status == "stopped"  # type: ignore[union-attr]

    await privacy.erase(db, ANA.id, NOW + 120)
    assert await holding(db, ANA.id) == []


def test_a_couple_without_roles_gets_only_the_untagged_rotation() -> None:
    untagged = {i for i, p in prompts.library().items() if not p.roles}
    assert set(prompts.eligible(None)) == untagged
    assert len(untagged) < len(prompts.library())  # the library has role prompts
    used: set[str] = set()
    last = None
    for _ in range(len(untagged)):
        prompt, _ = prompts.choose(used, last, random.Random(len(used)))
        assert not prompt.roles
        used.add(prompt.id)
        last = prompt.category
    assert used == untagged


def test_a_couple_with_roles_gets_prompts_fitting_them_first() -> None:
    for roles in prompts.ROLES:
        fitting = {i for i, p in prompts.library().items() if roles in p.roles}
        assert fitting
        used: set[str] = set()
        last = None
        first_pass = []
        for _ in range(len(prompts.CATEGORIES)):  # one prompt from each category
            prompt, _ = prompts.choose(used, last, random.Random(3), roles)
            used.add(prompt.id)
            last = prompt.category
            first_pass.append(prompt.id)
        assert fitting <= set(first_pass)


async def test_check_ins_of_a_couple_with_roles_draw_from_their_prompts(db: Database) -> None:
    await paired(db)
    journey = await journey_id(db)
    async with db.unit() as uow:
        await uow.firststeps.set_roles(journey, "split", BEN.id)
    fitting = {i for i, p in prompts.library().items() if "split" in p.roles}
    seen = set()
    for day in range(len(prompts.CATEGORIES)):
        now = NOW + day * 86400
        await checkins.close_due(db, now + 1)
        await checkins.start_round(db, ANA.id, now + 2, random.Random(day))
        async with db.read() as uow:
            seen.add(
                await uow.conn.fetch_value(
                    "SELECT prompt_id FROM rounds WHERE id = (SELECT MAX(id) FROM rounds)"
                )
            )
    assert fitting <= seen


async def test_scheduled_check_ins_of_a_couple_with_roles_draw_from_their_prompts(
    db: Database,
) -> None:
    """The same through due work, which chooses for many couples at once."""
    await paired(db)
    await paired(db, CAL, Person(404, "Dee"))  # no roles: never a role prompt
    journey = await journey_id(db) - 1
    async with db.unit() as uow:
        await uow.firststeps.set_roles(journey, "both", None)
    for person in (ANA, CAL):
        await scheduling.set_schedule(db, person.id, scheduling.DEFAULT_SCHEDULE, NOW, "UTC")
    fitting = {i for i, p in prompts.library().items() if "both" in p.roles}
    for day in range(len(prompts.CATEGORIES) + 1):
        at_eight = NOW + 12 * 3600 + 60 + day * 86400  # NOW is 08:00 UTC; the slot 20:00
        await scheduling.run_due(db, at_eight, 3600, "UTC", random.Random(day))
    async with db.read() as uow:
        rows = await uow.conn.fetch_all(
            "SELECT m.user_id, r.prompt_id FROM rounds r "
            "JOIN couple_members m ON m.couple_id = r.couple_id"
        )
    ours = {r["prompt_id"] for r in rows if r["user_id"] == ANA.id}
    theirs = {r["prompt_id"] for r in rows if r["user_id"] == CAL.id}
    assert len(ours) >= len(prompts.CATEGORIES) and fitting <= ours
    assert not theirs & {i for i, p in prompts.library().items() if p.roles}


async def running(db: Database, stage: int, at: int, *, plan: str, pace: str = "daily") -> int:
    """A journey both said yes to, with `stage` due at `at`."""
    await paired(db)
    journey = await journey_id(db)
    async with db.unit() as uow:
        assert await uow.firststeps.first_yes(journey, ANA.id, pace)
        assert await uow.firststeps.begin(journey, BEN.id, pace, NOW)
        await uow.firststeps.set_next(journey, stage, at, plan)
    return journey


async def test_one_step_a_day_comes_at_the_time_in_each_partners_own_zone(db: Database) -> None:
    journey = await running(db, firststeps.ACKNOWLEDGE, NOW, plan="later")
    await scheduling.set_timezone(db, ANA, "Europe/Berlin", NOW, "UTC")
    await scheduling.set_timezone(db, BEN, "America/New_York", NOW, "UTC")
    await firststeps.run_due(db, NOW, "UTC")
    async with db.read() as uow:
        planned = await uow.firststeps.get(journey)
        moments = await firststeps._moments(uow, await uow.couples.get(planned.couple_id), planned,
                                            planned.next_at - 1, "UTC")  # fmt: skip
    # NOW is 08:00 UTC: 20:00 in Berlin is 19:00 UTC; in New York, 01:00 UTC the next day.
    assert planned is not None and planned.plan == "local" and planned.next_at == NOW + 11 * 3600
    assert moments == {ANA.id: NOW + 11 * 3600, BEN.id: NOW + 17 * 3600}
    assert planned.round_id is None  # opened only when that moment comes


async def test_nothing_new_comes_while_a_conflict_break_runs(db: Database) -> None:
    journey = await running(db, firststeps.ACKNOWLEDGE, NOW, plan="local")
    result = await repair.start_break(db, ANA.id, "1h", NOW - 60, "UTC")
    assert result.outcome is repair.Outcome.STARTED
    await firststeps.run_due(db, NOW, "UTC")
    async with db.read() as uow:
        waiting = await uow.firststeps.get(journey)
        current = await uow.breaks.active_for(waiting.couple_id, NOW)  # type: ignore[union-attr]
    assert waiting is not None and waiting.round_id is None
    assert current is not None and waiting.next_at == current.ends_at and waiting.plan == "at"


@pytest.mark.parametrize(("ana", "ben"), list(itertools.product(ROLE_CHOICES, repeat=2)))
def test_only_hurt_with_caused_is_kept_as_chosen(ana: str, ben: str) -> None:
    roles, hurt = resolve({ANA.id: ana, BEN.id: ben})
    if {ana, ben} == {"hurt", "caused"}:
        assert (roles, hurt) == ("split", ANA.id if ana == "hurt" else BEN.id)
    else:  # both hurt, both caused, any "both ways" or "rather not say"
        assert (roles, hurt) == ("both", None)


async def through_roles(db: Database) -> int:
    """A journey at the "ready" pace with both roles chosen (hurt, caused): step 1 is open."""
    await paired(db)
    journey = await journey_id(db)
    await firststeps.say_yes(db, ANA.id, journey, "ready", NOW)
    await firststeps.say_yes(db, BEN.id, journey, "ready", NOW)
    await deliver(db, NOW)
    async with db.read() as uow:
        roles = await uow.conn.fetch_value("SELECT MAX(id) FROM rounds")
    assert await asks.choose(db, ANA.id, roles, 0, NOW) is asks.Outcome.SAVED
    assert await asks.choose(db, BEN.id, roles, 1, NOW) is asks.Outcome.REVEALED
    await deliver(db, NOW)  # step 1 reaches both
    return journey


async def test_roles_steps_and_decisions_join_export_and_leave_with_erase(db: Database) -> None:
    await through_roles(db)
    await checkins.answer(db, ANA, "what happened, as I saw it", 11, NOW)
    # Not yet revealed: Ana's export holds her own words, Ben's holds nothing of them.
    ben_export = await privacy.export(db, BEN.id, NOW)
    assert ben_export is not None and "as I saw it" not in str(ben_export.document)
    await checkins.answer(db, BEN, "what happened, from me", 12, NOW)
    export = await privacy.export(db, ANA.id, NOW)
    assert export is not None
    revealed = {r["kind"]: r for r in export.document["revealed_to_me"]}
    assert revealed["fs-roles"]["my_choice"] == "I was mostly hurt"
    assert revealed["fs-roles"]["partner_choice"] == "I mostly caused the hurt"
    assert revealed["firststep"]["partner"] == "what happened, from me"
    assert "step 1 of 3" in revealed["firststep"]["question"]
    await privacy.erase(db, ANA.id, NOW + 60)
    assert await holding(db, ANA.id, "as I saw it") == []


async def test_a_stopped_step_deletes_its_unrevealed_words_unread(db: Database) -> None:
    journey = await through_roles(db)
    await checkins.answer(db, ANA, "words nobody reads", 11, NOW)
    view = await firststeps.stop(db, BEN.id, journey, NOW + 60)
    assert view.outcome is Outcome.STOPPED
    sent = await deliver(db, NOW + 60)
    assert not any("words nobody reads" in text for _, _, text in sent)
    async with db.read() as uow:
        assert await uow.conn.fetch_value("SELECT COUNT(*) FROM answers WHERE text LIKE ?",
                                          ("%nobody%",)) == 0  # fmt: skip
    assert (await firststeps.stop(db, ANA.id, journey, NOW + 61)).outcome is Outcome.STALE


async def test_the_time_they_pick_is_each_ones_own_local_time(db: Database) -> None:
    journey = await running(db, firststeps.ACKNOWLEDGE, NOW, plan="later")
    await scheduling.set_timezone(db, BEN, "Asia/Tokyo", NOW, "UTC")
    view = await firststeps.set_time(db, ANA.id, time(7, 15), NOW)
    assert view.outcome is Outcome.TIME_SET
    [(chat, _, text)] = [m for m in await deliver(db, NOW) if m[1].startswith("firststeps:")]
    assert chat == BEN.id and "07:15" in text
    await firststeps.run_due(db, NOW, "UTC")
    async with db.read() as uow:
        planned = await uow.firststeps.get(journey)
    # NOW is 08:00 UTC (17:00 in Tokyo): 07:15 comes first in Tokyo (22:15 UTC), then in UTC.
    assert planned is not None and planned.next_at == NOW + 14 * 3600 + 15 * 60


async def test_a_week_later_ask_waits_for_the_morning_where_it_is_night(db: Database) -> None:
    """ "Not sure" is asked again a week on; at night where someone lives, at 08:00 there."""
    journey = await running(db, firststeps.DECIDE, NOW, plan="at")
    await scheduling.set_timezone(db, BEN, "Asia/Tokyo", NOW, "UTC")  # 17:00 there
    late = NOW + 6 * 3600  # 14:00 UTC, 23:00 in Tokyo
    async with db.unit() as uow:
        await uow.firststeps.plan(journey, late, "at")
    await firststeps.run_due(db, late, "UTC")
    async with db.read() as uow:
        opened = await uow.firststeps.get(journey)
        assert opened is not None and opened.round_id is not None
        seen = await uow.rounds.participants(opened.round_id)
    assert seen[ANA.id][0] == late
    assert seen[BEN.id][0] == NOW + 15 * 3600  # 08:00 in Tokyo is 23:00 UTC
