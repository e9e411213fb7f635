"""``zhongshu prune_idempotency_keys``: forget stored API responses after a while.

A client retries within minutes; a day is generous. Run it daily (cron or a
scheduled task) so the table does not grow without bound.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhongshu.core import clock
from zhongshu.core.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than --hours (default 24)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = clock.now() - datetime.timedelta(hours=options["hours"])
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} idempotency record(s).")
