"""The purchasing REST endpoints, mounted at /api/v1/purchasing: requisitions
(请购单), purchase orders, goods receipts (采购入库), purchase returns and
supplier invoices with their 3-way match; payments and the payables reports
are in ``api_payables``.

Thin: parse, authorize, one service or selector, schema out. Documents named
by id in paths go through ``selectors.documents``, which answer 404 for
another company's ids; so do suppliers, orders and payable items named by id
in bodies (``api_inputs``). Writes run in the API's transaction and honour
``Idempotency-Key`` (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core.apikit import api_context, require
from zhongshu.core.models import Company
from zhongshu.purchasing import api_inputs as inputs
from zhongshu.purchasing import api_payables, permissions, services
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PurchaseOrder,
    PurchaseReturn,
    Requisition,
    SupplierInvoice,
)
from zhongshu.purchasing.schemas import (
    DocumentQuery,
    InvoiceIn,
    InvoiceOut,
    InvoiceRowOut,
    NoteIn,
    OrderChangeIn,
    OrderIn,
    OrderOut,
    OrderRequisitionIn,
    OrderRowOut,
    ReasonIn,
    ReceiptOut,
    ReceiptRowOut,
    ReceiveIn,
    RequisitionIn,
    RequisitionOut,
    RequisitionRowOut,
    ReturnIn,
    ReturnOut,
    ReturnRowOut,
    SupplierConfirmationIn,
)
from zhongshu.purchasing.selectors import documents

router = Router(tags=["purchasing"])
router.add_router("", api_payables.router)

VIEW = permissions.VIEW_PURCHASING.code
REQUEST = permissions.REQUEST.code
BUY = permissions.BUY.code
APPROVE = permissions.APPROVE.code
RECEIVE = permissions.RECEIVE.code
INVOICE = permissions.INVOICE.code


def _filter(company: Company, query: DocumentQuery) -> documents.DocumentFilter:
    vendor = inputs.supplier_or_none(company, query.supplier_id)
    warehouse = inputs.warehouse(company, query.warehouse, "warehouse")
    return documents.DocumentFilter(
        q=query.q,
        supplier_id=vendor.pk if vendor else None,
        state=query.state.strip(),
        date_from=query.date_from,
        date_to=query.date_to,
        warehouse_id=warehouse.pk if warehouse else None,
    )


# --- requisitions ---------------


@router.get("/requisitions", response=list[RequisitionRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_requisitions(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[Requisition]:
    """Newest first; ``state`` draft, submitted, approved, rejected, ordered
    or cancelled; ``warehouse``: the goods go there."""
    company = api_context(request).company
    return documents.requisitions(company, _filter(company, filters))


@router.get("/requisitions/{requisition_id}", response=RequisitionOut)
@require(VIEW)
def get_requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    return documents.get_requisition(api_context(request).company, requisition_id)


@router.post("/requisitions", response={201: RequisitionOut})
@require(REQUEST)
def create_requisition(
    request: HttpRequest, payload: RequisitionIn
) -> Status[Requisition]:
    """A draft requisition; lines without a supplier take the product's
    preferred one, without a price the supplier's."""
    context = api_context(request)
    company = context.company
    requisition = services.create_requisition(
        company=company,
        actor=context.user,
        data=inputs.requisition_data(company, payload),
    )
    return Status(201, documents.get_requisition(company, requisition.pk))


@router.put("/requisitions/{requisition_id}", response=RequisitionOut)
@require(REQUEST)
def update_requisition(
    request: HttpRequest, requisition_id: int, payload: RequisitionIn
) -> Requisition:
    """Replace a draft requisition's header and lines; 409 once submitted."""
    context = api_context(request)
    company = context.company
    requisition = documents.get_requisition(company, requisition_id)
    services.update_requisition(
        requisition=requisition,
        actor=context.user,
        data=inputs.requisition_data(company, payload),
    )
    return documents.get_requisition(company, requisition_id)


