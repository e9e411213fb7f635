"""Contacts (联系人) and delivery addresses (收货地址) of a customer.

A customer has at most one primary contact and at most one default address:
making one primary (default) demotes the others, and the first one added
becomes it by itself. The default address's province and city are copied to
the customer, so regional reports group customers without a join.

``contact_problems``, ``settle_primary`` and ``contact_values`` also serve
suppliers' contacts (``supplier_contacts``), which follow the same rules.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.services import require_writable
from zhongshu.partners import regions
from zhongshu.partners.models import Contact, Customer, DeliveryAddress
from zhongshu.partners.services.common import (
    Problems,
    add_problem,
    raise_problems,
    text_problem,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactData:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressData:
    province: str  # GB/T 2260 code
    detail: str
    city: str = ""
    district: str = ""
    receiver: str = ""
    phone: str = ""
    is_default: bool = False


_CONTACT_TEXTS = {"name": (60, True), "title": (60, False), "phone": (40, False),
                  "email": (120, False)}  # fmt: skip
_ADDRESS_TEXTS = {"city": (60, False), "district": (60, False),
                  "detail": (200, True), "receiver": (60, False),
                  "phone": (40, False)}  # fmt: skip


def contact_problems(data: ContactData) -> tuple[ContactData, Problems]:
    texts: dict[str, Any] = {
        name: str(getattr(data, name)).strip() for name in _CONTACT_TEXTS
    }
    cleaned = dataclasses.replace(data, **texts)
    problems: Problems = {}
    for name, (max_length, required) in _CONTACT_TEXTS.items():
        add_problem(
            problems,
            name,
            text_problem(getattr(cleaned, name), max_length, required=required),
        )
    if cleaned.email and "@" not in cleaned.email:
        add_problem(problems, "email", _("Enter a valid email address."))
    return cleaned, problems


def address_problems(data: AddressData) -> tuple[AddressData, Problems]:
    texts: dict[str, Any] = {
        name: str(getattr(data, name)).strip() for name in _ADDRESS_TEXTS
    }
    cleaned = dataclasses.replace(data, province=data.province.strip(), **texts)
    problems: Problems = {}
    if not cleaned.province:
        add_problem(problems, "province", _("Choose the province."))
    elif regions.province(cleaned.province) is None:
        add_problem(problems, "province", _("Choose a province of China."))
    for name, (max_length, required) in _ADDRESS_TEXTS.items():
        add_problem(
            problems,
            name,
            text_problem(getattr(cleaned, name), max_length, required=required),
        )
    return cleaned, problems


def _locked(customer: Customer) -> Customer:
    require_writable(customer.company)
    return Customer.objects.select_for_update().get(pk=customer.pk)


def _record(
    customer: Customer, actor: User, action: str, changes: dict[str, Any]
) -> None:
    audit.record(
        company=customer.company,
        actor=actor,
        action="changed",
        obj=customer,
        changes={action: changes},
    )


# --- contacts -------------------------------------------------------------------------


CONTACT_FIELDS = (*_CONTACT_TEXTS, "is_primary")


def contact_values(contact: Any) -> dict[str, object]:
    """A customer's or a supplier's contact, for the audit trail."""
    return {name: getattr(contact, name) for name in CONTACT_FIELDS}


def settle_primary(contacts: QuerySet[Any], contact: Any | None) -> None:
    """``contact`` primary and no other of ``contacts`` (one owner's); or,
    with None, the first one primary when none is. Customers' and
    suppliers' contacts alike."""
    if contact is not None and contact.is_primary:
        contacts.exclude(pk=contact.pk).filter(is_primary=True).update(is_primary=False)
    elif not contacts.filter(is_primary=True).exists():
        first = contacts.order_by("id").first()
        if first is not None:
            first.is_primary = True
            first.save(update_fields=["is_primary"])


def _settle_primary(customer: Customer, contact: Contact | None) -> None:
    settle_primary(Contact.objects.filter(customer=customer), contact)


@transaction.atomic
def add_contact(*, customer: Customer, actor: User, data: ContactData) -> Contact:
    customer = _locked(customer)
    data, problems = contact_problems(data)
    raise_problems(problems)
    contact = Contact.objects.create(
        company_id=customer.company_id,
        customer=customer,
        **dataclasses.asdict(data),
    )
    _settle_primary(customer, contact)
    contact.refresh_from_db()
    _record(customer, actor, "contact_added", contact_values(contact))
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, actor: User, data: ContactData) -> Contact:
    customer = _locked(contact.customer)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    data, problems = contact_problems(data)
    raise_problems(problems)
    before = contact_values(contact)
    for name, value in dataclasses.asdict(data).items():
        setattr(contact, name, value)
    contact.save(update_fields=list(CONTACT_FIELDS))
    _settle_primary(customer, contact)
    contact.refresh_from_db()
    _record(
        customer,
        actor,
        "contact_changed",
        {"id": contact.pk, **audit.field_changes(before, contact_values(contact))},
    )
    return contact


