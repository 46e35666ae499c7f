"""A throwaway PostgreSQL server for tests and CI: a fresh temp folder, a free loopback port,
database `steady_test`, tuned for speed (no fsync: it holds nothing worth keeping).

    python -m testing.pgserver run -- <command...>   # server up, command run with
                                                     # STEADY_TEST_DATABASE_URL set, server gone;
                                                     # exits with the command's exit code
    eval "$(python -m testing.pgserver start)"       # leaves one running (prints `export` lines)
    python -m testing.pgserver stop [folder]         # default: $STEADY_TEST_PGSERVER_DIR

initdb and pg_ctl refuse to run as root (CI runs as root): as root they run as an unprivileged
system user (`steady-pg`, created on first use) through `runuser`, and the folder is theirs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

DATABASE = "steady_test"
SUPERUSER = "steady"  # the database role tests connect as (trust auth: no password)
OS_USER = "steady-pg"  # who runs the server when we are root
MAJOR = "15"
URL_VARIABLE = "STEADY_TEST_DATABASE_URL"
DIR_VARIABLE = "STEADY_TEST_PGSERVER_DIR"
MARKER = "steady-pgserver.json"  # in every folder we made; `stop` removes nothing without it

# Durability off: a crash loses a test database, nothing else. Enough connections for parallel
# test workers each holding a pool.
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_connections": "200",
    "listen_addresses": "'127.0.0.1'",
    "logging_collector": "off",
}
# Trust, but only over the folder's own socket and loopback.
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n"


class PgServerError(RuntimeError):
    """The server could not be set up; the message says why (with the server log's tail)."""


@dataclass(frozen=True)
class Server:
    folder: Path
    port: int
    bindir: Path
    os_user: str | None  # runuser target when we are root, else None

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"


def _is_root() -> bool:
    return os.geteuid() == 0


def _candidate_bindirs() -> Iterator[Path]:
    yield Path(f"/usr/lib/postgresql/{MAJOR}/bin")
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        yield Path(out.stdout.strip())
    for name in ("pg_ctl", "initdb"):
        if found := shutil.which(name):
            yield Path(found).resolve().parent
    # Whatever major version Debian's `postgresql` package brought, newest first.
    yield from sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def find_bindir() -> Path | None:
    for bindir in _candidate_bindirs():
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def ensure_binaries() -> Path:
    """The folder holding initdb and pg_ctl; as root, installs Debian's `postgresql` if missing."""
    if bindir := find_bindir():
        return bindir
    if _is_root() and shutil.which("apt-get"):
        print("pgserver: PostgreSQL not found, installing Debian's postgresql", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]
        if subprocess.run(install, env=env, check=False).returncode != 0:
            # A fresh image has empty package lists.
            subprocess.run(["apt-get", "update"], env=env, check=False)
            subprocess.run(install, env=env, check=False)
        if bindir := find_bindir():
            return bindir
    hint = "as root on Debian it is installed automatically" if not _is_root() else "apt failed"
    raise PgServerError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in "
        f"/usr/lib/postgresql/{MAJOR}/bin, `pg_config --bindir` or PATH; install PostgreSQL "
        f"{MAJOR} (Debian: apt-get install postgresql; {hint})."
    )


def ensure_os_user() -> str | None:
    """As root: the unprivileged user that owns and runs the server (created once). Else None."""
    if not _is_root():
        return None
    with contextlib.suppress(KeyError):
        pwd.getpwnam(OS_USER)
        return OS_USER
    nologin = shutil.which("nologin") or "/usr/sbin/nologin"
    create = ["useradd", "--system", "--no-create-home", "--shell", nologin, OS_USER]
    result = subprocess.run(create, capture_output=True, text=True, check=False)
    try:
        pwd.getpwnam(OS_USER)  # also fine when a parallel run created it first
    except KeyError:
        raise PgServerError(f"could not create user {OS_USER}: {result.stderr.strip()}") from None
    return OS_USER


def _as_owner(os_user: str | None, argv: list[str]) -> list[str]:
    return ["runuser", "-u", os_user, "--", *argv] if os_user else argv


