"""Last in line: anything no other handler took gets a short hint, never silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import person, reply


async def unknown_command(update: Update, context: SteadyContext) -> None:
    """An unknown /command in a private chat."""
    await reply(update, t("fallback.unknown_command", person(update.effective_user).language))


async def unexpected_text(update: Update, context: SteadyContext) -> None:
    """Plain text when nothing is waiting for an answer."""
    await reply(update, t("fallback.unexpected_text", person(update.effective_user).language))


async def unexpected_media(update: Update, context: SteadyContext) -> None:
    """A photo, sticker, voice note or file where only text makes sense."""
    await reply(update, t("fallback.unexpected_media", person(update.effective_user).language))


async def stale_button(update: Update, context: SteadyContext) -> None:
    """A button whose data no handler recognises: old, forged or from an earlier version."""
    await update.callback_query.answer(t("unpair.stale", person(update.effective_user).language))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, unexpected_text))
    app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, unexpected_media))
    app.add_handler(CallbackQueryHandler(stale_button))
