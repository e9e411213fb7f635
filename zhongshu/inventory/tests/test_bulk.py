"""The batch entry points ``issue_many`` and ``reserve_for`` leave stock and
books exactly as one call per document does, refuse a batch whole, and do it
in a bounded number of queries.

Equivalence is proved on twin companies: the same products, opening stock
and costing method; one takes the documents one call at a time, the other in
one batch; then every derived row (moves and their chain state, balances,
month totals, bin quantities, reservations, vouchers and their lines) is
compared, and the consistency checks run.

Query counts measured on SQLite inside the test's transaction (savepoints
count; an ``executemany`` counts once):

- ``issue`` of 5 lines against a reservation takes 37 queries (as before
  the batch path existed), so 25 deliveries one by one take 925;
  ``issue_many`` of 25 × 5 on two dates takes 45: the one-pass writes, 4
  inserts of the 125 moves (SQLite's batch size) and the ledger's bulk path
  for the 25 vouchers (some 17 queries for all of them).
- ``reserve_for`` of 25 orders × 5 lines over 10 products takes 15: 5 plus
  one conditional UPDATE per product × warehouse (``reserve_many`` of one
  order of 5 lines takes 10).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.catalog.models import Product
from zhongshu.core.consistency import run_all
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import (
    Reservation,
    StockBalance,
    StockMonthTotal,
    StockMove,
    StockQuant,
    Warehouse,
)
from zhongshu.ledger.models import Voucher

pytestmark = pytest.mark.django_db

NOV_2, NOV_3, NOV_4, NOV_5 = (datetime.date(2026, 11, day) for day in (2, 3, 4, 5))
ORDER_7, ORDER_8 = SourceRef("sales.order", 7), SourceRef("sales.order", 8)
METHODS = ["moving_average", "fifo", "monthly_average"]

Stock = tuple[Company, Warehouse, dict[str, Product]]


def stocked(code: str, method: str) -> Stock:
    """Three products in one warehouse, each received on the 2nd and again
    on the 4th at another cost, so the three methods value the issues of
    the 3rd and the 5th differently (and those of the 3rd come before a
    receipt): A 10 @ 10.00 and 10 @ 13.00, B 8 @ 7.00 and 4 @ 7.75, C 30 @
    1.10 and 6 @ 1.37."""
    company = t.stocked_company(code, method=method)
    where = t.warehouse(company)
    items = {name: t.product(company, name) for name in ("A", "B", "C")}
    receipts = {"A": ("10.00", "13.00"), "B": ("7.00", "7.75"), "C": ("1.10", "1.37")}
    quantities = {"A": ("10", "10"), "B": ("8", "4"), "C": ("30", "6")}
    for name, item in items.items():
        for number, (quantity, cost) in enumerate(
            zip(quantities[name], receipts[name], strict=True), start=1
        ):
            day = NOV_2 if number == 1 else NOV_4
            t.receive(company, day, item, where, quantity, cost, source_id=number)
    return company, where, items


def line(item: Product, where: Warehouse, quantity: str) -> services.MoveLine:
    return services.MoveLine(product=item, warehouse=where, quantity=Decimal(quantity))


def documents(stock: Stock) -> list[services.IssueDocument]:
    """Four deliveries on two days sharing products; the second and third
    issue order 7's reservation (the second more C than it holds, the third
    the rest of its A)."""
    _company, where, p = stock

    def document(
        number: int, day: datetime.date, *lines: tuple[str, str], **extra: Any
    ) -> services.IssueDocument:
        return services.IssueDocument(
            date=day,
            lines=[line(p[name], where, quantity) for name, quantity in lines],
            counter=t.SALES,
            source=SourceRef("sales.delivery", number),
            **extra,
        )

    return [
        document(1, NOV_3, ("A", "3"), ("B", "2")),
        document(2, NOV_3, ("A", "4"), ("C", "7"), reservation=ORDER_7),
        document(3, NOV_5, ("B", "1"), ("A", "6"), reservation=ORDER_7, summary="Shop"),
        document(4, NOV_5, ("C", "11"), ("B", "3"), ("C", "2")),
    ]


def reserve_order_7(stock: Stock) -> None:
    company, where, p = stock
    services.reserve_many(
        company=company,
        lines=[(p["A"], where, Decimal(5)), (p["C"], where, Decimal(4))],
        source=ORDER_7,
    )


def snapshot(company: Company) -> dict[str, list[tuple[object, ...]]]:
    """Every row the moves derive, with ids replaced by what they name."""
    codes = dict(Product.objects.filter(company=company).values_list("pk", "code"))
    return {
        "moves": [
            (
                m.date,
                m.kind,
                m.product.code,
                m.location.code,
                m.quantity,
                m.value,
                m.unit_cost,
                m.balance_quantity,
                m.balance_value,
                m.fifo_in,
                m.fifo_out,
                m.source_kind,
                m.source_id,
                m.voucher.number if m.voucher else None,
            )
            for m in StockMove.objects.filter(company=company)
            .select_related("product", "location", "voucher")
            .order_by("pk")
        ],
        "balances": [
            (b.product.code, b.on_hand, b.reserved, b.value, b.fifo_in, b.fifo_out)
            for b in StockBalance.objects.filter(company=company)
            .select_related("product")
            .order_by("product__code")
        ],
        "month totals": [
            (
                codes[r.product_id],
                r.month,
                r.in_quantity,
                r.in_value,
                r.out_quantity,
                r.out_value,
            )
            for r in StockMonthTotal.objects.filter(company=company).order_by(
                "product__code", "month"
            )
        ],
        "quants": [
            (codes[q.product_id], q.location.code, q.lot_id, q.quantity)
            for q in StockQuant.objects.filter(company=company)
            .select_related("location")
            .order_by("product__code")
        ],
        "reservations": [
            (r.source_kind, r.source_id, codes[r.product_id], r.quantity)
            for r in Reservation.objects.filter(company=company).order_by(
                "source_id", "product__code"
            )
        ],
        "vouchers": [
            (
                (v.date, v.word, v.number, v.state, v.source_kind, v.source_id),
                v.total,
                [
                    (
                        line.line_no,
                        line.summary,
                        line.account.code,
                        line.debit,
                        line.credit,
                        codes.get(line.product_id or 0),
                        line.customer_id,
                        line.department_id,
                    )
                    for line in v.lines.select_related("account").order_by("line_no")
                ],
            )
            for v in Voucher.objects.filter(company=company).order_by("pk")
        ],
    }


def consistency_problems() -> list[str]:
    return [problem for result in run_all() for problem in result.problems]


@pytest.mark.parametrize("method", METHODS)
def test_issue_many_books_what_one_issue_per_document_books(method: str) -> None:
    # given: twin companies, order 7 holding 5 A and 4 C in each
    one_by_one, batched = stocked("ONE", method), stocked("MANY", method)
    reserve_order_7(one_by_one)
    reserve_order_7(batched)
    assert snapshot(one_by_one[0]) == snapshot(batched[0])
    # when
    singles = [
        services.issue(
            company=one_by_one[0],
            date=d.date,
            lines=d.lines,
            counter=d.counter,
            source=d.source,
            reservation=d.reservation,
            summary=d.summary,
        )
        for d in documents(one_by_one)
    ]
    postings = services.issue_many(company=batched[0], documents=documents(batched))
    # then: the same rows, down to each voucher's lines and numbers
    expected = snapshot(one_by_one[0])
    assert snapshot(batched[0]) == expected
    # order 7's 5 A went 4 to delivery 2 and 1 to delivery 3; its 4 C to
    # delivery 2 (which took 7)
    assert expected["reservations"] == [
        ("sales.order", 7, "A", Decimal(0)),
        ("sales.order", 7, "C", Decimal(0)),
    ]
    assert [b[:3] for b in expected["balances"]] == [
        ("A", Decimal(7), Decimal(0)),  # 20 − 3 − 4 − 6
        ("B", Decimal(6), Decimal(0)),  # 12 − 2 − 1 − 3
        ("C", Decimal(16), Decimal(0)),  # 36 − 7 − 11 − 2
    ]
    # and the postings say what the single calls say, one per document
    assert [
        ([m.value for m in p.moves], p.voucher.number if p.voucher else None)
        for p in postings
    ] == [
        ([m.value for m in p.moves], p.voucher.number if p.voucher else None)
        for p in singles
    ]
    assert [p.voucher.source_id for p in postings if p.voucher] == [1, 2, 3, 4]
    assert all(not p.adjustments for p in postings)
    assert consistency_problems() == []


def test_the_methods_value_the_batch_differently() -> None:
    """The equivalence above is not trivial: the three methods give the
    batch's issues of A (3 and 4 on the 3rd, 6 on the 5th) other costs."""
    values = {}
    for method in METHODS:
        stock = stocked(method.upper()[:8], method)
        reserve_order_7(stock)
        postings = services.issue_many(company=stock[0], documents=documents(stock))
        values[method] = [
            -move.value
            for posting in postings
            for move in posting.moves
            if move.product == stock[2]["A"]
        ]
    assert values == {
        # 10 @ 10.00 until the 4th; then 3 left + 10 @ 13.00 = 160.00 for 13
        "moving_average": [Decimal("30.00"), Decimal("40.00"), Decimal("73.85")],
        # the first layer's 3 left at 10.00, then 3 of the second at 13.00
        "fifo": [Decimal("30.00"), Decimal("40.00"), Decimal("69.00")],
        # (100.00 + 130.00) / 20 = 11.50 for every issue of November
        "monthly_average": [Decimal("34.50"), Decimal("46.00"), Decimal("69.00")],
    }


