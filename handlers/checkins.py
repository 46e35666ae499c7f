"""/checkin, answers (text, edits, media), and /history with its "show older" button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import checkins
from bot.checkins import AnswerOutcome, StartOutcome
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import t
from handlers.common import keyboard, person, reply

HISTORY_PATTERN = r"^v1:hist:\d+$"

_ANSWER_REPLIES = {
    AnswerOutcome.SAVED: "checkin.saved",
    AnswerOutcome.REPLACED: "checkin.replaced",
    AnswerOutcome.EMPTY: "checkin.empty",
    AnswerOutcome.CLOSED: "checkin.closed_reply",
    AnswerOutcome.NO_ROUND: "checkin.no_round",
    AnswerOutcome.NOT_PAIRED: "fallback.unexpected_text",
}


async def checkin(update: Update, context: SteadyContext) -> None:
    """Start a round now, or point to the open one."""
    me = person(update.effective_user)
    services = context.services
    result = await checkins.start_round(services.database, me.id, services.now())
    if result.outcome is StartOutcome.STARTED:
        services.queued()  # the prompt goes to both through the outbox
    elif result.outcome is StartOutcome.NOT_PAIRED:
        await reply(update, t("checkin.not_paired", me.language))
    elif result.answered:
        await reply(update, t("checkin.already_answered", me.language, partner=result.partner))
    else:
        await reply(update, t("checkin.already_open", me.language, prompt=result.prompt))


async def answer(update: Update, context: SteadyContext) -> None:
    """A text message (or an edit of one): an answer to the open round, if there is one."""
    message = update.effective_message
    me = person(update.effective_user)
    services = context.services
    edited = update.edited_message is not None
    result = await checkins.answer(
        services.database,
        me,
        message.text or "",
        message.message_id,
        services.now(),
        reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
        edited=edited,
    )
    if result.outcome in (AnswerOutcome.SAVED, AnswerOutcome.REPLACED, AnswerOutcome.REVEALED):
        services.queued()
    key = _ANSWER_REPLIES.get(result.outcome)
    if key is None or (edited and result.outcome is not AnswerOutcome.REPLACED):
        return  # a reveal speaks for itself; an edit of an old message needs no reply
    partner = result.partner.first_name if result.partner else ""
    await reply(update, t(key, me.language, partner=partner))


async def media(update: Update, context: SteadyContext) -> None:
    """A photo, voice note, sticker or file: only text answers for now."""
    me = person(update.effective_user)
    open_round = await checkins.has_open_round(context.services.database, me.id)
    await reply(
        update, t("checkin.media" if open_round else "fallback.unexpected_media", me.language)
    )


async def history(update: Update, context: SteadyContext) -> None:
    """Show the newest revealed rounds."""
    await _show_history(update, context, None)


async def history_more(update: Update, context: SteadyContext) -> None:
    """The "show older" button; it can only ever show the presser's own couple."""
    await update.callback_query.answer()
    await update.callback_query.edit_message_reply_markup(None)
    await _show_history(update, context, int(update.callback_query.data.split(":")[2]))


async def _show_history(update: Update, context: SteadyContext, older_than: int | None) -> None:
    me = person(update.effective_user)
    page = await checkins.history(context.services.database, me.id, older_than)
    if page is None:
        await reply(update, t("checkin.not_paired", me.language))
        return
    if not page.pages:
        await reply(update, t("history.empty", me.language))
        return
    for number, text in enumerate(page.pages, start=1):
        markup = None
        if number == len(page.pages) and page.older_than is not None:
            more = Button(t("history.more", me.language), f"v1:hist:{page.older_than}")
            markup = keyboard(((more,),))
        await reply(update, text, markup)


async def options(update: Update, context: SteadyContext) -> None:
    """`/options`, `/options window 12`, `/options reminder 3|off`."""
    me = person(update.effective_user)
    services = context.services
    current = await checkins.round_options(services.database, me.id)
    if current is None:
        await reply(update, t("checkin.not_paired", me.language))
        return
    window, reminder = current
    args = [a.lower() for a in context.args or []]
    if not args:
        summary = checkins.options_summary(me.language, window, reminder)
        await reply(update, t("options.current", me.language, summary=summary))
        return
    parsed = _parse_options(args, window, reminder)
    if parsed is None:
        await reply(update, t("options.invalid", me.language))
        return
    window, reminder = parsed
    outcome = await checkins.set_round_options(
        services.database, me.id, window_hours=window, reminder_hours=reminder, now=services.now()
    )
    if outcome is checkins.OptionsOutcome.SAVED:
        services.queued()
        summary = checkins.options_summary(me.language, window, reminder)
        await reply(update, t("options.saved", me.language, summary=summary))
    else:
        await reply(update, t("options.invalid", me.language))


def _parse_options(
    args: list[str], window: int, reminder: int | None
) -> tuple[int, int | None] | None:
    """Read `window N` / `reminder N|off` onto the current values; None when unreadable."""
    if len(args) != 2 or args[0] not in {"window", "reminder"}:
        return None
    value = args[1].removesuffix("h")
    if args[0] == "reminder" and value in {"off", "none", "no"}:
        return window, None
    if not value.isdigit():
        return None
    return (int(value), reminder) if args[0] == "window" else (window, int(value))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("checkin", checkin, filters=private))
    app.add_handler(CommandHandler("history", history, filters=private))
    app.add_handler(CommandHandler("options", options, filters=private))
    app.add_handler(CallbackQueryHandler(history_more, pattern=HISTORY_PATTERN))
    text = private & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.UpdateType.MESSAGES, answer))
    other = private & filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(other & ~filters.TEXT, media))
