"""Page routes of stock counts (盘点) and stock alerts (included at the site
root)."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views import inventory_counts as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("inventory/counts/", views.count_list, name="inventory_counts"),
    path("inventory/counts/new/", views.count_new, name="inventory_count_new"),
    path(
        "inventory/counts/<int:count_id>/",
        views.count_detail,
        name="inventory_count",
    ),
    path(
        "inventory/counts/<int:count_id>/scan/",
        views.count_scan,
        name="inventory_count_scan",
    ),
    path(
        "inventory/counts/<int:count_id>/counted/",
        views.count_enter,
        name="inventory_count_enter",
    ),
    path(
        "inventory/counts/<int:count_id>/add-line/",
        views.count_add_line,
        name="inventory_count_add_line",
    ),
    *(
        path(
            f"inventory/counts/<int:count_id>/{action}/",
            getattr(views, f"count_{action}"),
            name=f"inventory_count_{action}",
        )
        for action in ("start", "zero", "review", "post", "cancel")
    ),
    path("inventory/alerts/", views.alert_list, name="inventory_alerts"),
]