def test_a_short_third_document_refuses_the_whole_batch() -> None:
    # given: 20 A, 12 B, 36 C; order 7 holds 5 A and 4 C
    company, where, p = stock = stocked("SHORT", "fifo")
    reserve_order_7(stock)
    before = snapshot(company)
    batch = documents(stock)
    # the third asks 12 B: 12 − 2 taken by the first leaves 10
    batch[2] = services.IssueDocument(
        date=NOV_5,
        lines=[line(p["A"], where, "1"), line(p["B"], where, "12")],
        counter=t.SALES,
        source=SourceRef("sales.delivery", 3),
    )
    # when
    with pytest.raises(ValidationError, match="Not enough B in WH1") as error:
        services.issue_many(company=company, documents=batch)
    # then: the error names the document, and nothing of any document is written
    assert "10 available, 12 wanted" in error.value.message
    assert list(error.value.fields) == ["documents.2.lines.1.quantity"]
    assert error.value.fields["documents.2.lines.1.quantity"] == [
        "Not enough B in WH1: 10 available, 12 wanted."
    ]
    assert snapshot(company) == before
    assert StockMove.objects.filter(company=company, kind="issue").count() == 0
    assert not Voucher.objects.filter(company=company, source_kind="sales.delivery")


def test_a_lot_short_in_a_later_document_refuses_the_batch() -> None:
    """The warehouse holds enough, the lot does not: checked document after
    document, with what the earlier ones took."""
    company, where, _p = stocked("LOTS", "fifo")
    milk = t.product(company, "MILK", track_lots=True)
    t.receive(company, NOV_2, milk, where, "5", "3.00", lot="L1", source_id=3)
    t.receive(company, NOV_2, milk, where, "4", "3.00", lot="L2", source_id=4)
    before = snapshot(company)

    def delivery(number: int, lot: str, quantity: str) -> services.IssueDocument:
        return services.IssueDocument(
            date=NOV_3,
            lines=[
                services.MoveLine(
                    product=milk, warehouse=where, quantity=Decimal(quantity), lot=lot
                )
            ],
            counter=t.SALES,
            source=SourceRef("sales.delivery", number),
        )

    # when: 3 of L1, 2 of L2, then 3 of L1 again (9 − 5 = 4 in the warehouse)
    batch = [delivery(1, "L1", "3"), delivery(2, "L2", "2"), delivery(3, "L1", "3")]
    with pytest.raises(ValidationError) as error:
        services.issue_many(company=company, documents=batch)
    # then
    assert error.value.message == (
        "Not enough MILK (lot L1) at WH1/DEFAULT: 2 there, 3 wanted."
    )
    assert list(error.value.fields) == ["documents.2.quantity"]
    assert snapshot(company) == before


