"""A separate process racing for stock in a SQLite file database.

Run as ``python -m zhongshu.inventory.tests.stock_worker <prepare|reserve|issue>``
with DATABASE_URL set; prints what it got as JSON.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from decimal import Decimal

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongshu.settings")
    django.setup()
    from django.core.management import call_command

    from zhongshu.catalog.models import Product
    from zhongshu.core.errors import ConflictError, ValidationError
    from zhongshu.core.models import Company
    from zhongshu.core.refs import SourceRef
    from zhongshu.inventory import services
    from zhongshu.inventory import testing as t
    from zhongshu.inventory.models import Warehouse

    action = sys.argv[1]
    if action == "prepare":
        call_command("migrate", verbosity=0)
        company = t.stocked_company("RACE")
        item, where = t.product(company, "LAST"), t.warehouse(company)
        t.receive(company, datetime.date(2026, 11, 2), item, where, "10", "10.00")
        t.receive(
            company,
            datetime.date(2026, 11, 2),
            t.product(company, "MORE"),
            where,
            "10",
            "10.00",
        )
        return
    company = Company.objects.get(code="RACE")
    where = Warehouse.objects.get(company=company)
    buyer = os.getpid()
    try:
        if action == "reserve":
            services.reserve(
                company=company,
                product=Product.objects.get(company=company, code="LAST"),
                warehouse=where,
                quantity=Decimal(1),
                source=SourceRef("test.order", buyer),
            )
        else:
            t.issue(
                company,
                datetime.date(2026, 11, 3),
                Product.objects.get(company=company, code="MORE"),
                where,
                "1",
                source_id=buyer,
            )
        print(json.dumps({"got": 1}))  # noqa: T201 - the parent test reads stdout
    except (ConflictError, ValidationError) as error:
        print(json.dumps({"got": 0, "error": str(error)}))  # noqa: T201


if __name__ == "__main__":
    main()
