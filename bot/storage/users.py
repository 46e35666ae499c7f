"""Users: Telegram people who have talked to Steady."""

from __future__ import annotations

from bot.models import Person
from bot.storage.engine import Conn


class Users:
    """People: their names, languages, and whether Telegram reaches them."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def upsert(self, person: Person, now: int) -> None:
        """Record or refresh a user; talking to the bot means they can be reached again. Their
        language follows their Telegram app until they choose one with /language."""
        await self.conn.execute(
            """
            INSERT INTO users (id, first_name, language, reachable, created_at, updated_at)
            VALUES (?, ?, ?, 1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                first_name = excluded.first_name,
                language = CASE WHEN users.language_chosen = 1
                    THEN users.language ELSE excluded.language END,
                reachable = 1,
                updated_at = excluded.updated_at
            """,
            (person.id, person.first_name, person.language, now, now),
        )

    async def lock(self, user_ids: list[int]) -> None:
        """Hold these people's rows until the unit ends (those that exist), always in id
        order, so two units that lock the same two people wait for each other and never
        deadlock. Pairing decides on both people's couples before writing either. Rows that
        refer to these people may still be written meanwhile: the tick, holding their couple,
        adds them to a round, so a full row lock here would be a deadlock with it."""
        ids = sorted(set(user_ids))
        await self.conn.fetch_all(
            f"SELECT id FROM users u WHERE id IN ({', '.join('?' * len(ids))}) ORDER BY id"
            + self.conn.for_update("u", no_key=True),
            ids,
        )

    async def get(self, user_id: int) -> Person | None:
        row = await self.conn.fetch_one(
            "SELECT id, first_name, language, reachable FROM users WHERE id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return Person(row["id"], row["first_name"], row["language"], bool(row["reachable"]))

    async def choose_language(self, user_id: int, language: str, chosen: bool, now: int) -> None:
        """Speak `language` with them: chosen (kept until they choose again), or their Telegram
        app's (followed from now on)."""
        await self.conn.execute(
            "UPDATE users SET language = ?, language_chosen = ?, updated_at = ? WHERE id = ?",
            (language, int(chosen), now, user_id),
        )

    async def chosen_language(self, user_id: int) -> str | None:
        """The language they chose with /language, if they did."""
        row = await self.conn.fetch_one(
            "SELECT language FROM users WHERE id = ? AND language_chosen = 1", (user_id,)
        )
        return None if row is None else row["language"]

    async def set_reachable(self, user_id: int, reachable: bool, now: int) -> bool:
        """Set reachability; True when it changed."""
        changed = await self.conn.execute(
            "UPDATE users SET reachable = ?, updated_at = ? WHERE id = ? AND reachable != ?",
            (int(reachable), now, user_id, int(reachable)),
        )
        return changed > 0

    async def count_expired(self, user_id: int, messages: int) -> None:
        """Note messages that expired unsent while they were unreachable, to tell them on return."""
        await self.conn.execute(
            "UPDATE users SET expired_unseen = expired_unseen + ? WHERE id = ?", (messages, user_id)
        )

    async def returned_with_expired(self, limit: int) -> list[Person]:
        """People reachable again who have not yet been told that messages expired meanwhile."""
        rows = await self.conn.fetch_all(
            "SELECT id, first_name, language, reachable FROM users "
            "WHERE expired_unseen > 0 AND reachable = 1 ORDER BY id LIMIT ?",
            (limit,),
        )
        return [Person(r["id"], r["first_name"], r["language"], True) for r in rows]

    async def clear_expired(self, user_id: int) -> bool:
        """Note they were told; False when that was noted meanwhile (another process told
        them: the row count decides who does)."""
        changed = await self.conn.execute(
            "UPDATE users SET expired_unseen = 0 WHERE id = ? AND expired_unseen > 0", (user_id,)
        )
        return changed > 0
