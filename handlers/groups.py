"""Group chats: Steady works only in private, so a command there gets a pointer to it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import person, reply


async def private_only(update: Update, context: SteadyContext) -> None:
    """Explain that pairing and answers happen in a private chat."""
    link = f"https://t.me/{context.bot.username}"
    await reply(update, t("fallback.group", person(update.effective_user).language, link=link))


def register(app: Application) -> None:
    # Only commands: Steady must not chatter at every message in a group it was added to.
    app.add_handler(MessageHandler(~filters.ChatType.PRIVATE & filters.COMMAND, private_only))
