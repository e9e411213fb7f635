"""What each role may do with partners. The boss (owner) holds every
permission; the read-only auditor holds ``partners.view``."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_PARTNERS = declare(
    "partners.view",
    _("View customers and suppliers"),
    roles={
        Role.SALES,
        Role.ACCOUNTANT,
        Role.CASHIER,
        Role.WAREHOUSE,
        Role.PURCHASER,
    },
    read_only=True,
)
MANAGE_PARTNERS = declare(
    "partners.manage",
    _("Create, change and import customers"),
    roles={Role.SALES, Role.ACCOUNTANT},
    read_only=False,
)
MANAGE_SUPPLIERS = declare(
    "partners.manage_suppliers",
    _("Create, change and import suppliers"),
    roles={Role.PURCHASER, Role.ACCOUNTANT},
    read_only=False,
)
