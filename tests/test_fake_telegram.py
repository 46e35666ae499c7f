"""The fake Bot API server against real python-telegram-bot clients, over real HTTP."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
)

from testing.fake_telegram import FakeTelegram, FakeUser

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Yes", callback_data="answer:yes")],
        [InlineKeyboardButton("No", callback_data="answer:no")],
    ]
)


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=f"{fake.base_url}/bot") as client:
        yield client


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"echo: {' '.join(context.args or [])}")

    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            "<b>Ready?</b>", parse_mode="HTML", reply_markup=KEYBOARD
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("noted")
        await query.edit_message_text(f"You said {query.data}")

    async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member is not None
        context.bot_data.setdefault("statuses", []).append(
            update.my_chat_member.new_chat_member.status
        )

    application = ApplicationBuilder().token(fake.token).base_url(f"{fake.base_url}/bot").build()
    application.add_handler(CommandHandler("echo", echo))
    application.add_handler(CommandHandler("ask", ask))
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
    )
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_get_me(bot: Bot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.id == fake.bot_id and me.username == "steady_test_bot" and me.first_name == "Steady"
    assert me.is_bot and me.can_join_groups


async def test_send_message_is_recorded_and_parsed(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    message = await bot.send_message(
        ana.chat_id, "<b>Hi</b> &amp; welcome", parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert message.from_user is not None and message.from_user.id == fake.bot_id
    assert message.chat.id == ana.chat_id and message.chat.type == "private"
    assert message.text == "Hi & welcome"
    assert message.reply_markup == KEYBOARD
    sent = await ana.next_message()
    assert sent.message_id == message.message_id and sent.parse_mode == "HTML"
    assert sent.text == "<b>Hi</b> &amp; welcome" and sent.plain == "Hi & welcome"
    assert sent.buttons == [("Yes", "answer:yes"), ("No", "answer:no")]
    assert fake.sent == [sent] and fake.messages_to(ana.chat_id) == [sent]
    method, params = fake.calls[-1]  # as PTB sent them: strings, JSON for structured values
    assert method == "sendMessage" and params["chat_id"] == "1001"
    assert json.loads(params["reply_markup"]) == KEYBOARD.to_dict()
    await ana.expect_silence(0.05)


async def test_telegram_errors(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(ana.chat_id, "x" * 4097)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(4242, "hello?")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("new", chat_id=ana.chat_id, message_id=999)
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    with pytest.raises(InvalidToken):  # initializing calls getMe; a failed start shuts it down
        async with Bot("987:not-the-token", base_url=f"{fake.base_url}/bot"):
            pass
    assert fake.sent == []
    assert [method for method, _ in fake.calls].count("sendMessage") == 2


async def test_edit_message_text_changes_the_recorded_message(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    message = await bot.send_message(ana.chat_id, "first", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "<i>second</i>", chat_id=ana.chat_id, message_id=message.message_id, parse_mode="HTML"
    )
    assert isinstance(edited, type(message)) and edited.text == "second" and edited.edit_date
    (sent,) = fake.sent
    assert sent.plain == "second" and sent.edits == ["first"]
    assert sent.reply_markup is None  # an edit without reply_markup drops the keyboard
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text(
            "<i>second</i>", chat_id=ana.chat_id, message_id=message.message_id, parse_mode="HTML"
        )
    await bot.edit_message_reply_markup(
        chat_id=ana.chat_id, message_id=message.message_id, reply_markup=KEYBOARD
    )
    assert sent.buttons[0] == ("Yes", "answer:yes") and len(ana.inbox) == 1


async def test_long_polling_offsets_and_media(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    assert await bot.get_updates(timeout=0) == ()
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    await ana.send(f"/start@{fake.bot_username} invite")
    (first,) = await asyncio.wait_for(waiting, 1)  # woken by the update, not by the timeout
    assert first.message is not None and first.message.text == "/start@steady_test_bot invite"
    (entity,) = first.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 22)
    await ana.send_photo(caption="us")
    await ana.send_sticker()
    await ana.send_voice()
    assert fake.updates_pending() == 4
    updates = await bot.get_updates(offset=first.update_id + 1, timeout=0)
    assert fake.updates_pending() == 3
    photo, sticker, voice = (update.message for update in updates)
    assert photo and photo.photo[-1].width == 800 and photo.caption == "us"
    assert sticker and sticker.sticker and sticker.sticker.type == "regular"
    assert voice and voice.voice and voice.voice.mime_type == "audio/ogg"
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert fake.updates_pending() == 0


async def test_command_reaches_handler_and_reply_lands_in_inbox(
    app: Application, ana: FakeUser, fake: FakeTelegram
) -> None:
    await ana.send("/echo hello there")
    reply = await ana.wait_for("ECHO: hello")
    assert reply.plain == "echo: hello there"
    await fake.wait_until(lambda: fake.updates_pending() == 0)


async def test_button_press_arrives_as_callback_query(app: Application, ana: FakeUser) -> None:
    await ana.send("/ask")
    question = await ana.next_message()
    assert question.plain == "Ready?" and question.buttons[1] == ("No", "answer:no")
    query_id = await ana.press(question, "answer:no")
    assert await ana.wait_for("you said") is question  # the answer is an edit of the question
    assert question.plain == "You said answer:no" and question.buttons == []
    assert question.edits == ["<b>Ready?</b>"]
    assert ana.answered_callbacks == [{"id": query_id, "text": "noted", "show_alert": False}]
    with pytest.raises(AssertionError, match="cannot press"):  # Ben can't see Ana's chat
        await ana.fake.user(2002, "Ben").press(question, "answer:yes")


async def test_block_gives_forbidden_and_my_chat_member(
    app: Application, bot: Bot, ana: FakeUser, fake: FakeTelegram
) -> None:
    await ana.block_bot()
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(ana.chat_id, "still there?")
    await ana.unblock_bot()
    await bot.send_message(ana.chat_id, "welcome back")
    await fake.wait_until(lambda: len(app.bot_data.get("statuses", [])) == 2)
    assert app.bot_data["statuses"] == ["kicked", "member"]
    assert [m.plain for m in ana.inbox] == ["welcome back"]


async def test_fail_next_429_gives_retry_after(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=3, chat_id=ana.chat_id)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ana.chat_id, "hello")
    assert "Retry in 3 seconds" in str(caught.value)  # .retry_after warns about its type
    fake.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(ana.chat_id, "hello")
    await bot.send_message(ana.chat_id, "hello")
    assert [m.plain for m in fake.sent] == ["hello"]
    assert [method for method, _ in fake.calls].count("sendMessage") == 3


async def test_delay_next_times_out_but_delivers(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    fake.delay_next("sendMessage", 0.4)
    with pytest.raises(TimedOut):
        await bot.send_message(ana.chat_id, "arrived anyway", read_timeout=0.1)
    assert [m.plain for m in ana.inbox] == ["arrived anyway"]  # accepted; only the answer was lost
    fake.delay_next("sendMessage", 0.3, deliver=False)
    with pytest.raises(TimedOut):
        await bot.send_message(ana.chat_id, "lost", read_timeout=0.1)
    await bot.send_message(ana.chat_id, "next")
    assert [m.plain for m in ana.inbox] == ["arrived anyway", "next"]


async def test_a_stop_releases_answers_waiting_out_their_round_trip(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    """A call took effect and its answer waits out the round trip: a stop sends it at once,
    so a test's teardown never waits for one."""
    fake.latency = 30.0
    sending = asyncio.create_task(bot.send_message(ana.chat_id, "hi", read_timeout=60))
    await fake.wait_until(lambda: len(fake.sent) == 1)
    assert not sending.done()
    await fake.stop()
    assert (await asyncio.wait_for(sending, 5)).text == "hi"


