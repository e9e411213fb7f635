"""Reports as Excel workbooks (.xlsx bytes), laid out as Chinese accounting
software exports them: a title row, the company and period, a two-row
header where amounts pair up under one heading, and a frozen header."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from zhongshu.core.models import Company
from zhongshu.ledger.exports import tables
from zhongshu.ledger.exports.tables import Column, Kind, Table
from zhongshu.ledger.models import Voucher
from zhongshu.ledger.selectors.reports import (
    AccountDetail,
    DimensionBalanceRow,
    GeneralLedgerRow,
    TrialBalance,
    VoucherSummary,
)
from zhongshu.ledger.selectors.statements import Statement

AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
FONT_NAME = "宋体"  # SimSun: what Chinese users' Excel renders reports in

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E7ECF3")
_TOTAL_FILL = PatternFill("solid", fgColor="F3F3F3")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def trial_balance_xlsx(
    company: Company, tb: TrialBalance, *, period_label: str | None = None
) -> bytes:
    """科目余额表 (``selectors.reports.trial_balance``)."""
    return table_xlsx(company, tables.trial_balance_table(tb, period_label))


def statement_xlsx(
    company: Company, statement: Statement, *, period_label: str | None = None
) -> bytes:
    """资产负债表 or 利润表 (``selectors.statements``) in the statutory layout."""
    return table_xlsx(company, tables.statement_table(statement, period_label))


def account_detail_xlsx(
    company: Company, detail: AccountDetail, *, period_label: str | None = None
) -> bytes:
    """明细分类账 or 辅助明细账: one page of ``selectors.reports.account_detail``
    or ``dimension_detail``."""
    return table_xlsx(company, tables.account_detail_table(detail, period_label))


def general_ledger_xlsx(
    company: Company,
    rows: Iterable[GeneralLedgerRow],
    *,
    account_label: str,
    year: int,
) -> bytes:
    """总分类账 (``selectors.reports.general_ledger``)."""
    table = tables.general_ledger_table(rows, account_label=account_label, year=year)
    return table_xlsx(company, table)


def dimension_balances_xlsx(
    company: Company,
    rows: Iterable[DimensionBalanceRow],
    *,
    account_label: str,
    dimension: str,
    period_label: str,
) -> bytes:
    """辅助核算余额表 (``selectors.reports.dimension_balances``)."""
    table = tables.dimension_balances_table(
        rows,
        account_label=account_label,
        dimension=dimension,
        period_label=period_label,
    )
    return table_xlsx(company, table)


def voucher_summary_xlsx(
    company: Company, summary: VoucherSummary, *, period_label: str
) -> bytes:
    """凭证汇总表 (``selectors.reports.voucher_summary``)."""
    return table_xlsx(company, tables.voucher_summary_table(summary, period_label))


def vouchers_xlsx(
    company: Company, vouchers: Iterable[Voucher], *, period_label: str = ""
) -> bytes:
    """凭证列表, one row per line (load the vouchers with their lines,
    accounts and people, as ``selectors.vouchers.list_vouchers`` does)."""
    return table_xlsx(company, tables.vouchers_table(vouchers, period_label))


def table_xlsx(company: Company, table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _sheet_name(table.title)
    header_row = _write_title(sheet, company, table)
    first_data_row = _write_header(sheet, table.columns, header_row)
    _write_rows(sheet, table, first_data_row)
    _set_layout(sheet, table.columns, header_row, first_data_row)
    workbook.properties.creator = "Zhongshu"
    workbook.properties.title = table.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31] or "Sheet1"


def _write_title(sheet: Worksheet, company: Company, table: Table) -> int:
    """Title over the whole width; company, period and unit below it.
    Returns the first header row."""
    width = len(table.columns)
    sheet.cell(1, 1, table.title).font = Font(name=FONT_NAME, size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 30
    third = max(width // 3, 1)
    parts = [
        (1, third, _("Company: %(name)s") % {"name": company.name}, "left"),
        (third + 1, width - third, table.period_label, "center"),
        (width - third + 1, width, _unit_text(table), "right"),
    ]
    for first, last, text, align in parts:
        if first > last:
            continue
        cell = sheet.cell(2, first, text)
        cell.font = Font(name=FONT_NAME, size=10)
        cell.alignment = Alignment(horizontal=align, vertical="center")
        if last > first:
            sheet.merge_cells(
                start_row=2, start_column=first, end_row=2, end_column=last
            )
    return 3


def _unit_text(table: Table) -> str:
    unit = _("Unit: yuan")
    return f"{table.form}  {unit}" if table.form else unit


def _write_header(sheet: Worksheet, columns: tuple[Column, ...], row: int) -> int:
    """One header row, or two when columns are grouped (期初余额 over
    借方/贷方); returns the first data row."""
    two_rows = tables.has_groups(columns)
    last_row = row + 1 if two_rows else row
    for first, last, label in tables.header_spans(columns):
        grouped = two_rows and bool(columns[first].group)
        _header_cell(sheet, row, first + 1, label)
        if grouped:
            for index in range(first, last + 1):
                _header_cell(sheet, row + 1, index + 1, columns[index].label)
        end_row = row if grouped else last_row
        for r in range(row, end_row + 1):
            for c in range(first + 1, last + 2):
                sheet.cell(r, c).border = _BORDER
                sheet.cell(r, c).fill = _HEADER_FILL
        if end_row > row or last > first:
            sheet.merge_cells(
                start_row=row,
                start_column=first + 1,
                end_row=end_row,
                end_column=last + 1,
            )
    return last_row + 1


def _header_cell(sheet: Worksheet, row: int, column: int, label: str) -> None:
    cell = sheet.cell(row, column, label)
    cell.font = Font(name=FONT_NAME, size=10, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.fill = _HEADER_FILL
    cell.border = _BORDER


def _write_rows(sheet: Worksheet, table: Table, first_row: int) -> None:
    for offset, row in enumerate(table.rows):
        r = first_row + offset
        row_indents = tables.indents(table.columns, row)
        for index, (column, value) in enumerate(
            zip(table.columns, row.cells, strict=True)
        ):
            cell = sheet.cell(r, index + 1, _cell_value(column, value))
            cell.border = _BORDER
            cell.font = Font(name=FONT_NAME, size=10, bold=row.is_total)
            cell.alignment = _alignment(column, row_indents[index])
            if column.kind == Kind.AMOUNT:
                cell.number_format = AMOUNT_FORMAT
            elif column.kind == Kind.DATE:
                cell.number_format = DATE_FORMAT
            if row.is_total:
                cell.fill = _TOTAL_FILL


def _cell_value(column: Column, value: tables.Cell) -> tables.Cell:
    """Amounts stay Decimal (exact in the file); a zero amount and an empty
    text are left blank, as on Chinese ledgers, so the eye finds the figures."""
    if value == "" or (column.kind == Kind.AMOUNT and value == 0):
        return None
    return value


def _alignment(column: Column, indent: int) -> Alignment:
    if column.kind in (Kind.AMOUNT, Kind.NUMBER):
        horizontal = "right" if column.kind == Kind.AMOUNT else "center"
        return Alignment(horizontal=horizontal, vertical="center")
    if column.kind in (Kind.CODE, Kind.DATE):
        return Alignment(horizontal="left", vertical="center")
    return Alignment(horizontal="left", vertical="center", indent=indent)


def _set_layout(
    sheet: Worksheet, columns: tuple[Column, ...], header_row: int, data_row: int
) -> None:
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{data_row}"
    sheet.print_title_rows = f"{header_row}:{data_row - 1}"
    sheet.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
