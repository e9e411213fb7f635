"""Products to and from Excel: the columns of the import template and the
export, and how a product fills them. Reading and writing the workbook —
defensively, an upload is a zip written by anyone — is ``core.sheets``;
what the cells *mean* is checked by ``services.imports``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext_lazy

from zhongshu.catalog.models import Product, plain_decimal
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

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "XLSX_CONTENT_TYPE",
    "SheetRow",
    "cell_text",
    "check_file_size",
]

COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"), gettext_lazy("Unique in the company."),
           required=True, text=True),
    Column("name", gettext_lazy("Name"), required=True, width=28),
    Column("specification", gettext_lazy("Specification"), width=20),
    Column("category", gettext_lazy("Category code"),
           gettext_lazy("The code of an existing category.")),
    Column("base_unit", gettext_lazy("Base unit"),
           gettext_lazy("The code of a unit, e.g. 件."), required=True, width=10),
    Column("barcode", gettext_lazy("Barcodes"),
           gettext_lazy("EAN-13, EAN-8, UPC-A or an internal code; separate several "
                        "with semicolons."), text=True, width=18),
    Column("alt_unit", gettext_lazy("Alternative unit"), width=10),
    Column("alt_factor", gettext_lazy("Base units per alternative unit"),
           gettext_lazy("e.g. 12 when a box holds 12 pieces."), width=10),
    Column("alt_barcode", gettext_lazy("Alternative unit barcodes"), text=True,
           width=18),
    Column("alt_unit_2", gettext_lazy("Second alternative unit"), width=10),
    Column("alt_factor_2", gettext_lazy("Base units per second alternative unit"),
           width=10),
    Column("alt_barcode_2", gettext_lazy("Second alternative unit barcodes"),
           text=True, width=18),
    Column("tax_code", gettext_lazy("Tax classification code"),
           gettext_lazy("19 digits."), text=True, width=22),
    Column("vat_rate", gettext_lazy("VAT rate"),
           gettext_lazy("e.g. 0.13 or 13%; empty for 13%."), width=8),
    Column("brand", gettext_lazy("Brand")),
    Column("track_lots", gettext_lazy("Lot tracking"), gettext_lazy("Yes or no."),
           width=8),
    Column("track_serials", gettext_lazy("Serial number tracking"), width=8),
    Column("track_expiry", gettext_lazy("Expiry tracking"), width=8),
    Column("shelf_life_days", gettext_lazy("Shelf life (days)"), width=8),
    Column("allow_negative_stock", gettext_lazy("Allow negative stock"), width=8),
    Column("is_active", gettext_lazy("Active"), gettext_lazy("Empty for yes."),
           width=8),
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
BOOLEAN_COLUMNS = frozenset(
    {"track_lots", "track_serials", "track_expiry", "allow_negative_stock", "is_active"}
)


def column_label(key: str) -> str:
    column = COLUMN_BY_KEY.get(key)
    return str(column.label) if column is not None else key


SHEET = sheets.SheetKind(
    columns=COLUMNS,
    title=gettext_lazy("Products"),
    note=gettext_lazy(
        "Every row is checked before anything is saved: if any row has a "
        "problem, nothing is imported and every problem is listed with "
        "its row and column."
    ),
    too_many=gettext_lazy("At most %(count)d products can be imported at a time."),
    empty=gettext_lazy("The sheet has no products below its header row."),
)


def template_xlsx() -> bytes:
    return SHEET.template()


def product_cells(product: Product) -> dict[str, Any]:
    """A product as the sheet shows it (units and barcodes prefetched)."""
    alternatives = sorted(product.units.all(), key=lambda u: u.unit.code)
    barcodes = list(product.barcodes.all())

    def codes_for(*unit_ids: int | None) -> str:
        return "; ".join(b.code for b in barcodes if b.unit_id in unit_ids)

    row: dict[str, Any] = {
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "category": product.category.code if product.category else "",
        "base_unit": product.base_unit.code,
        "barcode": codes_for(None, product.base_unit_id),
        "tax_code": product.tax_code,
        "vat_rate": Decimal(plain_decimal(product.vat_rate)),
        "brand": product.brand,
        "track_lots": sheets.yes_no(product.track_lots),
        "track_serials": sheets.yes_no(product.track_serials),
        "track_expiry": sheets.yes_no(product.track_expiry),
        "shelf_life_days": product.shelf_life_days,
        "allow_negative_stock": sheets.yes_no(product.allow_negative_stock),
        "is_active": sheets.yes_no(product.is_active),
    }
    for suffix, alternative in zip(("", "_2"), alternatives, strict=False):
        row[f"alt_unit{suffix}"] = alternative.unit.code
        row[f"alt_factor{suffix}"] = Decimal(alternative.factor_text)
        row[f"alt_barcode{suffix}"] = codes_for(alternative.unit_id)
    return row


def products_xlsx(rows: Iterable[Any]) -> bytes:
    """Every row given, in the template's columns."""
    return SHEET.export(product_cells(row) for row in rows)


def read_product_rows(upload: IO[bytes] | bytes) -> list[SheetRow]:
    """The data rows of the first sheet (blank rows skipped), or a
    ValidationError on ``file`` saying why the workbook cannot be read."""
    return SHEET.read(upload)