def test_availability_follows_the_documents_order() -> None:
    """As one call after another: a document without the reservation sees
    the order's units as taken until the order's own delivery used them."""
    company, where, p = stock = stocked("ORDERED", "moving_average")
    reserve_order_7(stock)  # A: 20 on hand, 5 reserved
    own = services.IssueDocument(
        date=NOV_5,
        lines=[line(p["A"], where, "5")],
        counter=t.SALES,
        source=SourceRef("sales.delivery", 1),
        reservation=ORDER_7,
    )
    other = services.IssueDocument(
        date=NOV_5,
        lines=[line(p["A"], where, "16")],
        counter=t.SALES,
        source=SourceRef("sales.delivery", 2),
    )
    # the other customer first: only 20 − 5 = 15 are free
    with pytest.raises(ValidationError, match="15 available, 16 wanted") as error:
        services.issue_many(company=company, documents=[other, own])
    assert list(error.value.fields) == ["documents.0.lines.0.quantity"]
    # the order's delivery first: then 20 − 5 = 15 are left, all free
    with pytest.raises(ValidationError, match="15 available, 16 wanted") as error:
        services.issue_many(company=company, documents=[own, other])
    assert list(error.value.fields) == ["documents.1.lines.0.quantity"]
    smaller = services.IssueDocument(
        date=NOV_5,
        lines=[line(p["A"], where, "15")],
        counter=t.SALES,
        source=SourceRef("sales.delivery", 2),
    )
    services.issue_many(company=company, documents=[own, smaller])
    balance = StockBalance.objects.get(company=company, product=p["A"])
    assert (balance.on_hand, balance.reserved) == (Decimal(0), Decimal(0))