@router.post("/requisitions/{requisition_id}/submit", response=RequisitionOut)
@require(REQUEST)
def submit_requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    """Numbered and sent: ``approved`` at once up to the approval threshold,
    otherwise ``submitted`` until an approver decides."""
    context = api_context(request)
    company = context.company
    services.submit_requisition(
        requisition=documents.get_requisition(company, requisition_id),
        actor=context.user,
    )
    return documents.get_requisition(company, requisition_id)


@router.post("/requisitions/{requisition_id}/approve", response=RequisitionOut)
@require(APPROVE)
def approve_requisition(
    request: HttpRequest, requisition_id: int, payload: NoteIn
) -> Requisition:
    """By an approver other than the requester; 409 unless submitted."""
    context = api_context(request)
    company = context.company
    services.approve_requisition(
        requisition=documents.get_requisition(company, requisition_id),
        actor=context.user,
        note=payload.note,
    )
    return documents.get_requisition(company, requisition_id)


@router.post("/requisitions/{requisition_id}/reject", response=RequisitionOut)
@require(APPROVE)
def reject_requisition(
    request: HttpRequest, requisition_id: int, payload: NoteIn
) -> Requisition:
    """``note`` (why) is required."""
    context = api_context(request)
    company = context.company
    services.reject_requisition(
        requisition=documents.get_requisition(company, requisition_id),
        actor=context.user,
        note=payload.note,
    )
    return documents.get_requisition(company, requisition_id)


@router.post("/requisitions/{requisition_id}/cancel", response=RequisitionOut)
@require(REQUEST)
def cancel_requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    context = api_context(request)
    company = context.company
    services.cancel_requisition(
        requisition=documents.get_requisition(company, requisition_id),
        actor=context.user,
    )
    return documents.get_requisition(company, requisition_id)


@router.post("/requisitions/{requisition_id}/order", response={201: list[OrderOut]})
@require(BUY)
def order_requisition(
    request: HttpRequest, requisition_id: int, payload: OrderRequisitionIn
) -> Status[list[PurchaseOrder]]:
    """An approved requisition becomes draft purchase orders, one per
    supplier; they confirm without a second approval."""
    context = api_context(request)
    company = context.company
    orders = services.order_requisition(
        requisition=documents.get_requisition(company, requisition_id),
        actor=context.user,
        on_date=inputs.day(payload.date),
    )
    return Status(201, [documents.get_order(company, order.pk) for order in orders])


# --- purchase orders ---------------