@transaction.atomic
def remove_contact(*, contact: Contact, actor: User) -> None:
    customer = _locked(contact.customer)
    _record(customer, actor, "contact_removed", contact_values(contact))
    contact.delete()
    _settle_primary(customer, None)


# --- delivery addresses ---------------------------------------------------------------


def _address_values(address: DeliveryAddress) -> dict[str, object]:
    return {
        name: getattr(address, name)
        for name in ("province", *_ADDRESS_TEXTS, "is_default")
    }


def _settle_default(customer: Customer, address: DeliveryAddress | None) -> None:
    """One default address (the first when none is marked), and its region
    on the customer."""
    addresses = DeliveryAddress.objects.filter(customer=customer)
    if address is not None and address.is_default:
        addresses.exclude(pk=address.pk).filter(is_default=True).update(
            is_default=False
        )
    elif not addresses.filter(is_default=True).exists():
        first = addresses.order_by("id").first()
        if first is not None:
            first.is_default = True
            first.save(update_fields=["is_default"])
    default = addresses.filter(is_default=True).first()
    if default is not None and (customer.province, customer.city) != (
        default.province,
        default.city,
    ):
        customer.province, customer.city = default.province, default.city
        customer.save(update_fields=["province", "city"])


@transaction.atomic
def add_address(
    *, customer: Customer, actor: User, data: AddressData
) -> DeliveryAddress:
    customer = _locked(customer)
    data, problems = address_problems(data)
    raise_problems(problems)
    address = DeliveryAddress.objects.create(
        company_id=customer.company_id,
        customer=customer,
        **dataclasses.asdict(data),
    )
    _settle_default(customer, address)
    address.refresh_from_db()
    _record(customer, actor, "address_added", _address_values(address))
    return address


@transaction.atomic
def update_address(
    *, address: DeliveryAddress, actor: User, data: AddressData
) -> DeliveryAddress:
    customer = _locked(address.customer)
    address = DeliveryAddress.objects.select_for_update().get(pk=address.pk)
    data, problems = address_problems(data)
    raise_problems(problems)
    before = _address_values(address)
    for name, value in dataclasses.asdict(data).items():
        setattr(address, name, value)
    address.save(update_fields=["province", *_ADDRESS_TEXTS, "is_default"])
    _settle_default(customer, address)
    address.refresh_from_db()
    _record(
        customer,
        actor,
        "address_changed",
        {"id": address.pk, **audit.field_changes(before, _address_values(address))},
    )
    return address


@transaction.atomic
def remove_address(*, address: DeliveryAddress, actor: User) -> None:
    """The next address becomes the default; the customer keeps its region
    when none is left."""
    customer = _locked(address.customer)
    _record(customer, actor, "address_removed", _address_values(address))
    address.delete()
    _settle_default(customer, None)
