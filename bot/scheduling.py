"""Couples' check-in schedules: set, paused, skipped, and turned into rounds when due.

A schedule is days + a wall-clock time. Each partner gets the prompt at that time in their own
zone; the round opens at the earlier of the two moments and is one round for both. The next
due slot is a row in the database, so the tick finds it again after any restart.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot import checkins, prompts, ratings, weekly
from bot.callbacks import AcceptDefaultSchedule, PickDays
from bot.models import Button, Couple, Person
from bot.schedule_rules import (
    DAY_NAMES,
    EVERY_DAY,
    WEEKDAYS,
    Schedule,
    local_instant,
    next_slot,
    paused_at,
    zone_or_none,
)
from bot.storage import outbox, schedules
from bot.storage.db import Database, in_one_trip
from bot.storage.unit import Unit
from bot.texts import day_name, local_time, t
from bot.zones import zone_of

DEFAULT_SCHEDULE = Schedule(EVERY_DAY, time(20, 0))
FOREVER = 253_402_300_799  # 9999-12-31: "paused until resumed"
DUE_BATCH = 250  # couples a transaction: tens of ms on SQLite, about 100 on PostgreSQL (bench.due)


class Outcome(enum.Enum):
    SAVED = "saved"
    NOT_PAIRED = "not_paired"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Overview:
    """What /schedule shows a person."""

    schedule: Schedule | None
    paused_until: int | None  # None once a dated pause is over, though not yet cleared
    skip_next: bool
    next_for_me: datetime | None  # the next check-in that will come (not skipped), my zone
    zone: str
    # A dated pause's end as asked ("/pause 12 Jan"): the same date for both partners, whatever
    # their zones (its moment is midnight in the pauser's).
    paused_day: date | None = None


async def _zones(uow: Unit, couple: Couple, default: str) -> dict[int, ZoneInfo]:
    people = (couple.a.id, couple.b.id)
    found = await in_one_trip(*(zone_of(uow, pid, default) for pid in people))
    return dict(zip(people, found, strict=True))


def _row_schedule(row: schedules.ScheduleRow) -> Schedule:
    hours, minutes = row.local_time.split(":")
    return Schedule(row.days, time(int(hours), int(minutes)))


async def reschedule(uow: Unit, couple: Couple, now: int, default_zone: str) -> None:
    """Recompute the couple's next slot from now (after any change to schedule, zone or pause)."""
    row = await uow.schedules.get(couple.id)
    if row is None:
        return
    schedule = _row_schedule(row)
    zones = await _zones(uow, couple, default_zone)
    after = datetime.fromtimestamp(now, UTC)
    found = next_slot(schedule, list(zones.values()), after)
    while found is not None and await uow.schedules.slot_taken(couple.id, found[0].isoformat()):
        found = next_slot(schedule, list(zones.values()), found[1], found[0] + timedelta(days=1))
    if found is None:
        await uow.schedules.set_next(couple.id, None, None)
    else:
        await uow.schedules.set_next(couple.id, found[0].isoformat(), int(found[1].timestamp()))


async def set_schedule(
    db: Database,
    user_id: int,
    schedule: Schedule,
    now: int,
    default_zone: str,
    *,
    offer_of: int | None = None,
) -> Outcome:
    """Either partner sets the days and time; the other is told.

    `offer_of`: the default offered to that couple, taken only while it has no schedule."""
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return Outcome.NOT_PAIRED
        # Both people's rows before the couple, the order /timezone and reachability take
        # (a user row, then the couple): asking each for a time zone writes their row.
        await uow.users.lock([couple.a.id, couple.b.id])
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None or (offer_of is not None and couple.id != offer_of):
            return Outcome.NOT_PAIRED
        if offer_of is not None and await uow.schedules.get(couple.id) is not None:
            return Outcome.UNCHANGED  # the partner chose already; the button is stale
        await uow.schedules.save(couple.id, schedule.days, schedule.at.strftime("%H:%M"), now)
        if schedule.off:
            await checkins.withdraw_unreceived(uow, couple, now)
        else:  # on again (or changed): a check-in a "schedule off" withdrew comes back
            await checkins.restore_withdrawn(uow, couple, now)
        await reschedule(uow, couple, now, default_zone)
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t(
            "schedule.partner_changed",
            partner.language,
            partner=me.first_name,
            summary=describe(schedule, partner.language),
        )
        about = (couple.id, partner.id, now, schedule.days, schedule.at)
        await uow.notify(partner, "schedule", *about, text=text, now=now)
        for person in (me, partner):
            await ask_timezone_once(uow, person, now)
    return Outcome.SAVED


