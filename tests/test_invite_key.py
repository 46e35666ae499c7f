"""Invite codes are stored as an HMAC under a server key that is not in the database."""

from __future__ import annotations

import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot import invite_codes, pairing
from bot.config import ConfigError, load_settings
from bot.models import Person
from bot.pairing import JoinOutcome
from bot.storage.db import Database
from testing.probes import cursor
from testing.runner import BotRunner

ANA = Person(101, "Ana")
BEN = Person(202, "Ben")
NOW = 1_800_000_000
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_file_is_made_once_private_and_kept(tmp_path: Path) -> None:
    database = tmp_path / "data" / "steady.db"
    key = invite_codes.server_key("", database)
    key_file = tmp_path / "data" / "invite.key"
    assert len(key) == 32 and key_file.read_bytes() == key
    assert mode(key_file) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["invite.key"]  # no temporary left
    assert invite_codes.server_key("", database) == key  # the next start reads the same key
    assert invite_codes.server_key("", tmp_path / "other" / "steady.db") != key


def test_starts_racing_for_the_key_file_agree_on_one_key(tmp_path: Path) -> None:
    database = tmp_path / "steady.db"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: invite_codes.server_key("", database), range(16)))
    assert keys == {(tmp_path / "invite.key").read_bytes()}


def test_the_environment_secret_wins_and_makes_no_file(tmp_path: Path) -> None:
    secret = "correct horse battery staple"
    assert invite_codes.server_key(secret, tmp_path / "steady.db") == secret.encode()
    assert not (tmp_path / "invite.key").exists()
    file_key = invite_codes.server_key("", tmp_path / "steady.db")
    assert invite_codes.server_key(secret, tmp_path / "steady.db") != file_key


def test_a_damaged_key_file_stops_the_start_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "invite.key").write_bytes(b"short")
    with pytest.raises(ConfigError, match=r"invite\.key is not an invite key"):
        invite_codes.server_key("", tmp_path / "steady.db")


def test_the_digest_is_keyed() -> None:
    code = invite_codes.new_code()
    bare = hashlib.sha256(code.encode()).hexdigest()
    one, other = invite_codes.digest(code, b"k" * 32), invite_codes.digest(code, b"q" * 32)
    assert bare not in {one, other} and one != other
    assert invite_codes.digest(code, b"k" * 32) == one


async def test_the_database_holds_no_bare_hash(db: Database) -> None:
    code = (await pairing.create_invite(db, ANA, NOW, b"k" * 32)).code
    assert code is not None
    async with db.read() as uow, cursor(uow.conn, "SELECT code_hash FROM invites") as cur:
        stored = [r[0] for r in await cur.fetchall()]
    assert stored == [invite_codes.digest(code, b"k" * 32)]
    assert hashlib.sha256(code.encode()).hexdigest() not in stored


async def test_a_code_made_under_one_key_does_not_join_under_another(db: Database) -> None:
    code = (await pairing.create_invite(db, ANA, NOW, b"k" * 32)).code
    assert code is not None
    assert (await pairing.join(db, BEN, code, NOW, b"q" * 32)).outcome is JoinOutcome.WRONG
    assert (await pairing.join(db, BEN, code, NOW + 1, b"k" * 32)).outcome is JoinOutcome.PAIRED


def test_invite_secret_setting(tmp_path: Path) -> None:
    def load(**env: str):
        return load_settings({"BOT_TOKEN": TOKEN, **env}, dotenv=tmp_path / ".env")

    assert load().invite_secret == ""
    secret = "0123456789abcdef0123"
    settings = load(INVITE_SECRET=f" {secret} ")
    assert settings.invite_secret == secret and secret not in repr(settings)
    with pytest.raises(ConfigError, match="INVITE_SECRET must be at least 16 characters"):
        load(INVITE_SECRET="short")


async def test_the_bot_makes_its_key_beside_the_database(bot: BotRunner, tmp_path: Path) -> None:
    key_file = tmp_path / "invite.key"
    assert mode(key_file) == 0o600
    assert bot.services.invite_key == key_file.read_bytes()
    assert "invite_secret" not in repr(bot.services)
