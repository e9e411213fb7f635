"""A separate process that allocates numbers in a SQLite file database.

Run as ``python -m zhongshu.core.tests.numbering_worker <prepare|allocate> N``
with DATABASE_URL set; prints the allocated numbers as JSON.
"""

from __future__ import annotations

import datetime
import json
import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from zhongshu.core import numbering, testing
    from zhongshu.core.models import Company

    numbering.declare("test.order", "Test order", default_pattern="SO-{year}-{seq:06d}")
    action, count = sys.argv[1], int(sys.argv[2])
    if action == "prepare":
        call_command("migrate", verbosity=0)
        testing.make_company("RACE")
        return
    company = Company.objects.get(code="RACE")
    numbers = []
    for _ in range(count):
        with transaction.atomic():
            numbers.append(
                numbering.take(
                    company=company, key="test.order", on_date=datetime.date(2026, 5, 1)
                )
            )
    print(json.dumps(numbers))  # noqa: T201 - the parent test reads stdout


if __name__ == "__main__":
    main()
