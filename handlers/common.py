"""Small helpers shared by handlers: who is talking, and how to reply."""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from bot.models import Button, Person
from bot.texts import language_of, t


def person(user: User) -> Person:
    return Person(user.id, user.first_name or "", language_of(user.language_code))


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer in the chat the update came from; the message sent, if any."""
    if update.effective_chat is None:
        return None
    return await update.effective_chat.send_message(text, reply_markup=markup)


async def refuse_stale(query: CallbackQuery, language: str) -> None:
    """An old, finished or foreign button: a short notice on the button, nothing changes."""
    await query.answer(t("fallback.stale_button", language))
