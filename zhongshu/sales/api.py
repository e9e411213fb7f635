"""The sales REST endpoints, mounted at /api/v1/sales.

Thin: parse, authorize, one service or selector, schema out. Documents named
by id in paths go through ``selectors.documents``, which answer 404 for
another company's ids; so do rows named by id in bodies (order and delivery
lines, receivable items). Customers, products, units, warehouses, locations,
accounts and salespeople are named by code, which only ever finds the
calling company's row (an unknown code is a 422 on its field). Writes run in
the API's transaction and honour ``Idempotency-Key`` (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.sales import api_batch, api_reports, api_retail, permissions, services
from zhongshu.sales import api_inputs as inputs
from zhongshu.sales.models import (
    Delivery,
    Quotation,
    Receipt,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
    SalesReturn,
    Settlement,
)
from zhongshu.sales.schemas import (
    AllocationIn,
    ApplyIn,
    ConfirmIn,
    ConvertIn,
    DeliverIn,
    DeliveryOut,
    DeliveryRowOut,
    DocumentIn,
    DocumentQuery,
    FlowNodeOut,
    InvoiceDetailOut,
    InvoiceIn,
    InvoiceOut,
    ItemOut,
    ItemQuery,
    OrderOut,
    OrderRowOut,
    QuotationOut,
    QuotationRowOut,
    ReceiptIn,
    ReceiptOut,
    ReceiptRowOut,
    ReturnIn,
    ReturnOut,
    ReturnRowOut,
    SettlementOut,
    WriteOffIn,
)
from zhongshu.sales.selectors import documents

router = Router(tags=["sales"])
router.add_router("", api_retail.router)
router.add_router("", api_batch.router)
router.add_router("", api_reports.router)

VIEW = permissions.VIEW_SALES.code
SELL = permissions.SELL.code
DELIVER = permissions.DELIVER.code
INVOICE = permissions.INVOICE.code
RECEIVE = permissions.RECEIVE.code


# --- codes and ids to rows ---------------


def _filter(company: Company, query: DocumentQuery) -> documents.DocumentFilter:
    customer = (
        inputs.customer(company, query.customer) if query.customer.strip() else None
    )
    warehouse = inputs.warehouse(company, query.warehouse, "warehouse")
    return documents.DocumentFilter(
        q=query.q,
        customer_id=customer.pk if customer else None,
        state=query.state.strip(),
        date_from=query.date_from,
        date_to=query.date_to,
        warehouse_id=warehouse.pk if warehouse else None,
    )


# --- quotations and orders ---------------


@router.get("/quotations", response=list[QuotationRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_quotations(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[Quotation]:
    """Newest first; ``state`` draft, accepted or cancelled."""
    company = api_context(request).company
    return documents.quotations(company, _filter(company, filters))


@router.get("/quotations/{quotation_id}", response=QuotationOut)
@require(VIEW)
def get_quotation(request: HttpRequest, quotation_id: int) -> Quotation:
    return documents.get_quotation(api_context(request).company, quotation_id)


@router.post("/quotations", response={201: QuotationOut})
@require(SELL)
def create_quotation(request: HttpRequest, payload: DocumentIn) -> Status[Quotation]:
    """A quotation, numbered at once; prices from the lists when not given."""
    context = api_context(request)
    company = context.company
    quotation = services.create_quotation(
        company=company, actor=context.user, data=inputs.order_data(company, payload)
    )
    return Status(201, documents.get_quotation(company, quotation.pk))


@router.put("/quotations/{quotation_id}", response=QuotationOut)
@require(SELL)
def update_quotation(
    request: HttpRequest, quotation_id: int, payload: DocumentIn
) -> Quotation:
    """Replace a draft quotation's header and lines; 409 once answered."""
    context = api_context(request)
    company = context.company
    quotation = documents.get_quotation(company, quotation_id)
    services.update_quotation(
        quotation=quotation,
        actor=context.user,
        data=inputs.order_data(company, payload),
    )
    return documents.get_quotation(company, quotation_id)


