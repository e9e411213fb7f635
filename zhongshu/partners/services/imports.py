"""Importing customers from rows of an Excel sheet, all or nothing.

A row whose code the company has updates that customer (every column of the
sheet replaces its value; an empty cell empties the field); a row with a new
code adds a customer. Every row is checked — by the same
``customer_problems``, ``contact_problems`` and ``address_problems`` the form
and the API use, plus the company's categories and members and codes repeated
in the sheet — and every problem is reported with its Excel row number and
column. Only when there is none is anything written, in bulk, in one
transaction. Importing the same sheet twice changes nothing the second time.

The address columns are the default delivery address (its region is copied
to the customer); the contact columns are the primary contact.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.core.models import Company, Membership
from zhongshu.core.services import require_writable
from zhongshu.partners.excel import SHEET, SheetRow
from zhongshu.partners.models import (
    Contact,
    Customer,
    CustomerCategory,
    DeliveryAddress,
)
from zhongshu.partners.services.contacts import (
    AddressData,
    ContactData,
    address_problems,
)
from zhongshu.partners.services.customers import (
    SCALAR_FIELDS,
    CustomerData,
    customer_problems,
    scalar_values,
)
from zhongshu.partners.services.sheet_import import (
    CHUNK,
    ImportProblem,
    ImportRejectedError,
    ImportResult,
    RowReader,
    chunks,
    read_rows,
    record_import,
    sheet_codes,
    write_primary_contacts,
)

__all__ = ["ImportProblem", "ImportRejectedError", "ImportResult", "import_customers"]

_ADDRESS_COLUMNS = {"province": "province", "city": "city", "detail": "address"}


@dataclass(frozen=True, slots=True)
class _Lookups:
    categories: dict[str, CustomerCategory]
    members: dict[str, User]  # user name, lower-cased → user
    existing: dict[str, Customer]  # code → customer
    defaults: dict[str, DeliveryAddress]  # code → its default address


@dataclass(frozen=True, slots=True, kw_only=True)
class _Row:
    data: CustomerData
    active: bool
    contact: ContactData | None
    address: AddressData | None


def _existing(company: Company, codes: Sequence[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for chunk in chunks(codes):
        customers = Customer.objects.filter(company=company, code__in=chunk)
        found.update((c.code, c) for c in customers)
    return found


def _lookups(company: Company, rows: Sequence[SheetRow]) -> _Lookups:
    members = Membership.objects.filter(company=company).select_related("user")
    existing = _existing(company, sheet_codes(rows))
    return _Lookups(
        categories={
            c.code: c for c in CustomerCategory.objects.filter(company=company)
        },
        members={m.user.username.lower(): m.user for m in members},
        existing=existing,
        defaults=_defaults(company, existing),
    )


def _defaults(
    company: Company, existing: dict[str, Customer]
) -> dict[str, DeliveryAddress]:
    code_of = {c.pk: code for code, c in existing.items()}
    found: dict[str, DeliveryAddress] = {}
    for chunk in chunks(list(code_of)):
        for address in DeliveryAddress.objects.filter(
            company=company, customer_id__in=chunk, is_default=True
        ):
            found[code_of[address.customer_id]] = address
    return found


class _RowReader(RowReader):
    """Turns one row's texts into the customer, its contact and address."""

    def __init__(self, row: SheetRow, lookups: _Lookups) -> None:
        super().__init__(row, SHEET)
        self.lookups = lookups

    def category(self) -> CustomerCategory | None:
        code = self.text("category")
        category = self.lookups.categories.get(code) if code else None
        if code and category is None:
            self.problem(
                "category",
                _("There is no customer category %(code)s.") % {"code": code},
            )
        return category

    def salesperson(self) -> User | None:
        name = self.text("salesperson")
        user = self.lookups.members.get(name.lower()) if name else None
        if name and user is None:
            self.problem(
                "salesperson",
                _("%(name)s is not a user of this company.") % {"name": name},
            )
        return user

    def data(self) -> CustomerData:
        return CustomerData(
            code=self.text("code"),
            name=self.text("name"),
            short_name=self.text("short_name"),
            uscc=self.text("uscc"),
            tax_address=self.text("tax_address"),
            tax_phone=self.text("tax_phone"),
            bank_name=self.text("bank_name"),
            bank_account=self.text("bank_account"),
            category=self.category(),
            salesperson=self.salesperson(),
            price_group=self.text("price_group"),
            payment_terms_days=self.days(),
            credit_limit=self.decimal("credit_limit"),
            province=self.province(),
            city=self.text("city"),
        )

    def address(self, province: str) -> AddressData | None:
        if not self.text("address"):
            return None
        data, problems = address_problems(
            AddressData(
                province=province,
                city=self.text("city"),
                detail=self.text("address"),
                is_default=True,
            )
        )
        for key, messages in problems.items():
            if key == "province" and self.text("province"):
                continue  # an unknown name, reported already
            for message in messages:
                self.problem(_ADDRESS_COLUMNS.get(key, "address"), message)
        return data


