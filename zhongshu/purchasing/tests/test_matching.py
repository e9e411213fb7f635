"""The 3-way match: invoice lines against the order (price) and the goods
received and not yet invoiced (quantity)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.inventory import testing as inventory_testing
from zhongshu.ledger.models import Voucher
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    InvoiceState,
    PayableItem,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseSettings,
    SupplierInvoice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_chinese() -> Iterator[None]:
    """Messages are asserted as a Chinese user reads them."""
    with translation.override("zh-hans"):
        yield


D = Decimal
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def bought() -> tuple[PurchaseOrder, PurchaseOrderLine]:
    """10 cups ordered at 50.00 (net), 6 received."""
    company = purchasing_testing.purchasing_company("MATCH")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "50")])
    line = order.lines.get()
    services.receive_goods(
        order=order,
        actor=core_testing.owner_of(company),
        date=datetime.date(2026, 3, 3),
        lines=[services.ReceiptLineData(order_line=line, quantity=D("6"))],
    )
    return order, line


def invoice(
    order: PurchaseOrder,
    line: PurchaseOrderLine,
    quantity: str,
    price: str,
    number: str = "F1",
) -> SupplierInvoice:
    return services.enter_invoice(
        company=order.company,
        actor=core_testing.owner_of(order.company),
        data=services.InvoiceData(
            supplier=order.supplier,
            invoice_number=number,
            date=DAY,
            lines=[
                services.InvoiceLineData(
                    order_line=line, quantity=D(quantity), unit_price=D(price)
                )
            ],
        ),
    )


def test_within_tolerance_posts_at_once(bought) -> None:
    order, line = bought
    # 50.40 is 0.8 % above 50.00, inside the default 1 %
    posted = invoice(order, line, "6", "50.40")
    assert posted.state == InvoiceState.POSTED
    assert posted.problems == []
    assert posted.voucher is not None
    # 6 × 50.40 = 302.40 + 39.31 VAT
    assert PayableItem.objects.get(source_id=posted.pk).amount == D("341.71")


def test_a_partial_invoice_matches_what_it_bills(bought) -> None:
    order, line = bought
    posted = invoice(order, line, "4", "50")
    assert posted.state == InvoiceState.POSTED
    line.refresh_from_db()
    assert line.invoiced_quantity == D("4")


def test_price_beyond_tolerance_lands_in_exceptions(bought) -> None:
    order, line = bought
    held = invoice(order, line, "6", "51")
    assert held.state == InvoiceState.EXCEPTION
    assert held.problems == [
        {
            "line": 0,
            "code": "price",
            "message": "CUP：发票单价 51，订单单价 50。",
        }
    ]
    assert held.voucher is None
    assert not PayableItem.objects.filter(company=order.company).exists()
    assert not Voucher.objects.filter(source_kind="purchasing.invoice").exists()


def test_quantity_beyond_received_lands_in_exceptions(bought) -> None:
    order, line = bought
    held = invoice(order, line, "8", "50")
    assert held.state == InvoiceState.EXCEPTION
    assert [(p["code"], p["message"]) for p in held.problems] == [
        ("quantity", "CUP：发票数量 8，已入库未开票 6。")
    ]


def test_goods_not_received_land_in_exceptions_and_post_once_they_arrive() -> None:
    company = purchasing_testing.purchasing_company("EARLY")
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "50")])
    line = order.lines.get()
    held = invoice(order, line, "10", "50")
    assert held.state == InvoiceState.EXCEPTION
    assert held.problems[0]["code"] == "not_received"
    # a rematch before the goods come changes nothing
    held = services.rematch_invoice(invoice=held, actor=owner)
    assert held.state == InvoiceState.EXCEPTION
    services.receive_goods(order=order, actor=owner, date=DAY)
    held = services.rematch_invoice(invoice=held, actor=owner)
    assert held.state == InvoiceState.POSTED
    assert held.problems == []


def test_accepting_cannot_bill_more_than_received(bought) -> None:
    order, line = bought
    held = invoice(order, line, "8", "55")
    with pytest.raises(ValidationError) as error:
        services.resolve_invoice(invoice=held, actor=None, note="ok")
    assert "lines.0.quantity" in error.value.fields
    held.refresh_from_db()
    assert held.state == InvoiceState.EXCEPTION
    assert not PayableItem.objects.filter(company=order.company).exists()
    line.refresh_from_db()
    assert line.invoiced_quantity == D("0")


def test_a_quantity_tolerance_lets_a_slightly_larger_invoice_post(bought) -> None:
    order, line = bought
    PurchaseSettings.objects.filter(company=order.company).update(
        quantity_tolerance=D("50")
    )
    posted = invoice(order, line, "8", "50")
    # all 6 received are matched, valued at the invoice's 400.00
    assert posted.state == InvoiceState.POSTED
    line.refresh_from_db()
    assert line.invoiced_quantity == D("6")


def test_the_same_invoice_number_is_refused_twice(bought) -> None:
    order, line = bought
    invoice(order, line, "3", "50", number="F9")
    with pytest.raises(ValidationError) as error:
        invoice(order, line, "3", "50", number="F9")
    assert "invoice_number" in error.value.fields
    assert SupplierInvoice.objects.filter(company=order.company).count() == 1


def test_a_cancelled_exception_posts_nothing_and_cannot_be_resolved(bought) -> None:
    order, line = bought
    held = invoice(order, line, "6", "60")
    services.cancel_invoice(invoice=held, actor=None, note="wrong supplier price")
    held.refresh_from_db()
    assert held.state == InvoiceState.CANCELLED
    with pytest.raises(ConflictError):
        services.resolve_invoice(invoice=held, actor=None, note="x")
    # the number may be entered again once the wrong one is cancelled
    assert invoice(order, line, "6", "50", number="F1").state == InvoiceState.POSTED
