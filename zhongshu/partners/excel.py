"""Customers to and from Excel (.xlsx, openpyxl): the import template, the
export of every customer, and reading an uploaded sheet into rows of text.

Reading is defensive, as for products: an upload is a zip of XML written by
anyone. The file size, the uncompressed size of its parts (a zip bomb is
small on the wire), the number of parts, rows and columns are capped before
or while openpyxl streams it (``read_only``), and any failure to read becomes
one clear ValidationError on ``file`` instead of a crash. What the cells
*mean* is checked by ``services.imports``.

The guard is written again here rather than imported: partners may not
import the catalog, and it does not belong to either (it should move to
core as a generic sheet reader).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from zhongshu.core.errors import ValidationError
from zhongshu.partners.models import Customer

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_PARTS = 200
MAX_ROWS = 10_000
MAX_COLUMNS = 60
# Excel keeps 15 significant digits of a number: longer codes must be text.
_EXACT_DIGITS = 15
TEXT_FORMAT = "@"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str | Promise
    help: str | Promise = ""
    required: bool = False
    text: bool = False  # formatted as text, so Excel keeps leading zeros
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"),
           gettext_lazy("Unique in the company. A code that exists updates that "
                        "customer; a new code adds one."), required=True, text=True),
    Column("name", gettext_lazy("Name"), required=True, width=30),
    Column("short_name", gettext_lazy("Short name")),
    Column("uscc", gettext_lazy("Unified social credit code"),
           gettext_lazy("18 characters; empty for individuals."), text=True,
           width=22),
    Column("tax_address", gettext_lazy("Registered address"), width=30),
    Column("tax_phone", gettext_lazy("Registered phone"), text=True),
    Column("bank_name", gettext_lazy("Bank"), width=22),
    Column("bank_account", gettext_lazy("Bank account"), text=True, width=22),
    Column("category", gettext_lazy("Category code"),
           gettext_lazy("The code of an existing customer category.")),
    Column("salesperson", gettext_lazy("Salesperson user name"),
           gettext_lazy("A user of this company.")),
    Column("price_group", gettext_lazy("Price group"),
           gettext_lazy("The customer group that price lists name.")),
    Column("payment_terms_days", gettext_lazy("Payment terms (days)"),
           gettext_lazy("0 to 3650; empty for 0."), width=10),
    Column("credit_limit", gettext_lazy("Credit limit"),
           gettext_lazy("Yuan; empty for no limit, 0 for nothing on credit."),
           width=12),
    Column("province", gettext_lazy("Province"),
           gettext_lazy("The code (440000) or the name (广东省 or 广东)."), width=10),
    Column("city", gettext_lazy("City"), width=10),
    Column("address", gettext_lazy("Address detail"),
           gettext_lazy("The default delivery address; it needs the province."),
           width=30),
    Column("contact_name", gettext_lazy("Contact name"),
           gettext_lazy("The primary contact.")),
    Column("contact_phone", gettext_lazy("Contact phone"), text=True),
    Column("is_active", gettext_lazy("Active"), gettext_lazy("Empty for yes."),
           width=8),
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


def column_label(key: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    return str(column.label) if column is not None else key


# --- writing --------------------------------------------------------------------------


def _header_cells(sheet: WriteOnlyWorksheet) -> list[Cell]:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E7ECF3")
    cells = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font, cell.fill = bold, fill
        cells.append(cell)
    return cells


def _new_sheet(workbook: Workbook, title: str) -> Any:
    """A write-only sheet with the columns' widths (typed Any: the stubs of
    write-only sheets lack the column dimensions they have)."""
    sheet: Any = workbook.create_sheet(title)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    return sheet


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The import template: the customers sheet with its headers only (the
    import reads the first sheet), and a sheet explaining each column."""
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(workbook, str(_("Customers")))
    sheet.append(_header_cells(sheet))
    help_sheet: Any = workbook.create_sheet(str(_("Instructions")))
    help_sheet.column_dimensions["A"].width = 32
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 70
    help_sheet.append([str(_("Column")), str(_("Required")), str(_("Notes"))])
    for column in COLUMNS:
        help_sheet.append(
            [
                str(column.label),
                str(_("Yes")) if column.required else "",
                str(column.help),
            ]
        )
    help_sheet.append([])
    help_sheet.append(
        [
            str(
                _(
                    "Every row is checked before anything is saved: if any row has a "
                    "problem, nothing is imported and every problem is listed with "
                    "its row and column. A row whose code exists updates that "
                    "customer; other rows add customers."
                )
            )
        ]
    )
    return _saved(workbook)


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


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
        "is_active": _yes_no(customer.is_active),
    }


