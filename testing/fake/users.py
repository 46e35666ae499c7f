"""The simulated people of the fake Bot API. Users send text and commands, edit, forward, send
media, press buttons (with any callback data, or none) and block the bot, in their private chat
or in a group; each action is queued as the update Telegram would send. Users and groups read
what the bot sent them (SentMessage), in the order their chat showed it."""

from __future__ import annotations

import copy
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from scheduler.clock import Clock
from testing.fake.faults import Changes

if TYPE_CHECKING:
    from testing.fake.server import FakeTelegram

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@\w+)?")
_TAG = re.compile(r"<[^>]*>")
# Update types getUpdates leaves out unless asked for them by name (Telegram's documented default).
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def plain_text(text: str, parse_mode: str | None) -> str:
    """What the recipient reads: HTML tags stripped and entities unescaped (parse_mode=HTML)."""
    if (parse_mode or "").upper() != "HTML":
        return text
    return html.unescape(_TAG.sub("", text))


# How long a fake user waits for a message before the test fails: a deadline, not a pace (a
# message that comes returns at once). Generous: on a loaded 2-core CI machine with PostgreSQL
# a message a test waits for took over 5 s now and then.
WAIT = 15.0


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
    silent: bool = False  # disable_notification: it arrived without a sound
    # A picture or document (sendPhoto, sendDocument): "photo" or "document", its file name and
    # bytes as uploaded; `text` is then its caption (maybe empty).
    media: str | None = None
    file_name: str | None = None
    content: bytes = b""

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


@dataclass(frozen=True)
class _Shown:
    """One entry of a chat's history: a new message or an edit, with the text it showed then."""

    index: int  # position in the chat's history
    message: SentMessage
    plain: str
    edit: bool


