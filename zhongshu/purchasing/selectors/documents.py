"""Reads of the purchasing documents: filtered lists (newest first, with
what a list shows already joined) and one document by id (404 for another
company's), with its lines."""

from __future__ import annotations

import dataclasses
import datetime
from typing import TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    InvoiceState,
    Payment,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReturn,
    Requisition,
    SupplierInvoice,
    SupplierInvoiceLine,
)

M = TypeVar("M", bound=Model)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFilter:
    """``q`` matches the number or the supplier's code or name; ``state`` is
    the document's state (requisitions, orders, invoices — "exception" lists
    the match exceptions)."""

    q: str = ""
    supplier_id: int | None = None
    state: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    warehouse_id: int | None = None


NO_FILTER = DocumentFilter()


def _common(
    rows: QuerySet[M], f: DocumentFilter, *, supplier: bool = True
) -> QuerySet[M]:
    text = f.q.strip()
    if text:
        match = Q(number__icontains=text)
        if supplier:
            match |= Q(supplier__code__icontains=text) | Q(
                supplier__name__icontains=text
            )
        rows = rows.filter(match)
    if f.supplier_id is not None and supplier:
        rows = rows.filter(supplier_id=f.supplier_id)
    if f.date_from is not None:
        rows = rows.filter(date__gte=f.date_from)
    if f.date_to is not None:
        rows = rows.filter(date__lte=f.date_to)
    return rows.order_by("-date", "-id")


def requisitions(
    company: Company, f: DocumentFilter = NO_FILTER
) -> QuerySet[Requisition]:
    rows = Requisition.objects.filter(company=company).select_related(
        "warehouse", "requester"
    )
    if f.state:
        rows = rows.filter(state=f.state)
    if f.warehouse_id is not None:
        rows = rows.filter(warehouse_id=f.warehouse_id)
    return _common(rows, f, supplier=False)


def orders(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[PurchaseOrder]:
    rows = PurchaseOrder.objects.filter(company=company).select_related(
        "supplier", "warehouse", "buyer"
    )
    if f.state:
        rows = rows.filter(state=f.state)
    if f.warehouse_id is not None:
        rows = rows.filter(warehouse_id=f.warehouse_id)
    return _common(rows, f)


def receipts(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[GoodsReceipt]:
    rows = GoodsReceipt.objects.filter(company=company).select_related(
        "supplier", "order"
    )
    if f.warehouse_id is not None:
        rows = rows.filter(order__warehouse_id=f.warehouse_id)
    return _common(rows, f)


def invoices(
    company: Company, f: DocumentFilter = NO_FILTER
) -> QuerySet[SupplierInvoice]:
    rows = SupplierInvoice.objects.filter(company=company).select_related("supplier")
    if f.state:
        rows = rows.filter(state=f.state)
    text = f.q.strip()
    if text:
        rows = rows.filter(
            Q(invoice_number__icontains=text)
            | Q(number__icontains=text)
            | Q(supplier__code__icontains=text)
            | Q(supplier__name__icontains=text)
        )
    return _common(rows, dataclasses.replace(f, q=""))


def exceptions(company: Company) -> QuerySet[SupplierInvoice]:
    """The invoices waiting for a buyer, oldest first."""
    return (
        SupplierInvoice.objects.filter(company=company, state=InvoiceState.EXCEPTION)
        .select_related("supplier")
        .order_by("date", "id")
    )


def returns(
    company: Company, f: DocumentFilter = NO_FILTER
) -> QuerySet[PurchaseReturn]:
    rows = PurchaseReturn.objects.filter(company=company).select_related(
        "supplier", "receipt"
    )
    return _common(rows, f)


def payments(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[Payment]:
    rows = Payment.objects.filter(company=company).select_related("supplier", "account")
    if f.state == "prepayment":
        rows = rows.filter(unallocated__gt=0)
    return _common(rows, f)


# --- one document ----------


def _one(rows: QuerySet[M], document_id: int, message: str) -> M:
    found = rows.filter(pk=document_id).first()
    if found is None:
        raise NotFoundError(message)
    return found


def get_requisition(company: Company, requisition_id: int) -> Requisition:
    rows = Requisition.objects.filter(company=company).prefetch_related(
        "lines__product", "lines__supplier"
    )
    return _one(rows, requisition_id, _("Purchase requisition not found."))


def get_order(company: Company, order_id: int) -> PurchaseOrder:
    rows = (
        PurchaseOrder.objects.filter(company=company)
        .select_related("supplier", "warehouse", "buyer", "requisition")
        .prefetch_related(
            Prefetch(
                "lines",
                PurchaseOrderLine.objects.select_related(
                    "product", "unit", "warehouse"
                ).order_by("line_no"),
            )
        )
    )
    return _one(rows, order_id, _("Purchase order not found."))


def get_receipt(company: Company, receipt_id: int) -> GoodsReceipt:
    rows = (
        GoodsReceipt.objects.filter(company=company)
        .select_related("supplier", "order", "voucher")
        .prefetch_related(
            Prefetch(
                "lines",
                GoodsReceiptLine.objects.select_related(
                    "product", "warehouse", "order_line"
                ),
            )
        )
    )
    return _one(rows, receipt_id, _("Goods receipt not found."))


def get_invoice(company: Company, invoice_id: int) -> SupplierInvoice:
    rows = (
        SupplierInvoice.objects.filter(company=company)
        .select_related("supplier", "voucher")
        .prefetch_related(
            Prefetch(
                "lines",
                SupplierInvoiceLine.objects.select_related(
                    "product", "order_line__order"
                ).order_by("id"),
            )
        )
    )
    return _one(rows, invoice_id, _("Supplier invoice not found."))


def get_return(company: Company, return_id: int) -> PurchaseReturn:
    rows = (
        PurchaseReturn.objects.filter(company=company)
        .select_related("supplier", "receipt")
        .prefetch_related("lines__product", "lines__warehouse")
    )
    return _one(rows, return_id, _("Purchase return not found."))


def get_payment(company: Company, payment_id: int) -> Payment:
    rows = (
        Payment.objects.filter(company=company)
        .select_related("supplier", "account", "voucher")
        .prefetch_related("settlements__item")
    )
    return _one(rows, payment_id, _("Payment not found."))
