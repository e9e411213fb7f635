"""Reports as plain tables: the one description of a report's columns and
rows that both the Excel and the PDF writers lay out.

Each table is built straight from what a selector returns
(``selectors.reports``, ``selectors.statements``), so a page, the API and a
download show the same figures without converting between shapes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import zip_longest
from typing import Protocol

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhongshu.ledger.models import Dimension, NormalBalance, Period, Voucher
from zhongshu.ledger.selectors.reports import (
    AccountDetail,
    DimensionBalanceRow,
    GeneralLedgerRow,
    TrialBalance,
    TrialBalanceRow,
    TrialBalanceTotals,
    VoucherSummary,
)
from zhongshu.ledger.selectors.statements import Statement

Cell = str | int | Decimal | datetime.date | None


class Kind(StrEnum):
    """How a column's cells are written and aligned."""

    TEXT = "text"
    CODE = "code"
    AMOUNT = "amount"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    """One column; consecutive columns with the same ``group`` share a
    header cell above theirs (期初余额 over 借方 and 贷方)."""

    label: str
    kind: Kind = Kind.TEXT
    group: str = ""
    width: float = 12.0  # in Excel character widths; PDF widths are proportional


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    # Indent of the first text column (account level, statement line), or
    # of each text column in turn when a report sets two halves side by side.
    indent: int | tuple[int, ...] = 0
    is_total: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    period_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    form: str = ""  # a statutory form's number, e.g. 会小企01表


def indents(columns: Sequence[Column], row: Row) -> list[int]:
    """The indent of each cell of ``row``: text columns take theirs in turn."""
    wanted = row.indent if isinstance(row.indent, tuple) else (row.indent,)
    result, text_columns = [], 0
    for column in columns:
        if column.kind == Kind.TEXT:
            result.append(wanted[text_columns] if text_columns < len(wanted) else 0)
            text_columns += 1
        else:
            result.append(0)
    return result


def has_groups(columns: Sequence[Column]) -> bool:
    return any(column.group for column in columns)


def header_spans(columns: Sequence[Column]) -> list[tuple[int, int, str]]:
    """(first, last, label) of each cell of the top header row: a group's
    label over its consecutive columns, or a lone column's own label (which
    then spans both header rows)."""
    spans: list[tuple[int, int, str]] = []
    for index, column in enumerate(columns):
        if spans and column.group and columns[spans[-1][0]].group == column.group:
            spans[-1] = (spans[-1][0], index, column.group)
        else:
            spans.append((index, index, column.group or column.label))
    return spans


def amount_text(value: Decimal | None) -> str:
    """Thousands separators, two places; zero and nothing print blank, as on
    Chinese ledgers."""
    if value is None or value == 0:
        return ""
    return f"{value:,.2f}"


def period_label(first: Period, last: Period) -> str:
    if first.pk == last.pk:
        return _("Period %(period)s") % {"period": first}
    return _("Periods %(first)s to %(last)s") % {"first": first, "last": last}


def direction_text(direction: str) -> str:
    """借 / 贷 / 平 of a balance direction ("debit", "credit", "flat")."""
    if direction == NormalBalance.DEBIT:
        return str(NormalBalance.DEBIT.label)
    if direction == NormalBalance.CREDIT:
        return str(NormalBalance.CREDIT.label)
    return pgettext("balance direction", "Flat")


# --- the tables ---------------------------------------------------------------


def _amount_pair(group: str) -> tuple[Column, Column]:
    return (
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, group, 15),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, group, 15),
    )


def _amount_cells(
    row: TrialBalanceRow | TrialBalanceTotals | DimensionBalanceRow,
) -> tuple[Decimal, ...]:
    return (
        row.opening_debit,
        row.opening_credit,
        row.period_debit,
        row.period_credit,
        row.ytd_debit,
        row.ytd_credit,
        row.closing_debit,
        row.closing_credit,
    )


def trial_balance_table(tb: TrialBalance, label: str | None = None) -> Table:
    """科目余额表: opening, this period, year to date and closing, each as a
    debit and a credit column under one header."""
    columns = (
        Column(_("Account code"), Kind.CODE, width=12),
        Column(_("Account name"), Kind.TEXT, width=28),
        *_amount_pair(_("Opening balance")),
        *_amount_pair(_("Movements in the period")),
        *_amount_pair(_("Year to date")),
        *_amount_pair(_("Closing balance")),
    )
    rows = [
        Row((row.code, row.name, *_amount_cells(row)), indent=max(row.level - 1, 0))
        for row in tb.rows
    ]
    rows.append(Row(("", _("Total"), *_amount_cells(tb.totals)), is_total=True))
    if label is None:
        label = period_label(tb.from_period, tb.to_period)
    return Table(_("Trial balance"), label, columns, tuple(rows))


