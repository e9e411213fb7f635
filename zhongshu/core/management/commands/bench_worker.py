"""Child process of ``zhongshu bench``: migrate the fresh database, run, report."""

from __future__ import annotations

import json
import platform
from typing import Any

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from bench import SCENARIOS
from zhongshu.core import consistency


class Command(BaseCommand):
    help = "Internal: run one scenario in this process (use `zhongshu bench`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", choices=sorted(SCENARIOS))
        parser.add_argument("params")

    def handle(self, *args: Any, **options: Any) -> None:
        params: dict[str, int] = json.loads(options["params"])
        call_command("migrate", verbosity=0)
        figures = SCENARIOS[options["scenario"]].run(params)
        with connection.cursor() as cursor:
            cursor.execute(
                "select sqlite_version()"
                if connection.vendor == "sqlite"
                else "show server_version"
            )
            database_version = cursor.fetchone()[0]
        failed = [r.name for r in consistency.run_all() if not r.passed]
        report = {
            "scenario": options["scenario"],
            "db": connection.vendor,
            "params": params,
            **figures,
            "consistent": not failed,
            "failed_checks": failed,
            "versions": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "database": str(database_version),
            },
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, sort_keys=True))