def test_bad_lines_are_named_by_document_and_line() -> None:
    company, where, p = stock = stocked("LINES", "moving_average")
    batch = documents(stock)
    batch[1] = services.IssueDocument(
        date=NOV_3,
        lines=[line(p["A"], where, "1"), line(p["C"], where, "0")],
        counter=t.SALES,
        source=SourceRef("sales.delivery", 2),
    )
    with pytest.raises(ValidationError) as error:
        services.issue_many(company=company, documents=batch)
    assert error.value.fields == {
        "documents.1.lines.1.quantity": ["The quantity must be greater than zero."]
    }
    batch[1] = dataclasses.replace(batch[1], lines=[])
    with pytest.raises(ValidationError) as error:
        services.issue_many(company=company, documents=batch)
    assert list(error.value.fields) == ["documents.1.lines"]
    assert not StockMove.objects.filter(company=company, kind="issue").exists()
    assert services.issue_many(company=company, documents=[]) == []


# --- reservations ----------


def requests(stock: Stock) -> list[tuple[SourceRef, list[services.ReserveLine]]]:
    """Three orders sharing products; order 7 twice (it adds up), with A
    given twice in one request."""
    _company, where, p = stock
    return [
        (ORDER_7, [(p["A"], where, Decimal(2)), (p["B"], where, Decimal(3))]),
        (
            ORDER_8,
            [
                (p["C"], where, Decimal(9)),
                (p["A"], where, Decimal(4)),
                (p["A"], where, Decimal(1)),
            ],
        ),
        (ORDER_7, [(p["C"], where, Decimal(1)), (p["A"], where, Decimal(6))]),
    ]


@pytest.mark.parametrize("method", METHODS)
def test_reserve_for_reserves_what_one_reserve_many_per_request_reserves(
    method: str,
) -> None:
    # given: twin companies where order 8 already holds 2 B
    one_by_one, batched = stocked("ONE", method), stocked("MANY", method)
    for company, where, p in (one_by_one, batched):
        services.reserve(
            company=company,
            product=p["B"],
            warehouse=where,
            quantity=Decimal(2),
            source=ORDER_8,
        )
    # when
    singles = [
        services.reserve_many(company=one_by_one[0], lines=lines, source=source)
        for source, lines in requests(one_by_one)
    ]
    rows = services.reserve_for(company=batched[0], requests=requests(batched))
    # then
    expected = snapshot(one_by_one[0])
    assert snapshot(batched[0]) == expected
    assert expected["reservations"] == [
        ("sales.order", 7, "A", Decimal(8)),  # 2 + 6
        ("sales.order", 7, "B", Decimal(3)),
        ("sales.order", 7, "C", Decimal(1)),
        ("sales.order", 8, "A", Decimal(5)),  # 4 + 1
        ("sales.order", 8, "B", Decimal(2)),
        ("sales.order", 8, "C", Decimal(9)),
    ]
    assert [b[:3] for b in expected["balances"]] == [
        ("A", Decimal(20), Decimal(13)),
        ("B", Decimal(12), Decimal(5)),
        ("C", Decimal(36), Decimal(10)),
    ]
    # each request gets its source's rows of its products, in product order
    assert [[(r.source_id, r.product.code) for r in group] for group in rows] == [
        [(s.source_id, s.product.code) for s in group] for group in singles
    ]
    assert consistency_problems() == []


