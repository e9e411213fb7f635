"""What the purchasing pages share: permissions, the company's suppliers,
products and money accounts as choices, and the supplier or account a
picker filled in. The generic helpers (messages, the links to a document's
vouchers, the line grid's script and preview) are the sales pages' own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from zhongshu.catalog.models import Product
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core.models import Company
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.partners import selectors as partner_selectors
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import permissions
from zhongshu.web.decorators import can
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.views.ledger.common import account_names
from zhongshu.web.views.sales.common import MAX_OFFERED

VIEW = permissions.VIEW_PURCHASING.code
REQUEST = permissions.REQUEST.code
BUY = permissions.BUY.code
APPROVE = permissions.APPROVE.code
RECEIVE = permissions.RECEIVE.code
INVOICE = permissions.INVOICE.code
PAY = permissions.PAY.code

# The leaf accounts a payment is offered from: cash, bank, other money.
MONEY_ACCOUNTS = ("1001", "1002", "1012")


def require_view_or_request(request: CompanyPageRequest) -> None:
    """Requisitions are open to whoever may see purchasing or ask for goods
    (a salesperson asks without seeing purchase orders)."""
    if not (can(request, VIEW) or can(request, REQUEST)):
        raise PermissionDenied


def supplier_label(supplier: Supplier) -> str:
    return f"{supplier.code} {supplier.name}"


def offered_suppliers(company: Company) -> list[Supplier]:
    return list(
        partner_selectors.list_suppliers(company, active=True).prefetch_related(None)[
            :MAX_OFFERED
        ]
    )


def find_supplier(company: Company, text: str) -> Supplier | None:
    """The supplier a picker filled in ("V001 某某供应商"), by its code."""
    code = text.strip().split(" ", 1)[0] if text.strip() else ""
    return partner_selectors.find_supplier(company, code) if code else None


def offered_products(company: Company) -> QuerySet[Product]:
    return (
        catalog.list_products(company, active=True)
        .prefetch_related(None)
        .select_related(None)[:MAX_OFFERED]
    )


def money_accounts(company: Company) -> list[str]:
    """Cash and bank accounts offered first (any postable account is
    accepted)."""
    accounts = list(ledger_selectors.list_accounts(company, active_only=True))
    names = account_names(accounts)
    return [
        names[a.pk].label
        for a in accounts
        if a.is_leaf and a.code[:4] in MONEY_ACCOUNTS
    ]


def find_account(company: Company, text: str) -> Account | None:
    code = text.strip().split(" ", 1)[0] if text.strip() else ""
    return ledger_selectors.find_account(company, code) if code else None
