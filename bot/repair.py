"""Gentle repair after a conflict: a real break, a nudge back, and a double-blind "ready?".

Following what couples research recommends: a break of at least 20 minutes and at most 24
hours, the person asking for it says when they will be back, and nobody learns that the other
was ready first (the "you are both ready" message comes at a short random delay, so its timing
gives nothing away).

Whether the partner said "ready" is hidden until both are told, so no reply may depend on it:
until "you are both ready" is due, a break both are ready in answers every button and /conflict
exactly as a break only the presser is ready in (`status_as_seen`). So "more time" (or /conflict)
after one's own "ready" takes it back either way, and a "both ready" not yet due is withdrawn
unread.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot import callbacks, checkins
from bot.models import Button, Couple
from bot.schedule_rules import local_instant
from bot.storage import breaks, outbox
from bot.storage.db import Database, in_batches
from bot.storage.unit import Unit
from bot.texts import local_time, t
from bot.zones import zone_of

MIN_BREAK = 20 * 60
MAX_BREAK = 24 * 3600
MORE_TIME = 30 * 60
LENGTHS = {"20m": 20 * 60, "1h": 3600, "3h": 3 * 3600, "morning": None}
MORNING = time(8, 0)
PHRASES = 5  # repair.phrase_0 … repair.phrase_4 in the locale files
CARE_WINDOW = 7 * 24 * 3600
CARE_AFTER = 3
REVEAL_DELAY = (60, 240)  # seconds; see the module docstring
DUE_BATCH = 100


class Outcome(enum.Enum):
    STARTED = "started"
    REPLACED = "replaced"  # a second /conflict during a break sets a new end time
    NOT_PAIRED = "not_paired"
    WAITING = "waiting"  # ready recorded; both are told only when both are ready
    EXTENDED = "extended"
    AT_LIMIT = "at_limit"
    STALE = "stale"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    ends_at: datetime | None = None  # in the asking person's zone


async def _break_end(uow: Unit, user_id: int, key: str, now: int, default: str) -> int:
    length = LENGTHS[key]
    if length is not None:
        return now + length
    zone = await zone_of(uow, user_id, default)
    local = datetime.fromtimestamp(now, UTC).astimezone(zone)
    morning = local_instant(local.date() + timedelta(days=1), MORNING, zone)
    return int(morning.timestamp())


async def start_break(
    db: Database, user_id: int, key: str, now: int, default_zone: str, help_url: str = ""
) -> Result:
    """`/conflict`: take a break of the chosen length; the partner is told when it ends."""
    if key not in LENGTHS:
        return Result(Outcome.STALE)
    async with db.unit() as uow:
        couple = await uow.couples.active_for(user_id, lock=True)
        if couple is None:
            return Result(Outcome.NOT_PAIRED)
        ends = await _break_end(uow, user_id, key, now, default_zone)
        await uow.breaks.end_unanswered(couple.id, now)  # over: this conflict is a new one
        current = await uow.breaks.active_for(couple.id, now)
        if current is not None:
            ends = max(now + MIN_BREAK, min(ends, current.limit_at))
            await _withdraw_both_ready(uow, couple, current)
            await uow.breaks.reschedule(current.id, ends)
            break_id, outcome, notice = current.id, Outcome.REPLACED, "repair.partner_updated"
        else:
            ends = max(now + MIN_BREAK, min(ends, now + MAX_BREAK))
            break_id = await uow.breaks.create(couple.id, user_id, now, ends, now + MAX_BREAK)
            outcome, notice = Outcome.STARTED, "repair.partner_break"
            await _care_if_needed(uow, couple, now, help_url)
        await _tell_partner(uow, couple, user_id, notice, ends, (break_id, now), now, default_zone)
        if outcome is Outcome.STARTED:  # after "needs a pause", which says why
            await _close_guided_step(uow, couple, now)
        zone = await zone_of(uow, user_id, default_zone)
    return Result(outcome, datetime.fromtimestamp(ends, zone))


async def _close_guided_step(uow: Unit, couple: Couple, now: int) -> None:
    """A new conflict ends the guided conversation of the last one where it stands: its open
    step closes (answers deleted unread, both told, as when a step runs out), rather than go
    on revealing the partner's words inside the quiet just asked for."""
    step = await uow.rounds.open_for(couple.id, "repair")
    if step is not None:
        await checkins.close_round(uow, step, now, reveal_held_one=False)


