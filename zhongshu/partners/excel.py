"""Customers and suppliers to and from Excel: the columns of the import
templates and the exports, and how a customer or a supplier fills them.
Reading and writing the workbook — defensively, an upload is a zip written
by anyone — is ``core.sheets``; what the cells *mean* is checked by
``services.imports`` and ``services.supplier_imports``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext_lazy

from zhongshu.core import sheets
from zhongshu.core.sheets import (
    MAX_FILE_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    XLSX_CONTENT_TYPE,
    Column,
    SheetRow,
    cell_text,
    check_file_size,
)
from zhongshu.partners.models import Customer, Supplier

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "XLSX_CONTENT_TYPE",
    "SheetRow",
    "cell_text",
    "check_file_size",
]

# Columns customers and suppliers share, as the sheets name them.
_NAME = Column("name", gettext_lazy("Name"), required=True, width=30)
_SHORT_NAME = Column("short_name", gettext_lazy("Short name"))
_USCC = Column("uscc", gettext_lazy("Unified social credit code"),
               gettext_lazy("18 characters; empty for individuals."), text=True,
               width=22)  # fmt: skip
_INVOICE_DETAILS = (
    Column("tax_address", gettext_lazy("Registered address"), width=30),
    Column("tax_phone", gettext_lazy("Registered phone"), text=True),
    Column("bank_name", gettext_lazy("Bank"), width=22),
    Column("bank_account", gettext_lazy("Bank account"), text=True, width=22),
)
_TERMS = Column("payment_terms_days", gettext_lazy("Payment terms (days)"),
                gettext_lazy("0 to 3650; empty for 0."), width=10)  # fmt: skip
_PROVINCE = Column("province", gettext_lazy("Province"),
                   gettext_lazy("The code (440000) or the name (广东省 or 广东)."),
                   width=10)  # fmt: skip
_CITY = Column("city", gettext_lazy("City"), width=10)
_CONTACT = (
    Column("contact_name", gettext_lazy("Contact name"),
           gettext_lazy("The primary contact.")),
    Column("contact_phone", gettext_lazy("Contact phone"), text=True),
)  # fmt: skip
_ACTIVE = Column("is_active", gettext_lazy("Active"), gettext_lazy("Empty for yes."),
                 width=8)  # fmt: skip

COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"),
           gettext_lazy("Unique in the company. A code that exists updates that "
                        "customer; a new code adds one."), required=True, text=True),
    _NAME, _SHORT_NAME, _USCC, *_INVOICE_DETAILS,
    Column("category", gettext_lazy("Category code"),
           gettext_lazy("The code of an existing customer category.")),
    Column("salesperson", gettext_lazy("Salesperson user name"),
           gettext_lazy("A user of this company.")),
    Column("price_group", gettext_lazy("Price group"),
           gettext_lazy("The customer group that price lists name.")),
    _TERMS,
    Column("credit_limit", gettext_lazy("Credit limit"),
           gettext_lazy("Yuan; empty for no limit, 0 for nothing on credit."),
           width=12),
    _PROVINCE, _CITY,
    Column("address", gettext_lazy("Address detail"),
           gettext_lazy("The default delivery address; it needs the province."),
           width=30),
    *_CONTACT, _ACTIVE,
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def column_label(key: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    return str(column.label) if column is not None else key


SHEET = sheets.SheetKind(
    columns=COLUMNS,
    title=gettext_lazy("Customers"),
    note=gettext_lazy(
        "Every row is checked before anything is saved: if any row has a "
        "problem, nothing is imported and every problem is listed with "
        "its row and column. A row whose code exists updates that "
        "customer; other rows add customers."
    ),
    too_many=gettext_lazy("At most %(count)d customers can be imported at a time."),
    empty=gettext_lazy("The sheet has no customers below its header row."),
)


def template_xlsx() -> bytes:
    return SHEET.template()


def customer_cells(customer: Customer) -> dict[str, Any]:
    """A customer as the sheet shows it (category, salesperson, contacts and
    addresses loaded by ``selectors.list_customers``)."""
    contact = next((c for c in customer.contacts.all() if c.is_primary), None)
    address = next((a for a in customer.addresses.all() if a.is_default), None)
    return {
        "code": customer.code,
        "name": customer.name,
        "short_name": customer.short_name,
        "uscc": customer.uscc,
        "tax_address": customer.tax_address,
        "tax_phone": customer.tax_phone,
        "bank_name": customer.bank_name,
        "bank_account": customer.bank_account,
        "category": customer.category.code if customer.category else "",
        "salesperson": customer.salesperson.username if customer.salesperson else "",
        "price_group": customer.price_group,
        "payment_terms_days": customer.payment_terms_days,
        "credit_limit": customer.credit_limit,
        "province": customer.province_name,
        "city": customer.city,
        "address": address.detail if address else "",
        "contact_name": contact.name if contact else "",
        "contact_phone": contact.phone if contact else "",
        "is_active": sheets.yes_no(customer.is_active),
    }


def customers_xlsx(rows: Iterable[Any]) -> bytes:
    """Every row given, in the template's columns."""
    return SHEET.export(customer_cells(row) for row in rows)


