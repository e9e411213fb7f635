from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_INVENTORY = "inventory.view"
MOVE_STOCK = "inventory.move"
MANAGE_INVENTORY = "inventory.manage"
GROUP = _("Stock")


class InventoryConfig(AppConfig):
    name = "zhongshu.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    navigation = (
        NavItem(
            label=_("Stock on hand"),
            url_name="inventory_on_hand",
            permission=VIEW_INVENTORY,
            icon="filter",
            group=GROUP,
            description=_("On hand, reserved and available, by bin and lot"),
        ),
        NavItem(
            label=_("Stock ledger"),
            url_name="inventory_stock_ledger",
            permission=VIEW_INVENTORY,
            icon="clock",
            group=GROUP,
            description=_("Every move of a product with running balances"),
        ),
        NavItem(
            label=_("Movement summary"),
            url_name="inventory_movement_summary",
            permission=VIEW_INVENTORY,
            icon="hash",
            group=GROUP,
            description=_("Opening, receipts, issues and closing per product"),
        ),
        NavItem(
            label=_("Stock valuation"),
            url_name="inventory_valuation",
            permission=VIEW_INVENTORY,
            icon="check",
            group=GROUP,
            description=_("Stock value, and how it agrees with the ledger"),
        ),
        NavItem(
            label=_("Receive, issue, transfer"),
            url_name="inventory_manual_new",
            permission=MOVE_STOCK,
            icon="arrow",
            group=GROUP,
            description=_("Other receipts and issues, and transfers, by hand"),
        ),
        NavItem(
            label=_("Warehouses"),
            url_name="inventory_warehouses",
            permission=VIEW_INVENTORY,
            icon="building",
            group=GROUP,
            description=_("Warehouses, stores and their locations"),
        ),
        NavItem(
            label=_("Stock counts"),
            url_name="inventory_counts",
            permission=VIEW_INVENTORY,
            icon="check",
            group=GROUP,
            description=_("Count a warehouse with a scanner, post the differences"),
        ),
        NavItem(
            label=_("Stock alerts"),
            url_name="inventory_alerts",
            permission=VIEW_INVENTORY,
            icon="clock",
            group=GROUP,
            description=_("Below safety, above maximum, expiring, not moving"),
        ),
    )

    def ready(self) -> None:
        # Registers inventory's permissions, its numbered manual documents,
        # the source kinds vouchers link back to and its consistency checks.
        from zhongshu.core import demo as core_demo
        from zhongshu.core import schedule
        from zhongshu.inventory import (  # noqa: F401
            alerts,
            checks,
            counts,
            demo,
            manual,
            permissions,
            refs,
        )

        core_demo.register_step("inventory", demo.build)
        schedule.daily(
            "inventory.stock_alerts",
            lambda day: alerts.publish_stock_alerts.enqueue(day.isoformat()),
        )
