"""The delivery loop: drains the outbox to Telegram, paced, retrying, never dropping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot import reachability
from bot.models import Outgoing
from bot.privacy import in_quiet_hours
from bot.schedule_rules import zone_or_none
from bot.storage import outbox
from bot.storage.db import Database, HeldLock
from bot.storage.unit import Unit
from bot.telegram_http import MESSAGE_DEFAULTS, ApiCall
from bot.texts import t
from scheduler.clock import Clock
from scheduler.records import Records

log = logging.getLogger(__name__)

PER_CHAT_INTERVAL = 1.0  # Telegram: about one message per second to one private chat
MAX_BACKOFF = 300
WINDOW = 1.02  # the cap holds in any window this long: 20 ms for jitter on the way
BATCH = 200  # rows looked at per pass; fewer are sent (see _batch)
# Sends in flight at once, each to a different chat and each its own task: a chat whose request
# hangs holds one of them until the read timeout while the others go on. The global rate caps
# the pace; this bounds what a crash can leave in flight (re-sent, counted uncertain).
MAX_IN_FLIGHT = 16
# At high rates the sends in flight must cover Telegram's round trip (rate x round trip), or
# the round trip bounds the rate instead of the pace: 16 at 50 ms is 320 a second, a third of
# the paid cap. Room for round trips this long at the full rate (see in_flight_for).
ROUND_TRIP = 0.2
POLL = 0.5  # seconds between passes when nothing wakes the loop (retries coming due)
# Sends that may leave back to back before the even spacing applies: at least 2 (a reveal is
# two messages, and both partners should read it at the same moment), and 20 ms worth at high
# rates, so a send delayed by a busy moment is made up rather than lost. The window cap holds.
MIN_BURST = 2
BURST_SECONDS = 0.02
# Several workers on one PostgreSQL: one of them sends for the bot, the one holding this
# advisory lock. Telegram's limits (30 messages/s overall, 1/s per chat) are the bot's, not a
# worker's; one sender keeps both with the pacing below, unchanged, where a shared budget in
# the database would cost a round trip per message and still need a per-chat turn shared too.
# When the sender dies its connection closes and the lock is free: another worker takes it
# within ELECTION_POLL seconds. Sends it held in flight return when their lease runs out.
SENDER_LOCK = "steady-sender"
# A stop waits at most this long in all for the loop's last pass, the sends in flight and a
# record under way, then cancels what still waits (each has CANCEL_WAIT to end), and gives its
# own last record what is left, CANCEL_WAIT at least: with the database down each would wait
# for a connection (30 s), or for a row lock as long as it is held. At most about 23 s, inside
# a container's 30 s stop grace period (on SQLite up to 5 s more, when another process holds
# the write lock throughout: a cancelled unit's rollback waits for its BEGIN's busy timeout);
# what they held comes back as after a crash.
STOP_WAIT = 15.0
CANCEL_WAIT = 2.0
ELECTION_POLL = 1.0


def in_flight_for(rate: float) -> int:
    """Sends in flight at once at `rate` a second: MAX_IN_FLIGHT, or what a ROUND_TRIP at the
    full rate needs (200 at the paid cap). The bot's HTTP pool is sized to match (bot.app)."""
    return max(MAX_IN_FLIGHT, math.ceil(rate * ROUND_TRIP))


