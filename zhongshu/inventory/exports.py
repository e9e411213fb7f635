"""Inventory reports as Excel workbooks: 即时库存, 出入库流水, 收发存汇总表 and
the valuation with its reconciliation.

Each report is laid out as a ledger ``Table`` (title, company, period, a
header that groups 期初/收入/发出/结存 over their quantity and amount
columns) straight from what the selector returned, and written by the
ledger's Excel writer, so every download in the product looks alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

from zhongshu.core.downloads import attachment
from zhongshu.core.models import Company
from zhongshu.inventory.selectors import (
    MovementSummary,
    OnHandBy,
    OnHandReport,
    Reconciliation,
    StockLedger,
    SummaryFigures,
    Valuation,
)
from zhongshu.ledger.exports import XLSX_CONTENT_TYPE, Column, Kind, Row, Table
from zhongshu.ledger.exports import table_xlsx as _table_xlsx
from zhongshu.ledger.exports.tables import Cell

__all__ = [
    "XLSX_CONTENT_TYPE",
    "download",
    "movement_summary_table",
    "movement_summary_xlsx",
    "on_hand_table",
    "on_hand_xlsx",
    "stock_ledger_table",
    "stock_ledger_xlsx",
    "valuation_table",
    "valuation_xlsx",
]


def download(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, filename, XLSX_CONTENT_TYPE)


def _quantity(label: str, group: str = "") -> Column:
    return Column(label, Kind.NUMBER, group, 12)


def _amount(label: str, group: str = "") -> Column:
    return Column(label, Kind.AMOUNT, group, 14)


def _pair(group: str) -> tuple[Column, Column]:
    return _quantity(_("Quantity"), group), _amount(_("Amount"), group)


# --- 即时库存 -------------------------------------------------------------------


def on_hand_table(report: OnHandReport) -> Table:
    per_warehouse = report.by == OnHandBy.WAREHOUSE
    columns: list[Column] = [
        Column(_("Product code"), Kind.CODE, width=14),
        Column(_("Product name"), Kind.TEXT, width=24),
        Column(_("Specification"), Kind.TEXT, width=14),
        Column(_("Unit"), Kind.TEXT, width=6),
        Column(_("Warehouse"), Kind.CODE, width=10),
    ]
    if not per_warehouse:
        columns += [
            Column(_("Location"), Kind.CODE, width=12),
            Column(_("Lot"), Kind.CODE, width=14),
            Column(_("Expiry date"), Kind.DATE, width=12),
        ]
    columns.append(_quantity(_("On hand")))
    if per_warehouse:
        columns += [_quantity(_("Reserved")), _quantity(_("Available"))]
    columns += [Column(_("Unit cost"), Kind.AMOUNT, width=12), _amount(_("Value"))]
    rows = []
    for row in report.rows:
        cells: list[Cell] = [
            row.product_code,
            row.product_name,
            row.specification,
            row.unit,
            row.warehouse_code,
        ]
        if not per_warehouse:
            cells += [row.location_code, row.lot_number, row.expiry_date]
        cells.append(row.on_hand)
        if per_warehouse:
            cells += [row.reserved, row.available]
        cells += [row.unit_cost, row.value]
        rows.append(Row(tuple(cells)))
    blank = ("",) * (len(columns) - 1)
    rows.append(Row((_("Total"), *blank[:-1], report.total_value), is_total=True))
    return Table(_("Stock on hand"), "", tuple(columns), tuple(rows))


def on_hand_xlsx(company: Company, report: OnHandReport) -> bytes:
    return _table_xlsx(company, on_hand_table(report))


# --- 出入库流水 -------------------------------------------------------------------


def stock_ledger_table(ledger: StockLedger) -> Table:
    columns = (
        Column(_("Date"), Kind.DATE, width=11),
        Column(_("Kind"), Kind.TEXT, width=10),
        Column(_("Warehouse"), Kind.CODE, width=10),
        Column(_("Voucher"), Kind.CODE, width=10),
        Column(_("Memo"), Kind.TEXT, width=20),
        *_pair(_("Received")),
        *_pair(_("Issued")),
        Column(_("Unit cost"), Kind.AMOUNT, width=12),
        *_pair(_("Balance")),
    )
    rows = [
        Row(
            (
                ledger.date_from,
                _("Opening balance"),
                "",
                "",
                "",
                None,
                None,
                None,
                None,
                None,
                ledger.opening_quantity,
                ledger.opening_value,
            ),
            is_total=True,
        )
    ]
    rows += [
        Row(
            (
                line.date,
                line.kind_label,
                line.warehouse_code,
                line.voucher_number,
                line.memo,
                line.quantity_in or None,
                line.value_in,
                line.quantity_out or None,
                line.value_out,
                line.unit_cost,
                line.balance_quantity,
                line.balance_value,
            )
        )
        for line in ledger.lines
    ]
    rows.append(
        Row(
            (
                ledger.date_to,
                _("Closing balance"),
                "",
                "",
                "",
                ledger.in_quantity,
                ledger.in_value,
                ledger.out_quantity,
                ledger.out_value,
                None,
                ledger.closing_quantity,
                ledger.closing_value,
            ),
            is_total=True,
        )
    )
    product = ledger.product
    where = ledger.warehouse.code if ledger.warehouse else _("All warehouses")
    label = f"{product.code} {product.name} · {where} · {_range(ledger)}"
    return Table(_("Stock ledger"), label, columns, tuple(rows))


def _range(report: StockLedger | MovementSummary) -> str:
    return f"{report.date_from:%Y-%m-%d} – {report.date_to:%Y-%m-%d}"


def stock_ledger_xlsx(company: Company, ledger: StockLedger) -> bytes:
    return _table_xlsx(company, stock_ledger_table(ledger))


# --- 收发存汇总表 -----------------------------------------------------------------


def _figures(row: SummaryFigures) -> tuple[Cell, ...]:
    return (
        row.opening_quantity,
        row.opening_value,
        row.in_quantity,
        row.in_value,
        row.out_quantity,
        row.out_value,
        row.closing_quantity,
        row.closing_value,
    )


def movement_summary_table(summary: MovementSummary) -> Table:
    columns = (
        Column(_("Product code"), Kind.CODE, width=14),
        Column(_("Product name"), Kind.TEXT, width=24),
        Column(_("Unit"), Kind.TEXT, width=6),
        Column(_("Warehouse"), Kind.CODE, width=10),
        *_pair(_("Opening")),
        *_pair(_("Received")),
        *_pair(_("Issued")),
        *_pair(_("Closing")),
    )
    rows = [
        Row(
            (
                row.product_code,
                row.product_name,
                row.unit,
                row.warehouse_code,
                *_figures(row),
            )
        )
        for row in summary.rows
    ]
    rows.append(Row(("", _("Total"), "", "", *_figures(summary.total)), is_total=True))
    return Table(_("Movement summary"), _range(summary), columns, tuple(rows))


def movement_summary_xlsx(company: Company, summary: MovementSummary) -> bytes:
    return _table_xlsx(company, movement_summary_table(summary))


# --- valuation ----------------------------------------------------------------


def valuation_table(
    valuation: Valuation, reconciliation: Reconciliation | None = None
) -> Table:
    """Warehouse × category lines, and below them the inventory accounts
    against the ledger when a reconciliation is given."""
    columns = (
        Column(_("Warehouse"), Kind.TEXT, width=20),
        Column(_("Category"), Kind.TEXT, width=20),
        _quantity(_("Quantity")),
        _amount(_("Stock value")),
        _amount(_("Ledger balance")),
        _amount(_("Difference")),
    )
    rows: list[Row] = [
        Row(
            (
                f"{line.warehouse_code} {line.warehouse_name}".strip(),
                f"{line.category_code} {line.category_name}".strip() or "—",
                line.quantity,
                line.value,
                None,
                None,
            )
        )
        for line in valuation.lines
    ]
    rows.append(Row((_("Total"), "", None, valuation.total, None, None), is_total=True))
    if reconciliation is not None:
        rows += _reconciliation_rows(reconciliation)
    label = (
        _("As of %(date)s") % {"date": f"{valuation.as_of:%Y-%m-%d}"}
        if valuation.as_of
        else _("Now")
    )
    return Table(_("Stock valuation"), label, columns, tuple(rows))


def _reconciliation_rows(reconciliation: Reconciliation) -> Sequence[Row]:
    heading = _("Against the ledger at %(date)s") % {
        "date": f"{reconciliation.as_of:%Y-%m-%d}"
    }
    rows = [Row((heading, "", None, None, None, None), is_total=True)]
    rows += [
        Row(
            (
                f"{row.account_code} {row.account_name}",
                "",
                None,
                row.stock_value,
                row.ledger_balance,
                row.difference,
            )
        )
        for row in reconciliation.rows
    ]
    rows.append(
        Row(
            (
                _("Total"),
                "",
                None,
                reconciliation.stock_total,
                reconciliation.ledger_total,
                reconciliation.difference,
            ),
            is_total=True,
        )
    )
    return rows


def valuation_xlsx(
    company: Company, valuation: Valuation, reconciliation: Reconciliation | None
) -> bytes:
    return _table_xlsx(company, valuation_table(valuation, reconciliation))