class ChatReader:
    """What a chat shows its members, read in order: each wait takes the first matching new
    message (or edit) after what earlier waits took."""

    fake: FakeTelegram
    chat_id: int
    _cursor: int  # how much of this chat's history next_message / wait_for consumed

    async def next_message(self, timeout: float = WAIT) -> SentMessage:  # noqa: ASYNC109
        """The next new message to this chat (edits in between are passed over)."""
        return await self._take(lambda shown: not shown.edit, timeout, "no new message")

    async def wait_for(
        self,
        needle: str | Callable[[SentMessage], bool],
        timeout: float = WAIT,  # noqa: ASYNC109 (a deadline for the wait, not for I/O)
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

    async def wait_for_all(
        self,
        *needles: str,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """A new message containing each needle, in whatever order they arrive: a direct reply
        and a message from the outbox race each other, and either may be first."""
        wanted = [needle.lower() for needle in needles]
        found: dict[str, _Shown] = {}

        def scan() -> bool:
            found.clear()
            for shown in self._unread():
                for needle in wanted:
                    if needle not in found and needle in shown.plain.lower():
                        found[needle] = shown
                        break
            return len(found) == len(wanted)

        if not await self.fake._changes.wait_until(scan, timeout):
            missing = [n for n in needles if n.lower() not in found]
            raise AssertionError(
                f"{self}: nothing with {missing!r} within {timeout}s; {self._seen()}"
            )
        self._cursor = max(shown.index for shown in found.values()) + 1
        return [found[needle].message for needle in wanted]

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


@dataclass
class FakeGroup(ChatReader):
    fake: FakeTelegram = field(repr=False)
    chat_id: int
    title: str
    kind: Literal["group", "supergroup"] = "group"
    _cursor: int = field(default=0, init=False, repr=False)

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": self.kind, "title": self.title}

    @property
    def messages(self) -> list[SentMessage]:
        return self.fake.messages_to(self.chat_id)


class FakeUser(ChatReader):
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
        self._cursor = 0

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

    async def edit(self, message_id: int, text: str, *, chat: FakeGroup | None = None) -> None:
        """Edit a message this user sent earlier (an `edited_message` update)."""
        self.fake._push_edit(self, chat, message_id, text)

    async def forward(
        self,
        text: str,
        *,
        from_name: str = "Someone",
        from_user: FakeUser | None = None,
        chat: FakeGroup | None = None,
    ) -> int:
        """Forward someone's text message here. As Bot API 7+ sends it: `forward_origin` says
        whose it was (a user, or only a name when they hide their account from forwards)."""
        origin: dict[str, Any] = {"date": int(time.time()) - 3600}
        if from_user is not None:
            origin |= {"type": "user", "sender_user": from_user.payload}
        else:
            origin |= {"type": "hidden_user", "sender_user_name": from_name}
        content = {"text": text, "forward_origin": origin}
        return self.fake._push_message(self, chat, content, None)

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

    async def send_document(
        self,
        *,
        file_name: str = "notes.pdf",
        caption: str | None = None,
        chat: FakeGroup | None = None,
    ) -> int:
        file_key = self.fake._next_file_key()
        document = {
            "file_id": f"BQACAgIAAxkBAAI{file_key}",
            "file_unique_id": f"AgADd{file_key}",
            "file_name": file_name,
            "mime_type": "application/pdf",
            "file_size": 120_000,
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self.fake._push_message(self, chat, content, None)

    async def press(self, message: SentMessage, callback_data: str | None) -> str:
        """Press an inline button; the update carries the message as it is now. Returns the id.

        Any callback_data goes (a modified client can forge it; None leaves `data` out, which
        the Bot API allows), but only on a message in a chat the user is in: Telegram never
        shows anyone another person's private chat.
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


class Simulation:
    """The people half of FakeTelegram: who exists, and the updates their actions queue."""

    bot_user: dict[str, Any]
    sent: list[SentMessage]
    clock: Clock  # message dates: the bot's clock, when a test moves it
    _changes: Changes

    def __init__(self) -> None:
        self._users: dict[int, FakeUser] = {}
        self._groups: dict[int, FakeGroup] = {}
        self._updates: list[dict[str, Any]] = []  # queued, not yet confirmed by an offset
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        # Every message as Telegram holds it, by (chat_id, message_id): for replies and presses.
        self._payloads: dict[tuple[int, int], dict[str, Any]] = {}
        self._shown: dict[int, list[_Shown]] = {}  # per chat: what its members saw, in order
        self._open_queries: dict[str, FakeUser] = {}  # callback queries not answered yet
        self._next_update_id = 500_000_000
        # Telegram numbers messages per chat: two people's chats each have a message 7, so
        # anything keyed by message id alone mixes them up here as it would there.
        self._message_ids: dict[int, int] = {}
        self._next_query_id = 4_321_000_000_000_000_000
        self._file_counter = 0

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

    def group(
        self,
        chat_id: int,
        title: str = "Group",
        kind: Literal["group", "supergroup"] = "group",
    ) -> FakeGroup:
        """A group chat the bot is in. Any user can send, edit, forward there and press the
        buttons of the bot's messages there (pass `chat=` the group)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        return self._groups.setdefault(chat_id, FakeGroup(self, chat_id, title, kind))

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
        """Wait until predicate() holds; AssertionError if not. It is asked at each send, edit
        or update, and every 10 ms: a predicate on the bot's own state (a worker elected, a
        pusher idle) waited out the whole timeout when nothing here changed, and passed."""
        if not await self._changes.wait_until(predicate, timeout, poll=0.01):
            raise AssertionError(f"condition still false after {timeout}s")

    def _push_message(
        self,
        user: FakeUser,
        chat: FakeGroup | None,
        content: dict[str, Any],
        reply_to: SentMessage | None,
    ) -> int:
        where = chat.chat if chat else user.chat
        message_id = self._new_message_id(where["id"])
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": user.payload,
            "chat": where,
            "date": self.clock.timestamp(),
            **content,
        }
        if reply_to is not None:
            replied = self._payloads[(reply_to.chat_id, reply_to.message_id)]
            message["reply_to_message"] = copy.deepcopy(replied)
        self.push_update({"message": message})
        return message_id

    def _new_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _push_edit(
        self, user: FakeUser, chat: FakeGroup | None, message_id: int, text: str
    ) -> None:
        message = {
            "message_id": message_id,
            "from": user.payload,
            "chat": chat.chat if chat else user.chat,
            "date": self.clock.timestamp() - 1,
            "edit_date": self.clock.timestamp(),
            "text": text,
        }
        self.push_update({"edited_message": message})

    def _push_callback(self, user: FakeUser, message: SentMessage, data: str | None) -> str:
        self._next_query_id += 1
        query_id = str(self._next_query_id)
        self._open_queries[query_id] = user
        query: dict[str, Any] = {
            "id": query_id,
            "from": user.payload,
            "chat_instance": str(-7_000_000_000 - message.chat_id),  # stable per chat
            # A snapshot: later edits must not change an update that is already queued.
            "message": copy.deepcopy(self._payloads[(message.chat_id, message.message_id)]),
        }
        if data is not None:
            query["data"] = data
        self.push_update({"callback_query": query})
        return query_id

    def _push_member_change(self, user: FakeUser, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user, **extra}

        change = {
            "chat": user.chat,
            "from": user.payload,
            "date": self.clock.timestamp(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self.push_update({"my_chat_member": change})

    def _next_file_key(self) -> str:
        self._file_counter += 1
        return f"{self._file_counter:06d}"

    def _show(self, message: SentMessage, *, edit: bool) -> None:
        history = self._shown.setdefault(message.chat_id, [])
        history.append(_Shown(len(history), message, message.plain, edit))
        self._changes.fire()