class Delivery:
    """Sends pending outbox rows, at most `rate` per second overall and one per second per chat."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        rate: float,
        *,
        paid_broadcast: bool = False,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        default_zone: str = "UTC",
    ) -> None:
        self._bot = bot
        self._default_zone = zone_or_none(default_zone) or ZoneInfo("UTC")  # quiet hours
        self._per_chat = per_chat_interval
        self._db = db
        self._clock = clock
        self._interval = 1.0 / rate
        burst = max(MIN_BURST, int(rate * BURST_SECONDS))
        self._burst_lag = (burst - 1) * self._interval
        # About a quarter second of sending per pass, claimed (marked in flight) together and
        # sent by tasks that queue for the in-flight slots: one pass per batch rather than
        # one per send at high rates. A crash re-sends at most the claimed rows, one per chat,
        # each recorded as uncertain.
        self._batch = max(1, min(BATCH, math.ceil(rate / 4)))
        in_flight = in_flight_for(rate)
        self._queue = max(in_flight, self._batch)  # claimed, not yet finished
        # A pass claims once this many are free: not one query per finished send.
        self._refill = max(1, min(self._batch, self._queue) // 2)
        # The cap in any WINDOW: what the pace tolerates of requests jittering on the way is
        # WINDOW's excess over a second, whatever is kept below the cap, since a burst after a
        # wait may fill the window's last moment. So no headroom below the cap (18 of 1000 at
        # the paid cap kept 0.972 of it and tolerated 10 ms; this keeps 0.98 and 20 ms).
        self._per_window = max(1, int(rate))
        self._recent: deque[float] = deque()  # start times of the sends in the last window
        self._pacing = asyncio.Lock()  # held by the send waiting for the next slot (_pace)
        self._in_line = 0  # sends waiting for a slot, the one holding `_pacing` included
        # Telegram's paid broadcasts lift the global limit (up to 1000/s) for a fee per message.
        self._paid = paid_broadcast
        self._next_slot = 0.0
        self._last_to_chat: dict[int, float] = {}
        self._in_flight = asyncio.Semaphore(in_flight)
        self._sending: set[asyncio.Task[None]] = set()  # the loop's sends, one task each
        self._busy: Counter[int] = Counter()  # chats with a send in flight: left alone
        # People whose own update is being handled: what was queued for them waits, so the
        # reply to what they did comes first (see `answering`).
        self._answering: Counter[int] = Counter()
        # People whose update was handled to its end during the current pass: its outbox read
        # may predate their reply, queued at that end (PostgreSQL runs the pass's unit beside
        # the handler's), so what it read for them waits for the next pass.
        self._answered: set[int] = set()
        self._next_turn = 0.0  # when the first chat skipped for its spacing may have a turn
        self._more = False  # the last pass picked all it had room for
        self._records = Records(db, clock, rate, self.wake)  # sent, on their way to the record
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._claimed: set[asyncio.Task[None]] = set()
        self._withdrawn: set[int] = set()  # rows deleted while in flight here (see hand_off)
        self._failed: list[int] = []  # rows of a failed pass left in flight, for _recover
        # Rows this worker no longer works on but could not put back (the database blinked):
        # not renewed, so their lease runs out and the sender retries them (see _renew).
        self._let_go: set[int] = set()
        self._unsent: list[int] = []  # the loop's rows a stop kept from sending: put back
        # PostgreSQL: several workers may share the database, so sends are fenced by the lease
        # (Outbox.hold, one statement per send) and only the elected sender sends.
        self._shared = db.engine == "postgres"
        self._sender_lock: HeldLock | None = None
        self._lost = False  # the sender lock's connection failed: stop sending, elect again
        self._all_chats_after = 0.0  # monotonic: no chat's next message before (a new sender)
        self._renewer: asyncio.Task[None] | None = None
        self._to_hold: dict[int, asyncio.Future[bool]] = {}  # sends asking `_still_held` now
        self._holder: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._db.after_commit.append(self.hand_off)
        if not self._shared:
            await self._recover_inflight(None)  # one worker: whatever is in flight was ours
            self._task = asyncio.create_task(self._run(), name="steady-delivery")
        else:
            self._db.lease.sending = False  # until elected: the sender's loop takes claims
            lock = await self._elect()  # at once when no other worker sends
            if lock is not None:
                await self._become_sender(lock)
            self._task = asyncio.create_task(self._lead(lock), name="steady-delivery")
        self._renewer = asyncio.create_task(self._renew(), name="steady-lease")

    async def _recover_inflight(self, now: int | None) -> None:
        async with self._db.unit() as uow:
            recovered = await uow.outbox.recover_inflight(now)
        if recovered:
            log.warning("%s sends were cut short by a stop; they are retried", recovered)

    async def _elect(self) -> HeldLock | None:
        try:
            return await self._db.try_lock(SENDER_LOCK)
        except Exception as exc:
            log.warning("could not ask for the sender lock (%s)", type(exc).__name__)
            return None

    async def _become_sender(self, lock: HeldLock) -> None:
        self._sender_lock, self._lost = lock, False
        # Not the rows a live worker holds: only those whose lease ran out.
        await self._recover_inflight(self._clock.timestamp())
        async with self._db.unit() as uow:
            # A former sender that has not noticed it lost its lock yet sends nothing more.
            epoch = await uow.outbox.take_sending()
        # The former sender's last message to a chat may be this recent: every chat waits
        # one interval before its first message from here. The database's first sender
        # (epoch 1) follows no one, so it sends at once.
        self._all_chats_after = time.monotonic() + (self._per_chat if epoch > 1 else 0.0)
        self._db.lease.sending = True
        log.info("this worker now sends for the bot")

    async def _lead(self, lock: HeldLock | None) -> None:
        """Several workers: wait to be elected sender (the advisory lock), then send until
        stopped or the lock is lost; then wait to be elected again."""
        while not self._stopping:
            if lock is None:
                lock = await self._elect()
                if lock is None:
                    await self._sleep(ELECTION_POLL)
                    continue
                try:
                    await self._become_sender(lock)
                except Exception:
                    log.exception("could not take over sending; electing again")
                    await lock.release()
                    lock = None
                    continue
            watcher = asyncio.create_task(self._watch(lock), name="steady-sender-watch")
            try:
                await self._run()
            except Exception:
                log.exception("the sender stopped on an error; electing again")
            finally:
                self._db.lease.sending = False
                watcher.cancel()
                if not self._stopping:
                    self._sender_lock = None
                    await lock.release()
                    log.warning("this worker no longer sends for the bot")
                    # Sends that failed before the loop ended: only its passes release them.
                    if self._failed:
                        failed, self._failed = self._failed, []
                        self._release_soon(failed)
                lock = None

    async def _watch(self, lock: HeldLock) -> None:
        while not self._stopping:
            await asyncio.sleep(ELECTION_POLL)
            if not await lock.alive():
                self._lost = True
                self.wake()
                return

    async def _sleep(self, seconds: float) -> None:
        """Wait, or less when stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    async def _renew(self) -> None:
        """Keep the lease on every row this worker holds in flight while it works on them."""
        every = max(0.5, self._db.lease.seconds / 3)
        while True:
            await asyncio.sleep(every)
            if not self._working():
                # Nothing in flight here: a row still held under this worker's token is one
                # a failed put-back or release left; its lease runs out, and the sender
                # retries it (as uncertain), rather than it waiting for this worker's end.
                continue
            # Nor while it works on others: those it let go, or failed to send, are not
            # renewed with them (a failed send is released by the next pass, well within).
            let_go = self._let_go.union(self._failed)
            try:
                async with self._db.unit() as uow:
                    await uow.outbox.renew(self._clock.timestamp(), let_go)
            except Exception as exc:
                log.warning("could not renew the lease on sends (%s)", type(exc).__name__)

    def _working(self) -> bool:
        """Whether a send of this worker's is in flight, or sent or failed and not yet on
        record: the rows its lease must keep."""
        return bool(self._sending or self._claimed or self._failed or self._records.unrecorded())

    def hand_off(self, uow: Unit) -> None:
        """After a unit of work commits (Database.after_commit): send what it claimed now, and
        wake the loop for what else it queued. Every unit passes here, so no use case can
        forget to; one that rolled back never does, so nothing goes out that was undone."""
        handoff = uow.handoff
        if handoff.withdrawn:
            if len(self._withdrawn) > 10_000:  # ids no send here was holding: forget them
                self._withdrawn.clear()
            self._withdrawn.update(handoff.withdrawn)
        if handoff.claimed:
            if self._shared and not self._db.lease.sending:
                # Claimed as the sender, committed after it stopped being one: back to the
                # queue, certainly unsent, for whoever sends now.
                rows = [row.id for row in handoff.claimed]
                self._put_back_soon(rows)
            else:
                now_rows = [r for r in handoff.claimed if r.chat_id not in self._answering]
                later = [r.id for r in handoff.claimed if r.chat_id in self._answering]
                if later:
                    # Its person's update is being handled: the reply to it first, then these,
                    # from the loop, first in its line.
                    self._put_back_soon(later, first=True)
                if now_rows:
                    self.send_claimed(now_rows)
        if handoff.more:
            self.wake()

    def _put_back_soon(self, row_ids: list[int], *, first: bool = False) -> None:
        async def put_back(uow: Unit) -> None:
            await uow.outbox.put_back(row_ids, first=first)

        def failed() -> None:
            log.exception("could not put back claimed sends; their lease runs out")
            if len(self._let_go) > 10_000:  # long since taken over: forget them
                self._let_go.clear()
            self._let_go.update(row_ids)

        # Someone waits for them: the loop looks once they are back, committed (a pass woken
        # before the commit finds them still in flight, and then waits for its next poll).
        self._write_soon("steady-put-back", put_back, failed, self.wake if first else None)

    def _release_soon(self, row_ids: list[int]) -> None:
        async def release(uow: Unit) -> None:
            await uow.outbox.release(row_ids)

        def failed() -> None:
            log.exception("could not release failed sends; the next sender pass here will")
            self._failed.extend(row_ids)

        self._write_soon("steady-release", release, failed)

    def _write_soon(
        self,
        name: str,
        write: Callable[[Unit], Awaitable[None]],
        failed: Callable[[], None],
        done: Callable[[], None] | None = None,
    ) -> None:
        """`write` in a unit of its own, in the background (tracked with the claimed sends, so
        `recorded` and a stop wait for it); `failed` (in the except block) if it raised, else
        `done` once it committed."""

        async def run() -> None:
            try:
                async with self._db.unit() as uow:
                    await write(uow)
            except Exception:
                failed()
                return
            if done is not None:
                done()

        task = asyncio.create_task(run(), name=name)
        self._claimed.add(task)
        task.add_done_callback(self._claimed.discard)

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wakeup.set()

    def send_claimed(self, rows: Sequence[outbox.OutboxRow]) -> None:
        """Send rows a use case claimed (marked in flight) in its own transaction, now.

        The quick way for what a person is waiting to read (a reveal): no wait for the loop's
        next pass. The same pace, per-chat spacing and error handling apply. Called by
        `hand_off` once that transaction committed.
        """
        self._busy.update(row.chat_id for row in rows)
        task = asyncio.create_task(self._send_claimed(list(rows)), name="steady-claimed")
        self._claimed.add(task)
        task.add_done_callback(self._claimed.discard)

    async def _send_claimed(self, rows: list[outbox.OutboxRow]) -> None:
        sends = [asyncio.ensure_future(self._send_claimed_row(row)) for row in rows]
        try:
            results = await asyncio.gather(*sends, return_exceptions=True)
        finally:  # cut short by a stop's deadline too: what Telegram took is not sent again
            self._records.add(*_taken(sends))
        failed = [
            (row.id, r)
            for row, r in zip(rows, results, strict=True)
            if isinstance(r, BaseException)
        ]
        if failed:
            log.error("claimed sends failed (%s); they are retried", type(failed[0][1]).__name__)
            unsent = [row_id for row_id, _ in failed]
            try:
                async with self._db.unit() as uow:
                    await uow.outbox.release(unsent)
            except Exception:
                log.exception("could not release claimed sends; the delivery loop will retry")
                self._failed.extend(unsent)
                self.wake()

    async def _send_claimed_row(self, row: outbox.OutboxRow) -> tuple[int, int, int] | None:
        try:
            return await self._send_paced(row, own_turn=True)
        finally:
            self._unbusy(row.chat_id)

    def recording(self) -> bool:
        """Whether a send is in flight, or sent but not yet recorded (with several workers,
        not sending here: maybe, by the sender; `recorded` asks the database)."""
        if self._shared and not self._db.lease.sending:
            return True
        return bool(self._sending or self._claimed or self._records.unrecorded())

    async def recorded(self, timeout: float = 10.0, chat_id: int | None = None) -> None:  # noqa: ASYNC109
        """Return once the sends in flight now are recorded (or `timeout` passed).

        Someone may answer a question in the moment between Telegram accepting it and this
        process recording that it did: their message waits for the record, not for a guess.
        With several workers and another one sending: until nothing to `chat_id` is in flight
        in the database."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                if self._shared and not self._db.lease.sending:
                    if chat_id is not None:
                        while await self._in_flight_to(chat_id):  # noqa: ASYNC110
                            await asyncio.sleep(0.05)  # another process's record: no event
                    return
                pending = {*self._sending, *self._claimed}
                if pending:
                    await asyncio.wait(pending)
                await self._records.settled()  # exactly the sends unrecorded now

    async def _in_flight_to(self, chat_id: int) -> bool:
        async with self._db.read() as uow:
            return await uow.outbox.in_flight_to(chat_id)

    async def idle(self) -> None:
        """Return once nothing is due now: no send in flight or waiting to be recorded, and no
        row the loop could send at this moment (a test's barrier before it asserts silence:
        whatever was queued has then reached the server or waits for a later time)."""
        while True:
            if not (self._sending or self._claimed or self._failed or self._records.unrecorded()):
                async with self._db.read() as uow:
                    if not await uow.outbox.due_now(self._clock.timestamp()):
                        return
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Finish the sends in flight, then return; pending rows wait in the database."""
        self._stopping = True
        self._stopped.set()
        self._wakeup.set()
        deadline = time.monotonic() + STOP_WAIT
        if self._task is not None:  # a pass cancelled: its claim rolls back, its sends go back
            await _end_by(deadline, {self._task}, "a delivery pass")
        # Each ends within a request's timeout, unless its own write waits for the database; one
        # cancelled stays in flight, and comes back as after a crash.
        await _end_by(deadline, {*self._sending, *self._claimed}, "sends")
        recorder = self._records.finish()  # no more retries: what is left is recorded below
        await _end_by(deadline, {recorder} if recorder else set(), "a record of sends")
        failed, self._failed = self._failed, []
        unsent, self._unsent = self._unsent, []
        last = max(CANCEL_WAIT, deadline - time.monotonic())
        try:
            with self._records.take() as sent:
                async with asyncio.timeout(last), self._db.unit() as uow:
                    await self._records.write(uow, sent)
                    await uow.outbox.release(failed)
                    await uow.outbox.put_back(unsent)
        except Exception:
            # The rest of the stop still runs (the lock, the hook): these rows stay in flight
            # and come back as after a crash, at the next start or when their lease runs out.
            log.exception("could not record the last sends at the stop; they are retried")
        # Only now: a claim committed while stopping still went to `_send_paced`, which puts
        # it back as certainly unsent rather than leave it in flight.
        with contextlib.suppress(ValueError):
            self._db.after_commit.remove(self.hand_off)
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.wait({self._renewer}, timeout=CANCEL_WAIT)  # its unit may be rolling back
        lock, self._sender_lock = self._sender_lock, None
        if lock is not None:
            self._db.lease.sending = False
            await lock.release()

    async def _run(self) -> None:
        while not self._stopping and not self._lost:
            # Cleared before the pass: a send that ends or a wake() during it brings the next.
            self._wakeup.clear()
            try:
                await self.drain_once()
            except Exception:
                log.exception("delivery pass failed; retrying shortly")
                self._more = False
                await self._recover()
            if self._stopping or self._lost:
                break
            if self._more:
                continue  # a full pick: more may be ready
            wait = POLL
            if self._next_turn:
                wait = min(wait, max(0.0, self._next_turn - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=wait)

    async def drain_once(self) -> int:
        """Start sending what is ready now, each send its own task; the number started.

        One short transaction per pass records finished sends not recorded yet (each is
        recorded as soon as it ends; see Records), picks rows for chats with nothing in flight
        and marks them in flight: the database lock is taken once, so round creation by the
        tick and delivery share it fairly. A crash re-sends at most the rows in flight and
        those sent but not yet recorded, each copy recorded as uncertain at start-up.
        """
        now = time.monotonic()
        if len(self._last_to_chat) > 10_000:  # forget chats that are no longer being paced
            self._last_to_chat = {
                c: t for c, t in self._last_to_chat.items() if t + self._per_chat > now
            }
        room = min(self._batch, self._queue - len(self._sending))
        if room < self._refill:
            room = 0
            self._next_turn = 0.0  # a finished send wakes the loop
        if not (room or self._records.waiting() or self._failed):
            self._more = False
            return 0  # nothing to do: no transaction
        self._answered.clear()  # before the pass reads the outbox (see `answering`)
        # Taken before the transaction: claimed sends may add to the lists during it.
        failed, self._failed = self._failed, []
        due: list[outbox.OutboxRow] = []
        with self._records.take() as sent:
            try:
                async with self._db.unit() as uow:
                    await self._records.write(uow, sent)
                    await uow.outbox.release(failed)  # left in flight by an earlier failure
                    if room > 0:
                        rows = await uow.outbox.ready(self._clock.timestamp(), BATCH)
                        due = self._one_per_chat(rows, now, room)
                        # Their chats are taken from this moment, not once the claim commits: a
                        # handler's reply meanwhile (scheduler.direct) would go beside the row.
                        for row in due:
                            self._busy[row.chat_id] += 1
                    if due:
                        await uow.outbox.mark_inflight(
                            [row.id for row in due], self._clock.timestamp()
                        )
            except BaseException:
                # Not recorded: keep for the next try (`Records.take` keeps the sends).
                self._failed = failed + self._failed
                for row in due:
                    self._unbusy(row.chat_id)
                raise
        self._more = bool(due) and len(due) == room
        for row in due:
            task = asyncio.create_task(self._deliver(row), name="steady-send")
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return len(due)

    def _one_per_chat(
        self, rows: list[outbox.OutboxRow], now: float, room: int
    ) -> list[outbox.OutboxRow]:
        """This pass's rows: at most one per chat (the next goes a second later, in order),
        none for a chat with a send in flight or a message under a second ago."""
        chats: set[int] = set()
        due = []
        self._next_turn = 0.0
        for row in rows:
            if row.chat_id in chats or row.chat_id in self._busy:
                continue
            if row.chat_id in self._answering or row.chat_id in self._answered:
                # Its person's update is being handled, or was since this pass read the row
                # (their reply, queued then, may be missing here): woken when it is done.
                continue
            turn = self._chat_turn(row.chat_id)
            if turn > now:
                self._next_turn = min(self._next_turn or turn, turn)
                continue
            chats.add(row.chat_id)
            due.append(row)
            if len(due) == room:
                break
        return due

    async def _deliver(self, row: outbox.OutboxRow) -> None:
        """One send of the loop's, recorded as soon as it is sent."""
        result = None
        try:
            result = await self._send_paced(row)
        except (Exception, asyncio.CancelledError) as exc:
            task = asyncio.current_task()
            if isinstance(exc, asyncio.CancelledError) and (task is None or task.cancelling()):
                raise  # this send itself was cancelled
            # Also a cancelled lease check (the task asking for its batch, `_hold_asked`):
            # left as it is, the row would stay in flight under a lease renewed while this
            # worker works, never sent while it lives.
            log.exception("outbox %s: the send failed unexpectedly; it is retried", row.id)
            if self._shared and not self._db.lease.sending:
                # No sender loop here any more to release it, and the lease on it would be
                # renewed for as long as this worker lives: released now, for the new sender.
                self._release_soon([row.id])
            else:
                self._failed.append(row.id)  # released, as uncertain, by the next pass
        finally:
            self._unbusy(row.chat_id)
        if result is not None:
            self._records.add(result)  # which then wakes the loop
        else:
            self.wake()

    def _unbusy(self, chat_id: int) -> None:
        self._busy[chat_id] -= 1
        if self._busy[chat_id] <= 0:
            del self._busy[chat_id]

    async def _recover(self) -> None:
        """After a failed pass: record what was sent; this pass's failed rows go back to
        pending as uncertain (they may have reached Telegram), so nothing stays stuck. Rows
        claimed by a use case are not touched: their own task is still sending them."""
        failed, self._failed = self._failed, []
        try:
            with self._records.take() as sent:
                async with self._db.unit() as uow:
                    await self._records.write(uow, sent)
                    await uow.outbox.release(failed)
        except Exception:
            # Kept (the sends by `Records.take`): the next pass records and releases them first.
            self._failed = failed + self._failed
            log.exception("could not recover the delivery state; the next pass will retry")

    async def _send_paced(
        self, row: outbox.OutboxRow, *, own_turn: bool = False
    ) -> tuple[int, int, int] | None:
        """(row id, Telegram message id) when sent; None when it was kept for later.

        `own_turn`: the row did not come through the loop's per-chat filter, so wait here for
        the chat's turn (the turn is reserved at once, so the loop leaves that chat alone).
        """
        if own_turn:
            now = time.monotonic()
            turn = max(now, self._chat_turn(row.chat_id))
            self._last_to_chat[row.chat_id] = turn
            if turn > now:
                await asyncio.sleep(turn - now)
        async with self._in_flight:
            if self._stopping:
                # Shutting down before it was sent: it stays pending, and certainly unsent.
                if not own_turn:
                    self._unsent.append(row.id)  # stop() puts the loop's back in one go
                    return None
                async with self._db.unit() as uow:
                    await uow.outbox.retry_later(
                        row.id,
                        self._clock.timestamp(),
                        "Stopped",
                        counts=False,
                        uncertain=False,
                    )
                return None
            # Several workers: the lease is checked and renewed before the slot in the pace,
            # not between the slot and the request, so the request leaves when its slot says
            # (a database round trip there would bunch arrivals past the cap at Telegram).
            if self._shared and not await self._still_held(row):
                return None
            await self._pace()
            if row.id in self._withdrawn:  # erased while it waited for its turn
                self._withdrawn.discard(row.id)
                return None
            if self._shared and (self._lost or not self._db.lease.sending):
                # Claimed as the sender, which this worker no longer is (its lock went while
                # the row waited for its turn): back, certainly unsent, for the sender, or two
                # workers would send beside each other over the bot's one rate.
                async with self._db.unit() as uow:
                    await uow.outbox.put_back([row.id])
                return None
            return await self._send(row)

    async def _still_held(self, row: outbox.OutboxRow) -> bool:
        """Several workers: the row is still this worker's (not erased by another, not taken
        over after this one stalled past its lease), its lease renewed for the send. Checked
        just before its slot in the pace (a fraction of a second before the request): a send
        that has not left yet is fenced by the token; one on the wire cannot be called back
        (the lease outlasts the request timeout). Sends that ask in the same moment are
        checked in one statement (`_hold_asked`): at the paid cap a pass's sends ask at once,
        and a transaction each cost PostgreSQL more than the sends."""
        asked = self._to_hold.get(row.id)
        if asked is None:
            asked = self._to_hold[row.id] = asyncio.get_running_loop().create_future()
            if self._holder is None or self._holder.done():
                self._holder = asyncio.create_task(self._hold_asked(), name="steady-hold")
                self._holder.add_done_callback(self._hold_ended)
        return await asyncio.shield(asked)

    def _hold_ended(self, holder: asyncio.Task[None]) -> None:
        """The holder answers until no send asks; cancelled (even before it began) or failed,
        what still asks is answered so, unless a newer holder took it on meanwhile."""
        if holder is not self._holder or not self._to_hold:
            return
        error = None if holder.cancelled() else holder.exception()
        for answer in self._to_hold.values():
            if error is None:
                answer.cancel()
            else:
                answer.set_exception(error)
        self._to_hold.clear()

    async def _hold_asked(self) -> None:
        await asyncio.sleep(0)  # the other sends of this moment ask too
        while self._to_hold:
            asked, self._to_hold = self._to_hold, {}
            try:
                async with self._db.unit() as uow:
                    held = await uow.outbox.hold_many(list(asked), self._clock.timestamp())
                    lost = [row_id for row_id in asked if row_id not in held]
                    superseded = bool(lost) and await uow.outbox.superseded()
                    if superseded:
                        await uow.outbox.put_back(lost)  # still its own: for the new sender
            except Exception as exc:
                for answer in asked.values():
                    answer.set_exception(exc)  # each send fails as its own check would have
                continue
            except BaseException:  # cancelled: no send waits for an answer that never comes
                for answer in asked.values():
                    answer.cancel()
                raise
            if superseded and not self._lost:
                # Another worker was elected since (this one's lock went without its knowing):
                # it stops sending now rather than at its next look at the lock.
                log.warning("another worker now sends for the bot; this one stops")
                self._lost = True
                self.wake()
            for row_id, answer in asked.items():
                if row_id not in held and not superseded:
                    log.info("outbox %s: no longer held by this worker; not sent", row_id)
                answer.set_result(row_id in held)

    @contextlib.asynccontextmanager
    async def answering(self, chat_id: int) -> AsyncIterator[None]:
        """While a person's own update is handled: nothing queued for their chat starts, so
        the reply to what they did goes before what it queued ("not now", then the offer it
        brings). Their chat is looked at again as soon as it is handled."""
        self._answering[chat_id] += 1
        try:
            yield
        finally:
            self._answering[chat_id] -= 1
            if self._answering[chat_id] <= 0:
                del self._answering[chat_id]
                self._answered.add(chat_id)  # a pass under way may have read too early
                self.wake()

    @property
    def paid(self) -> bool:
        """Whether messages go as paid broadcasts (PAID_BROADCAST)."""
        return self._paid

    def sends_here(self) -> bool:
        """Whether this worker sends for the bot: the only worker, or the elected sender."""
        return not self._shared or (self._db.lease.sending and not self._lost)

    async def queue_waits(self, chat_id: int) -> bool:
        """Whether a reply to this chat is still in the outbox (queued a moment ago, its turn
        not come): a handler's next message goes after it, queued too."""
        async with self._db.read() as uow:
            return await uow.outbox.waiting_for(chat_id, self._clock.timestamp())

    async def still_sender(self) -> bool:
        """Whether this worker sends for the bot, asked of the database with several workers
        (no other elected since: the epoch, as `_still_held` asks it for a row) before a
        handler's message takes its slot. A superseded sender stops sending at once."""
        if not self._shared:
            return True
        if not self.sends_here():
            return False
        async with self._db.read() as uow:
            superseded = await uow.outbox.superseded()
        if superseded and not self._lost:
            log.warning("another worker now sends for the bot; this one stops")
            self._lost = True
            self.wake()
        return not superseded

    def turn_now(self, chat_id: int | None) -> bool:
        """Whether a handler's message to this chat could go this moment: its chat's turn is
        here, nothing is in flight to it, and the pace has a slot (see direct_turn)."""
        now = time.monotonic()
        if chat_id is not None and (self._chat_turn(chat_id) > now or chat_id in self._busy):
            return False
        # Sends in line for a slot go first: a reply would wait behind them.
        return not self._in_line and self._slot_wait(now) <= 0

    def _chat_turn(self, chat_id: int) -> float:
        """When this chat may have its next message: a per-chat interval after its last one,
        and not before a new sender's first interval is over (monotonic time)."""
        last = self._last_to_chat.get(chat_id, -self._per_chat)
        return max(last + self._per_chat, self._all_chats_after)

    @contextlib.asynccontextmanager
    async def direct_turn(self, chat_id: int | None) -> AsyncIterator[None]:
        """Around a message a handler sends itself (scheduler.direct): it waits for its chat's
        turn, reserved at once so the loop leaves that chat alone, and a slot in the pace, as
        an outbox row would; the chat's next turn counts from when it arrived."""
        if chat_id is not None:
            while True:
                now = time.monotonic()
                turn = self._chat_turn(chat_id)
                if turn <= now and chat_id not in self._busy:
                    break
                await asyncio.sleep(max(turn - now, 0.01))
            self._busy[chat_id] += 1
        try:
            await self._pace()
            if chat_id is not None:
                self._last_to_chat[chat_id] = time.monotonic()
            yield
        finally:
            if chat_id is not None:
                self._last_to_chat[chat_id] = time.monotonic()
                self._unbusy(chat_id)

    async def _pace(self) -> None:
        """Evenly spaced sends (after a short burst), never more than the cap in any WINDOW.

        The window is a touch over a second: requests jitter on the way, and Telegram counts
        arrivals, so a strict one-second count at our end could still be a 429 at theirs.
        """
        # One send waits for the next slot at a time, the rest in line behind it: each woken
        # to find the slot taken (up to 200 in flight at the paid cap) would cost the event
        # loop a wake-up per send per slot, and its lag would bunch the sends' arrivals.
        self._in_line += 1
        try:
            async with self._pacing:
                while True:
                    now = time.monotonic()
                    wait = self._slot_wait(now)
                    if wait <= 0:
                        break
                    await asyncio.sleep(wait)
                # The slot clock may lag `now` by burst - 1 intervals: that many go back to back.
                self._next_slot = max(now - self._burst_lag, self._next_slot) + self._interval
                self._recent.append(now)
        finally:
            self._in_line -= 1

    def _slot_wait(self, now: float) -> float:
        """Seconds until the next slot in the pace (none left: 0 or less)."""
        while self._recent and now - self._recent[0] >= WINDOW:
            self._recent.popleft()
        wait = self._next_slot - now
        if len(self._recent) >= self._per_window:
            wait = max(wait, WINDOW - (now - self._recent[0]))
        return wait

    def _sound(self, row: outbox.OutboxRow) -> tuple[bool, bool]:
        """(silent, announce first) for this row on its reader's phone. In quiet hours nothing
        makes a sound. In discreet mode, private words never do: a neutral line sounds in
        their place (once, in the row's turn), and the row follows silently in the next."""
        zone = zone_or_none(row.timezone or "") or self._default_zone
        local = datetime.fromtimestamp(self._clock.timestamp(), zone).time()
        hours = None
        if row.quiet_from and row.quiet_until:
            hours = (dt_time.fromisoformat(row.quiet_from), dt_time.fromisoformat(row.quiet_until))
        quiet = in_quiet_hours(local, hours)
        hidden = row.private and row.discreet
        return quiet or hidden, hidden and not quiet and not row.announced

    async def _send(self, row: outbox.OutboxRow) -> tuple[int, int, int] | None:
        self._last_to_chat[row.chat_id] = time.monotonic()
        backoff = min(MAX_BACKOFF, 2 ** min(row.attempts, 9))
        silent, announce = self._sound(row)
        text = t("delivery.neutral", row.language) if announce else row.text
        params = {"chat_id": row.chat_id, "text": text, **MESSAGE_DEFAULTS}
        method, files = "sendMessage", None
        if row.media is not None and not announce:
            # A picture or document: its text is the caption. The same pace, retries and
            # sound rules as a message; the neutral line that announces it is a plain one.
            method = "sendPhoto" if row.media.kind == "photo" else "sendDocument"
            params = {"chat_id": row.chat_id, "parse_mode": MESSAGE_DEFAULTS["parse_mode"]}
            if row.text:
                params["caption"] = row.text
            mime = "image/png" if row.media.kind == "photo" else _mime(row.media.filename)
            files = {row.media.kind: (row.media.filename, row.media.content, mime)}
        if row.reply_markup and not announce:
            params["reply_markup"] = row.reply_markup
        if silent and not announce:
            params["disable_notification"] = True
        if self._paid:
            params["allow_paid_broadcast"] = True
        try:
            try:
                # Straight to PTB's request layer (its errors, none of send_message's parsing).
                result = await self._bot.request.post(
                    f"{self._bot.base_url}/{method}", ApiCall(params, files)
                )
            finally:
                # The chat's next turn counts from here too: Telegram counts arrivals, and
                # this one arrived by now; a slow request (a loaded machine) must not shorten
                # the gap to the next.
                self._last_to_chat[row.chat_id] = time.monotonic()
        except RetryAfter as exc:
            await self._retry(row, _seconds(exc.retry_after), "RetryAfter", counts=False)
        except Forbidden:
            await self._unreachable(row)
        except BadRequest as exc:
            # A message Telegram refuses outright will never go through; keep the record.
            log.error("outbox %s refused by Telegram: %s", row.id, type(exc).__name__)
            async with self._db.unit() as uow:
                key = await uow.outbox.mark_failed(row.id, type(exc).__name__)
                if key is not None and row.chat_id > 0 and outbox.awaited_reply(key):
                    # A reply to what someone just did: they would hear nothing back. Told
                    # that something went wrong, as the error handler tells them when the
                    # reply, sent at once, is refused (whether it went at once or was queued
                    # depends on the moment: their chat's turn, the pace, who sends).
                    notice = Outgoing(
                        row.chat_id,
                        outbox.direct_key(row.chat_id, notice=True),
                        t("errors.generic", row.language),
                    )
                    await uow.outbox.enqueue_first(notice, self._clock.timestamp())
        except TimedOut:
            # It may have arrived: a retry may duplicate it, but losing it would be worse.
            await self._retry(row, backoff, "TimedOut", counts=True, uncertain=True)
        except NetworkError:
            await self._retry(row, backoff, "NetworkError", counts=True)
        except TelegramError as exc:
            # Anything else Telegram (or a proxy in front of it) answered: retry, with backoff.
            await self._retry(row, backoff, type(exc).__name__, counts=True, uncertain=True)
        else:
            if announce:  # the row itself goes at its chat's next turn, silently
                async with self._db.unit() as uow:
                    await uow.outbox.announced(row.id)
                self.wake()
                return None
            message = result  # the sent Message, as a dict
            accepted = int(message.get("date") or self._clock.timestamp())  # type: ignore[union-attr]
            return row.id, int(message["message_id"]), accepted  # type: ignore[call-overload, index]
        return None

    async def _retry(
        self,
        row: outbox.OutboxRow,
        after: int,
        error: str,
        *,
        counts: bool,
        uncertain: bool = False,
    ) -> None:
        log.warning("outbox %s: %s, retrying in %ss", row.id, error, after)
        async with self._db.unit() as uow:
            await uow.outbox.retry_later(
                row.id,
                self._clock.timestamp() + after,
                error,
                counts=counts,
                uncertain=uncertain,
            )

    async def _unreachable(self, row: outbox.OutboxRow) -> None:
        async with self._db.read() as uow:
            known = await uow.users.get(row.chat_id) is not None
        if not known:
            # A group the bot was removed from (a direct reply queued for it), or someone not
            # on record: nobody comes back (/start) to be reachable again, so it is set aside
            # rather than refused each second for ever.
            log.info("outbox %s: refused by a chat nobody here answers for; set aside", row.id)
            async with self._db.unit() as uow:
                await uow.outbox.mark_failed(row.id, "Forbidden")
            return
        log.info("outbox %s: the recipient blocked the bot; it waits for them", row.id)
        await reachability.set_reachable(self._db, row.chat_id, False, self._clock.timestamp())
        await self._retry(row, 0, "Forbidden", counts=False)


def _taken(sends: list[asyncio.Future[tuple[int, int, int] | None]]) -> list[tuple[int, ...]]:
    """The sends that ended with Telegram taking the message."""
    ended = [send for send in sends if send.done() and not send.cancelled()]
    return [r for send in ended if send.exception() is None and (r := send.result()) is not None]


async def _end_by(deadline: float, tasks: set[asyncio.Task[None]], what: str) -> None:
    """Wait for `tasks` until `deadline` (monotonic), then cancel those left and give them
    CANCEL_WAIT to end: a stop must not wait for ever on a database that is down or locked."""
    if not tasks:
        return
    await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
    if left := [task for task in tasks if not task.done()]:
        log.warning("a stop cancelled %s still waiting (%s)", what, len(left))
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=CANCEL_WAIT)


def _mime(filename: str) -> str:
    return "application/pdf" if filename.lower().endswith(".pdf") else "application/octet-stream"


def _seconds(value: object) -> int:
    total = getattr(value, "total_seconds", None)
    return max(1, int(total() if callable(total) else value))  # type: ignore[arg-type]