def test_reserve_for_refuses_a_sum_beyond_what_is_available() -> None:
    # given: 20 A, of which order 9 holds 6: 14 available
    company, where, p = stocked("SUM", "moving_average")
    services.reserve(
        company=company,
        product=p["A"],
        warehouse=where,
        quantity=Decimal(6),
        source=SourceRef("sales.order", 9),
    )
    before = snapshot(company)
    # when: 8 and 7 each fit, 8 + 7 = 15 does not
    batch = [
        (ORDER_7, [(p["B"], where, Decimal(1)), (p["A"], where, Decimal(8))]),
        (ORDER_8, [(p["A"], where, Decimal(7))]),
    ]
    with pytest.raises(ConflictError, match="Only 14 of A available in WH1; 15"):
        services.reserve_for(company=company, requests=batch)
    # then: nothing is reserved, not even B
    assert snapshot(company) == before
    assert not Reservation.objects.filter(company=company, source_id__in=[7, 8])


def test_reserve_for_names_the_request_of_a_bad_line() -> None:
    company, where, p = stocked("BAD", "moving_average")
    batch = [
        (ORDER_7, [(p["A"], where, Decimal(1))]),
        (ORDER_8, [(p["B"], where, Decimal(2)), (p["C"], where, Decimal(-1))]),
    ]
    with pytest.raises(ValidationError) as error:
        services.reserve_for(company=company, requests=batch)
    assert error.value.fields == {
        "requests.1.lines.1.quantity": ["The quantity must be greater than zero."]
    }
    with pytest.raises(ValidationError) as error:
        services.reserve_for(company=company, requests=[(ORDER_7, [])])
    assert list(error.value.fields) == ["requests.0.lines"]
    assert not Reservation.objects.filter(company=company).exists()
    assert services.reserve_for(company=company, requests=[]) == []


# --- query counts ----------


def big_stock() -> tuple[Company, Warehouse, list[Product]]:
    """Ten products, 1,000 of each at 2.00."""
    company = t.stocked_company("BIG")
    where = t.warehouse(company)
    items = [t.product(company, f"P{n:02}") for n in range(10)]
    for item in items:
        t.receive(company, NOV_2, item, where, "1000", "2.00")
    return company, where, items


def order_lines(
    where: Warehouse, items: list[Product], order: int
) -> list[services.ReserveLine]:
    """Five of the ten products, a different five from order to order."""
    return [(items[(order + k) % 10], where, Decimal(1 + k)) for k in range(5)]


def test_a_batch_of_25_deliveries_of_5_lines_takes_a_bounded_number_of_queries(
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    # given: 25 orders of 5 lines each, reserved in one call
    company, where, items = big_stock()
    fresh = Product.objects.in_bulk([p.pk for p in items])
    items, where = [fresh[p.pk] for p in items], Warehouse.objects.get(pk=where.pk)
    orders = [SourceRef("sales.order", n) for n in range(1, 26)]
    with django_assert_max_num_queries(15):
        services.reserve_for(
            company=company,
            requests=[(o, order_lines(where, items, o.id)) for o in orders],
        )
    batch = [
        services.IssueDocument(
            date=NOV_3 if order.id <= 12 else NOV_5,
            lines=[
                services.MoveLine(product=p, warehouse=where, quantity=q)
                for p, _where, q in order_lines(where, items, order.id)
            ],
            counter=t.SALES,
            source=SourceRef("sales.delivery", order.id),
            reservation=order,
        )
        for order in orders
    ]
    # when
    with django_assert_max_num_queries(45):
        postings = services.issue_many(company=company, documents=batch)
    # then: 25 vouchers numbered in document order, every reservation used up
    assert len(postings) == 25
    numbers = [p.voucher.number or 0 for p in postings if p.voucher]
    assert numbers == list(range(numbers[0], numbers[0] + 25))
    assert not Reservation.objects.filter(company=company, quantity__gt=0).exists()
    assert set(
        StockBalance.objects.filter(company=company).values_list("reserved", flat=True)
    ) == {Decimal(0)}
    assert consistency_problems() == []


def test_a_single_issue_costs_no_more_than_before(
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    """The one-document path stays at 37 queries for 5 reserved lines (it
    posts its one voucher through ``post_voucher``, cheaper for one)."""
    company, where, items = big_stock()
    services.reserve_many(
        company=company, lines=order_lines(where, items, 1), source=ORDER_7
    )
    fresh = Product.objects.in_bulk([p.pk for p in items])
    lines = [
        services.MoveLine(product=fresh[p.pk], warehouse=where, quantity=q)
        for p, _where, q in order_lines(Warehouse.objects.get(pk=where.pk), items, 1)
    ]
    with django_assert_max_num_queries(37):
        services.issue(
            company=company,
            date=NOV_3,
            lines=lines,
            counter=t.SALES,
            source=SourceRef("sales.delivery", 1),
            reservation=ORDER_7,
        )
