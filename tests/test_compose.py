"""docker-compose.yml, read statically (there is no Docker engine in CI): SQLite alone by
default; the postgres profile adds a PostgreSQL server Steady waits for and points at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROFILE = "postgres"
PASSWORD = "0123abcd"  # stands for the one a deployment puts in .env


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${NAME} and ${NAME:-default} (unset or empty: the default), $$ for a $."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, default = match.group(1), match.group(2)
        return env.get(name) or (default or "")

    return re.sub(r"\$\$|\$\{(\w+)(?::-([^}]*))?\}", one, value)


def dotenv_example_for_postgres() -> dict[str, str]:
    """.env.example with its PostgreSQL lines filled in, read as Compose reads .env (a value
    may use the variables above it)."""
    env: dict[str, str] = {}
    lines = (ROOT / ".env.example").read_text().splitlines()
    for line in lines:
        match = re.fullmatch(r"#? ?(POSTGRES_PASSWORD|STEADY_DATABASE_URL)=(.*)", line)
        if match:
            name, value = match.groups()
            env[name] = PASSWORD if name == "POSTGRES_PASSWORD" else interpolate(value, env)
    assert set(env) == {"POSTGRES_PASSWORD", "STEADY_DATABASE_URL"}, ".env.example explains both"
    return env


def enabled(services: dict[str, Any], profiles: set[str]) -> set[str]:
    """What `docker compose [--profile …] up` starts: services without profiles, and those in
    an active profile."""
    return {
        name
        for name, service in services.items()
        if not service.get("profiles") or profiles & set(service["profiles"])
    }


def postgres_services(services: dict[str, Any]) -> list[str]:
    return [name for name, s in services.items() if str(s.get("image", "")).startswith("postgres")]


def test_the_postgres_profile_has_one_postgres_server_of_a_pinned_major_version() -> None:
    services = compose()["services"]
    assert postgres_services(services) == ["postgres"]
    assert re.fullmatch(r"postgres:\d+(\.\d+)?(-[a-z0-9]+)?", services["postgres"]["image"])
    assert services["postgres"]["profiles"] == [PROFILE]  # in the profile only


def test_its_data_is_in_a_named_volume() -> None:
    config = compose()
    mounts = dict(v.split(":", 1) for v in config["services"]["postgres"]["volumes"])
    assert mounts, "postgres keeps its data in a volume"
    for source, target in mounts.items():
        assert source in config["volumes"], f"{source} is a named volume, not a host path"
        assert target == "/var/lib/postgresql/data"  # PGDATA of the official image up to 17


def test_it_has_a_pg_isready_health_check() -> None:
    check = compose()["services"]["postgres"]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert "pg_isready" in " ".join(check["test"][1:])


def test_its_password_comes_from_the_environment_and_no_port_is_published() -> None:
    service = compose()["services"]["postgres"]
    assert re.fullmatch(
        r"\$\{POSTGRES_PASSWORD(:-)?\}", service["environment"]["POSTGRES_PASSWORD"]
    )
    assert "ports" not in service


def test_without_the_profile_steady_starts_alone_on_sqlite() -> None:
    services = compose()["services"]
    started = enabled(services, set())
    assert "steady" in started
    assert not set(postgres_services(services)) & started
    # A dependency on a service the profile disables must be optional, or Compose refuses.
    for name in started:
        for dependency, how in (services[name].get("depends_on") or {}).items():
            assert dependency in started or how.get("required") is False, (name, dependency)
    url = services["steady"]["environment"]["DATABASE_URL"]
    assert interpolate(url, {}) == "sqlite:////data/steady.db"  # as before the profile existed


def test_with_the_profile_steady_waits_for_a_healthy_postgres_and_points_at_it() -> None:
    services = compose()["services"]
    assert {"steady", "postgres"} <= enabled(services, {PROFILE})
    assert services["steady"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    env = dotenv_example_for_postgres()
    url = urlsplit(interpolate(services["steady"]["environment"]["DATABASE_URL"], env))
    server = {k: interpolate(v, env) for k, v in services["postgres"]["environment"].items()}
    assert url.scheme == "postgresql"
    assert (url.hostname, url.port or 5432) == ("postgres", 5432)
    assert (url.username, url.password) == (server["POSTGRES_USER"], server["POSTGRES_PASSWORD"])
    assert url.path == f"/{server['POSTGRES_DB']}"
    assert server["POSTGRES_PASSWORD"] == PASSWORD


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        ("${A:-x}", {}, "x"),
        ("${A:-x}", {"A": ""}, "x"),
        ("${A:-x}", {"A": "y"}, "y"),
        ("a${B}c", {"B": "b"}, "abc"),
        ("$${A}", {"A": "y"}, "${A}"),
    ],
)
def test_the_interpolation_used_here_reads_as_compose_does(
    value: str, env: dict[str, str], expected: str
) -> None:
    assert interpolate(value, env) == expected


def test_every_service_logs_to_json_file_with_rotation() -> None:
    """podman refuses the `local` driver; json-file with rotation works in both."""
    for name, service in compose()["services"].items():
        logging = service["logging"]
        assert logging["driver"] == "json-file", name
        options = logging["options"]
        assert re.fullmatch(r"\d+[kmg]", str(options["max-size"])), name
        assert int(options["max-file"]) >= 2, name
        # Compose reads option values as strings; a bare number is refused by some versions.
        assert all(isinstance(v, str) for v in options.values()), name


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_image_installs_the_locked_dependencies_before_the_source() -> None:
    steps = dockerfile()
    install = next(
        i for i, (op, args) in enumerate(steps) if op == "RUN" and "requirements.lock" in args
    )
    assert "--require-hashes" in steps[install][1]
    copies = [(i, args) for i, (op, args) in enumerate(steps) if op == "COPY"]
    # Only the lock file comes in before the dependencies are installed.
    assert [args for i, args in copies if i < install] == ["requirements.lock ./"]
    assert any(i > install and "bot" in args.split() for i, args in copies)


def test_the_image_and_the_service_check_the_tick_is_alive() -> None:
    (check,) = [args for op, args in dockerfile() if op == "HEALTHCHECK"]
    assert check.rstrip().endswith('CMD ["python", "-m", "bot.health"]')
    # Again in the compose file: podman builds OCI images, which drop HEALTHCHECK.
    steady = compose()["services"]["steady"]
    assert steady["healthcheck"]["test"] == ["CMD", "python", "-m", "bot.health"]


def test_env_example_and_readme_agree_on_where_docker_keeps_the_data() -> None:
    services = compose()["services"]
    (volume,) = [v.split(":")[0] for v in services["steady"]["volumes"] if v.endswith(":/data")]
    assert volume in compose()["volumes"]  # a named volume, not a folder on the host
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert volume in example and volume in readme
    docker_lines = [line for line in example.splitlines() if "Docker" in line]
    assert not any("./data" in line for line in docker_lines)


def test_the_webhook_profile_puts_a_proxy_before_the_workers_and_only_it_is_published() -> None:
    """Several workers (issue 16): `--profile webhook --scale steady=N`. The proxy hands
    Telegram's posts to every `steady` replica on the port a worker listens on by default;
    no worker and no database publishes a port."""
    services = compose()["services"]
    assert enabled(services, {"webhook"}) == {"steady", "proxy"}
    proxy = services["proxy"]
    assert proxy["ports"] == ["80:80", "443:443"]
    assert all("ports" not in s for name, s in services.items() if name != "proxy")
    assert "steady" not in {s.get("container_name") for s in services.values()}  # scalable
    [mount] = [v for v in proxy["volumes"] if "Caddyfile" in v]
    caddyfile = (ROOT / mount.split(":")[0]).read_text()
    from bot.config import Settings

    assert "name steady" in caddyfile
    assert f"port {Settings(bot_token='x').webhook_port}" in caddyfile
    assert "handle /telegram/hook" in caddyfile  # the path README's WEBHOOK_URL names
