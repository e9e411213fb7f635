"""What each role may do in sales and receivables. The boss (owner) holds
every permission; the read-only auditor holds ``sales.view``. Sales creates
and confirms; the warehouse delivers and takes returns; the cashier records
receipts and settles; the accountant sees everything and invoices."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_SALES = declare(
    "sales.view",
    _("View sales documents, receivables and their reports"),
    roles={Role.SALES, Role.ACCOUNTANT, Role.CASHIER, Role.WAREHOUSE},
    read_only=True,
)
SELL = declare(
    "sales.sell",
    _("Create quotations and sales orders, confirm and cancel them"),
    roles={Role.SALES},
    read_only=False,
)
OVERRIDE_CREDIT = declare(
    "sales.override_credit",
    _("Confirm an order beyond the customer's credit limit"),
    roles=set(),
    read_only=False,
)
DELIVER = declare(
    "sales.deliver",
    _("Deliver sales orders and take returns"),
    roles={Role.WAREHOUSE},
    read_only=False,
)
INVOICE = declare(
    "sales.invoice",
    _("Invoice deliveries (recognise revenue on invoicing)"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
RECEIVE = declare(
    "sales.receive",
    _("Record receipts, allocate and undo settlements"),
    roles={Role.CASHIER, Role.ACCOUNTANT},
    read_only=False,
)
RETAIL = declare(
    "sales.retail",
    _("Sell at a store counter"),
    roles={Role.SALES, Role.CASHIER},
    read_only=False,
)
MANAGE_SALES = declare(
    "sales.manage",
    _("Change sales settings"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
