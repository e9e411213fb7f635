"""Page routes of inventory."""

from django.urls import URLPattern, URLResolver, path

from zhongshu.web.views.inventory import moves, reports, warehouses

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "inventory/warehouses/", warehouses.warehouse_list, name="inventory_warehouses"
    ),
    path(
        "inventory/warehouses/new/",
        warehouses.warehouse_new,
        name="inventory_warehouse_new",
    ),
    path(
        "inventory/warehouses/<int:warehouse_id>/",
        warehouses.warehouse_edit,
        name="inventory_warehouse",
    ),
    path(
        "inventory/warehouses/<int:warehouse_id>/active/",
        warehouses.warehouse_set_active,
        name="inventory_warehouse_active",
    ),
    path(
        "inventory/warehouses/<int:warehouse_id>/locations/new/",
        warehouses.location_add,
        name="inventory_location_add",
    ),
    path(
        "inventory/locations/<int:location_id>/",
        warehouses.location_edit,
        name="inventory_location",
    ),
    path("inventory/moves/new/", moves.manual_new, name="inventory_manual_new"),
    path(
        "inventory/documents/<int:manual_document_id>/",
        moves.manual_document,
        name="inventory_manual_document",
    ),
    path("inventory/moves/<int:move_id>/", moves.move_detail, name="inventory_move"),
    path(
        "inventory/cost-adjustments/<int:cost_adjustment_id>/",
        moves.cost_adjustment_detail,
        name="inventory_cost_adjustment",
    ),
    path("inventory/on-hand/", reports.on_hand, name="inventory_on_hand"),
    path(
        "inventory/stock-ledger/", reports.stock_ledger, name="inventory_stock_ledger"
    ),
    path(
        "inventory/movement-summary/",
        reports.movement_summary,
        name="inventory_movement_summary",
    ),
    path("inventory/valuation/", reports.valuation, name="inventory_valuation"),
]
