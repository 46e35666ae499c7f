"""An in-process fake of the Telegram Bot API, for end-to-end tests of the real bot over HTTP.

The bot's python-telegram-bot `Application` reaches it with `base_url=f"{fake.base_url}/bot"`.
The fake answers the methods Steady uses the way Telegram does (same JSON shapes, status codes and
descriptions), records every request and every message the bot sent, and injects the faults the
design must survive (DESIGN.md §2): 429 with retry_after, 403 for a blocked user, 5xx, answers that
come too late although the message was delivered, and connections closed without an answer.
"""

from __future__ import annotations

import asyncio
import copy
import html
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

Params = dict[str, Any]

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64  # bytes
GLOBAL_PER_SECOND = 30
PAID_PER_SECOND = 1000
# Seconds between two messages to one chat: Telegram's "about 1/s", a little lenient.
CHAT_SPACING = 0.9
GROUP_PER_MINUTE = 20

# PTB sends these as JSON-encoded strings inside the form body; the methods decode them.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "reply_parameters",
        "link_preview_options",
    }
)
# Update types getUpdates leaves out unless asked for them by name (Telegram's documented default).
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_TOKEN_SHAPE = re.compile(r"\d+:[\w-]+")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@\w+)?")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_TAG = re.compile(r"<[^>]*>")
_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def plain_text(text: str, parse_mode: str | None) -> str:
    """What the recipient reads: HTML tags stripped and entities unescaped (parse_mode=HTML)."""
    if (parse_mode or "").upper() != "HTML":
        return text
    return html.unescape(_TAG.sub("", text))


@dataclass
class SentMessage:
    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    sent_at: float  # time.monotonic()
    edits: list[str] = field(default_factory=list)  # earlier texts, oldest first
    reply_to_message_id: int | None = None

    @property
    def plain(self) -> str:
        return plain_text(self.text, self.parse_mode)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data or url) of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            (button["text"], button.get("callback_data") or button.get("url") or "")
            for row in rows
            for button in row
        ]


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class _Fault:
    method: str  # lower case: Telegram method names are case-insensitive
    kind: Literal["fail", "delay", "drop"]
    times: int
    chat_id: int | None
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    seconds: float = 0.0
    deliver: bool = True
    containing: str | None = None  # only messages whose text contains this

    def matches(self, method: str, params: Params) -> bool:
        if self.method != method.lower():
            return False
        if self.containing is not None and self.containing not in str(params.get("text", "")):
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class _Changes:
    """Wakes every waiter on each change. Firing is synchronous, so plain methods can fire too."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """True as soon as predicate() holds; False if it still doesn't after `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


