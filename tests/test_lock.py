"""The lock files `make run`, `make test` and the Dockerfile install from: every package pinned
with hashes, the same versions in both, and every dependency pyproject.toml names is locked at a
version it allows (a dependency added without `make lock` fails here, not on a fresh machine)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
RUNTIME, DEV = ROOT / "requirements.lock", ROOT / "requirements-dev.lock"
# What the README promises: these Pythons on Linux x86_64 and arm64 (`make lock-check` proves
# a wheel exists for each; here the markers must not leave any of them out).
PYTHONS = ("3.11", "3.12", "3.13")
MACHINES = ("x86_64", "aarch64")


def entries(path: Path) -> dict[str, tuple[str, Marker | None, int]]:
    """name -> (pinned version, marker, number of hashes)."""
    text = path.read_text().replace("\\\n", " ")
    found: dict[str, tuple[str, Marker | None, int]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement, *hashes = re.split(r"\s+--hash=", line)
        req = Requirement(requirement.strip())
        (spec,) = req.specifier
        assert spec.operator == "==", f"{req.name} is not pinned in {path.name}"
        found[canonicalize_name(req.name)] = (spec.version, req.marker, len(hashes))
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("path", [RUNTIME, DEV], ids=lambda p: p.name)
def test_every_package_is_pinned_with_its_hashes(path: Path) -> None:
    locked = entries(path)
    assert locked
    assert all(count >= 1 for _, _, count in locked.values())
    assert "make lock" in path.read_text()  # how to refresh it, in its header


def test_both_lock_files_pin_the_same_versions() -> None:
    runtime, dev = entries(RUNTIME), entries(DEV)
    assert set(runtime) <= set(dev)
    assert {name: runtime[name][0] for name in runtime} == {name: dev[name][0] for name in runtime}


@pytest.mark.parametrize(
    ("path", "dependencies"),
    [
        (RUNTIME, lambda p: p["dependencies"]),
        (DEV, lambda p: [*p["dependencies"], *p["optional-dependencies"]["dev"]]),
    ],
    ids=["runtime", "dev"],
)
def test_every_declared_dependency_is_locked_at_a_version_it_allows(
    path: Path, dependencies
) -> None:
    locked = entries(path)
    for text in dependencies(pyproject()):
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is not in {path.name}: run `make lock`"
        assert locked[name][0] in req.specifier, f"{req.name}: run `make lock`"


@pytest.mark.parametrize("python", PYTHONS)
@pytest.mark.parametrize("machine", MACHINES)
def test_the_lock_installs_the_drivers_on_every_promised_platform(
    python: str, machine: str
) -> None:
    """A marker must not drop a package Steady needs there (psycopg's binary driver above all)."""
    env = {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_machine": machine,
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    locked = entries(RUNTIME)
    installed = {
        name for name, (_, marker, _) in locked.items() if not marker or marker.evaluate(env)
    }
    # apscheduler: python-telegram-bot's job-queue extra, which the tick runs on.
    assert {"psycopg-binary", "aiosqlite", "python-telegram-bot", "apscheduler"} <= installed


def test_the_readme_promises_the_pythons_the_lock_is_checked_for() -> None:
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^LOCK_PYTHONS\s*:=\s*" + r"\s+".join(PYTHONS) + r"\s*$", makefile, re.M)
    assert f"Python {PYTHONS[0]} to {PYTHONS[-1]}" in readme
