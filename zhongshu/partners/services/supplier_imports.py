"""Importing suppliers from rows of an Excel sheet, all or nothing.

As the customer import (``imports``), with the same reading of cells and
the same reporting (``sheet_import``): a row whose code the company has
updates that supplier (every column of the sheet replaces its value; an
empty cell empties the field), a row with a new code adds one; every row is
checked by the ``supplier_problems`` the form and the API use, and every
problem is reported with its Excel row number and column. Only when there is
none is anything written, in bulk, in one transaction. The contact columns
are the primary contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from zhongshu.core.models import Company
from zhongshu.core.services import require_writable
from zhongshu.partners.excel import SUPPLIER_SHEET, SheetRow
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.partners.services.contacts import ContactData
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
from zhongshu.partners.services.suppliers import (
    SUPPLIER_FIELDS,
    SupplierData,
    supplier_problems,
    supplier_values,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Row:
    data: SupplierData
    active: bool
    contact: ContactData | None


def _existing(company: Company, codes: Sequence[str]) -> dict[str, Supplier]:
    found: dict[str, Supplier] = {}
    for chunk in chunks(codes):
        suppliers = Supplier.objects.filter(company=company, code__in=chunk)
        found.update((s.code, s) for s in suppliers)
    return found


def _data(reader: RowReader) -> SupplierData:
    return SupplierData(
        code=reader.text("code"),
        name=reader.text("name"),
        short_name=reader.text("short_name"),
        uscc=reader.text("uscc"),
        tax_address=reader.text("tax_address"),
        tax_phone=reader.text("tax_phone"),
        bank_name=reader.text("bank_name"),
        bank_account=reader.text("bank_account"),
        payment_terms_days=reader.days(),
        province=reader.province(),
        city=reader.text("city"),
        memo=reader.text("memo"),
    )


def _read_rows(rows: Sequence[SheetRow]) -> tuple[list[_Row], list[ImportProblem]]:
    problems: list[ImportProblem] = []

    def read_row(row: SheetRow, first_rows: dict[str, int]) -> _Row:
        reader = RowReader(row, SUPPLIER_SHEET)
        data, found = supplier_problems(_data(reader))
        reader.report(found)
        reader.check_code(data.code, first_rows)
        read = _Row(
            data=data,
            active=reader.boolean("is_active", default=True),
            contact=reader.contact(),
        )
        problems.extend(reader.problems)
        return read

    return read_rows(rows, read_row), problems


@transaction.atomic
def import_suppliers(
    *, company: Company, actor: User, rows: Sequence[SheetRow]
) -> ImportResult:
    """Add or update a supplier for every row, or none: ImportRejectedError
    lists every problem of every row."""
    require_writable(company)
    read, problems = _read_rows(rows)
    if problems:
        raise ImportRejectedError(problems, SUPPLIER_SHEET)
    result = _write(company, read, _existing(company, sheet_codes(rows)))
    record_import(company, actor, "suppliers", result)
    return result


def _write(
    company: Company, rows: list[_Row], existing: dict[str, Supplier]
) -> ImportResult:
    new = [row for row in rows if row.data.code not in existing]
    Supplier.objects.bulk_create(
        [
            Supplier(company=company, is_active=row.active, **supplier_values(row.data))
            for row in new
        ],
        batch_size=CHUNK,
    )
    changed: list[Supplier] = []
    for row in rows:
        supplier = existing.get(row.data.code)
        if supplier is None:
            continue
        for name, value in supplier_values(row.data).items():
            setattr(supplier, name, value)
        supplier.is_active = row.active
        changed.append(supplier)
    Supplier.objects.bulk_update(
        changed, [*SUPPLIER_FIELDS, "is_active"], batch_size=CHUNK
    )
    suppliers = _existing(company, [row.data.code for row in rows])
    write_primary_contacts(
        SupplierContact,
        "supplier",
        company,
        {
            suppliers[row.data.code].pk: row.contact
            for row in rows
            if row.contact is not None
        },
    )
    return ImportResult(
        created=[row.data.code for row in new],
        updated=[supplier.code for supplier in changed],
    )
