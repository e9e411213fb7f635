"""AP aging and the supplier statement, against figures worked by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core import testing as core_testing
from zhongshu.inventory import testing as inventory_testing
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.selectors import payables

pytestmark = pytest.mark.django_db
D = Decimal


def test_aging_and_statement_of_one_supplier() -> None:
    """Invoice A 1,130.00 on 1 March due 31 March (30 days); invoice B
    565.00 on 20 April due 20 May; 500.00 paid on 25 April against A; a
    200.00 prepayment on 26 April. As of 30 April by due date: A is 30 days
    overdue with 630.00 open (bucket 1–30), B not yet due with 565.00, and
    200.00 prepaid."""
    company = purchasing_testing.purchasing_company("AGING")
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1", payment_terms_days=30)
    for number, day, quantity in (
        ("A", datetime.date(2026, 3, 1), "10"),
        ("B", datetime.date(2026, 4, 20), "5"),
    ):
        order = purchasing_testing.confirmed_order(
            company, vendor, [(cup, quantity, "100")], day=day
        )
        services.receive_goods(order=order, actor=owner, date=day)
        services.enter_invoice(
            company=company,
            actor=owner,
            data=services.InvoiceData(
                supplier=vendor,
                invoice_number=number,
                date=day,
                lines=[
                    services.InvoiceLineData(
                        order_line=order.lines.get(),
                        quantity=D(quantity),
                        unit_price=D("100"),
                    )
                ],
            ),
        )
    for amount, day, prepay in (
        ("500.00", datetime.date(2026, 4, 25), False),
        ("200.00", datetime.date(2026, 4, 26), True),
    ):
        item = payables.open_items(company).first()
        assert item is not None
        services.record_payment(
            company=company,
            actor=owner,
            data=services.PaymentData(
                supplier=vendor,
                date=day,
                amount=D(amount),
                is_prepayment=prepay,
                allocations=[] if prepay else [services.Allocation(item, D(amount))],
            ),
        )

    report = payables.aging(company, datetime.date(2026, 4, 30))
    (row,) = report.rows
    labels = [b.label for b in report.buckets]
    assert dict(zip(labels, row.buckets, strict=True))["1–30"] == D("630.00")
    assert row.buckets[0] == D("565.00")  # not yet due
    assert (row.open_total, row.prepayments, row.balance) == (
        D("1195.00"),
        D("200.00"),
        D("995.00"),
    )
    # as of 24 April the payment had not happened: A was 1,130.00 open
    earlier = payables.aging(company, datetime.date(2026, 4, 24))
    assert earlier.rows[0].open_total == D("1695.00")
    assert earlier.rows[0].prepayments == D("0")

    statement = payables.statement(
        company, vendor, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)
    )
    assert statement.opening == D("1130.00")
    assert [
        (line.number[:4], line.increase, line.decrease) for line in statement.lines
    ] == [
        ("CGFP", D("565.00"), D("0")),
        ("FK-2", D("0"), D("500.00")),
        ("FK-2", D("0"), D("200.00")),
    ]
    assert statement.closing == D("995.00")
