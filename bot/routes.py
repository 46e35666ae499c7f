"""The one place that wires handlers to the application. Order matters: first match wins."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    agreements,
    asks,
    checkins,
    errors,
    fallback,
    firststeps,
    groups,
    guards,
    language,
    membership,
    options,
    pairing,
    privacy,
    progress,
    promises,
    repair,
    report,
    schedules,
    start,
    stats,
)


def register_handlers(app: Application) -> None:
    # 0. Before everything (group -1): the language the sender chose, for every reply.
    language.register_first(app)
    # 1. Group chats first: every command there gets the same "let's talk in private" pointer.
    groups.register(app)
    # 2. Blocking/unblocking the bot, which is not a message.
    membership.register(app)
    # 3. Not acted on by any feature: an edit of a sent command, a forwarded message.
    guards.register(app)
    # 4. Commands and buttons of each feature, private chats only.
    start.register(app)
    pairing.register(app)
    privacy.register(app)
    schedules.register(app)
    options.register(app)
    repair.register(app)
    progress.register(app)
    report.register(app)
    firststeps.register(app)
    asks.register(app)
    promises.register(app)
    agreements.register(app)
    # The owner's counts; for anyone else it answers as the fallback does (step 6).
    stats.register(app)
    language.register(app)
    # 5. Check-ins after the commands: they take every other private text and media message.
    checkins.register(app)
    # 6. Last: whatever nobody else took gets a hint (unknown command, text, media, old button).
    fallback.register(app)
    errors.register(app)