@router.get("/orders", response=list[OrderRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_orders(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[PurchaseOrder]:
    """Newest first; ``state`` draft, submitted (awaiting approval),
    confirmed, done or cancelled."""
    company = api_context(request).company
    return documents.orders(company, _filter(company, filters))


@router.get("/orders/{purchase_order_id}", response=OrderOut)
@require(VIEW)
def get_order(request: HttpRequest, purchase_order_id: int) -> PurchaseOrder:
    """With its lines: what was received (less returns), returned and
    invoiced, in base units."""
    return documents.get_order(api_context(request).company, purchase_order_id)


@router.post("/orders", response={201: OrderOut})
@require(BUY)
def create_order(request: HttpRequest, payload: OrderIn) -> Status[PurchaseOrder]:
    """A draft order (numbered when confirmed); lines without a price take
    the supplier's."""
    context = api_context(request)
    company = context.company
    vendor = inputs.supplier(company, payload.supplier_id)
    order = services.create_order(
        company=company,
        actor=context.user,
        data=inputs.order_data(company, payload, vendor),
    )
    return Status(201, documents.get_order(company, order.pk))


@router.put("/orders/{purchase_order_id}", response=OrderOut)
@require(BUY)
def update_order(
    request: HttpRequest, purchase_order_id: int, payload: OrderChangeIn
) -> PurchaseOrder:
    """Replace a draft order's header and lines; 409 once confirmed."""
    context = api_context(request)
    company = context.company
    order = documents.get_order(company, purchase_order_id)
    vendor = inputs.supplier_or_none(company, payload.supplier_id) or order.supplier
    services.update_order(
        order=order,
        actor=context.user,
        data=inputs.order_data(company, payload, vendor),
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/confirm", response=OrderOut)
@require(BUY)
def confirm_order(request: HttpRequest, purchase_order_id: int) -> PurchaseOrder:
    """Send the order: ``confirmed`` and numbered — or, above the approval
    threshold and not from an approved requisition, ``submitted`` until an
    approver approves it."""
    context = api_context(request)
    company = context.company
    services.confirm_order(
        order=documents.get_order(company, purchase_order_id), actor=context.user
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/approve", response=OrderOut)
@require(APPROVE)
def approve_order(request: HttpRequest, purchase_order_id: int) -> PurchaseOrder:
    """By an approver other than the one who submitted it: confirmed and
    numbered."""
    context = api_context(request)
    company = context.company
    services.approve_order(
        order=documents.get_order(company, purchase_order_id), actor=context.user
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/reject", response=OrderOut)
@require(APPROVE)
def reject_order(
    request: HttpRequest, purchase_order_id: int, payload: ReasonIn
) -> PurchaseOrder:
    """Back to draft for the buyer to change or cancel."""
    context = api_context(request)
    company = context.company
    services.reject_order(
        order=documents.get_order(company, purchase_order_id),
        actor=context.user,
        reason=payload.reason,
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/cancel", response=OrderOut)
@require(BUY)
def cancel_order(request: HttpRequest, purchase_order_id: int) -> PurchaseOrder:
    """Before any goods came in; 409 otherwise (close it instead)."""
    context = api_context(request)
    company = context.company
    services.cancel_order(
        order=documents.get_order(company, purchase_order_id), actor=context.user
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/close", response=OrderOut)
@require(BUY)
def close_order(request: HttpRequest, purchase_order_id: int) -> PurchaseOrder:
    """Nothing more will be received: what is open stops counting as in
    transit."""
    context = api_context(request)
    company = context.company
    services.close_order(
        order=documents.get_order(company, purchase_order_id), actor=context.user
    )
    return documents.get_order(company, purchase_order_id)


@router.post("/orders/{purchase_order_id}/supplier-confirmation", response=OrderOut)
@require(BUY)
def record_supplier_confirmation(
    request: HttpRequest, purchase_order_id: int, payload: SupplierConfirmationIn
) -> PurchaseOrder:
    """The supplier confirmed a confirmed order: a delivery date per line
    number and its reference."""
    context = api_context(request)
    company = context.company
    services.record_supplier_confirmation(
        order=documents.get_order(company, purchase_order_id),
        actor=context.user,
        dates=[(row.line, row.date) for row in payload.dates],
        reference=payload.reference,
    )
    return documents.get_order(company, purchase_order_id)


# --- goods receipts and returns ---------------


@router.post("/orders/{purchase_order_id}/receive", response={201: ReceiptOut})
@require(RECEIVE)
def receive_goods(
    request: HttpRequest, purchase_order_id: int, payload: ReceiveIn
) -> Status[GoodsReceipt]:
    """采购入库 of the lines given (none: everything still open), at the
    order price against the estimated payable (暂估); 422 beyond the ordered
    quantity and the over-receipt tolerance."""
    context = api_context(request)
    company = context.company
    order = documents.get_order(company, purchase_order_id)
    receipt = services.receive_goods(
        order=order,
        actor=context.user,
        date=inputs.day(payload.date),
        lines=inputs.receipt_lines(company, order, payload),
        memo=payload.memo,
    )
    return Status(201, documents.get_receipt(company, receipt.pk))


@router.get("/receipts", response=list[ReceiptRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_receipts(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[GoodsReceipt]:
    """Newest first; ``warehouse``: of orders for it."""
    company = api_context(request).company
    return documents.receipts(company, _filter(company, filters))


@router.get("/receipts/{goods_receipt_id}", response=ReceiptOut)
@require(VIEW)
def get_receipt(request: HttpRequest, goods_receipt_id: int) -> GoodsReceipt:
    return documents.get_receipt(api_context(request).company, goods_receipt_id)


@router.post("/receipts/{goods_receipt_id}/return", response={201: ReturnOut})
@require(RECEIVE)
def return_goods(
    request: HttpRequest, goods_receipt_id: int, payload: ReturnIn
) -> Status[PurchaseReturn]:
    """采购退货 of a receipt's lines at their cost: off the estimate what was
    not invoiced, a credit on the payables (with its VAT) what was."""
    context = api_context(request)
    company = context.company
    receipt = documents.get_receipt(company, goods_receipt_id)
    purchase_return = services.return_goods(
        receipt=receipt,
        actor=context.user,
        date=inputs.day(payload.date),
        lines=inputs.return_lines(receipt, payload),
        reason=payload.reason,
    )
    return Status(201, documents.get_return(company, purchase_return.pk))


@router.get("/returns", response=list[ReturnRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_returns(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[PurchaseReturn]:
    company = api_context(request).company
    return documents.returns(company, _filter(company, filters))


@router.get("/returns/{purchase_return_id}", response=ReturnOut)
@require(VIEW)
def get_return(request: HttpRequest, purchase_return_id: int) -> PurchaseReturn:
    return documents.get_return(api_context(request).company, purchase_return_id)


# --- supplier invoices ---------------


@router.get("/invoices", response=list[InvoiceRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_invoices(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[SupplierInvoice]:
    """Newest first; ``state`` exception (waiting for a buyer), posted or
    cancelled; ``q`` also matches the supplier's invoice number."""
    company = api_context(request).company
    return documents.invoices(company, _filter(company, filters))


@router.get("/invoices/{supplier_invoice_id}", response=InvoiceOut)
@require(VIEW)
def get_invoice(request: HttpRequest, supplier_invoice_id: int) -> SupplierInvoice:
    """With its lines and, for an exception, each line's problem."""
    return documents.get_invoice(api_context(request).company, supplier_invoice_id)


@router.post("/invoices", response={201: InvoiceOut})
@require(INVOICE)
def enter_invoice(request: HttpRequest, payload: InvoiceIn) -> Status[SupplierInvoice]:
    """Enter a supplier's invoice and match it: ``posted`` when every line
    matches, otherwise ``exception`` with each line's problem."""
    context = api_context(request)
    company = context.company
    invoice = services.enter_invoice(
        company=company, actor=context.user, data=inputs.invoice_data(company, payload)
    )
    return Status(201, documents.get_invoice(company, invoice.pk))


@router.post("/invoices/{supplier_invoice_id}/rematch", response=InvoiceOut)
@require(INVOICE)
def rematch_invoice(request: HttpRequest, supplier_invoice_id: int) -> SupplierInvoice:
    """Match an exception again (goods came in since): posts when
    everything matches."""
    context = api_context(request)
    company = context.company
    services.rematch_invoice(
        invoice=documents.get_invoice(company, supplier_invoice_id),
        actor=context.user,
    )
    return documents.get_invoice(company, supplier_invoice_id)


@router.post("/invoices/{supplier_invoice_id}/resolve", response=InvoiceOut)
@require(INVOICE)
def resolve_invoice(
    request: HttpRequest, supplier_invoice_id: int, payload: NoteIn
) -> SupplierInvoice:
    """Accept an exception's prices (``note``: why, required): it posts at
    them. Quantities beyond what was received stay a 422."""
    context = api_context(request)
    company = context.company
    services.resolve_invoice(
        invoice=documents.get_invoice(company, supplier_invoice_id),
        actor=context.user,
        note=payload.note,
    )
    return documents.get_invoice(company, supplier_invoice_id)


@router.post("/invoices/{supplier_invoice_id}/cancel", response=InvoiceOut)
@require(INVOICE)
def cancel_invoice(
    request: HttpRequest, supplier_invoice_id: int, payload: NoteIn
) -> SupplierInvoice:
    """Drop an exception; a posted invoice cannot be cancelled (409)."""
    context = api_context(request)
    company = context.company
    services.cancel_invoice(
        invoice=documents.get_invoice(company, supplier_invoice_id),
        actor=context.user,
        note=payload.note,
    )
    return documents.get_invoice(company, supplier_invoice_id)
