"""What each role may do in the ledger."""

from django.utils.translation import gettext_lazy as _

from zhongshu.core.models import Role
from zhongshu.core.permissions import declare

VIEW_LEDGER = declare(
    "ledger.view",
    _("View accounts, vouchers and financial reports"),
    roles={Role.ACCOUNTANT, Role.CASHIER},
    read_only=True,
)
MANAGE_ACCOUNTS = declare(
    "ledger.manage_accounts",
    _("Manage the chart of accounts and account roles"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
ENTER_VOUCHERS = declare(
    "ledger.enter_vouchers",
    _("Enter and edit draft vouchers"),
    roles={Role.ACCOUNTANT, Role.CASHIER},
    read_only=False,
)
REVIEW_VOUCHERS = declare(
    "ledger.review_vouchers",
    _("Review vouchers"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
POST_VOUCHERS = declare(
    "ledger.post_vouchers",
    _("Post vouchers"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
UNPOST_VOUCHERS = declare(
    "ledger.unpost_vouchers",
    _("Unreview and unpost vouchers"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
CLOSE_PERIODS = declare(
    "ledger.close_periods",
    _("Close periods and enter opening balances"),
    roles={Role.ACCOUNTANT},
    read_only=False,
)
REOPEN_PERIODS = declare(
    "ledger.reopen_periods",
    _("Reopen closed periods"),
    roles=set(),
    read_only=False,
)
