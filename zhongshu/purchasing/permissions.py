"""What each role may do in purchasing and payables. The boss (owner) holds
every permission; the read-only auditor holds ``purchasing.view``. The
purchaser asks, orders and matches invoices; the warehouse receives and
returns goods; the cashier pays; the accountant sees everything, enters
invoices and pays."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_PURCHASING = declare(
    "purchasing.view",
    _("View purchasing documents, payables and their reports"),
    roles={Role.PURCHASER, Role.ACCOUNTANT, Role.CASHIER, Role.WAREHOUSE},
    read_only=True,
)
REQUEST = declare(
    "purchasing.request",
    _("Ask for goods with purchase requisitions"),
    roles={Role.PURCHASER, Role.WAREHOUSE, Role.SALES, Role.PRODUCTION},
    read_only=False,
)
BUY = declare(
    "purchasing.buy",
    _("Create, confirm and cancel purchase orders; accept replenishment"),
    roles={Role.PURCHASER},
    read_only=False,
)
APPROVE = declare(
    "purchasing.approve",
    _("Approve requisitions and purchase orders above the threshold"),
    roles=set(),
    read_only=False,
)
RECEIVE = declare(
    "purchasing.receive",
    _("Receive goods and return them to suppliers"),
    roles={Role.WAREHOUSE},
    read_only=False,
)
INVOICE = declare(
    "purchasing.invoice",
    _("Enter supplier invoices and resolve match exceptions"),
    roles={Role.PURCHASER, Role.ACCOUNTANT},
    read_only=False,
)
PAY = declare(
    "purchasing.pay",
    _("Record payments to suppliers and settle payables"),
    roles={Role.CASHIER, Role.ACCOUNTANT},
    read_only=False,
)
MANAGE_PURCHASING = declare(
    "purchasing.manage",
    _("Change purchase settings and supplier products"),
    roles={Role.PURCHASER, Role.ACCOUNTANT},
    read_only=False,
)
