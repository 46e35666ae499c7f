"""The weekly opt-ins (/options weekly, /options rating) and the Sunday summary: the /progress
chart by itself, Sunday 19:00 in each partner's own zone, while both partners want it."""

from __future__ import annotations

import enum
import html
import logging
from dataclasses import dataclass

from bot import progress, ratings
from bot.logs import where
from bot.models import Couple, Media
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import t
from bot.zones import zone_of

DUE_BATCH = 50  # summaries per pass: each is a chart drawn in a thread

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    SAVED = "saved"  # and the partner wants it too, or is not asked (turned off, not paired)
    WAITING = "waiting"  # on, and the partner has not chosen it (they were told, kindly)
    UNKNOWN = "unknown"  # no such person (never started Steady)


@dataclass(frozen=True)
class Choices:
    weekly: bool
    rating: bool


async def choices(db: Database, user_id: int) -> Choices:
    async with db.read() as uow:
        found = await uow.progress.choices(user_id)
    return Choices(*(found or (False, False)))


async def choose(
    db: Database, user_id: int, what: str, on: bool, now: int, default_zone: str
) -> Outcome:
    """Turn a weekly opt-in on or off for this person. Turned on while the partner has not,
    the partner hears of it once, as an invitation; nothing happens until both chose it."""
    async with db.unit() as uow:
        if not await uow.progress.set_choice(user_id, what, on, now):
            return Outcome.UNKNOWN
        if what == "weekly":
            due = None
            if on:
                due = progress.next_summary(now, await zone_of(uow, user_id, default_zone))
            await uow.progress.schedule_summary(user_id, due)
        couple = await uow.couples.active_for(user_id)
        if not on or couple is None or await progress.both_chose(uow, couple, what):
            if on and couple is not None and what == "rating":
                await _rating_changed(uow, couple, now, default_zone)
            return Outcome.SAVED
        me, partner = couple.member(user_id), couple.partner_of(user_id)
        text = t(f"progress.invite_{what}", partner.language, partner=me.first_name)
        await uow.notify(partner, "optin", what, couple.id, me.id, text=text, now=now)
    return Outcome.WAITING


async def _rating_changed(uow: Unit, couple: Couple, now: int, default_zone: str) -> None:
    """Both now want the weekly rating: plan its next ask."""
    await ratings.plan(uow, couple, now, default_zone)


async def follow_zone(uow: Unit, user_id: int, now: int, default_zone: str) -> None:
    """This person moved: their Sunday summary comes at 19:00 where they are now. Counted from
    six days before the one planned, so a summary sent days ago is not followed by another."""
    planned = await uow.progress.summary_due(user_id)
    if planned is None or planned <= now:
        return
    zone = await zone_of(uow, user_id, default_zone)
    due = progress.next_summary(max(now, planned - 6 * 86400), zone)
    if due - planned > 86400:  # moved east past this Sunday's 19:00: now, not a week late
        due = now
    await uow.progress.schedule_summary(user_id, due)


async def summaries_due(db: Database, now: int, default_zone: str) -> int:
    """Queue the weekly summaries due by `now`; how many were queued.

    Read in one unit, drawn outside any transaction (in a thread), queued in another that
    moves the due row on only if no one did meanwhile: a crash in between draws it again, and
    the dedupe key keeps a second process's copy from going out twice."""
    jobs: list[tuple[int, int, int, progress.Weeks, str]] = []
    async with db.unit() as uow:
        for user_id, was in await uow.progress.due_summaries(now, DUE_BATCH):
            zone = await zone_of(uow, user_id, default_zone)
            following = progress.next_summary(max(now, was), zone)
            couple = await uow.couples.active_for(user_id)
            if couple is None or not await progress.both_chose(uow, couple, "weekly"):
                await uow.progress.advance_summary(user_id, was, following)
                continue
            weeks = await progress.gather(uow, couple, now, zone)
            jobs.append((user_id, was, following, weeks, couple.member(user_id).language))
    queued = 0
    for user_id, was, following, weeks, language in jobs:
        try:
            png = await progress.render(weeks, language)
        except Exception as error:
            # One that cannot be drawn holds up no other's, nor comes back at every tick: this
            # week's is skipped (the chart and /progress still show the weeks). Where, not what.
            log.error("a weekly summary could not be drawn (%s); skipped", where(error))
            async with db.unit() as uow:
                await uow.progress.advance_summary(user_id, was, following)
            continue
        words = html.unescape(progress.summary(weeks, language))  # escaped once, below
        caption = t("progress.weekly_caption", language, summary=words)
        async with db.unit() as uow:
            if await uow.progress.advance_summary(user_id, was, following):
                picture = Media("photo", png, "steady-weeks.png")
                fits = len(caption) <= progress.CAPTION_MAX
                queued += await uow.notify(
                    user_id, "weekly", user_id, was, text=caption if fits else "",
                    media=picture, now=now,
                )  # fmt: skip
                if not fits:  # the words follow the picture, in order (same chat)
                    await uow.notify(
                        user_id, "weekly", "words", user_id, was, text=caption, now=now
                    )
    return queued
