"""Last in line: an unknown command or button gets a short hint, never silence.

Plain text and media are handled by the check-in handlers, which know whether a round is open.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import person, refuse_stale, reply


async def unknown_command(update: Update, context: SteadyContext) -> None:
    """An unknown /command in a private chat."""
    await reply(update, t("fallback.unknown_command", person(update.effective_user).language))


async def stale_button(update: Update, context: SteadyContext) -> None:
    """A button whose data no handler recognises: old, forged or from an earlier version."""
    await refuse_stale(update.callback_query, person(update.effective_user).language)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
