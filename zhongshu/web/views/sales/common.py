"""What the sales pages share: permissions, the company's customers,
warehouses and accounts as choices, messages, and the links to a document's
vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from zhongshu.core import refs
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.inventory import selectors as inventory_selectors
from zhongshu.ledger.models import Voucher
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.partners import selectors as partner_selectors
from zhongshu.partners.models import Customer
from zhongshu.sales import permissions
from zhongshu.web.decorators import can
from zhongshu.web.http import CompanyPageRequest

VIEW = permissions.VIEW_SALES.code
SELL = permissions.SELL.code
OVERRIDE_CREDIT = permissions.OVERRIDE_CREDIT.code
DELIVER = permissions.DELIVER.code
INVOICE = permissions.INVOICE.code
RECEIVE = permissions.RECEIVE.code

PER_PAGE = 50
# The datalists of a form offer at most this many products or customers;
# any other is still found by its code (or barcode) when typed.
MAX_OFFERED = 1000


def plain(value: Decimal) -> str:
    """A quantity or price as typed: ``Decimal("100.0000")`` → ``100``."""
    text = format(value.normalize(), "f")
    return text


def may(request: CompanyPageRequest, permission: str) -> bool:
    """Whether to offer a write: permitted and the company is writable."""
    return can(request, permission) and not request.company_read_only


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def failed(request: HttpRequest, error: DomainError | str) -> None:
    messages.error(request, error.message if isinstance(error, DomainError) else error)


def warehouse_choices(company: Company) -> list[tuple[str, str]]:
    return [
        (str(w.pk), f"{w.code} {w.name}")
        for w in inventory_selectors.list_warehouses(company, active=True)
    ]


def customer_label(customer: Customer) -> str:
    return f"{customer.code} {customer.name}"


def offered_customers(company: Company) -> list[Customer]:
    return list(
        partner_selectors.list_customers(company, active=True)
        .select_related(None)
        .prefetch_related(None)[:MAX_OFFERED]
    )


def find_customer(company: Company, text: str) -> Customer | None:
    """The customer a picker filled in ("C001 某某商贸"), by its code."""
    code = text.strip().split(" ", 1)[0] if text.strip() else ""
    return partner_selectors.find_customer(company, code) if code else None


@dataclass(frozen=True, slots=True)
class VoucherLink:
    voucher: Voucher
    label: str
    url: str


def voucher_links(company: Company, kind: str, source_id: int) -> list[VoucherLink]:
    """The vouchers a document posted, each linking to the voucher page."""
    return [
        VoucherLink(
            voucher,
            voucher.display_number if voucher.number else f"#{voucher.pk}",
            reverse("ledger_voucher", args=[voucher.pk]),
        )
        for voucher in ledger_selectors.vouchers_of_source(company, kind, source_id)
    ]


def source_url(kind: str, source_id: int) -> str:
    described = refs.describe(kind)
    return described.url(source_id) if described is not None else ""
