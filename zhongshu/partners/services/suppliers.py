"""Suppliers (供应商): creating and changing them, deactivating and
reactivating.

``supplier_problems`` checks a supplier's data without the database (the
checks customers share, in ``common.party_problems``); the services add the
unique code, and the Excel import uses the same function row by row, so a
supplier is held to the same rules whichever way it comes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.partners.models import Supplier
from zhongshu.partners.services.common import (
    Problems,
    duplicate,
    party_problems,
    raise_problems,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierData:
    code: str
    name: str
    short_name: str = ""
    uscc: str = ""  # 统一社会信用代码; empty for individuals
    tax_address: str = ""
    tax_phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    payment_terms_days: int = 0
    province: str = ""  # GB/T 2260 code, e.g. "440000"
    city: str = ""
    memo: str = ""


# Text fields with their maximum length and whether they are required.
_TEXTS: dict[str, tuple[int, bool]] = {
    "name": (200, True),
    "short_name": (60, False),
    "tax_address": (200, False),
    "tax_phone": (40, False),
    "bank_name": (100, False),
    "bank_account": (40, False),
    "city": (60, False),
    "memo": (200, False),
}
SUPPLIER_FIELDS = (
    "code", "name", "short_name", "uscc", "tax_address", "tax_phone", "bank_name",
    "bank_account", "payment_terms_days", "province", "city", "memo",
)  # fmt: skip


def supplier_problems(data: SupplierData) -> tuple[SupplierData, Problems]:
    """The data cleaned (texts stripped, the USCC normalized) and every
    problem found, by field."""
    return party_problems(data, _TEXTS)


def _check_code_free(company: Company, code: str, supplier: Supplier | None) -> None:
    taken = Supplier.objects.filter(company=company, code=code)
    if supplier is not None:
        taken = taken.exclude(pk=supplier.pk)
    if taken.exists():
        raise duplicate(
            "code", _("The supplier code %(code)s exists.") % {"code": code}
        )


def _checked(
    company: Company, data: SupplierData, supplier: Supplier | None
) -> SupplierData:
    data, problems = supplier_problems(data)
    raise_problems(problems)
    _check_code_free(company, data.code, supplier)
    return data


def supplier_values(data: SupplierData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in SUPPLIER_FIELDS}


@transaction.atomic
def create_supplier(*, company: Company, actor: User, data: SupplierData) -> Supplier:
    require_writable(company)
    data = _checked(company, data, None)
    values = supplier_values(data)
    supplier = Supplier.objects.create(company=company, **values)
    audit.record(
        company=company,
        actor=actor,
        action="created",
        obj=supplier,
        changes={k: v for k, v in values.items() if v not in ("", None)},
    )
    return supplier


@transaction.atomic
def update_supplier(*, supplier: Supplier, actor: User, data: SupplierData) -> Supplier:
    """Replace the supplier's data."""
    company = supplier.company
    require_writable(company)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    data = _checked(company, data, supplier)
    before = {name: getattr(supplier, name) for name in SUPPLIER_FIELDS}
    after = supplier_values(data)
    for name, value in after.items():
        setattr(supplier, name, value)
    supplier.save(update_fields=list(SUPPLIER_FIELDS))
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=supplier,
        changes=audit.field_changes(before, after),
    )
    return supplier


@transaction.atomic
def set_supplier_active(*, supplier: Supplier, actor: User, active: bool) -> Supplier:
    """Deactivate (no new purchases from it; its history stays) or reactivate."""
    require_writable(supplier.company)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.is_active != active:
        supplier.is_active = active
        supplier.save(update_fields=["is_active"])
        audit.record(
            company=supplier.company,
            actor=actor,
            action="changed",
            obj=supplier,
            changes={"is_active": [not active, active]},
        )
    return supplier