def _read_row(reader: _RowReader, first_rows: dict[str, int]) -> _Row:
    data, problems = customer_problems(reader.data())
    reader.report(problems)
    reader.check_code(data.code, first_rows)
    address = reader.address(data.province)
    if address is None:
        data = _kept_region(reader, data)
    return _Row(
        data=data,
        active=reader.boolean("is_active", default=True),
        contact=reader.contact(),
        address=address,
    )


def _kept_region(reader: _RowReader, data: CustomerData) -> CustomerData:
    """Without an address cell, a customer that has a default address keeps
    its region: province and city cells may only repeat it."""
    address = reader.lookups.defaults.get(data.code)
    if address is None:
        return data
    given = reader.text("province") or reader.text("city")
    if given and (data.province, data.city) != (address.province, address.city):
        reader.problem(
            "province",
            _(
                "The region of this customer comes from its default delivery "
                "address: fill in the address detail too, or leave province and "
                "city as they are."
            ),
        )
    return dataclasses.replace(data, province=address.province, city=address.city)


def _read_rows(
    rows: Sequence[SheetRow], lookups: _Lookups
) -> tuple[list[_Row], list[ImportProblem]]:
    problems: list[ImportProblem] = []

    def read_row(row: SheetRow, first_rows: dict[str, int]) -> _Row:
        reader = _RowReader(row, lookups)
        read = _read_row(reader, first_rows)
        problems.extend(reader.problems)
        return read

    return read_rows(rows, read_row), problems


@transaction.atomic
def import_customers(
    *, company: Company, actor: User, rows: Sequence[SheetRow]
) -> ImportResult:
    """Add or update a customer for every row, or none: ImportRejectedError
    lists every problem of every row."""
    require_writable(company)
    lookups = _lookups(company, rows)
    read, problems = _read_rows(rows, lookups)
    if problems:
        raise ImportRejectedError(problems, SHEET)
    result = _write(company, read, lookups.existing)
    record_import(company, actor, "customers", result)
    return result


def _write(
    company: Company, rows: list[_Row], existing: dict[str, Customer]
) -> ImportResult:
    new = [row for row in rows if row.data.code not in existing]
    Customer.objects.bulk_create(
        [
            Customer(company=company, is_active=row.active, **scalar_values(row.data))
            for row in new
        ],
        batch_size=CHUNK,
    )
    changed: list[Customer] = []
    for row in rows:
        customer = existing.get(row.data.code)
        if customer is None:
            continue
        for name, value in scalar_values(row.data).items():
            setattr(customer, name, value)
        customer.is_active = row.active
        changed.append(customer)
    Customer.objects.bulk_update(
        changed, [*SCALAR_FIELDS, "is_active"], batch_size=CHUNK
    )
    customers = _existing(company, [row.data.code for row in rows])
    write_primary_contacts(
        Contact,
        "customer",
        company,
        {
            customers[row.data.code].pk: row.contact
            for row in rows
            if row.contact is not None
        },
    )
    _write_addresses(company, rows, customers)
    return ImportResult(
        created=[row.data.code for row in new],
        updated=[customer.code for customer in changed],
    )


def _write_addresses(
    company: Company, rows: list[_Row], customers: dict[str, Customer]
) -> None:
    wanted = {
        customers[row.data.code].pk: row.address
        for row in rows
        if row.address is not None
    }
    default: dict[int, DeliveryAddress] = {}
    for chunk in chunks(list(wanted)):
        default.update(
            (a.customer_id, a)
            for a in DeliveryAddress.objects.filter(
                company=company, customer_id__in=chunk, is_default=True
            )
        )
    create, update = [], []
    for customer_id, data in wanted.items():
        address = default.get(customer_id)
        if address is None:
            create.append(
                DeliveryAddress(
                    company=company,
                    customer_id=customer_id,
                    province=data.province,
                    city=data.city,
                    detail=data.detail,
                    is_default=True,
                )
            )
        else:
            address.province, address.city = data.province, data.city
            address.detail = data.detail
            update.append(address)
    DeliveryAddress.objects.bulk_create(create, batch_size=CHUNK)
    DeliveryAddress.objects.bulk_update(
        update, ["province", "city", "detail"], batch_size=CHUNK
    )
