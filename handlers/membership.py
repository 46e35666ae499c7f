"""A user blocking or unblocking the bot (my_chat_member updates in private chats)."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler

from bot import reachability
from bot.context import SteadyContext


async def member_changed(update: Update, context: SteadyContext) -> None:
    """Mark the user unreachable when they block the bot, reachable when they come back."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    services = context.services
    await reachability.set_reachable(
        services.database, change.from_user.id, not blocked, services.now()
    )


def register(app: Application) -> None:
    app.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.MY_CHAT_MEMBER))
