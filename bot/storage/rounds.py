"""Check-in rounds, their answers, and the prompts a couple has had."""

from __future__ import annotations

from dataclasses import dataclass

from bot.crypto import Cipher
from bot.storage import bulk
from bot.storage.engine import Conn, from_row
from bot.storage.outbox import PENDING_HERE


@dataclass(frozen=True)
class Round:
    id: int
    couple_id: int
    prompt_id: str
    category: str
    status: str
    opened_at: int
    closes_at: int
    remind_at: int | None
    kind: str = "checkin"
    step: int | None = None
    break_id: int | None = None
    subject_id: int | None = None  # an ask's promise, agreement or journey (bot.asks)


@dataclass(frozen=True)
class Answer:
    user_id: int
    text: str
    message_id: int | None
    updated_at: int = 0
    last_part_len: int = 0  # characters of its latest message (a long one may go on)
    choice: str | None = None  # an ask with options: the one chosen; `text` is then a word
    # When its latest message was written (Telegram's date; None before 0025: updated_at).
    # Moving, editing or choosing beside it leaves it be: only a new message is a new part.
    last_part_at: int | None = None

    @property
    def part_written(self) -> int:
        return self.updated_at if self.last_part_at is None else self.last_part_at


_COLUMN_NAMES = (
    "id",
    "couple_id",
    "prompt_id",
    "category",
    "status",
    "opened_at",
    "closes_at",
    "remind_at",
    "kind",
    "step",
    "break_id",
    "subject_id",
)
_ROUND_COLUMNS = ", ".join(_COLUMN_NAMES)
_R_COLUMNS = ", ".join(f"r.{name}" for name in _COLUMN_NAMES)  # in a join, as `rounds r`
# The round whose answer (or a part of it) was Telegram message ? of user ?, given twice.
_ANSWERED_MESSAGE = """COALESCE(
    (SELECT d.round_id FROM answers d WHERE d.user_id = ? AND d.message_id = ?),
    (SELECT d.round_id FROM answer_parts d WHERE d.user_id = ? AND d.message_id = ?))"""


@dataclass(frozen=True)
class Candidate:
    """An open round as an incoming answer sees it."""

    round: Round
    received: bool  # Telegram accepted a message quoting its question to this person
    answers: dict[int, Answer]
    received_at: int | None = None  # when it did
    # A message quoting it is on its way to this person right now (sending, or sent and not
    # yet recorded): whether they have it is not known yet.
    in_flight: bool = False
    # Its window had not ended at the moment asked about. One that has is closed, though the
    # tick that closes it (every 20 s, and beside the backlog after a restart) may not have
    # run yet: a message from then answers nothing, but may still be a long answer's next part.
    open: bool = True


