"""testing.pgserver: the throwaway PostgreSQL `make test` runs the suite against a second time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from testing import pgserver

ROOT = Path(__file__).resolve().parents[1]

needs_binaries = pytest.mark.skipif(
    pgserver.find_bindir() is None and os.geteuid() != 0,
    reason="no PostgreSQL server binaries (and not root, so they cannot be installed)",
)

# Run under the server: connect to the URL it was given, report the folder, exit 7.
CHILD = """
import os, sys, psycopg
with psycopg.connect(os.environ["STEADY_TEST_DATABASE_URL"]) as conn:
    row = conn.execute("SELECT current_database(), current_setting('fsync')").fetchone()
print(os.environ["STEADY_TEST_PGSERVER_DIR"], *row)
sys.exit(7)
"""


@needs_binaries
@pytest.mark.heavy
def test_run_gives_a_working_database_then_removes_it_and_passes_the_exit_code_on() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "testing.pgserver", "run", "--", sys.executable, "-c", CHILD],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 7, done.stderr
    folder, database, fsync = done.stdout.split()
    assert (database, fsync) == ("steady_test", "off")
    assert not Path(folder).exists()  # stopped (pg_ctl stop waits for the postmaster) and removed


def test_stop_never_removes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious").write_text("keep me")
    with pytest.raises(pgserver.PgServerError):
        pgserver.stop(tmp_path)
    assert (tmp_path / "precious").read_text() == "keep me"
