"""Importing products from rows of an Excel sheet, all or nothing.

Every row is checked — by the same ``product_problems`` the product form and
the API use, plus codes and barcodes against the company and against the
other rows — and every problem is reported with its Excel row number and
column. Only when there is none are the products, their alternative units
and barcodes written, in bulk, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zhongshu.catalog.excel import COLUMNS, SheetRow, column_label
from zhongshu.catalog.models import (
    Barcode,
    Category,
    Product,
    ProductUnit,
    Unit,
)
from zhongshu.catalog.services.products import (
    SCALAR_FIELDS,
    AltUnit,
    BarcodeInput,
    ProductData,
    product_problems,
)
from zhongshu.catalog.services.setup import catalog_settings_of
from zhongshu.core import audit
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.core.services import require_writable

DEFAULT_VAT_RATE = Decimal("0.13")
COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
CHUNK = 500
_TRUE = {"1", "yes", "y", "true", "是", "√", "✓", "对"}
_FALSE = {"0", "no", "n", "false", "否", "×", "✗", "不"}
# Stands in for a base unit the row names wrongly, so the row's other cells
# are still checked and reported in the same run.
_UNKNOWN_UNIT = Unit(pk=0, code="?", name="?", places=0)
ALT_COLUMNS = (("alt_unit", "alt_factor", "alt_barcode"),
               ("alt_unit_2", "alt_factor_2", "alt_barcode_2"))  # fmt: skip


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int
    column: str  # the column's key, e.g. "barcode"
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


@dataclass(frozen=True, slots=True)
class _Lookups:
    units: dict[str, Unit]
    categories: dict[str, Category]
    taken_codes: set[str]
    taken_barcodes: dict[str, str]  # barcode → product code


def _lookups(company: Company, rows: Sequence[SheetRow]) -> _Lookups:
    codes = sorted({r.values.get("code", "").strip() for r in rows})
    barcodes = sorted(
        {
            code
            for r in rows
            for key in ("barcode", "alt_barcode", "alt_barcode_2")
            for code in _split(r.values.get(key, ""))
        }
    )
    taken_codes: set[str] = set()
    taken_barcodes: dict[str, str] = {}
    for chunk in _chunks(codes):
        taken_codes.update(
            Product.objects.filter(company=company, code__in=chunk).values_list(
                "code", flat=True
            )
        )
    for chunk in _chunks(barcodes):
        taken_barcodes.update(
            Barcode.objects.filter(company=company, code__in=chunk).values_list(
                "code", "product__code"
            )
        )
    return _Lookups(
        units={u.code: u for u in Unit.objects.filter(company=company)},
        categories={c.code: c for c in Category.objects.filter(company=company)},
        taken_codes=taken_codes,
        taken_barcodes=taken_barcodes,
    )


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    """Slices small enough for any database's limit on query parameters."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _split(text: str) -> list[str]:
    parts = text.replace("；", ";").replace(",", ";").replace("，", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


class _RowReader:
    """Turns one row's texts into ProductData, noting each problem with its
    column; problems of the data itself are mapped back to columns."""

    def __init__(self, row: SheetRow, lookups: _Lookups) -> None:
        self.row = row
        self.lookups = lookups
        self.problems: list[ImportProblem] = [
            ImportProblem(row.number, key, message)
            for key, message in row.problems.items()
        ]
        self.unit_columns: list[tuple[str, str]] = []
        self.barcode_columns: list[str] = []

    def text(self, key: str) -> str:
        return self.row.values.get(key, "").strip()

    def problem(self, key: str, message: str) -> None:
        self.problems.append(ImportProblem(self.row.number, key, message))

    def unit(self, key: str) -> Unit | None:
        code = self.text(key)
        if not code:
            return None
        unit = self.lookups.units.get(code)
        if unit is None:
            self.problem(key, _("There is no unit %(code)s.") % {"code": code})
        return unit

    def decimal(self, key: str, default: Decimal | None = None) -> Decimal | None:
        text = self.text(key)
        if not text:
            return default
        percent = text.endswith("%")
        try:
            value = Decimal(text.rstrip("%").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.problem(key, _("Enter a number."))
            return None
        return value / 100 if percent else value

    def vat_rate(self) -> Decimal:
        rate = self.decimal("vat_rate", DEFAULT_VAT_RATE)
        return rate if rate is not None else DEFAULT_VAT_RATE

    def boolean(self, key: str, default: bool = False) -> bool:
        text = self.text(key).lower()
        if not text:
            return default
        if text in _TRUE or text == _("Yes").lower():
            return True
        if text in _FALSE or text == _("No").lower():
            return False
        self.problem(key, _("Enter yes or no."))
        return default

    def whole_number(self, key: str) -> int | None:
        value = self.decimal(key)
        if value is None:
            return None
        if value != value.to_integral_value() or abs(value) > 100_000:
            self.problem(key, _("Enter a whole number of days."))
            return None
        return int(value)

    def category(self) -> Category | None:
        code = self.text("category")
        if not code:
            return None
        category = self.lookups.categories.get(code)
        if category is None:
            self.problem(
                "category", _("There is no category %(code)s.") % {"code": code}
            )
        return category

    def alternatives(self) -> tuple[tuple[AltUnit, ...], list[BarcodeInput]]:
        units: list[AltUnit] = []
        barcodes: list[BarcodeInput] = []
        for unit_key, factor_key, barcode_key in ALT_COLUMNS:
            unit = self.unit(unit_key)
            factor = self.decimal(factor_key)
            if self.text(unit_key) and not self.text(factor_key):
                self.problem(factor_key, _("Give the conversion factor of the unit."))
            if self.text(factor_key) and not self.text(unit_key):
                self.problem(unit_key, _("Name the unit of this factor."))
            if self.text(barcode_key) and not self.text(unit_key):
                self.problem(barcode_key, _("Name the unit of these barcodes."))
            if unit is None or factor is None:
                continue
            self.unit_columns.append((unit_key, factor_key))
            units.append(AltUnit(unit=unit, factor=factor))
            for code in _split(self.text(barcode_key)):
                barcodes.append(BarcodeInput(code=code, unit=unit))
                self.barcode_columns.append(barcode_key)
        return tuple(units), barcodes

    def data(self) -> ProductData:
        base_unit = self.unit("base_unit")
        if base_unit is None and not self.text("base_unit"):
            self.problem("base_unit", _("This field is required."))
        barcodes = []
        for code in _split(self.text("barcode")):
            barcodes.append(BarcodeInput(code=code))
            self.barcode_columns.append("barcode")
        units, alt_barcodes = self.alternatives()
        return ProductData(
            code=self.text("code"),
            name=self.text("name"),
            specification=self.text("specification"),
            category=self.category(),
            base_unit=base_unit or _UNKNOWN_UNIT,
            brand=self.text("brand"),
            tax_code=self.text("tax_code"),
            vat_rate=self.vat_rate(),
            track_lots=self.boolean("track_lots"),
            track_serials=self.boolean("track_serials"),
            track_expiry=self.boolean("track_expiry"),
            shelf_life_days=self.whole_number("shelf_life_days"),
            allow_negative_stock=self.boolean("allow_negative_stock"),
            units=units,
            barcodes=(*barcodes, *alt_barcodes),
        )

    def column_of(self, problem_key: str) -> str:
        """The column a ``product_problems`` key came from."""
        head, _dot, rest = problem_key.partition(".")
        if head == "units":
            index, _dot, part = rest.partition(".")
            unit_key, factor_key = self.unit_columns[int(index)]
            return factor_key if part == "factor" else unit_key
        if head == "barcodes":
            return self.barcode_columns[int(rest)]
        return head


def _read_rows(
    rows: Sequence[SheetRow], lookups: _Lookups
) -> tuple[list[tuple[ProductData, bool]], list[ImportProblem]]:
    products: list[tuple[ProductData, bool]] = []
    problems: list[ImportProblem] = []
    first_row_of_code: dict[str, int] = {}
    first_row_of_barcode: dict[str, int] = {}
    for row in rows:
        reader = _RowReader(row, lookups)
        data, data_problems = product_problems(reader.data())
        for key, messages in data_problems.items():
            for message in messages:
                reader.problem(reader.column_of(key), message)
        _check_code(reader, data.code, lookups, first_row_of_code)
        for index, barcode in enumerate(data.barcodes):
            _check_barcode(reader, index, barcode.code, lookups, first_row_of_barcode)
        active = reader.boolean("is_active", default=True)
        problems.extend(reader.problems)
        products.append((data, active))
    return products, problems


def _check_code(
    reader: _RowReader, code: str, lookups: _Lookups, first_rows: dict[str, int]
) -> None:
    if not code:
        return
    if code in lookups.taken_codes:
        reader.problem("code", _("The product code %(code)s exists.") % {"code": code})
    elif code in first_rows:
        reader.problem(
            "code",
            _("The code %(code)s is also on row %(row)d.")
            % {"code": code, "row": first_rows[code]},
        )
    first_rows.setdefault(code, reader.row.number)


def _check_barcode(
    reader: _RowReader,
    index: int,
    code: str,
    lookups: _Lookups,
    first_rows: dict[str, int],
) -> None:
    column = reader.barcode_columns[index]
    owner = lookups.taken_barcodes.get(code)
    if owner is not None:
        reader.problem(
            column,
            _("The barcode %(code)s is already used by %(product)s.")
            % {"code": code, "product": owner},
        )
    elif first_rows.get(code, reader.row.number) != reader.row.number:
        reader.problem(
            column,
            _("The barcode %(code)s is also on row %(row)d.")
            % {"code": code, "row": first_rows[code]},
        )
    first_rows.setdefault(code, reader.row.number)


@transaction.atomic
def import_products(
    *, company: Company, actor: User, rows: Sequence[SheetRow]
) -> list[Product]:
    """Create a product for every row, or none: ImportRejectedError lists
    every problem of every row. Existing codes are refused (this import
    adds products; it does not change them)."""
    require_writable(company)
    catalog_settings_of(company)  # the default units, on first use
    lookups = _lookups(company, rows)
    products, problems = _read_rows(rows, lookups)
    if problems:
        raise ImportRejectedError(problems)
    created = _write(company, products)
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=catalog_settings_of(company),
        changes={"products_imported": len(created)},
    )
    return created


def _write(company: Company, rows: list[tuple[ProductData, bool]]) -> list[Product]:
    Product.objects.bulk_create(
        [
            Product(
                company=company,
                is_active=active,
                **{name: getattr(data, name) for name in SCALAR_FIELDS},
            )
            for data, active in rows
        ],
        batch_size=500,
    )
    products = [data for data, _active in rows]
    by_code: dict[str, Product] = {}
    for chunk in _chunks([d.code for d in products]):
        by_code.update(
            (p.code, p) for p in Product.objects.filter(company=company, code__in=chunk)
        )
    ProductUnit.objects.bulk_create(
        [
            ProductUnit(
                company=company,
                product=by_code[d.code],
                unit=alternative.unit,
                factor=alternative.factor,
            )
            for d in products
            for alternative in d.units
        ],
        batch_size=500,
    )
    Barcode.objects.bulk_create(
        [
            Barcode(
                company=company,
                product=by_code[d.code],
                code=barcode.code,
                kind=barcode.kind,
                unit=barcode.unit,
            )
            for d in products
            for barcode in d.barcodes
        ],
        batch_size=500,
    )
    return sorted(by_code.values(), key=lambda p: p.code)
