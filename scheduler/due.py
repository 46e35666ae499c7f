"""The tick: one periodic job that asks the database what is due and acts on it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

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
from bot.logs import where
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


class DueWorkFailed(Exception):
    """Some of a tick's work failed (each logged as its class and where it was raised, by
    logs.where); the rest was done.
    `more`: work is still waiting (a backlog of check-ins), as run_due's own answer."""

    def __init__(self, failed: list[str], more: bool) -> None:
        super().__init__(", ".join(failed))
        self.more = more


async def run_due(db: Database, clock: Clock, settings: Settings) -> bool:
    """Do a bounded share of what has come due; True when more is waiting.

    Safe to run twice or after any downtime: everything due is a row in the database. Each
    kind of work runs on its own: one that fails (a report that cannot be drawn, a bug in one
    feature) holds up no other, retention and the outbox purge included. The tick still
    ends in DueWorkFailed then, so the health check does not call it well.
    """
    now = clock.timestamp()
    zone = settings.default_timezone
    opened = {"late": 0, "more": False}

    async def schedules() -> None:
        opened.update(
            await scheduling.run_due(
                db, now, settings.schedule_grace_seconds, zone, max_batches=SCHEDULE_BATCHES
            )
        )
        if opened["late"]:
            log.info("skipped %s check-ins that came due during downtime", opened["late"])

    async def purges() -> None:
        async with db.unit() as uow:
            await uow.invites.purge(now - KEEP_EXPIRED_INVITES, now - KEEP_JOIN_FAILURES)
            await uow.updates.purge(now - KEEP_UPDATE_IDS)

    steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("scheduled check-ins", schedules),
        ("breaks", lambda: repair.run_due(db, now)),
        # After breaks: an ask held while a break ran comes once it ended.
        ("promises", lambda: promises.run_due(db, now, zone)),
        ("reviews", lambda: reviews.run_due(db, now, zone)),
        ("first steps", lambda: firststeps.run_due(db, now, zone)),
        ("reminders", lambda: checkins.remind_due(db, now)),
        ("reveals", lambda: checkins.reveal_due(db, now)),  # before closing: both answered
        ("closing", lambda: checkins.close_due(db, now)),
        ("weekly summaries", lambda: weekly.summaries_due(db, now, zone)),
        ("ratings", lambda: ratings.due(db, now, zone)),
        ("reports", lambda: report.make_due(db, now, zone)),
        ("invites and update ids", purges),
        ("unreachable people", lambda: reachability.expire_undeliverable(db, now)),
        ("people back", lambda: reachability.tell_returned(db, now)),
        ("outbox purge", lambda: purge_outbox(db, now)),
        ("retention", lambda: privacy.expire_texts(db, now, settings.retention_days)),
    ]
    failed: list[str] = []
    for name, step in steps:
        try:
            await step()
        except Exception as error:
            # Where, not what: a message may quote someone's words (logs.where).
            log.error("due work failed: %s (%s); the rest goes on", name, where(error))
            failed.append(name)
    if failed:
        raise DueWorkFailed(failed, bool(opened["more"]))
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
