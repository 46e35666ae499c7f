"""Small helpers shared by handlers: who is talking, and how to reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    User,
)
from telegram.ext import Application, BaseHandler

from bot import callbacks, checkins
from bot.context import Services, SteadyContext
from bot.models import Button, Person, storable
from bot.texts import language_of, t
from scheduler import direct

B = TypeVar("B", bound=callbacks.ButtonData)
R = TypeVar("R")

# The language the sender of the update being handled chose with /language: (user id, code),
# looked up before any handler runs (handlers/language.py, bot.languages.ChosenLanguages). Each
# update is handled in its own task, so this never leaks into another person's update.
CHOSEN_LANGUAGE: ContextVar[tuple[int, str] | None] = ContextVar("chosen_language", default=None)


def person(user: User | None) -> Person:
    """Who sent the update, in the language they chose or else their Telegram app's (as given,
    its base language, English); a channel post has nobody (id 0, English)."""
    if user is None:
        return Person(0, "")
    chosen = CHOSEN_LANGUAGE.get()
    if chosen is not None and chosen[0] == user.id:
        language = chosen[1]
    else:
        language = language_of(user.language_code)
    return Person(user.id, storable(user.first_name or ""), language)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


async def reply(
    update: Update,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    quotes: int | None = None,
) -> int | None:
    """Answer the person in their private chat (its id is their user id), never in the chat
    the update came from: a button can sit under a message in a group, and what Steady says
    is about a couple. In the bot's one budget (scheduler.direct): the Telegram message id
    when sent from this worker, None when queued for the worker that sends (or nobody to
    answer). `quotes`: the round whose question the text shows (see direct.send)."""
    if update.effective_user is None:
        return None
    return await direct.send(
        update.get_bot(), update.effective_user.id, text, markup, quotes=quotes
    )


def in_private_chat(query: CallbackQuery) -> bool:
    """The button sits under a message in the presser's own chat with the bot."""
    message = query.message
    return message is not None and message.chat.type == Chat.PRIVATE


async def refuse_stale(query: CallbackQuery, language: str) -> None:
    """An old, finished or foreign button: a short notice on the button, nothing changes."""
    await query.answer(t("fallback.stale_button", language))


async def settle(query: CallbackQuery, stale: bool, language: str) -> bool:
    """A press whose outcome is known: refused on its button when `stale` (False), else
    acknowledged, so the client stops its spinner (True) and the handler goes on to answer."""
    if stale:
        await refuse_stale(query, language)
        return False
    await query.answer()
    return True


class ButtonHandler(BaseHandler[Update, SteadyContext, None]):
    """Presses of one kind of button. bot.callbacks parses the data (whatever it is: missing,
    empty, 64 bytes of anything); the callback gets the typed button, never the raw string."""

    def __init__(
        self, kind: type[B], callback: Callable[[Update, SteadyContext, B], Awaitable[None]]
    ) -> None:
        super().__init__(self._pressed)
        self._kind = kind
        self._on_press = callback

    def check_update(self, update: object) -> callbacks.ButtonData | None:
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        button = callbacks.parse(update.callback_query.data)
        return button if isinstance(button, self._kind) else None

    def collect_additional_context(
        self,
        context: SteadyContext,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: callbacks.ButtonData,
    ) -> None:
        context.button = check_result  # type: ignore[attr-defined]

    async def _pressed(self, update: Update, context: SteadyContext) -> None:
        await self._on_press(update, context, context.button)  # type: ignore[attr-defined]


async def after_delivery(
    services: Services,
    attempt: Callable[[bool], Awaitable[R]],
    unsure: Callable[[R], bool],
    chat_id: int | None = None,
) -> R:
    """`attempt(False)`, and if its result is `unsure`, `attempt(True)` (the last word) once
    the sends in flight are recorded: a question may have reached someone a moment before
    delivery recorded that it did, and what they send at once is about it. Recording is
    looked at before the attempt, so a record that commits while the attempt reads is not
    missed. With several workers another may be sending to `chat_id`: its record is waited
    for in the database."""
    delivery = services.delivery
    was_recording = delivery is not None and delivery.recording()
    result = await attempt(False)
    if unsure(result):
        if delivery is not None and (was_recording or delivery.recording()):
            await delivery.recorded(chat_id=chat_id)
        result = await attempt(True)
    return result


async def reveal_due(context: SteadyContext) -> None:
    services = context.services
    await checkins.reveal_due(services.database, services.now())
