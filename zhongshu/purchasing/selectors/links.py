"""Reads that join purchasing documents to one another, for their pages: the
orders a requisition became, the receipts and invoices of an order, the
returns of a receipt, and the order lines a supplier's invoice can bill."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from zhongshu.core.models import Company
from zhongshu.core.money import round_price
from zhongshu.purchasing.models import (
    GoodsReceipt,
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReturn,
    SupplierInvoice,
)

ZERO = Decimal("0")


def requisition_orders(
    company: Company, requisition_id: int
) -> QuerySet[PurchaseOrder]:
    return (
        PurchaseOrder.objects.filter(company=company, requisition_id=requisition_id)
        .select_related("supplier")
        .order_by("id")
    )


def order_receipts(company: Company, order_id: int) -> QuerySet[GoodsReceipt]:
    return GoodsReceipt.objects.filter(company=company, order_id=order_id).order_by(
        "date", "id"
    )


def order_invoices(company: Company, order_id: int) -> QuerySet[SupplierInvoice]:
    """The invoices billing any line of the order (cancelled ones too)."""
    ids = SupplierInvoice.objects.filter(
        company=company, lines__order_line__order_id=order_id
    ).values("id")
    return SupplierInvoice.objects.filter(pk__in=ids).order_by("date", "id")


def receipt_returns(company: Company, receipt_id: int) -> QuerySet[PurchaseReturn]:
    return PurchaseReturn.objects.filter(
        company=company, receipt_id=receipt_id
    ).order_by("date", "id")


@dataclasses.dataclass(frozen=True, slots=True)
class BillableLine:
    """An order line an invoice may bill: what came in and is not yet
    invoiced nor returned, and the order's price per base unit (with or
    without VAT as the order's prices are) — what a matching invoice says."""

    line: PurchaseOrderLine
    received_open: Decimal
    unit_price: Decimal


def billable_lines(company: Company, supplier_id: int) -> list[BillableLine]:
    """The supplier's order lines still to invoice, oldest order first: lines
    of confirmed orders not invoiced in full (goods may come later), and
    lines of any order with goods received and not yet invoiced."""
    not_billed = F("returned_quantity") + F("invoiced_quantity")
    rows = (
        PurchaseOrderLine.objects.filter(
            company=company, order__supplier_id=supplier_id
        )
        .filter(
            Q(order__state=OrderState.CONFIRMED, base_quantity__gt=not_billed)
            | Q(
                order__state__in=(OrderState.CONFIRMED, OrderState.DONE),
                received_quantity__gt=not_billed,
            )
        )
        .select_related("order", "product__base_unit", "unit")
        .order_by("order__date", "order_id", "line_no")
    )
    return [
        BillableLine(
            line=row,
            received_open=max(
                row.received_quantity - row.returned_quantity - row.invoiced_quantity,
                ZERO,
            ),
            unit_price=round_price(row.unit_price * row.quantity / row.base_quantity),
        )
        for row in rows
    ]
