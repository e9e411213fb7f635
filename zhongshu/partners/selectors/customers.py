"""Reads of customers, their categories, contacts and addresses, scoped to a
company. Every ``get_*`` answers NotFoundError for an id of another company,
so the API and the pages cannot even confirm that such a row exists;
``find_*`` looks a code up in the company and answers None when there is
none."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.partners.models import (
    Contact,
    Customer,
    CustomerCategory,
    DeliveryAddress,
)

# --- categories -----------------------------------------------------------------------


def list_customer_categories(company: Company) -> QuerySet[CustomerCategory]:
    return CustomerCategory.objects.filter(company=company).order_by("code")


def get_customer_category(company: Company, category_id: int) -> CustomerCategory:
    category = list_customer_categories(company).filter(pk=category_id).first()
    if category is None:
        raise NotFoundError()
    return category


def find_customer_category(company: Company, code: str) -> CustomerCategory | None:
    return list_customer_categories(company).filter(code=code.strip()).first()


# --- customers ------------------------------------------------------------------------


def _with_details(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    return customers.select_related("category", "salesperson").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("-is_primary", "id")),
        Prefetch(
            "addresses",
            queryset=DeliveryAddress.objects.order_by("-is_default", "id"),
        ),
    )


def list_customers(
    company: Company,
    *,
    search: str = "",
    category: CustomerCategory | None = None,
    salesperson: User | None = None,
    province: str = "",
    active: bool | None = None,
) -> QuerySet[Customer]:
    """Customers by code, with category, salesperson, contacts and addresses
    loaded (a fixed number of queries for any page).

    ``search`` matches code, name, short name or unified social credit code
    (contains, any case); ``province`` is a code."""
    customers = Customer.objects.filter(company=company)
    search = search.strip()
    if search:
        customers = customers.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(uscc__icontains=search)
        )
    if category is not None:
        customers = customers.filter(category=category)
    if salesperson is not None:
        customers = customers.filter(salesperson=salesperson)
    if province:
        customers = customers.filter(province=province)
    if active is not None:
        customers = customers.filter(is_active=active)
    return _with_details(customers).order_by("code")


def get_customer(company: Company, customer_id: int) -> Customer:
    customer = _with_details(
        Customer.objects.filter(company=company, pk=customer_id)
    ).first()
    if customer is None:
        raise NotFoundError()
    return customer


def find_customer(company: Company, code: str) -> Customer | None:
    return _with_details(
        Customer.objects.filter(company=company, code=code.strip())
    ).first()


# --- contacts and addresses -----------------------------------------------------------


def get_contact(company: Company, contact_id: int) -> Contact:
    contact = (
        Contact.objects.filter(company=company, pk=contact_id)
        .select_related("customer")
        .first()
    )
    if contact is None:
        raise NotFoundError()
    return contact


def get_address(company: Company, address_id: int) -> DeliveryAddress:
    address = (
        DeliveryAddress.objects.filter(company=company, pk=address_id)
        .select_related("customer")
        .first()
    )
    if address is None:
        raise NotFoundError()
    return address


def list_contacts(customer: Customer) -> QuerySet[Contact]:
    return Contact.objects.filter(
        company_id=customer.company_id, customer=customer
    ).order_by("-is_primary", "id")


def list_addresses(customer: Customer) -> QuerySet[DeliveryAddress]:
    return DeliveryAddress.objects.filter(
        company_id=customer.company_id, customer=customer
    ).order_by("-is_default", "id")


def list_salespeople(company: Company) -> QuerySet[User]:
    """Members of the company, any role: who may be a customer's salesperson."""
    return (
        User.objects.filter(memberships__company=company)
        .distinct()
        .order_by("username")
    )


def find_member(company: Company, username: str) -> User | None:
    return list_salespeople(company).filter(username__iexact=username.strip()).first()