def statement_table(statement: Statement, label: str | None = None) -> Table:
    """资产负债表 / 利润表 as the statutory forms print them: line item, row
    number and the form's amount columns; a balance sheet with assets on the
    left and liabilities and owners' equity on the right."""
    chinese = (translation.get_language() or "").startswith("zh")
    labels = [c.label if chinese else c.label_en for c in statement.columns]
    blank: tuple[Decimal | None, ...] = (None,) * len(labels)
    lines = [
        (
            (
                line.label if chinese else line.label_en,
                line.row,
                *(line.values or blank),
            ),
            line.indent,
            line.is_total,
        )
        for line in statement.lines
    ]
    title = statement.title if chinese else statement.title_en
    label = label or period_label(statement.period, statement.period)
    split = _split_index(statement)
    if split is None:
        columns = _statement_columns(_("Line item"), labels)
        rows = tuple(Row(cells, indent, total) for cells, indent, total in lines)
        return Table(title, label, columns, rows, statement.form)
    left, right = lines[:split], lines[split:]
    columns = (
        *_statement_columns(_("Assets"), labels),
        *_statement_columns(_("Liabilities and owners' equity"), labels),
    )
    width = 2 + len(labels)
    empty = (("", None, *blank), 0, False)
    rows = tuple(
        Row((*a[0], *b[0])[: 2 * width], indent=(a[1], b[1]))
        for a, b in zip_longest(left, right, fillvalue=empty)
    )
    return Table(title, label, columns, rows, statement.form)


def _statement_columns(heading: str, labels: Iterable[str]) -> tuple[Column, ...]:
    return (
        Column(heading, Kind.TEXT, width=34),
        Column(_("Row"), Kind.NUMBER, width=6),
        *(Column(label, Kind.AMOUNT, width=17) for label in labels),
    )


def _split_index(statement: Statement) -> int | None:
    """Where the right half of a balance sheet starts: after 资产总计."""
    if statement.check_rows is None:
        return None
    last_asset = statement.check_rows[0]
    for index, line in enumerate(statement.lines):
        if line.row == last_asset:
            return index + 1
    return None


def _ledger_columns() -> tuple[Column, ...]:
    return (
        Column(_("Date"), Kind.DATE, width=12),
        Column(_("Voucher no."), Kind.CODE, width=11),
        Column(_("Summary"), Kind.TEXT, width=34),
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, width=16),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, width=16),
        Column(_("Dr/Cr"), Kind.CODE, width=6),
        Column(_("Balance"), Kind.AMOUNT, width=16),
    )


def _detail_rows(detail: AccountDetail) -> list[Row]:
    """A page of a detail ledger: the opening balance on the first page, each
    posting with its running balance, and the range's totals with the
    closing balance on the last page (these rows have no voucher number)."""
    zero = Decimal("0.00")
    rows = []
    if detail.offset == 0:
        side = direction_text(detail.opening_direction)
        opening = (_("Opening balance"), zero, zero, side, detail.opening_balance)
        rows.append(Row((detail.from_period.start_on, "", *opening), is_total=True))
    rows.extend(
        Row(
            (
                line.date,
                line.voucher_number,
                line.summary,
                line.debit,
                line.credit,
                direction_text(line.direction),
                line.balance,
            )
        )
        for line in detail.lines
    )
    if not detail.has_more:
        side = direction_text(detail.closing_direction)
        totals = (detail.period_debit, detail.period_credit)
        closing = (_("Total for the range"), *totals, side, detail.closing_balance)
        rows.append(Row((detail.to_period.end_on, "", *closing), is_total=True))
    return rows


def account_detail_table(detail: AccountDetail, label: str | None = None) -> Table:
    """明细分类账 of one account (``selectors.reports.account_detail``), or
    辅助明细账 of one dimension value (``dimension_detail``): each posting
    with its running balance and the balance's side (借/贷/平)."""
    account = f"{detail.code} {detail.name}"
    if detail.dimension is not None:
        account += f" · {dimension_text(detail.dimension)} {detail.value_id}"
    title = _("Account detail: %(account)s") % {"account": account}
    if label is None:
        label = period_label(detail.from_period, detail.to_period)
    return Table(title, label, _ledger_columns(), tuple(_detail_rows(detail)))


