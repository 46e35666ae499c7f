"""An in-process fake of the Telegram Bot API, for end-to-end tests of the real bot over HTTP.

The bot's python-telegram-bot `Application` reaches it with `base_url=f"{fake.base_url}/bot"`.
The fake answers the methods Steady uses the way Telegram does (same JSON shapes, status codes and
descriptions) and records every request and every message the bot sent. This module is the HTTP
server and its Bot API methods; the simulated people are in testing.fake.users, the faults the
design must survive (DESIGN.md §2) in testing.fake.faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gc
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from scheduler.clock import Clock
from testing.fake.faults import DESCRIPTIONS, ApiError, Changes, FaultInjection, Params
from testing.fake.users import SentMessage, Simulation, plain_text

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_PHOTO = 10 * 1024 * 1024  # bytes, as Telegram takes an uploaded photo
MAX_DOCUMENT = 50 * 1024 * 1024
FILES = "__files__"  # where _read_params puts the uploaded files: name -> (file name, bytes)
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
MAX_CALLBACK_DATA = 64  # bytes

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
_TOKEN_SHAPE = re.compile(r"\d+:[\w-]+")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


# Fakes enforcing Telegram's limits that are running in this process. Such a fake counts a send
# when its event loop gets to the request: a full garbage collection here (37 ms, with a record
# of 6,000 sends) held the requests that arrived meanwhile and counted them together, a burst
# Telegram never sees, answered with 429s that were the fake's own (bench.fanout). While one
# runs, this process collects no cycles; it does once the last one stops.
_counting: list[FakeTelegram] = []


class FakeTelegram(FaultInjection, Simulation):
    def __init__(
        self,
        *,
        token: str = "123456789:TEST-token-for-steady-fake-bot-api",
        bot_username: str = "steady_test_bot",
        enforce_limits: bool = False,
        clock: Clock | None = None,
        latency: float = 0.0,
    ) -> None:
        # Message dates follow the bot's clock when a test moves it (Steady routes a message
        # by when it was written).
        self.clock = clock or Clock()
        # Seconds each answer takes to come back, as Telegram's round trip over the internet
        # (tens of milliseconds): a call takes effect, and counts against the limits, when it
        # arrives; its answer comes this much later. Long polls are not delayed.
        self.latency = latency
        self._open_requests = 0
        self.peak_requests = 0  # the most requests the server was answering at once
        self._changes = Changes()
        self._stopping = False
        self._stopped = asyncio.Event()  # set by stop(): delayed answers go at once
        FaultInjection.__init__(self, enforce_limits)
        Simulation.__init__(self)
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.base_url = ""  # set by start()
        # The in-process bot's barrier (testing.runner.BotRunner.settle), if there is one.
        self.settle: Callable[[], Awaitable[None]] | None = None
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, Params]] = []
        self._by_key: dict[tuple[int, int], SentMessage] = {}
        self._poll_generation = 0
        # setWebhook's url and secret_token; updates then go to testing.fake.webhook.Pusher.
        self.webhook: dict[str, str] | None = None
        self._runner: web.AppRunner | None = None
        # What Steady calls, PTB's start-up and polling included; any other method is a 404,
        # as Telegram answers an unknown one, so a new call in the bot shows up in the tests.
        self._methods: dict[str, Callable[[Params], Awaitable[Any]]] = {
            "getme": self._get_me,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
        }

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1, on `port` or (0) on any free one."""
        app = web.Application(client_max_size=MAX_DOCUMENT + 1024 * 1024)  # uploads
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        # A short shutdown timeout: a test's stop must not wait on a client that went away.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._stopping = False
        self._stopped.clear()
        if self.enforce_limits and self not in _counting:
            _counting.append(self)
            gc.disable()

    async def stop(self) -> None:
        self._stopping = True
        self._stopped.set()  # releases delayed answers at once
        self._changes.fire()  # and long polls
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self in _counting:
            _counting.remove(self)
            if not _counting:
                gc.enable()

    # -- the bot ---------------------------------------------------------------------------------

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Steady",
            "username": self.bot_username,
        }

    # -- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self._open_requests += 1
        self.peak_requests = max(self.peak_requests, self._open_requests)
        try:
            return await self._handle_one(request)
        finally:
            self._open_requests -= 1

    async def _handle_one(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        raw = await _read_params(request)
        # As received: form values stay (JSON-)strings, files are "<file name>".
        self.calls.append((method, {k: v for k, v in raw.items() if k != FILES}))
        params = {key: _decode(key, value) for key, value in raw.items()}
        token = request.match_info["token"]
        if token != self.token:
            # Telegram: 401 for a well-formed token it doesn't know, 404 for anything else.
            status = 401 if _TOKEN_SHAPE.fullmatch(token) else 404
            return _error(status, DESCRIPTIONS[status])
        if method.lower() == "sendmessage":
            await self._wait_while_held(params)
        fault = self._take_fault(method, params)
        if fault is None:
            response = await self._answer(method, params)
            if self.latency and method.lower() != "getupdates":
                await self._sleep(self.latency)
            return response
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

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return _error(404, "Not Found")

    async def _answer(self, method: str, params: Params) -> web.StreamResponse:
        handler = self._methods.get(method.lower())
        if handler is None:
            return _error(404, "Not Found")
        try:
            result = await handler(params)
        except ApiError as error:
            return _error(error.status, error.description, error.retry_after)
        return web.json_response({"ok": True, "result": result})

    async def _sleep(self, seconds: float) -> None:
        """Wait, or less when the server stops. Not woken by each change, as waits for one
        are: at the paid cap with a round trip, every send woke every answer still waiting
        (50 of them at 50 ms), which doubled the fake's CPU per send."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)

    # -- methods -----------------------------------------------------------------------------------

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
        self.webhook = None
        return True

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:  # Telegram: an empty url removes the webhook
            self.webhook = None
            return True
        if not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = str(params.get("secret_token") or "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if (allowed := params.get("allowed_updates")) is not None:
            self._allowed_updates = frozenset(allowed) or None
        self.webhook = {"url": url, "secret_token": secret}
        return True

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
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
            raise ApiError(
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
        message_id = self._new_message_id(chat_id)
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self._chat_payload(chat_id),
            "date": self.clock.timestamp(),
            "text": plain,
        }
        if reply_to is not None:
            payload["reply_to_message"] = copy.deepcopy(self._payloads[(chat_id, reply_to)])
        if markup and "inline_keyboard" in markup:  # Telegram echoes only inline keyboards
            payload["reply_markup"] = markup
        sent = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            text=text,
            parse_mode=parse_mode,
            reply_markup=markup,
            sent_at=time.monotonic(),
            reply_to_message_id=reply_to,
            silent=_flag(params.get("disable_notification")),
        )
        self._payloads[(chat_id, sent.message_id)] = payload
        self._by_key[(chat_id, sent.message_id)] = sent
        self.sent.append(sent)
        self._show(sent, edit=False)
        return payload

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        return self._send_file(params, "photo", MAX_PHOTO)

    async def _send_document(self, params: Params) -> dict[str, Any]:
        return self._send_file(params, "document", MAX_DOCUMENT)

    def _send_file(self, params: Params, kind: str, limit: int) -> dict[str, Any]:
        """An uploaded picture or document (multipart), checked as Telegram checks it: a file
        under the limit, a photo that is an image, a caption of at most 1024 characters."""
        chat_id = self._chat_for(params)
        uploaded = (params.get(FILES) or {}).get(kind)
        if uploaded is None:
            # A file_id or URL would be a string; Steady uploads its files.
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        file_name, content = uploaded
        if not content or len(content) > limit:
            problem = "file is too big" if content else "file must be non-empty"
            raise ApiError(400, f"Bad Request: {problem}")
        if kind == "photo" and not content.startswith(_IMAGE_MAGIC):
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption = str(params.get("caption") or "")
        parse_mode = params.get("parse_mode") or None
        plain = plain_text(caption, parse_mode)
        if len(plain.encode("utf-16-le")) // 2 > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        markup = _markup(params)
        paid = _flag(params.get("allow_paid_broadcast"))
        self._take_rate_slot(chat_id, paid)
        message_id = self._new_message_id(chat_id)
        described: dict[str, Any] = {
            "file_id": f"{kind}-{chat_id}-{message_id}",
            "file_unique_id": f"u{chat_id}-{message_id}",
            "file_size": len(content),
        }
        if kind == "document":
            described["file_name"] = file_name
        else:
            described.update(width=1, height=1)  # the fake does not decode the picture
        payload: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self._chat_payload(chat_id),
            "date": self.clock.timestamp(),
            kind: [described] if kind == "photo" else described,
        }
        if plain:
            payload["caption"] = plain
        if markup and "inline_keyboard" in markup:
            payload["reply_markup"] = markup
        sent = SentMessage(
            message_id=message_id,
            chat_id=chat_id,
            text=caption,
            parse_mode=parse_mode,
            reply_markup=markup,
            sent_at=time.monotonic(),
            silent=_flag(params.get("disable_notification")),
            media=kind,
            file_name=file_name,
            content=content,
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
            raise ApiError(400, _NOT_MODIFIED)
        sent.edits.append(sent.text)
        sent.text, sent.parse_mode = text, parse_mode
        self._show(sent, edit=True)
        return self._apply_edit(sent, markup, {"text": plain})

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        sent = self._message_to_edit(params)
        markup = _markup(params)
        if markup == sent.reply_markup:
            raise ApiError(400, _NOT_MODIFIED)
        return self._apply_edit(sent, markup, {})

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        user = self._open_queries.pop(query_id, None)
        if user is None:
            raise ApiError(
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
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    # -- helpers for the methods -----------------------------------------------------------------

    def _chat_for(self, params: Params) -> int:
        """The target chat; 400 if Telegram wouldn't know it, 403 if its user blocked the bot."""
        raw = params.get("chat_id")
        if raw in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        try:
            chat_id = int(raw)
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id not in self._users and chat_id not in self._groups:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _chat_payload(self, chat_id: int) -> dict[str, Any]:
        user = self._users.get(chat_id)
        return user.chat if user else self._groups[chat_id].chat

    def _reply_target(self, chat_id: int, params: Params) -> int | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id")
        if not message_id:
            return None
        if (chat_id, int(message_id)) in self._payloads:
            return int(message_id)
        if _flag(reply.get("allow_sending_without_reply")):
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    def _message_to_edit(self, params: Params) -> SentMessage:
        chat_id = self._chat_for(params)
        sent = self._by_key.get((chat_id, int(params.get("message_id") or 0)))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return sent

    def _apply_edit(
        self, sent: SentMessage, markup: dict[str, Any] | None, changes: dict[str, Any]
    ) -> dict[str, Any]:
        sent.reply_markup = markup
        payload = self._payloads[(sent.chat_id, sent.message_id)]
        payload.update(changes, edit_date=self.clock.timestamp())
        payload.pop("reply_markup", None)
        if markup and "inline_keyboard" in markup:
            payload["reply_markup"] = markup
        self._changes.fire()
        return payload


_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


async def _read_params(request: web.Request) -> Params:
    """Form (PTB's way), multipart or JSON body, plus the query string. Uploaded files are
    "<file name>" among the parameters, and (name, bytes) by field under FILES."""
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            raw.update(await request.json())
        else:
            form = await request.post()
            files = {
                k: (v.filename, v.file.read()) for k, v in form.items() if not isinstance(v, str)
            }
            raw.update(
                {k: v if isinstance(v, str) else f"<file {v.filename}>" for k, v in form.items()}
            )
            if files:
                raw[FILES] = files
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
        raise ApiError(400, "Bad Request: message text is empty")
    if len(plain.encode("utf-16-le")) // 2 > MAX_TEXT:  # Telegram counts UTF-16 code units
        raise ApiError(400, "Bad Request: message is too long")
    return text, parse_mode, plain


def _markup(params: Params) -> dict[str, Any] | None:
    markup = params.get("reply_markup") or None
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


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
