"""Both engines side by side in one run: round creation (bench.due) and the fan-out
(bench.fanout), on SQLite and on one PostgreSQL server shared by both.

    .venv/bin/python -m bench.engines [--start-postgres | --postgres URL] [--quick]

`--quick`: 10,000 due couples and 2,000 fanned out, one paid-cap run (minutes, not half an
hour). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from bench.due import postgres_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("STEADY_TEST_DATABASE_URL"))
    parser.add_argument("--start-postgres", action="store_true", help="a throwaway server")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with postgres_server(args.postgres, args.start_postgres) as url:
        if not url:
            parser.error("give --postgres URL or --start-postgres: this compares both engines")
        due = ["--sizes", "10000"] if args.quick else ["--sizes", "10000", "100000"]
        fanout = ["--couples", "2000", "--runs", "1"] if args.quick else []
        for module, extra in (("bench.due", due), ("bench.fanout", fanout)):
            print(f"\n== {module} ==", flush=True)
            subprocess.run([sys.executable, "-m", module, "--postgres", url, *extra], check=True)


if __name__ == "__main__":
    main()
