"""Before every feature's commands: what looks like a command but is not this person's fresh
one is not acted on. An edit of a sent command (Telegram sends it again, as an edit: fixing a
typo in `/agree …` proposed a second agreement) and a forwarded message (someone else's words,
a forwarded `/agree …` among them, never taken as the forwarder's)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import person, reply


async def edited_command(update: Update, context: SteadyContext) -> None:
    await reply(update, t("fallback.edited_command", person(update.effective_user).language))


async def forwarded(update: Update, context: SteadyContext) -> None:
    await reply(update, t("checkin.forwarded", person(update.effective_user).language))


async def forwarded_command(update: Update, context: SteadyContext) -> None:
    await reply(update, t("fallback.forwarded_command", person(update.effective_user).language))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    edited = private & filters.UpdateType.EDITED_MESSAGE & filters.COMMAND
    app.add_handler(MessageHandler(edited, edited_command))
    app.add_handler(
        MessageHandler(private & filters.FORWARDED & filters.COMMAND, forwarded_command)
    )
    app.add_handler(MessageHandler(private & filters.FORWARDED, forwarded))
