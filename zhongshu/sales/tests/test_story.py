"""The order-to-cash story of one customer, every voucher checked against
figures worked out by hand (13 % VAT, prices include VAT).

Stock: A costs 10.00 in WH1 (100) and 12.00 in WH2 (20); B costs 20.00 in
WH1 (50). Customer K pays in 30 days.

- 03-02 order 1: A 10 × 22.60 = 226.00 (VAT 226 × 0.13 / 1.13 = 26.00, net
  200.00) and B 5 × 45.20 = 226.00 (26.00 / 200.00): 452.00, VAT 52.00.
- 03-03 delivery 1 from WH1: A 6 → 6/10 of the line = 135.60, VAT 15.60,
  net 120.00; B 5 → 226.00 / 26.00 / 200.00. Together 361.60, VAT 41.60,
  net 320.00; cost 6 × 10 + 5 × 20 = 160.00.
- 03-04 delivery 2 from WH2: A 4 completes the line: 226.00 − 135.60 =
  90.40, VAT 26.00 − 15.60 = 10.40, net 80.00; cost 4 × 12 = 48.00. The 4
  reserved in WH1 go back.
- 03-05 order 2: A 3 × 11.30 = 33.90 (3.90 / 30.00) and B 2 × 45.20 = 90.40
  (10.40 / 80.00): 124.30, VAT 14.30, net 110.00.
- 03-06 return of B 2 from delivery 1: 2/5 of 226.00 = 90.40, VAT 10.40,
  net 80.00, cost 2/5 of 100.00 = 40.00. Its credit settles delivery 1:
  open 361.60 − 90.40 = 271.20.
- 03-08 receipt 1, 400.00 by transfer, oldest first: delivery 1 271.20 and
  delivery 2 90.40 = 361.60; 38.40 is an advance.
- 03-09 delivery 3, all of order 2 from WH1: 124.30; cost 3 × 10 + 2 × 20 =
  70.00.
- 03-12 the advance 38.40 applied to delivery 3: open 85.90.
- 03-20 receipt 2, 80.00 cash, underpays: delivery 3 keeps 5.90 open.

Aging (from the document date), as of 03-10: delivery 3 is 1 day old and
wholly open, 124.30 in 0–30; receipt 1's 38.40 is still an unapplied advance
(it is applied on 03-12). As of 04-20: delivery 3 is 42 days old (22 days
left in March + 20), its 5.90 in 31–60, no advance.

Statement for March: opening 0; +361.60 → 361.60; +90.40 → 452.00; return
−90.40 → 361.60; receipt −400.00 → −38.40; +124.30 → 85.90; receipt −80.00 →
5.90 closing.

Ledger: 1122 = 361.60 + 90.40 + 124.30 − 90.40 − 361.60 − 38.40 − 80.00 =
5.90; 2203 = 38.40 − 38.40 = 0; 5001 = −(320 + 80 − 80 + 110) = −430.00;
22210107 = −(41.60 + 10.40 − 10.40 + 14.30) = −55.90; 5401 = 160 + 48 − 40 +
70 = 238.00; 1405 = 1000 + 240 + 1000 − 238 = 2002.00; 1002 = 400; 1001 = 80.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Reservation, StockBalance, Warehouse
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import checks, services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    DocumentState,
    ItemKind,
    Receipt,
    ReceivableItem,
)
from zhongshu.sales.selectors import receivables

pytestmark = pytest.mark.django_db

D = Decimal


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


def test_two_orders_two_warehouses_a_return_an_advance_and_an_underpayment() -> None:
    company = sales_testing.sales_company("STORY")
    wh1 = Warehouse.objects.get(company=company, code="WH1")
    wh2 = inventory_testing.warehouse(company, "WH2")
    a = sales_testing.stocked_product(company, "A", quantity="100", unit_cost="10")
    inventory_testing.receive(company, day(1, 6), a, wh2, "20", "12")
    b = sales_testing.stocked_product(company, "B", quantity="50", unit_cost="20")
    k = partners_testing.make_customer(company, "K", payment_terms_days=30)
    user = sales_testing.seller(company)

    order1 = sales_testing.confirmed_order(
        company, k, [(a, "10", "22.60"), (b, "5", "45.20")], day=day(3, 2), actor=user
    )
    assert (order1.total, order1.tax_total, order1.net_total) == (
        D("452.00"),
        D("52.00"),
        D("400.00"),
    )
    assert order1.number.startswith("XSDD-2026-")
    line_a, line_b = order1.lines.order_by("line_no")
    assert StockBalance.objects.get(product=a, warehouse=wh1).reserved == 10

    delivery1 = services.deliver(
        order=order1,
        actor=user,
        date=day(3, 3),
        lines=[
            services.DeliveryLineData(order_line=line_a, quantity=D(6)),
            services.DeliveryLineData(order_line=line_b, quantity=D(5)),
        ],
    )
    assert (delivery1.total, delivery1.tax_total, delivery1.net_total) == (
        D("361.60"),
        D("41.60"),
        D("320.00"),
    )
    assert delivery1.cost_total == D("160.00")
    assert StockBalance.objects.get(product=a, warehouse=wh1).reserved == 4

    delivery2 = services.deliver(
        order=order1,
        actor=user,
        date=day(3, 4),
        lines=[
            services.DeliveryLineData(order_line=line_a, quantity=D(4), warehouse=wh2)
        ],
    )
    assert (delivery2.total, delivery2.tax_total, delivery2.cost_total) == (
        D("90.40"),
        D("10.40"),
        D("48.00"),
    )
    order1.refresh_from_db()
    assert order1.state == DocumentState.DONE
    assert StockBalance.objects.get(product=a, warehouse=wh1).reserved == 0
    assert not Reservation.objects.filter(company=company, quantity__gt=0).exists()

    order2 = sales_testing.confirmed_order(
        company, k, [(a, "3", "11.30"), (b, "2", "45.20")], day=day(3, 5), actor=user
    )
    assert (order2.total, order2.tax_total) == (D("124.30"), D("14.30"))

    delivery_line_b = delivery1.lines.get(product=b)
    sales_return = services.return_goods(
        delivery=delivery1,
        actor=user,
        date=day(3, 6),
        lines=[services.ReturnLineData(delivery_line=delivery_line_b, quantity=D(2))],
    )
    assert (sales_return.total, sales_return.tax_total, sales_return.cost_total) == (
        D("90.40"),
        D("10.40"),
        D("40.00"),
    )
    item1 = ReceivableItem.objects.get(kind=ItemKind.DELIVERY, source_id=delivery1.pk)
    assert item1.open_amount == D("271.20")
    assert item1.due_date == day(4, 2)

    receipt1 = services.record_receipt(
        company=company, actor=user, customer=k, date=day(3, 8), amount=D("400")
    )
    assert receipt1.unallocated == D("38.40")
    assert sales_testing.balance(company, "2203") == D("-38.40")

    delivery3 = services.deliver(order=order2, actor=user, date=day(3, 9))
    assert (delivery3.total, delivery3.cost_total) == (D("124.30"), D("70.00"))

    services.apply_advance(receipt=receipt1, actor=user, date=day(3, 12))
    receipt1.refresh_from_db()
    assert receipt1.unallocated == 0
    item3 = ReceivableItem.objects.get(kind=ItemKind.DELIVERY, source_id=delivery3.pk)
    assert item3.open_amount == D("85.90")

    receipt2 = services.record_receipt(
        company=company,
        actor=user,
        customer=k,
        date=day(3, 20),
        amount=D("80"),
        method="cash",
    )
    item3.refresh_from_db()
    assert item3.open_amount == D("5.90")

    expected = {
        "1122": D("5.90"),
        "2203": D("0"),
        "5001": D("-430.00"),
        "22210107": D("-55.90"),
        "5401": D("238.00"),
        "1405": D("2002.00"),
        "1002": D("400.00"),
        "1001": D("80.00"),
    }
    assert {code: sales_testing.balance(company, code) for code in expected} == expected
    open_items = sum(
        (i.open_amount for i in ReceivableItem.objects.filter(company=company)), D(0)
    )
    advances = sum(
        (r.unallocated for r in Receipt.objects.filter(company=company)), D(0)
    )
    assert open_items == sales_testing.balance(company, "1122") == D("5.90")
    # 1122 and 2203 track customers: the ledger knows what K owes.
    assert sales_testing.balance(company, "1122", customer=k) == D("5.90")
    assert advances == -sales_testing.balance(company, "2203") == 0
    stock = {
        (row.product.code, row.warehouse.code): row.on_hand
        for row in StockBalance.objects.filter(company=company).select_related(
            "product", "warehouse"
        )
    }
    assert stock == {("A", "WH1"): 91, ("A", "WH2"): 16, ("B", "WH1"): 45}

    as_of_march_10 = receivables.aging(company, day(3, 10))
    [row] = as_of_march_10.rows
    assert (row.customer_code, row.buckets, row.advances) == (
        "K",
        [D("124.30"), D(0), D(0), D(0), D(0)],
        D("38.40"),
    )
    [row] = receivables.aging(company, day(4, 20)).rows
    assert (row.buckets, row.advances) == ([D(0), D("5.90"), D(0), D(0), D(0)], 0)
    report = receivables.statement(company, k, day(3, 1), day(3, 31))
    assert report.opening == 0
    assert [(line.number, line.balance) for line in report.lines] == [
        (delivery1.number, D("361.60")),
        (delivery2.number, D("452.00")),
        (sales_return.number, D("361.60")),
        (receipt1.number, D("-38.40")),
        (delivery3.number, D("85.90")),
        (receipt2.number, D("5.90")),
    ]
    assert report.closing == D("5.90")
    assert checks.receivables_match_ledger() == []
