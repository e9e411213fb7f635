"""The ``zhongshu`` command: Django's management commands plus the product's own.

``zhongshu check`` runs the registered consistency checks (the product's
meaning of "check"); Django's system checks stay reachable as
``zhongshu systemcheck``.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"check": "consistency_check", "systemcheck": "check"}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
