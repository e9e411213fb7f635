"""Stock alerts at their boundaries — equal figures never alert, one unit
past them does — and the nightly task that publishes them once a day."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from zhongshu.core import services as core_services
from zhongshu.core.models import Company, OutboxEvent, Role
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import member, owner_of
from zhongshu.inventory import alerts, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.alerts import AlertKind
from zhongshu.inventory.models import StockAlertRun

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def ahead(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def figures(found: list[alerts.StockAlert]) -> list[tuple[object, ...]]:
    return [
        (
            a.kind,
            a.product.code,
            a.warehouse.code,
            a.quantity,
            a.threshold,
            a.lot.number if a.lot else None,
            a.days,
        )
        for a in found
    ]


def test_below_safety_stock_counts_what_is_available() -> None:
    # given: safety stock 5; 6 on hand
    company = t.stocked_company()
    wh = t.warehouse(company)
    cup, mug = t.product(company, "CUP"), t.product(company, "MUG")
    for item in (cup, mug):
        services.set_stock_policy(
            company=company,
            actor=None,
            product=item,
            warehouse=wh,
            safety_stock=Decimal("5"),
            maximum_stock=None,
        )
    t.receive(company, ago(1), cup, wh, "6", "4.00")
    order = SourceRef("test.order", 1)

    # when: 1 reserved, 5 available = the safety stock
    services.reserve(
        company=company, product=cup, warehouse=wh, quantity=Decimal("1"), source=order
    )
    # then: only the mug, which has none at all
    assert figures(alerts.below_safety(company)) == [
        ("below_safety", "MUG", "WH1", Decimal("0"), Decimal("5"), None, None)
    ]

    # when: one more reserved, 4 available
    services.reserve(
        company=company, product=cup, warehouse=wh, quantity=Decimal("1"), source=order
    )
    # then
    assert figures(alerts.below_safety(company)) == [
        ("below_safety", "CUP", "WH1", Decimal("4"), Decimal("5"), None, None),
        ("below_safety", "MUG", "WH1", Decimal("0"), Decimal("5"), None, None),
    ]
    # and: a policy without safety stock never alerts
    services.set_stock_policy(
        company=company,
        actor=None,
        product=mug,
        warehouse=wh,
        safety_stock=Decimal("0"),
        maximum_stock=None,
    )
    assert [a.product.code for a in alerts.below_safety(company)] == ["CUP"]


def test_above_maximum_stock() -> None:
    # given: maximum 10 for cups and mugs; 10 cups and 11 mugs
    company = t.stocked_company()
    wh = t.warehouse(company)
    cup, mug = t.product(company, "CUP"), t.product(company, "MUG")
    for item, quantity in ((cup, "10"), (mug, "11")):
        services.set_stock_policy(
            company=company,
            actor=None,
            product=item,
            warehouse=wh,
            safety_stock=Decimal("2"),
            maximum_stock=Decimal("10"),
        )
        t.receive(company, ago(1), item, wh, quantity, "4.00")
    # then: only the mugs, 11 > 10
    assert figures(alerts.above_maximum(company)) == [
        ("above_maximum", "MUG", "WH1", Decimal("11"), Decimal("10"), None, None)
    ]
    assert alerts.above_maximum(company, warehouse=t.warehouse(company, "WH2")) == []


def test_lots_near_expiry_and_expired() -> None:
    # given: milk in lots expiring around the 30-day warning window
    company = t.stocked_company()
    wh = t.warehouse(company)
    milk = t.product(company, "MILK", track_lots=True, track_expiry=True)
    for number, expiry in (
        ("TODAY", TODAY),  # near: 0 days left, still good today
        ("IN30", ahead(30)),  # near: the last day of the window
        ("IN31", ahead(31)),  # one day past the window: no alert
        ("PAST", ago(1)),  # expired yesterday
        ("GONE", ahead(5)),  # near, but none left
    ):
        t.receive(
            company, ago(10), milk, wh, "3", "2.00", lot=number, expiry_date=expiry
        )
    t.issue(company, ago(2), milk, wh, "3", lot="GONE")

    # then
    assert figures(alerts.near_expiry(company, today=TODAY)) == [
        ("near_expiry", "MILK", "WH1", Decimal("3"), None, "TODAY", 0),
        ("near_expiry", "MILK", "WH1", Decimal("3"), None, "IN30", 30),
    ]
    assert figures(alerts.expired(company, today=TODAY)) == [
        ("expired", "MILK", "WH1", Decimal("3"), None, "PAST", -1),
    ]

    # when: the company warns 31 days ahead
    services.update_settings(
        company=company, actor=owner_of(company), expiry_warning_days=31
    )
    # then: the 31-day lot joins
    assert [
        a.lot.number for a in alerts.near_expiry(company, today=TODAY) if a.lot
    ] == [
        "TODAY",
        "IN30",
        "IN31",
    ]


def test_stock_that_has_not_moved() -> None:
    # given: no movement alerts after 90 days (the default)
    company = t.stocked_company()
    wh = t.warehouse(company)
    fresh, stale, sold = (
        t.product(company, code) for code in ("FRESH", "STALE", "SOLD")
    )
    t.receive(company, ago(90), fresh, wh, "2", "5.00")  # exactly 90 days: fine
    t.receive(company, ago(91), stale, wh, "2", "5.00")  # 91 days
    t.receive(company, ago(200), sold, wh, "2", "5.00")
    t.issue(company, ago(150), sold, wh, "2")  # nothing left to worry about
    # then
    found = alerts.not_moving(company, today=TODAY)
    assert figures(found) == [
        ("not_moving", "STALE", "WH1", Decimal("2"), None, None, 91)
    ]
    assert found[0].last_move_on == ago(91)
    assert found[0].label == "No movement"


def test_publishing_is_once_a_day() -> None:
    # given: one alert of each kind
    company = t.stocked_company()
    wh = t.warehouse(company)
    low, high = t.product(company, "LOW"), t.product(company, "HIGH")
    milk = t.product(company, "MILK", track_lots=True, track_expiry=True)
    old = t.product(company, "OLD")
    services.set_stock_policy(
        company=company,
        actor=None,
        product=low,
        warehouse=wh,
        safety_stock=Decimal("5"),
        maximum_stock=None,
    )
    services.set_stock_policy(
        company=company,
        actor=None,
        product=high,
        warehouse=wh,
        safety_stock=Decimal("0"),
        maximum_stock=Decimal("1"),
    )
    t.receive(company, ago(3), high, wh, "2", "1.00")
    t.receive(company, ago(3), milk, wh, "1", "1.00", lot="A", expiry_date=ahead(3))
    t.receive(company, ago(3), milk, wh, "1", "1.00", lot="B", expiry_date=ago(3))
    t.receive(company, ago(100), old, wh, "1", "1.00")
    every = alerts.list_alerts(company, today=TODAY)
    assert alerts.alert_counts(every) == dict.fromkeys(AlertKind.values, 1)
    assert [
        a.kind for a in alerts.list_alerts(company, today=TODAY, kind="expired")
    ] == ["expired"]
    before = OutboxEvent.objects.filter(company_id=company.pk).count()

    # when: the nightly task runs, twice the same night
    first = alerts.publish_stock_alerts.enqueue(on_date=TODAY.isoformat())
    second = alerts.publish_stock_alerts.enqueue(on_date=TODAY.isoformat())

    # then: five events, published once
    assert (first.return_value, second.return_value) == (5, 0)
    published = OutboxEvent.objects.filter(company_id=company.pk).order_by("pk")[
        before:
    ]
    assert [row.event_type.rsplit(".", 1)[1] for row in published] == [
        "StockBelowSafety",
        "StockAboveMaximum",
        "LotExpired",
        "LotNearExpiry",
        "StockNotMoving",
    ]
    near = next(row for row in published if row.event_type.endswith("LotNearExpiry"))
    assert near.payload["expiry_date"] == ahead(3).isoformat()
    assert near.payload["quantity"] == "1.0000"
    run = StockAlertRun.objects.get(company=company)
    assert (run.on_date, run.published) == (TODAY, 5)

    # and: the next night publishes again
    assert alerts.publish_alerts(company=company, on_date=ahead(1)) == 5


def test_a_company_without_alerts_publishes_nothing() -> None:
    company: Company = t.stocked_company()
    wh = t.warehouse(company)
    t.receive(company, ago(1), t.product(company, "CUP"), wh, "1", "1.00")
    assert alerts.list_alerts(company, today=TODAY) == []
    assert alerts.publish_alerts(company=company, on_date=TODAY) == 0
    assert StockAlertRun.objects.get(company=company).published == 0


def test_alerts_through_the_api() -> None:
    # given: a product below its safety stock, seen by a purchaser
    company = t.stocked_company()
    wh = t.warehouse(company)
    cup = t.product(company, "CUP")
    services.set_stock_policy(
        company=company,
        actor=None,
        product=cup,
        warehouse=wh,
        safety_stock=Decimal("5"),
        maximum_stock=None,
    )
    t.receive(company, ago(1), cup, wh, "2", "4.00")
    purchaser = member(company, [Role.PURCHASER])
    _token, key = core_services.issue_api_token(
        company=company, user=purchaser, name="alerts"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    # when
    response = client.get("/api/v1/inventory/alerts?kind=below_safety")
    # then
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "kind": "below_safety",
            "label": "Below safety stock",
            "product_id": cup.pk,
            "product_code": "CUP",
            "product_name": "商品 CUP",
            "warehouse_id": wh.pk,
            "warehouse_code": "WH1",
            "quantity": "2.0000",
            "threshold": "5.0000",
            "lot_id": None,
            "lot_number": None,
            "expiry_date": None,
            "last_move_on": None,
            "days": None,
        }
    ]
    other = t.stocked_company("OTHER")
    foreign = client.get(
        f"/api/v1/inventory/alerts?warehouse_id={t.warehouse(other).pk}"
    )
    assert foreign.status_code == 404