class Hold:
    """A chat whose sendMessage requests hang until the test releases them (see FakeTelegram.hold).

    On release every waiting request goes through as usual: the messages are then accepted.
    """

    def __init__(self, changes: _Changes) -> None:
        self._changes = changes
        self.waiting = 0  # requests hanging now
        self.released = False

    def release(self) -> None:
        self.released = True
        self._changes.fire()

    async def wait_for_request(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until a request to the held chat is hanging; AssertionError if none comes."""
        if not await self._changes.wait_until(lambda: self.waiting > 0, timeout):
            raise AssertionError(f"no request to the held chat within {timeout}s")


@dataclass(frozen=True)
class _Shown:
    """One entry of a chat's history: a new message or an edit, with the text it showed then."""

    index: int  # position in the chat's history
    message: SentMessage
    plain: str
    edit: bool


@dataclass
class FakeGroup:
    fake: FakeTelegram = field(repr=False)
    chat_id: int
    title: str

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": "group", "title": self.title}

    @property
    def messages(self) -> list[SentMessage]:
        return self.fake.messages_to(self.chat_id)


class FakeUser:
    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        *,
        language_code: str = "en",
        username: str | None = None,
    ) -> None:
        self.fake = fake
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.chat_id = user_id  # a private chat's id is the user's id
        self.answered_callbacks: list[dict[str, Any]] = []
        self._cursor = 0  # how much of this chat's history next_message / wait_for consumed

    def __repr__(self) -> str:
        return f"FakeUser({self.id}, {self.first_name!r})"

    @property
    def payload(self) -> dict[str, Any]:
        user = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        return user | ({"username": self.username} if self.username else {})

    @property
    def chat(self) -> dict[str, Any]:
        chat = {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        return chat | ({"username": self.username} if self.username else {})

    @property
    def inbox(self) -> list[SentMessage]:
        return self.fake.messages_to(self.chat_id)

    # -- what the user does --------------------------------------------------------------------

    async def send(
        self, text: str, *, chat: FakeGroup | None = None, reply_to: SentMessage | None = None
    ) -> int:
        content: dict[str, Any] = {"text": text}
        if command := _COMMAND.match(text):
            length = len(command.group().encode("utf-16-le")) // 2  # offsets count UTF-16 units
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.fake._push_message(self, chat, content, reply_to)

    async def edit(self, message_id: int, text: str) -> None:
        """Edit a message this user sent earlier (an `edited_message` update)."""
        self.fake._push_edit(self, message_id, text)

    async def send_photo(self, *, caption: str | None = None, chat: FakeGroup | None = None) -> int:
        file_key = self.fake._next_file_key()
        sizes = [(90, 67, 1_200), (320, 240, 15_000), (800, 600, 60_000)]
        photo = [
            {
                "file_id": f"AgACAgIAAxkBAAI{file_key}{i}",
                "file_unique_id": f"AQADp{file_key}{i}",
                "width": width,
                "height": height,
                "file_size": size,
            }
            for i, (width, height, size) in enumerate(sizes)
        ]
        content: dict[str, Any] = {"photo": photo}
        if caption:
            content["caption"] = caption
        return self.fake._push_message(self, chat, content, None)

    async def send_sticker(self, *, chat: FakeGroup | None = None) -> int:
        file_key = self.fake._next_file_key()
        sticker = {
            "file_id": f"CAACAgIAAxkBAAI{file_key}",
            "file_unique_id": f"AgADs{file_key}",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "👍",
            "set_name": "SteadyTestPack",
            "file_size": 20_000,
        }
        return self.fake._push_message(self, chat, {"sticker": sticker}, None)

    async def send_voice(self, *, chat: FakeGroup | None = None) -> int:
        file_key = self.fake._next_file_key()
        voice = {
            "file_id": f"AwACAgIAAxkBAAI{file_key}",
            "file_unique_id": f"AgADv{file_key}",
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_size": 9_000,
        }
        return self.fake._push_message(self, chat, {"voice": voice}, None)

    async def press(self, message: SentMessage, callback_data: str) -> str:
        """Press an inline button; the update carries the message as it is now. Returns the id.

        Any callback_data goes (a modified client can forge it), but only on a message in a chat
        the user is in: Telegram never shows anyone another person's private chat.
        """
        if message.chat_id != self.chat_id and message.chat_id > 0:
            raise AssertionError(f"{self} cannot press a button in private chat {message.chat_id}")
        return self.fake._push_callback(self, message, callback_data)

    async def block_bot(self) -> None:
        self.fake.block(self.id)
        self.fake._push_member_change(self, "member", "kicked")

    async def unblock_bot(self) -> None:
        self.fake.unblock(self.id)
        self.fake._push_member_change(self, "kicked", "member")

    # -- what the user sees --------------------------------------------------------------------

    async def next_message(self, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next new message to this chat (edits in between are passed over)."""
        return await self._take(lambda shown: not shown.edit, timeout, "no new message")

    async def wait_for(
        self,
        needle: str | Callable[[SentMessage], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 (a deadline for the wait, not for I/O)
    ) -> SentMessage:
        """The first new message or text edit whose plain text contains `needle` (any case), or
        whose message matches the predicate. Edits count because the bot often answers a button
        press by editing the message the button was on."""
        if isinstance(needle, str):
            wanted = needle.lower()
            return await self._take(
                lambda shown: wanted in shown.plain.lower(), timeout, f"nothing with {needle!r}"
            )
        return await self._take(
            lambda shown: needle(shown.message), timeout, f"nothing matching {needle!r}"
        )

    async def expect_silence(self, seconds: float = 0.3) -> None:
        """No new message after the cursor. With a bot in this process (`fake.settle` set by
        the runner), first wait until it has handled every update, done what is due and has
        nothing left to send now: a wrong message would then already be here. For a bot in
        another process, there is no such barrier: wait `seconds` for one to arrive."""
        if self.fake.settle is not None:
            await self.fake.settle()
            arrived = any(not shown.edit for shown in self._unread())
        else:
            arrived = await self.fake._changes.wait_until(
                lambda: any(not shown.edit for shown in self._unread()), seconds
            )
        if arrived:
            raise AssertionError(f"{self}: expected silence; {self._seen()}")

    async def _take(
        self,
        accept: Callable[[_Shown], bool],
        timeout: float,  # noqa: ASYNC109
        failure: str,
    ) -> SentMessage:
        found: list[_Shown] = []

        def scan() -> bool:
            found[:] = [shown for shown in self._unread() if accept(shown)][:1]
            return bool(found)

        if not await self.fake._changes.wait_until(scan, timeout):
            raise AssertionError(f"{self}: {failure} within {timeout}s; {self._seen()}")
        self._cursor = found[0].index + 1
        return found[0].message

    def _unread(self) -> list[_Shown]:
        return self.fake._shown.get(self.chat_id, [])[self._cursor :]

    def _seen(self) -> str:
        unread = [f"(edit) {s.plain}" if s.edit else s.plain for s in self._unread()]
        return f"{self._cursor} event(s) consumed before; unread since: {unread!r}"


class FakeTelegram:
    def __init__(
        self,
        *,
        token: str = "123456789:TEST-token-for-steady-fake-bot-api",
        bot_username: str = "steady_test_bot",
        enforce_limits: bool = False,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.enforce_limits = enforce_limits
        self.base_url = ""  # set by start()
        # The in-process bot's barrier (testing.runner.BotRunner.settle), if there is one.
        self.settle: Callable[[], Awaitable[None]] | None = None
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, Params]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (scope, language)
        self.rate_limited = 0
        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeGroup] = {}
        self._blocked: set[int] = set()
        self._faults: list[_Fault] = []
        self._holds: dict[int, Hold] = {}
        self._updates: list[dict[str, Any]] = []  # queued, not yet confirmed by an offset
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        # Every message as Telegram holds it, by (chat_id, message_id): for replies and presses.
        self._payloads: dict[tuple[int, int], dict[str, Any]] = {}
        self._by_key: dict[tuple[int, int], SentMessage] = {}
        self._shown: dict[int, list[_Shown]] = {}  # per chat: what its members saw, in order
        self._open_queries: dict[str, FakeUser] = {}  # callback queries not answered yet
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = {}
        self._next_update_id = 500_000_000
        self._next_message_id = 0
        self._next_query_id = 4_321_000_000_000_000_000
        self._file_counter = 0
        self._poll_generation = 0
        self._stopping = False
        self._changes = _Changes()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getme": self._get_me,
            "deletewebhook": self._delete_webhook,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendchataction": self._send_chat_action,
            "close": self._true,
            "logout": self._true,
        }

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1, on `port` or (0) on any free one."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        # A short shutdown timeout: a test's stop must not wait on a client that went away.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._stopping = False

    async def stop(self) -> None:
        self._stopping = True
        self._changes.fire()  # releases long polls and delayed answers at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- the world: users, groups, updates ---------------------------------------------------------

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Steady",
            "username": self.bot_username,
        }

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str = "en",
        username: str | None = None,
    ) -> FakeUser:
        if user_id not in self._users:
            self._users[user_id] = FakeUser(
                self, user_id, first_name, language_code=language_code, username=username
            )
        return self._users[user_id]

    def group(self, chat_id: int, title: str = "Group") -> FakeGroup:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        return self._groups.setdefault(chat_id, FakeGroup(self, chat_id, title))

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (e.g. {"message": {...}}); assigns and returns its update_id."""
        self._next_update_id += 1
        update = {**update, "update_id": self._next_update_id}
        if message := update.get("message"):
            self._payloads[(message["chat"]["id"], message["message_id"])] = message
        kind = next(key for key in update if key != "update_id")
        allowed = self._allowed_updates
        # Like Telegram, updates of a type the bot did not ask for are never stored.
        if (kind in allowed) if allowed is not None else (kind not in _OPT_IN_UPDATES):
            self._updates.append(update)
            self._changes.fire()
        return self._next_update_id

    def updates_pending(self) -> int:
        return len(self._updates)

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [message for message in self.sent if message.chat_id == chat_id]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until predicate() holds after some send, edit or update; AssertionError if not."""
        if not await self._changes.wait_until(predicate, timeout):
            raise AssertionError(f"condition still false after {timeout}s")

    def _push_message(
        self,
        user: FakeUser,
        chat: FakeGroup | None,
        content: dict[str, Any],
        reply_to: SentMessage | None,
    ) -> int:
        self._next_message_id += 1
        message: dict[str, Any] = {
            "message_id": self._next_message_id,
            "from": user.payload,
            "chat": chat.chat if chat else user.chat,
            "date": int(time.time()),
            **content,
        }
        if reply_to is not None:
            replied = self._payloads[(reply_to.chat_id, reply_to.message_id)]
            message["reply_to_message"] = copy.deepcopy(replied)
        self.push_update({"message": message})
        return self._next_message_id

    def _push_edit(self, user: FakeUser, message_id: int, text: str) -> None:
        message = {
            "message_id": message_id,
            "from": user.payload,
            "chat": user.chat,
            "date": int(time.time()) - 1,
            "edit_date": int(time.time()),
            "text": text,
        }
        self.push_update({"edited_message": message})

    def _push_callback(self, user: FakeUser, message: SentMessage, data: str) -> str:
        self._next_query_id += 1
        query_id = str(self._next_query_id)
        self._open_queries[query_id] = user
        query = {
            "id": query_id,
            "from": user.payload,
            "chat_instance": str(-7_000_000_000 - message.chat_id),  # stable per chat
            # A snapshot: later edits must not change an update that is already queued.
            "message": copy.deepcopy(self._payloads[(message.chat_id, message.message_id)]),
            "data": data,
        }
        self.push_update({"callback_query": query})
        return query_id

    def _push_member_change(self, user: FakeUser, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user, **extra}

        change = {
            "chat": user.chat,
            "from": user.payload,
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self.push_update({"my_chat_member": change})

    def _next_file_key(self) -> str:
        self._file_counter += 1
        return f"{self._file_counter:06d}"

    # -- faults --------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        containing: str | None = None,
    ) -> None:
        """The next `times` matching calls answer this error; nothing is recorded as sent."""
        if status == 429:
            retry_after = retry_after or 1  # Telegram always says how long to wait
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or _DESCRIPTIONS.get(status, "Error")
        self._faults.append(
            _Fault(
                method.lower(),
                "fail",
                times,
                chat_id,
                status,
                description,
                retry_after,
                containing=containing,
            )
        )

    def delay_next(
        self,
        method: str,
        seconds: float,
        *,
        deliver: bool = True,
        times: int = 1,
        chat_id: int | None = None,
        containing: str | None = None,
    ) -> None:
        """Answer only after `seconds` (the client's read timeout may fire first).

        deliver=True: Telegram accepted the call (the message counts as sent), the answer was late.
        deliver=False: the request never got through; the connection closes after the delay.
        """
        self._faults.append(
            _Fault(
                method.lower(),
                "delay",
                times,
                chat_id,
                seconds=seconds,
                deliver=deliver,
                containing=containing,
            )
        )

    def drop_next(self, method: str, *, times: int = 1, chat_id: int | None = None) -> None:
        """Close the connection without an answer; nothing is recorded as sent."""
        self._faults.append(_Fault(method.lower(), "drop", times, chat_id))

    def hold(self, chat_id: int) -> Hold:
        """Make sendMessage to this chat hang (no answer, no timeout of its own) until the
        returned hold is released; then the held requests are answered as usual."""
        held = self._holds[chat_id] = Hold(self._changes)
        return held

    def clear_faults(self) -> None:
        """Forget every fault not yet used up (blocks and limits stay)."""
        self._faults.clear()

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def _take_fault(self, method: str, params: Params) -> _Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # -- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        raw = await _read_params(request)
        self.calls.append((method, raw))  # as received: form values stay (JSON-)strings
        params = {key: _decode(key, value) for key, value in raw.items()}
        token = request.match_info["token"]
        if token != self.token:
            # Telegram: 401 for a well-formed token it doesn't know, 404 for anything else.
            status = 401 if _TOKEN_SHAPE.fullmatch(token) else 404
            return _error(status, _DESCRIPTIONS[status])
        if method.lower() == "sendmessage":
            await self._wait_while_held(params)
        fault = self._take_fault(method, params)
        if fault is None:
            return await self._answer(method, params)
        if fault.kind == "fail":
            return _error(fault.status, fault.description, fault.retry_after)
        if fault.kind == "drop":
            return _drop(request)
        if not fault.deliver:
            await self._sleep(fault.seconds)
            return _drop(request)
        response = await self._answer(method, params)  # takes effect now, the answer comes late
        await self._sleep(fault.seconds)
        return response

    async def _wait_while_held(self, params: Params) -> None:
        try:
            held = self._holds.get(int(params.get("chat_id") or 0))
        except ValueError:
            return
        if held is None or held.released:
            return
        held.waiting += 1
        self._changes.fire()
        try:
            await self._changes.wait_until(lambda: held.released or self._stopping, 3600)
        finally:
            held.waiting -= 1

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return _error(404, "Not Found")

    async def _answer(self, method: str, params: Params) -> web.StreamResponse:
        handler = self._methods.get(method.lower())
        if handler is None:
            return _error(404, "Not Found")
        try:
            result = await handler(params)
        except _ApiError as error:
            return _error(error.status, error.description, error.retry_after)
        return web.json_response({"ok": True, "result": result})

    async def _sleep(self, seconds: float) -> None:
        await self._changes.wait_until(lambda: self._stopping, seconds)

    # -- methods -----------------------------------------------------------------------------------

    async def _true(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: Params) -> bool:
        if _flag(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if (allowed := params.get("allowed_updates")) is not None:
            self._allowed_updates = frozenset(allowed) or None  # [] means the default again
        if offset > 0:  # confirms every earlier update
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:  # only the last -offset ones; the rest are forgotten
            self._updates = self._updates[offset:]
        # A newer getUpdates ends any long poll still waiting, as on Telegram.
        self._poll_generation += 1
        mine = self._poll_generation
        self._changes.fire()
        await self._changes.wait_until(
            lambda: bool(self._updates) or self._stopping or self._poll_generation != mine, timeout
        )
        if self._poll_generation != mine:
            raise _ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._updates[:limit]

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat_id = self._chat_for(params)
        text, parse_mode, plain = _text(params)
        markup = _markup(params)
        reply_to = self._reply_target(chat_id, params)
        paid = str(params.get("allow_paid_broadcast", "")).lower() in {"true", "1"}
        self._take_rate_slot(chat_id, paid)
        self._next_message_id += 1
        payload: dict[str, Any] = {
            "message_id": self._next_message_id,
            "from": self.bot_user,
            "chat": self._chat_payload(chat_id),
            "date": int(time.time()),
            "text": plain,
        }
        if reply_to is not None:
            payload["reply_to_message"] = copy.deepcopy(self._payloads[(chat_id, reply_to)])
        if markup and "inline_keyboard" in markup:  # Telegram echoes only inline keyboards
            payload["reply_markup"] = markup
        sent = SentMessage(
            message_id=self._next_message_id,
            chat_id=chat_id,
            text=text,
            parse_mode=parse_mode,
            reply_markup=markup,
            sent_at=time.monotonic(),
            reply_to_message_id=reply_to,
        )
        self._payloads[(chat_id, sent.message_id)] = payload
        self._by_key[(chat_id, sent.message_id)] = sent
        self.sent.append(sent)
        self._show(sent, edit=False)
        return payload

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        sent = self._message_to_edit(params)
        text, parse_mode, plain = _text(params)
        markup = _markup(params)  # an edit without reply_markup removes the keyboard
        if text == sent.text and markup == sent.reply_markup:
            raise _ApiError(400, _NOT_MODIFIED)
        sent.edits.append(sent.text)
        sent.text, sent.parse_mode = text, parse_mode
        self._show(sent, edit=True)
        return self._apply_edit(sent, markup, {"text": plain})

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        sent = self._message_to_edit(params)
        markup = _markup(params)
        if markup == sent.reply_markup:
            raise _ApiError(400, _NOT_MODIFIED)
        return self._apply_edit(sent, markup, {})

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        user = self._open_queries.pop(query_id, None)
        if user is None:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        user.answered_callbacks.append(
            {
                "id": query_id,
                "text": params.get("text"),
                "show_alert": _flag(params.get("show_alert")),
            }
        )
        return True

    async def _set_my_commands(self, params: Params) -> bool:
        commands = list(params.get("commands") or [])
        for command in commands:
            if not _BOT_COMMAND_NAME.fullmatch(str(command.get("command", ""))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self.commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: Params) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    async def _send_chat_action(self, params: Params) -> bool:
        self._chat_for(params)
        return True

    # -- helpers for the methods -----------------------------------------------------------------

    def _chat_for(self, params: Params) -> int:
        """The target chat; 400 if Telegram wouldn't know it, 403 if its user blocked the bot."""
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        try:
            chat_id = int(raw)
        except ValueError:
            raise _ApiError(400, "Bad Request: chat not found") from None
        if chat_id not in self._users and chat_id not in self._groups:
            raise _ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _chat_payload(self, chat_id: int) -> dict[str, Any]:
        user = self._users.get(chat_id)
        return user.chat if user else self._groups[chat_id].chat

    def _reply_target(self, chat_id: int, params: Params) -> int | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        if (chat_id, int(message_id)) in self._payloads:
            return int(message_id)
        if _flag(reply.get("allow_sending_without_reply")):
            return None
        raise _ApiError(400, "Bad Request: message to be replied not found")

    def _message_to_edit(self, params: Params) -> SentMessage:
        chat_id = self._chat_for(params)
        sent = self._by_key.get((chat_id, int(params.get("message_id") or 0)))
        if sent is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return sent

    def _show(self, message: SentMessage, *, edit: bool) -> None:
        history = self._shown.setdefault(message.chat_id, [])
        history.append(_Shown(len(history), message, message.plain, edit))
        self._changes.fire()

    def _apply_edit(
        self, sent: SentMessage, markup: dict[str, Any] | None, changes: dict[str, Any]
    ) -> dict[str, Any]:
        sent.reply_markup = markup
        payload = self._payloads[(sent.chat_id, sent.message_id)]
        payload.update(changes, edit_date=int(time.time()))
        payload.pop("reply_markup", None)
        if markup and "inline_keyboard" in markup:
            payload["reply_markup"] = markup
        self._changes.fire()
        return payload

    def _take_rate_slot(self, chat_id: int, paid: bool = False) -> None:
        """429 when a send would break Telegram's limits; otherwise count the send.

        A paid broadcast (allow_paid_broadcast) may go up to 1000 messages per second overall.
        """
        if not self.enforce_limits:
            return
        now = time.monotonic()
        overall = self._global_sends
        per_chat = self._chat_sends.setdefault(chat_id, deque())
        while overall and now - overall[0] >= 1.0:
            overall.popleft()
        while per_chat and now - per_chat[0] >= 60.0:
            per_chat.popleft()
        waits = []
        if len(overall) >= (PAID_PER_SECOND if paid else GLOBAL_PER_SECOND):
            waits.append(1.0 - (now - overall[0]))
        if per_chat and now - per_chat[-1] < CHAT_SPACING:
            waits.append(CHAT_SPACING - (now - per_chat[-1]))
        if chat_id < 0 and len(per_chat) >= GROUP_PER_MINUTE:
            waits.append(60.0 - (now - per_chat[0]))
        if waits:
            self.rate_limited += 1
            retry_after = max(1, math.ceil(max(waits)))
            raise _ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        overall.append(now)
        per_chat.append(now)


_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


async def _read_params(request: web.Request) -> Params:
    """Form (PTB's way), multipart or JSON body, plus the query string."""
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            raw.update(await request.json())
        else:
            form = await request.post()
            raw.update(
                {k: v if isinstance(v, str) else f"<file {v.filename}>" for k, v in form.items()}
            )
    return raw


def _decode(key: str, value: Any) -> Any:
    if key in _JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _text(params: Params) -> tuple[str, str | None, str]:
    """(text, parse_mode, plain text), checked the way Telegram checks it (after parsing)."""
    text = str(params.get("text") or "")
    parse_mode = params.get("parse_mode") or None
    plain = plain_text(text, parse_mode)
    if not plain.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if len(plain.encode("utf-16-le")) // 2 > MAX_TEXT:  # Telegram counts UTF-16 code units
        raise _ApiError(400, "Bad Request: message is too long")
    return text, parse_mode, plain


def _markup(params: Params) -> dict[str, Any] | None:
    markup = params.get("reply_markup") or None
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in {"true", "1"}


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def _drop(request: web.Request) -> web.Response:
    """Close the connection without an answer (the client sees 'server disconnected')."""
    if request.transport is not None:
        request.transport.close()
    return web.Response()  # never written: the transport is closed
