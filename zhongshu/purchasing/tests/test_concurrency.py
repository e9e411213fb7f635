"""Purchasing under real concurrency on PostgreSQL (threads, row locks):
twenty clerks pay the same invoice at once, twenty invoices race for the
same received goods, twenty receipts for the last units an order allows."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from zhongshu.core import consistency
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.inventory import testing as inventory_testing
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    InvoiceState,
    PayableItem,
    Payment,
    PurchaseOrder,
    SupplierInvoice,
)

D = Decimal
DAY = datetime.date(2026, 3, 10)
CLERKS = 20


def race(work: Callable[[int], None]) -> tuple[int, list[BaseException]]:
    barrier = threading.Barrier(CLERKS)
    won: list[int] = []
    errors: list[BaseException] = []

    def clerk(index: int) -> None:
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

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(won), errors


@pytest.fixture
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Threads race on PostgreSQL's row locks.")


def received_order(code: str) -> PurchaseOrder:
    """10 cups at 100.00 net ordered and received in full."""
    company = purchasing_testing.purchasing_company(code)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "100")])
    services.receive_goods(order=order, actor=core_testing.owner_of(company), date=DAY)
    return order


def enter(order: PurchaseOrder, number: str, quantity: str) -> SupplierInvoice:
    return services.enter_invoice(
        company=order.company,
        actor=None,
        data=services.InvoiceData(
            supplier=order.supplier,
            invoice_number=number,
            date=DAY,
            lines=[
                services.InvoiceLineData(
                    order_line=order.lines.get(),
                    quantity=D(quantity),
                    unit_price=D(100),
                )
            ],
        ),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_twenty_payments_of_one_fifth_never_overpay_the_invoice() -> None:
    order = received_order("PAYRACE")
    enter(order, "F1", "10")  # 1,130.00 owed
    item = PayableItem.objects.get(company=order.company)

    won, errors = race(
        lambda i: (
            services.record_payment(
                company=order.company,
                actor=None,
                data=services.PaymentData(
                    supplier=order.supplier,
                    date=DAY,
                    amount=D("226.00"),
                    allocations=[services.Allocation(item, D("226.00"))],
                ),
            )
            and None
        )
    )

    assert errors == []
    assert won == 5
    item.refresh_from_db()
    assert item.open_amount == D("0.00")
    assert Payment.objects.filter(company=order.company).count() == 5
    assert [r.name for r in consistency.run_all() if not r.passed] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_twenty_invoices_for_two_units_each_post_only_what_was_received() -> None:
    order = received_order("INVRACE")

    won, errors = race(lambda i: enter(order, f"F{i}", "2") and None)

    assert errors == []
    assert won == CLERKS  # every invoice is recorded ...
    posted = SupplierInvoice.objects.filter(
        company=order.company, state=InvoiceState.POSTED
    )
    assert posted.count() == 5  # ... but only 10 received units post
    assert (
        SupplierInvoice.objects.filter(
            company=order.company, state=InvoiceState.EXCEPTION
        ).count()
        == 15
    )
    line = order.lines.get()
    assert line.invoiced_quantity == D("10")
    assert [r.name for r in consistency.run_all() if not r.passed] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_twenty_receipts_never_receive_beyond_the_order() -> None:
    company = purchasing_testing.purchasing_company("RECRACE")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "100")])
    line = order.lines.get()

    won, errors = race(
        lambda i: (
            services.receive_goods(
                order=order,
                actor=None,
                date=DAY,
                lines=[services.ReceiptLineData(order_line=line, quantity=D(1))],
            )
            and None
        )
    )

    assert errors == []
    assert won == 10
    line.refresh_from_db()
    assert line.received_quantity == D("10")
    assert GoodsReceipt.objects.filter(company=company).count() == 10
    assert [r.name for r in consistency.run_all() if not r.passed] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_the_same_supplier_invoice_entered_twenty_times_at_once_is_kept_once() -> None:
    order = received_order("DUPRACE")

    won, errors = race(lambda i: enter(order, "F-SAME", "1") and None)

    assert errors == []
    assert won == 1
    assert SupplierInvoice.objects.filter(company=order.company).count() == 1
