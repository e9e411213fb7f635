from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_PARTNERS = "partners.view"
VIEW_PURCHASING = "purchasing.view"
REQUEST = "purchasing.request"
INVOICE = "purchasing.invoice"
PURCHASING = _("Purchasing")
PAYABLES = _("Payables")


class PurchasingConfig(AppConfig):
    name = "zhongshu.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    navigation = (
        NavItem(
            label=_("Suppliers"),
            url_name="partners_suppliers",
            permission=VIEW_PARTNERS,
            icon="building",
            group=PURCHASING,
            description=_("Suppliers with tax and bank details, terms and contacts"),
        ),
        NavItem(
            label=_("Purchase requisitions"),
            url_name="purchasing_requisitions",
            permission=REQUEST,
            icon="document",
            group=PURCHASING,
            description=_("Ask for goods; approved requests become orders"),
        ),
        NavItem(
            label=_("Purchase orders"),
            url_name="purchasing_orders",
            permission=VIEW_PURCHASING,
            icon="cart",
            group=PURCHASING,
            description=_("Orders to suppliers, approval, what came in and was billed"),
        ),
        NavItem(
            label=_("Replenishment suggestions"),
            url_name="purchasing_replenishment",
            permission=VIEW_PURCHASING,
            icon="cart",
            group=PURCHASING,
            description=_("What to order, from the sales forecast and stock"),
        ),
        NavItem(
            label=_("Goods receipts"),
            url_name="purchasing_receipts",
            permission=VIEW_PURCHASING,
            icon="truck",
            group=PURCHASING,
            description=_("Goods in at the order price, owed as an estimate"),
        ),
        NavItem(
            label=_("Purchase returns"),
            url_name="purchasing_returns",
            permission=VIEW_PURCHASING,
            icon="arrow",
            group=PURCHASING,
            description=_("Goods sent back to suppliers at their cost"),
        ),
        NavItem(
            label=_("Supplier invoices"),
            url_name="purchasing_invoices",
            permission=VIEW_PURCHASING,
            icon="audit",
            group=PAYABLES,
            description=_("Invoices matched to orders and receipts, then posted"),
        ),
        NavItem(
            label=_("Match exceptions"),
            url_name="purchasing_exceptions",
            permission=INVOICE,
            icon="alert",
            group=PAYABLES,
            description=_("Invoices that did not match, with each line's reason"),
        ),
        NavItem(
            label=_("Supplier payments"),
            url_name="purchasing_payments",
            permission=VIEW_PURCHASING,
            icon="cash",
            group=PAYABLES,
            description=_("Money paid to suppliers, prepayments and settlement"),
        ),
        NavItem(
            label=_("Payables aging"),
            url_name="purchasing_aging",
            permission=VIEW_PURCHASING,
            icon="chart",
            group=PAYABLES,
            description=_("What is owed to each supplier, by age"),
        ),
        NavItem(
            label=_("Supplier statement"),
            url_name="purchasing_statement",
            permission=VIEW_PURCHASING,
            icon="document",
            group=PAYABLES,
            description=_("A supplier's statement to agree balances"),
        ),
    )

    def ready(self) -> None:
        # Registers purchasing's permissions, the source kinds vouchers and
        # stock moves link back to, its consistency check, its reactions
        # and its demo step.
        from zhongshu.core import demo as core_demo
        from zhongshu.purchasing import (  # noqa: F401
            checks,
            demo,
            handlers,
            permissions,
            refs,
            tasks,
        )

        core_demo.register_step("purchasing", demo.build)
