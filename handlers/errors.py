"""The error handler: log what broke (never what anyone wrote) and reassure the user."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import Forbidden
from telegram.ext import Application

from bot.context import SteadyContext
from bot.texts import t
from handlers.common import person
from scheduler import direct

log = logging.getLogger(__name__)


async def on_error(update: object, context: SteadyContext) -> None:
    """Log the exception with its traceback only; tell the user nothing was lost."""
    error = context.error
    kind = type(update).__name__ if update is not None else "job"
    log.error("error while handling %s", kind, exc_info=error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    if isinstance(error, Forbidden):
        return  # they blocked the bot; there is nobody to tell
    chat = update.effective_chat
    if chat is None or chat.type != Chat.PRIVATE:
        return  # a group hears nothing from Steady but the pointer to a private chat
    try:
        text = t("errors.generic", person(update.effective_user).language)
        await direct.send(context.bot, chat.id, text, notice=True)
    except Exception:
        log.warning("could not send the error notice", exc_info=True)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
