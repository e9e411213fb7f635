"""numbering — document numbers allocated one committed transaction each.

Measures the cost every confirmed document pays for its gapless number.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from bench.base import Option, Phases, Scenario
from zhongshu.core import numbering, services
from zhongshu.core.models import Company

KEY = "bench.document"


def _company() -> Company:
    owner = get_user_model().objects.create_user(username="bench-owner")
    data = services.CompanyData(code="BENCH", name="基准测试公司")
    return services.create_company(data=data, owner=owner)


def run(params: dict[str, int]) -> dict[str, Any]:
    if KEY not in {d.key for d in numbering.document_types()}:
        numbering.declare(
            KEY, "Benchmark document", default_pattern="BD-{year}-{seq:06d}"
        )
    company = _company()
    phases = Phases()
    day = datetime.date(2026, 3, 1)
    with phases.timed("allocate"):
        for _ in range(params["numbers"]):
            with transaction.atomic():
                last = numbering.take(company=company, key=KEY, on_date=day)
    count = params["numbers"]
    return {
        "phase_s": phases.seconds,
        "rate": {"allocate": round(count / max(phases.seconds["allocate"], 1e-9), 1)},
        "counts": {"numbers": count, "last": last},
    }


SCENARIO = Scenario(
    name="numbering",
    run=run,
    options=(Option("numbers", 2000, "how many numbers to allocate"),),
)
