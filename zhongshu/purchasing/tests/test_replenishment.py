"""Replenishment (智能补货): suggestions worked out by hand from sales,
stock, reservations, safety stock, open orders and the supplier's terms;
the rebuild on a stock alert and at night; accepting into purchase orders."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import numpy as np
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.catalog.models import Product
from zhongshu.core import schedule
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import services as inventory
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import MoveKind, Warehouse
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import forecast, services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    Suggestion,
    SupplierProduct,
)
from zhongshu.purchasing.selectors.replenishment import list_suggestions
from zhongshu.purchasing.services.replenishment import (
    accept_suggestions,
    order_quantity,
    rebuild_suggestions,
)
from zhongshu.purchasing.services.supplier_products import (
    SupplierProductData,
    set_supplier_product,
)
from zhongshu.purchasing.tasks import rebuild_all_suggestions

pytestmark = pytest.mark.django_db
D = Decimal
ON = datetime.date(2026, 3, 2)  # a Monday; the history ends on Sunday 1 March
SALES = inventory.Counterpart("cost_of_sales")
_sources = itertools.count(1)


def days_before(days: int) -> datetime.date:
    return ON - datetime.timedelta(days=days)


def offer(
    company: Company,
    vendor: Supplier,
    product: Product,
    *,
    price: str = "5.00",
    minimum: str = "0",
    multiple: str = "0",
    lead_time: int = 0,
    preferred: bool = True,
) -> SupplierProduct:
    return set_supplier_product(
        company=company,
        actor=core_testing.owner_of(company),
        data=SupplierProductData(
            supplier=vendor,
            product=product,
            unit_price=D(price),
            minimum_quantity=D(minimum),
            order_multiple=D(multiple),
            lead_time_days=lead_time,
            is_preferred=preferred,
        ),
    )


def sell(
    company: Company, product: Product, where: Warehouse, per_day: str, days: int
) -> None:
    """A sales delivery of ``per_day`` on each of the ``days`` days before ON."""
    inventory.issue_many(
        company=company,
        documents=[
            inventory.IssueDocument(
                date=days_before(days - n),
                lines=[
                    inventory.MoveLine(
                        product=product, warehouse=where, quantity=D(per_day)
                    )
                ],
                counter=SALES,
                source=SourceRef("sales.delivery", next(_sources)),
            )
            for n in range(days)
        ],
    )


def stock_in(
    company: Company, product: Product, where: Warehouse, quantity: str, days: int
) -> None:
    """Goods in ``days`` days before ON, bought from a supplier (the
    estimated payables track suppliers)."""
    vendor = Supplier.objects.filter(company=company).first() or (
        purchasing_testing.supplier(company, "V0")
    )
    inventory.receive(
        company=company,
        date=days_before(days),
        lines=[
            inventory.MoveLine(
                product=product, warehouse=where, quantity=D(quantity), unit_cost=D(2)
            )
        ],
        counter=inventory.Counterpart("estimated_payable", {"supplier": vendor.pk}),
        source=SourceRef("test.receipt", next(_sources)),
    )


def policy(company: Company, product: Product, where: Warehouse, safety: str) -> None:
    inventory.set_stock_policy(
        company=company,
        actor=None,
        product=product,
        warehouse=where,
        safety_stock=D(safety),
        maximum_stock=None,
    )


def suggestion(company: Company, product: Product) -> Suggestion:
    return Suggestion.objects.get(company=company, product=product)


def figures(row: Suggestion) -> dict[str, object]:
    return {
        "method": row.method,
        "horizon_days": row.horizon_days,
        "forecast": row.forecast,
        "available": row.available,
        "reserved": row.reserved,
        "safety_stock": row.safety_stock,
        "in_transit": row.in_transit,
        "shortfall": row.shortfall,
        "quantity": row.quantity,
    }


@pytest.fixture
def shop() -> tuple[Company, Warehouse, Supplier]:
    company = purchasing_testing.purchasing_company("REPL")
    return (
        company,
        Warehouse.objects.get(company=company, code="WH1"),
        purchasing_testing.supplier(company, "V1"),
    )


# --- the worked example ----------


def test_constant_demand_gives_a_suggestion_worked_out_by_hand(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    cup = inventory_testing.product(company, "CUP")
    # given: V1 delivers cups in 5 days, at least 50, in cartons of 12
    offer(company, v1, cup, minimum="50", multiple="12", lead_time=5)
    # 600 cups in on 4 January, then 10 sold every day for 56 days
    stock_in(company, cup, wh1, "600", 57)
    sell(company, cup, wh1, "10", 56)
    policy(company, cup, wh1, "20")
    inventory.reserve(
        company=company,
        product=cup,
        warehouse=wh1,
        quantity=D(15),
        source=SourceRef("sales.order", 1),
    )
    # an order of 30 confirmed, 10 of them received; a draft of 99 not sent
    order = purchasing_testing.confirmed_order(
        company, v1, [(cup, "30", "5.00")], day=days_before(3)
    )
    services.receive_goods(
        order=order,
        actor=None,
        date=days_before(2),
        lines=[services.ReceiptLineData(order_line=order.lines.get(), quantity=D(10))],
    )
    purchasing_testing.draft_order(company, v1, [(cup, "99", "5.00")])
    # when
    rebuild_suggestions(company=company, on_date=ON)
    # then:
    # horizon = 5 days' lead time + 7 days' review period = 12 days
    # forecast = 10 a day × 12 = 120
    # on hand = 600 − 560 sold + 10 received = 50; reserved 15; available 35
    # in transit = 30 − 10 received = 20 (the draft is not on order yet)
    # shortfall = 120 + 15 reserved + 20 safety − 50 on hand − 20 in transit = 85
    # quantity: 85 ≥ the minimum of 50, up to cartons of 12: 8 × 12 = 96
    row = suggestion(company, cup)
    assert figures(row) == {
        "method": "seasonal_es",
        "horizon_days": 12,
        "forecast": D("120"),
        "available": D("35"),
        "reserved": D("15"),
        "safety_stock": D("20"),
        "in_transit": D("20"),
        "shortfall": D("85"),
        "quantity": D("96"),
    }
    assert (row.supplier_id, row.warehouse_id, row.computed_on) == (v1.pk, wh1.pk, ON)


def test_rebuilding_again_gives_the_same_suggestions(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    cup = inventory_testing.product(company, "CUP")
    offer(company, v1, cup, lead_time=2)
    stock_in(company, cup, wh1, "500", 40)
    sell(company, cup, wh1, "7", 35)
    first = figures(rebuild_suggestions(company=company, on_date=ON)[0])
    second = rebuild_suggestions(company=company, on_date=ON)
    assert [figures(row) for row in second] == [first]
    assert Suggestion.objects.filter(company=company).count() == 1
    # 7 a day over 2 + 7 days = 63; on hand 500 − 245 = 255: nothing to order
    assert (first["forecast"], first["shortfall"], first["quantity"]) == (
        D("63"),
        D("-192"),
        D("0"),
    )


def test_a_short_history_is_averaged_and_returns_count_against_sales(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, _v1 = shop
    mug = inventory_testing.product(company, "MUG")
    stock_in(company, mug, wh1, "100", 11)
    sell(company, mug, wh1, "5", 10)
    inventory.receive(
        company=company,
        date=days_before(5),
        kind=MoveKind.RETURN_IN,
        lines=[
            inventory.MoveLine(
                product=mug, warehouse=wh1, quantity=D(10), value=D("20.00")
            )
        ],
        counter=SALES,
        source=SourceRef("sales.return", 1),
    )
    rebuild_suggestions(company=company, on_date=ON)
    # 10 days of history (under 28): 50 sold − 10 returned = 40, 4 a day;
    # no supplier, so the horizon is the review period: 7 × 4 = 28.
    # On hand 100 − 50 + 10 = 60: a surplus of 32.
    row = suggestion(company, mug)
    assert figures(row) == {
        "method": "mean",
        "horizon_days": 7,
        "forecast": D("28"),
        "available": D("60"),
        "reserved": D("0"),
        "safety_stock": D("0"),
        "in_transit": D("0"),
        "shortfall": D("-32"),
        "quantity": D("0"),
    }
    assert row.supplier_id is None


# --- minimum quantities and multiples ----------


def test_a_policy_without_sales_orders_up_to_the_minimum_and_multiple(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    box = inventory_testing.product(company, "BOX")
    offer(company, v1, box, minimum="100", multiple="24", lead_time=3)
    policy(company, box, wh1, "30")
    rebuild_suggestions(company=company, on_date=ON)
    # no sales: forecast 0; shortfall = 30 of safety stock; raised to the
    # minimum of 100, then to a whole number of 24s: 5 × 24 = 120
    row = suggestion(company, box)
    assert (row.method, row.horizon_days, row.forecast) == ("none", 10, D("0"))
    assert (row.shortfall, row.quantity) == (D("30"), D("120"))


@pytest.mark.parametrize(
    ("shortfall", "minimum", "multiple", "places", "expected"),
    [
        ("0", "50", "12", 0, "0"),  # nothing short: nothing to order
        ("-5", "50", "12", 0, "0"),
        ("7", "50", "0", 0, "50"),  # up to the minimum
        ("7", "50", "12", 0, "60"),  # the minimum, then whole cartons
        ("95", "50", "12", 0, "96"),  # above the minimum: whole cartons
        ("96", "0", "12", 0, "96"),  # exactly a multiple stays
        ("3.2", "0", "0", 0, "4"),  # whole pieces
        ("1.2345", "0", "0", 3, "1.235"),  # a unit of 3 decimals, up
        ("1.1", "0", "0.5", 1, "1.5"),  # half kilos
    ],
)
def test_order_quantity_respects_the_minimum_and_the_multiple(
    shortfall: str, minimum: str, multiple: str, places: int, expected: str
) -> None:
    terms = SupplierProduct(minimum_quantity=D(minimum), order_multiple=D(multiple))
    assert order_quantity(D(shortfall), terms, places) == D(expected)


def test_without_a_supplier_the_shortfall_is_ordered_in_whole_units() -> None:
    assert order_quantity(D("3.2"), None, 0) == D("4")


# --- what is on order ----------


def test_open_orders_count_once_and_only_what_is_still_to_come() -> None:
    company = purchasing_testing.purchasing_company(
        "TRANSIT", approval_threshold=D("100.00")
    )
    wh1 = Warehouse.objects.get(company=company, code="WH1")
    v1 = purchasing_testing.supplier(company, "V1")
    pen = inventory_testing.product(company, "PEN")
    offer(company, v1, pen, price="1.00")
    policy(company, pen, wh1, "100")
    # confirmed: 40 (¥40, below the approval threshold), 15 received
    confirmed = purchasing_testing.confirmed_order(company, v1, [(pen, "40", "1.00")])
    services.receive_goods(
        order=confirmed,
        actor=None,
        date=ON,
        lines=[
            services.ReceiptLineData(order_line=confirmed.lines.get(), quantity=D(15))
        ],
    )
    # submitted: 30 at ¥10 (¥300) waits for approval, and still counts
    submitted = purchasing_testing.confirmed_order(company, v1, [(pen, "30", "10.00")])
    assert submitted.state == OrderState.SUBMITTED
    # a draft and a cancelled order do not count
    purchasing_testing.draft_order(company, v1, [(pen, "50", "1.00")])
    cancelled = purchasing_testing.confirmed_order(company, v1, [(pen, "20", "1.00")])
    services.cancel_order(order=cancelled, actor=None)
    # when: rebuilt twice
    rebuild_suggestions(company=company, on_date=ON)
    rebuild_suggestions(company=company, on_date=ON)
    # then: in transit = (40 − 15) + 30 = 55; on hand 15 (the received part);
    # shortfall = 100 safety − 15 on hand − 55 in transit = 30
    row = suggestion(company, pen)
    assert (row.in_transit, row.available, row.shortfall, row.quantity) == (
        D("55"),
        D("15"),
        D("30"),
        D("30"),
    )


def test_a_closed_order_is_no_longer_in_transit(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    pen = inventory_testing.product(company, "PEN")
    offer(company, v1, pen, price="1.00")
    policy(company, pen, wh1, "10")
    order = purchasing_testing.confirmed_order(company, v1, [(pen, "8", "1.00")])
    rebuild_suggestions(company=company, on_date=ON)
    assert suggestion(company, pen).in_transit == D("8")
    services.close_order(order=order, actor=None)
    rebuild_suggestions(company=company, on_date=ON)
    assert (suggestion(company, pen).in_transit, suggestion(company, pen).quantity) == (
        D("0"),
        D("10"),
    )


# --- scope ----------


def test_a_rebuild_for_one_product_leaves_the_others(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, _v1 = shop
    wh2 = inventory_testing.warehouse(company, "WH2")
    cup, mug = (inventory_testing.product(company, c) for c in ("CUP", "MUG"))
    for product in (cup, mug):
        policy(company, product, wh1, "5")
        policy(company, product, wh2, "5")
    rebuild_suggestions(company=company, on_date=days_before(1))
    # when: only the cup in WH2 is rebuilt, today
    rebuilt = rebuild_suggestions(
        company=company, on_date=ON, product_ids=[cup.pk], warehouse_ids=[wh2.pk]
    )
    # then
    assert [(r.product_id, r.warehouse_id) for r in rebuilt] == [(cup.pk, wh2.pk)]
    dates = {
        (r.product_id, r.warehouse_id): r.computed_on
        for r in Suggestion.objects.filter(company=company)
    }
    assert dates == {
        (cup.pk, wh1.pk): days_before(1),
        (cup.pk, wh2.pk): ON,
        (mug.pk, wh1.pk): days_before(1),
        (mug.pk, wh2.pk): days_before(1),
    }


def test_inactive_products_get_no_suggestion(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, _v1 = shop
    cup = inventory_testing.product(company, "CUP")
    policy(company, cup, wh1, "5")
    rebuild_suggestions(company=company, on_date=ON)
    Product.objects.filter(pk=cup.pk).update(is_active=False)
    assert rebuild_suggestions(company=company, on_date=ON) == []
    assert not Suggestion.objects.filter(company=company).exists()


def test_a_run_reads_in_a_handful_of_queries_whatever_the_products(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rebuild_suggestions(company=company, on_date=ON)
        return len(captured)

    cup = inventory_testing.product(company, "CUP")
    offer(company, v1, cup)
    policy(company, cup, wh1, "5")
    few = queries()
    for n in range(20):
        product = inventory_testing.product(company, f"P{n}")
        offer(company, v1, product)
        policy(company, product, wh1, "5")
    assert queries() == few
    assert few <= 15


# --- the handler and the nightly run ----------


def test_falling_below_safety_stock_rebuilds_that_suggestion(
    shop: tuple[Company, Warehouse, Supplier],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    company, wh1, v1 = shop
    pen = inventory_testing.product(company, "PEN")
    offer(company, v1, pen, lead_time=2)
    policy(company, pen, wh1, "20")
    stock_in(company, pen, wh1, "25", 1)
    today = datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC)
    with (
        time_machine.travel(today, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # when: 10 sold today leaves 15 available, below the 20 of safety
        inventory.issue(
            company=company,
            date=ON,
            lines=[inventory.MoveLine(product=pen, warehouse=wh1, quantity=D(10))],
            counter=SALES,
            source=SourceRef("sales.delivery", 1),
        )
    # then: the suggestion for the pen in WH1 is there, from today's figures
    # (no sales before today: forecast 0; shortfall = 20 − 15 = 5)
    row = suggestion(company, pen)
    assert (row.computed_on, row.available, row.shortfall, row.quantity) == (
        ON,
        D("15"),
        D("5"),
        D("5"),
    )


def test_the_nightly_run_rebuilds_every_company(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, _wh1, _v1 = shop
    other = purchasing_testing.purchasing_company("REPL2")
    for each in (company, other):
        item = inventory_testing.product(each, "CUP")
        policy(each, item, Warehouse.objects.get(company=each, code="WH1"), "3")
    rebuild_all_suggestions.call(ON.isoformat())
    assert {
        (s.company_id, s.computed_on, s.quantity)
        for s in Suggestion.objects.filter(company__in=[company, other])
    } == {(company.pk, ON, D("3")), (other.pk, ON, D("3"))}


def test_the_nightly_run_is_a_daily_job() -> None:
    assert "purchasing.replenishment" in schedule._jobs


# --- accepting ----------


def test_accepting_makes_one_draft_order_per_supplier_and_warehouse(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    v2 = purchasing_testing.supplier(company, "V2")
    wh2 = inventory_testing.warehouse(company, "WH2")
    cup, mug, box = (
        inventory_testing.product(company, c) for c in ("CUP", "MUG", "BOX")
    )
    offer(company, v1, cup, price="5.00")
    offer(company, v1, mug, price="3.00")
    offer(company, v2, box, price="7.50", multiple="10")
    for product, where, safety in (
        (cup, wh1, "4"),
        (mug, wh1, "6"),
        (box, wh1, "5"),
        (cup, wh2, "2"),
    ):
        policy(company, product, where, safety)
    rebuild_suggestions(company=company, on_date=ON)
    owner = core_testing.owner_of(company)
    # when
    orders = accept_suggestions(
        company=company,
        actor=owner,
        suggestion_ids=list(
            Suggestion.objects.filter(company=company).values_list("pk", flat=True)
        ),
        on_date=ON,
    )
    # then: V1 in WH1 (cup 4, mug 6), V1 in WH2 (cup 2), V2 in WH1 (box 10)
    made = {
        (o.supplier.code, o.warehouse.code): [
            (line.product.code, line.base_quantity, line.unit_price)
            for line in o.lines.order_by("line_no")
        ]
        for o in orders
    }
    assert made == {
        ("V1", "WH1"): [("CUP", D("4"), D("5.00")), ("MUG", D("6"), D("3.00"))],
        ("V1", "WH2"): [("CUP", D("2"), D("5.00"))],
        ("V2", "WH1"): [("BOX", D("10"), D("7.50"))],
    }
    assert {o.state for o in orders} == {OrderState.DRAFT}
    assert {o.date for o in orders} == {ON}
    for row in Suggestion.objects.filter(company=company).select_related("order_line"):
        assert row.order_line is not None
        assert (row.order_line.product_id, row.order_line.warehouse_id) == (
            row.product_id,
            row.warehouse_id,
        )
        assert row.order_line.base_quantity == row.quantity


def test_suggestions_without_supplier_are_refused_by_name(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    cup, mug, box = (
        inventory_testing.product(company, c) for c in ("CUP", "MUG", "BOX")
    )
    offer(company, v1, cup)
    for product in (cup, mug, box):
        policy(company, product, wh1, "4")
    rows = rebuild_suggestions(company=company, on_date=ON)
    with pytest.raises(ValidationError) as refused:
        accept_suggestions(
            company=company,
            actor=None,
            suggestion_ids=[r.pk for r in rows],
            on_date=ON,
        )
    assert "MUG" in refused.value.message
    assert "BOX" in refused.value.message
    assert "CUP" not in refused.value.message
    assert not PurchaseOrder.objects.filter(company=company).exists()
    assert not Suggestion.objects.filter(
        company=company, order_line__isnull=False
    ).exists()


def test_a_suggestion_with_nothing_to_order_is_refused(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    cup = inventory_testing.product(company, "CUP")
    offer(company, v1, cup)
    policy(company, cup, wh1, "0")
    (row,) = rebuild_suggestions(company=company, on_date=ON)
    with pytest.raises(ValidationError, match="CUP"):
        accept_suggestions(
            company=company, actor=None, suggestion_ids=[row.pk], on_date=ON
        )
    assert not PurchaseOrder.objects.filter(company=company).exists()


def test_a_suggestion_is_accepted_once_and_kept_while_its_order_is_a_draft(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, v1 = shop
    cup = inventory_testing.product(company, "CUP")
    offer(company, v1, cup)
    policy(company, cup, wh1, "4")
    (row,) = rebuild_suggestions(company=company, on_date=ON)
    (order,) = accept_suggestions(
        company=company, actor=None, suggestion_ids=[row.pk], on_date=ON
    )
    with pytest.raises(ConflictError):
        accept_suggestions(
            company=company, actor=None, suggestion_ids=[row.pk], on_date=ON
        )
    # a rebuild leaves it: the draft is not in transit, a new suggestion
    # would order the 4 twice
    assert rebuild_suggestions(company=company, on_date=ON) == []
    assert Suggestion.objects.get(pk=row.pk).order_line_id is not None
    # once the order is sent, its 4 are in transit and nothing more is due
    services.confirm_order(order=order, actor=core_testing.owner_of(company))
    (again,) = rebuild_suggestions(company=company, on_date=ON)
    assert (again.in_transit, again.quantity, again.order_line_id) == (
        D("4"),
        D("0"),
        None,
    )
    assert PurchaseOrderLine.objects.filter(company=company).count() == 1


# --- the page ----------


def test_the_page_lists_what_to_order_with_its_relations_joined(
    shop: tuple[Company, Warehouse, Supplier],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    company, wh1, v1 = shop
    wh2 = inventory_testing.warehouse(company, "WH2")
    cup, mug = (inventory_testing.product(company, c) for c in ("CUP", "MUG"))
    offer(company, v1, cup)
    policy(company, cup, wh1, "4")
    policy(company, mug, wh2, "0")  # nothing to order
    rebuild_suggestions(company=company, on_date=ON)
    with django_assert_num_queries(1):
        rows = [
            (r.warehouse.code, r.product.code, r.product.base_unit.code, r.supplier)
            for r in list_suggestions(company)
        ]
    assert rows == [("WH1", "CUP", "PCS", v1)]
    assert [r.product.code for r in list_suggestions(company, only_positive=False)] == [
        "CUP",
        "MUG",
    ]
    assert list(list_suggestions(company, warehouse=wh2)) == []
    assert list(list_suggestions(company, supplier=v1)) == list(
        list_suggestions(company, warehouse=wh1)
    )


# --- the forecast and its backtest ----------


def test_the_forecast_of_constant_and_missing_demand() -> None:
    days = 60
    demand = np.zeros((3, days))
    demand[0] = 10  # constant since the start
    demand[1, -14:] = 3  # a fortnight: under 28 days, averaged
    history = forecast.DemandHistory(demand=demand, starts=forecast._starts(demand))
    result = forecast.forecast_demand(history, 7)
    assert result.methods == ["seasonal_es", "mean", "none"]
    assert [round(result.total(n, 7), 6) for n in range(3)] == [70.0, 21.0, 0.0]


def test_the_backtest_beats_the_naive_forecasts_on_a_weekly_pattern() -> None:
    rng = np.random.default_rng(3)
    week = np.array([4.0, 5, 6, 5, 9, 14, 12])
    demand = rng.poisson(np.tile(week, 40)[None, :].repeat(50, axis=0)).astype(float)
    history = forecast.DemandHistory(demand=demand, starts=forecast._starts(demand))
    chosen, naive, seasonal = forecast.backtest(history, 28)
    assert (chosen.method, naive.method, seasonal.method) == (
        "seasonal_es",
        "naive",
        "seasonal_naive",
    )
    assert chosen.daily_wape < seasonal.daily_wape < naive.daily_wape
    assert chosen.total_wape < naive.total_wape


def test_the_backtest_command_prints_the_errors_of_each_method(
    shop: tuple[Company, Warehouse, Supplier],
) -> None:
    company, wh1, _v1 = shop
    cup = inventory_testing.product(company, "CUP")
    stock_in(company, cup, wh1, "600", 57)
    sell(company, cup, wh1, "10", 56)
    out = StringIO()
    call_command(
        "backtest_replenishment",
        "REPL",
        "--on-date",
        ON.isoformat(),
        "--history-days",
        "56",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("REPL: 1 products × warehouses, 56 days")
    # constant sales: every method is exact
    assert lines[2:] == [
        f"{method:<16}" + "".join(f"{'0.0%':>12}" for _ in range(4))
        for method in ("seasonal_es", "naive", "seasonal_naive")
    ]
