"""``zhongshu demo``: create or reset the demo companies and their users."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhongshu.core.demo import DEMO_PASSWORD, RETAILER, build_demo, demo_logins
from zhongshu.core.models import Company


class Command(BaseCommand):
    help = "Create or reset the demo companies and users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Leave existing demo companies as they are (used by scripts/run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            options["if_missing"]
            and Company.objects.filter(code=RETAILER.code).exists()
        ):
            self.stdout.write("The demo companies exist; `zhongshu demo` resets them.")
            return
        companies = build_demo()
        for company in companies:
            self.stdout.write(f"Demo company {company.code}: {company.name}")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<12} {login.description}")
