"""``zhongshu bench <scenario>``: run one benchmark on a fresh database.

The scenario runs in a child process whose DATABASE_URL points at a database
created for the run (a SQLite file in a temporary folder by default, or a new
PostgreSQL database next to the one ``--database-url`` names), so it never
touches the product's own data. The last line of output is one JSON object.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import SCENARIOS


def _fresh_postgres(url: str) -> tuple[str, str]:
    """Create an empty database beside ``url``'s; return (url, admin url)."""
    parts = urlsplit(url)
    name = f"zhongshu_bench_{uuid.uuid4().hex[:8]}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(admin_source: str, name: str) -> None:
    admin_url = urlunsplit(urlsplit(admin_source)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Command(BaseCommand):
    help = "Run a benchmark scenario on a fresh database; prints one JSON line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", choices=sorted(SCENARIOS))
        parser.add_argument("--database-url", default="")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=N",
            help="Scenario size options, e.g. --param numbers=500.",
        )

    def _params(self, scenario_name: str, pairs: list[str]) -> dict[str, int]:
        scenario = SCENARIOS[scenario_name]
        params = {option.name: option.default for option in scenario.options}
        for pair in pairs:
            name, _, value = pair.partition("=")
            if name not in params or not value.isdigit():
                known = ", ".join(sorted(params)) or "none"
                raise CommandError(f"Bad --param {pair!r}; options: {known}")
            params[name] = int(value)
        return params

    def handle(self, *args: Any, **options: Any) -> None:
        params = self._params(options["scenario"], options["param"])
        params["seed"] = options["seed"]
        source_url: str = options["database_url"]
        dropped = ""
        with tempfile.TemporaryDirectory(prefix="zhongshu-bench-") as folder:
            if source_url.startswith(("postgres://", "postgresql://")):
                url, dropped = _fresh_postgres(source_url)
            elif source_url:
                raise CommandError("--database-url must be a PostgreSQL URL.")
            else:
                url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            env = dict(os.environ, DATABASE_URL=url, ZHONGSHU_TASKS_IMMEDIATE="1")
            command = [
                sys.executable, "-m", "zhongshu.cli", "bench_worker",
                options["scenario"], json.dumps(params),
            ]  # fmt: skip
            try:
                completed = subprocess.run(command, env=env, check=False)  # noqa: S603
            finally:
                if dropped:
                    _drop_postgres(source_url, dropped)
        if completed.returncode != 0:
            raise CommandError("The benchmark failed.", returncode=completed.returncode)