class Rounds:
    """Rounds, their participants, answers and prompt rotation."""

    def __init__(self, conn: Conn, cipher: Cipher) -> None:
        self.conn = conn
        self.cipher = cipher  # answers and their parts are stored sealed

    async def open_for(self, couple_id: int, kind: str = "checkin") -> Round | None:
        row = await self.conn.fetch_one(
            f"SELECT {_ROUND_COLUMNS} FROM rounds "
            "WHERE couple_id = ? AND kind = ? AND status = 'open'",
            (couple_id, kind),
        )
        return from_row(Round, row) if row else None

    async def step_exists(self, break_id: int, step: int) -> bool:
        row = await self.conn.fetch_one(
            "SELECT 1 FROM rounds WHERE break_id = ? AND step = ?", (break_id, step)
        )
        return row is not None

    async def open_rounds(self, couple_id: int) -> list[Round]:
        """All open rounds of a couple, newest first."""
        rows = await self.conn.fetch_all(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE couple_id = ? AND status = 'open' "
            "ORDER BY id DESC",
            (couple_id,),
        )
        return [from_row(Round, r) for r in rows]

    async def open_for_answer(
        self, user_id: int, message_id: int | None, at: int
    ) -> tuple[list[Candidate], int | None]:
        """What an incoming answer needs, in one trip to the database thread: the open rounds of
        this person's active couple, newest first, each with whether this person has received
        it, the answers so far and whether its window was still open at `at`; and the round
        this very message already answered, if any (a redelivered update). With no open round,
        that last part is None: ask `answered_message`."""
        rows = await self.conn.fetch_all(
            f"""
            SELECT {_R_COLUMNS}, p.received_at, a.user_id AS answer_by, a.text,
                a.message_id, a.updated_at, a.last_part_len, a.choice, a.last_part_at,
                {_ANSWERED_MESSAGE} AS already,
                CASE WHEN p.received_at IS NULL AND EXISTS (
                    SELECT 1 FROM outbox o WHERE o.chat_id = ? AND o.{PENDING_HERE}
                    AND o.inflight = 1 AND o.round_id = r.id
                ) THEN 1 ELSE 0 END AS in_flight,
                CASE WHEN r.closes_at > ? THEN 1 ELSE 0 END AS open_then
            FROM rounds r
            LEFT JOIN round_participants p ON p.round_id = r.id AND p.user_id = ?
            LEFT JOIN answers a ON a.round_id = r.id
            WHERE r.status = 'open' AND r.couple_id = (
                SELECT mine.couple_id FROM couple_members mine
                JOIN couples c ON c.id = mine.couple_id AND c.ended_at IS NULL
                WHERE mine.user_id = ? AND mine.left_at IS NULL
            )
            ORDER BY r.id DESC
            """,
            (user_id, message_id, user_id, message_id, user_id, at, user_id, user_id),
        )
        found: dict[int, Candidate] = {}  # insertion order: newest first
        for row in rows:
            current = found.get(row["id"])
            if current is None:
                received_at = row["received_at"]
                current = found[row["id"]] = Candidate(
                    from_row(Round, row),
                    received_at is not None,
                    {},
                    received_at,
                    bool(row["in_flight"]),
                    bool(row["open_then"]),
                )
            if row["answer_by"] is not None:
                answer = self._answer(row, row["answer_by"])
                current.answers[answer.user_id] = answer
        return list(found.values()), rows[0]["already"] if rows else None

    async def add_participants(self, round_id: int, prompt_due: dict[int, int]) -> None:
        """Both partners of a new round, each with the moment their prompt is meant to go out."""
        await self.conn.execute_many(
            "INSERT INTO round_participants (round_id, user_id, prompt_due) VALUES (?, ?, ?)",
            [(round_id, user_id, due) for user_id, due in prompt_due.items()],
        )

    async def participants(self, round_id: int) -> dict[int, tuple[int, int | None]]:
        """{person: (prompt due, received at or None)} for a round."""
        rows = await self.conn.fetch_all(
            "SELECT user_id, prompt_due, received_at FROM round_participants WHERE round_id = ?",
            (round_id,),
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    async def record_quote(self, round_id: int, chat_id: int, message_id: int, now: int) -> None:
        """A message quoting the round's question reached `chat_id` directly (not by outbox)."""
        await self.conn.execute(
            "INSERT INTO round_messages (chat_id, message_id, round_id) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, message_id) DO NOTHING",
            (chat_id, message_id, round_id),
        )
        await self.conn.execute(
            "UPDATE round_participants SET received_at = ? "
            "WHERE round_id = ? AND user_id = ? AND received_at IS NULL",
            (now, round_id, chat_id),
        )

    async def round_of_message(self, chat_id: int, message_id: int) -> int | None:
        """The round a message Steady sent to this chat quotes, if any."""
        row = await self.conn.fetch_one(
            "SELECT round_id FROM round_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return row[0] if row else None

    async def get(self, round_id: int) -> Round | None:
        row = await self.conn.fetch_one(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,)
        )
        return from_row(Round, row) if row else None

    async def create(
        self,
        couple_id: int,
        prompt_id: str,
        category: str,
        now: int,
        closes_at: int,
        remind_at: int | None,
        slot: str | None = None,
        *,
        kind: str = "checkin",
        step: int | None = None,
        break_id: int | None = None,
        subject_id: int | None = None,
    ) -> int:
        return await self.conn.fetch_value(
            """
            INSERT INTO rounds (couple_id, prompt_id, category, opened_at, closes_at, remind_at,
                                slot, kind, step, break_id, subject_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id
            """,
            (
                couple_id, prompt_id, category, now, closes_at, remind_at, slot, kind, step,
                break_id, subject_id,
            ),
        )  # fmt: skip

    async def finish(self, round_id: int, status: str, now: int) -> bool:
        """Move an open round to `status`; False when it was no longer open."""
        changed = await self.conn.execute(
            """
            UPDATE rounds SET status = ?, finished_at = ?, remind_at = NULL, reveal_at = NULL
            WHERE id = ? AND status = 'open'
            """,
            (status, now, round_id),
        )
        return changed > 0

    async def cancel_open(self, couple_id: int, now: int) -> None:
        """The couple ended: its open rounds close; unmatched answers are deleted unread."""
        for table in ("answer_parts", "answers"):
            await self.conn.execute(
                f"DELETE FROM {table} WHERE round_id IN "
                "(SELECT id FROM rounds WHERE couple_id = ? AND status = 'open')",
                (couple_id,),
            )
        await self.conn.execute(
            "UPDATE rounds SET status = 'cancelled', finished_at = ?, remind_at = NULL "
            "WHERE couple_id = ? AND status = 'open'",
            (now, couple_id),
        )

    async def answers(self, round_id: int) -> dict[int, Answer]:
        rows = await self.conn.fetch_all(
            "SELECT user_id, text, message_id, updated_at, last_part_len, choice, last_part_at "
            "FROM answers "
            "WHERE round_id = ?",
            (round_id,),
        )
        return {r["user_id"]: self._answer(r, r["user_id"]) for r in rows}

    def _answer(self, row: object, user_id: int) -> Answer:
        choice = row["choice"]  # type: ignore[index]
        return from_row(
            Answer,
            row,  # type: ignore[arg-type]
            user_id=user_id,
            text=self.cipher.open(row["text"], "answers"),  # type: ignore[index]
            choice=None if choice is None else self.cipher.open(choice, "answers.choice"),
        )

    async def save_choice(self, round_id: int, user_id: int, choice: str, now: int) -> None:
        """Store the option a person chose (or change it), keeping any word they wrote."""
        await self.conn.execute(
            """
            INSERT INTO answers
                (round_id, user_id, text, message_id, answered_at, updated_at, choice)
            VALUES (?, ?, ?, NULL, ?, ?, ?)
            ON CONFLICT (round_id, user_id) DO UPDATE
            SET choice = excluded.choice, updated_at = excluded.updated_at
            """,
            (
                round_id,
                user_id,
                self.cipher.seal("", "answers"),
                now,
                now,
                self.cipher.seal(choice, "answers.choice"),
            ),
        )

    async def save_answer(
        self,
        round_id: int,
        user_id: int,
        text: str,
        message_id: int | None,
        now: int,
        last_part_len: int | None = None,
        last_part_at: int | None = None,
    ) -> None:
        """Store an answer, or replace this person's earlier one (keeping when it was first given).

        `last_part_len`: the length of the message that brought it (default: the whole text);
        `last_part_at`: when that message was written (default: now)."""
        await self.conn.execute(
            """
            INSERT INTO answers (round_id, user_id, text, message_id, answered_at, updated_at,
                last_part_len, last_part_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (round_id, user_id) DO UPDATE
            SET text = excluded.text, message_id = excluded.message_id,
                updated_at = excluded.updated_at, last_part_len = excluded.last_part_len,
                last_part_at = excluded.last_part_at
            """,
            (
                round_id,
                user_id,
                self.cipher.seal(text, "answers"),
                message_id,
                now,
                now,
                len(text) if last_part_len is None else last_part_len,
                now if last_part_at is None else last_part_at,
            ),
        )

    async def answer_parts(self, round_id: int, user_id: int) -> list[tuple[int | None, str]]:
        """(message id, text) of each part of a long answer, in order; empty for one message."""
        rows = await self.conn.fetch_all(
            "SELECT message_id, text FROM answer_parts WHERE round_id = ? AND user_id = ? "
            "ORDER BY part",
            (round_id, user_id),
        )
        return [(r[0], self.cipher.open(r[1], "answer_parts")) for r in rows]

    async def set_answer_parts(
        self, round_id: int, user_id: int, parts: list[tuple[int | None, str]]
    ) -> None:
        """Replace the parts kept for an answer (none: a one-message answer)."""
        await self.conn.execute(
            "DELETE FROM answer_parts WHERE round_id = ? AND user_id = ?", (round_id, user_id)
        )
        await self.conn.execute_many(
            "INSERT INTO answer_parts (round_id, user_id, part, message_id, text) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (round_id, user_id, i, mid, self.cipher.seal(text, "answer_parts"))
                for i, (mid, text) in enumerate(parts)
            ],
        )

    async def seal_stored(self, cipher: Cipher, *, choices: bool = True) -> int:
        """Seal every answer and part stored in the clear (before encryption at rest, or by a
        tool without the key): once, when a database first meets its key. How many.
        `choices`: False for a backup from before asks, which has no choice column."""
        sealed = 0
        for table, key in (
            ("answers", "round_id, user_id"),
            ("answer_parts", "round_id, user_id, part"),
        ):
            rows = await self.conn.fetch_all(f"SELECT {key}, text FROM {table}")
            names = key.split(", ")
            where = " AND ".join(f"{name} = ?" for name in names)
            await self.conn.execute_many(
                f"UPDATE {table} SET text = ? WHERE {where}",
                [(cipher.seal(r["text"], table), *(r[n] for n in names)) for r in rows],
            )
            sealed += len(rows)
        if not choices:
            return sealed
        chosen = await self.conn.fetch_all(
            "SELECT round_id, user_id, choice FROM answers WHERE choice IS NOT NULL"
        )
        await self.conn.execute_many(
            "UPDATE answers SET choice = ? WHERE round_id = ? AND user_id = ?",
            [(cipher.seal(r[2], "answers.choice"), r[0], r[1]) for r in chosen],
        )
        return sealed

    async def withdraw(self, round_id: int, user_ids: list[int], now: int) -> None:
        """These people's question withdrawn before it reached them (a pause)."""
        await self.conn.execute_many(
            "UPDATE round_participants SET withdrawn_at = ? "
            "WHERE round_id = ? AND user_id = ? AND received_at IS NULL",
            [(now, round_id, user_id) for user_id in user_ids],
        )

    async def withdrawn(self, round_id: int) -> set[int]:
        """Who has this round's question withdrawn (and not restored)."""
        rows = await self.conn.fetch_all(
            "SELECT user_id FROM round_participants "
            "WHERE round_id = ? AND withdrawn_at IS NOT NULL",
            (round_id,),
        )
        return {row[0] for row in rows}

    async def restore(self, round_id: int) -> None:
        """Check-ins back on: the withdrawn questions are these people's again."""
        await self.conn.execute(
            "UPDATE round_participants SET withdrawn_at = NULL WHERE round_id = ?", (round_id,)
        )

    async def move_prompt(
        self, round_id: int, user_id: int, due: int, closes_at: int, remind_at: int | None
    ) -> None:
        """A participant's prompt moved to `due` (a new zone), and the round's window with it."""
        await self.conn.execute(
            "UPDATE round_participants SET prompt_due = ? WHERE round_id = ? AND user_id = ?",
            (due, round_id, user_id),
        )
        await self.conn.execute(
            "UPDATE rounds SET closes_at = ?, remind_at = ? WHERE id = ? AND status = 'open'",
            (closes_at, remind_at, round_id),
        )

    async def set_reveal_at(self, round_id: int, at: int | None) -> None:
        await self.conn.execute("UPDATE rounds SET reveal_at = ? WHERE id = ?", (at, round_id))

    async def _due(
        self, condition: str, params: tuple[object, ...], order: str, limit: int
    ) -> list[Round]:
        """Open rounds due by `condition` (with its `params`), claimed for this unit with
        their couples.

        A person's use case of the couple holds the couple (Couples.active_for with lock): a
        round it holds is left for the next tick rather than decided on what it is writing.
        Two ticks take different rounds, and the round as returned is its latest version."""
        rows = await self.conn.fetch_all(
            f"""
            SELECT {_R_COLUMNS} FROM rounds r JOIN couples c ON c.id = r.couple_id
            WHERE r.status = 'open' AND {condition}
            ORDER BY {order}, r.id LIMIT ?
            """
            + self.conn.for_update("r", "c", skip_locked=True),
            (*params, limit),
        )
        return [from_row(Round, r) for r in rows]

    async def due_to_reveal(self, now: int, limit: int) -> list[Round]:
        return await self._due(
            "r.reveal_at IS NOT NULL AND r.reveal_at <= ?", (now,), "r.reveal_at", limit
        )

    async def delete_answers(self, round_id: int) -> None:
        await self.conn.execute("DELETE FROM answer_parts WHERE round_id = ?", (round_id,))
        await self.conn.execute("DELETE FROM answers WHERE round_id = ?", (round_id,))

    async def answered_message(self, user_id: int, message_id: int) -> int | None:
        """The round whose answer was Telegram message `message_id` of this user."""
        row = await self.conn.fetch_one(
            f"SELECT {_ANSWERED_MESSAGE}", (user_id, message_id, user_id, message_id)
        )
        return row[0] if row else None

    async def due_to_close(self, now: int, limit: int) -> list[Round]:
        return await self._due("r.closes_at <= ?", (now,), "r.closes_at", limit)

    async def due_to_remind(self, now: int, limit: int) -> list[Round]:
        # Not once its window ended (after downtime, before the close): "a few hours left"
        # and then "it closed" at once.
        return await self._due(
            "r.remind_at IS NOT NULL AND r.remind_at <= ? AND r.closes_at > ?",
            (now, now),
            "r.remind_at",
            limit,
        )

    async def clear_reminder(self, round_id: int) -> None:
        await self.conn.execute("UPDATE rounds SET remind_at = NULL WHERE id = ?", (round_id,))

    async def revealed_page(self, couple_id: int, before_id: int | None, limit: int) -> list[Round]:
        """Revealed rounds of a couple, newest first, older than `before_id`."""
        rows = await self.conn.fetch_all(
            f"""
            SELECT {_ROUND_COLUMNS} FROM rounds
            WHERE couple_id = ? AND status = 'revealed' AND kind <> 'repair' AND id < ?
              AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = rounds.id)  -- still kept
            ORDER BY id DESC LIMIT ?
            """,
            (couple_id, before_id if before_id is not None else 2**62, limit),
        )
        return [from_row(Round, r) for r in rows]

    async def used_prompts(self, couple_id: int) -> set[str]:
        rows = await self.conn.fetch_all(
            "SELECT prompt_id FROM couple_prompts WHERE couple_id = ?", (couple_id,)
        )
        return {r[0] for r in rows}

    async def last_category(self, couple_id: int) -> str | None:
        row = await self.conn.fetch_one(
            "SELECT category FROM rounds WHERE couple_id = ? AND kind = 'checkin' "
            "ORDER BY id DESC LIMIT 1",
            (couple_id,),
        )
        return row[0] if row else None

    async def forget_prompts(self, couple_id: int) -> None:
        """A new pass through the library: every prompt may come again."""
        await self.conn.execute("DELETE FROM couple_prompts WHERE couple_id = ?", (couple_id,))

    async def record_prompt(self, couple_id: int, prompt_id: str, now: int) -> None:
        await self.conn.execute(
            "INSERT INTO couple_prompts (couple_id, prompt_id, used_at) VALUES (?, ?, ?)",
            (couple_id, prompt_id, now),
        )

    async def round_options(self, couple_id: int) -> tuple[int, int | None]:
        """(window, reminder_before) in seconds for a couple."""
        row = await self.conn.fetch_one(
            "SELECT round_window, reminder_before FROM couples WHERE id = ?",
            (couple_id,),
        )
        assert row is not None
        return row[0], row[1]

    async def set_round_options(
        self, couple_id: int, window: int, reminder_before: int | None
    ) -> None:
        await self.conn.execute(
            "UPDATE couples SET round_window = ?, reminder_before = ? WHERE id = ?",
            (window, reminder_before, couple_id),
        )

    async def delete_answer(self, round_id: int, user_id: int) -> None:
        await self.conn.execute(
            "DELETE FROM answer_parts WHERE round_id = ? AND user_id = ?", (round_id, user_id)
        )
        await self.conn.execute(
            "DELETE FROM answers WHERE round_id = ? AND user_id = ?", (round_id, user_id)
        )

    # --- many couples at once (due work) ---------------------------------------------------

    async def create_many(self, new: list[tuple]) -> dict[int, int]:
        """Check-in rounds from (couple, prompt, category, opened_at, closes_at, remind_at, slot)
        rows, one per couple; {couple: round id}."""
        rows = await bulk.run(
            self.conn,
            "INSERT INTO rounds (couple_id, prompt_id, category, opened_at, closes_at, remind_at,"
            " slot) SELECT * FROM {rows} WHERE true RETURNING id, couple_id",
            new,
            ("bigint", "text", "text", "bigint", "bigint", "bigint", "text"),
            fetch=True,
        )
        return {r[1]: r[0] for r in rows}

    async def add_participants_many(self, rows: list[tuple[int, int, int]]) -> None:
        """(round, person, prompt due) rows."""
        await bulk.run(
            self.conn,
            "INSERT INTO round_participants (round_id, user_id, prompt_due)"
            " SELECT * FROM {rows} WHERE true",
            rows,
            ("bigint", "bigint", "bigint"),
        )

    async def used_prompts_many(self, couple_ids: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for r in await bulk.where_in(
            self.conn,
            "SELECT couple_id, prompt_id FROM couple_prompts WHERE couple_id IN ({ids})",
            couple_ids,
            fetch=True,
        ):
            found.setdefault(r[0], set()).add(r[1])
        return found

    async def forget_prompts_many(self, couple_ids: list[int]) -> None:
        await bulk.where_in(
            self.conn, "DELETE FROM couple_prompts WHERE couple_id IN ({ids})", couple_ids
        )

    async def record_round_prompts(self, round_ids: list[int]) -> None:
        """The prompt of each of these new rounds, used when the round opened."""
        await bulk.where_in(
            self.conn,
            "INSERT INTO couple_prompts (couple_id, prompt_id, used_at)"
            " SELECT couple_id, prompt_id, opened_at FROM rounds WHERE id IN ({ids})",
            round_ids,
        )

    async def expire_many(self, round_ids: list[int], now: int) -> list[int]:
        """Move these rounds from open to expired and delete their answers unread; the ids
        that were still open."""
        rows = await bulk.where_in(
            self.conn,
            "UPDATE rounds SET status = 'expired', finished_at = ?, remind_at = NULL,"
            " reveal_at = NULL WHERE id IN ({ids}) AND status = 'open' RETURNING id",
            round_ids,
            (now,),
            fetch=True,
        )
        done = [r[0] for r in rows]
        for table in ("answer_parts", "answers"):
            await bulk.where_in(self.conn, f"DELETE FROM {table} WHERE round_id IN ({{ids}})", done)
        return done

    async def participants_many(self, round_ids: list[int]) -> dict[int, dict[int, int | None]]:
        """{round: {person: received at or None}}."""
        found: dict[int, dict[int, int | None]] = {}
        for r in await bulk.where_in(
            self.conn,
            "SELECT round_id, user_id, received_at FROM round_participants"
            " WHERE round_id IN ({ids})",
            round_ids,
            fetch=True,
        ):
            found.setdefault(r[0], {})[r[1]] = r[2]
        return found
