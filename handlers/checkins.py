"""/checkin, answers (text, edits, media), and /history with its "show older" button."""

from __future__ import annotations

import html
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot import callbacks, checkins
from bot.checkins import AnswerOutcome, StartOutcome
from bot.context import SteadyContext
from bot.models import Button
from bot.texts import t
from handlers.common import (
    ButtonHandler,
    after_delivery,
    keyboard,
    person,
    reply,
    reveal_due,
    settle,
)

R = TypeVar("R")

MOVE_LABEL = 40  # characters of the question shown on a "file it under" button

_ANSWER_REPLIES = {
    AnswerOutcome.SAVED: "checkin.saved",
    AnswerOutcome.REPLACED: "checkin.replaced",
    AnswerOutcome.JOINED: "checkin.joined",
    AnswerOutcome.EMPTY: "checkin.empty",
    AnswerOutcome.CLOSED: "checkin.closed_reply",
    AnswerOutcome.NO_ROUND: "checkin.no_round",
    AnswerOutcome.NOT_PAIRED: "fallback.unexpected_text",
}


async def checkin(update: Update, context: SteadyContext) -> None:
    """Start a round now, or point to the open one."""
    me = person(update.effective_user)
    services = context.services
    result = await after_delivery(
        services,
        lambda _last: checkins.start_round(services.database, me.id, services.now()),
        lambda r: r.outcome is StartOutcome.ON_ITS_WAY,
        me.id,
    )
    if result.outcome is StartOutcome.STARTED:
        return  # the prompt goes to both through the outbox
    if result.outcome is StartOutcome.NOT_PAIRED:
        await reply(update, t("checkin.not_paired", me.language))
    elif result.outcome is StartOutcome.ON_ITS_WAY:
        await reply(update, t("checkin.on_its_way", me.language))
    elif result.answered:
        await reply(update, t("checkin.already_answered", me.language, partner=result.partner))
    else:
        # It quotes the question: a reply to it answers this round.
        text = t("checkin.already_open", me.language, prompt=result.prompt)
        sent = await reply(update, text, quotes=result.round_id)
        if sent is not None and result.round_id is not None:
            await checkins.record_quote(
                services.database, me.id, result.round_id, sent, services.now()
            )


async def answer(update: Update, context: SteadyContext) -> None:
    """A text message (or an edit of one): an answer to the open round, if there is one."""
    message = update.effective_message
    me = person(update.effective_user)
    services = context.services
    edited = update.edited_message is not None
    written = message.edit_date or message.date  # an edit counts from when it was made
    written_at = int(written.timestamp()) if written else None

    async def attempt(last: bool) -> checkins.AnswerResult:
        return await checkins.answer(
            services.database,
            me,
            message.text or "",
            message.message_id,
            services.now(),
            reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
            edited=edited,
            written_at=written_at,
            in_flight_waits=not last,
        )

    unsure = {AnswerOutcome.NO_ROUND, AnswerOutcome.IN_FLIGHT}
    result = await after_delivery(services, attempt, lambda r: r.outcome in unsure, me.id)
    if result.reveal_at is not None and context.job_queue is not None:
        # A long answer may have a next part on its way: the reveal waits a few seconds. The
        # round's reveal_at is the record (the tick finds it after a restart); this is sooner.
        delay = max(0, result.reveal_at - services.now()) + 0.1
        context.job_queue.run_once(reveal_due, delay, name="steady-reveal")
    key = _ANSWER_REPLIES.get(result.outcome)
    if key is None or (edited and result.outcome is not AnswerOutcome.REPLACED):
        return  # a reveal speaks for itself; an edit of an old message needs no reply
    text, markup = _acknowledgement(key, result, me.language)
    await reply(update, text, markup)


def _acknowledgement(
    key: str, result: checkins.AnswerResult, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The reply to an answer: it names the question it was filed under, with a button for
    each other open question it could be meant for."""
    if result.choose_too:
        key = "asks.word_kept"  # not answered yet: an ask's option answers it
    elif result.of_ask:
        key = "asks.closed_reply"  # a question, not a check-in ("there will be another")
    partner = result.partner.first_name if result.partner else ""
    text = t(key, language, partner=partner, question=result.question)
    if not result.others or result.round_id is None:
        return text, None
    buttons = tuple(
        (
            Button(
                _move_label(question, language),
                callbacks.MoveAnswer(result.round_id, other).encode(),
            ),
        )
        for other, question in result.others
    )
    return text, keyboard(buttons)


def _move_label(question: str, language: str) -> str:
    short = question if len(question) <= MOVE_LABEL else question[: MOVE_LABEL - 1] + "…"
    return html.unescape(t("checkin.move_button", language, question=short))  # not HTML


async def move(update: Update, context: SteadyContext, button: callbacks.MoveAnswer) -> None:
    """ "It's for: …": file the answer under the other open question; private chat only."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    result = await checkins.move_answer(
        services.database, me, button.from_round, button.to_round, services.now()
    )
    if not await settle(query, result.outcome is AnswerOutcome.STALE, me.language):
        return
    if isinstance(query.message, Message) and query.message.reply_markup:
        await query.edit_message_reply_markup(None)  # the choice is made
    key = _ANSWER_REPLIES.get(result.outcome)
    if key is not None:
        text, markup = _acknowledgement(key, result, me.language)
        await reply(update, text, markup)


async def media(update: Update, context: SteadyContext) -> None:
    """A photo, voice note, sticker or file: only text answers for now."""
    me = person(update.effective_user)
    services = context.services

    async def attempt(_last: bool) -> bool:
        return await checkins.has_open_round(services.database, me.id, services.now())

    # As for a text: the question may have reached them a moment before it was on record.
    open_round = await after_delivery(services, attempt, lambda found: not found, me.id)
    await reply(
        update, t("checkin.media" if open_round else "fallback.unexpected_media", me.language)
    )


async def history(update: Update, context: SteadyContext) -> None:
    """Show the newest revealed rounds."""
    await _show_history(update, context, None)


async def history_more(
    update: Update, context: SteadyContext, button: callbacks.HistoryOlder
) -> None:
    """The "show older" button; it can only ever show the presser's own couple."""
    query = update.callback_query
    await query.answer()
    if isinstance(query.message, Message) and query.message.reply_markup:
        await query.edit_message_reply_markup(None)  # the button has done its job
    await _show_history(update, context, button.before)


async def _show_history(update: Update, context: SteadyContext, older_than: int | None) -> None:
    me = person(update.effective_user)
    page = await checkins.history(context.services.database, me.id, older_than)
    if page is None:
        await reply(update, t("checkin.not_paired", me.language))
        return
    if page.stale:
        await reply(update, t("fallback.stale_button", me.language))
        return
    if not page.pages:
        await reply(update, t("history.empty", me.language))
        return
    for number, text in enumerate(page.pages, start=1):
        markup = None
        if number == len(page.pages) and page.older_than is not None:
            older = callbacks.HistoryOlder(page.older_than).encode()
            more = Button(t("history.more", me.language), older)
            markup = keyboard(((more,),))
        await reply(update, text, markup)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("checkin", checkin, filters=private))
    app.add_handler(CommandHandler("history", history, filters=private))
    app.add_handler(ButtonHandler(callbacks.HistoryOlder, history_more))
    app.add_handler(ButtonHandler(callbacks.MoveAnswer, move))
    text = private & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(text & filters.UpdateType.MESSAGES, answer))
    other = private & filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(other & ~filters.TEXT, media))
