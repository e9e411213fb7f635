"""Batch actions of the sales API (批量), mounted under /api/v1/sales/batch.

The same step for many documents in one request — create draft orders,
confirm, deliver, invoice, record receipts — through
``sales.services.batch`` and ``record_receipts``: all or nothing, an error
naming the document it is about (``orders.3.…``), and what one request per
document would have written. Documents are named by id in the body; an id
of another company is a 404, as in a path. At most ``MAX_BATCH`` documents
per request; each honours ``Idempotency-Key`` like every write.
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from collections.abc import Sequence
from typing import ClassVar, TypeVar

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import naming_item
from zhongshu.sales import api_inputs as inputs
from zhongshu.sales import permissions, services
from zhongshu.sales.models import (
    Delivery,
    Receipt,
    SalesInvoice,
    SalesOrder,
)
from zhongshu.sales.schemas import (
    DeliveryRowOut,
    DocumentIn,
    InvoiceOut,
    OrderRowOut,
    ReceiptFieldsIn,
    ReceiptRowOut,
)
from zhongshu.sales.selectors import documents
from zhongshu.sales.services.batch import ORDER_LABEL
from zhongshu.sales.services.receivables import RECEIPT_LABEL

router = Router(tags=["sales: batch"])

MAX_BATCH = 500
LABELS = {"orders": ORDER_LABEL, "receipts": RECEIPT_LABEL}

_INPUT = ConfigDict(extra="forbid")


class OrdersIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    orders: list[DocumentIn] = Field(min_length=1, max_length=MAX_BATCH)


class OrderIdsIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    order_ids: list[int] = Field(min_length=1, max_length=MAX_BATCH)


class DeliverOrdersIn(OrderIdsIn):
    date: datetime.date | None = Field(
        None, description="Empty: each order's own date."
    )


class InvoiceEachIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    delivery_ids: list[int] = Field(min_length=1, max_length=MAX_BATCH)
    date: datetime.date | None = Field(
        None, description="Empty: each delivery's own date."
    )


class ReceiptsIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    receipts: list[ReceiptFieldsIn] = Field(min_length=1, max_length=MAX_BATCH)


M = TypeVar("M", bound=Model)


def _orders(request: HttpRequest, ids: Sequence[int]) -> list[SalesOrder]:
    company = api_context(request).company
    return documents.in_order(
        SalesOrder.objects.filter(company=company), ids, _("Sales order not found.")
    )


def _listed(model: type[M], rows: Sequence[M]) -> list[M]:
    """The rows as the list endpoints show them."""
    related = {
        SalesOrder: ("customer", "warehouse"),
        Delivery: ("customer", "order"),
        SalesInvoice: ("customer",),
        Receipt: ("customer", "account"),
    }[model]
    by_id = {
        row.pk: row
        for row in model._default_manager.filter(
            pk__in=[r.pk for r in rows]
        ).select_related(*related)
    }
    return [by_id[row.pk] for row in rows]


@router.post("/batch/orders", response={201: list[OrderRowOut]})
@require(permissions.SELL.code)
def create_orders(request: HttpRequest, payload: OrdersIn) -> Status[list[SalesOrder]]:
    """Draft orders, priced as one by one (numbered when confirmed)."""
    context = api_context(request)
    company = context.company
    data = []
    for index, document in enumerate(payload.orders):
        with naming_item("orders", index, LABELS["orders"]):
            data.append(inputs.order_data(company, document))
    orders = services.create_orders(company=company, actor=context.user, orders=data)
    return Status(201, _listed(SalesOrder, orders))


@router.post("/batch/orders/confirm", response=list[OrderRowOut])
@require(permissions.SELL.code)
def confirm_orders(request: HttpRequest, payload: OrderIdsIn) -> list[SalesOrder]:
    """Confirm draft orders in the order given: credit checked (past a
    customer's limit: 409 for the whole batch — a manager confirms that order
    on its own), stock reserved, numbers taken."""
    context = api_context(request)
    orders = services.confirm_orders(
        company=context.company,
        actor=context.user,
        orders=_orders(request, payload.order_ids),
    )
    return _listed(SalesOrder, orders)


@router.post("/batch/orders/deliver", response={201: list[DeliveryRowOut]})
@require(permissions.DELIVER.code)
def deliver_orders(
    request: HttpRequest, payload: DeliverOrdersIn
) -> Status[list[Delivery]]:
    """销售出库 of everything still open on each order, from the warehouses
    its lines reserve; one delivery per order."""
    context = api_context(request)
    deliveries = services.deliver_orders(
        company=context.company,
        actor=context.user,
        orders=_orders(request, payload.order_ids),
        date=payload.date,
    )
    return Status(201, _listed(Delivery, deliveries))


@router.post("/batch/deliveries/invoice", response={201: list[InvoiceOut]})
@require(permissions.INVOICE.code)
def invoice_each(
    request: HttpRequest, payload: InvoiceEachIn
) -> Status[list[SalesInvoice]]:
    """开票确认收入, one invoice per delivery (made under on-invoice
    recognition, less what came back)."""
    context = api_context(request)
    company = context.company
    deliveries = documents.in_order(
        Delivery.objects.filter(company=company),
        payload.delivery_ids,
        _("Delivery not found."),
    )
    invoices = services.invoice_each(
        company=company, actor=context.user, deliveries=deliveries, date=payload.date
    )
    return Status(201, _listed(SalesInvoice, invoices))


@router.post("/batch/receipts", response={201: list[ReceiptRowOut]})
@require(permissions.RECEIVE.code)
def record_receipts(request: HttpRequest, payload: ReceiptsIn) -> Status[list[Receipt]]:
    """收款单 for many customers: each settles its customer's oldest open
    items; what is left is an advance (预收)."""
    context = api_context(request)
    company = context.company
    data = []
    for index, row in enumerate(payload.receipts):
        with naming_item("receipts", index, LABELS["receipts"]):
            data.append(
                services.ReceiptData(
                    customer=inputs.customer(company, row.customer),
                    date=inputs.day(row.date),
                    amount=row.amount,
                    method=row.method,
                    account=inputs.account(company, row.account),
                    bank_charge=row.bank_charge,
                    memo=row.memo,
                )
            )
    receipts = services.record_receipts(
        company=company, actor=context.user, receipts=data
    )
    return Status(201, _listed(Receipt, receipts))
