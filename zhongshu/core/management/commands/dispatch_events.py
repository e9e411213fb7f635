"""``zhongshu dispatch_events``: deliver outbox events that are due.

Events are normally dispatched by the ``dispatch_event`` task right after their
transaction commits. This command is the safety net beside ``db_worker``: it
delivers events whose task was lost (a crash between commit and enqueue) and
retries failed handlers once their backoff has passed, and runs the daily
jobs modules register (``core.schedule``). Production runs both::

    zhongshu db_worker
    zhongshu dispatch_events --loop --interval 5
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.translation import gettext as _

from zhongshu.core import clock, events, schedule


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        # Translated here, at run time, rather than in a class attribute evaluated
        # at import, before the operator's language is active.
        parser.description = _(
            "Dispatch outbox events that are due, once or in a loop."
        )
        parser.add_argument(
            "--loop",
            action="store_true",
            help=_("Keep running, polling the outbox every interval."),
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=5,
            help=_("Seconds between polls with --loop (default 5)."),
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help=_("Most events dispatched per poll (default 100)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["loop"]:
            self._dispatch_once(options["limit"])
            return
        try:
            while True:
                # A long-lived process must not keep a connection the database
                # has dropped, or every later poll would fail.
                close_old_connections()
                if self._dispatch_once(options["limit"]) < options["limit"]:
                    time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write(_("Stopped."))

    def _dispatch_once(self, limit: int) -> int:
        for name in schedule.run_due(clock.today()):
            self.stdout.write(_("Ran the daily job %(name)s.") % {"name": name})
        results = events.dispatch_pending(limit=limit)
        failed = sum(1 for result in results if not result.dispatched)
        if results:
            self.stdout.write(
                _("Dispatched %(dispatched)d events, %(failed)d failed.")
                % {"dispatched": len(results) - failed, "failed": failed}
            )
        return len(results)