async def test_drop_next_gives_network_error(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    fake.drop_next("sendMessage", chat_id=ana.chat_id)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(ana.chat_id, "into the void")
    assert not isinstance(caught.value, TimedOut)
    assert fake.sent == [] and fake.calls[-1][0] == "sendMessage"


async def test_enforce_limits_per_chat(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    fake.enforce_limits = True
    ben = fake.user(2002, "Ben")
    await bot.send_message(ana.chat_id, "one")
    with pytest.raises(RetryAfter):
        await bot.send_message(ana.chat_id, "two, too soon")
    await bot.send_message(ben.chat_id, "another chat is fine")
    assert fake.rate_limited == 1
    assert [m.plain for m in fake.sent] == ["one", "another chat is fine"]


async def test_user_waits_report_what_they_saw(bot: Bot, ana: FakeUser) -> None:
    await bot.send_message(ana.chat_id, "something else")
    with pytest.raises(AssertionError, match="something else"):
        await ana.wait_for("never sent", timeout=0.05)
    with pytest.raises(AssertionError, match="something else"):
        await ana.expect_silence(0.01)
    assert (await ana.wait_for(lambda m: m.plain.endswith("else"))).plain == "something else"
    with pytest.raises(AssertionError, match="no new message"):
        await ana.next_message(timeout=0.05)


async def test_commands_and_group_messages(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    assert await bot.set_my_commands([("pair", "Pair with your partner")], language_code="en")
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Pair!", "Pair with your partner")])
    # A method Steady never calls is a 404 (which PTB reads as a bad token).
    with pytest.raises(InvalidToken, match="Not Found"):
        await bot.get_my_commands()
    group = fake.group(-100, "Us")
    await ana.send("/help", chat=group)
    (update,) = await bot.get_updates(timeout=0)
    assert update.message and update.message.chat.title == "Us" and update.message.from_user
    assert update.message.from_user.first_name == "Ana"
    reply = await bot.send_message(group.chat_id, "hi all", reply_to_message_id=update.message.id)
    assert reply.reply_to_message and reply.reply_to_message.text == "/help"
    assert [m.reply_to_message_id for m in group.messages] == [update.message.id]


async def test_forwarded_messages_carry_their_origin(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    ben = fake.user(2002, "Ben")
    await ana.forward("his words", from_user=ben)
    await ana.forward("a stranger's words", from_name="Cleo")  # hides their account
    first, second = (update.message for update in await bot.get_updates(timeout=0))
    assert first and first.text == "his words" and first.chat.id == ana.chat_id
    assert isinstance(first.forward_origin, MessageOriginUser)
    assert first.forward_origin.sender_user.id == ben.id
    assert second and isinstance(second.forward_origin, MessageOriginHiddenUser)
    assert second.forward_origin.sender_user_name == "Cleo"


async def test_a_document_arrives_with_its_name(bot: Bot, ana: FakeUser) -> None:
    await ana.send_document(file_name="us.pdf", caption="read this")
    (update,) = await bot.get_updates(timeout=0)
    assert update.message and update.message.document and update.message.caption == "read this"
    assert update.message.document.file_name == "us.pdf" and update.message.text is None


async def test_a_button_press_without_data(bot: Bot, fake: FakeTelegram, ana: FakeUser) -> None:
    message = await bot.send_message(ana.chat_id, "Ready?", reply_markup=KEYBOARD)
    [sent] = fake.sent
    missing = await ana.press(sent, None)  # the Bot API makes `data` optional
    await ana.press(sent, "")
    first, second = (update.callback_query for update in await bot.get_updates(timeout=0))
    assert first and first.id == missing and first.data is None
    assert "data" not in fake._updates[0]["callback_query"]
    assert second and second.data == ""
    assert first.message and first.message.message_id == message.message_id
    assert await first.answer("no longer active")
    assert ana.answered_callbacks[0]["text"] == "no longer active"


async def test_users_talk_and_press_buttons_in_a_group(
    bot: Bot, fake: FakeTelegram, ana: FakeUser
) -> None:
    ben = fake.user(2002, "Ben")
    group = fake.group(-100_200, "Us", kind="supergroup")
    said = await ana.send("hello both", chat=group)
    await ben.send("/history", chat=group)
    await ana.edit(said, "hello you two", chat=group)
    await ben.forward("quote", from_name="Cleo", chat=group)
    text, command, edit, forward = await bot.get_updates(timeout=0)
    assert (
        text.message and text.message.chat.type == "supergroup" and text.message.chat.title == "Us"
    )
    assert command.message and command.message.from_user and command.message.from_user.id == ben.id
    assert command.message.entities[0].type == "bot_command"
    assert edit.edited_message and edit.edited_message.chat.id == group.chat_id
    assert edit.edited_message.message_id == said and edit.edited_message.text == "hello you two"
    assert forward.message and forward.message.forward_origin and forward.message.chat.id < 0
    await bot.send_message(group.chat_id, "Ready?", reply_markup=KEYBOARD)
    posted = await group.next_message()  # a group reads what it was sent, like a user
    assert posted.plain == "Ready?" and group.messages == [posted]
    await group.expect_silence(0.05)
    await ben.press(posted, "v1:hist:1")  # anyone in the group can press
    (query,) = await bot.get_updates(offset=forward.update_id + 1, timeout=0)
    assert query.callback_query and query.callback_query.from_user.id == ben.id
    assert query.callback_query.message and query.callback_query.message.chat.id == group.chat_id


async def test_a_fake_that_counts_sends_against_the_limits_holds_the_collector_off() -> None:
    """A collection's pause would bunch the requests that arrived meanwhile into one count:
    429s of the fake's own. Off while any such fake runs, back on once the last one stops."""
    assert gc.isenabled()
    plain = FakeTelegram()
    await plain.start()
    assert gc.isenabled()  # it counts nothing
    first, second = FakeTelegram(enforce_limits=True), FakeTelegram(enforce_limits=True)
    await first.start()
    await second.start()
    assert not gc.isenabled()
    await first.stop()
    assert not gc.isenabled()  # the second still counts
    await second.stop()
    await second.stop()  # twice: nothing more
    assert gc.isenabled()
    await plain.stop()
