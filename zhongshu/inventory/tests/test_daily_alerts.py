"""The nightly stock alerts run from the dispatch loop ``zhongshu serve``
starts, once a day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from zhongshu.core import clock, schedule
from zhongshu.core.models import OutboxEvent
from zhongshu.inventory import services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import StockAlertRun

pytestmark = pytest.mark.django_db


def test_the_dispatch_loop_publishes_the_days_alerts_once() -> None:
    # given: 2 cups on hand against a safety stock of 5
    company = t.stocked_company()
    cup, wh = t.product(company, "CUP"), t.warehouse(company)
    t.receive(company, clock.today() - datetime.timedelta(days=1), cup, wh, "2", "4.00")
    services.set_stock_policy(
        company=company,
        actor=None,
        product=cup,
        warehouse=wh,
        safety_stock=Decimal(5),
        maximum_stock=None,
    )
    schedule._last_run.clear()
    before = OutboxEvent.objects.count()
    # when: two polls of the loop on the same day
    out = StringIO()
    call_command("dispatch_events", stdout=out)
    call_command("dispatch_events", stdout=out)
    # then: the job ran once and published the below-safety alert
    assert out.getvalue().count("inventory.stock_alerts") == 1
    assert (
        StockAlertRun.objects.filter(company=company, on_date=clock.today()).count()
        == 1
    )
    published = OutboxEvent.objects.filter(pk__gt=0).count() - before
    assert published >= 1
    assert OutboxEvent.objects.filter(event_type__icontains="StockBelowSafety").exists()


def test_a_move_announces_crossing_below_safety_once() -> None:
    company = t.stocked_company()
    cup, wh = t.product(company, "CUP"), t.warehouse(company)
    services.set_stock_policy(
        company=company,
        actor=None,
        product=cup,
        warehouse=wh,
        safety_stock=Decimal(5),
        maximum_stock=None,
    )
    day = clock.today()
    below = OutboxEvent.objects.filter(event_type__icontains="StockBelowSafety")
    t.receive(company, day, cup, wh, "8", "4.00")  # 8: above
    t.issue(company, day, cup, wh, "2")  # 6: still above
    assert below.count() == 0
    t.issue(company, day, cup, wh, "2")  # 4: crosses below 5
    t.issue(company, day, cup, wh, "1")  # 3: was below already
    assert below.count() == 1
    t.receive(company, day, cup, wh, "10", "4.00")  # 13: back above
    t.issue(company, day, cup, wh, "9")  # 4: crosses again
    assert below.count() == 2
