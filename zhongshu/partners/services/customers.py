"""Customers (客户): creating and changing them, deactivating and
reactivating.

``customer_problems`` checks a customer's data without the database; the
services add what needs it (a unique code, a category of the company, a
salesperson who is a member), and the Excel import uses the same function row
by row, so a customer is held to the same rules whichever way it comes in.

The region (``province``/``city``) follows the default delivery address when
the customer has one (``services.addresses`` copies it); without one it is
set here directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.models import Company, Membership
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company
from zhongshu.partners.models import Customer, CustomerCategory, DeliveryAddress
from zhongshu.partners.services.common import (
    Problems,
    add_problem,
    duplicate,
    party_problems,
    places,
    raise_problems,
)

MAX_CREDIT_LIMIT = Decimal("1e13")  # ten trillion yuan: far above any real limit


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerData:
    code: str
    name: str
    short_name: str = ""
    uscc: str = ""  # 统一社会信用代码; empty for individuals
    tax_address: str = ""
    tax_phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    category: CustomerCategory | None = None
    salesperson: User | None = None
    price_group: str = ""
    payment_terms_days: int = 0
    credit_limit: Decimal | None = None  # None: no limit; 0: nothing on credit
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
    "price_group": (40, False),
    "city": (60, False),
    "memo": (200, False),
}
SCALAR_FIELDS = (
    "code", "name", "short_name", "uscc", "tax_address", "tax_phone", "bank_name",
    "bank_account", "category", "salesperson", "price_group", "payment_terms_days",
    "credit_limit", "province", "city", "memo",
)  # fmt: skip


# --- checks without the database ------------------------------------------------------


def customer_problems(data: CustomerData) -> tuple[CustomerData, Problems]:
    """The data cleaned (texts stripped, the USCC normalized) and every
    problem found, by field."""
    cleaned, problems = party_problems(data, _TEXTS)
    add_problem(problems, "credit_limit", credit_limit_problem(data.credit_limit))
    return cleaned, problems


def credit_limit_problem(limit: Decimal | None) -> str | None:
    if limit is None:
        return None
    if not limit.is_finite() or limit < 0 or limit >= MAX_CREDIT_LIMIT:
        return _("A credit limit is zero or more; leave it empty for no limit.")
    if places(limit) > 2:
        return _("A credit limit has at most 2 decimal places.")
    return None


# --- checks with the database ---------------------------------------------------------


def is_member(company: Company, user: User) -> bool:
    return Membership.objects.filter(company=company, user=user).exists()


def _check_links(company: Company, data: CustomerData, problems: Problems) -> None:
    same_company(company, data.category)
    if data.salesperson is not None and not is_member(company, data.salesperson):
        add_problem(
            problems,
            "salesperson",
            _("The salesperson must be a member of this company."),
        )


def _check_code_free(company: Company, code: str, customer: Customer | None) -> None:
    taken = Customer.objects.filter(company=company, code=code)
    if customer is not None:
        taken = taken.exclude(pk=customer.pk)
    if taken.exists():
        raise duplicate(
            "code", _("The customer code %(code)s exists.") % {"code": code}
        )


def _checked(
    company: Company, data: CustomerData, customer: Customer | None
) -> CustomerData:
    data, problems = customer_problems(data)
    _check_links(company, data, problems)
    raise_problems(problems)
    _check_code_free(company, data.code, customer)
    return data


# --- writes ---------------------------------------------------------------------------


def scalar_values(data: CustomerData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in SCALAR_FIELDS}


def _values_of(customer: Customer) -> dict[str, Any]:
    values = {name: getattr(customer, name) for name in SCALAR_FIELDS}
    values["category"] = customer.category_id
    values["salesperson"] = customer.salesperson_id
    return values


def _audit_values(data: CustomerData) -> dict[str, Any]:
    values = scalar_values(data)
    values["category"] = data.category.pk if data.category else None
    values["salesperson"] = data.salesperson.pk if data.salesperson else None
    return values


def default_address_of(customer: Customer) -> DeliveryAddress | None:
    return DeliveryAddress.objects.filter(customer=customer, is_default=True).first()


@transaction.atomic
def create_customer(*, company: Company, actor: User, data: CustomerData) -> Customer:
    require_writable(company)
    data = _checked(company, data, None)
    customer = Customer.objects.create(company=company, **scalar_values(data))
    audit.record(
        company=company,
        actor=actor,
        action="created",
        obj=customer,
        changes={k: v for k, v in _audit_values(data).items() if v not in ("", None)},
    )
    return customer


@transaction.atomic
def update_customer(*, customer: Customer, actor: User, data: CustomerData) -> Customer:
    """Replace the customer's data. With a default delivery address the
    region stays that address's: ``data.province`` and ``data.city`` are
    then not used."""
    company = customer.company
    require_writable(company)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    data = _checked(company, data, customer)
    address = default_address_of(customer)
    if address is not None:
        data = dataclasses.replace(data, province=address.province, city=address.city)
    before = _values_of(customer)
    for name, value in scalar_values(data).items():
        setattr(customer, name, value)
    customer.save(update_fields=list(SCALAR_FIELDS))
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=customer,
        changes=audit.field_changes(before, _audit_values(data)),
    )
    return customer


@transaction.atomic
def set_customer_active(*, customer: Customer, actor: User, active: bool) -> Customer:
    """Deactivate (no new documents for it; its history stays) or reactivate."""
    require_writable(customer.company)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.is_active != active:
        customer.is_active = active
        customer.save(update_fields=["is_active"])
        audit.record(
            company=customer.company,
            actor=actor,
            action="changed",
            obj=customer,
            changes={"is_active": [not active, active]},
        )
    return customer
