"""Messages a handler sends at once (a reply to someone's own message), in the bot's one budget.

Telegram's limits (about 30 messages a second overall, one a second per chat) count every
message the bot sends, a reply to a command as much as a check-in from the outbox. So a reply
takes its turn in the delivery pace like any outbox row. With several workers only the elected
sender sends: a worker that is not the sender queues its replies in the outbox, first in the
sender's line, rather than send beside it over the bot's one rate.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram._utils.types import JSONDict
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter, ExtBot

from bot.models import Button, Media, Outgoing
from bot.storage.db import Database
from bot.storage.outbox import direct_key
from scheduler.clock import Clock
from scheduler.delivery import Delivery

log = logging.getLogger(__name__)

# The Bot API methods that put a message in a chat (what Telegram's message limits count).
# Editing one, answering a button press, and everything else pass untouched.
MESSAGE_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})

# Whose update this task handles and when that began (see `answering`): a reply to them that is
# queued goes before what their action queued meanwhile.
_answering: ContextVar[tuple[int, int] | None] = ContextVar("steady_answering", default=None)


class Requeue(Exception):
    """Not sent from here, but queued (see `send`): this worker is no longer the sender, or the
    message would have to wait for its turn."""


class DirectPace(BaseRateLimiter[bool]):
    """The bot's gate for what handlers send (PTB calls `process_request` for every request a
    handler makes through the bot): a message waits for its chat's turn and a slot in the
    delivery pace. Until delivery starts (and in tests without it) requests pass untouched.
    `rate_limit_args` True: the caller can queue the message instead (`send` does)."""

    def __init__(self) -> None:
        self._delivery: Delivery | None = None
        self._db: Database | None = None
        self._clock: Clock | None = None

    def attach(self, delivery: Delivery, db: Database, clock: Clock) -> None:
        self._delivery, self._db, self._clock = delivery, db, clock

    @property
    def delivery(self) -> Delivery | None:
        return self._delivery

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: bool | None,
    ) -> bool | JSONDict | list[JSONDict]:
        delivery = self._delivery
        if delivery is None or endpoint not in MESSAGE_METHODS:
            return await callback(*args, **kwargs)
        chat_id = data.get("chat_id")
        if delivery.paid:
            # Sent at the paid rate like the outbox's: an unpaid message would count against
            # the free 30 a second that the pace, set for paid broadcasts, does not keep.
            data["allow_paid_broadcast"] = True
        # Several workers: sent by a worker that is no longer the sender, it would go beside
        # the new sender's pace, over the bot's one rate. Asked before the slot (the database
        # knows of a new election before this worker's lock watcher does), and after the wait.
        if rate_limit_args and not await delivery.still_sender():
            raise Requeue
        chat = chat_id if isinstance(chat_id, int) else None
        if rate_limit_args and chat is not None and await delivery.queue_waits(chat):
            # Sent at once, it would overtake the reply before it, queued a moment ago (a
            # /history's pages): queued behind it instead.
            raise Requeue
        if rate_limit_args and not delivery.turn_now(chat):
            # It would wait (its chat's turn, a slot behind a fan-out) after its person's
            # action committed: held in memory, a crash meanwhile would lose it, and the
            # update's redelivery finds the action done (no second reply). Queued instead:
            # on record, first in line. Nothing awaits between this check and the slot.
            raise Requeue
        async with delivery.direct_turn(chat):
            return await callback(*args, **kwargs)

    def queues(self) -> bool:
        """Whether a message from here goes through the outbox: several workers share the
        database and another one sends for the bot."""
        return self._delivery is not None and not self._delivery.sends_here()

    async def queue(self, message: Outgoing, *, uncertain: bool = False) -> None:
        """Queue a message first in the sender's line (it sends within a pass). `uncertain`:
        an attempt to send it may have reached Telegram (counted as a possible copy)."""
        assert self._db is not None and self._clock is not None
        answering = _answering.get()
        since = answering[1] if answering and answering[0] == message.chat_id else None
        async with self._db.unit() as uow:
            await uow.outbox.enqueue_first(
                message, self._clock.timestamp(), uncertain=uncertain, before=since
            )

    def now(self) -> int | None:
        return self._clock.timestamp() if self._clock is not None else None


def gate(bot: ExtBot[Any]) -> DirectPace | None:
    limiter = bot.rate_limiter
    return limiter if isinstance(limiter, DirectPace) else None


@contextlib.asynccontextmanager
async def answering(update: object) -> AsyncIterator[None]:
    """Around the handling of one update (polling: bot.update_order; webhook: bot.webhook):
    what is queued for its sender waits until the handler's replies are sent
    (Delivery.answering); a reply queued instead (another worker sends, or its send failed)
    goes before what the update's action queued for them (Outbox.enqueue_first)."""
    delivery, pace = None, None
    if isinstance(update, Update) and update.effective_user is not None:
        with contextlib.suppress(RuntimeError):  # an update built without a bot (tests)
            pace = gate(update.get_bot())
            delivery = pace.delivery if pace is not None else None
    if delivery is None or pace is None:
        yield
        return
    user_id = update.effective_user.id
    token = _answering.set((user_id, pace.now() or 0))
    try:
        async with delivery.answering(user_id):
            yield
    finally:
        _answering.reset(token)


