"""Excel sheets (.xlsx, openpyxl) for the modules' imports and exports: a
template with an instructions sheet, an export in the template's columns,
and a defensive reader of an uploaded sheet into rows of text.

Reading is defensive: an upload is a zip of XML written by anyone. The file
size, the uncompressed size of its parts (a zip bomb is small on the wire),
the number of parts, rows and columns are capped before or while openpyxl
streams it (``read_only``), and any failure to read becomes one clear
ValidationError on ``file`` instead of a crash. What the cells *mean* is
checked by each module's import service.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from zhongshu.core.errors import ValidationError

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


@dataclass(slots=True)
class SheetRow:
    """One data row: its Excel row number and each column's text."""

    number: int
    values: dict[str, str]
    # Cells that could not be read as text faithfully, by column key.
    problems: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SheetKind:
    """What one module's sheet holds: its columns, the sheet's title, the
    closing line of its instructions and the messages naming its rows."""

    columns: tuple[Column, ...]
    title: str | Promise  # "Products"
    note: str | Promise  # the instructions' last line
    too_many: str | Promise  # "At most %(count)d products … at a time."
    empty: str | Promise  # "The sheet has no products below its header row."

    def label(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return key

    # --- writing ----------

    def _new_sheet(self, workbook: Workbook) -> Any:
        """A write-only sheet with the columns' widths (typed Any: the stubs
        of write-only sheets lack the column dimensions they have)."""
        sheet: Any = workbook.create_sheet(str(self.title))
        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        sheet.append(self._header_cells(sheet))
        return sheet

    def _header_cells(self, sheet: WriteOnlyWorksheet) -> list[Cell]:
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="E7ECF3")
        cells = []
        for column in self.columns:
            cell = WriteOnlyCell(sheet, value=str(column.label))
            cell.font, cell.fill = bold, fill
            cells.append(cell)
        return cells

    def template(self) -> bytes:
        """The import template: the sheet with its headers only (the import
        reads the first sheet), and a sheet explaining each column."""
        workbook = Workbook(write_only=True)
        self._new_sheet(workbook)
        help_sheet: Any = workbook.create_sheet(str(_("Instructions")))
        help_sheet.column_dimensions["A"].width = 32
        help_sheet.column_dimensions["B"].width = 10
        help_sheet.column_dimensions["C"].width = 70
        help_sheet.append([str(_("Column")), str(_("Required")), str(_("Notes"))])
        for column in self.columns:
            help_sheet.append(
                [
                    str(column.label),
                    str(_("Yes")) if column.required else "",
                    str(column.help),
                ]
            )
        help_sheet.append([])
        help_sheet.append([str(self.note)])
        return _saved(workbook)

    def export(self, rows: Iterable[Mapping[str, Any]]) -> bytes:
        """One sheet row per mapping of column key → value."""
        workbook = Workbook(write_only=True)
        sheet = self._new_sheet(workbook)
        for values in rows:
            cells = []
            for column in self.columns:
                value = values.get(column.key)
                cell = WriteOnlyCell(sheet, value="" if value is None else value)
                if column.text:
                    cell.number_format = TEXT_FORMAT
                cells.append(cell)
            sheet.append(cells)
        return _saved(workbook)

    # --- reading ----------

    def read(self, upload: IO[bytes] | bytes) -> list[SheetRow]:
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
            return self._rows_of(workbook)
        except ValidationError:
            raise
        except Exception as error:  # a part that breaks while streaming
            raise _unreadable() from error
        finally:
            workbook.close()

    def _rows_of(self, workbook: Any) -> list[SheetRow]:
        if not workbook.worksheets:
            raise _unreadable()
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(lines, None)
        if header is None:
            raise _file_error(_("The sheet is empty."))
        positions = self._read_header(header)
        rows: list[SheetRow] = []
        for number, values in enumerate(lines, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise _file_error(str(self.too_many) % {"count": MAX_ROWS})
            rows.append(_sheet_row(number, values, positions))
        if not rows:
            raise _file_error(str(self.empty))
        return rows

    def _header_names(self) -> dict[str, str]:
        """Header text (lower-cased) → column key: the key itself and the
        label in English, in Chinese and in the current language."""
        names: dict[str, str] = {}
        for language in ("en", "zh-hans", translation.get_language() or "en"):
            with translation.override(language):
                for column in self.columns:
                    names[str(column.label).strip().lower()] = column.key
        for column in self.columns:
            names[column.key] = column.key
        return names

    def _read_header(self, header: tuple[Any, ...]) -> dict[int, str]:
        names = self._header_names()
        positions: dict[int, str] = {}
        for index, value in enumerate(header):
            text = str(value).strip().lower() if value is not None else ""
            key = names.get(text)
            if key is None:
                continue  # a column of the user's own notes
            if key in positions.values():
                raise _file_error(
                    _("The column %(column)s appears twice.")
                    % {"column": self.label(key)}
                )
            positions[index] = key
        missing = [
            c for c in self.columns if c.required and c.key not in positions.values()
        ]
        if missing:
            raise _file_error(
                _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": ", ".join(str(c.label) for c in missing)}
            )
        return positions


def yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unreadable() -> ValidationError:
    message = _("The file is not a readable Excel workbook (.xlsx).")
    return ValidationError(message, fields={"file": [message]})


def _file_error(message: str) -> ValidationError:
    return ValidationError(message, fields={"file": [message]})


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
