"""An offline handler harness, in the style of python-telegram-bot's own tests/auxil.

The real application (bot.app.build_application, every handler, a temp SQLite database with the
real migrations) processes updates built here through `Application.process_update`. Its Bot talks
to `RecordingRequest`, which answers the Bot API methods Steady uses with canned JSON, records
each call, and fails loudly on anything else. The delivery loop and the tick are not started:
what a use case queues stays in the outbox (`queued()` reads it; what it claimed is handed,
after its commit, to `HeldDelivery`) until the test calls `deliver()`, which sends it all at
once, unpaced, through the same request and records it as sent the way delivery does (so a
prompt then counts as received).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.app import build_application, prepare, services_of
from bot.config import Settings
from bot.context import Services
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.telegram_http import MESSAGE_DEFAULTS, ApiCall
from scheduler.clock import Clock
from testing.engines import migrated, on_postgres
from testing.probes import in_value_order, table_names

TOKEN = "123456789:" + "A" * 35
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Steady", "username": "steady_test_bot"}
GROUP_CHAT_ID = -100_555


@dataclass(frozen=True)
class Call:
    """One Bot API request: its method and its parameters (plain JSON values)."""

    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The message's text, or a photo's or document's caption."""
        return str(self.params.get("text", self.params.get("caption", "")))

    @property
    def plain(self) -> str:
        """The text as a person reads it: tags gone, entities unescaped."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.text))

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        markup = self.params.get("reply_markup") or {}
        return [
            [(b["text"], b.get("callback_data", "")) for b in row]
            for row in markup.get("inline_keyboard", [])
        ]


class UnknownMethod(AssertionError):
    """The bot called a method this harness does not answer: add it, or fix the bot."""


class MessageIds:
    """Telegram numbers messages per chat, the bot's and the person's in one sequence: two
    people's chats each have a message 7, so anything keyed by message id alone mixes them up
    here as it would there."""

    def __init__(self) -> None:
        self._last: dict[int, int] = {}

    def next(self, chat_id: int) -> int:
        self._last[chat_id] = self._last.get(chat_id, 0) + 1
        return self._last[chat_id]


class RecordingRequest(BaseRequest):
    """A Bot API that never leaves the process: records calls, answers canned results."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.unknown: list[str] = []
        self.message_ids = MessageIds()
        self._refusals: list[tuple[str, str]] = []

    def refuse_next(self, method: str, description: str = "Bad Request: refused") -> None:
        """The next call of `method` is answered with a 400 (recorded, not sent)."""
        self._refusals.append((method, description))

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        if request_data is not None and request_data.contains_files:
            # A document's bytes, by file name, for tests that read what was sent.
            files = request_data.multipart_data or {}
            params["files"] = {name: content for name, content, *_ in files.values()}
        if name != "getMe":
            self.calls.append(Call(name, params))
        for refusal in self._refusals:
            if refusal[0] == name:
                self._refusals.remove(refusal)
                error = {"ok": False, "error_code": 400, "description": refusal[1]}
                return 400, json.dumps(error).encode()
        result = self._answer(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict[str, Any]) -> object:
        if name == "getMe":
            return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False}
        if name in {
            "sendMessage",
            "sendPhoto",
            "sendDocument",
            "editMessageText",
            "editMessageReplyMarkup",
        }:
            chat_id = int(params["chat_id"])
            return {
                "message_id": params.get("message_id") or self.message_ids.next(chat_id),
                "date": 0,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        if name in {"answerCallbackQuery", "setMyCommands", "deleteMessage"}:
            return True
        self.unknown.append(name)
        raise UnknownMethod(name)


# -- update factories ---------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    language_code: str = "en"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }


class Updates:
    """Builds Update objects the way Telegram sends them (through Update.de_json)."""

    def __init__(self, app: Application, message_ids: MessageIds) -> None:
        self._app = app
        self._ids = itertools.count(1)
        self._message_ids = message_ids

    def _update(self, **payload: Any) -> Update:
        update = Update.de_json({"update_id": next(self._ids), **payload}, self._app.bot)
        assert update is not None
        return update

    def _message(self, user: User, chat: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        chat = chat or {"id": user.id, "type": "private", "first_name": user.first_name}
        return {
            "message_id": self._message_ids.next(chat["id"]),
            "date": services_of(self._app).clock.timestamp(),
            "chat": chat,
            "from": user.as_dict(),
            **fields,
        }

    def text(
        self,
        user: User,
        text: str,
        *,
        group: bool = False,
        chat_type: str = "supergroup",
        **fields: Any,
    ) -> Update:
        """A message; `group`: in a group chat of `chat_type` ("group" is a basic group)."""
        chat = _group(chat_type) if group else None
        return self._update(message=self._message(user, chat, text=text, **fields))

    def command(
        self,
        user: User,
        command: str,
        *args: str,
        group: bool = False,
        chat_type: str = "supergroup",
    ) -> Update:
        """`/name arg arg`; `command` without the slash."""
        text = " ".join((f"/{command}", *args))
        entity = {"type": "bot_command", "offset": 0, "length": len(command) + 1}
        return self.text(user, text, group=group, chat_type=chat_type, entities=[entity])

    def edited(self, user: User, message_id: int, text: str) -> Update:
        message = self._message(user, None, text=text, edit_date=1)
        message["message_id"] = message_id
        return self._update(edited_message=message)

    def forwarded(self, user: User, text: str, origin: User) -> Update:
        forward = {"type": "user", "date": 0, "sender_user": origin.as_dict()}
        return self.text(user, text, forward_origin=forward)

    def photo(self, user: User) -> Update:
        size = {"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}
        return self._update(message=self._message(user, None, photo=[size]))

    def blocked(self, user: User, blocked: bool = True) -> Update:
        """`user` blocked the bot (or unblocked it): a my_chat_member update in their chat."""
        member = {"user": BOT_USER, "status": "member"}
        kicked = {"user": BOT_USER, "status": "kicked", "until_date": 0}
        old, new = (member, kicked) if blocked else (kicked, member)
        change = {
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            "date": services_of(self._app).clock.timestamp(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self._update(my_chat_member=change)

    def button(
        self,
        user: User,
        data: str | None,
        *,
        group: bool = False,
        message_id: int = 1,
        inline: bool = False,
    ) -> Update:
        """A press of an inline button under a message the bot sent; `data` None = missing.
        `inline`: under an inline-mode message, which comes with no message or chat at all."""
        chat = _group() if group else None
        message = self._message(user, chat, text="…", message_id=message_id)
        message["from"] = BOT_USER
        message["reply_markup"] = {
            "inline_keyboard": [[{"text": "b", "callback_data": data or "x"}]]
        }
        query: dict[str, Any] = {
            "id": str(next(self._ids)),
            "from": user.as_dict(),
            "chat_instance": "ci",
        }
        if inline:
            query["inline_message_id"] = "im"
        else:
            query["message"] = message
        if data is not None:
            query["data"] = data
        return self._update(callback_query=query)


def _group(chat_type: str = "supergroup") -> dict[str, Any]:
    return {"id": GROUP_CHAT_ID, "type": chat_type, "title": "Friends"}


# -- the harness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    chat_id: int
    text: str
    dedupe_key: str
    due_at: int


class HeldDelivery:
    """Stands in for the delivery loop: rows a use case claimed wait for `Offline.deliver`.

    Hooked to the database's commits as the real one is (Delivery.hand_off)."""

    def __init__(self) -> None:
        self.claimed: list[outbox.OutboxRow] = []
        self.handed = 0  # commits that gave delivery something: rows to send, or a wake

    def hand_off(self, uow: Unit) -> None:
        gone = set(uow.handoff.withdrawn)
        self.claimed = [row for row in self.claimed if row.id not in gone]
        self.claimed.extend(uow.handoff.claimed)
        self.handed += bool(uow.handoff.claimed or uow.handoff.more)

    def recording(self) -> bool:
        return False  # nothing is sent until Offline.deliver, which records at once

    async def recorded(self) -> None:
        pass


class Offline:
    """The real application, offline. Use as `async with Offline(tmp_path) as bot:`."""

    def __init__(self, folder: Path, clock: Clock | None = None) -> None:
        self.request = RecordingRequest()
        path = folder / "steady.db"
        where = migrated(path)  # a new database: as migrations leave it, made cheaply
        settings = Settings(
            bot_token=TOKEN,
            database_path=path,
            database_url=where if on_postgres() else "",
        )
        self.app = build_application(settings, clock, request=self.request)
        self.updates = Updates(self.app, self.request.message_ids)
        self.held = HeldDelivery()

    async def __aenter__(self) -> Offline:
        await self.app.initialize()
        await prepare(self.app)
        self.services.delivery = self.held  # type: ignore[assignment]
        self.db.after_commit.append(self.held.hand_off)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()
        if self.services.db is not None:
            await self.services.db.close()
            self.services.db = None

    @property
    def services(self) -> Services:
        return services_of(self.app)

    @property
    def db(self) -> Database:
        return self.services.database

    async def process(self, update: Update) -> None:
        """Handle one update; fail if it queued a message that nothing handed to delivery
        (which would then wait for the loop's next poll)."""
        before, handed = await self.queued(), self.held.handed
        await self.app.process_update(update)
        if self.held.handed == handed and [q for q in await self.queued() if q not in before]:
            raise AssertionError("a message was queued but not handed to delivery")

    async def send(self, user: User, text: str) -> list[Call]:
        """A private text or `/command args` from `user`; returns the calls it caused."""
        if text.startswith("/"):
            name, *args = text[1:].split(" ")
            return await self.run(self.updates.command(user, name, *args))
        return await self.run(self.updates.text(user, text))

    async def run(self, update: Update) -> list[Call]:
        """Process one update; the Bot API calls it caused."""
        before = len(self.request.calls)
        await self.process(update)
        return self.request.calls[before:]

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        return [
            c
            for c in self.request.calls
            if (chat_id is None or c.chat_id == chat_id) and (method is None or c.method == method)
        ]

    async def queued(self, chat_id: int | None = None) -> list[Queued]:
        """Outbox rows not yet sent (the delivery loop is not running here)."""
        async with self.db.read() as uow:
            rows = await uow.conn.fetch_all(
                f"SELECT dedupe_key, due_at, {outbox.READ_COLUMNS} FROM outbox"
                " WHERE status = 'pending' ORDER BY id"
            )
        return [
            Queued(
                r["chat_id"], outbox.rendered_text(r, self.db.cipher), r["dedupe_key"], r["due_at"]
            )
            for r in rows
            if chat_id is None or r["chat_id"] == chat_id
        ]

    async def deliver(self) -> list[Call]:
        """Send everything due in the outbox now (claimed rows first), each chat in order."""
        before = len(self.request.calls)
        rows, self.held.claimed = self.held.claimed, []
        while True:
            sent = [(row.id, await self._send(row)) for row in rows]
            async with self.db.unit() as uow:
                await uow.outbox.mark_sent(sent, self.services.now())
                rows = await uow.outbox.ready(self.services.now(), 1000)
            if not rows:
                return self.request.calls[before:]

    async def _send(self, row: outbox.OutboxRow) -> int:
        params: dict[str, Any] = {"chat_id": row.chat_id, "text": row.text, **MESSAGE_DEFAULTS}
        if row.reply_markup:
            params["reply_markup"] = row.reply_markup
        bot = self.app.bot
        result = await bot.request.post(f"{bot.base_url}/sendMessage", ApiCall(params))
        return int(result["message_id"])  # type: ignore[index, call-overload]

    async def pair(self, a: User, b: User) -> None:
        """Pair two people through /pair and /join."""
        [invite] = await self.send(a, "/pair")
        code = invite.text.split("?start=")[1].split()[0]
        await self.send(b, f"/join {code}")
        async with self.db.read() as uow:  # in whatever language they speak
            couple = await uow.couples.active_for(b.id)
        assert couple is not None and couple.has(a.id), "the pairing failed"

    async def revealed_round(self, answers: dict[User, str], at: int = 1_000) -> int:
        """A revealed check-in of the answerers' couple, written straight to the database
        (a shortcut for tests about what is shown afterwards, not about how it was revealed)."""
        first = next(iter(answers))
        async with self.db.unit() as uow:
            couple_id = await uow.conn.fetch_value(
                "SELECT couple_id FROM couple_members WHERE user_id = ? AND left_at IS NULL",
                (first.id,),
            )
            round_id = await uow.conn.fetch_value(
                "INSERT INTO rounds (couple_id, prompt_id, category, status, opened_at, "
                "closes_at, finished_at) VALUES (?, 'open-001', 'open_communication', "
                "'revealed', ?, ?, ?) RETURNING id",
                (couple_id, at, at + 3600, at + 60),
            )
            for user, text in answers.items():
                await uow.conn.execute(
                    "INSERT INTO answers (round_id, user_id, text, answered_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (round_id, user.id, self.db.cipher.seal(text, "answers"), at, at),
                )
        assert round_id is not None
        return round_id

    async def dump(self, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, for "nothing changed" comparisons; `ignore`: tables or
        "table.column"s left out (bookkeeping such as when a user was last seen)."""
        async with self.db.read() as uow:
            tables = await table_names(uow.conn)
            state = {}
            for table in sorted(set(tables) - set(ignore)):
                rows = await uow.conn.fetch_all(f"SELECT * FROM {table}")
                state[table] = in_value_order(
                    tuple(r[n] for n in r.keys() if f"{table}.{n}" not in ignore)  # noqa: SIM118
                    for r in rows
                )
        return state
