"""Setup steps for tests of partners and of every module that sells to
customers or buys from suppliers (never imported by product code)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company
from zhongshu.partners import services
from zhongshu.partners.models import Customer, CustomerCategory, Supplier

_counter = itertools.count(1)


def make_customer(
    company: Company,
    code: str | None = None,
    *,
    name: str | None = None,
    credit_limit: Decimal | None = None,
    payment_terms_days: int = 0,
    price_group: str = "",
    province: str = "440000",
    category: CustomerCategory | None = None,
) -> Customer:
    """A customer through the service (in Guangdong unless told)."""
    code = code or f"C{next(_counter):04d}"
    return services.create_customer(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.CustomerData(
            code=code,
            name=name or f"客户 {code}",
            credit_limit=credit_limit,
            payment_terms_days=payment_terms_days,
            price_group=price_group,
            province=province,
            category=category,
        ),
    )


def make_supplier(
    company: Company,
    code: str | None = None,
    *,
    name: str | None = None,
    payment_terms_days: int = 0,
    province: str = "440000",
) -> Supplier:
    """A supplier through the service (in Guangdong unless told)."""
    code = code or f"S{next(_counter):04d}"
    return services.create_supplier(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.SupplierData(
            code=code,
            name=name or f"供应商 {code}",
            payment_terms_days=payment_terms_days,
            province=province,
        ),
    )


def make_customer_category(
    company: Company, code: str | None = None, name: str | None = None
) -> CustomerCategory:
    code = code or f"CC{next(_counter)}"
    return services.create_customer_category(
        company=company,
        actor=core_testing.owner_of(company),
        code=code,
        name=name or f"客户分类 {code}",
    )


# --- objects for the tenant-isolation probes, by path parameter name ------------------


@core_testing.object_factory("customer_id")
def _customer(company: Company) -> int:
    return make_customer(company).pk


@core_testing.object_factory("customer_category_id")
def _customer_category(company: Company) -> int:
    return make_customer_category(company).pk


@core_testing.object_factory("contact_id")
def _contact(company: Company) -> int:
    return services.add_contact(
        customer=make_customer(company),
        actor=core_testing.owner_of(company),
        data=services.ContactData(name="张经理", phone="13800000000"),
    ).pk


@core_testing.object_factory("address_id")
def _address(company: Company) -> int:
    return services.add_address(
        customer=make_customer(company),
        actor=core_testing.owner_of(company),
        data=services.AddressData(
            province="440000", city="深圳市", detail="南山区科技园 1 号"
        ),
    ).pk


@core_testing.object_factory("supplier_id")
def _supplier(company: Company) -> int:
    return make_supplier(company).pk


@core_testing.object_factory("supplier_contact_id")
def _supplier_contact(company: Company) -> int:
    return services.add_supplier_contact(
        supplier=make_supplier(company),
        actor=core_testing.owner_of(company),
        data=services.ContactData(name="李经理", phone="13900000000"),
    ).pk
