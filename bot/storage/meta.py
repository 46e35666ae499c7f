"""Facts about the database itself, by name."""

from __future__ import annotations

from bot.storage.engine import Conn


class Meta:
    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, name: str) -> str | None:
        return await self.conn.fetch_value("SELECT value FROM meta WHERE name = ?", (name,))

    async def claim(self, name: str, value: str) -> bool:
        """Set `name` unless it is set; False when it was. Two processes starting together:
        the second waits for the first's commit, then finds the value set."""
        changed = await self.conn.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, value),
        )
        return changed > 0