async def offer_default(uow: Unit, couple: Couple, now: int) -> None:
    """Right after pairing: offer both the default schedule (caller's transaction)."""
    for person in (couple.a, couple.b):
        buttons = offer_buttons(couple.id, person.language)
        text = t("schedule.offer", person.language)
        await uow.notify(person, "offer", couple.id, person.id, text=text, buttons=buttons, now=now)


def offer_buttons(couple_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    """The default schedule, or a picker: the offer's buttons."""
    return (
        (
            Button(
                t("schedule.accept_default", language), AcceptDefaultSchedule(couple_id).encode()
            ),
        ),
        (Button(t("schedule.choose", language), PickDays(EVERY_DAY).encode()),),
    )


async def accept_default(
    db: Database, user_id: int, couple_id: int, now: int, default_zone: str
) -> Outcome:
    """The offer's button: only for that couple, and only while they have no schedule yet
    (decided in the unit that sets it: both pressing at once set it once)."""
    return await set_schedule(db, user_id, DEFAULT_SCHEDULE, now, default_zone, offer_of=couple_id)


async def ask_timezone_once(uow: Unit, person: Person, now: int) -> None:
    zone, _ = await uow.schedules.timezone_of(person.id)
    if zone is None and await uow.schedules.mark_timezone_asked(person.id):
        text = t("timezone.ask", person.language)
        await uow.notify(person, "tz-ask", person.id, text=text, now=now)


async def set_timezone(
    db: Database, person: Person, zone: str, now: int, default_zone: str
) -> None:
    async with db.unit() as uow:
        await uow.users.upsert(person, now)  # someone who only ever sent /timezone
        was = await zone_of(uow, person.id, default_zone)
        await uow.schedules.set_timezone(person.id, zone, now)
        couple = await uow.couples.active_for(person.id, lock=True)
        await weekly.follow_zone(uow, person.id, now, default_zone)
        if couple is not None:
            await reschedule(uow, couple, now, default_zone)
            await _move_unreceived_prompts(uow, couple, person.id, was, now, default_zone)
            await ratings.follow_zones(uow, couple, now, default_zone)


async def _move_unreceived_prompts(
    uow: Unit, couple: Couple, user_id: int, was: ZoneInfo, now: int, default_zone: str
) -> None:
    """A new zone before this person's questions reached them (a check-in, a first step at
    their local time): each comes at the same local time where they are now, not where they
    were, with the news queued for them beside it; a check-in's window runs from the later
    of its two prompts again. One already on its way stays."""
    zone = await zone_of(uow, user_id, default_zone)
    for current in await uow.rounds.open_rounds(couple.id):
        seen = await uow.rounds.participants(current.id)
        if user_id not in seen or seen[user_id][1] is not None or seen[user_id][0] <= now:
            continue  # received, or due now (not waiting for a local time): it stays
        local = datetime.fromtimestamp(seen[user_id][0], was)
        due = max(now, int(local_instant(local.date(), local.time(), zone).timestamp()))
        prompt = outbox.dedupe_key("prompt", current.id, user_id)
        waiting = outbox.dedupe_key("waiting", current.id, user_id)
        if due == seen[user_id][0] or (current.kind != "checkin" and due >= current.closes_at):
            continue  # unchanged, or past the ask's own close: it keeps its moment
        if not await uow.outbox.move_waiting(prompt, [waiting], due):
            continue
        closes_at, remind_at = current.closes_at, current.remind_at
        if current.kind == "checkin":
            later = max([due, *(moment for uid, (moment, _) in seen.items() if uid != user_id)])
            closes_at, remind_at = await checkins.window_from(uow, couple, later)
        await uow.rounds.move_prompt(current.id, user_id, due, closes_at, remind_at)


async def timezone_of(db: Database, user_id: int) -> str | None:
    async with db.read() as uow:
        zone, _ = await uow.schedules.timezone_of(user_id)
    return zone


async def overview(db: Database, user_id: int, now: int, default_zone: str) -> Overview | None:
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        row = await uow.schedules.get(couple.id)
        zones = await _zones(uow, couple, default_zone)
    zone = zones[user_id]
    if row is None:
        return Overview(None, None, False, None, zone.key)
    schedule = _row_schedule(row)
    # A dated pause is cleared only when a slot next comes due; it is over at its moment.
    paused_until = row.paused_until if paused_at(row.paused_until, now) else None
    day = date.fromisoformat(row.paused_day) if paused_until and row.paused_day else None
    coming = _first_to_come(schedule, list(zones.values()), row, paused_until)
    mine = None if coming is None else local_instant(coming, schedule.at, zone).astimezone(zone)
    return Overview(schedule, paused_until, row.skip_next, mine, zone.key, day)


def _first_to_come(
    schedule: Schedule, zones: list[ZoneInfo], row: schedules.ScheduleRow, paused_until: int | None
) -> date | None:
    """The slot that will open, as the tick will decide it (_run_slots): past those a pause
    holds (by when each opens), then past one a /skip takes. None when none will (paused until
    resumed, or no schedule)."""
    if row.next_slot is None or row.next_due_at is None or (paused_until or 0) >= FOREVER:
        return None
    slot, opens, skip = date.fromisoformat(row.next_slot), row.next_due_at, row.skip_next
    for _ in range(800):  # a pause is at most a year and a day: slots enough for it
        paused = paused_at(paused_until, opens)
        if not (paused or skip):
            return slot
        skip = skip and paused  # a pause holds the skip for the slot after it
        found = next_slot(
            schedule, zones, datetime.fromtimestamp(opens, UTC), slot + timedelta(days=1)
        )
        if found is None:
            return None
        slot, opens = found[0], int(found[1].timestamp())
    return None


class PauseOutcome(enum.Enum):
    PAUSED = "paused"
    RESUMED = "resumed"
    SKIPPING = "skipping"
    NOT_PAIRED = "not_paired"
    NO_SCHEDULE = "no_schedule"
    NOT_PAUSED = "not_paused"


async def local_today(db: Database, user_id: int, now: int, default_zone: str) -> date:
    """The date it is now where this person lives."""
    async with db.read() as uow:
        zone = await zone_of(uow, user_id, default_zone)
    return datetime.fromtimestamp(now, UTC).astimezone(zone).date()


async def pause(
    db: Database, user_id: int, until: date | None, now: int, default_zone: str
) -> PauseOutcome:
    """Pause until the start of a day in the person's zone (or until resumed); partner told."""
    moment = FOREVER
    if until is not None:
        async with db.read() as uow:
            zone = await zone_of(uow, user_id, default_zone)
        moment = int(local_instant(until, time(0, 0), zone).timestamp())
    day = until.isoformat() if until is not None else None
    return await _change_pause(db, user_id, now, "pause", moment, day)


async def resume(db: Database, user_id: int, now: int) -> PauseOutcome:
    return await _change_pause(db, user_id, now, "resume", None)


async def skip_next(db: Database, user_id: int, now: int) -> PauseOutcome:
    return await _change_pause(db, user_id, now, "skip", None)


async def _change_pause(
    db: Database, user_id: int, now: int, action: str, until: int | None, day: str | None = None
) -> PauseOutcome:
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return PauseOutcome.NOT_PAIRED
        row = await uow.schedules.get(couple.id)
        if row is None or row.days == 0:
            return PauseOutcome.NO_SCHEDULE
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        if action == "pause":
            await uow.schedules.set_pause(couple.id, until, day)
            await checkins.withdraw_unreceived(uow, couple, now)
            outcome, key = PauseOutcome.PAUSED, "pause.partner_paused"
        elif action == "resume":
            if not paused_at(row.paused_until, now) and not row.skip_next:
                return PauseOutcome.NOT_PAUSED
            await uow.schedules.set_pause(couple.id, None)
            await uow.schedules.set_skip_next(couple.id, False)
            await checkins.restore_withdrawn(uow, couple, now)
            outcome, key = PauseOutcome.RESUMED, "pause.partner_resumed"
        else:
            await uow.schedules.set_skip_next(couple.id, True)
            outcome, key = PauseOutcome.SKIPPING, "pause.partner_skipped"
        text = t(key, partner.language, partner=me.first_name)
        await uow.notify(partner, action, couple.id, partner.id, now, text=text, now=now)
        return outcome


async def run_due(
    db: Database,
    now: int,
    grace: int,
    default_zone: str,
    rng: random.Random | None = None,
    *,
    max_batches: int | None = None,
    batch: int = DUE_BATCH,
) -> dict[str, int]:
    """Open the rounds whose slot has come; skip (and record) what came due too long ago.

    Each transaction takes up to `batch` due couples and does their work in sets: a few
    statements for all their rounds, prompts and next slots, not a few per couple.
    With `max_batches`, stop after that many transactions and report `more` = 1 when work is
    left, so a caller can stop between batches (a shutdown must not wait for 100,000 rounds).
    """
    counts = {"opened": 0, "late": 0, "paused": 0, "skipped": 0, "more": 0}
    batches = 0
    while True:
        if max_batches is not None and batches >= max_batches:
            counts["more"] = 1
            return counts
        batches += 1
        async with db.unit() as uow:
            due = await uow.schedules.due_slots(now, batch)
            for outcome in await _run_slots(uow, due, now, grace, default_zone, rng):
                if outcome:
                    counts[outcome] += 1
        # A couple back from long downtime may be due again at once (the next missed slot):
        # go on until nothing is due. Every pass moves each row strictly forward.
        if not due:
            return counts


@lru_cache(maxsize=1024)
def _zone(name: str | None, default: str) -> ZoneInfo:
    return zone_or_none(name or default) or ZoneInfo("UTC")


@lru_cache(maxsize=256)
def _schedule(days: int, local_time: str) -> Schedule:
    hours, minutes = local_time.split(":")
    return Schedule(days, time(int(hours), int(minutes)))


@lru_cache(maxsize=8192)
def _instant(day: date, at: time, zone: ZoneInfo) -> int:
    return int(local_instant(day, at, zone).timestamp())


@lru_cache(maxsize=8192)
def _following(
    schedule: Schedule, zones: tuple[ZoneInfo, ...], due_at: int, slot: date
) -> tuple[str | None, int | None]:
    """The slot after `slot`, and when it opens. Couples of one (zones, schedule) group due at
    one moment share it, so it is worked out once per group, with DST, not once per couple."""
    after = datetime.fromtimestamp(due_at, UTC)
    found = next_slot(schedule, list(zones), after, slot + timedelta(days=1))
    if found is None:
        return None, None
    return found[0].isoformat(), int(found[1].timestamp())


async def _run_slots(
    uow: Unit,
    due: list[schedules.DueSlot],
    now: int,
    grace: int,
    default_zone: str,
    rng: random.Random | None,
) -> list[str | None]:
    """Decide each due couple's outcome in Python, then write them all in sets. What a
    (zones, schedule, slot) group shares is worked out once (see _instant, _following)."""
    outcomes: list[str | None] = []
    moves: list[tuple[int, str | None, int | None]] = []
    skips: list[tuple[int, str, str]] = []
    skip_cleared: list[int] = []
    pauses_over: list[int] = []
    # With each partner's moment, and when the next slot opens (and closes this round).
    opening: list[tuple[schedules.DueSlot, int, int, int | None]] = []
    for item in due:
        couple_id, next_slot, due_at = item.couple_id, item.next_slot, item.next_due_at
        if not item.active or len(item.members) != 2:
            moves.append((couple_id, None, None))
            outcomes.append(None)
            continue
        a, b = item.members
        zones = (_zone(a.timezone, default_zone), _zone(b.timezone, default_zone))
        schedule = _schedule(item.days, item.local_time)
        slot = _day(next_slot)
        outcome: str | None = None
        following = _following(schedule, zones, due_at, slot)
        if not item.taken:
            if now - due_at > grace:
                outcome = "late"  # the bot was down: no burst of stale prompts
                # "The next one is skipped": lost, it was, so the one after comes. Unless a pause
                # held it: a pause keeps the skip for the slot after it (as below).
                if item.skip_next and not paused_at(item.paused_until, due_at):
                    skip_cleared.append(couple_id)
            elif paused_at(item.paused_until, now):
                outcome = "paused"
            elif item.skip_next:
                outcome = "skipped"
                skip_cleared.append(couple_id)
            if outcome is not None:
                skips.append((couple_id, next_slot, outcome))
            else:
                at = schedule.at
                moments = (_instant(slot, at, zones[0]), _instant(slot, at, zones[1]))
                next_opens = following[1]
                if next_opens is not None and paused_at(item.paused_until, next_opens):
                    next_opens = None  # paused past it: it opens no round, and closes none
                opening.append((item, *moments, next_opens))
                outcome = "opened"
        if item.paused_until is not None and not paused_at(item.paused_until, now):
            pauses_over.append(couple_id)  # a dated pause is over
        moves.append((couple_id, *following))
        outcomes.append(outcome)
    await uow.schedules.record_skips(skips, now)
    await uow.schedules.clear_skip_next(skip_cleared)
    await _open_rounds(uow, opening, now, rng)
    await uow.schedules.end_pauses(pauses_over)
    await uow.schedules.set_next_many(moves)
    return outcomes


@lru_cache(maxsize=1024)
def _day(slot: str) -> date:
    return date.fromisoformat(slot)


def _couple(item: schedules.DueSlot) -> Couple:
    a, b = (Person(m.id, m.first_name, m.language, m.reachable) for m in item.members)
    return Couple(item.couple_id, a, b)


async def _open_rounds(
    uow: Unit,
    opening: list[tuple[schedules.DueSlot, int, int, int | None]],
    now: int,
    rng: random.Random | None,
) -> None:
    """checkins.open_round for many couples: the same prompt rotation and messages, in sets.
    `opening`: each couple with the moments its partners (Couple.a, b) get their prompt and
    when its next slot opens. A couple's open check-in round closes first (one round per
    couple at a time)."""
    if not opening:
        return
    expiring: dict[int, Couple] = {}
    for item, _, _, _ in opening:
        if item.open_round is None:
            continue
        current = await uow.rounds.get(item.open_round) if item.open_answers >= 2 else None
        if current is not None:
            await checkins.close_round(uow, current, now)  # both answered: revealed, not closed
        else:
            expiring[item.open_round] = _couple(item)
    await checkins.expire_rounds(uow, expiring, now)
    ids = [item.couple_id for item, _, _, _ in opening]
    used = await uow.rounds.used_prompts_many(ids)
    roles = await uow.firststeps.roles_many(ids)
    new_rounds, new_pass, whens = [], [], []
    for item, at_a, at_b, next_opens in opening:
        couple_id = item.couple_id
        prompt, fresh_pass = prompts.choose(
            used.get(couple_id, ()), item.last_category, rng, roles.get(couple_id)
        )
        when_a, when_b = max(now, at_a), max(now, at_b)
        latest = max(when_a, when_b)
        closes_at = latest + item.round_window
        remind_at = checkins.remind_moment(closes_at, next_opens, item.reminder_before, latest)
        new_rounds.append(
            (
                couple_id,
                prompt.id,
                prompt.category,
                now,
                closes_at,
                remind_at,
                item.next_slot,
            )
        )
        whens.append((couple_id, item.members[0].id, when_a, item.members[1].id, when_b))
        if fresh_pass:
            new_pass.append(couple_id)
    round_ids = await uow.rounds.create_many(new_rounds)
    participants = []
    for couple_id, a, when_a, b, when_b in whens:
        round_id = round_ids[couple_id]
        participants += ((round_id, a, when_a), (round_id, b, when_b))
    await uow.rounds.add_participants_many(participants)
    await uow.rounds.forget_prompts_many(new_pass)
    # The rounds' prompts and their messages, from the rows just written: queued by id, each
    # reader's text rendered at send time (prompts.message).
    opened = [round_ids[couple_id] for couple_id in ids]
    await uow.rounds.record_round_prompts(opened)
    await uow.outbox.enqueue_round_prompts(opened, now)


def describe(schedule: Schedule, language: str) -> str:
    """'every day at 20:00', 'Mon, Wed, Fri at 08:30', or 'off'."""
    if schedule.off:
        return t("schedule.off_summary", language)
    at = local_time(schedule.at, "clock", language)
    if schedule.days == EVERY_DAY:
        return t("schedule.every_day", language, time=at)
    if schedule.days == WEEKDAYS:
        return t("schedule.weekdays", language, time=at)
    names = [day_name(i, language) for i in range(len(DAY_NAMES)) if schedule.days >> i & 1]
    return t("schedule.on_days", language, days=", ".join(names), time=at)
