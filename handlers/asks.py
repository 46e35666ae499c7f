"""The option buttons of a double-blind ask (a promise's outcome, a review, a rating…)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from bot import asks, callbacks, checkins
from bot.context import SteadyContext
from bot.texts import t
from handlers.common import ButtonHandler, after_delivery, person, reply, reveal_due, settle

_REPLIES = {
    asks.Outcome.SAVED: "asks.saved",
    asks.Outcome.CHANGED: "asks.changed",
}


async def choose(update: Update, context: SteadyContext, button: callbacks.Choose) -> None:
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    # A question pressed the moment it arrived may not be recorded as received yet.
    outcome = await after_delivery(
        services,
        lambda _last: asks.choose(
            services.database, me.id, button.round_id, button.option, services.now()
        ),
        lambda o: o is asks.Outcome.STALE,
        me.id,
    )
    if not await settle(query, outcome is asks.Outcome.STALE, me.language):
        return
    if outcome is asks.Outcome.HELD and context.job_queue is not None:
        # The reveal waits for a long word's next part; the tick finds it after a restart.
        delay = checkins.JOIN_SECONDS + 0.1
        context.job_queue.run_once(reveal_due, delay, name="steady-reveal")
    if outcome in _REPLIES:  # a reveal speaks for itself
        await reply(update, t(_REPLIES[outcome], me.language))


def register(app: Application) -> None:
    app.add_handler(ButtonHandler(callbacks.Choose, choose))
