"""Small helpers shared by handlers: who is talking, and how to reply."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, User

from bot.models import Button, Person
from bot.texts import language_of


def person(user: User) -> Person:
    return Person(user.id, user.first_name or "", language_of(user.language_code))


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the chat the update came from."""
    if update.effective_chat is not None:
        await update.effective_chat.send_message(text, reply_markup=markup)
