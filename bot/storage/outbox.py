"""The outbox: messages written with the change that causes them, sent by the delivery loop."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from bot import prompts
from bot.crypto import Cipher, Unreadable
from bot.models import Button, Media, Outgoing, Person
from bot.storage import bulk
from bot.storage.engine import Conn, Row, from_row

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    text: str
    reply_markup: dict | None
    attempts: int
    # How it may sound on its reader's phone (see Delivery._send): it holds private words
    # (a question, a reveal: anything about a round), its reader's discreet mode and quiet
    # hours ('HH:MM' in their zone), and whether a neutral line announced it already.
    private: bool = False
    discreet: bool = False
    quiet_from: str | None = None
    quiet_until: str | None = None
    timezone: str | None = None
    language: str = "en"
    announced: bool = False
    media: Media | None = None  # a picture or document; `text` is then its caption


@dataclass
class Lease:
    """Who holds what this process claims from the outbox, and for how long.

    `token`: one per worker start (a worker that restarts holds nothing of its former self).
    A claim holds a row until `now + seconds`; the holder renews it while it works. Every write
    about a claimed row names the token, so a worker that stalled past its lease (another took
    the row) changes nothing. `sending`: this worker may claim rows to send them at once (with
    several workers only the elected sender does; see scheduler.delivery). `epoch`: the
    sender's epoch this worker took when elected (None: one worker, nothing to check); a send
    goes out only while it is still the current one (`hold`)."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    seconds: int = 30
    sending: bool = True
    epoch: int | None = None

    def until(self, now: int) -> int:
        return now + self.seconds


@dataclass
class Handoff:
    """What one unit of work put in the outbox, for delivery once (and only if) it commits:
    rows it claimed to send at once, and how many it queued for the delivery loop."""

    claimed: list[OutboxRow] = field(default_factory=list)
    queued: int = 0  # an upper bound: a batch counts rows whose key was already known
    # Rows in flight that this unit deleted (an erasure): a send still waiting for its turn
    # must not go out. One on the wire already cannot be called back.
    withdrawn: list[int] = field(default_factory=list)

    @property
    def more(self) -> bool:
        """Rows wait for the delivery loop beyond those claimed."""
        return self.queued > len(self.claimed)


def dedupe_key(kind: str, *about: object) -> str:
    """A message's dedupe key, `kind:about:…`: what makes it one message, so retrying the step
    that queued it never queues it twice. Also what withdraws it (`Outbox.cancel_pending`)."""
    return ":".join((kind, *(str(part) for part in about)))


# A handler's message queued for the sender (scheduler.direct), `direct:chat:tag`; the tag of
# the notice that such a reply was refused begins with REFUSED, so that notice, if refused
# too, is followed by nothing more.
DIRECT = "direct"
REFUSED = "refused"


def direct_key(chat_id: int, *, notice: bool = False) -> str:
    """A new key for a handler's message queued for the sender; `notice`: it tells someone
    that something went wrong (the error handler's, or Delivery's for a refused reply)."""
    tag = secrets.token_hex(8)
    return dedupe_key(DIRECT, chat_id, f"{REFUSED}-{tag}" if notice else tag)


def awaited_reply(key: str) -> bool:
    """Whether a row's key is a handler's reply someone waits for (not a notice that one
    was refused, which no further notice follows)."""
    kind, _, rest = key.partition(":")
    return kind == DIRECT and not rest.partition(":")[2].startswith(REFUSED)


def notice(
    to: Person | int,
    kind: str,
    *about: object,
    text: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    round_id: int | None = None,
    due_at: int | None = None,
    couple_id: int | None = None,
    media: Media | None = None,
) -> Outgoing:
    """The outbox row for one message to `to`, keyed by `kind` and what it is `about` (in the
    key's order; the recipient too where two people could get the same kind of message)."""
    chat_id = to.id if isinstance(to, Person) else to
    key = dedupe_key(kind, *about)
    return Outgoing(chat_id, key, text, buttons, round_id, due_at, couple_id, media)


def _markup(message: Outgoing) -> str | None:
    if not message.buttons:
        return None
    rows = [[{"text": b.text, "callback_data": b.data} for b in row] for row in message.buttons]
    return json.dumps({"inline_keyboard": rows})


# A message belongs to its reader's couple at the time it is queued, so ending the pairing
# can withdraw the couple's queue (see cancel_for_couple), or to the couple it names (see
# Outgoing.couple_id), so erasing someone withdraws a notice naming them.
_ENQUEUE = """
    INSERT INTO outbox
        (dedupe_key, chat_id, text, reply_markup, round_id, not_before, due_at, created_at,
         media_kind, media, media_name, couple_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
        COALESCE(?, (SELECT couple_id FROM couple_members WHERE user_id = ? AND left_at IS NULL)))
    ON CONFLICT (dedupe_key) DO NOTHING
"""


MEDIA_SEAL = "outbox-media"  # what a sealed file is bound to (see Cipher.seal)


