"""Requisitions and purchase orders: pricing, approval above the threshold
by someone other than the requester, receipts within tolerance."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from zhongshu.core.models import Role
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import StockMove, Warehouse
from zhongshu.ledger.models import Voucher
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    OrderState,
    PurchaseSettings,
    RequisitionState,
    SupplierProduct,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_chinese() -> Iterator[None]:
    """Messages are asserted as a Chinese user reads them."""
    with translation.override("zh-hans"):
        yield


D = Decimal
DAY = datetime.date(2026, 3, 2)


def test_a_line_without_price_takes_the_suppliers_price() -> None:
    company = purchasing_testing.purchasing_company("PRICE")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    SupplierProduct.objects.create(
        company=company, supplier=vendor, product=cup, unit_price=D("12.50")
    )
    order = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            supplier=vendor,
            date=DAY,
            lines=[services.LineData(product=cup, quantity=D("4"))],
        ),
    )
    line = order.lines.get()
    # 4 × 12.50 = 50.00 net, 6.50 VAT
    assert (line.unit_price, line.net_amount, line.tax_amount) == (
        D("12.50"),
        D("50.00"),
        D("6.50"),
    )
    assert order.total == D("56.50")


def test_a_product_the_supplier_does_not_price_needs_a_price() -> None:
    company = purchasing_testing.purchasing_company("NOPRICE")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    with pytest.raises(ValidationError) as error:
        services.create_order(
            company=company,
            actor=None,
            data=services.OrderData(
                supplier=vendor,
                date=DAY,
                lines=[services.LineData(product=cup, quantity=D("4"))],
            ),
        )
    assert "lines.0.unit_price" in error.value.fields


def test_orders_above_the_threshold_wait_for_another_approver() -> None:
    company = purchasing_testing.purchasing_company(
        "APPROVE", approval_threshold=D("1000")
    )
    buyer = purchasing_testing.buyer(company)
    boss = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    small = purchasing_testing.draft_order(
        company, vendor, [(cup, "10", "10")], actor=buyer
    )
    assert services.confirm_order(order=small, actor=buyer).state == (
        OrderState.CONFIRMED
    )
    large = purchasing_testing.draft_order(
        company, vendor, [(cup, "100", "10")], actor=buyer
    )
    large = services.confirm_order(order=large, actor=buyer)
    assert (large.state, large.number) == (OrderState.SUBMITTED, "")
    # the buyer holds no approval right
    with pytest.raises(PermissionDeniedError):
        services.approve_order(order=large, actor=buyer)
    # nothing can be received before approval
    with pytest.raises(ConflictError):
        services.receive_goods(order=large, actor=boss, date=DAY)
    large = services.approve_order(order=large, actor=boss)
    assert large.state == OrderState.CONFIRMED
    assert large.number.startswith("CGDD-2026-")


def test_nobody_approves_their_own_requisition() -> None:
    company = purchasing_testing.purchasing_company(
        "OWNREQ", approval_threshold=D("500")
    )
    boss = core_testing.owner_of(company)
    other = core_testing.member(company, [Role.OWNER], "second-boss")
    warehouse = Warehouse.objects.get(company=company, code="WH1")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    requisition = services.create_requisition(
        company=company,
        actor=boss,
        data=services.RequisitionData(
            date=DAY,
            warehouse=warehouse,
            lines=[
                services.RequisitionLineData(
                    product=cup, quantity=D("100"), supplier=vendor, unit_price=D("8")
                )
            ],
        ),
    )
    requisition = services.submit_requisition(requisition=requisition, actor=boss)
    assert requisition.state == RequisitionState.SUBMITTED
    with pytest.raises(ValidationError) as error:
        services.approve_requisition(requisition=requisition, actor=boss)
    assert "approver" in error.value.fields
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.SUBMITTED
    assert requisition.approved_by is None
    requisition = services.approve_requisition(requisition=requisition, actor=other)
    (order,) = services.order_requisition(
        requisition=requisition, actor=boss, on_date=DAY
    )
    # approved once: the order above the threshold confirms straight away
    assert services.confirm_order(order=order, actor=boss).state == (
        OrderState.CONFIRMED
    )
    assert order.lines.get().requisition_line is not None
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.ORDERED


def test_receiving_beyond_the_tolerance_is_refused_and_writes_nothing() -> None:
    company = purchasing_testing.purchasing_company(
        "OVER", over_receipt_tolerance=D("10")
    )
    boss = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "5")])
    line = order.lines.get()
    with pytest.raises(ValidationError) as error:
        services.receive_goods(
            order=order,
            actor=boss,
            date=DAY,
            lines=[services.ReceiptLineData(order_line=line, quantity=D("12"))],
        )
    assert "lines.0.quantity" in error.value.fields
    assert "最多还可入库 11" in error.value.message
    assert not GoodsReceipt.objects.filter(company=company).exists()
    assert not StockMove.objects.filter(company=company).exists()
    assert not Voucher.objects.filter(company=company).exists()
    # within the 10 % it comes in, the extra unit at the order price
    receipt = services.receive_goods(
        order=order,
        actor=boss,
        date=DAY,
        lines=[services.ReceiptLineData(order_line=line, quantity=D("11"))],
    )
    assert receipt.value_total == D("55.00")
    order.refresh_from_db()
    assert order.state == OrderState.DONE


def test_the_supplier_confirms_dates_per_line() -> None:
    company = purchasing_testing.purchasing_company("CONFIRM")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "5")])
    with pytest.raises(ValidationError):
        services.record_supplier_confirmation(
            order=order, actor=None, dates=[(2, datetime.date(2026, 3, 9))]
        )
    order = services.record_supplier_confirmation(
        order=order,
        actor=None,
        dates=[(1, datetime.date(2026, 3, 9))],
        reference="SO-778",
    )
    assert order.supplier_confirmed_at is not None
    assert order.lines.get().confirmed_date == datetime.date(2026, 3, 9)


def test_a_partly_received_order_cannot_be_cancelled() -> None:
    company = purchasing_testing.purchasing_company("CANCEL")
    boss = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "5")])
    services.receive_goods(
        order=order,
        actor=boss,
        date=DAY,
        lines=[services.ReceiptLineData(order_line=order.lines.get(), quantity=D("2"))],
    )
    with pytest.raises(ConflictError):
        services.cancel_order(order=order, actor=boss)
    assert services.close_order(order=order, actor=boss).state == OrderState.DONE
    assert PurchaseSettings.objects.filter(company=company).exists()
