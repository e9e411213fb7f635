"""``zhongshu activate_company CODE``: end a company's trial (administrators)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhongshu.core import services
from zhongshu.core.models import Company


class Command(BaseCommand):
    help = "Activate a trial company so it stays writable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        company = Company.objects.filter(code__iexact=options["code"]).first()
        if company is None:
            raise CommandError(f"No company with the code {options['code']}.")
        services.activate_company(company=company, actor=None)
        self.stdout.write(f"{company.code} is active.")
