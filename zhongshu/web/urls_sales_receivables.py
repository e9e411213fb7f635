"""Page routes of sales receivables: reports, printing and settings."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views import sales_receivables as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sales/receivables/aging/", views.aging, name="sales_aging"),
    path("sales/receivables/overdue/", views.overdue, name="sales_overdue"),
    path("sales/receivables/statement/", views.statement, name="sales_statement"),
    path(
        "sales/receivables/statement/pdf/",
        views.statement_pdf,
        name="sales_statement_pdf",
    ),
    path(
        "sales/deliveries/<int:delivery_id>/pdf/",
        views.delivery_pdf,
        name="sales_delivery_pdf",
    ),
    path("sales/settings/", views.sales_settings, name="sales_settings"),
    path(
        "sales/settings/opening-receivables/",
        views.opening_receivables,
        name="sales_opening_receivables",
    ),
]
