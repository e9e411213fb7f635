"""Writes of sales and receivables (销售 / 应收): quotations and orders
(``orders``), deliveries, returns and invoices (``deliveries``), receipts and
settlements (``receivables``), counter sales (``retail``), and the same step
for many documents at once (``batch``, ``receivables.record_receipts``). Each service
checks the company is writable, validates before it writes, runs in one
transaction, posts its vouchers through ``ledger.services.post_voucher`` and
leaves an audit entry."""

from zhongshu.sales.services.batch import (
    confirm_orders,
    create_orders,
    deliver_orders,
    invoice_each,
)
from zhongshu.sales.services.common import settings_of
from zhongshu.sales.services.deliveries import (
    DeliveryLineData,
    ReturnLineData,
    deliver,
    invoice_deliveries,
    return_goods,
)
from zhongshu.sales.services.orders import (
    LineData,
    OrderData,
    cancel_order,
    cancel_quotation,
    close_order,
    confirm_order,
    create_order,
    create_quotation,
    open_exposure,
    order_from_quotation,
    update_order,
    update_quotation,
)
from zhongshu.sales.services.receivables import (
    Allocation,
    ReceiptData,
    apply_advance,
    record_receipt,
    record_receipts,
    take_opening_receivables,
    undo_settlement,
    write_off_difference,
)
from zhongshu.sales.services.retail import PaymentData, RetailLineData, sell_retail

__all__ = [
    "Allocation",
    "DeliveryLineData",
    "LineData",
    "OrderData",
    "PaymentData",
    "ReceiptData",
    "RetailLineData",
    "ReturnLineData",
    "apply_advance",
    "cancel_order",
    "cancel_quotation",
    "close_order",
    "confirm_order",
    "confirm_orders",
    "create_order",
    "create_orders",
    "create_quotation",
    "deliver",
    "deliver_orders",
    "invoice_deliveries",
    "invoice_each",
    "open_exposure",
    "order_from_quotation",
    "record_receipt",
    "record_receipts",
    "return_goods",
    "sell_retail",
    "settings_of",
    "take_opening_receivables",
    "undo_settlement",
    "update_order",
    "update_quotation",
    "write_off_difference",
]
