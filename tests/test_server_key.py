"""The server key: not in the database; invite codes are stored as an HMAC under it."""

from __future__ import annotations

import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot import invite_codes, keys, pairing
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
    key = keys.server_key("", database)
    key_file = tmp_path / "data" / "secret.key"
    assert len(key) == 32 and key_file.read_bytes() == key
    assert mode(key_file) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["secret.key"]  # no temporary left
    assert keys.server_key("", database) == key  # the next start reads the same key
    assert keys.server_key("", tmp_path / "other" / "steady.db") != key


def test_starts_racing_for_the_key_file_agree_on_one_key(tmp_path: Path) -> None:
    database = tmp_path / "steady.db"
    with ThreadPoolExecutor(8) as pool:
        made = set(pool.map(lambda _: keys.server_key("", database), range(16)))
    assert made == {(tmp_path / "secret.key").read_bytes()}


def test_the_environment_secret_wins_and_makes_no_file(tmp_path: Path) -> None:
    secret = "correct horse battery staple"
    assert keys.server_key(secret, tmp_path / "steady.db") == secret.encode()
    assert not (tmp_path / "secret.key").exists()
    file_key = keys.server_key("", tmp_path / "steady.db")
    assert keys.server_key(secret, tmp_path / "steady.db") != file_key


def test_a_damaged_key_file_stops_the_start_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_bytes(b"short")
    with pytest.raises(ConfigError, match=r"secret\.key is not a Steady key"):
        keys.server_key("", tmp_path / "steady.db")


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


def test_secret_key_setting(tmp_path: Path) -> None:
    def load(**env: str):
        return load_settings({"BOT_TOKEN": TOKEN, **env}, dotenv=tmp_path / ".env")

    assert load().secret_key == ""
    secret = "0123456789abcdef0123"
    settings = load(SECRET_KEY=f" {secret} ")
    assert settings.secret_key == secret and secret not in repr(settings)
    assert load(INVITE_SECRET=secret).secret_key == secret  # its former name still works
    with pytest.raises(ConfigError, match="SECRET_KEY must be at least 16 characters"):
        load(SECRET_KEY="short")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set with PostgreSQL"):
        load(DATABASE_URL="postgresql://steady@db/steady")
    assert load(DATABASE_URL="postgresql://steady@db/steady", SECRET_KEY=secret).secret_key


def test_a_key_file_moves_to_another_server_as_a_setting(tmp_path: Path) -> None:
    key = keys.server_key("", tmp_path / "steady.db")
    assert keys.server_key(keys.as_setting(key), tmp_path / "elsewhere.db") == key
    with pytest.raises(ConfigError, match="not hex"):
        keys.from_setting("hex:xyz")


def test_an_invite_key_from_before_is_kept(tmp_path: Path) -> None:
    """Before encryption at rest the key file was invite.key: it stays the key (open invites
    keep working, and nothing is sealed under a second key)."""
    (tmp_path / "invite.key").write_bytes(b"o" * 32)
    assert keys.server_key("", tmp_path / "steady.db") == b"o" * 32
    assert not (tmp_path / "secret.key").exists()


async def test_the_bot_makes_its_key_beside_the_database(bot: BotRunner, tmp_path: Path) -> None:
    key_file = tmp_path / "secret.key"
    assert mode(key_file) == 0o600
    assert bot.services.invite_key == key_file.read_bytes()
    assert "server_key" not in repr(bot.services)


def test_printing_the_key_never_makes_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m bot.keys` prints the key file as a setting; with none, it says so and makes
    none (a new key would not open what the database holds)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'steady.db'}")
    for name in ("SECRET_KEY", "INVITE_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert keys.main() == 2
    assert not (tmp_path / "data" / "secret.key").exists()
    key = keys.server_key("", tmp_path / "data" / "steady.db")
    assert keys.main() == 0
    assert capsys.readouterr().out.strip() == keys.as_setting(key)
