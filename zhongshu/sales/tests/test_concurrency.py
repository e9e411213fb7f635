"""Sales under real concurrency on PostgreSQL (threads, row locks): twenty
confirmations race for the last ten units, two cashiers settle the same
item at once."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.inventory import checks as inventory_checks
from zhongshu.inventory.models import StockBalance
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import DocumentState, Receipt, ReceivableItem, SalesOrder

D = Decimal
DAY = datetime.date(2026, 3, 2)
BUYERS = 20


def race(work: Callable[[int], None]) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(BUYERS)
    won: list[int] = []
    errors: list[BaseException] = []

    def buyer(index: int) -> None:
        try:
            barrier.wait()
            work(index)
            won.append(index)
        except (ConflictError, ValidationError):
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(won), errors


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Threads race on PostgreSQL's row locks.")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_twenty_confirmations_never_oversell_the_last_ten_units() -> None:
    company = sales_testing.sales_company("RACE")
    last = sales_testing.stocked_product(company, "LAST", quantity="10")
    customers = [partners_testing.make_customer(company) for _ in range(BUYERS)]
    drafts = [
        services.create_order(
            company=company,
            actor=None,
            data=services.OrderData(
                customer=customer,
                date=DAY,
                lines=[services.LineData(product=last, quantity=D(1), unit_price=D(9))],
            ),
        )
        for customer in customers
    ]

    won, errors = race(
        lambda i: services.confirm_order(order=drafts[i], actor=None) and None
    )

    assert errors == []
    assert won == 10
    confirmed = SalesOrder.objects.filter(
        company=company, state=DocumentState.CONFIRMED
    )
    # Numbers are taken in the confirming transaction: the losers' roll back,
    # so the ten winners hold 00001 … 00010 without a gap.
    assert sorted(confirmed.values_list("number", flat=True)) == [
        f"XSDD-2026-{n:05d}" for n in range(1, 11)
    ]
    balance = StockBalance.objects.get(product=last)
    assert (balance.on_hand, balance.reserved) == (D(10), D(10))
    assert inventory_checks.reservations_are_covered() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_two_cashiers_settling_one_item_never_settle_it_twice() -> None:
    company = sales_testing.sales_company("CASH")
    product = sales_testing.stocked_product(company, "P", quantity="10")
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(product, "1", "100")])
    services.deliver(order=order, actor=None, date=DAY)

    won, errors = race(
        lambda _i: (
            services.record_receipt(
                company=company, actor=None, customer=customer, date=DAY, amount=D(100)
            )
            and None
        )
    )

    assert errors == []
    assert won == BUYERS
    item = ReceivableItem.objects.get(company=company)
    assert item.open_amount == 0
    # One receipt settled the 100.00; the other nineteen are advances.
    advances = sorted(r.unallocated for r in Receipt.objects.filter(company=company))
    assert advances == [D(0)] + [D(100)] * (BUYERS - 1)
    assert sales_testing.balance(company, "1122") == 0
    assert sales_testing.balance(company, "2203") == D(-1900)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_twenty_batches_never_oversell_and_each_is_all_or_nothing() -> None:
    """Each buyer confirms a batch of two orders, one of A and one of B (in
    either order); ten of each are in stock, so ten batches win whole."""
    company = sales_testing.sales_company("BATCHRACE")
    a = sales_testing.stocked_product(company, "A", quantity="10")
    b = sales_testing.stocked_product(company, "B", quantity="10")
    customers = [partners_testing.make_customer(company) for _ in range(BUYERS)]
    batches = [
        [
            sales_testing.draft_order(company, customer, [(product, "1", "9")])
            for product in ((a, b) if index % 2 else (b, a))
        ]
        for index, customer in enumerate(customers)
    ]

    won, errors = race(
        lambda i: (
            services.confirm_orders(company=company, actor=None, orders=batches[i])
            and None
        )
    )

    assert errors == []
    assert won == 10
    for batch in batches:
        states = {SalesOrder.objects.get(pk=o.pk).state for o in batch}
        assert states in ({DocumentState.CONFIRMED}, {DocumentState.DRAFT})
    assert sorted(
        SalesOrder.objects.filter(
            company=company, state=DocumentState.CONFIRMED
        ).values_list("number", flat=True)
    ) == [f"XSDD-2026-{n:05d}" for n in range(1, 21)]
    for product in (a, b):
        balance = StockBalance.objects.get(product=product)
        assert (balance.on_hand, balance.reserved) == (D(10), D(10))
    assert inventory_checks.reservations_are_covered() == []
