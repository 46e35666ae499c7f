"""/promise, /promises and a promise's buttons (due moment, "seen it", withdraw, renew,
weekly). The outcome ask's own buttons belong to bot.asks's handler."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, promises
from bot.context import SteadyContext
from bot.long_text import paginate
from bot.models import Button, Person
from bot.promises import Outcome
from bot.texts import local_time, plain, t
from handlers.common import ButtonHandler, keyboard, person, reply, settle

MAX_BUTTONS = 30  # rows of buttons under a list
LABEL = 24  # characters of a promise's words on a button
# "/promise when …" in the four languages, whatever language someone reads Steady in.
_WHEN = frozenset(("when", "когда", "cuando", "wann"))

_PLAIN = {
    Outcome.NOT_PAIRED: "promise.not_paired",
    Outcome.EMPTY: "promise.usage",
    Outcome.TOO_LONG: "promise.too_long",
    Outcome.NO_DRAFT: "promise.no_draft",
    Outcome.BAD_TIME: "promise.bad_time",
}


def _short(text: str) -> str:
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


def _when(moment: datetime | None, language: str) -> str:
    return local_time(moment, "when", language) if moment else ""


async def promise(update: Update, context: SteadyContext) -> None:
    """`/promise <words>` keeps the words and offers due moments; `/promise when <moment>`
    sets a typed one."""
    me = person(update.effective_user)
    services = context.services
    args = context.args or []
    zone = services.settings.default_timezone
    # "when" and a moment ("sun 20:00", "So 20 Uhr"); anything else is a promise that starts
    # with the word ("Cuando llegue tarde, aviso").
    if args and args[0].lower() in _WHEN and promises.looks_like_moment(args[1:]):
        result = await promises.type_due(
            services.database, me.id, " ".join(args[1:]), services.now(), zone
        )
    else:
        result = await promises.draft(
            services.database, me.id, " ".join(args), services.now(), zone
        )
    await _answer(update, me, result)


async def _answer(update: Update, me: Person, result: promises.Result) -> None:
    lang = me.language
    if result.outcome in _PLAIN:
        await reply(update, t(_PLAIN[result.outcome], lang, most=promises.MAX_WORDS))
    elif result.outcome is Outcome.DRAFTED:
        assert result.promise_id is not None
        rows = tuple(
            (
                Button(
                    plain(f"promise.due_{choice}", lang, when=_when(moment, lang)),
                    callbacks.PromiseDue(result.promise_id, choice).encode(),
                ),
            )
            for choice, moment in result.choices
        )
        other = Button(
            t("promise.due_other", lang), callbacks.PromiseDue(result.promise_id, "other").encode()
        )
        await reply(update, t("promise.when", lang), keyboard((*rows, (other,))))
    elif result.outcome in (Outcome.SET, Outcome.RENEWED, Outcome.WEEKLY):
        assert result.promise_id is not None
        weekly = callbacks.PromiseAction(result.promise_id, "o" if result.weekly else "w")
        buttons = (
            (
                Button(
                    t("promise.weekly_off" if result.weekly else "promise.weekly_on", lang),
                    weekly.encode(),
                ),
            ),
            (
                Button(
                    t("promise.withdraw_button", lang),
                    callbacks.PromiseAction(result.promise_id, "x").encode(),
                ),
            ),
        )
        key = "promise.set_weekly" if result.weekly else "promise.set"
        await reply(update, t(key, lang, when=_when(result.due, lang)), keyboard(buttons))
    elif result.outcome is Outcome.WITHDRAWN:
        await reply(update, t("promise.withdrawn", lang))
    elif result.outcome is Outcome.ACKNOWLEDGED:
        await reply(update, t("promise.ack_thanks", lang))


async def due_button(update: Update, context: SteadyContext, button: callbacks.PromiseDue) -> None:
    """A due moment tapped for a draft (or "another time": how to type one)."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    if button.choice == "other":
        await query.answer()
        await reply(update, t("promise.type_when", me.language))
        return
    result = await promises.choose_due(
        services.database,
        me.id,
        button.promise_id,
        button.choice,
        services.now(),
        services.settings.default_timezone,
    )
    if not await settle(query, result.outcome is Outcome.STALE, me.language):
        return
    await _answer(update, me, result)


