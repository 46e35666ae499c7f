"""Shared fixtures. Tests never reach the internet: any non-loopback connection fails loudly."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import certifi
import pytest

# What the fixtures use is imported in them: the xdist controller loads this file too, and
# would spend a second importing the bot and the fake before it starts any worker.
if TYPE_CHECKING:
    from bot.storage.db import Database
    from testing.clock import MovableClock
    from testing.fake_telegram import FakeTelegram, FakeUser
    from testing.runner import BotRunner

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(sock: socket.socket, address: object) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else address
        if host not in _LOOPBACK:
            raise RuntimeError(f"tests must not use the network (tried {host!r})")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_internet() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def _warm_backends() -> None:
    """On PostgreSQL, connections outlive the test databases that opened them
    (testing/warm_backends.py)."""
    from testing.engines import on_postgres

    if on_postgres():
        from testing import warm_backends

        warm_backends.install()


@pytest.fixture(autouse=True)
def _recycle_databases() -> Iterator[None]:
    """After each test (its databases closed: this fixture is torn down last), the PostgreSQL
    schemas it took from `migrated` are emptied for the next tests (testing/engines.py)."""
    yield
    from testing.engines import recycle

    recycle()


@pytest.fixture
def clock() -> MovableClock:
    from testing.clock import MovableClock

    return MovableClock()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    from bot.storage.db import Database
    from testing.engines import migrated

    opened = await Database.open(migrated(tmp_path / "steady.db"))
    await opened.migrate()  # finds nothing to do: as a test would have it after a migration
    yield opened
    await opened.close()


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    """Two databases opened on the same data, as two processes would have them (one file on
    SQLite; one schema, two pools on PostgreSQL)."""
    from bot.storage.db import Database
    from testing.engines import migrated

    first = await Database.open(migrated(tmp_path / "steady.db"))
    await first.migrate()
    second = await Database.open(migrated(tmp_path / "steady.db"))
    yield first, second
    await second.close()
    await first.close()


@pytest.fixture
async def fake(clock: MovableClock) -> AsyncIterator[FakeTelegram]:
    from testing.fake_telegram import FakeTelegram

    server = FakeTelegram(clock=clock)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path, clock: MovableClock) -> AsyncIterator[BotRunner]:
    from testing.runner import BotRunner

    runner = BotRunner(fake.base_url, fake.token, tmp_path / "steady.db", clock)
    await runner.start()
    fake.settle = lambda: runner.settle(fake)  # FakeUser.expect_silence waits for it
    yield runner
    fake.settle = None
    await runner.stop()


@pytest.fixture
def ana(fake: FakeTelegram) -> FakeUser:
    return fake.user(1001, "Ana")


@pytest.fixture
def ben(fake: FakeTelegram) -> FakeUser:
    return fake.user(2002, "Ben <3")  # a name that needs escaping


@pytest.fixture
async def strict_fake(clock: MovableClock) -> AsyncIterator[FakeTelegram]:
    """A fake that enforces Telegram's rate limits with 429s."""
    from testing.fake_telegram import FakeTelegram

    server = FakeTelegram(enforce_limits=True, clock=clock)
    await server.start()
    yield server
    await server.stop()


_CA_FOLDER = "steady-tests-ca-"


def pytest_configure(config: pytest.Config) -> None:
    """No test speaks TLS (the fake Bot API is plain HTTP on loopback; the network is closed),
    yet aiohttp parses the system's whole CA bundle twice when imported: 0.2 s of each of the
    many `python -m bot` starts. A bundle of one certificate instead, for this process and all
    it starts (xdist workers, bots); httpx reads the same variable. Whatever the environment
    set is replaced (this machine's points at the whole bundle)."""
    if Path(os.environ.get("SSL_CERT_FILE", "/")).parent.name.startswith(_CA_FOLDER):
        return  # an xdist worker: the controller made it
    bundle = Path(certifi.where()).read_text()
    end = "-----END CERTIFICATE-----\n"
    folder = Path(tempfile.mkdtemp(prefix=_CA_FOLDER))
    (folder / "one.pem").write_text(bundle[: bundle.index(end) + len(end)])
    os.environ["SSL_CERT_FILE"] = str(folder / "one.pem")
    os.environ["SSL_CERT_DIR"] = str(folder)  # and no hashed certificates to look up there
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests start first: the SIGKILL test (slow), then the many-example property
    tests, then those marked heavy (real processes, long journeys). xdist hands out a test at
    a time (`--dist loadgroup`, pyproject.toml), so the workers end together instead of one
    running a long test alone at the end."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            return 1
        return 2 if item.get_closest_marker("heavy") else 3

    items.sort(key=rank)  # stable: the file order otherwise


def pytest_unconfigure(config: pytest.Config) -> None:
    """A test that failed before closing its database leaves aiosqlite's (non-daemon) thread
    running, and the interpreter would wait for it forever: CI would hang instead of failing.
    Report it and leave with pytest's own exit status."""
    stuck = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if stuck:
        print(f"\n{len(stuck)} thread(s) left running (an unclosed database?)", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(getattr(config, "_steady_exit", 1))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._steady_exit = int(exitstatus)  # type: ignore[attr-defined]
