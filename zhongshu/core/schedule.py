"""Daily jobs: work a module wants done once a day (the nightly stock
alerts), run by the long-lived ``dispatch_events --loop`` process that
``zhongshu serve`` starts, so no cron is needed.

A job must be idempotent per day: the loop runs each job on the first poll
of every day it is up (and after each restart), and a job that fails is
tried again on the next poll.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Job = Callable[[datetime.date], object]
_jobs: dict[str, Job] = {}
_last_run: dict[str, datetime.date] = {}


def daily(name: str, job: Job) -> None:
    _jobs[name] = job


def run_due(today: datetime.date) -> list[str]:
    """Run the jobs not yet run today in this process; answer their names."""
    ran = []
    for name, job in sorted(_jobs.items()):
        if _last_run.get(name) == today:
            continue
        try:
            job(today)
        except Exception:
            logger.exception("Daily job %s failed; it runs again next poll.", name)
            continue
        _last_run[name] = today
        ran.append(name)
    return ran