async def send(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    media: Media | None = None,
    quotes: int | None = None,
    notice: bool = False,
) -> int | None:
    """One message to one chat, now: sent from here when this worker sends for the bot (the
    gate paces it), else queued for the sender. The Telegram message id when sent here.
    `quotes`: the round whose question the text shows; queued, the row carries it, so its send
    records it (Outbox.mark_sent) as a sent prompt's is; sent here, the caller records it.
    `notice`: it says something went wrong; queued and refused, nothing more follows."""
    pace = gate(bot)

    def outgoing() -> Outgoing:
        buttons = tuple(
            tuple(Button(b.text, str(b.callback_data)) for b in row)
            for row in (markup.inline_keyboard if markup else ())
        )
        key = direct_key(chat_id, notice=notice)
        return Outgoing(chat_id, key, text, buttons, round_id=quotes, media=media)

    if pace is not None and pace.queues():
        await pace.queue(outgoing())
        return None
    queueable = pace is not None and pace.delivery is not None
    try:
        return await _send_here(bot, chat_id, text, markup, media, queueable=queueable)
    except (Requeue, RetryAfter, NetworkError) as exc:
        # Certainly not sent (the sender role went; a 429; a refused or broken connection), or
        # maybe (a timeout): the person's action is done, so its reply is not dropped, nor
        # turned into the generic error. Delivery sends it, retrying as it retries any message.
        if pace is None or not queueable or isinstance(exc, BadRequest):
            raise  # refused outright (a BadRequest is a NetworkError to PTB): never goes through
        if chat_id < 0 and not isinstance(exc, Requeue):
            # A group's pointer is worth no retry: a 429 there is mostly the group's 20 a
            # minute, and each command of a burst there would queue one more.
            raise
        if not isinstance(exc, Requeue):
            log.warning("a direct message was not sent (%s); queued", type(exc).__name__)
        await pace.queue(outgoing(), uncertain=isinstance(exc, TimedOut))
        return None


async def _send_here(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    media: Media | None,
    *,
    queueable: bool,
) -> int:
    # The gate may then raise Requeue rather than send (only a bot with the gate takes it).
    limits: dict[str, Any] = {"rate_limit_args": True} if queueable else {}
    if media is None:
        sent = await bot.send_message(chat_id, text, reply_markup=markup, **limits)
        return sent.message_id
    file = InputFile(media.content, filename=media.filename)
    caption = text or None
    if media.kind == "photo":
        sent = await bot.send_photo(chat_id, file, caption=caption, reply_markup=markup, **limits)
    else:
        sent = await bot.send_document(
            chat_id, file, caption=caption, reply_markup=markup, **limits
        )
    return sent.message_id
