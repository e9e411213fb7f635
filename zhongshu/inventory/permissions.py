"""What each role may do in inventory. The boss (owner) holds every
permission; the read-only auditor holds ``inventory.view``."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_INVENTORY = declare(
    "inventory.view",
    _("View stock, stock moves and inventory reports"),
    roles={
        Role.WAREHOUSE,
        Role.PURCHASER,
        Role.SALES,
        Role.ACCOUNTANT,
        Role.PRODUCTION,
    },
    read_only=True,
)
MOVE_STOCK = declare(
    "inventory.move",
    _("Receive, issue, transfer and reserve stock by hand"),
    roles={Role.WAREHOUSE},
    read_only=False,
)
MANAGE_INVENTORY = declare(
    "inventory.manage",
    _("Manage warehouses, locations, stock policies and inventory settings"),
    roles={Role.WAREHOUSE},
    read_only=False,
)
