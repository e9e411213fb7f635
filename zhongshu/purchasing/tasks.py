"""Background work of purchasing: the nightly replenishment run.

``rebuild_all_suggestions`` rebuilds every writable company's replenishment
suggestions; it is registered as a daily job (``core.schedule``), which the
long-lived ``dispatch_events --loop`` runs once a day, after inventory's
nightly stock alerts (jobs run in name order). Idempotent: a second run on
the same day gives the same suggestions.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from zhongshu.core import clock, schedule
from zhongshu.core.models import Company
from zhongshu.purchasing.services.replenishment import rebuild_suggestions


@task()
def rebuild_all_suggestions(on_date: str = "") -> int:
    """``rebuild_suggestions`` for every company that may still write
    (``on_date`` as YYYY-MM-DD, default today); answers how many
    suggestions there are now."""
    day = datetime.date.fromisoformat(on_date) if on_date else clock.today()
    count = 0
    for company in Company.objects.order_by("pk"):
        if not company.is_read_only_on(day):
            count += len(rebuild_suggestions(company=company, on_date=day))
    return count


schedule.daily(
    "purchasing.replenishment",
    lambda day: rebuild_all_suggestions.enqueue(day.isoformat()),
)