def seal_media(content: bytes, cipher: Cipher) -> str:
    """A file's bytes as the outbox keeps them: base64 text (both engines' `text`), sealed."""
    return cipher.seal(base64.b64encode(content).decode("ascii"), MEDIA_SEAL)


def open_media(stored: str, cipher: Cipher) -> bytes:
    return base64.b64decode(cipher.open(stored, MEDIA_SEAL))


def _row(message: Outgoing, now: int, cipher: Cipher) -> tuple:
    due = max(now, message.due_at or now)
    media = message.media
    return (
        message.dedupe_key,
        message.chat_id,
        cipher.seal(message.text, "outbox"),  # a reveal holds both answers
        _markup(message),
        message.round_id,
        due,
        due,
        now,
        media.kind if media else None,
        seal_media(media.content, cipher) if media else None,
        media.filename if media else None,
        message.couple_id,
        message.chat_id,
    )


# Pending rows of one chat, or in flight, read through those few rows (outbox_chat_due,
# outbox_inflight) whatever the statistics say. Statistics taken while nearly every row was
# sent make PostgreSQL count `status = 'pending'` as a handful of rows, and SQLite without
# statistics prefers an index with an equality: either reads every pending row where a few
# would do (during a fan-out of 20,000 prompts a PostgreSQL delivery pass took 3.4 s, 100,000:
# 14 s, and the paid cap fell to 0.36, bench.fanout). `|| ''` makes the test one no index
# serves, on both engines.
PENDING_HERE = "status || '' = 'pending'"


# What makes a pending row sendable now, besides its time: nobody holds it (or its holder's
# lease ran out: that worker died or stalled), its reader has not blocked the bot,
# and nothing meant earlier for the same chat still waits (a long reveal's parts go in order; a
# prompt waiting for its local time holds back nothing meant before it).
# The earlier row is looked up through its chat's rows (PENDING_HERE), one sub-select per
# candidate rather than a join the planner may turn around. The plain `status = 'pending'` at
# the top must stay: `ready` names the partial index outbox_sendable, which SQLite can use (or
# else refuses the statement) only when the WHERE says exactly that.
_SENDABLE = """
    status = 'pending' AND not_before <= ? AND (inflight = 0 OR outbox.lease_until < ?)
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = outbox.chat_id AND u.reachable = 0)
    AND (
        SELECT 1 FROM outbox earlier
        WHERE earlier.chat_id = outbox.chat_id AND earlier.{pending_here}
          AND earlier.due_at <= outbox.due_at AND earlier.id < outbox.id LIMIT 1
    ) IS NULL
""".replace("{pending_here}", PENDING_HERE)


# Messages that hold private words beyond those about a round (which carry its id): a reveal
# holds both answers, a repair phrase is one partner's words to the other, and the news of a
# hard moment (a partner's break, its end, both ready, a pointer to a therapist, a guided
# conversation stopped or done, a partner who answered, a pairing ended) says as much on a lock
# screen. Discreet mode never lets them make a sound (Delivery._sound).
PRIVATE_KINDS = (
    "reveal",
    "waiting",
    "unpaired",
    "pairing_ended",  # a partner erased themselves: the pairing ended (bot.privacy)
    "phrase",
    "repair.partner_break",
    "repair.partner_updated",
    "repair.partner_more_time",
    "nudge",
    "both-ready",
    "care",
    "guided-stop",
    "guided-done",
    "weekly",  # the Sunday chart of a couple's weeks
    "report",  # the /report PDF, and the partners' consents to it
    "optin",  # an invitation to the weekly summary or the weekly safety question
    "firststeps",  # every notice of first steps (bot.firststeps.KIND)
    "closed",  # a question closed unanswered: an ask's notice quotes it
    # A promise's or an agreement's own words, which every notice about it quotes.
    "promise",
    "promise-ack",
    "promise-withdrawn",
    "promise-not",
    "promise-again",
    "agree",
    "agree-accepted",
    "agree-declined",
    "agree-retire",
    "agree-retired",
    "agree-kept",
    "review-talk",
)

# A row as delivery reads it. A prompt queued by its id (enqueue_prompts) comes with what its
# text is rendered from, as it is now: its reader's language and their partner's name.
READ_COLUMNS = """
    id, chat_id, text, reply_markup, attempts, prompt_id,
    CASE WHEN prompt_id IS NULL THEN NULL ELSE
        (SELECT u.language FROM users u WHERE u.id = outbox.chat_id) END AS reader_language,
    CASE WHEN prompt_id IS NULL THEN NULL ELSE
        (SELECT u.first_name FROM users u WHERE u.id = (
            SELECT p.user_id FROM round_participants p
            WHERE p.round_id = outbox.round_id AND p.user_id <> outbox.chat_id LIMIT 1))
        END AS partner_name,
    CASE WHEN round_id IS NOT NULL OR prompt_id IS NOT NULL OR {private_kinds}
        THEN 1 ELSE 0 END AS private, announced,
    (SELECT u.discreet FROM users u WHERE u.id = outbox.chat_id) AS discreet,
    (SELECT u.quiet_from FROM users u WHERE u.id = outbox.chat_id) AS quiet_from,
    (SELECT u.quiet_until FROM users u WHERE u.id = outbox.chat_id) AS quiet_until,
    (SELECT u.timezone FROM users u WHERE u.id = outbox.chat_id) AS timezone,
    (SELECT u.language FROM users u WHERE u.id = outbox.chat_id) AS language,
    media_kind, media, media_name
""".replace("{private_kinds}", " OR ".join(f"dedupe_key LIKE '{kind}:%'" for kind in PRIVATE_KINDS))


