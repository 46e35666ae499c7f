"""`pip install .` then `python -m bot` from any folder: migrations, locales and the prompt
library are package data, read through importlib.resources, never beside the source tree."""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.storage.db import MIGRATIONS_DIR, migrations
from testing.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
DATA_FOLDERS = ("bot/locales", "bot/data", "bot/migrations")


def tracked(*folders: str) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--", *folders], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return sorted(line for line in out.splitlines() if line)


def test_the_data_is_read_through_importlib_resources() -> None:
    from bot import prompts, texts

    assert MIGRATIONS_DIR.is_dir() and not isinstance(MIGRATIONS_DIR, str)
    assert [p.name for _, p in migrations(MIGRATIONS_DIR, "postgres")]
    assert texts.LOCALES_DIR.is_dir()
    assert prompts.LIBRARY.is_file()


def _setuptools_builds_wheels() -> bool:
    # 70.1 builds a wheel without the separate `wheel` package (the dev extra asks for it).
    major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built into a wheel from a copy of its tracked files (so nothing untracked
    rides along) and installed into a folder of its own; returns that folder.

    Built once per session (4 s): the first xdist worker to ask builds it in the session's
    folder, under a lock; the others wait for it and use the same one."""
    if not _setuptools_builds_wheels():
        pytest.skip("needs setuptools>=70.1 (the dev extra) to build a wheel offline")
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this session's folder, shared by its workers (and only theirs)
    folder = base / "packaging"
    folder.mkdir(exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / "built").exists():
            _build(folder)
            (folder / "built").touch()
    return folder / "site"


def _build(base: Path) -> None:
    source, dist, site = base / "source", base / "dist", base / "site"
    for name in tracked("."):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # Offline: the build backend is the one installed, dependencies are not fetched.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("steady-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", site, wheel],
        check=True,
        capture_output=True,
    )


def test_every_data_file_is_in_the_wheel(installed: Path) -> None:
    files = tracked(*DATA_FOLDERS)
    assert any(f.startswith("bot/migrations/postgres/") for f in files)
    missing = [f for f in files if not (installed / f).is_file()]
    assert not missing


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def _env(installed: Path, **extra: str) -> dict[str, str]:
    """Only the installed package on the path: no source tree near."""
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    return {**env, "PYTHONPATH": str(installed), "LOG_LEVEL": "WARNING", **extra}


def test_the_installed_package_finds_its_data_from_any_folder(
    installed: Path, tmp_path: Path
) -> None:
    probe = (
        "import bot; from bot import prompts; from bot.storage.db import MIGRATIONS_DIR as m;"
        "print(bot.__file__, len(prompts.library()), len(list(m.iterdir())))"
    )
    where, prompt_count, migration_count = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path, env=_env(installed), capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert Path(where).is_relative_to(installed)
    assert int(prompt_count) > 0 and int(migration_count) > 0


async def test_the_installed_bot_runs_from_any_folder(
    installed: Path, fake: FakeTelegram, tmp_path: Path
) -> None:
    env = _env(installed, BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.base_url)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        ana = fake.user(1001, "Ana")
        await ana.send("/start")  # texts from the locales, after the migrations ran
        await ana.wait_for("I'm Steady", timeout=90)
        assert (tmp_path / "data" / "steady.db").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, output.decode()