@router.post("/quotations/{quotation_id}/cancel", response=QuotationOut)
@require(SELL)
def cancel_quotation(request: HttpRequest, quotation_id: int) -> Quotation:
    context = api_context(request)
    quotation = documents.get_quotation(context.company, quotation_id)
    services.cancel_quotation(quotation=quotation, actor=context.user)
    return documents.get_quotation(context.company, quotation_id)


@router.post("/quotations/{quotation_id}/order", response={201: OrderOut})
@require(SELL)
def order_quotation(
    request: HttpRequest, quotation_id: int, payload: ConvertIn
) -> Status[SalesOrder]:
    """The customer accepted: a draft order at the quoted prices; 409 when
    the quotation expired or was answered."""
    context = api_context(request)
    company = context.company
    order = services.order_from_quotation(
        quotation=documents.get_quotation(company, quotation_id),
        actor=context.user,
        date=payload.date,
        warehouse=inputs.warehouse(company, payload.warehouse, "warehouse"),
    )
    return Status(201, documents.get_order(company, order.pk))


@router.get("/orders", response=list[OrderRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_orders(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[SalesOrder]:
    """Newest first; ``state`` draft, confirmed, done or cancelled."""
    company = api_context(request).company
    return documents.orders(company, _filter(company, filters))


@router.get("/orders/{order_id}", response=OrderOut)
@require(VIEW)
def get_order(request: HttpRequest, order_id: int) -> SalesOrder:
    return documents.get_order(api_context(request).company, order_id)


@router.post("/orders", response={201: OrderOut})
@require(SELL)
def create_order(request: HttpRequest, payload: DocumentIn) -> Status[SalesOrder]:
    """A draft order (numbered when confirmed)."""
    context = api_context(request)
    company = context.company
    order = services.create_order(
        company=company, actor=context.user, data=inputs.order_data(company, payload)
    )
    return Status(201, documents.get_order(company, order.pk))


@router.put("/orders/{order_id}", response=OrderOut)
@require(SELL)
def update_order(
    request: HttpRequest, order_id: int, payload: DocumentIn
) -> SalesOrder:
    """Replace a draft order's header and lines; 409 once confirmed."""
    context = api_context(request)
    company = context.company
    services.update_order(
        order=documents.get_order(company, order_id),
        actor=context.user,
        data=inputs.order_data(company, payload),
    )
    return documents.get_order(company, order_id)


@router.post("/orders/{order_id}/confirm", response=OrderOut)
@require(SELL)
def confirm_order(
    request: HttpRequest, order_id: int, payload: ConfirmIn
) -> SalesOrder:
    """Check credit, reserve stock, number the order. Beyond the customer's
    credit limit: 409, unless ``override_reason`` is given by a holder of
    ``sales.override_credit``."""
    context = api_context(request)
    company = context.company
    services.confirm_order(
        order=documents.get_order(company, order_id),
        actor=context.user,
        override_reason=payload.override_reason,
    )
    return documents.get_order(company, order_id)


@router.post("/orders/{order_id}/cancel", response=OrderOut)
@require(SELL)
def cancel_order(request: HttpRequest, order_id: int) -> SalesOrder:
    """A draft, or a confirmed order before any delivery (its reservation
    goes back); 409 otherwise."""
    context = api_context(request)
    services.cancel_order(
        order=documents.get_order(context.company, order_id), actor=context.user
    )
    return documents.get_order(context.company, order_id)


@router.post("/orders/{order_id}/close", response=OrderOut)
@require(SELL)
def close_order(request: HttpRequest, order_id: int) -> SalesOrder:
    """Nothing more will be delivered: what is still reserved goes back."""
    context = api_context(request)
    services.close_order(
        order=documents.get_order(context.company, order_id), actor=context.user
    )
    return documents.get_order(context.company, order_id)


# --- deliveries, returns and invoices ---------------


def _delivery_lines(
    company: Company, order: SalesOrder, payload: DeliverIn
) -> list[services.DeliveryLineData] | None:
    if not payload.lines:
        return None
    order_lines = list(order.lines.all())
    result = []
    for index, line in enumerate(payload.lines):
        if line.order_line_id is not None:
            found = next((o for o in order_lines if o.pk == line.order_line_id), None)
            if found is None:
                raise NotFoundError(_("Order line not found."))
        elif line.line_no is not None:
            found = next((o for o in order_lines if o.line_no == line.line_no), None)
            if found is None:
                raise inputs.invalid(
                    f"lines.{index}.line_no",
                    _("The order has no line %(line)d.") % {"line": line.line_no},
                )
        else:
            raise inputs.invalid(
                f"lines.{index}.line_no", _("Name the line by line_no or its id.")
            )
        warehouse = inputs.warehouse(
            company, line.warehouse, f"lines.{index}.warehouse"
        )
        result.append(
            services.DeliveryLineData(
                order_line=found,
                quantity=line.quantity,
                warehouse=warehouse,
                location=inputs.location(
                    company,
                    warehouse or found.warehouse,
                    line.location,
                    f"lines.{index}.location",
                ),
                lot=line.lot,
            )
        )
    return result


@router.post("/orders/{order_id}/deliver", response={201: DeliveryOut})
@require(DELIVER)
def deliver_order(
    request: HttpRequest, order_id: int, payload: DeliverIn
) -> Status[Delivery]:
    """销售出库: the lines given (``lines: []``: everything still open),
    from their warehouses or others; 422 beyond what is left to deliver."""
    context = api_context(request)
    company = context.company
    order = documents.get_order(company, order_id)
    delivery = services.deliver(
        order=order,
        actor=context.user,
        date=inputs.day(payload.date),
        lines=_delivery_lines(company, order, payload),
        memo=payload.memo,
    )
    return Status(201, documents.get_delivery(company, delivery.pk))


@router.get("/deliveries", response=list[DeliveryRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_deliveries(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[Delivery]:
    """Newest first; ``state=to_invoice``: made under on-invoice recognition
    and not yet invoiced; ``warehouse``: that shipped from it."""
    company = api_context(request).company
    return documents.deliveries(company, _filter(company, filters))


@router.get("/deliveries/{delivery_id}", response=DeliveryOut)
@require(VIEW)
def get_delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    return documents.get_delivery(api_context(request).company, delivery_id)


def _return_lines(
    company: Company, delivery: Delivery, payload: ReturnIn
) -> list[services.ReturnLineData]:
    delivery_lines = list(delivery.lines.all())
    result = []
    for index, line in enumerate(payload.lines):
        if line.delivery_line_id is not None:
            found = next(
                (d for d in delivery_lines if d.pk == line.delivery_line_id), None
            )
            if found is None:
                raise NotFoundError(_("Delivery line not found."))
        elif line.line_no is not None:
            if line.line_no > len(delivery_lines):
                raise inputs.invalid(
                    f"lines.{index}.line_no",
                    _("The delivery has no line %(line)d.") % {"line": line.line_no},
                )
            found = delivery_lines[line.line_no - 1]
        else:
            raise inputs.invalid(
                f"lines.{index}.line_no", _("Name the line by line_no or its id.")
            )
        result.append(
            services.ReturnLineData(
                delivery_line=found,
                quantity=line.quantity,
                location=inputs.location(
                    company, found.warehouse, line.location, f"lines.{index}.location"
                ),
            )
        )
    return result


@router.post("/deliveries/{delivery_id}/return", response={201: ReturnOut})
@require(DELIVER)
def return_delivery(
    request: HttpRequest, delivery_id: int, payload: ReturnIn
) -> Status[SalesReturn]:
    """销售退货: goods back at the delivery's cost; revenue, VAT and the
    receivable reversed where they were recognised."""
    context = api_context(request)
    company = context.company
    delivery = documents.get_delivery(company, delivery_id)
    sales_return = services.return_goods(
        delivery=delivery,
        actor=context.user,
        date=inputs.day(payload.date),
        lines=_return_lines(company, delivery, payload),
        reason=payload.reason,
    )
    return Status(201, documents.get_return(company, sales_return.pk))


@router.get("/returns", response=list[ReturnRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_returns(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[SalesReturn]:
    company = api_context(request).company
    return documents.returns(company, _filter(company, filters))


@router.get("/returns/{return_id}", response=ReturnOut)
@require(VIEW)
def get_return(request: HttpRequest, return_id: int) -> SalesReturn:
    return documents.get_return(api_context(request).company, return_id)


@router.post("/invoices", response={201: InvoiceDetailOut})
@require(INVOICE)
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Status[SalesInvoice]:
    """开票确认收入: bill deliveries of one customer made under on-invoice
    recognition (less what came back)."""
    context = api_context(request)
    company = context.company
    wanted = set(payload.delivery_ids)
    rows = list(Delivery.objects.filter(company=company, pk__in=wanted))
    if len(rows) != len(wanted):
        raise NotFoundError(_("Delivery not found."))
    invoice = services.invoice_deliveries(
        company=company,
        actor=context.user,
        date=inputs.day(payload.date),
        deliveries=rows,
    )
    return Status(201, documents.get_invoice(company, invoice.pk))


@router.get("/invoices", response=list[InvoiceOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_invoices(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[SalesInvoice]:
    company = api_context(request).company
    return documents.invoices(company, _filter(company, filters))


@router.get("/invoices/{invoice_id}", response=InvoiceDetailOut)
@require(VIEW)
def get_invoice(request: HttpRequest, invoice_id: int) -> SalesInvoice:
    return documents.get_invoice(api_context(request).company, invoice_id)


# --- receivables ---------------


@router.get("/items", response=list[ItemOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_items(
    request: HttpRequest, filters: Query[ItemQuery]
) -> QuerySet[ReceivableItem]:
    """Receivable open items (应收明细), newest first; ``open``: only what is
    not settled (credits not yet used included)."""
    company = api_context(request).company
    customer = (
        inputs.customer(company, filters.customer) if filters.customer.strip() else None
    )
    return documents.receivable_items(
        company, customer.pk if customer else None, open_only=filters.open
    )


@router.get("/items/{item_id}", response=ItemOut)
@require(VIEW)
def get_item(request: HttpRequest, item_id: int) -> ReceivableItem:
    return documents.get_item(api_context(request).company, item_id)


def _allocations(
    company: Company, rows: Sequence[AllocationIn] | None
) -> list[services.Allocation] | None:
    """Items named by id (404 when not the company's) or by number."""
    if rows is None:
        return None
    items = documents.receivable_items(company)
    by_id = {
        i.pk: i for i in items.filter(pk__in=[r.item_id for r in rows if r.item_id])
    }
    numbers = [r.number.strip() for r in rows if r.item_id is None]
    by_number = {i.number: i for i in items.filter(number__in=numbers)}
    result = []
    for index, row in enumerate(rows):
        if row.item_id is not None:
            item = by_id.get(row.item_id)
            if item is None:
                raise NotFoundError(_("Receivable item not found."))
        else:
            found = by_number.get(row.number.strip())
            if found is None:
                raise inputs.invalid(
                    f"allocations.{index}.number",
                    _("There is no receivable item %(number)s.")
                    % {"number": row.number},
                )
            item = found
        result.append(services.Allocation(item, row.amount))
    return result


@router.post("/receipts", response={201: ReceiptOut})
@require(RECEIVE)
def record_receipt(request: HttpRequest, payload: ReceiptIn) -> Status[Receipt]:
    """收款单: settles the items named (``allocations: null``: the oldest
    open items first); what is left is an advance (预收)."""
    context = api_context(request)
    company = context.company
    allocations = _allocations(company, payload.allocations)
    customer = inputs.customer(company, payload.customer)
    receipt = services.record_receipt(
        company=company,
        actor=context.user,
        customer=customer,
        date=inputs.day(payload.date),
        amount=payload.amount,
        method=payload.method,
        account=inputs.account(company, payload.account),
        bank_charge=payload.bank_charge,
        allocations=allocations,
        memo=payload.memo,
    )
    return Status(201, documents.get_receipt(company, receipt.pk))


@router.get("/receipts", response=list[ReceiptRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_receipts(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[Receipt]:
    """Newest first; ``state=advance``: with money left to apply."""
    company = api_context(request).company
    return documents.receipts(company, _filter(company, filters))


@router.get("/receipts/{receipt_id}", response=ReceiptOut)
@require(VIEW)
def get_receipt(request: HttpRequest, receipt_id: int) -> Receipt:
    return documents.get_receipt(api_context(request).company, receipt_id)


@router.post("/receipts/{receipt_id}/apply", response=ReceiptOut)
@require(RECEIVE)
def apply_advance(request: HttpRequest, receipt_id: int, payload: ApplyIn) -> Receipt:
    """Apply what is left of a receipt (an advance) to open items; 409 when
    nothing is left or nothing is open."""
    context = api_context(request)
    company = context.company
    receipt = documents.get_receipt(company, receipt_id)
    allocations = _allocations(company, payload.allocations)
    services.apply_advance(
        receipt=receipt,
        actor=context.user,
        date=inputs.day(payload.date),
        allocations=allocations,
    )
    return documents.get_receipt(company, receipt_id)


@router.post("/items/{item_id}/write-off", response={201: SettlementOut})
@require(RECEIVE)
def write_off(
    request: HttpRequest, item_id: int, payload: WriteOffIn
) -> Status[Settlement]:
    """抹零: write off a small difference left open (within the tolerance of
    the sales settings)."""
    context = api_context(request)
    company = context.company
    settlement = services.write_off_difference(
        item=documents.get_item(company, item_id),
        actor=context.user,
        date=inputs.day(payload.date),
        amount=payload.amount,
    )
    return Status(201, documents.get_settlement(company, settlement.pk))


@router.get("/settlements/{settlement_id}", response=SettlementOut)
@require(VIEW)
def get_settlement(request: HttpRequest, settlement_id: int) -> Settlement:
    return documents.get_settlement(api_context(request).company, settlement_id)


@router.post("/settlements/{settlement_id}/undo", response=SettlementOut)
@require(RECEIVE)
def undo_settlement(request: HttpRequest, settlement_id: int) -> Settlement:
    """Undo a settlement while its period is open: the item reopens and the
    reverse is posted; 409 when already undone."""
    context = api_context(request)
    company = context.company
    services.undo_settlement(
        settlement=documents.get_settlement(company, settlement_id),
        actor=context.user,
    )
    return documents.get_settlement(company, settlement_id)


# --- document flow (单据流) ---------------
# One route per document type, so each path names its object with the id
# the tenancy probe knows.


def _flow(request: HttpRequest, kind: str, document_id: int) -> list[Any]:
    return documents.document_flow(api_context(request).company, kind, document_id)


FLOW_DOC = (
    "The chain around the document: quotation → order → deliveries → returns "
    "→ invoices → receivable items → settlements → receipts, each with the "
    "vouchers it posted."
)


@router.get(
    "/quotations/{quotation_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC
)
@require(VIEW)
def quotation_flow(request: HttpRequest, quotation_id: int) -> list[Any]:
    return _flow(request, "quotation", quotation_id)


@router.get("/orders/{order_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC)
@require(VIEW)
def order_flow(request: HttpRequest, order_id: int) -> list[Any]:
    return _flow(request, "order", order_id)


@router.get(
    "/deliveries/{delivery_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC
)
@require(VIEW)
def delivery_flow(request: HttpRequest, delivery_id: int) -> list[Any]:
    return _flow(request, "delivery", delivery_id)


@router.get(
    "/returns/{return_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC
)
@require(VIEW)
def return_flow(request: HttpRequest, return_id: int) -> list[Any]:
    return _flow(request, "return", return_id)


@router.get(
    "/invoices/{invoice_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC
)
@require(VIEW)
def invoice_flow(request: HttpRequest, invoice_id: int) -> list[Any]:
    return _flow(request, "invoice", invoice_id)


@router.get("/items/{item_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC)
@require(VIEW)
def item_flow(request: HttpRequest, item_id: int) -> list[Any]:
    return _flow(request, "item", item_id)


@router.get(
    "/settlements/{settlement_id}/flow",
    response=list[FlowNodeOut],
    description=FLOW_DOC,
)
@require(VIEW)
def settlement_flow(request: HttpRequest, settlement_id: int) -> list[Any]:
    return _flow(request, "settlement", settlement_id)


@router.get(
    "/receipts/{receipt_id}/flow", response=list[FlowNodeOut], description=FLOW_DOC
)
@require(VIEW)
def receipt_flow(request: HttpRequest, receipt_id: int) -> list[Any]:
    return _flow(request, "receipt", receipt_id)