async def action_button(
    update: Update, context: SteadyContext, button: callbacks.PromiseAction
) -> None:
    """ "Seen it", withdraw, again next week, weekly on or off."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    db, now, pid = services.database, services.now(), button.promise_id
    if button.action == "a":
        result = await promises.acknowledge(db, me.id, pid, now)
    elif button.action == "x":
        result = await promises.withdraw(db, me.id, pid, now)
    elif button.action == "r":
        result = await promises.renew(db, me.id, pid, now, services.settings.default_timezone)
    else:
        result = await promises.set_weekly(db, me.id, pid, button.action == "w", now)
    if not await settle(query, result.outcome is Outcome.STALE, me.language):
        return
    await _answer(update, me, result)


async def promises_command(update: Update, context: SteadyContext) -> None:
    """Open promises and the latest with their revealed outcomes."""
    me = person(update.effective_user)
    lang = me.language
    services = context.services
    found = await promises.listing(services.database, me.id, services.settings.default_timezone)
    if found is None:
        await reply(update, t("promise.not_paired", lang))
        return
    if not found.open and not found.recent:
        await reply(update, t("promise.none", lang))
        return
    lines: list[str] = []
    buttons: list[tuple[Button, ...]] = []
    now = services.now()
    if found.open:
        lines.append(t("promise.open_title", lang))
        for entry in found.open:
            lines.append(_open_line(entry, lang))
            due = entry.due is not None and entry.due.timestamp() <= now  # the partner's now
            if entry.mine and entry.status in ("draft", "open") and not due:
                label = plain("promise.withdraw_short", lang, text=_short(entry.text))
                buttons.append((Button(label, callbacks.PromiseAction(entry.id, "x").encode()),))
    if found.recent:
        lines.append(t("promise.recent_title", lang))
        for entry in found.recent:
            lines.append(_recent_line(entry, lang))
            if entry.mine:
                label = plain("promise.renew_short", lang, text=_short(entry.text))
                buttons.append((Button(label, callbacks.PromiseAction(entry.id, "r").encode()),))
    await _send_pages(update, lines, buttons)


def _open_line(entry: promises.Entry, lang: str) -> str:
    if entry.status == "draft":
        return t("promise.line_draft", lang, name=entry.promiser, text=entry.text)
    key = "promise.line_asked" if entry.status == "asked" else "promise.line_open"
    line = t(key, lang, name=entry.promiser, text=entry.text, when=_when(entry.due, lang))
    if entry.weekly:
        line += " " + t("promise.line_weekly", lang)
    if entry.acknowledged:
        line += " " + t("promise.line_seen", lang)
    return line


def _recent_line(entry: promises.Entry, lang: str) -> str:
    seen = ", ".join(
        t("promise.outcome_by", lang, name=name, outcome=t(f"promise.outcome_{option}", lang))
        for name, option in entry.outcomes
    )
    return t("promise.line_done", lang, name=entry.promiser, text=entry.text, outcomes=seen)


async def _send_pages(update: Update, lines: list[str], buttons: list[tuple[Button, ...]]) -> None:
    """A long list in as many messages as it takes (Telegram's 4096 characters), its buttons
    (at most MAX_BUTTONS) under the last."""
    pages = paginate(lines)
    markup = keyboard(tuple(buttons[:MAX_BUTTONS])) if buttons else None
    for index, page in enumerate(pages):
        await reply(update, page, markup if index == len(pages) - 1 else None)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("promise", promise, filters=private))
    app.add_handler(CommandHandler("promises", promises_command, filters=private))
    app.add_handler(ButtonHandler(callbacks.PromiseDue, due_button))
    app.add_handler(ButtonHandler(callbacks.PromiseAction, action_button))