def customers_xlsx(customers: Iterable[Customer]) -> bytes:
    """Every customer given, one row each, in the template's columns."""
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(workbook, str(_("Customers")))
    sheet.append(_header_cells(sheet))
    for customer in customers:
        values = customer_cells(customer)
        cells = []
        for column in COLUMNS:
            value = values.get(column.key)
            cell = WriteOnlyCell(sheet, value="" if value is None else value)
            if column.text:
                cell.number_format = TEXT_FORMAT
            cells.append(cell)
        sheet.append(cells)
    return _saved(workbook)


# --- reading --------------------------------------------------------------------------


@dataclass(slots=True)
class SheetRow:
    """One data row: its Excel row number and each column's text."""

    number: int
    values: dict[str, str]
    # Cells that could not be read as text faithfully, by column key.
    problems: dict[str, str] = field(default_factory=dict)


def _file_error(message: str) -> ValidationError:
    return ValidationError(message, fields={"file": [message]})


def _unreadable() -> ValidationError:
    return _file_error(_("The file is not a readable Excel workbook (.xlsx)."))


def _check_archive(data: bytes) -> None:
    """Refuse a zip that would unpack to too much before openpyxl sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _unreadable() from error
    if (
        len(parts) > MAX_PARTS
        or sum(p.file_size for p in parts) > MAX_UNCOMPRESSED_BYTES
    ):
        raise _file_error(_("The workbook unpacks to too much data to import."))


def _header_names() -> dict[str, str]:
    """Header text (lower-cased) → column key: the key itself and the label
    in English, in Chinese and in the current language."""
    names: dict[str, str] = {}
    for language in ("en", "zh-hans", translation.get_language() or "en"):
        with translation.override(language):
            for column in COLUMNS:
                names[str(column.label).strip().lower()] = column.key
    for column in COLUMNS:
        names[column.key] = column.key
    return names


def _read_header(header: tuple[Any, ...]) -> dict[int, str]:
    names = _header_names()
    positions: dict[int, str] = {}
    for index, value in enumerate(header):
        text = str(value).strip().lower() if value is not None else ""
        key = names.get(text)
        if key is None:
            continue  # a column of the user's own notes
        if key in positions.values():
            raise _file_error(
                _("The column %(column)s appears twice.")
                % {"column": column_label(key)}
            )
        positions[index] = key
    missing = [c for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        raise _file_error(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(str(c.label) for c in missing)}
        )
    return positions


def cell_text(value: Any) -> tuple[str, str | None]:
    """A cell's value as text, and a problem when it cannot be exact."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("1" if value else "0"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if abs(value) >= 10**_EXACT_DIGITS:
            return "", _(
                "Excel keeps only 15 digits of a number: format this column as "
                "text and type the value again."
            )
        if value.is_integer():
            return str(int(value)), None
        return format(Decimal(repr(value)).normalize(), "f"), None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f"), None
    return str(value).strip(), None


def _sheet_row(
    number: int, values: tuple[Any, ...], positions: dict[int, str]
) -> SheetRow:
    row = SheetRow(number=number, values={})
    for index, key in positions.items():
        text, problem = cell_text(values[index] if index < len(values) else None)
        row.values[key] = text
        if problem is not None:
            row.problems[key] = problem
    return row


def check_file_size(size: int | None) -> None:
    """Refuse an upload above MAX_FILE_BYTES before reading it."""
    if size is not None and size > MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )


def read_customer_rows(upload: IO[bytes] | bytes) -> list[SheetRow]:
    """The data rows of the first sheet (blank rows skipped), or a
    ValidationError on ``file`` saying why the workbook cannot be read."""
    data = upload if isinstance(upload, bytes) else upload.read(MAX_FILE_BYTES + 1)
    check_file_size(len(data))
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a bad file
        raise _unreadable() from error
    try:
        return _rows_of(workbook)
    except ValidationError:
        raise
    except Exception as error:  # a part that breaks while streaming
        raise _unreadable() from error
    finally:
        workbook.close()


def _rows_of(workbook: Any) -> list[SheetRow]:
    if not workbook.worksheets:
        raise _unreadable()
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    header = next(lines, None)
    if header is None:
        raise _file_error(_("The sheet is empty."))
    positions = _read_header(header)
    rows: list[SheetRow] = []
    for number, values in enumerate(lines, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise _file_error(
                _("At most %(count)d customers can be imported at a time.")
                % {"count": MAX_ROWS}
            )
        rows.append(_sheet_row(number, values, positions))
    if not rows:
        raise _file_error(_("The sheet has no customers below its header row."))
    return rows
