from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_PARTNERS = "partners.view"
VIEW_SALES = "sales.view"
SELL_RETAIL = "sales.retail"
INVOICE = "sales.invoice"
MANAGE_SALES = "sales.manage"
SALES = _("Sales")
RECEIVABLES = _("Receivables")


class SalesConfig(AppConfig):
    name = "zhongshu.sales"
    label = "sales"
    verbose_name = _("Sales")

    navigation = (
        NavItem(
            label=_("Customers"),
            url_name="partners_customers",
            permission=VIEW_PARTNERS,
            icon="users",
            group=SALES,
            description=_("Customers with tax details, terms, contacts and addresses"),
        ),
        NavItem(
            label=_("Quotations"),
            url_name="sales_quotations",
            permission=VIEW_SALES,
            icon="document",
            group=SALES,
            description=_("Offers to customers, converted to orders when accepted"),
        ),
        NavItem(
            label=_("Sales orders"),
            url_name="sales_orders",
            permission=VIEW_SALES,
            icon="check",
            group=SALES,
            description=_("Orders, the credit check, deliveries and the document flow"),
        ),
        NavItem(
            label=_("Deliveries"),
            url_name="sales_deliveries",
            permission=VIEW_SALES,
            icon="truck",
            group=SALES,
            description=_("Goods shipped, with their cost and revenue vouchers"),
        ),
        NavItem(
            label=_("Sales returns"),
            url_name="sales_returns",
            permission=VIEW_SALES,
            icon="arrow",
            group=SALES,
            description=_("Goods back from customers at their original cost"),
        ),
        NavItem(
            label=_("Store counter"),
            url_name="sales_retail_pos",
            permission=SELL_RETAIL,
            icon="barcode",
            group=SALES,
            description=_("Ring up counter sales with a barcode scanner"),
        ),
        NavItem(
            label=_("Retail sales"),
            url_name="sales_retail_sales",
            permission=VIEW_SALES,
            icon="cart",
            group=SALES,
            description=_("Counter sales with their payments, cost and margin"),
        ),
        NavItem(
            label=_("Retail daily summary"),
            url_name="sales_retail_daily",
            permission=VIEW_SALES,
            icon="chart",
            group=SALES,
            description=_("Takings per store and day by payment method, with margin"),
        ),
        NavItem(
            label=_("Sales invoices"),
            url_name="sales_invoices",
            permission=INVOICE,
            icon="audit",
            group=RECEIVABLES,
            description=_("Revenue recognised on invoicing deliveries"),
        ),
        NavItem(
            label=_("Receipts"),
            url_name="sales_receipts",
            permission=VIEW_SALES,
            icon="cash",
            group=RECEIVABLES,
            description=_("Money received, allocation and settlement"),
        ),
        NavItem(
            label=_("Receivables aging"),
            url_name="sales_aging",
            permission=VIEW_SALES,
            icon="chart",
            group=RECEIVABLES,
            description=_("What each customer owes, by age"),
        ),
        NavItem(
            label=_("Overdue items"),
            url_name="sales_overdue",
            permission=VIEW_SALES,
            icon="alert",
            group=RECEIVABLES,
            description=_("Overdue items, oldest first"),
        ),
        NavItem(
            label=_("Customer statement"),
            url_name="sales_statement",
            permission=VIEW_SALES,
            icon="document",
            group=RECEIVABLES,
            description=_("A customer's statement to agree balances, with PDF"),
        ),
        NavItem(
            label=_("Sales settings"),
            url_name="sales_settings",
            permission=MANAGE_SALES,
            icon="settings",
            group=RECEIVABLES,
            description=_("Revenue recognition, default warehouse, aging buckets"),
        ),
    )

    def ready(self) -> None:
        # Registers sales' permissions, the source kinds vouchers link back
        # to, its consistency check and its reaction to new companies.
        from zhongshu.core import demo as core_demo
        from zhongshu.sales import (  # noqa: F401
            checks,
            demo,
            handlers,
            permissions,
            refs,
        )

        core_demo.register_step("sales", demo.build)