def rendered_text(r: Row, cipher: Cipher) -> str:
    """The text of a row read with READ_COLUMNS: opened, or rendered from its prompt."""
    if r["prompt_id"] is None:
        return cipher.open(r["text"], "outbox")
    language = r["reader_language"] or "en"
    return prompts.message(r["prompt_id"], language, r["partner_name"] or "")


# A write about a claimed row names its holder: a worker whose lease ran out and whose row
# another worker took (it stalled) changes nothing. A row nobody claimed (NULL) is anyone's.
_MINE = "(lease_token IS NULL OR lease_token = ?)"
# Claiming a row (token, lease end): taking over one still marked in flight (its holder's lease
# ran out) counts as uncertain, since that worker may have sent it before it died.
_TAKE = (
    "inflight = 1, uncertain = uncertain + CASE WHEN inflight = 1 THEN 1 ELSE 0 END,"
    " lease_token = ?, lease_until = ?"
)

# The rows are found by their keys, whatever the statistics say: `IN ({keys})` walks the
# outbox's primary key (a join alone hashed the whole outbox), and "not received yet" is tested
# through COALESCE rather than as `received_at IS NULL`, which statistics taken while every
# prompt had been received count as one row: PostgreSQL then read every participant not yet
# reached once per message recorded (0.6 s a record during a fan-out of 6,000 prompts). A
# participant already reached is not written again (a reminder, a reveal's parts).
_MARK_SENT_PG = """
    WITH done AS (
        UPDATE outbox SET status = 'sent', sent_at = v.column4, text = '', media = NULL,
            attempts = attempts + 1, message_id = v.column2, inflight = 0
        FROM {rows} WHERE outbox.id = v.column1 AND outbox.id IN ({keys}) AND {mine}
        RETURNING outbox.chat_id, outbox.round_id, v.column2 AS message_id, v.column3 AS accepted
    ), quoted AS (
        INSERT INTO round_messages (chat_id, message_id, round_id)
        SELECT chat_id, message_id, round_id FROM done WHERE round_id IS NOT NULL
        ON CONFLICT (chat_id, message_id) DO NOTHING
    )
    UPDATE round_participants SET received_at = done.accepted
    FROM done
    WHERE COALESCE(round_participants.received_at, -1) < 0 AND done.round_id IS NOT NULL
      AND round_participants.round_id = done.round_id
      AND round_participants.user_id = done.chat_id
"""


def _outbox_row(r: Row, cipher: Cipher) -> OutboxRow:
    markup = r["reply_markup"]
    media = None
    if r["media_kind"] and r["media"]:
        media = Media(r["media_kind"], open_media(r["media"], cipher), r["media_name"] or "file")
    return from_row(
        OutboxRow,
        r,
        text=rendered_text(r, cipher),
        reply_markup=json.loads(markup) if markup else None,
        private=bool(r["private"]),
        discreet=bool(r["discreet"]),
        announced=bool(r["announced"]),
        language=r["language"] or "en",
        media=media,
    )