def read_customer_rows(upload: IO[bytes] | bytes) -> list[SheetRow]:
    """The data rows of the first sheet (blank rows skipped), or a
    ValidationError on ``file`` saying why the workbook cannot be read."""
    return SHEET.read(upload)


# --- suppliers ------------------------------------------------------------------------

SUPPLIER_COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"),
           gettext_lazy("Unique in the company. A code that exists updates that "
                        "supplier; a new code adds one."), required=True, text=True),
    _NAME, _SHORT_NAME, _USCC, *_INVOICE_DETAILS, _TERMS, _PROVINCE, _CITY,
    *_CONTACT,
    Column("memo", gettext_lazy("Memo"), width=30),
    _ACTIVE,
)  # fmt: skip

SUPPLIER_SHEET = sheets.SheetKind(
    columns=SUPPLIER_COLUMNS,
    title=gettext_lazy("Suppliers"),
    note=gettext_lazy(
        "Every row is checked before anything is saved: if any row has a "
        "problem, nothing is imported and every problem is listed with "
        "its row and column. A row whose code exists updates that "
        "supplier; other rows add suppliers."
    ),
    too_many=gettext_lazy("At most %(count)d suppliers can be imported at a time."),
    empty=gettext_lazy("The sheet has no suppliers below its header row."),
)


def supplier_template_xlsx() -> bytes:
    return SUPPLIER_SHEET.template()


def supplier_cells(supplier: Supplier) -> dict[str, Any]:
    """A supplier as the sheet shows it (contacts loaded by
    ``selectors.list_suppliers``)."""
    contact = next((c for c in supplier.contacts.all() if c.is_primary), None)
    return {
        "code": supplier.code,
        "name": supplier.name,
        "short_name": supplier.short_name,
        "uscc": supplier.uscc,
        "tax_address": supplier.tax_address,
        "tax_phone": supplier.tax_phone,
        "bank_name": supplier.bank_name,
        "bank_account": supplier.bank_account,
        "payment_terms_days": supplier.payment_terms_days,
        "province": supplier.province_name,
        "city": supplier.city,
        "contact_name": contact.name if contact else "",
        "contact_phone": contact.phone if contact else "",
        "memo": supplier.memo,
        "is_active": sheets.yes_no(supplier.is_active),
    }


def suppliers_xlsx(rows: Iterable[Supplier]) -> bytes:
    """Every supplier given, in the template's columns."""
    return SUPPLIER_SHEET.export(supplier_cells(row) for row in rows)


def read_supplier_rows(upload: IO[bytes] | bytes) -> list[SheetRow]:
    """The data rows of the first sheet (blank rows skipped), or a
    ValidationError on ``file`` saying why the workbook cannot be read."""
    return SUPPLIER_SHEET.read(upload)
