"""``zhongshu serve``: serve the product on http://127.0.0.1:8000.

Development and demo use Django's threaded server (static files through
whitenoise). Production runs gunicorn against ``zhongshu.wsgi`` instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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

    def handle(self, *args: Any, **options: Any) -> None:
        addrport: str = options["addrport"]
        self.stdout.write(self.style.SUCCESS(f"Zhongshu 中枢 is at http://{addrport}/"))
        logins = [
            login
            for login in demo_logins()
            if get_user_model().objects.filter(username=login.username).exists()
        ]
        if logins:
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for login in logins:
                self.stdout.write(f"  {login.username:<12} {login.description}")
        call_command(
            "runserver", addrport, use_reloader=options["reload"], use_threading=True
        )
