"""What every purchasing service shares: settings, numbering, the document
kinds vouchers and stock moves name as their source, and checks of the rows
a document names."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.catalog.models import Product
from zhongshu.core import numbering
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company, TaxpayerType
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account
from zhongshu.ledger.services.drafts import required_dimensions
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import PurchaseSettings

ZERO = Decimal("0")

REQUISITION_KIND = "purchasing.requisition"
ORDER_KIND = "purchasing.order"
RECEIPT_KIND = "purchasing.receipt"
INVOICE_KIND = "purchasing.invoice"
RETURN_KIND = "purchasing.return"
PAYMENT_KIND = "purchasing.payment"
SETTLEMENT_KIND = "purchasing.settlement"

REQUISITION_NUMBERS = numbering.declare(
    REQUISITION_KIND,
    gettext_lazy("Purchase requisition"),
    default_pattern="QG-{year}-{seq:05d}",
)
ORDER_NUMBERS = numbering.declare(
    ORDER_KIND, gettext_lazy("Purchase order"), default_pattern="CGDD-{year}-{seq:05d}"
)
RECEIPT_NUMBERS = numbering.declare(
    RECEIPT_KIND, gettext_lazy("Goods receipt"), default_pattern="CGRK-{year}-{seq:05d}"
)
INVOICE_NUMBERS = numbering.declare(
    INVOICE_KIND,
    gettext_lazy("Supplier invoice"),
    default_pattern="CGFP-{year}-{seq:05d}",
)
RETURN_NUMBERS = numbering.declare(
    RETURN_KIND,
    gettext_lazy("Purchase return"),
    default_pattern="CGTH-{year}-{seq:05d}",
)
PAYMENT_NUMBERS = numbering.declare(
    PAYMENT_KIND, gettext_lazy("Payment"), default_pattern="FK-{year}-{seq:05d}"
)


def settings_of(company: Company) -> PurchaseSettings:
    found = PurchaseSettings.objects.filter(company=company).first()
    if found is not None:
        return found
    settings, _created = PurchaseSettings.objects.get_or_create(company=company)
    return settings


def next_number(company: Company, key: str, on_date: datetime.date) -> str:
    return numbering.take(company=company, key=key, on_date=on_date)


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def line_error(index: int, field: str, message: str) -> ValidationError:
    text = _("Line %(n)d: %(message)s") % {"n": index + 1, "message": message}
    return ValidationError(text, fields={f"lines.{index}.{field}": [message]})


def check_supplier(company: Company, supplier: Supplier) -> None:
    if supplier.company_id != company.pk:
        raise NotFoundError(_("Supplier not found."))
    if not supplier.is_active:
        raise field_error(
            "supplier",
            _("Supplier %(supplier)s is disabled.") % {"supplier": supplier.code},
        )


def check_warehouse(company: Company, warehouse: Warehouse, field: str) -> None:
    if warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    if not warehouse.is_active:
        raise field_error(
            field,
            _("Warehouse %(warehouse)s is disabled.") % {"warehouse": warehouse.code},
        )


def check_product(index: int, company: Company, product: Product) -> None:
    if product.company_id != company.pk:
        raise line_error(index, "product", _("Product not found."))
    if not product.is_active:
        raise line_error(
            index,
            "product",
            _("product %(product)s is disabled.") % {"product": product.code},
        )


def input_vat_deductible(company: Company) -> bool:
    """A small-scale taxpayer cannot deduct input VAT: it is part of cost."""
    return str(company.taxpayer_type) != TaxpayerType.SMALL_SCALE


def supplier_dimensions(account: Account, supplier_id: int) -> dict[str, int]:
    return required_dimensions(account, {"supplier": supplier_id})


def user_or_none(actor: User | None) -> User | None:
    return actor if isinstance(actor, User) else None


def plain(value: Decimal) -> str:
    """A quantity for a message: 12 rather than 12.0000."""
    text = format(value.normalize(), "f")
    return text
