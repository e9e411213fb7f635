"""``zhongshu check``: run every registered consistency check, print a table,
exit non-zero when any check fails."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhongshu.core import consistency


class Command(BaseCommand):
    help = "Run every registered consistency check (exit status 1 on any failure)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "names", nargs="*", help="Only these checks (default: all registered)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = set(options["names"])
        known = consistency.registered_checks()
        unknown = wanted - known.keys()
        if unknown:
            raise CommandError(f"Unknown checks: {', '.join(sorted(unknown))}")
        results = [r for r in consistency.run_all() if not wanted or r.name in wanted]
        width = max([len(r.name) for r in results] + [5])
        self.stdout.write(f"{'check'.ljust(width)}  result")
        for result in results:
            status = (
                self.style.SUCCESS("pass")
                if result.passed
                else self.style.ERROR(f"FAIL ({len(result.problems)})")
            )
            self.stdout.write(f"{result.name.ljust(width)}  {status}")
            for problem in result.problems[:20]:
                self.stdout.write(f"{'':{width}}    - {problem}")
        failed = [r for r in results if not r.passed]
        self.stdout.write(f"{len(results) - len(failed)} passed, {len(failed)} failed")
        if failed:
            raise CommandError("Consistency checks failed.", returncode=1)