async def _tell_partner(
    uow: Unit,
    couple: Couple,
    user_id: int,
    key: str,
    ends: int,
    about: tuple[int, int],
    now: int,
    default_zone: str,
) -> None:
    """`key` is both the text and the kind of notice (a new one for each break and moment)."""
    me, partner = couple.member(user_id), couple.partner_of(user_id)
    zone = await zone_of(uow, partner.id, default_zone)
    when = local_time(datetime.fromtimestamp(ends, zone), "clock_day", partner.language)
    text = t(key, partner.language, partner=me.first_name, time=when)
    await uow.notify(partner, key, *about, partner.id, text=text, now=now)


async def _care_if_needed(uow: Unit, couple: Couple, now: int, help_url: str) -> None:
    """A third conflict within seven days: one gentle pointer to a couples therapist."""
    if await uow.breaks.started_since(couple.id, now - CARE_WINDOW) < CARE_AFTER:
        return
    if not await uow.couples.claim_care_suggestion(couple.id, now, now - CARE_WINDOW):
        return  # at most once a week: care, not a counter
    for person in (couple.a, couple.b):
        where = help_url or t("repair.care_default_help", person.language)
        text = t("repair.care", person.language, help=where)
        await uow.notify(person, "care", couple.id, now, person.id, text=text, now=now)


async def run_due(db: Database, now: int) -> int:
    """Breaks whose time is up: a gentle nudge to both, with repair phrases and "ready?"."""

    async def nudge(uow: Unit, current: breaks.Break) -> int:
        if not await uow.breaks.nudged(current.id, now):
            return 0
        couple = await uow.couples.get(current.couple_id)
        if couple is None:
            return 0
        for person in (couple.a, couple.b):
            partner = couple.partner_of(person.id)
            text = t("repair.nudge", person.language, partner=partner.first_name)
            buttons = _nudge_buttons(current.id, person.language)
            about = (current.id, current.ends_at, person.id)
            await uow.notify(person, "nudge", *about, text=text, buttons=buttons, now=now)
        return 1

    return await in_batches(db, DUE_BATCH, lambda uow, n: uow.breaks.due(now, n), nudge)


def _nudge_buttons(break_id: int, language: str) -> tuple[tuple[Button, ...], ...]:
    phrases = tuple(
        (Button(t(f"repair.phrase_{i}", language), callbacks.Phrase(break_id, i).encode()),)
        for i in range(PHRASES)
    )
    return (
        *phrases,
        (
            Button(t("repair.ready_button", language), callbacks.Ready(break_id, True).encode()),
            Button(t("repair.more_button", language), callbacks.Ready(break_id, False).encode()),
        ),
    )


def status_as_seen(status: str, finished_at: int | None, now: int) -> str:
    """A break's status as the partners may know it (a reply, an export): both ready counts
    only once both are due to hear it; before that it looks nudged, as when one of them is."""
    if status == "ready" and (finished_at or 0) > now:
        return "nudged"
    return status


async def _own_break(
    uow: Unit, user_id: int, break_id: int, now: int
) -> tuple[str, Couple, breaks.Break] | None:
    """The break's status as seen, the couple and the break, if this person is in it and it is
    under way.

    The couple is held first, so the break is read after the partner's press (if any) ended."""
    couple = await uow.couples.active_for(user_id, lock=True)
    # The couple's break under way (Breaks.active_for says which are: a nudge nobody
    # answered is over a day after it came), and only if it is this one.
    current = await uow.breaks.active_for(couple.id, now) if couple is not None else None
    if current is None or couple is None or current.id != break_id:
        return None
    return status_as_seen(current.status, current.finished_at, now), couple, current


async def _already_ready(uow: Unit, user_id: int, break_id: int) -> bool:
    """This person, still in this break's couple, said ready in it already."""
    couple = await uow.couples.active_for(user_id, lock=True)
    current = await uow.breaks.get(break_id)
    if current is None or couple is None or current.couple_id != couple.id:
        return False
    return user_id in await uow.breaks.ready_users(break_id)