class Outbox:
    """The outbox queue. What it queues and claims is noted in `handoff`: the unit's commit
    hands that to delivery, so no caller carries outbox rows to it (see Database.unit). Any
    method that adds rows counts them there, or delivery waits for its next poll."""

    def __init__(
        self,
        conn: Conn,
        handoff: Handoff | None = None,
        cipher: Cipher | None = None,
        lease: Lease | None = None,
    ) -> None:
        self.conn = conn
        self.handoff = Handoff() if handoff is None else handoff
        self.cipher = cipher or Cipher.plain()  # texts are stored sealed
        self.lease = lease or Lease()

    async def enqueue(self, message: Outgoing, now: int) -> bool:
        """Queue a message; False when its dedupe key was queued before (nothing is added)."""
        changed = await self.conn.execute(_ENQUEUE, _row(message, now, self.cipher))
        self.handoff.queued += int(changed > 0)
        return changed > 0

    async def enqueue_first(
        self, message: Outgoing, now: int, *, uncertain: bool = False, before: int | None = None
    ) -> None:
        """Queue a message someone is waiting for (a reply to what they just did, queued by a
        worker that does not send, or after its own send failed): first in the sender's line.
        Its `not_before` of 0 sorts it before any backlog (`ready` takes rows by `not_before`);
        its `due_at` is now, so it still follows what was meant earlier for the same chat.
        `before`: when the update it answers began to be handled; the reply to what the
        person did then goes before everything still waiting for their chat: what their
        action queued (due then or later) and what was held back (a prompt a 429 delayed,
        due in the same second as the update began, would otherwise go first, and "there is
        no open check-in" would follow the question). Replies queued so keep their own order
        (`ready` takes rows by `not_before`, then id). `uncertain`: a send of it may have
        reached Telegram already (a timeout)."""
        await self.enqueue(message, now)
        first, due = 0, None
        if before is not None:
            waiting = await self.conn.fetch_one(
                f"SELECT MIN(due_at) FROM outbox WHERE chat_id = ? AND {PENDING_HERE}",
                (message.chat_id,),
            )
            earliest = waiting[0] if waiting is not None and waiting[0] is not None else before
            first, due = -1, min(before, int(earliest)) - 1
        await self.conn.execute(
            "UPDATE outbox SET not_before = ?, due_at = COALESCE(?, due_at),"
            " uncertain = uncertain + ? WHERE dedupe_key = ? AND status = 'pending'",
            (first, due, int(uncertain), message.dedupe_key),
        )

    async def enqueue_all(self, messages: list[Outgoing], now: int) -> None:
        """Queue several messages in one trip to the database thread; known keys are skipped."""
        self.handoff.queued += len(messages)
        await self.conn.execute_many(_ENQUEUE, [_row(m, now, self.cipher) for m in messages])

    async def enqueue_many(self, messages: list[tuple[Outgoing, int]], now: int) -> None:
        """(message, its reader's couple) pairs in a few multi-row statements; known keys are
        skipped. For due work, whose couples are known: no lookup per row."""
        if any(message.media for message, _ in messages):
            raise ValueError("due work queues text; a file goes through enqueue")
        self.handoff.queued += len(messages)
        await bulk.run(
            self.conn,
            "INSERT INTO outbox (dedupe_key, chat_id, text, reply_markup, round_id, not_before,"
            " due_at, created_at, couple_id)"
            " SELECT * FROM {rows} WHERE true ON CONFLICT (dedupe_key) DO NOTHING",
            [(*_row(message, now, self.cipher)[:8], couple_id) for message, couple_id in messages],
            ("text", "bigint", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint"),
        )

    async def enqueue_prompts(self, rows: list[tuple[int, int, int, str, int]], now: int) -> None:
        """Check-in prompts queued by id, from (round, reader, when it is meant to go out,
        prompt, reader's couple) rows: the text is rendered when delivery reads the row
        (READ_COLUMNS), so due work renders none. Known keys are skipped."""
        self.handoff.queued += len(rows)
        await bulk.run(
            self.conn,
            "INSERT INTO outbox (dedupe_key, chat_id, text, round_id, not_before, due_at,"
            " created_at, couple_id, prompt_id)"
            " SELECT v.column1, v.column2, '', v.column3, v.column4, v.column4, v.column5,"
            " v.column6, v.column7 FROM {rows} WHERE true ON CONFLICT (dedupe_key) DO NOTHING",
            [
                (dedupe_key("prompt", rid, reader), reader, rid, max(now, due), now, couple, prompt)
                for rid, reader, due, prompt, couple in rows
            ],
            ("text", "bigint", "bigint", "bigint", "bigint", "bigint", "text"),
        )

    async def enqueue_round_prompts(self, round_ids: list[int], now: int) -> None:
        """enqueue_prompts for new check-in rounds whose participants are written: each
        participant's prompt at their prompt_due, built in the database from the rows already
        there (no row or key is sent from Python). Its key is dedupe_key("prompt", round,
        reader) spelt in SQL."""
        self.handoff.queued += 2 * len(round_ids)
        await bulk.where_in(
            self.conn,
            "INSERT INTO outbox (dedupe_key, chat_id, text, round_id, not_before, due_at,"
            " created_at, couple_id, prompt_id)"
            " SELECT 'prompt:' || p.round_id || ':' || p.user_id, p.user_id, '', p.round_id,"
            " p.prompt_due, p.prompt_due, ?, r.couple_id, r.prompt_id"
            " FROM round_participants p JOIN rounds r ON r.id = p.round_id"
            " JOIN couple_members m ON m.couple_id = r.couple_id AND m.user_id = p.user_id"
            # Queued in the order the couples came due, each couple's partners as Couple.a, b.
            " WHERE p.round_id IN ({ids}) ORDER BY p.round_id, m.joined_at, p.user_id"
            " ON CONFLICT (dedupe_key) DO NOTHING",
            round_ids,
            (now,),
        )

    async def cancel_pending_many(self, keys: list[str]) -> None:
        """Withdraw these messages if they are not sent yet (one statement per chunk)."""
        await bulk.where_in(
            self.conn,
            "UPDATE outbox SET status = 'cancelled', text = '', media = NULL "
            "WHERE dedupe_key IN ({ids}) AND status = 'pending'",
            keys,
            type="text",
        )

    async def ready(self, now: int, limit: int) -> list[OutboxRow]:
        """Sendable rows, held until the unit ends: another process's delivery pass skips
        them, and sees them in flight once this unit (which marks them so) commits."""
        # Through the sendable index in its order, stopping at `limit` (not every pending row).
        async with self.conn.in_index_order("outbox", "outbox_sendable") as source:
            rows = await self.conn.fetch_all(
                f"""
                SELECT {READ_COLUMNS} FROM {source}
                WHERE {_SENDABLE}
                ORDER BY not_before, id LIMIT ?
                """
                + self.conn.for_update("outbox", skip_locked=True),
                (now, now, limit),
            )
        return await self._readable(rows)

    async def _readable(self, rows: list[Row]) -> list[OutboxRow]:
        """Rows read with READ_COLUMNS, opened. One this key cannot open (damaged, or sealed
        under another key) can never be sent: it is set aside as failed, or it would stop
        every pass, and with it everyone's messages."""
        opened, unreadable = [], []
        for r in rows:
            try:
                opened.append(_outbox_row(r, self.cipher))
            except Unreadable:
                unreadable.append(r["id"])
        for row_id in unreadable:
            log.error("outbox %s cannot be opened with the server key; set aside", row_id)
            await self.mark_failed(row_id, "Unreadable")
        return opened

    async def due_now(self, now: int) -> bool:
        """Whether any row is in flight or could be sent at `now`."""
        row = await self.conn.fetch_one(
            f"SELECT 1 FROM outbox WHERE (inflight = 1 AND status = 'pending') OR ({_SENDABLE}) "
            "LIMIT 1",
            (now, now),
        )
        return row is not None

    async def waiting_for(self, chat_id: int, now: int) -> bool:
        """Whether a direct reply to this chat is due by `now` and not sent yet (queued or in
        flight): one sent at once would overtake it. Other messages waiting for the chat are
        not asked about: what the person's own action queued waits for the reply anyway
        (Delivery.answering), and what waited for them (a notice kept while they had blocked
        the bot) comes after the reply to their coming back."""
        row = await self.conn.fetch_one(
            f"SELECT 1 FROM outbox WHERE chat_id = ? AND {PENDING_HERE} AND due_at <= ?"
            f" AND dedupe_key LIKE '{DIRECT}:%' LIMIT 1",
            (chat_id, now),
        )
        return row is not None

    async def in_flight_to(self, chat_id: int) -> bool:
        """Whether a send to this chat is in flight (some worker's, not yet recorded)."""
        row = await self.conn.fetch_one(
            f"SELECT 1 FROM outbox WHERE chat_id = ? AND inflight = 1 AND {PENDING_HERE} LIMIT 1",
            (chat_id,),
        )
        return row is not None

    async def claim(self, keys: list[str], now: int) -> list[OutboxRow]:
        """Mark these messages in flight if `ready` would pick them now, and return them.

        Sent straight after the unit commits (its hand-off) rather than at the delivery loop's
        next pass; what is not claimed (a later part of a long text) stays for the loop.
        """
        if not keys:
            return []
        if not self.lease.sending:
            # Another worker sends: its loop takes them, first in its line (as enqueue_first),
            # since someone is waiting to read them.
            marks = ", ".join("?" * len(keys))
            await self.conn.execute(
                f"UPDATE outbox SET not_before = 0 WHERE dedupe_key IN ({marks})"
                " AND status = 'pending' AND inflight = 0 AND not_before <= ?",
                (*keys, now),
            )
            return []
        rows = await self.conn.fetch_all(
            f"""
            UPDATE outbox SET {_TAKE}
            WHERE dedupe_key IN ({", ".join("?" * len(keys))}) AND {_SENDABLE}
            RETURNING {READ_COLUMNS}
            """,
            (self.lease.token, self.lease.until(now), *keys, now, now),
        )
        claimed = sorted(await self._readable(rows), key=lambda row: row.id)
        self.handoff.claimed.extend(claimed)
        return claimed

    async def next_due(self) -> int | None:
        row = await self.conn.fetch_one(
            "SELECT MIN(not_before) FROM outbox WHERE status = 'pending'"
        )
        return row[0] if row else None

    async def mark_sent(self, sent: list[tuple[int, ...]], now: int) -> None:
        """Record (row id, Telegram message id[, when Telegram accepted it]) as sent.

        The text is emptied once Telegram has it: the outbox is not an archive of what was said.
        A message quoting a round's question is remembered (a reply to it answers that round), and
        its reader now counts as having received the round.
        """
        if not sent:
            return
        # (row, Telegram message, when Telegram accepted it, now): Telegram's own date of the
        # message where known, the same clock as the date of a reply written a moment after it
        # arrived, before this record. Three statements for the whole batch, on either engine.
        rows = [(e[0], e[1], e[2] if len(e) > 2 else now, now) for e in sent]
        types = ("bigint", "bigint", "bigint", "bigint")
        if self.conn.engine == "postgres":
            # One statement, one trip to the server: at the paid cap the loop records a batch
            # every few milliseconds. Its parts see the same snapshot and touch different
            # tables, so together they do what the three below do one after the other.
            sql = _MARK_SENT_PG.replace("{mine}", self._mine_literal("outbox"))
            await bulk.run(self.conn, sql, rows, types)
            return
        await bulk.run(
            self.conn,
            """
            INSERT INTO round_messages (chat_id, message_id, round_id)
            SELECT o.chat_id, v.column2, o.round_id FROM {rows} JOIN outbox o ON o.id = v.column1
            WHERE o.round_id IS NOT NULL AND {mine_o}
            ON CONFLICT (chat_id, message_id) DO NOTHING
            """.replace("{mine_o}", self._mine_literal("o")),
            rows,
            types,
        )
        await bulk.run(
            self.conn,
            """
            UPDATE round_participants SET received_at = v.column3
            FROM {rows} JOIN outbox o ON o.id = v.column1
            WHERE round_participants.received_at IS NULL AND o.round_id IS NOT NULL
              AND {mine_o}
              AND round_participants.round_id = o.round_id
              AND round_participants.user_id = o.chat_id
            """.replace("{mine_o}", self._mine_literal("o")),
            rows,
            types,
        )
        await bulk.run(
            self.conn,
            """
            UPDATE outbox SET status = 'sent', sent_at = v.column4, text = '', media = NULL,
                attempts = attempts + 1, message_id = v.column2, inflight = 0
            FROM {rows} WHERE outbox.id = v.column1 AND {mine}
            """.replace("{mine}", self._mine_literal("outbox")),
            rows,
            types,
        )

    def _mine_literal(self, alias: str) -> str:
        """_MINE for a statement whose parameters are all rows (bulk.run): the token inline, a
        hex string this process made (never user input)."""
        token = self.lease.token
        if not token.isalnum():
            raise ValueError("a lease token is hex")
        return f"({alias}.lease_token IS NULL OR {alias}.lease_token = '{token}')"

    async def mark_inflight(self, row_ids: list[int], now: int | None = None) -> None:
        """Claim these rows (read by `ready`) under this worker's lease until `now` + its
        length (None: no end, for tests that hold a row by hand)."""
        until = None if now is None else self.lease.until(now)
        await bulk.where_in(
            self.conn,
            f"UPDATE outbox SET {_TAKE} WHERE id IN ({{ids}})",
            row_ids,
            (self.lease.token, until),
        )

    async def renew(self, now: int, let_go: Collection[int] = ()) -> int:
        """Extend the lease on every row this worker holds but those it `let_go` (no longer
        works on: their lease runs out, and the sender retries them as uncertain); how many."""
        spare = f" AND id NOT IN ({', '.join('?' * len(let_go))})" if let_go else ""
        # Rows another unit holds (being recorded as sent; checked just before their send,
        # which renews them itself) wait for the next renewal, a third of a lease away: waiting
        # for them while holding the rest is how a renewal and a record of sends, each taking
        # rows in its own order, deadlocked on PostgreSQL (bench.fanout, 10,000 couples).
        return await self.conn.execute(
            "UPDATE outbox SET lease_until = ? WHERE id IN (SELECT id FROM outbox "
            f"WHERE lease_token = ? AND inflight = 1 AND {PENDING_HERE}{spare}"
            f"{self.conn.for_update('outbox', skip_locked=True)})",
            (self.lease.until(now), self.lease.token, *let_go),
        )

    async def hold(self, row_id: int, now: int) -> bool:
        """Just before its send: whether this worker still holds the row (not withdrawn, not
        taken over by another worker after this one stalled), its lease renewed for the send.
        False: the send must not go out. With several workers, also that this worker is still
        the sender it was elected as: another elected since has taken the epoch on."""
        return row_id in await self.hold_many([row_id], now)

    async def hold_many(self, row_ids: list[int], now: int) -> set[int]:
        """`hold` for sends about to go out together, in one statement: those still held."""
        epoch, fence = self.lease.epoch, ""
        if epoch is not None:
            fence = "EXISTS (SELECT 1 FROM sender_epoch WHERE epoch = ?) AND "
        rows = await bulk.where_in(
            self.conn,
            f"UPDATE outbox SET lease_until = ? WHERE {fence}inflight = 1"
            f" AND status = 'pending' AND {_MINE} AND id IN ({{ids}}) RETURNING id",
            row_ids,
            (self.lease.until(now), *(() if epoch is None else (epoch,)), self.lease.token),
            fetch=True,
        )
        return {int(row[0]) for row in rows}

    async def take_sending(self) -> int:
        """Elected sender: the next epoch, now this worker's (see `hold`)."""
        row = await self.conn.fetch_one(
            "INSERT INTO sender_epoch (id, epoch) VALUES (1, 1)"
            " ON CONFLICT (id) DO UPDATE SET epoch = sender_epoch.epoch + 1 RETURNING epoch"
        )
        assert row is not None
        self.lease.epoch = int(row[0])
        return self.lease.epoch

    async def superseded(self) -> bool:
        """Whether another worker was elected sender after this one."""
        if self.lease.epoch is None:
            return False
        row = await self.conn.fetch_one("SELECT epoch FROM sender_epoch WHERE id = 1")
        return row is not None and int(row[0]) != self.lease.epoch

    async def release(self, row_ids: list[int]) -> None:
        """Sends that failed unexpectedly: back to pending; they may have arrived."""
        if not row_ids:
            return
        await self.conn.execute_many(
            "UPDATE outbox SET inflight = 0, uncertain = uncertain + 1 "
            f"WHERE id = ? AND inflight = 1 AND status = 'pending' AND {_MINE}",
            [(i, self.lease.token) for i in row_ids],
        )

    async def seal_stored(self, cipher: Cipher, *, media: bool = True) -> int:
        """Seal the texts (and files) still waiting in the clear (queued before encryption at
        rest): once, when a database first meets its key. How many. `media`: False for a backup
        from before files were queued (0017), which has no media column."""
        rows = await self.conn.fetch_all("SELECT id, text FROM outbox WHERE text <> ''")
        await self.conn.execute_many(
            "UPDATE outbox SET text = ? WHERE id = ?",
            [(cipher.seal(r["text"], "outbox"), r["id"]) for r in rows],
        )
        if not media:
            return len(rows)
        files = await self.conn.fetch_all("SELECT id, media FROM outbox WHERE media IS NOT NULL")
        await self.conn.execute_many(
            "UPDATE outbox SET media = ? WHERE id = ?",
            [(cipher.seal(r["media"], MEDIA_SEAL), r["id"]) for r in files],
        )
        return len(rows) + len(files)

    async def announced(self, row_id: int) -> None:
        """The neutral line for this row went out: the row waits for its chat's next turn,
        certainly unsent, and then goes silently. So does whatever else waits for that chat
        already (a long reveal's later parts, a notice queued with it): one neutral line
        announces them all, not one before each."""
        row = await self.conn.fetch_one(
            f"SELECT chat_id, due_at FROM outbox WHERE id = ? AND status = 'pending' AND {_MINE}",
            (row_id, self.lease.token),
        )
        if row is None:
            return  # withdrawn meanwhile (an erasure), or another worker took it over
        await self.conn.execute(
            "UPDATE outbox SET announced = 1, inflight = CASE WHEN id = ? THEN 0 ELSE inflight END "
            f"WHERE chat_id = ? AND {PENDING_HERE} AND due_at <= ?",
            (row_id, row["chat_id"], row["due_at"]),
        )

    async def put_back(self, row_ids: list[int], *, first: bool = False) -> None:
        """Claimed rows a stop kept from sending: pending again, certainly unsent. `first`:
        someone is waiting for them, so first in the loop's line (see enqueue_first)."""
        line = ", not_before = 0" if first else ""
        await bulk.where_in(
            self.conn,
            f"UPDATE outbox SET inflight = 0{line} "
            f"WHERE status = 'pending' AND {_MINE} AND id IN ({{ids}})",
            row_ids,
            (self.lease.token,),
        )

    async def recover_inflight(self, now: int | None = None) -> int:
        """Sends cut short by a crash: they may have arrived, so their retry counts as uncertain.

        `now`: only those whose lease ran out by then (several workers: a row another live
        worker holds is its business, and goes out once); None: all (one worker, SQLite)."""
        expired = "" if now is None else " AND (lease_until IS NULL OR lease_until < ?)"
        changed = await self.conn.execute(
            "UPDATE outbox SET inflight = 0, uncertain = uncertain + 1 "
            f"WHERE inflight = 1 AND {PENDING_HERE}" + expired,
            () if now is None else (now,),
        )
        return changed

    async def restore_prompt(self, key: str, due: int) -> bool:
        """Queue again a check-in prompt that was withdrawn (a pause undone): rendered from its
        prompt id when it goes, so its emptied text does not matter. Whether it was."""
        changed = await self.conn.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, due_at = ? "
            "WHERE dedupe_key = ? AND status = 'cancelled' AND prompt_id IS NOT NULL",
            (due, due, key),
        )
        self.handoff.queued += int(changed > 0)
        return changed > 0

    async def enqueue_again(self, message: Outgoing, now: int) -> bool:
        """Queue a message under a key that may have been withdrawn (cancelled) before: back
        to pending with these words and time, or new if it never was. False when it is
        pending or was sent already."""
        row = _row(message, now, self.cipher)
        changed = await self.conn.execute(
            "UPDATE outbox SET status = 'pending', text = ?, reply_markup = ?, not_before = ?,"
            " due_at = ? WHERE dedupe_key = ? AND status = 'cancelled'",
            (row[2], row[3], row[5], row[6], message.dedupe_key),
        )
        if changed:
            self.handoff.queued += 1
            return True
        return await self.enqueue(message, now)

    async def rewrite_waiting(self, message: Outgoing) -> bool:
        """New words and buttons for a message still waiting (not sent, not in flight), by
        its key: the same message, in the reader's language of now. Whether it was."""
        changed = await self.conn.execute(
            "UPDATE outbox SET text = ?, reply_markup = ? "
            "WHERE dedupe_key = ? AND status = 'pending' AND inflight = 0",
            (self.cipher.seal(message.text, "outbox"), _markup(message), message.dedupe_key),
        )
        self.handoff.queued += int(changed > 0)  # what waits changed: delivery looks again
        return changed > 0

    async def move_waiting(self, key: str, also: list[str], due: int) -> bool:
        """Send the message `key` (and those `also` queued beside it) at `due` instead, if it
        still waits: not sent, not in flight. Whether it did."""
        moved = await self.conn.execute(
            "UPDATE outbox SET not_before = ?, due_at = ? "
            "WHERE dedupe_key = ? AND status = 'pending' AND inflight = 0",
            (due, due, key),
        )
        if moved:
            self.handoff.queued += 1  # what waits changed: delivery looks again
            await self.conn.execute_many(
                "UPDATE outbox SET not_before = ?, due_at = ? "
                "WHERE dedupe_key = ? AND status = 'pending' AND inflight = 0",
                [(due, due, other) for other in also],
            )
        return moved > 0

    async def cancel_round_news(self, round_id: int, user_ids: Iterable[int]) -> None:
        """Withdraw what is still queued about a round for these people: its question, the
        news that the partner answered, a reminder."""
        await self.cancel_pending(
            [
                dedupe_key(kind, round_id, user_id)
                for user_id in user_ids
                for kind in ("prompt", "waiting", "remind")
            ]
        )

    async def cancel_pending(self, keys: list[str]) -> None:
        """Withdraw these messages if they are not sent yet."""
        await self.conn.execute_many(
            "UPDATE outbox SET status = 'cancelled', text = '', media = NULL "
            "WHERE dedupe_key = ? AND status = 'pending'",
            [(key,) for key in keys],
        )

    async def cancel_for_couple(self, couple_id: int, keep_prefix: str) -> int:
        """The couple ended: withdraw everything still queued for it except keys starting with
        `keep_prefix` (reveals both had earned). A send already in flight still completes."""
        changed = await self.conn.execute(
            "UPDATE outbox SET status = 'cancelled', text = '', media = NULL "
            "WHERE couple_id = ? AND status = 'pending' AND dedupe_key NOT LIKE ?",
            (couple_id, keep_prefix.replace("%", "") + "%"),
        )
        return changed

    async def cancel_kind_for(self, chat_ids: list[int], kind: str) -> None:
        """Withdraw the messages of this kind still waiting for these people (not in flight)."""
        await bulk.where_in(
            self.conn,
            "UPDATE outbox SET status = 'cancelled', text = '', media = NULL "
            f"WHERE dedupe_key LIKE ? AND {PENDING_HERE} AND inflight = 0 "
            "AND chat_id IN ({ids})",
            chat_ids,
            (dedupe_key(kind.replace("%", ""), "%"),),
        )

    async def retry_later(
        self, row_id: int, not_before: int, error: str, *, counts: bool, uncertain: bool
    ) -> None:
        await self.conn.execute(
            """
            UPDATE outbox SET not_before = ?, last_error = ?, attempts = attempts + ?,
                uncertain = uncertain + ?, inflight = 0
            WHERE id = ? AND {_MINE}
            """.replace("{_MINE}", _MINE),
            (not_before, error, int(counts), int(uncertain), row_id, self.lease.token),
        )

    async def mark_failed(self, row_id: int, error: str) -> str | None:
        """A row Telegram refused for good: kept on record without its words. Its dedupe key,
        or None when it is no longer this worker's."""
        row = await self.conn.fetch_one(
            "UPDATE outbox SET status = 'failed', text = '', media = NULL, last_error = ?, "
            f"attempts = attempts + 1, inflight = 0 WHERE id = ? AND {_MINE} RETURNING dedupe_key",
            (error, row_id, self.lease.token),
        )
        return row[0] if row is not None else None

    async def counts(self) -> dict[str, int]:
        rows = await self.conn.fetch_all("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {r[0]: r[1] for r in rows}

    async def expire_unreachable(self, due_before: int, limit: int) -> list[int]:
        """Drop up to `limit` messages meant before `due_before` for people who blocked the bot:
        status 'expired', text emptied. The chat of each, one entry per message."""
        rows = await self.conn.fetch_all(
            """
            UPDATE outbox SET status = 'expired', text = '', media = NULL, reply_markup = NULL
            WHERE id IN (
                SELECT o.id FROM outbox o JOIN users u ON u.id = o.chat_id
                WHERE u.reachable = 0 AND o.status = 'pending' AND o.inflight = 0
                  AND o.due_at <= ?
                ORDER BY o.id LIMIT ?
            )
            RETURNING chat_id
            """,
            (due_before, limit),
        )
        return [r[0] for r in rows]

    async def purge_finished(
        self, done_before: int, expired_due_before: int, limit: int
    ) -> list[int]:
        """Delete up to `limit` rows finished before `done_before` (sent then; cancelled or failed
        and due then), and expired rows due before `expired_due_before`; their ids. Nothing reads
        a finished row: a reply finds its round in round_messages."""
        rows = await self.conn.fetch_all(
            """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox
                WHERE (status = 'sent' AND sent_at <= ?)
                   OR (status IN ('cancelled', 'failed') AND due_at <= ?)
                   OR (status = 'expired' AND due_at <= ?)
                LIMIT ?
            )
            RETURNING id
            """,
            (done_before, done_before, expired_due_before, limit),
        )
        return [r[0] for r in rows]
