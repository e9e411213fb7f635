"""Writes of purchasing and payables (采购 / 应付): requisitions and purchase
orders (``orders``), goods receipts and returns (``receipts``), supplier
invoices with the 3-way match (``invoices``), payments and settlement
(``payments``), what suppliers supply (``supplier_products``) and
replenishment (``replenishment``). Each service checks the company is
writable, validates before it writes, runs in one transaction, posts its
vouchers through the ledger and leaves an audit entry. Events published:
none; ``handlers`` reacts to inventory's ``StockBelowSafety``."""

from zhongshu.purchasing.services.common import settings_of
from zhongshu.purchasing.services.invoices import (
    InvoiceData,
    InvoiceLineData,
    cancel_invoice,
    enter_invoice,
    rematch_invoice,
    resolve_invoice,
)
from zhongshu.purchasing.services.orders import (
    LineData,
    OrderData,
    RequisitionData,
    RequisitionLineData,
    approve_order,
    approve_requisition,
    cancel_order,
    cancel_requisition,
    close_order,
    confirm_order,
    create_order,
    create_requisition,
    order_requisition,
    record_supplier_confirmation,
    reject_order,
    reject_requisition,
    submit_requisition,
    update_order,
    update_requisition,
)
from zhongshu.purchasing.services.payments import (
    Allocation,
    PaymentData,
    apply_prepayment,
    record_payment,
)
from zhongshu.purchasing.services.receipts import (
    ReceiptLineData,
    ReturnLineData,
    receive_goods,
    return_goods,
)

__all__ = [
    "Allocation",
    "InvoiceData",
    "InvoiceLineData",
    "LineData",
    "OrderData",
    "PaymentData",
    "ReceiptLineData",
    "RequisitionData",
    "RequisitionLineData",
    "ReturnLineData",
    "apply_prepayment",
    "approve_order",
    "approve_requisition",
    "cancel_invoice",
    "cancel_order",
    "cancel_requisition",
    "close_order",
    "confirm_order",
    "create_order",
    "create_requisition",
    "enter_invoice",
    "order_requisition",
    "receive_goods",
    "record_payment",
    "record_supplier_confirmation",
    "reject_order",
    "reject_requisition",
    "rematch_invoice",
    "resolve_invoice",
    "return_goods",
    "settings_of",
    "submit_requisition",
    "update_order",
    "update_requisition",
]