def _run(server: Server, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    argv = _as_owner(server.os_user, [str(server.bindir / tool), *args])
    # cwd: the owner may not be allowed into ours (e.g. /root).
    return subprocess.run(argv, cwd=server.folder, capture_output=True, text=True, check=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _reachable_by_all(path: Path) -> bool:
    return all(os.stat(part).st_mode & 0o001 for part in (path, *path.parents))


def _make_folder(os_user: str | None) -> Path:
    base = Path(tempfile.gettempdir())
    if os_user:
        # The server's user must be able to reach its folder; /tmp is 0700 on some machines.
        choices = [base, Path("/var/tmp"), Path("/dev/shm")]
        reachable = [path for path in choices if path.is_dir() and _reachable_by_all(path)]
        if not reachable:
            raise PgServerError(f"no temp folder {OS_USER} can reach: set TMPDIR to one")
        base = reachable[0]
    folder = Path(tempfile.mkdtemp(prefix="steady-pg-", dir=base))  # 0700
    if os_user:
        entry = pwd.getpwnam(os_user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    return folder


def _log_tail(server: Server) -> str:
    try:
        return "\n".join(server.log.read_text(errors="replace").splitlines()[-15:])
    except OSError:
        return "(no server log)"


def _configure(server: Server) -> None:
    conf = "".join(f"{key} = {value}\n" for key, value in SETTINGS.items())
    # The socket lives in the folder, so parallel servers and a system server never clash.
    conf += f"unix_socket_directories = '{server.folder}'\n"
    # Written in place (even as root): the files keep their owner and mode.
    for name, text in (("postgresql.conf", conf), ("pg_hba.conf", HBA)):
        mode = "a" if name == "postgresql.conf" else "w"
        with open(server.data / name, mode) as handle:
            handle.write(text)


def _mark(server: Server) -> None:
    info = {"url": server.url, "bindir": str(server.bindir), "os_user": server.os_user}
    (server.folder / MARKER).write_text(json.dumps(info))


def start(attempts: int = 3) -> Server:
    """Init and start a server in a fresh folder and create the test database."""
    bindir = ensure_binaries()
    os_user = ensure_os_user()
    folder = _make_folder(os_user)
    server = Server(folder, 0, bindir, os_user)
    _mark(server)
    try:
        init = _run(
            server, "initdb", "-D", str(server.data), "-U", SUPERUSER, "-E", "UTF8",
            "--locale=C", "--auth=trust", "--no-sync", "--no-instructions",
        )  # fmt: skip
        if init.returncode != 0:
            raise PgServerError(f"initdb failed:\n{init.stdout}{init.stderr}")
        _configure(server)
        for attempt in range(attempts):
            # A free port can be taken between the probe and the bind: then try another one.
            server = Server(folder, _free_port(), bindir, os_user)
            _mark(server)
            started = _run(
                server, "pg_ctl", "start", "-w", "-t", "60", "-D", str(server.data),
                "-l", str(server.log), "-o", f"-p {server.port}",
            )  # fmt: skip
            if started.returncode == 0:
                break
            if attempt == attempts - 1:
                raise PgServerError(f"pg_ctl start failed:\n{started.stderr}\n{_log_tail(server)}")
        created = subprocess.run(
            [str(bindir / "createdb"), "-h", str(folder), "-p", str(server.port),
             "-U", SUPERUSER, DATABASE],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if created.returncode != 0:
            raise PgServerError(f"createdb failed: {created.stderr.strip()}")
    except BaseException:
        stop(folder)
        raise
    return server


def stop(folder: Path) -> None:
    """Stop the server of a folder made by `start` (if running) and remove the folder."""
    marker = folder / MARKER
    if not folder.is_dir():
        return
    if marker.is_file():
        info = json.loads(marker.read_text())
        pg_ctl = str(Path(info["bindir"]) / "pg_ctl")
        data = folder / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner(info["os_user"], [pg_ctl, "stop", "-m", "immediate", "-D", str(data)]),
                cwd=folder, capture_output=True, check=False,
            )  # fmt: skip
    elif any(folder.iterdir()):
        # Only an empty folder or one we marked: never rm -r whatever path we were given.
        raise PgServerError(f"{folder} was not made by testing.pgserver; not removing it")
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def running() -> Iterator[Server]:
    server = start()
    try:
        yield server
    finally:
        stop(server.folder)


def run(command: list[str]) -> int:
    """Run `command` against a fresh server; its exit code (128 + N if killed by signal N)."""
    child: subprocess.Popen[bytes] | None = None
    pending: int | None = None

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal pending
        if child is None:
            # Setting up (a second or two): let the step under way finish (killing runuser
            # would orphan initdb or postgres), then stop the server instead of running.
            pending = pending or signum
        elif signum != signal.SIGINT:
            # SIGINT from a terminal reaches the command too (same process group): passing it
            # on would make two. SIGTERM/SIGHUP are meant for us alone: passed on.
            child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    with running() as server:
        if pending is not None:
            return 128 + pending
        env = {**os.environ, URL_VARIABLE: server.url, DIR_VARIABLE: str(server.folder)}
        try:
            child = subprocess.Popen(command, env=env)
        except OSError as error:
            print(f"pgserver: cannot run {command[0]!r}: {error}", file=sys.stderr)
            return 127
        code = child.wait()
        return 128 - code if code < 0 else code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m testing.pgserver",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="action", required=True)
    run_parser = commands.add_parser("run", help="run a command against a throwaway server")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    commands.add_parser("start", help="start a server and print `export` lines for it")
    stop_parser = commands.add_parser("stop", help="stop a server and remove its folder")
    stop_parser.add_argument("folder", nargs="?", default=os.environ.get(DIR_VARIABLE))
    args = parser.parse_args(argv)
    try:
        if args.action == "run":
            command = args.command[1:] if args.command[:1] == ["--"] else args.command
            if not command:
                parser.error("run needs a command: run -- <command...>")
            return run(command)
        if args.action == "start":
            server = start()
            print(f"export {URL_VARIABLE}={shlex.quote(server.url)}")
            print(f"export {DIR_VARIABLE}={shlex.quote(str(server.folder))}")
            print(f"# stop with: python -m testing.pgserver stop {server.folder}", file=sys.stderr)
            return 0
        if not args.folder:
            parser.error(f"stop needs the folder (or {DIR_VARIABLE} set)")
        stop(Path(args.folder))
        return 0
    except PgServerError as error:
        print(f"pgserver: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
