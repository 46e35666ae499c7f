"""Sends Telegram took, on their way to the record: a delivery's finished sends until a
transaction marks them sent (Outbox.mark_sent), and who waits for that.

Until its record commits a send counts as not received: someone answering the question it
carried is handled once it is on record (Delivery.recorded), and a crash re-sends it, counted
uncertain. So records are prompt, and batched only where the rate makes a transaction per
send the bot's main cost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator

from bot.storage.db import Database
from bot.storage.unit import Unit
from scheduler.clock import Clock

log = logging.getLogger(__name__)

# Records of sends start at least this far apart at rates above one send per this long: at the
# paid cap one began every three or four sends (a transaction each, a fifth of the bot's CPU);
# now one takes the sends of 20 ms. At Telegram's default 30/s each send keeps its own record
# at once. The first after a quiet moment goes at once, and a chat's next turn is a second away.
RECORD_SPACING = 0.02
# After a record failed, the recorder tries again this long after (doubling up to RETRY_MAX):
# it may be the only one left to (a worker that stopped being the sender runs no passes, and
# renews its lease on the rows while their sends wait here).
RETRY_FIRST = 0.5
RETRY_MAX = 30.0

Send = tuple[int, ...]  # (outbox row, Telegram's message id, when Telegram took it)


class Records:
    """The sends one delivery finished and has not recorded yet.

    The recorder records them in the background, all that finished meanwhile in one
    transaction; any other transaction of the delivery's (a pass, a recovery, a stop) may take
    them into its own with `take`. Each batch has a future, done when the transaction that took
    it commits, so `settled` waits for exactly the sends unrecorded when it is called, not for
    a stream of later ones."""

    def __init__(self, db: Database, clock: Clock, rate: float, recorded: Callable[[], None]):
        self._db = db
        self._clock = clock
        self._recorded = recorded  # after each record: its chats' slots are free
        self._spacing = RECORD_SPACING if rate * RECORD_SPACING > 1 else 0.0
        self._sent: list[Send] = []
        # Done once the sends now in `_sent` are on record, by whichever transaction takes
        # them; and those of the batches being recorded now.
        self._sent_done: asyncio.Future[None] | None = None
        self._recording_now: set[asyncio.Future[None]] = set()
        self._recorder: asyncio.Task[None] | None = None
        self._last_record = -RECORD_SPACING  # monotonic: when the last record's unit began
        self._finishing = asyncio.Event()  # a stop: no more retries, it records what is left

    def add(self, *sent: Send) -> None:
        """Sends Telegram took: on record soon."""
        self._sent.extend(sent)
        self.record_soon()

    def waiting(self) -> bool:
        """Whether a send waits for a transaction to take it."""
        return bool(self._sent)

    def unrecorded(self) -> bool:
        """Whether a send ended here and its record has not committed yet."""
        return bool(self._sent or self._recording_now)

    def _batch(self) -> asyncio.Future[None]:
        """Done once the sends now in `_sent` are on record."""
        if self._sent_done is None:
            self._sent_done = asyncio.get_running_loop().create_future()
        return self._sent_done

    @contextlib.contextmanager
    def take(self) -> Iterator[list[Send]]:
        """The sends waiting for their record, for a transaction that records them (with
        `write`). `settled` waits for exactly these: committed, they are on record; on an
        error they go back, and are on record with the next batch."""
        sent = self._sent
        if not sent:
            # A list of its own, not `_sent`: sends that end while its transaction begins
            # are added to `_sent`, and would go through this record and the recorder's.
            yield []
            return
        done = self._batch()
        self._sent, self._sent_done = [], None
        self._recording_now.add(done)
        try:
            yield sent
        except BaseException:
            self._sent = sent + self._sent
            self._batch().add_done_callback(lambda _: done.done() or done.set_result(None))
            # Back from a pass (or a recovery) that failed, when the recorder had found nothing
            # to do: nobody else may try again (a worker that just stopped being the sender
            # runs no passes), so the recorder does, after the first wait.
            self.record_soon(after=RETRY_FIRST)
            raise
        else:
            done.set_result(None)
        finally:
            self._recording_now.discard(done)

    async def write(self, uow: Unit, sent: list[Send]) -> None:
        """Record `sent` (taken with `take`) in `uow`."""
        if sent:
            await uow.outbox.mark_sent(sent, self._clock.timestamp())

    def record_soon(self, *, after: float = 0.0) -> None:
        """Start the recorder, unless it runs (it then takes these too) or a stop records
        what is left itself; `after`: its first try that much later (a retry)."""
        if self._finishing.is_set():
            return
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record(retry=after), name="steady-record")

    async def _record(self, retry: float = 0.0) -> None:
        """Record finished sends, all that finished meanwhile in one transaction: under load,
        sends that end while one record waits for the database join the next. Recorded at
        once, the round counts as received and the chat's next message is ready; under load
        at most one record begins every RECORD_SPACING seconds (above 50 sends a second),
        taking all that finished. A record that failed is tried again, RETRY_FIRST later
        and then less often, until it commits, a pass takes the sends, or a stop."""
        while self._sent:
            if retry:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._finishing.wait(), retry)
                if self._finishing.is_set() or not self._sent:
                    return
            elif (wait := self._last_record + self._spacing - time.monotonic()) > 0:
                await asyncio.sleep(wait)
                if not self._sent:  # a pass or a recovery took them meanwhile
                    return
            try:
                with self.take() as sent:
                    async with self._db.unit() as uow:
                        self._last_record = time.monotonic()  # its transaction has begun
                        await self.write(uow, sent)
            except Exception:  # the sends are back in `_sent`
                retry = min(RETRY_MAX, retry * 2 or RETRY_FIRST)
                log.exception("could not record sends; trying again in %.1f s", retry)
                self._recorded()  # a pass may record them sooner
                continue
            retry = 0.0
            self._recorded()  # slots are free, and those chats may have more

    async def settled(self) -> None:
        """Return once the sends unrecorded now are on record (whichever transaction takes
        them): not until the recorder is idle, which a fan-out's stream of sends puts off."""
        batches = set(self._recording_now)
        if self._sent:
            batches.add(self._batch())
            self.record_soon()
        if batches:
            await asyncio.wait(batches)

    def finish(self) -> asyncio.Task[None] | None:
        """A stop: no more retries and no new recorder, since the stop records what is left
        itself; the record under way, if any, for it to wait for (or cancel: its sends then
        come back here, `take`)."""
        self._finishing.set()
        recorder = self._recorder
        return recorder if recorder is not None and not recorder.done() else None
