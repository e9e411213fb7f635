"""``zhongshu serve``: serve the product on http://127.0.0.1:8000.

Besides the web server it starts the two background processes, so the one
command runs everything: the django-tasks database worker (``db_worker``) and
the outbox sweeper (``dispatch_events --loop``) that delivers events a crash
left behind. Development and demo use Django's threaded server (static files
through whitenoise); production runs gunicorn against ``zhongshu.wsgi`` and
the two workers under its process supervisor.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from zhongshu.core.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Serve Zhongshu (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes."
        )
        parser.add_argument(
            "--no-workers",
            action="store_true",
            help="Do not start the task worker and the outbox sweeper.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addrport: str = options["addrport"]
        self.stdout.write(self.style.SUCCESS(f"Zhongshu 中枢 is at http://{addrport}/"))
        logins = [
            login
            for login in demo_logins()
            if User.objects.filter(username=login.username).exists()
        ]
        if logins:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for login in logins:
                self.stdout.write(f"  {login.username:<12} {login.description}")
        workers = [] if options["no_workers"] else self._start_workers()
        # A supervisor stops us with SIGTERM: exit through ``finally`` so the
        # workers stop with the server instead of running on as orphans.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command(
                "runserver",
                addrport,
                use_reloader=options["reload"],
                use_threading=True,
            )
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=10)

    def _start_workers(self) -> list[subprocess.Popen[bytes]]:
        cli = [sys.executable, "-m", "zhongshu.cli"]
        return [
            subprocess.Popen([*cli, "db_worker"]),  # noqa: S603 - our own command
            subprocess.Popen([*cli, "dispatch_events", "--loop"]),  # noqa: S603
        ]
