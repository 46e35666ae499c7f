"""Small helpers shared by handlers: who is talking, and how to reply."""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from bot.models import Button, Person
from bot.texts import language_of, t


def person(user: User | None) -> Person:
    """Who sent the update; a channel post has nobody (id 0, English)."""
    if user is None:
        return Person(0, "")
    return Person(user.id, user.first_name or "", language_of(user.language_code))


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Answer the person in their private chat (its id is their user id), never in the chat
    the update came from: a button can sit under a message in a group, and what Steady says
    is about a couple. The message sent, if any."""
    if update.effective_user is None:
        return None
    return await update.get_bot().send_message(update.effective_user.id, text, reply_markup=markup)


def in_private_chat(query: CallbackQuery) -> bool:
    """The button sits under a message in the presser's own chat with the bot."""
    message = query.message
    return message is not None and message.chat.type == Chat.PRIVATE


async def refuse_stale(query: CallbackQuery, language: str) -> None:
    """An old, finished or foreign button: a short notice on the button, nothing changes."""
    await query.answer(t("fallback.stale_button", language))
