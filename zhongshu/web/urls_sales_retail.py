"""Page routes of sales retail: the store counter (POS), the retail sales
with their receipts, and the daily summary per store."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views import sales_retail

urlpatterns: list[URLPattern | URLResolver] = [
    path("sales/retail/pos/", sales_retail.pos, name="sales_retail_pos"),
    path(
        "sales/retail/pos/store/",
        sales_retail.pos_store,
        name="sales_retail_pos_store",
    ),
    path("sales/retail/pos/scan/", sales_retail.pos_scan, name="sales_retail_pos_scan"),
    path("sales/retail/pos/cart/", sales_retail.pos_cart, name="sales_retail_pos_cart"),
    path(
        "sales/retail/pos/complete/",
        sales_retail.pos_complete,
        name="sales_retail_pos_complete",
    ),
    path("sales/retail/sales/", sales_retail.sale_list, name="sales_retail_sales"),
    path(
        "sales/retail/sales/<int:retail_sale_id>/",
        sales_retail.sale_detail,
        name="sales_retail_sale",
    ),
    path(
        "sales/retail/sales/<int:retail_sale_id>/receipt/",
        sales_retail.sale_receipt,
        name="sales_retail_receipt",
    ),
    path("sales/retail/daily/", sales_retail.daily, name="sales_retail_daily"),
]
