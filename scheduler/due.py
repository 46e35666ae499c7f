"""The tick: one periodic job that asks the database what is due and acts on it."""

from __future__ import annotations

import logging

from bot import (
    checkins,
    firststeps,
    privacy,
    promises,
    ratings,
    reachability,
    repair,
    report,
    reviews,
    scheduling,
    weekly,
)
from bot.config import Settings
from bot.storage.db import Database, in_batches
from bot.storage.unit import Unit
from scheduler.clock import Clock

log = logging.getLogger(__name__)

# Expired invites are kept a while so a late joiner hears "expired" rather than "wrong".
KEEP_EXPIRED_INVITES = 7 * 24 * 3600
KEEP_JOIN_FAILURES = 24 * 3600
# Finished outbox rows (sent, cancelled, failed, expired) are kept this long, then deleted.
KEEP_FINISHED_MESSAGES = 7 * 24 * 3600
PURGE_BATCH = 500
# Webhook update ids handled are remembered this long: Telegram's retries of one it got no
# answer to come within hours.
KEEP_UPDATE_IDS = 24 * 3600


# Schedule transactions per call (each up to scheduling.DUE_BATCH couples, about 100 ms at
# most): 4,000 couples, about a second of work, so a stop never waits long.
SCHEDULE_BATCHES = 16


async def run_due(db: Database, clock: Clock, settings: Settings) -> bool:
    """Do a bounded share of what has come due; True when more is waiting.

    Safe to run twice or after any downtime: everything due is a row in the database.
    """
    now = clock.timestamp()
    opened = await scheduling.run_due(
        db,
        now,
        settings.schedule_grace_seconds,
        settings.default_timezone,
        max_batches=SCHEDULE_BATCHES,
    )
    if opened["late"]:
        log.info("skipped %s check-ins that came due during downtime", opened["late"])
    await repair.run_due(db, now)
    # After breaks: an ask held while a break ran comes once it ended.
    await promises.run_due(db, now, settings.default_timezone)
    await reviews.run_due(db, now, settings.default_timezone)
    await firststeps.run_due(db, now, settings.default_timezone)
    await checkins.remind_due(db, now)
    await checkins.reveal_due(db, now)  # before closing: a round both answered reveals
    await checkins.close_due(db, now)
    await weekly.summaries_due(db, now, settings.default_timezone)
    await ratings.due(db, now, settings.default_timezone)
    await report.make_due(db, now, settings.default_timezone)
    async with db.unit() as uow:
        await uow.invites.purge(now - KEEP_EXPIRED_INVITES, now - KEEP_JOIN_FAILURES)
        await uow.updates.purge(now - KEEP_UPDATE_IDS)
    await reachability.expire_undeliverable(db, now)
    await reachability.tell_returned(db, now)
    await purge_outbox(db, now)
    await privacy.expire_texts(db, now, settings.retention_days)
    return bool(opened["more"])


async def purge_outbox(db: Database, now: int) -> int:
    """Delete outbox rows finished KEEP_FINISHED_MESSAGES ago (expired ones that long after
    they expired): the outbox is a queue, not an archive."""
    done_before = now - KEEP_FINISHED_MESSAGES
    expired_due_before = done_before - reachability.KEEP_UNDELIVERABLE

    async def fetch(uow: Unit, limit: int) -> list[int]:
        return await uow.outbox.purge_finished(done_before, expired_due_before, limit)

    async def deleted(uow: Unit, row_id: int) -> int:
        return 1

    return await in_batches(db, PURGE_BATCH, fetch, deleted)
