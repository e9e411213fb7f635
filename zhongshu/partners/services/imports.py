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
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhongshu.core import audit
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company, Membership
from zhongshu.core.services import require_writable
from zhongshu.partners import regions
from zhongshu.partners.excel import COLUMNS, SheetRow, column_label
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
    contact_problems,
)
from zhongshu.partners.services.customers import (
    SCALAR_FIELDS,
    CustomerData,
    customer_problems,
    scalar_values,
)

COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
CHUNK = 500
_TRUE = {"1", "yes", "y", "true", "是", "√", "✓", "对"}
_FALSE = {"0", "no", "n", "false", "否", "×", "✗", "不"}
_ADDRESS_COLUMNS = {"province": "province", "city": "city", "detail": "address"}
_CONTACT_COLUMNS = {"name": "contact_name", "phone": "contact_phone"}


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int
    column: str  # the column's key, e.g. "uscc"
    message: str

    @property
    def column_label(self) -> str:
        return column_label(self.column)


def _sheet_order(problem: ImportProblem) -> tuple[int, int, str]:
    """By row, then left to right as the columns stand in the template."""
    return (problem.row, COLUMN_ORDER.get(problem.column, 99), problem.message)


class ImportRejectedError(ValidationError):
    """Some rows are wrong: nothing was imported. ``problems`` lists them
    all; ``fields`` keys them as ``"<row>:<column>"``."""

    code = "import_rejected"

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = sorted(problems, key=_sheet_order)
        rows = len({p.row for p in self.problems})
        message = ngettext(
            "%(count)d row has problems; nothing was imported.",
            "%(count)d rows have problems; nothing was imported.",
            rows,
        ) % {"count": rows}
        fields: dict[str, list[str]] = {}
        for problem in self.problems:
            fields.setdefault(f"{problem.row}:{problem.column}", []).append(
                problem.message
            )
        super().__init__(message, fields=fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    created: list[str]  # codes, in sheet order
    updated: list[str]


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


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    """Slices small enough for any database's limit on query parameters."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _existing(company: Company, codes: Sequence[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    for chunk in _chunks(codes):
        customers = Customer.objects.filter(company=company, code__in=chunk)
        found.update((c.code, c) for c in customers)
    return found


def _lookups(company: Company, rows: Sequence[SheetRow]) -> _Lookups:
    codes = sorted({r.values.get("code", "").strip() for r in rows} - {""})
    members = Membership.objects.filter(company=company).select_related("user")
    existing = _existing(company, codes)
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
    for chunk in _chunks([str(pk) for pk in code_of]):
        for address in DeliveryAddress.objects.filter(
            company=company, customer_id__in=chunk, is_default=True
        ):
            found[code_of[address.customer_id]] = address
    return found


class _RowReader:
    """Turns one row's texts into the customer, its contact and address,
    noting each problem with its column."""

    def __init__(self, row: SheetRow, lookups: _Lookups) -> None:
        self.row = row
        self.lookups = lookups
        self.problems: list[ImportProblem] = [
            ImportProblem(row.number, key, message)
            for key, message in row.problems.items()
        ]

    def text(self, key: str) -> str:
        return self.row.values.get(key, "").strip()

    def problem(self, key: str, message: str) -> None:
        self.problems.append(ImportProblem(self.row.number, key, message))

    def decimal(self, key: str) -> Decimal | None:
        text = self.text(key).replace(",", "").replace("，", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(key, _("Enter a number."))
            return None
        return value

    def days(self) -> int:
        value = self.decimal("payment_terms_days")
        if value is None:
            return 0
        if value != value.to_integral_value() or abs(value) > 100_000:
            self.problem("payment_terms_days", _("Enter a whole number of days."))
            return 0
        return int(value)

    def boolean(self, key: str, default: bool) -> bool:
        text = self.text(key).lower()
        if not text:
            return default
        if text in _TRUE or text == _("Yes").lower():
            return True
        if text in _FALSE or text == _("No").lower():
            return False
        self.problem(key, _("Enter yes or no."))
        return default

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

    def province(self) -> str:
        text = self.text("province")
        found = regions.find_province(text) if text else None
        if text and found is None:
            self.problem(
                "province", _("There is no province %(name)s.") % {"name": text}
            )
        return found.code if found is not None else ""

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

    def contact(self) -> ContactData | None:
        if not (self.text("contact_name") or self.text("contact_phone")):
            return None
        data, problems = contact_problems(
            ContactData(
                name=self.text("contact_name"),
                phone=self.text("contact_phone"),
                is_primary=True,
            )
        )
        for key, messages in problems.items():
            for message in messages:
                self.problem(_CONTACT_COLUMNS.get(key, "contact_name"), message)
        return data

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
    for key, messages in problems.items():
        if key == "province" and reader.text("province"):
            continue  # read through find_province, reported already
        for message in messages:
            reader.problem(key, message)
    _check_code(reader, data.code, first_rows)
    address = reader.address(data.province)
    if address is None:
        data = _kept_region(reader, data)
    return _Row(
        data=data,
        active=reader.boolean("is_active", default=True),
        contact=reader.contact(),
        address=address,
    )


def _check_code(reader: _RowReader, code: str, first_rows: dict[str, int]) -> None:
    if code and code in first_rows:
        reader.problem(
            "code",
            _("The code %(code)s is also on row %(row)d.")
            % {"code": code, "row": first_rows[code]},
        )
    first_rows.setdefault(code, reader.row.number)


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
    read: list[_Row] = []
    problems: list[ImportProblem] = []
    first_rows: dict[str, int] = {}
    for row in rows:
        reader = _RowReader(row, lookups)
        read.append(_read_row(reader, first_rows))
        problems.extend(reader.problems)
    return read, problems


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
        raise ImportRejectedError(problems)
    result = _write(company, read, lookups.existing)
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=company,
        changes={
            "customers_imported": {
                "created": len(result.created),
                "updated": len(result.updated),
            }
        },
    )
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
    _write_contacts(company, rows, customers)
    _write_addresses(company, rows, customers)
    return ImportResult(
        created=[row.data.code for row in new],
        updated=[customer.code for customer in changed],
    )


def _write_contacts(
    company: Company, rows: list[_Row], customers: dict[str, Customer]
) -> None:
    wanted = {
        customers[row.data.code].pk: row.contact
        for row in rows
        if row.contact is not None
    }
    primary: dict[int, Contact] = {}
    for chunk in _chunks([str(pk) for pk in wanted]):
        primary.update(
            (c.customer_id, c)
            for c in Contact.objects.filter(
                company=company, customer_id__in=chunk, is_primary=True
            )
        )
    create, update = [], []
    for customer_id, data in wanted.items():
        contact = primary.get(customer_id)
        if contact is None:
            create.append(
                Contact(
                    company=company,
                    customer_id=customer_id,
                    name=data.name,
                    phone=data.phone,
                    is_primary=True,
                )
            )
        elif (contact.name, contact.phone) != (data.name, data.phone):
            contact.name, contact.phone = data.name, data.phone
            update.append(contact)
    Contact.objects.bulk_create(create, batch_size=CHUNK)
    Contact.objects.bulk_update(update, ["name", "phone"], batch_size=CHUNK)


def _write_addresses(
    company: Company, rows: list[_Row], customers: dict[str, Customer]
) -> None:
    wanted = {
        customers[row.data.code].pk: row.address
        for row in rows
        if row.address is not None
    }
    default: dict[int, DeliveryAddress] = {}
    for chunk in _chunks([str(pk) for pk in wanted]):
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
