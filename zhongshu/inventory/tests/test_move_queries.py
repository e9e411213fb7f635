"""Query counts of the stock writes a sales order makes, pinned: reserving
its lines (``reserve_many``) and issuing them against the reservation.

Measured on SQLite inside the test's transaction (savepoints count; an
``executemany`` counts once), five products in one warehouse:

- reserving 5 lines: before, 5 × ``reserve`` = 40 queries (a savepoint,
  the settings, the conditional UPDATE, get_or_create's SELECT, savepoint
  and INSERT, per line); now ``reserve_many`` = 10: a savepoint and its
  release, the settings, the conditional UPDATE of each line (in product
  order, each deciding alone), one locked SELECT of the source's rows and
  one INSERT of the new ones.
- issuing 5 lines against the reservation: before, 63 queries (38 of them
  inventory's: a unit per line, a SELECT and 2 UPDATEs per line for the
  reservation, the counter account read again, the voucher set on the
  moves in a second UPDATE); now 37 (19 of them inventory's), the same for
  one line as for five: nothing is read or written per line.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.catalog.models import Product
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import (
    Reservation,
    StockBalance,
    StockMove,
    Warehouse,
)

pytestmark = pytest.mark.django_db

ORDER = SourceRef("sales.order", 7)
NOV_2, NOV_3 = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)


@pytest.fixture
def stock() -> tuple[Company, Warehouse, list[Product]]:
    """Five products, 10 of each received at 10.00 (100.00 each)."""
    company = t.stocked_company()
    where = t.warehouse(company)
    items = [t.product(company, f"P{n}") for n in range(1, 6)]
    for item in items:
        t.receive(company, NOV_2, item, where, "10", "10.00")
    return company, where, items


def fresh(where: Warehouse, items: list[Product]) -> tuple[Warehouse, list[Product]]:
    """The rows as a caller loads them (no unit cached)."""
    products = Product.objects.in_bulk([p.pk for p in items])
    return Warehouse.objects.get(pk=where.pk), [products[p.pk] for p in items]


def reserved(items: list[Product]) -> list[Decimal]:
    by_product = {
        b.product_id: b.reserved for b in StockBalance.objects.filter(product__in=items)
    }
    return [by_product[p.pk] for p in items]


def issue(
    company: Company, where: Warehouse, items: list[Product], quantity: str
) -> services.Posting:
    return services.issue(
        company=company,
        date=NOV_3,
        counter=t.SALES,
        source=SourceRef("sales.delivery", 1),
        lines=[
            services.MoveLine(product=p, warehouse=where, quantity=Decimal(quantity))
            for p in items
        ],
        reservation=ORDER,
    )


def test_reserving_five_lines_takes_ten_queries(
    stock: tuple[Company, Warehouse, list[Product]],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    company, where, items = stock
    where, items = fresh(where, items)
    # when
    with django_assert_max_num_queries(10):
        rows = services.reserve_many(
            company=company,
            lines=[(p, where, Decimal(n)) for n, p in enumerate(items, start=1)],
            source=ORDER,
        )
    # then: 1, 2, 3, 4, 5 reserved, one row each
    assert [(r.product_id, r.quantity) for r in rows] == [
        (p.pk, Decimal(n)) for n, p in enumerate(items, start=1)
    ]
    assert reserved(items) == [Decimal(n) for n in range(1, 6)]
    assert Reservation.objects.filter(source_id=7).count() == 5


def test_issuing_five_reserved_lines_takes_no_query_per_line(
    stock: tuple[Company, Warehouse, list[Product]],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    company, where, items = stock
    services.reserve_many(
        company=company, lines=[(p, where, Decimal(3)) for p in items], source=ORDER
    )
    where, items = fresh(where, items)
    # when: one line, then the other four
    with CaptureQueriesContext(connection) as one:
        issue(company, where, items[:1], "2")
    where, items = fresh(where, items)
    with django_assert_max_num_queries(37):
        posting = issue(company, where, items[1:], "2")
    # then: as many queries for four lines as for one
    where, items = fresh(where, items)
    with CaptureQueriesContext(connection) as four:
        issue(company, where, items[1:], "1")
    assert len(four.captured_queries) == len(one.captured_queries)
    # 3 reserved, 2 then 1 issued of it: 3 − 2 − 1 = 0 left reserved (the
    # first product: 3 − 2 = 1), 10 − 2 − 1 = 7 on hand at 10.00
    assert reserved(items) == [Decimal(1)] + [Decimal(0)] * 4
    assert (
        list(
            Reservation.objects.filter(source_id=7)
            .order_by("product_id")
            .values_list("quantity", flat=True)
        )
        == [Decimal(1)] + [Decimal(0)] * 4
    )
    # each move costs 2 × 10.00 = 20.00 and carries the voucher of its issue
    assert [m.value for m in posting.moves] == [Decimal("-20.00")] * 4
    assert posting.voucher is not None
    saved = StockMove.objects.filter(pk__in=[m.pk for m in posting.moves])
    assert {(m.voucher_id, m.value, m.unit_cost) for m in saved} == {
        (posting.voucher.pk, Decimal("-20.00"), Decimal("10"))
    }
    assert posting.voucher.total == Decimal("80.00")  # 4 × 20.00


def test_reserve_many_adds_to_what_the_source_already_holds(
    stock: tuple[Company, Warehouse, list[Product]],
) -> None:
    company, where, (first, second, *_rest) = stock
    services.reserve(
        company=company,
        product=first,
        warehouse=where,
        quantity=Decimal(2),
        source=ORDER,
    )
    # when: 3 more of the first (given twice: 1 + 2), 4 of the second
    rows = services.reserve_many(
        company=company,
        lines=[
            (second, where, Decimal(4)),
            (first, where, Decimal(1)),
            (first, where, Decimal(2)),
        ],
        source=ORDER,
    )
    # then: 2 + 1 + 2 = 5 of the first, 4 of the second, in product order
    assert [(r.product.code, r.quantity) for r in rows] == [
        ("P1", Decimal(5)),
        ("P2", Decimal(4)),
    ]
    assert reserved([first, second]) == [Decimal(5), Decimal(4)]
    assert Reservation.objects.filter(source_id=7).count() == 2


def test_a_short_line_refuses_the_whole_reservation(
    stock: tuple[Company, Warehouse, list[Product]],
) -> None:
    company, where, items = stock
    services.reserve(
        company=company,
        product=items[2],
        warehouse=where,
        quantity=Decimal(8),
        source=SourceRef("sales.order", 8),
    )
    # when: P3 has 10 − 8 = 2 available, 3 wanted
    with pytest.raises(ConflictError, match="Only 2 of P3 available in WH1; 3"):
        services.reserve_many(
            company=company, lines=[(p, where, Decimal(3)) for p in items], source=ORDER
        )
    # then: nothing of it was written, not even the lines before P3
    assert reserved(items) == [Decimal(0)] * 2 + [Decimal(8)] + [Decimal(0)] * 2
    assert not Reservation.objects.filter(source_id=7).exists()


def test_bad_lines_are_refused_before_anything_is_written(
    stock: tuple[Company, Warehouse, list[Product]],
) -> None:
    company, where, items = stock
    other = t.stocked_company("OTHER")
    with pytest.raises(ValidationError) as error:
        services.reserve_many(
            company=company,
            lines=[(items[0], where, Decimal(1)), (items[1], where, Decimal(0))],
            source=ORDER,
        )
    assert error.value.fields == {
        "lines.1.quantity": ["The quantity must be greater than zero."]
    }
    with pytest.raises(ValidationError) as error:
        services.reserve(
            company=company,
            product=items[0],
            warehouse=where,
            quantity=Decimal(-1),
            source=ORDER,
        )
    assert error.value.fields == {
        "quantity": ["The quantity must be greater than zero."]
    }
    with pytest.raises(NotFoundError):
        services.reserve_many(
            company=company,
            lines=[(items[0], t.warehouse(other, "WH9"), Decimal(1))],
            source=ORDER,
        )
    with pytest.raises(ValidationError, match="Add at least one line"):
        services.reserve_many(company=company, lines=[], source=ORDER)
    assert reserved(items) == [Decimal(0)] * 5
    assert not Reservation.objects.exists()


def test_where_negative_stock_is_allowed_a_reservation_needs_no_stock(
    stock: tuple[Company, Warehouse, list[Product]],
) -> None:
    company, where, items = stock
    loose = t.product(company, "LOOSE", allow_negative_stock=True)  # never received
    # when: 4 of a product never received (and 3 of P1)
    services.reserve_many(
        company=company,
        lines=[(loose, where, Decimal(4)), (items[0], where, Decimal(3))],
        source=ORDER,
    )
    # then: its balance row is created holding the reservation
    balance = StockBalance.objects.get(product=loose)
    assert (balance.on_hand, balance.reserved) == (Decimal(0), Decimal(4))
    assert reserved(items[:1]) == [Decimal(3)]
