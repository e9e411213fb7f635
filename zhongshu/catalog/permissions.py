"""What each role may do in the catalog. The boss (owner) holds every
permission; the read-only auditor holds ``catalog.view``."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_CATALOG = declare(
    "catalog.view",
    _("View products, categories and price lists"),
    roles={Role.PURCHASER, Role.SALES, Role.WAREHOUSE},
    read_only=True,
)
MANAGE_CATALOG = declare(
    "catalog.manage",
    _("Manage products, categories, units and price lists"),
    roles={Role.PURCHASER},
    read_only=False,
)
