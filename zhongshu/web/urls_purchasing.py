"""Page routes of purchasing and payables: requisitions, purchase orders
with their entry grid and PDF, goods receipts and returns, supplier invoices
and their match exceptions, payments, the AP aging and the supplier
statement. The document pages' names are the ones ``purchasing.refs``
links vouchers and stock moves to."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views.purchasing import (
    invoices,
    lists,
    orders,
    payables,
    payments,
    receipts,
    replenishment,
    requisitions,
)

REQUISITION = "purchasing/requisitions/<int:requisition_id>/"
ORDER = "purchasing/orders/<int:purchase_order_id>/"
INVOICE = "purchasing/invoices/<int:supplier_invoice_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- requisitions ---
    path(
        "purchasing/requisitions/",
        lists.requisition_list,
        name="purchasing_requisitions",
    ),
    path(
        "purchasing/requisitions/new/",
        requisitions.requisition_new,
        name="purchasing_requisition_new",
    ),
    path(
        REQUISITION,
        requisitions.requisition_detail,
        name="purchasing_requisition",
    ),
    *(
        path(
            f"{REQUISITION}{action}/",
            getattr(requisitions, f"requisition_{action}"),
            name=f"purchasing_requisition_{action}",
        )
        for action in ("edit", "submit", "approve", "reject", "cancel", "order")
    ),
    # --- purchase orders and the entry grid ---
    path("purchasing/orders/", lists.order_list, name="purchasing_orders"),
    path("purchasing/orders/new/", orders.order_new, name="purchasing_order_new"),
    path(ORDER, orders.order_detail, name="purchasing_order"),
    *(
        path(
            f"{ORDER}{action}/",
            getattr(orders, f"order_{action}"),
            name=f"purchasing_order_{action}",
        )
        for action in ("edit", "confirm", "approve", "reject", "cancel", "close", "pdf")
    ),
    path(
        f"{ORDER}supplier-confirmation/",
        orders.order_supplier_confirmation,
        name="purchasing_order_supplier_confirmation",
    ),
    path(f"{ORDER}receive/", receipts.order_receive, name="purchasing_order_receive"),
    path("purchasing/lines/preview/", orders.order_preview, name="purchasing_preview"),
    path("purchasing/lines/row/", orders.line_row, name="purchasing_line_row"),
    # --- goods receipts and returns ---
    path("purchasing/receipts/", lists.receipt_list, name="purchasing_receipts"),
    path(
        "purchasing/receipts/<int:goods_receipt_id>/",
        receipts.receipt_detail,
        name="purchasing_receipt",
    ),
    path(
        "purchasing/receipts/<int:goods_receipt_id>/return/",
        receipts.receipt_return,
        name="purchasing_receipt_return",
    ),
    path("purchasing/returns/", lists.return_list, name="purchasing_returns"),
    path(
        "purchasing/returns/<int:purchase_return_id>/",
        receipts.return_detail,
        name="purchasing_return",
    ),
    # --- supplier invoices ---
    path("purchasing/invoices/", lists.invoice_list, name="purchasing_invoices"),
    path(
        "purchasing/invoices/new/",
        invoices.invoice_new,
        name="purchasing_invoice_new",
    ),
    path(
        "purchasing/invoices/exceptions/",
        lists.exception_list,
        name="purchasing_exceptions",
    ),
    path(INVOICE, invoices.invoice_detail, name="purchasing_invoice"),
    *(
        path(
            f"{INVOICE}{action}/",
            getattr(invoices, f"invoice_{action}"),
            name=f"purchasing_invoice_{action}",
        )
        for action in ("rematch", "accept", "cancel")
    ),
    # --- payments and payables reports ---
    path("purchasing/payments/", lists.payment_list, name="purchasing_payments"),
    path(
        "purchasing/payments/new/",
        payments.payment_new,
        name="purchasing_payment_new",
    ),
    path(
        "purchasing/payments/<int:supplier_payment_id>/",
        payments.payment_detail,
        name="purchasing_payment",
    ),
    path(
        "purchasing/payments/<int:supplier_payment_id>/apply/",
        payments.payment_apply,
        name="purchasing_payment_apply",
    ),
    path("purchasing/payables/aging/", payables.aging, name="purchasing_aging"),
    path(
        "purchasing/payables/statement/",
        payables.statement,
        name="purchasing_statement",
    ),
    # --- replenishment ---
    path(
        "purchasing/replenishment/",
        replenishment.suggestions,
        name="purchasing_replenishment",
    ),
    path(
        "purchasing/replenishment/rebuild/",
        replenishment.rebuild,
        name="purchasing_replenishment_rebuild",
    ),
    path(
        "purchasing/replenishment/accept/",
        replenishment.accept,
        name="purchasing_replenishment_accept",
    ),
]
