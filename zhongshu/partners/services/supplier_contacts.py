"""Contacts (联系人) of a supplier: held to the same rules as a customer's
(``contacts.contact_problems``). A supplier has at most one primary contact:
making one primary demotes the others, and the first one added becomes it by
itself. Each change is an audit entry on the supplier."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from zhongshu.core import audit
from zhongshu.core.services import require_writable
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.partners.services.common import raise_problems
from zhongshu.partners.services.contacts import (
    CONTACT_FIELDS,
    ContactData,
    contact_problems,
    contact_values,
    settle_primary,
)


def _locked(supplier: Supplier) -> Supplier:
    require_writable(supplier.company)
    return Supplier.objects.select_for_update().get(pk=supplier.pk)


def _record(
    supplier: Supplier, actor: User, action: str, changes: dict[str, Any]
) -> None:
    audit.record(
        company=supplier.company,
        actor=actor,
        action="changed",
        obj=supplier,
        changes={action: changes},
    )


def _settle(supplier: Supplier, contact: SupplierContact | None) -> None:
    settle_primary(SupplierContact.objects.filter(supplier=supplier), contact)


def _cleaned(data: ContactData) -> ContactData:
    data, problems = contact_problems(data)
    raise_problems(problems)
    return data


@transaction.atomic
def add_supplier_contact(
    *, supplier: Supplier, actor: User, data: ContactData
) -> SupplierContact:
    supplier = _locked(supplier)
    data = _cleaned(data)
    contact = SupplierContact.objects.create(
        company_id=supplier.company_id, supplier=supplier, **dataclasses.asdict(data)
    )
    _settle(supplier, contact)
    contact.refresh_from_db()
    _record(supplier, actor, "contact_added", contact_values(contact))
    return contact


@transaction.atomic
def update_supplier_contact(
    *, contact: SupplierContact, actor: User, data: ContactData
) -> SupplierContact:
    supplier = _locked(contact.supplier)
    contact = SupplierContact.objects.select_for_update().get(pk=contact.pk)
    data = _cleaned(data)
    before = contact_values(contact)
    for name, value in dataclasses.asdict(data).items():
        setattr(contact, name, value)
    contact.save(update_fields=list(CONTACT_FIELDS))
    _settle(supplier, contact)
    contact.refresh_from_db()
    changes = audit.field_changes(before, contact_values(contact))
    _record(supplier, actor, "contact_changed", {"id": contact.pk, **changes})
    return contact


@transaction.atomic
def remove_supplier_contact(*, contact: SupplierContact, actor: User) -> None:
    """The first remaining contact becomes the primary one."""
    supplier = _locked(contact.supplier)
    _record(supplier, actor, "contact_removed", contact_values(contact))
    contact.delete()
    _settle(supplier, None)
