"""/pair, /join, /unpair and the unpair confirmation buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import callbacks, invite_codes, pairing
from bot.context import SteadyContext
from bot.models import Button
from bot.pairing import JoinOutcome
from bot.texts import amount, t
from handlers.common import ButtonHandler, keyboard, person, reply, settle

_REFUSALS = {
    JoinOutcome.WRONG: "pairing.wrong",
    JoinOutcome.EXPIRED: "pairing.expired",
    JoinOutcome.USED: "pairing.used",
    JoinOutcome.REPLACED: "pairing.replaced",
    JoinOutcome.OWN_INVITE: "pairing.own_invite",
    JoinOutcome.COOL_OFF: "pairing.cool_off",
}


async def pair(update: Update, context: SteadyContext) -> None:
    """Create a one-time invite (code and deep link) for the partner."""
    me = person(update.effective_user)
    services = context.services
    result = await pairing.create_invite(services.database, me, services.now(), services.invite_key)
    if result.code is None and result.retry_after:
        wait = amount("minutes", -(-result.retry_after // 60), me.language)  # rounded up
        await reply(
            update, t("pairing.too_many", me.language, limit=pairing.INVITE_LIMIT, wait=wait)
        )
        return
    if result.code is None:
        assert result.couple is not None
        partner = result.couple.partner_of(me.id).first_name
        await reply(update, t("pairing.already_paired_pair", me.language, partner=partner))
        return
    link = f"https://t.me/{context.bot.username}?start={result.code}"
    code = invite_codes.display(result.code)
    await reply(update, t("pairing.invite", me.language, link=link, code=code))


async def join(update: Update, context: SteadyContext) -> None:
    """Join a partner with `/join CODE`."""
    typed = " ".join(context.args or [])
    if not typed.strip():
        await reply(update, t("pairing.join_usage", person(update.effective_user).language))
        return
    if await join_with_code(update, context, typed) is JoinOutcome.NOT_A_CODE:
        await reply(update, t("pairing.not_a_code", person(update.effective_user).language))


async def join_with_code(update: Update, context: SteadyContext, typed: str) -> JoinOutcome:
    """Shared by /join and a /start deep link; text that is no code gets no reply here."""
    me = person(update.effective_user)
    services = context.services
    result = await pairing.join(
        services.database,
        me,
        typed,
        services.now(),
        services.invite_key,
        services.settings.default_timezone,
    )
    if result.outcome is JoinOutcome.NOT_A_CODE:
        return result.outcome
    if result.outcome is JoinOutcome.PAIRED:
        assert result.couple is not None
        partner = result.couple.partner_of(me.id).first_name
        await reply(update, t("pairing.paired_joiner", me.language, partner=partner))
    elif result.outcome is JoinOutcome.ALREADY_PAIRED:
        assert result.couple is not None
        partner = result.couple.partner_of(me.id).first_name
        await reply(update, t("pairing.already_paired_join", me.language, partner=partner))
    else:
        await reply(update, t(_REFUSALS[result.outcome], me.language))
    return result.outcome


async def unpair(update: Update, context: SteadyContext) -> None:
    """Ask for confirmation before ending the pairing."""
    me = person(update.effective_user)
    couple = await pairing.current_couple(context.services.database, me.id)
    if couple is None:
        await reply(update, t("unpair.not_paired", me.language))
        return
    buttons = (
        (
            Button(t("unpair.yes", me.language), callbacks.Unpair(couple.id, True).encode()),
            Button(t("unpair.no", me.language), callbacks.Unpair(couple.id, False).encode()),
        ),
    )
    partner = couple.partner_of(me.id).first_name
    await reply(update, t("unpair.confirm", me.language, partner=partner), keyboard(buttons))


async def unpair_button(update: Update, context: SteadyContext, button: callbacks.Unpair) -> None:
    """Confirm or cancel; a button from an old or foreign couple changes nothing."""
    query = update.callback_query
    me = person(query.from_user)
    services = context.services
    if not button.confirm:
        couple = await pairing.current_couple(services.database, me.id)
        if not await settle(query, couple is None or couple.id != button.couple_id, me.language):
            return
        partner = couple.partner_of(me.id).first_name
        await query.edit_message_text(t("unpair.kept", me.language, partner=partner))
        return
    ended = await pairing.unpair(services.database, me.id, button.couple_id, services.now())
    if not await settle(query, ended is None, me.language):
        return
    partner = ended.partner_of(me.id).first_name
    await query.edit_message_text(t("unpair.done", me.language, partner=partner))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("pair", pair, filters=private))
    app.add_handler(CommandHandler("join", join, filters=private))
    app.add_handler(CommandHandler("unpair", unpair, filters=private))
    app.add_handler(ButtonHandler(callbacks.Unpair, unpair_button))
