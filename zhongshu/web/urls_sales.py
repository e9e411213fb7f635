"""Page routes of sales: the document lists, quotations and orders with
their entry grid, deliveries, returns, invoices, receipts and settlement."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views.sales import batch, deliveries, lists, orders, receipts

urlpatterns: list[URLPattern | URLResolver] = [
    # --- quotations --------------------------------------------------------------
    path("sales/quotations/", lists.quotation_list, name="sales_quotations"),
    path("sales/quotations/new/", orders.quotation_new, name="sales_quotation_new"),
    path(
        "sales/quotations/<int:quotation_id>/",
        orders.quotation_detail,
        name="sales_quotation",
    ),
    path(
        "sales/quotations/<int:quotation_id>/edit/",
        orders.quotation_edit,
        name="sales_quotation_edit",
    ),
    path(
        "sales/quotations/<int:quotation_id>/convert/",
        orders.quotation_convert,
        name="sales_quotation_convert",
    ),
    path(
        "sales/quotations/<int:quotation_id>/cancel/",
        orders.quotation_cancel,
        name="sales_quotation_cancel",
    ),
    # --- orders and the entry grid -------------------------------------------------
    path("sales/orders/", lists.order_list, name="sales_orders"),
    path("sales/orders/batch/", batch.order_batch, name="sales_order_batch"),
    path("sales/orders/new/", orders.order_new, name="sales_order_new"),
    path("sales/orders/<int:order_id>/", orders.order_detail, name="sales_order"),
    path(
        "sales/orders/<int:order_id>/edit/", orders.order_edit, name="sales_order_edit"
    ),
    path(
        "sales/orders/<int:order_id>/confirm/",
        orders.order_confirm,
        name="sales_order_confirm",
    ),
    path(
        "sales/orders/<int:order_id>/cancel/",
        orders.order_cancel,
        name="sales_order_cancel",
    ),
    path(
        "sales/orders/<int:order_id>/close/",
        orders.order_close,
        name="sales_order_close",
    ),
    path(
        "sales/orders/<int:order_id>/deliver/",
        deliveries.order_deliver,
        name="sales_order_deliver",
    ),
    path("sales/lines/preview/", orders.document_preview, name="sales_preview"),
    path("sales/lines/row/", orders.line_row, name="sales_line_row"),
    # --- deliveries, returns, invoices ---------------------------------------------
    path("sales/deliveries/", lists.delivery_list, name="sales_deliveries"),
    path("sales/deliveries/batch/", batch.delivery_batch, name="sales_delivery_batch"),
    path(
        "sales/deliveries/<int:delivery_id>/",
        deliveries.delivery_detail,
        name="sales_delivery",
    ),
    path(
        "sales/deliveries/<int:delivery_id>/return/",
        deliveries.delivery_return,
        name="sales_delivery_return",
    ),
    path("sales/returns/", lists.return_list, name="sales_returns"),
    path(
        "sales/returns/<int:return_id>/",
        deliveries.return_detail,
        name="sales_return",
    ),
    path("sales/invoices/", lists.invoice_list, name="sales_invoices"),
    path("sales/invoices/new/", deliveries.invoice_new, name="sales_invoice_new"),
    path(
        "sales/invoices/<int:invoice_id>/",
        deliveries.invoice_detail,
        name="sales_invoice",
    ),
    # --- receipts and settlement ---------------------------------------------------
    path("sales/receipts/", lists.receipt_list, name="sales_receipts"),
    path("sales/receipts/new/", receipts.receipt_new, name="sales_receipt_new"),
    path(
        "sales/receipts/<int:receipt_id>/",
        receipts.receipt_detail,
        name="sales_receipt",
    ),
    path(
        "sales/receipts/<int:receipt_id>/apply/",
        receipts.receipt_apply,
        name="sales_receipt_apply",
    ),
    path(
        "sales/settlements/<int:settlement_id>/",
        receipts.settlement_detail,
        name="sales_settlement",
    ),
    path(
        "sales/settlements/<int:settlement_id>/undo/",
        receipts.settlement_undo,
        name="sales_settlement_undo",
    ),
    path(
        "sales/items/<int:item_id>/write-off/",
        receipts.item_write_off,
        name="sales_item_write_off",
    ),
]