def general_ledger_table(
    rows: Iterable[GeneralLedgerRow], *, account_label: str, year: int
) -> Table:
    """总分类账 of one account for a year (``selectors.reports.general_ledger``):
    opening, then 本月合计 and 本年累计 of each period with the balance at its
    end; the opening and year-to-date rows stand out."""
    date, _number, *amounts = _ledger_columns()
    columns = (date, *amounts)
    body = tuple(
        Row(
            (
                row.date,
                row.summary,
                row.debit,
                row.credit,
                direction_text(row.direction),
                row.balance,
            ),
            is_total=row.kind != "period",
        )
        for row in rows
    )
    title = _("General ledger: %(account)s") % {"account": account_label}
    return Table(title, _("Fiscal year %(year)d") % {"year": year}, columns, body)


def dimension_text(dimension: str) -> str:
    """The label of a dimension kind (客户, 供应商, ...)."""
    return (
        str(Dimension(dimension).label) if dimension in Dimension.values else dimension
    )


def dimension_balances_table(
    rows: Iterable[DimensionBalanceRow],
    *,
    account_label: str,
    dimension: str,
    period_label: str,
) -> Table:
    """辅助核算余额表 (``selectors.reports.dimension_balances``): per value of
    the dimension, opening, the range's movements, year to date and closing,
    each as a debit and a credit column, and their total."""
    columns = (
        Column(dimension_text(dimension), Kind.NUMBER, width=12),
        *_amount_pair(_("Opening balance")),
        *_amount_pair(_("Movements in the period")),
        *_amount_pair(_("Year to date")),
        *_amount_pair(_("Closing balance")),
    )
    values = list(rows)
    body = [Row((row.value_id, *_amount_cells(row))) for row in values]
    totals = [
        sum(column, Decimal("0.00"))
        for column in zip(*(_amount_cells(row) for row in values), strict=True)
    ] or [Decimal("0.00")] * 8
    body.append(Row((_("Total"), *totals), is_total=True))
    title = _("Dimension balances: %(account)s") % {"account": account_label}
    return Table(title, period_label, columns, tuple(body))


def voucher_summary_table(summary: VoucherSummary, label: str) -> Table:
    """凭证汇总表: debits and credits per level-1 account."""
    columns = (
        Column(_("Account code"), Kind.CODE, width=12),
        Column(_("Account name"), Kind.TEXT, width=30),
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, width=18),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, width=18),
    )
    body = [Row((row.code, row.name, row.debit, row.credit)) for row in summary]
    total = _("Total (%(count)d vouchers)") % {"count": summary.voucher_count}
    body.append(
        Row(("", total, summary.total_debit, summary.total_credit), is_total=True)
    )
    return Table(_("Voucher summary"), label, columns, tuple(body))


def vouchers_table(vouchers: Iterable[Voucher], label: str = "") -> Table:
    """凭证列表: one row per voucher line, the voucher's date, number and
    people repeated on each (so the sheet filters and pivots)."""
    columns = (
        Column(_("Date"), Kind.DATE, width=12),
        Column(_("Voucher no."), Kind.CODE, width=11),
        Column(_("Attachments"), Kind.NUMBER, width=8),
        Column(_("Summary"), Kind.TEXT, width=30),
        Column(_("Account code"), Kind.CODE, width=12),
        Column(_("Account name"), Kind.TEXT, width=20),
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, width=15),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, width=15),
        Column(_("Prepared by"), Kind.TEXT, width=10),
        Column(_("Reviewed by"), Kind.TEXT, width=10),
        Column(_("Posted by"), Kind.TEXT, width=10),
    )
    rows: list[Row] = []
    debit = credit = Decimal("0.00")
    for voucher in vouchers:
        people = (
            person_name(voucher.maker),
            person_name(voucher.reviewed_by),
            person_name(voucher.posted_by),
        )
        for line in voucher.lines.all():
            cells = (
                voucher.date,
                voucher.display_number,
                voucher.attachments,
                line.summary,
                line.account.code,
                line.account.name,
                line.debit,
                line.credit,
                *people,
            )
            rows.append(Row(cells))
            debit += line.debit
            credit += line.credit
    total = ("", "", None, _("Total"), "", "", debit, credit, "", "", "")
    rows.append(Row(total, is_total=True))
    return Table(_("Vouchers"), label, columns, tuple(rows))


class Person(Protocol):
    username: str
    first_name: str
    last_name: str


def person_name(user: Person | None) -> str:
    """A Chinese name is written family name first with no space (王强);
    other names as "first last"."""
    if user is None:
        return ""
    first, last = user.first_name.strip(), user.last_name.strip()
    if _has_cjk(first + last):
        return last + first
    return " ".join(part for part in (first, last) if part) or user.username


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)
