"""/agree, /agreements and an agreement's buttons (accept, change, decline, revise, retire)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import agreements, callbacks
from bot.agreements import Outcome
from bot.context import SteadyContext
from bot.long_text import paginate
from bot.models import Button, Person
from bot.texts import plain, t
from handlers.common import ButtonHandler, keyboard, person, reply, settle

MAX_BUTTONS = 30  # rows of buttons under a list
LABEL = 24  # characters of an agreement's words on a button

_REPLIES = {
    Outcome.PROPOSED: "agreement.proposed",
    Outcome.ACCEPTED: "agreement.accepted",
    Outcome.DECLINED: "agreement.declined",
    Outcome.RETIRE_ASKED: "agreement.retire_asked",
    Outcome.RETIRED: "agreement.retired",
    Outcome.KEPT: "agreement.kept",
    Outcome.NOT_PAIRED: "agreement.not_paired",
    Outcome.EMPTY: "agreement.usage",
    Outcome.TOO_LONG: "agreement.too_long",
    Outcome.UNKNOWN: "agreement.unknown",
}


def _short(text: str) -> str:
    return text if len(text) <= LABEL else text[: LABEL - 1] + "…"


async def _answer(update: Update, me: Person, result: agreements.Result) -> None:
    text = t(
        _REPLIES[result.outcome],
        me.language,
        partner=result.partner,
        text=result.text,
        most=agreements.MAX_WORDS,
    )
    await reply(update, text)


async def agree(update: Update, context: SteadyContext) -> None:
    """`/agree <words>` proposes an agreement; `/agree #3 <words>` another wording for #3."""
    me = person(update.effective_user)
    services = context.services
    args = context.args or []
    number = callbacks.bounded_int(args[0].removeprefix("#")) if args else None
    if args and args[0].startswith("#") and number is not None:
        result = await agreements.change(
            services.database, me.id, number, " ".join(args[1:]), services.now()
        )
    else:
        result = await agreements.propose(services.database, me.id, " ".join(args), services.now())
    await _answer(update, me, result)


async def agreements_command(update: Update, context: SteadyContext) -> None:
    """Active agreements and proposals waiting, each with its revise and retire buttons."""
    me = person(update.effective_user)
    lang = me.language
    found = await agreements.listing(context.services.database, me.id)
    if found is None:
        await reply(update, t("agreement.not_paired", lang))
        return
    if not found:
        await reply(update, t("agreement.none", lang))
        return
    lines = [t("agreement.list_title", lang)]
    buttons: list[tuple[Button, ...]] = []
    for entry in found:
        lines.append(_line(entry, lang))
        if entry.status != "active":
            continue
        short = _short(entry.text)
        buttons.append(
            (
                Button(
                    plain("agreement.revise_short", lang, text=short),
                    callbacks.AgreeAction(entry.id, "v").encode(),
                ),
            )
        )
        if not entry.retire_asked:
            buttons.append(
                (
                    Button(
                        plain("agreement.retire_short", lang, text=short),
                        callbacks.AgreeAction(entry.id, "r").encode(),
                    ),
                )
            )
    await _send_pages(update, lines, buttons)


def _line(entry: agreements.Entry, lang: str) -> str:
    if entry.status == "proposed":
        key = "agreement.line_proposed_mine" if entry.pending_mine else "agreement.line_proposed"
        return t(key, lang, number=entry.id, text=entry.text)
    line = t(
        "agreement.line_active",
        lang,
        number=entry.id,
        text=entry.text,
        since=agreements.since_words(entry, lang),
    )
    if entry.changes:
        line += " " + t("agreement.line_changed", lang, count=entry.changes)
    if entry.pending is not None:
        line += "\n" + t("agreement.line_revision", lang, text=entry.pending)
    if entry.retire_asked:
        line += "\n" + t("agreement.line_retiring", lang)
    return line


async def answer_button(
    update: Update, context: SteadyContext, button: callbacks.AgreeAnswer
) -> None:
    """Accept or decline a wording waiting for the presser, or ask how to propose a change."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    if button.choice == "c":
        number = await agreements.waiting_for(services.database, me.id, button.version_id)
        if not await settle(query, number is None, me.language):
            return
        await reply(update, t("agreement.how_to_change", me.language, number=number))
        return
    result = await agreements.answer(
        services.database, me.id, button.version_id, button.choice == "y", services.now()
    )
    if not await settle(query, result.outcome is Outcome.STALE, me.language):
        return
    await _answer(update, me, result)


async def action_button(
    update: Update, context: SteadyContext, button: callbacks.AgreeAction
) -> None:
    """Revise (how to type it), ask to retire, or confirm or decline the other's retirement."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    db, now, number = services.database, services.now(), button.agreement_id
    if button.action == "v":
        active = await agreements.is_active(db, me.id, number)
        if not await settle(query, not active, me.language):
            return
        await reply(update, t("agreement.how_to_revise", me.language, number=number))
        return
    if button.action == "r":
        result = await agreements.ask_retire(db, me.id, number, now)
    else:
        result = await agreements.confirm_retire(db, me.id, number, button.action == "y", now)
    if not await settle(query, result.outcome is Outcome.STALE, me.language):
        return
    await _answer(update, me, result)


async def _send_pages(update: Update, lines: list[str], buttons: list[tuple[Button, ...]]) -> None:
    """A long list in as many messages as it takes (Telegram's 4096 characters), its buttons
    (at most MAX_BUTTONS) under the last."""
    pages = paginate(lines)
    markup = keyboard(tuple(buttons[:MAX_BUTTONS])) if buttons else None
    for index, page in enumerate(pages):
        await reply(update, page, markup if index == len(pages) - 1 else None)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("agree", agree, filters=private))
    app.add_handler(CommandHandler("agreements", agreements_command, filters=private))
    app.add_handler(ButtonHandler(callbacks.AgreeAnswer, answer_button))
    app.add_handler(ButtonHandler(callbacks.AgreeAction, action_button))
