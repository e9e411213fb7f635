"""What every sales service shares: settings, numbering, the document kinds
vouchers and stock moves name as their source, and voucher writing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.core import numbering
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company, SequenceReset
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account
from zhongshu.ledger.services import drafts
from zhongshu.ledger.services.drafts import required_dimensions
from zhongshu.partners.models import Customer
from zhongshu.sales.models import SalesSettings

ZERO = Decimal("0")

QUOTATION_KIND = "sales.quotation"
ORDER_KIND = "sales.order"
DELIVERY_KIND = "sales.delivery"
RETURN_KIND = "sales.return"
INVOICE_KIND = "sales.invoice"
RECEIPT_KIND = "sales.receipt"
SETTLEMENT_KIND = "sales.settlement"
RETAIL_KIND = "sales.retail"

QUOTATION_NUMBERS = numbering.declare(
    QUOTATION_KIND, gettext_lazy("Quotation"), default_pattern="BJ-{year}-{seq:05d}"
)
ORDER_NUMBERS = numbering.declare(
    ORDER_KIND, gettext_lazy("Sales order"), default_pattern="XSDD-{year}-{seq:05d}"
)
DELIVERY_NUMBERS = numbering.declare(
    DELIVERY_KIND, gettext_lazy("Delivery"), default_pattern="XSCK-{year}-{seq:05d}"
)
RETURN_NUMBERS = numbering.declare(
    RETURN_KIND, gettext_lazy("Sales return"), default_pattern="XSTH-{year}-{seq:05d}"
)
INVOICE_NUMBERS = numbering.declare(
    INVOICE_KIND, gettext_lazy("Sales invoice"), default_pattern="XSFP-{year}-{seq:05d}"
)
RECEIPT_NUMBERS = numbering.declare(
    RECEIPT_KIND, gettext_lazy("Receipt"), default_pattern="SK-{year}-{seq:05d}"
)
RETAIL_NUMBERS = numbering.declare(
    RETAIL_KIND,
    gettext_lazy("Retail sale"),
    default_pattern="LS-{year}{month}-{seq:06d}",
    default_reset=SequenceReset.MONTHLY,
)


def settings_of(company: Company) -> SalesSettings:
    found = SalesSettings.objects.filter(company=company).first()
    if found is not None:
        return found
    settings, _created = SalesSettings.objects.get_or_create(company=company)
    return settings


def next_number(company: Company, key: str, on_date: datetime.date) -> str:
    return numbering.take(company=company, key=key, on_date=on_date)


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def line_error(index: int, field: str, message: str) -> ValidationError:
    text = _("Line %(n)d: %(message)s") % {"n": index + 1, "message": message}
    return ValidationError(text, fields={f"lines.{index}.{field}": [message]})


def check_customer(company: Company, customer: Customer) -> None:
    if customer.company_id != company.pk:
        raise NotFoundError(_("Customer not found."))
    if not customer.is_active:
        raise field_error(
            "customer",
            _("Customer %(customer)s is disabled.") % {"customer": customer.code},
        )


def check_warehouse(company: Company, warehouse: Warehouse, field: str) -> None:
    if warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    if not warehouse.is_active:
        raise field_error(
            field,
            _("Warehouse %(warehouse)s is disabled.") % {"warehouse": warehouse.code},
        )


def customer_dimensions(account: Account, customer_id: int) -> dict[str, int]:
    """The customer dimension when the account tracks customers."""
    return required_dimensions(account, {"customer": customer_id})


class VoucherDraft(drafts.VoucherDraft):
    """The ledger's draft, with sales' lines naming their customer."""

    def add(  # type: ignore[override]
        self,
        account: Account,
        *,
        debit: Decimal = ZERO,
        credit: Decimal = ZERO,
        customer_id: int | None = None,
    ) -> None:
        super().add(
            account,
            debit=debit,
            credit=credit,
            dimensions=None if customer_id is None else {"customer": customer_id},
        )


def user_or_none(actor: User | None) -> User | None:
    return actor if isinstance(actor, User) else None


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)
