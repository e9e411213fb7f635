"""Reads of suppliers and their contacts, scoped to a company. ``get_*``
answers NotFoundError for an id of another company; ``find_supplier`` looks
a code up in the company and answers None when there is none."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.partners.models import Supplier, SupplierContact


def _with_contacts(suppliers: QuerySet[Supplier]) -> QuerySet[Supplier]:
    return suppliers.prefetch_related(
        Prefetch(
            "contacts", queryset=SupplierContact.objects.order_by("-is_primary", "id")
        )
    )


def list_suppliers(
    company: Company,
    *,
    search: str = "",
    province: str = "",
    active: bool | None = None,
) -> QuerySet[Supplier]:
    """Suppliers by code, with their contacts loaded (two queries for any
    page).

    ``search`` matches code, name, short name or unified social credit code
    (contains, any case); ``province`` is a code."""
    suppliers = Supplier.objects.filter(company=company)
    search = search.strip()
    if search:
        suppliers = suppliers.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(uscc__icontains=search)
        )
    if province:
        suppliers = suppliers.filter(province=province)
    if active is not None:
        suppliers = suppliers.filter(is_active=active)
    return _with_contacts(suppliers).order_by("code")


def get_supplier(company: Company, supplier_id: int) -> Supplier:
    supplier = _with_contacts(
        Supplier.objects.filter(company=company, pk=supplier_id)
    ).first()
    if supplier is None:
        raise NotFoundError()
    return supplier


def find_supplier(company: Company, code: str) -> Supplier | None:
    return _with_contacts(
        Supplier.objects.filter(company=company, code=code.strip())
    ).first()


def get_supplier_contact(company: Company, contact_id: int) -> SupplierContact:
    contact = (
        SupplierContact.objects.filter(company=company, pk=contact_id)
        .select_related("supplier")
        .first()
    )
    if contact is None:
        raise NotFoundError()
    return contact


def list_supplier_contacts(supplier: Supplier) -> QuerySet[SupplierContact]:
    return SupplierContact.objects.filter(
        company_id=supplier.company_id, supplier=supplier
    ).order_by("-is_primary", "id")
