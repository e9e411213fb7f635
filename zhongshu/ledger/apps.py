from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_LEDGER = "ledger.view"
ENTER_VOUCHERS = "ledger.enter_vouchers"
CLOSE_PERIODS = "ledger.close_periods"
GROUP = _("General ledger")


class LedgerConfig(AppConfig):
    name = "zhongshu.ledger"
    label = "ledger"
    verbose_name = _("General ledger")

    navigation = (
        NavItem(
            label=_("Vouchers"),
            url_name="ledger_vouchers",
            permission=VIEW_LEDGER,
            icon="audit",
            group=GROUP,
            description=_("Enter, review and post accounting vouchers"),
        ),
        NavItem(
            label=_("New voucher"),
            url_name="ledger_voucher_new",
            permission=ENTER_VOUCHERS,
            icon="check",
            group=GROUP,
            description=_("The classic voucher grid, keyboard first"),
        ),
        NavItem(
            label=_("Chart of accounts"),
            url_name="ledger_accounts",
            permission=VIEW_LEDGER,
            icon="hash",
            group=GROUP,
            description=_("Accounts, sub-accounts, dimensions and roles"),
        ),
        NavItem(
            label=_("Trial balance"),
            url_name="ledger_trial_balance",
            permission=VIEW_LEDGER,
            icon="filter",
            group=GROUP,
            description=_("Balances and movements of every account"),
        ),
        NavItem(
            label=_("Financial statements"),
            url_name="ledger_balance_sheet",
            permission=VIEW_LEDGER,
            icon="building",
            group=GROUP,
            description=_("Balance sheet and income statement"),
        ),
        NavItem(
            label=_("Periods"),
            url_name="ledger_periods",
            permission=VIEW_LEDGER,
            icon="clock",
            group=GROUP,
            description=_("Closing, reopening and opening balances"),
        ),
        NavItem(
            label=_("Ledger settings"),
            url_name="ledger_settings",
            permission=VIEW_LEDGER,
            icon="hash",
            group=GROUP,
            description=_("Voucher words and how generated vouchers post"),
        ),
    )

    def ready(self) -> None:
        # Registers the ledger's permissions, numbered documents, state flows
        # and consistency checks.
        from zhongshu.ledger import checks, handlers, permissions  # noqa: F401
