"""What each supplier supplies (供应商供货): a product at a unit price per
base unit, with a minimum order quantity, an order multiple and a lead time.

A supplier has one row per product, set (created or changed) by
``set_supplier_product``. A product has at most one preferred supplier:
making a row preferred un-prefers the product's other supplier in the same
transaction (a conditional unique constraint stands behind it). Each change
is an audit entry on the supplier. Events published: none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Product
from zhongshu.core import audit
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.core.money import PRICE_PLACES
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import SupplierProduct
from zhongshu.purchasing.services.common import ZERO, check_supplier

MAX_LEAD_TIME_DAYS = 365
# Far above any real price or quantity, and inside the scaled integer columns.
_TOO_LARGE = Decimal("1e12")
_TEXT_LIMIT = 60
FIELDS = (
    "supplier_code", "unit_price", "minimum_quantity", "order_multiple",
    "lead_time_days", "is_preferred",
)  # fmt: skip

Problems = dict[str, list[str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierProductData:
    supplier: Supplier
    product: Product
    unit_price: Decimal  # per base unit, with or without VAT as the company buys
    supplier_code: str = ""  # the supplier's own item code
    minimum_quantity: Decimal = ZERO  # in base units; 0: no minimum
    order_multiple: Decimal = ZERO  # in base units; 0: any quantity
    lead_time_days: int = 0
    is_preferred: bool = False


# --- checks ---------------------------------------------------------------------------


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def price_problem(price: Decimal) -> str | None:
    if not price.is_finite() or price < 0 or price >= _TOO_LARGE:
        return _("A unit price is zero or more.")
    if _places(price) > PRICE_PLACES:
        return _("A unit price has at most %(count)d decimal places.") % {
            "count": PRICE_PLACES
        }
    return None


def quantity_problem(quantity: Decimal, places: int) -> str | None:
    """``places``: the decimals of the product's base unit."""
    if not quantity.is_finite() or quantity < 0 or quantity >= _TOO_LARGE:
        return _("Enter zero or more.")
    if _places(quantity) > places:
        return _("The product's unit allows %(count)d decimal places.") % {
            "count": places
        }
    return None


def lead_time_problem(days: int) -> str | None:
    if not 0 <= days <= MAX_LEAD_TIME_DAYS:
        return _("A lead time is from 0 to %(max)d days.") % {"max": MAX_LEAD_TIME_DAYS}
    return None


def supplier_product_problems(data: SupplierProductData) -> Problems:
    """Every problem of the values, by field."""
    places = data.product.base_unit.places
    found = {
        "unit_price": price_problem(data.unit_price),
        "minimum_quantity": quantity_problem(data.minimum_quantity, places),
        "order_multiple": quantity_problem(data.order_multiple, places),
        "lead_time_days": lead_time_problem(data.lead_time_days),
        "supplier_code": (
            _("Enter at most %(count)d characters.") % {"count": _TEXT_LIMIT}
            if len(data.supplier_code.strip()) > _TEXT_LIMIT
            else None
        ),
    }
    return {name: [message] for name, message in found.items() if message}


def _check(company: Company, data: SupplierProductData) -> None:
    same_company(company, data.supplier, data.product)
    check_supplier(company, data.supplier)
    problems = supplier_product_problems(data)
    if not data.product.is_active:
        problems["product"] = [
            _("Product %(product)s is disabled.") % {"product": data.product.code}
        ]
    if problems:
        raise ValidationError(next(iter(problems.values()))[0], fields=problems)


# --- writes ---------------------------------------------------------------------------


def _values(data: SupplierProductData) -> dict[str, Any]:
    return {
        "supplier_code": data.supplier_code.strip(),
        "unit_price": data.unit_price,
        "minimum_quantity": data.minimum_quantity,
        "order_multiple": data.order_multiple,
        "lead_time_days": data.lead_time_days,
        "is_preferred": data.is_preferred,
    }


def _unprefer_others(company: Company, data: SupplierProductData) -> list[str]:
    """The codes of the suppliers that stop being the product's preferred
    one (at most one)."""
    others = list(
        SupplierProduct.objects.select_for_update()
        .filter(company=company, product=data.product, is_preferred=True)
        .exclude(supplier=data.supplier)
        .select_related("supplier")
    )
    for row in others:
        row.is_preferred = False
        row.save(update_fields=["is_preferred"])
    return [row.supplier.code for row in others]


def _plain(value: object) -> object:
    """A value as the audit trail keeps it (JSON)."""
    return str(value) if isinstance(value, Decimal) else value


def _record(actor: User, supplier: Supplier, changes: dict[str, Any]) -> None:
    audit.record(
        company=supplier.company,
        actor=actor,
        action="changed",
        obj=supplier,
        changes=changes,
    )


@transaction.atomic
def set_supplier_product(
    *, company: Company, actor: User, data: SupplierProductData
) -> SupplierProduct:
    """Create or change what ``data.supplier`` supplies of ``data.product``."""
    require_writable(company)
    _check(company, data)
    values = _values(data)
    unpreferred = _unprefer_others(company, data) if data.is_preferred else []
    row = (
        SupplierProduct.objects.select_for_update()
        .filter(company=company, supplier=data.supplier, product=data.product)
        .first()
    )
    before = {name: getattr(row, name) for name in FIELDS} if row else {}
    if row is None:
        row = SupplierProduct.objects.create(
            company=company, supplier=data.supplier, product=data.product, **values
        )
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(FIELDS))
    changes: dict[str, Any] = {"product": data.product.code}
    changes.update(audit.field_changes(before, values))
    if unpreferred:
        changes["unpreferred_suppliers"] = unpreferred
    _record(actor, data.supplier, {"product_set": changes})
    return row


@transaction.atomic
def remove_supplier_product(*, supplier_product: SupplierProduct, actor: User) -> None:
    """The supplier no longer supplies the product (orders keep their
    prices); the product is then without a preferred supplier if it was
    this one."""
    supplier = supplier_product.supplier
    require_writable(supplier.company)
    row = SupplierProduct.objects.select_for_update().get(pk=supplier_product.pk)
    values = {name: _plain(getattr(row, name)) for name in FIELDS}
    _record(
        actor,
        supplier,
        {"product_removed": {"product": row.product.code, **values}},
    )
    row.delete()