async def send_phrase(db: Database, user_id: int, break_id: int, index: int, now: int) -> Outcome:
    """A tapped repair phrase goes to the partner as a short kind message."""
    if not 0 <= index < PHRASES:
        return Outcome.STALE
    async with db.unit() as uow:
        found = await _own_break(uow, user_id, break_id, now)
        if found is None or found[0] != "nudged":
            # Not while it cools again ("more time"): the partner asked for the quiet, and
            # the phrases come back with the next nudge.
            return Outcome.STALE
        _, couple, current = found
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        phrase = t(f"repair.phrase_{index}", partner.language)
        text = t("repair.phrase_received", partner.language, partner=me.first_name, phrase=phrase)
        # Once per phrase per nudge (a break's end moves with "more time"): the same phrase
        # at a later nudge is news again, not a repeat to drop while saying "sent".
        nudge = current.ends_at
        await uow.notify(partner, "phrase", break_id, nudge, user_id, index, text=text, now=now)
    return Outcome.WAITING


async def ready(
    db: Database, user_id: int, break_id: int, now: int, rng: random.Random | None = None
) -> Outcome:
    """Privately ready to talk. Only when both are does anyone hear, and then both at once."""
    async with db.unit() as uow:
        if await _already_ready(uow, user_id, break_id):
            return Outcome.WAITING  # the same answer as the first time: a tap reveals nothing
        found = await _own_break(uow, user_id, break_id, now)
        if found is None or found[0] != "nudged":
            return Outcome.STALE
        _, couple, _ = found
        everyone = await uow.breaks.mark_ready(break_id, user_id, now)
        if {couple.a.id, couple.b.id} <= everyone:
            await _announce_both_ready(uow, couple, break_id, now, rng)
    return Outcome.WAITING


async def _announce_both_ready(
    uow: Unit, couple: Couple, break_id: int, now: int, rng: random.Random | None = None
) -> bool:
    """Tell both, once (caller's transaction); False when the break is no longer waiting.

    The conditional status change decides, not what was read before it: if the other
    partner asked for more time meanwhile, or "both ready" was already announced (another
    process), the UPDATE matches nothing and nobody is told.
    """
    delay = (rng or random).randint(*REVEAL_DELAY)
    # Finished when both are told: until then the break looks nudged (`status_as_seen`).
    if not await uow.breaks.set_status(break_id, "nudged", "ready", now + delay):
        return False
    current = await uow.breaks.get(break_id)
    assert current is not None
    for person in (couple.a, couple.b):
        text = t("repair.both_ready", person.language)
        start = callbacks.StartGuided(break_id).encode()
        offer = Button(t("guided.offer_button", person.language), start)
        await uow.notify(
            person, *_both_ready(current, person.id), text=text, buttons=((offer,),),
            due_at=now + delay, now=now,
        )  # fmt: skip
    return True


def _both_ready(current: breaks.Break, user_id: int) -> tuple[str, int, int, int]:
    """The "both ready" notice's kind and what it is about, to queue it or withdraw it.

    Per round of asking (each nudge has its own end time): a "both ready" withdrawn by more
    time must not block the next one."""
    return "both-ready", current.id, current.ends_at, user_id


async def _withdraw_both_ready(uow: Unit, couple: Couple, current: breaks.Break) -> None:
    """Both may have been ready, unknown to either: that news, not yet due, goes unread."""
    keys = [outbox.dedupe_key(*_both_ready(current, p.id)) for p in (couple.a, couple.b)]
    await uow.outbox.cancel_pending(keys)


async def more_time(
    db: Database, user_id: int, break_id: int, now: int, default_zone: str
) -> Result:
    """Not ready yet (or no longer): more time, never past 24 hours from the break's start.

    It takes back the presser's "ready", and the partner's with it, whether or not both were
    ready (which must not show): the next nudge asks both again."""
    async with db.unit() as uow:
        found = await _own_break(uow, user_id, break_id, now)
        if found is None or found[0] != "nudged":
            return Result(Outcome.STALE)
        _, couple, current = found
        if now >= current.limit_at - MIN_BREAK:
            return Result(Outcome.AT_LIMIT)
        ends = min(now + MORE_TIME, current.limit_at)
        await _withdraw_both_ready(uow, couple, current)
        await uow.breaks.reschedule(break_id, ends)
        await _tell_partner(
            uow,
            couple,
            user_id,
            "repair.partner_more_time",
            ends,
            (break_id, now),
            now,
            default_zone,
        )
        zone = await zone_of(uow, user_id, default_zone)
    return Result(Outcome.EXTENDED, datetime.fromtimestamp(ends, zone))
