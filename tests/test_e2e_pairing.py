"""End to end: the real application, over real HTTP, against the fake Bot API server."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from testing.clock import MovableClock
from testing.fake_telegram import FakeTelegram, FakeUser, SentMessage
from testing.journeys import FIRST_STEPS, PROMPT, decline_first_steps, pair
from testing.probes import outbox_statuses
from testing.runner import BotRunner


def invite_code(message: SentMessage) -> str:
    return message.plain.split("/join ")[1].split()[0]


def deep_link_payload(message: SentMessage, bot_username: str) -> str:
    prefix = f"https://t.me/{bot_username}?start="
    return message.plain.split(prefix)[1].split()[0]


async def test_start_greets_and_explains_privacy(bot: BotRunner, ana: FakeUser) -> None:
    await ana.send("/start")
    welcome = await ana.next_message()
    assert "Hi Ana" in welcome.plain
    assert "until both of you have replied" in welcome.plain
    assert "not a substitute for a couples therapist" in welcome.plain
    assert welcome.parse_mode == "HTML"


async def test_help_and_the_command_menu(fake: FakeTelegram, bot: BotRunner, ana: FakeUser) -> None:
    menu = [params for method, params in fake.calls if method == "setMyCommands"]
    assert menu and '"pair"' in str(menu[0]["commands"])
    # One menu per language: English for everyone (no language_code), and each other
    # language for the apps set to it.
    menus = {
        params.get("language_code"): {
            c["command"]: c["description"]
            for c in (
                json.loads(params["commands"])
                if isinstance(params["commands"], str)
                else params["commands"]
            )
        }
        for params in menu
    }
    assert set(menus) == {None, "ru", "es", "de"}
    assert menus[None]["pair"] == "Invite your partner"
    assert menus["ru"]["pair"] == "Пригласить партнёра"
    assert (
        menus["es"]["language"] == "Tu idioma"
        and menus["de"]["schedule"] == "Wann Check-ins kommen"
    )
    assert all(m.keys() == menus[None].keys() for m in menus.values())
    await ana.send("/help")
    text = (await ana.next_message()).plain
    for command in ("/pair", "/join", "/unpair", "/help"):
        assert command in text


async def test_pairing_with_a_typed_code(bot: BotRunner, ana: FakeUser, ben: FakeUser) -> None:
    await ana.send("/pair")
    invite = await ana.wait_for("forward this link")
    code = invite_code(invite)
    assert "48 hours" in invite.plain
    # Lower case and without the dash still works.
    await ben.send(f"/join {code.lower().replace('-', ' ')}")
    joined = await ben.wait_for("now paired with Ana")
    notice = await ana.wait_for("joined you")
    assert "Ben <3 joined you" in notice.plain
    assert "Ben &lt;3" in notice.text  # escaped in the HTML sent
    assert "Ana" in joined.plain


async def test_pairing_through_the_deep_link(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    payload = deep_link_payload(await ana.wait_for("forward this link"), fake.bot_username)
    await ben.send(f"/start {payload}")
    await ben.wait_for("now paired with Ana")
    await ana.wait_for("joined you")
    await ana.send("/start")
    assert "paired with Ben" in (await ana.wait_for("Hi Ana")).plain


async def test_refusals_change_nothing(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    cal = fake.user(3003, "Cal")
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))

    await ana.send(f"/join {code}")
    await ana.wait_for("your own invite")
    await ben.send("/join ZZZZZ-ZZZZZ")
    await ben.wait_for("couldn't find that code")
    await ben.send("/join")
    await ben.wait_for("send the code your partner gave you")

    await ben.send(f"/join {code}")
    await ben.wait_for("now paired")
    await ana.wait_for("joined you")
    await decline_first_steps(ana, ben)
    await cal.send(f"/join {code}")
    await cal.wait_for("can't be used any more")
    await ben.send("/pair")
    await ben.wait_for("already paired with Ana")
    await cal.send("/pair")
    cal_code = invite_code(await cal.wait_for("forward this link"))
    await ben.send(f"/join {cal_code}")
    await ben.wait_for("send /unpair first")
    await ana.expect_silence()


async def test_an_expired_code(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))
    clock.advance(timedelta(hours=48, minutes=1))
    await ben.send(f"/join {code}")
    await ben.wait_for("has expired")
    await ana.send("/pair")  # a fresh one works
    await ben.send(f"/join {invite_code(await ana.wait_for('forward this link'))}")
    await ben.wait_for("now paired")


async def test_a_new_pair_replaces_the_old_invite(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    old = invite_code(await ana.wait_for("forward this link"))
    await ana.send("/pair")
    await ana.wait_for("forward this link")
    await ben.send(f"/join {old}")
    await ben.wait_for("replaced by a newer one")


async def test_asking_for_many_invites_is_refused_kindly(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    codes = []
    for _ in range(5):
        await ana.send("/pair")
        codes.append(invite_code(await ana.wait_for("forward this link")))
    await ana.send("/pair")
    refused = await ana.wait_for("at most 5 an hour")
    assert "in 60 minutes" in refused.plain
    await ben.send(f"/join {codes[-1]}")  # the latest invite still works
    await ben.wait_for("now paired with Ana")


async def test_guessing_codes_brings_a_cool_off(
    bot: BotRunner, clock: MovableClock, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))
    for _ in range(5):
        await ben.send("/join AAAAA-AAAAA")
        await ben.wait_for("couldn't find that code")
    await ben.send(f"/join {code}")
    await ben.wait_for("pause for 15 minutes")
    clock.advance(timedelta(minutes=16))
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired")


async def test_a_start_payload_from_another_link_is_welcomed_not_counted(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))
    for _ in range(6):
        await ben.send("/start ref_campaign")
        welcome = await ben.wait_for("Hi Ben")
        assert "couldn't find" not in welcome.plain
    await ben.send("/join hello")
    await ben.wait_for("doesn't look like an invite code")
    await ben.send(f"/join {code}")  # no cool-off: none of that was a guess
    await ben.wait_for("now paired with Ana")


async def test_unpair_with_confirmation(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ben.send("/unpair")
    ask = await ben.wait_for("end your pairing with Ana")
    labels = dict(ask.buttons)
    no, yes = labels["Keep us paired"], labels["Yes, end it"]

    await ben.press(ask, no)
    await ben.wait_for("nothing changed")
    await ana.expect_silence()

    await ben.send("/unpair")
    ask = await ben.wait_for("end your pairing with Ana")
    # Someone outside the couple forging the same button data changes nothing.
    cal = fake.user(3003, "Cal")
    await cal.send("/help")
    await cal.press(await cal.next_message(), yes)
    await ana.expect_silence()
    assert any("no longer active" in (c.get("text") or "") for c in cal.answered_callbacks)
    await ben.press(ask, yes)
    done = await ben.wait_for("has ended")
    assert "Your pairing with Ana has ended" in done.plain  # his own words, not Ana's notice
    notice = await ana.wait_for("ended your pairing")
    assert "Ben <3" in notice.plain
    await ben.press(ask, yes)  # pressing again: stale, no second notice
    await ana.expect_silence()
    assert any("no longer active" in (c.get("text") or "") for c in ben.answered_callbacks)

    await ana.send("/pair")  # both can pair again
    await ana.wait_for("forward this link")


async def test_unknown_input_gets_a_hint(bot: BotRunner, ana: FakeUser) -> None:
    await ana.send("/dance")
    await ana.wait_for("don't know that command")
    await ana.send("hello there")
    await ana.wait_for("not expecting a message")
    await ana.send_photo()
    await ana.wait_for("only work with text")
    await ana.send_sticker()
    await ana.wait_for("only work with text")
    await ana.send_voice()
    await ana.wait_for("only work with text")


async def test_a_forged_button_is_refused(bot: BotRunner, ana: FakeUser, ben: FakeUser) -> None:
    await pair(ana, ben)
    await ben.send("/help")
    help_message = await ben.next_message()
    await ben.press(help_message, "v1:unpair:999:y")
    await ben.press(help_message, "garbage")
    await ben.send("/start")
    assert "paired with Ana" in (await ben.wait_for("Hi Ben")).plain
    assert len(ben.answered_callbacks) == 2


async def test_group_chats_point_to_a_private_chat(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser
) -> None:
    group = fake.group(-5005, "Friends")
    await ana.send("/pair", chat=group)
    await fake.wait_until(lambda: bool(fake.messages_to(group.chat_id)))
    [message] = fake.messages_to(group.chat_id)
    assert "private" in message.plain and fake.bot_username in message.plain
    await ana.send("just chatting", chat=group)
    await ana.expect_silence()
    assert len(fake.messages_to(group.chat_id)) == 1


async def test_a_restart_between_pair_and_join(
    bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))
    await bot.restart()
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired with Ana")
    await ana.wait_for("joined you")


async def test_the_partner_notice_survives_a_crash_before_delivery(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await ana.send("/pair")
    code = invite_code(await ana.wait_for("forward this link"))
    # Telegram is failing when Ben joins: the notice to Ana waits in the outbox.
    fake.fail_next("sendMessage", status=502, description="Bad Gateway", chat_id=ana.id, times=50)
    await ben.send(f"/join {code}")
    await ben.wait_for("now paired")
    await bot.stop()
    fake.clear_faults()
    await bot.start()
    bot.clock.advance(timedelta(minutes=10))  # past any backoff
    await ana.wait_for("joined you", timeout=10)
    await ana.wait_for(FIRST_STEPS, timeout=10)
    await ana.expect_silence()
    assert sum("joined you" in m.plain for m in ana.inbox) == 1


async def test_a_user_who_blocked_the_bot_gets_the_notice_when_back(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.block_bot()
    await ben.wait_for("can't reach Ana right now")  # told once, gently
    await ben.send("/checkin")  # more for Ana to miss: a prompt, then "Ben answered"
    await ben.wait_for(PROMPT)
    await ben.send("my answer")
    await ben.wait_for("stays private")
    await ben.send("/unpair")
    ask = await ben.wait_for("end your pairing")
    await ben.press(ask, dict(ask.buttons)["Yes, end it"])
    await ben.wait_for("has ended")
    await bot.settle(fake)  # the notice to Ana waits; anything sendable has been tried
    tried = [p for m, p in fake.calls if m == "sendMessage" and str(p.get("chat_id")) == "1001"]
    assert not any("ended your pairing" in str(p.get("text")) for p in tried)
    assert sum("can't reach" in m.plain for m in ben.inbox) == 1
    await ana.unblock_bot()
    await ana.wait_for("ended your pairing")


async def test_an_error_is_logged_without_contents_and_the_user_reassured(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    # Telegram refuses the reply to "/help". Sent at once, the handler fails and the error
    # handler takes over (pinned offline: tests/test_handlers_errors.py); queued (a new
    # sender's first moment on PostgreSQL), delivery sets it aside. Either way she is told.
    fake.fail_next("sendMessage", status=400, description="Bad Request: boom", chat_id=ana.id)
    await ana.send("/help with some private words")
    notice = await ana.wait_for("something went wrong")
    assert "Nothing you sent is lost" in notice.plain
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].name in ("handlers.errors", "scheduler.delivery")
    assert not any("private words" in r.getMessage() for r in caplog.records)
    await ana.send("/help")  # and the bot carries on
    await ana.wait_for("What Steady can do")


async def test_a_403_marks_someone_unreachable_until_they_start_again(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    fake.block(ana.id)  # blocked without Steady being told: the next send gets a 403
    await ben.send("/unpair")
    ask = await ben.wait_for("end your pairing")
    await ben.press(ask, dict(ask.buttons)["Yes, end it"])
    await ben.wait_for("has ended")
    await bot.settle(fake)  # the notice was tried (a 403) and now waits for Ana
    assert not any("ended your pairing" in m.plain for m in ana.inbox)
    async with bot.services.database.read() as uow:
        assert (await uow.users.get(ana.id)).reachable is False
    fake.unblock(ana.id)
    await ana.send("/start")  # back: reachable again, and what waited for her arrives
    await ana.wait_for("Hi Ana")
    await ana.wait_for("ended your pairing", timeout=10)


async def test_a_user_away_past_30_days_hears_once_that_messages_expired(
    fake: FakeTelegram, bot: BotRunner, ana: FakeUser, ben: FakeUser
) -> None:
    await pair(ana, ben)
    await ana.block_bot()
    await ben.wait_for("up to 30 days")  # the partner hears the bound
    await ben.send("/unpair")  # the notice to Ana waits for her
    ask = await ben.wait_for("end your pairing")
    await ben.press(ask, dict(ask.buttons)["Yes, end it"])
    await ben.wait_for("has ended")
    assert isinstance(bot.clock, MovableClock)
    bot.clock.advance(timedelta(days=31))

    async def expired() -> int:
        statuses = await outbox_statuses(bot.services.database)
        return sum(status == "expired" for status in statuses.values())

    await bot.settle(fake)  # a tick at the new time lets them go
    assert await expired()
    await ana.unblock_bot()
    notice = await ana.wait_for("were let go")
    assert "/history" in notice.plain
    bot.clock.advance(timedelta(minutes=5))
    await ana.expect_silence()  # more ticks: told once
    assert sum("were let go" in m.plain for m in ana.inbox) == 1
    assert not any("ended your pairing" in m.plain for m in ana.inbox)
