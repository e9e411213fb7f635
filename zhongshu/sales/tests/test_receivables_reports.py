"""Receivables reports: the aging at its bucket boundaries and as of past
days, open and overdue items, and the customer statement against the ledger.

The story (13 % VAT, prices include it; customer K pays in 30 days):

- 01-10 D1: 1 × 113.00 = 113.00, due 02-09.
- 02-09 D2: 2 × 113.00 = 226.00, due 03-11.
- 03-01 D3: 1 × 56.50 = 56.50, due 03-31.
- 03-05 R1: 150.00, oldest due first: D1 113.00, D2 37.00 (D2 open 189.00).
- 03-20 R2: 300.00: D2 189.00, D3 56.50 = 245.50; 54.50 is an advance.

Ages on 03-12: D1 61 days (21 left of January + 28 + 12), D2 31 (19 + 12),
D3 11. On 03-11 each is a day younger: D2 is 30.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company
from zhongshu.ledger import services as ledger_services
from zhongshu.ledger.models import Account
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import Delivery, ItemKind, ReceivableItem, Settlement
from zhongshu.sales.selectors import receivables as reports
from zhongshu.sales.selectors.receivables import Basis, LineKind

pytestmark = pytest.mark.django_db

D = Decimal


def day(month: int, number: int) -> datetime.date:
    return datetime.date(2026, month, number)


def at(month: int, number: int) -> Any:
    """Travel to 10:00 Beijing time on that day (02:00 UTC)."""
    return time_machine.travel(
        datetime.datetime(2026, month, number, 2, tzinfo=datetime.UTC), tick=False
    )


def track_customers(company: Company) -> None:
    """应收账款 and 预收账款 kept per customer (辅助核算; the chart's default,
    made sure of here), set before any posting."""
    owner = core_testing.owner_of(company)
    for code in ("1122", "2203"):
        account = Account.objects.get(company=company, code=code)
        ledger_services.update_account(
            account=account, actor=owner, name=account.name, dimensions=["customer"]
        )


def sell(
    company: Company, customer: Customer, on: datetime.date, qty: str, price: str
) -> ReceivableItem:
    product = sales_testing.stocked_product(
        company, f"P{on:%m%d}{customer.code}", quantity="10", unit_cost="10"
    )
    order = sales_testing.confirmed_order(
        company, customer, [(product, qty, price)], day=on
    )
    delivery = services.deliver(order=order, actor=None, date=on)
    return ReceivableItem.objects.get(kind=ItemKind.DELIVERY, source_id=delivery.pk)


@pytest.fixture
def story() -> dict[str, Any]:
    company = sales_testing.sales_company("AGING")
    k = partners_testing.make_customer(company, "K", payment_terms_days=30)
    d1 = sell(company, k, day(1, 10), "1", "113.00")
    d2 = sell(company, k, day(2, 9), "2", "113.00")
    d3 = sell(company, k, day(3, 1), "1", "56.50")
    r1 = services.record_receipt(
        company=company, actor=None, customer=k, date=day(3, 5), amount=D("150")
    )
    r2 = services.record_receipt(
        company=company, actor=None, customer=k, date=day(3, 20), amount=D("300")
    )
    return {
        "company": company,
        "k": k,
        "d1": d1,
        "d2": d2,
        "d3": d3,
        "r1": r1,
        "r2": r2,
    }


def figures(report: reports.Aging) -> dict[str, Any]:
    return {
        row.customer_code: (
            [str(b) for b in row.buckets],
            str(row.advances),
            str(row.balance),
        )
        for row in report.rows
    }


# --- buckets ---------------------------------------------------------------------


def test_buckets_from_settings_and_their_labels() -> None:
    buckets = reports.make_buckets((30, 60, 90, 180), Basis.DATE)
    assert [b.label for b in buckets] == [
        "0–30",
        "31–60",
        "61–90",
        "91–180",
        "Over 180",
    ]
    assert [b.key for b in buckets] == ["0-30", "31-60", "61-90", "91-180", "181-"]
    by_due = reports.make_buckets((30,), Basis.DUE_DATE)
    assert [b.label for b in by_due] == ["Not yet due", "1–30", "Over 30"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30,60,90,180", (30, 60, 90, 180)), (" 15， 45 ", (15, 45)), ("7", (7,))],
)
def test_bucket_limits_parse(text: str, expected: tuple[int, ...]) -> None:
    assert reports.parse_buckets(text) == expected


@pytest.mark.parametrize(
    "text", ["", "30,30", "60,30", "0,30", "30,x", "1,2,3,4,5,6,7,8,9"]
)
def test_bucket_limits_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # the message is the user's
        reports.parse_buckets(text)


# --- aging -------------------------------------------------------------------------


def test_aging_on_the_boundary_30_days_vs_31(story: dict[str, Any]) -> None:
    company = story["company"]
    # 03-12: D1 settled on 03-05; D2 189.00 is 31 days old; D3 56.50 is 11.
    on_12 = reports.aging(company, day(3, 12))
    assert figures(on_12) == {
        "K": (["56.50", "189.00", "0.00", "0.00", "0.00"], "0.00", "245.50")
    }
    # 03-11: D2 is 30 days old, in the first bucket with D3: 245.50.
    on_11 = reports.aging(company, day(3, 11))
    assert figures(on_11)["K"][0] == ["245.50", "0.00", "0.00", "0.00", "0.00"]
    assert on_11.totals.open_total == D("245.50")


def test_aging_before_a_receipt_reconstructs_what_was_open(
    story: dict[str, Any],
) -> None:
    # 03-04, before R1 (and R2): D1 113.00 is 53 days old (21 + 28 + 4); D2
    # 226.00 is 23 and D3 56.50 is 3: 282.50 in 0–30.
    report = reports.aging(story["company"], day(3, 4))
    assert figures(report) == {
        "K": (["282.50", "113.00", "0.00", "0.00", "0.00"], "0.00", "395.50")
    }


def test_aging_after_everything_shows_only_the_advance(story: dict[str, Any]) -> None:
    # After R2 everything is settled, 54.50 was paid in advance: K owes −54.50.
    report = reports.aging(story["company"], day(3, 31))
    assert figures(report) == {
        "K": (["0.00", "0.00", "0.00", "0.00", "0.00"], "54.50", "-54.50")
    }
    assert report.totals.advances == D("54.50")


def test_aging_by_due_date(story: dict[str, Any]) -> None:
    # 03-12 by due date: D2 due 03-11 is 1 day overdue (1–30); D3 due 03-31
    # is not yet due.
    report = reports.aging(story["company"], day(3, 12), basis="due_date")
    assert [b.label for b in report.buckets][:2] == ["Not yet due", "1–30"]
    assert figures(report)["K"][0] == [
        "56.50",
        "189.00",
        "0.00",
        "0.00",
        "0.00",
        "0.00",
    ]


def test_aging_with_other_buckets_and_one_customer(story: dict[str, Any]) -> None:
    company = story["company"]
    other = partners_testing.make_customer(company, "L")
    sell(company, other, day(3, 10), "1", "11.30")
    # Limits 10 and 40 on 03-12: D3 (11 days) in 11–40, D2 (31) in 11–40 too.
    report = reports.aging(company, day(3, 12), buckets=(10, 40))
    assert figures(report) == {
        "K": (["0.00", "245.50", "0.00"], "0.00", "245.50"),
        "L": (["11.30", "0.00", "0.00"], "0.00", "11.30"),
    }
    only_l = reports.aging(company, day(3, 12), customer_id=other.pk)
    assert [r.customer_code for r in only_l.rows] == ["L"]
    assert only_l.totals.open_total == D("11.30")


def test_a_settlement_undone_after_the_day_still_counts_on_it(
    story: dict[str, Any],
) -> None:
    company = story["company"]
    settlement = Settlement.objects.get(receipt=story["r1"], item=story["d1"])
    with at(3, 15):
        services.undo_settlement(settlement=settlement, actor=None)
    # The undo took effect on 03-15 (its voucher's date).
    settlement.refresh_from_db()
    assert reports.undo_day(settlement) == day(3, 15)
    # 03-12: as before the undo.
    assert figures(reports.aging(company, day(3, 12)))["K"] == (
        ["56.50", "189.00", "0.00", "0.00", "0.00"],
        "0.00",
        "245.50",
    )
    # 03-16: D1 113.00 reopened (65 days: 61–90), R1's 113.00 is an advance
    # again; owed 113 + 189 + 56.50 − 113 = 245.50.
    assert figures(reports.aging(company, day(3, 16)))["K"] == (
        ["56.50", "189.00", "113.00", "0.00", "0.00"],
        "113.00",
        "245.50",
    )


def test_aging_reads_a_fixed_number_of_queries(story: dict[str, Any]) -> None:
    company = story["company"]
    for n in range(5):
        customer = partners_testing.make_customer(company, f"M{n}")
        sell(company, customer, day(3, 1 + n), "1", "11.30")
    with CaptureQueriesContext(connection) as queries:
        report = reports.aging(company, day(3, 12))
    assert len(report.rows) == 6
    # settings, open items, two passes of changed settlements, receipts and
    # their changed settlements.
    assert len(queries) == 6


# --- open and overdue items ------------------------------------------------------


def test_overdue_items_on_a_past_day_oldest_first(story: dict[str, Any]) -> None:
    company = story["company"]
    # 03-12: D2 (due 03-11) overdue by 1 day with 189.00 open; D1 was settled.
    rows = reports.overdue(company, day(3, 12))
    assert [(r.number, r.open_amount, r.days_overdue) for r in rows] == [
        (story["d2"].number, D("189.00"), 1)
    ]
    # 03-04: D1 (due 02-09) 23 days overdue with all of its 113.00.
    rows = reports.overdue(company, day(3, 4))
    assert [(r.number, r.open_amount, r.days_overdue) for r in rows] == [
        (story["d1"].number, D("113.00"), 23)
    ]
    assert reports.overdue(company, day(3, 31)) == []


def test_open_items_of_one_bucket(story: dict[str, Any]) -> None:
    company = story["company"]
    buckets = reports.make_buckets((30, 60, 90, 180), Basis.DATE)
    second = reports.find_bucket(buckets, "31-60")
    rows = reports.open_items(company, day(3, 12), bucket=second)
    assert [(r.number, r.open_amount, r.age) for r in rows] == [
        (story["d2"].number, D("189.00"), 31)
    ]
    first = reports.find_bucket(buckets, "0-30")
    rows = reports.open_items(company, day(3, 11), bucket=first)
    assert [r.number for r in rows] == [story["d2"].number, story["d3"].number]


# --- the statement -----------------------------------------------------------------


def test_statement_lines_and_balances(story: dict[str, Any]) -> None:
    company, k = story["company"], story["k"]
    report = reports.statement(company, k, day(3, 1), day(3, 31))
    # Opening: D1 113.00 + D2 226.00 = 339.00; then D3 +56.50 = 395.50,
    # R1 −150.00 = 245.50, R2 −300.00 = −54.50 (an advance).
    assert report.opening == D("339.00")
    assert [
        (line.kind, line.increase, line.decrease, line.balance) for line in report.lines
    ] == [
        (LineKind.DELIVERY, D("56.50"), D("0"), D("395.50")),
        (LineKind.RECEIPT, D("0"), D("150.00"), D("245.50")),
        (LineKind.RECEIPT, D("0"), D("300.00"), D("-54.50")),
    ]
    assert report.closing == D("-54.50")
    # The ledger: 1122 113 + 226 + 56.50 − 150 − 245.50 = 0; 2203 −54.50.
    # Receivable less advances = 1122's debit balance + 2203's (credit, so
    # negative) balance.
    ledger = sales_testing.balance(company, "1122", customer=k) + (
        sales_testing.balance(company, "2203", customer=k)
    )
    assert report.closing == ledger == D("-54.50")
    february = reports.statement(company, k, day(2, 1), day(2, 28))
    assert (february.opening, february.closing) == (D("113.00"), D("339.00"))


def test_statement_with_a_return_a_difference_and_its_undoing() -> None:
    """Customer M pays on delivery; 1122 and 2203 are kept per customer.

    02-02 delivery 4 × 11.30 = 45.20; 03-03 one comes back: −11.30, which
    settles the delivery (33.90 open); 03-04 receipt 30.00 (3.90 open);
    03-06 the 3.90 written off; 03-10 that write-off undone (+3.90)."""
    company = sales_testing.sales_company("STMT")
    track_customers(company)
    m = partners_testing.make_customer(company, "M")
    other = partners_testing.make_customer(company, "N")
    sell(company, other, day(2, 2), "1", "99.00")
    item = sell(company, m, day(2, 2), "4", "11.30")
    delivery = Delivery.objects.get(pk=item.source_id)
    services.return_goods(
        delivery=delivery,
        actor=None,
        date=day(3, 3),
        lines=[
            services.ReturnLineData(delivery_line=delivery.lines.get(), quantity=D(1))
        ],
    )
    services.record_receipt(
        company=company, actor=None, customer=m, date=day(3, 4), amount=D("30")
    )
    difference = services.write_off_difference(item=item, actor=None, date=day(3, 6))
    assert difference.amount == D("3.90")
    with at(3, 10):
        services.undo_settlement(settlement=difference, actor=None)

    report = reports.statement(company, m, day(3, 1), day(3, 31))
    assert report.opening == D("45.20")
    assert [
        (line.kind, line.increase, line.decrease, line.balance) for line in report.lines
    ] == [
        (LineKind.RETURN, D("0"), D("11.30"), D("33.90")),
        (LineKind.RECEIPT, D("0"), D("30.00"), D("3.90")),
        (LineKind.DIFFERENCE, D("0"), D("3.90"), D("0.00")),
        (LineKind.DIFFERENCE_UNDONE, D("3.90"), D("0"), D("3.90")),
    ]
    ledger = sales_testing.balance(company, "1122", customer=m) + sales_testing.balance(
        company, "2203", customer=m
    )
    assert report.closing == ledger == D("3.90")
    # Up to 03-08 the write-off stood: M owed nothing.
    assert reports.statement(company, m, day(3, 1), day(3, 8)).closing == D("0.00")
    # A statement starting after the undo carries it in the opening balance.
    assert reports.statement(company, m, day(3, 11), day(3, 31)).opening == D("3.90")
