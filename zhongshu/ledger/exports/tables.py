"""Reports as plain tables: the one description of a report's columns and
rows that both the Excel and the PDF writers lay out.

The report data comes from the selectors (``selectors.reports``,
``selectors.statements``); the shapes are written as Protocols here so the
exports depend on field names only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import zip_longest
from typing import Protocol

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhongshu.ledger.models import NormalBalance, Period, Voucher
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


# --- the report data, by field name ------------------------------------------


class Amounts(Protocol):
    """Opening, period, year-to-date and closing debits and credits."""

    @property
    def opening_debit(self) -> Decimal: ...
    @property
    def opening_credit(self) -> Decimal: ...
    @property
    def period_debit(self) -> Decimal: ...
    @property
    def period_credit(self) -> Decimal: ...
    @property
    def ytd_debit(self) -> Decimal: ...
    @property
    def ytd_credit(self) -> Decimal: ...
    @property
    def closing_debit(self) -> Decimal: ...
    @property
    def closing_credit(self) -> Decimal: ...


class TrialBalanceRowData(Amounts, Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def level(self) -> int: ...


class TrialBalanceData(Protocol):
    @property
    def from_period(self) -> Period: ...
    @property
    def to_period(self) -> Period: ...
    @property
    def rows(self) -> Sequence[TrialBalanceRowData]: ...
    @property
    def totals(self) -> Amounts: ...


class StatementLineData(Protocol):
    @property
    def number(self) -> int | None: ...
    @property
    def label(self) -> str: ...
    @property
    def indent(self) -> int: ...
    @property
    def values(self) -> Sequence[Decimal | None]: ...


class StatementData(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def columns(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Sequence[StatementLineData]: ...


class DetailRowData(Protocol):
    """A row of a detail ledger as shown: the opening line, each posting with
    its running balance, and the totals; rows without a voucher number are
    the opening and total lines. ``side`` is the shown 借/贷/平."""

    @property
    def date(self) -> datetime.date | None: ...
    @property
    def voucher_number(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def debit(self) -> Decimal: ...
    @property
    def credit(self) -> Decimal: ...
    @property
    def side(self) -> str: ...
    @property
    def balance(self) -> Decimal: ...


class DetailLineData(Protocol):
    """A posted line of a detail ledger with the running balance after it."""

    @property
    def date(self) -> datetime.date: ...
    @property
    def voucher_number(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def debit(self) -> Decimal: ...
    @property
    def credit(self) -> Decimal: ...
    @property
    def direction(self) -> str: ...
    @property
    def balance(self) -> Decimal: ...


class AccountDetailData(Protocol):
    """One page of a 明细分类账; balances are a direction and an amount."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def from_period(self) -> Period: ...
    @property
    def to_period(self) -> Period: ...
    @property
    def opening_direction(self) -> str: ...
    @property
    def opening_balance(self) -> Decimal: ...
    @property
    def lines(self) -> Sequence[DetailLineData]: ...
    @property
    def offset(self) -> int: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def period_debit(self) -> Decimal: ...
    @property
    def period_credit(self) -> Decimal: ...
    @property
    def closing_direction(self) -> str: ...
    @property
    def closing_balance(self) -> Decimal: ...


class GeneralLedgerRowData(Protocol):
    @property
    def date(self) -> datetime.date: ...
    @property
    def summary(self) -> str: ...
    @property
    def debit(self) -> Decimal: ...
    @property
    def credit(self) -> Decimal: ...
    @property
    def direction(self) -> str: ...
    @property
    def balance(self) -> Decimal: ...


class SummaryRowData(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def debit(self) -> Decimal: ...
    @property
    def credit(self) -> Decimal: ...


class VoucherSummaryData(Protocol):
    """The rows of a 凭证汇总表 and how many vouchers they summarise."""

    @property
    def voucher_count(self) -> int: ...
    def __iter__(self) -> Iterator[SummaryRowData]: ...


# --- the tables ---------------------------------------------------------------


def _amount_pair(group: str) -> tuple[Column, Column]:
    return (
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, group, 15),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, group, 15),
    )


def _amount_cells(row: Amounts) -> tuple[Decimal, ...]:
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


def trial_balance_table(tb: TrialBalanceData, label: str | None = None) -> Table:
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


def statement_table(
    statement: Statement | StatementData, label: str | None = None
) -> Table:
    """资产负债表 / 利润表 as the statutory forms list them: line item, row
    number, and the form's amount columns. A balance sheet from the selector
    is laid out as the form prints it: assets on the left, liabilities and
    owners' equity on the right."""
    if isinstance(statement, Statement):
        return _form_table(statement, label)
    columns = _statement_columns(_("Line item"), statement.columns)
    rows = tuple(
        Row((line.label, line.number, *line.values), indent=line.indent)
        for line in statement.rows
    )
    return Table(statement.title, label or "", columns, rows)


def _statement_columns(heading: str, labels: Iterable[str]) -> tuple[Column, ...]:
    return (
        Column(heading, Kind.TEXT, width=34),
        Column(_("Row"), Kind.NUMBER, width=6),
        *(Column(label, Kind.AMOUNT, width=17) for label in labels),
    )


def _form_table(statement: Statement, label: str | None) -> Table:
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


@dataclass(frozen=True, slots=True)
class DetailRow:
    date: datetime.date | None
    voucher_number: str
    summary: str
    debit: Decimal
    credit: Decimal
    side: str
    balance: Decimal


def detail_rows(detail: AccountDetailData) -> list[DetailRow]:
    """A page of ``selectors.reports.account_detail`` as rows: the opening
    balance on the first page, each posting, and the range's totals with the
    closing balance on the last page."""
    zero = Decimal("0.00")
    rows = []
    if detail.offset == 0:
        side = direction_text(detail.opening_direction)
        opening = (_("Opening balance"), zero, zero, side, detail.opening_balance)
        rows.append(DetailRow(detail.from_period.start_on, "", *opening))
    rows.extend(
        DetailRow(
            line.date,
            line.voucher_number,
            line.summary,
            line.debit,
            line.credit,
            direction_text(line.direction),
            line.balance,
        )
        for line in detail.lines
    )
    if not detail.has_more:
        side = direction_text(detail.closing_direction)
        totals = (detail.period_debit, detail.period_credit)
        closing = (_("Total for the range"), *totals, side, detail.closing_balance)
        rows.append(DetailRow(detail.to_period.end_on, "", *closing))
    return rows


def account_detail_table(
    rows: Iterable[DetailRowData], *, account_label: str, period_label: str
) -> Table:
    """明细分类账 of one account: each posting with its running balance and
    the balance's side (借/贷/平); opening and total rows stand out."""
    body = tuple(
        Row(
            (
                row.date,
                row.voucher_number,
                row.summary,
                row.debit,
                row.credit,
                row.side,
                row.balance,
            ),
            is_total=not row.voucher_number,
        )
        for row in rows
    )
    title = _("Account detail: %(account)s") % {"account": account_label}
    return Table(title, period_label, _ledger_columns(), body)


def general_ledger_table(
    rows: Iterable[GeneralLedgerRowData], *, account_label: str, year: int
) -> Table:
    """总分类账 of one account for a year: opening, then 本月合计 and 本年累计
    of each period with the balance at its end."""
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
            )
        )
        for row in rows
    )
    title = _("General ledger: %(account)s") % {"account": account_label}
    return Table(title, _("Fiscal year %(year)d") % {"year": year}, columns, body)


def voucher_summary_table(summary: VoucherSummaryData, label: str) -> Table:
    """凭证汇总表: debits and credits per level-1 account."""
    columns = (
        Column(_("Account code"), Kind.CODE, width=12),
        Column(_("Account name"), Kind.TEXT, width=30),
        Column(pgettext("report column", "Debit"), Kind.AMOUNT, width=18),
        Column(pgettext("report column", "Credit"), Kind.AMOUNT, width=18),
    )
    accounts = list(summary)
    body = [Row((row.code, row.name, row.debit, row.credit)) for row in accounts]
    debit = sum((row.debit for row in accounts), Decimal("0.00"))
    credit = sum((row.credit for row in accounts), Decimal("0.00"))
    total = _("Total (%(count)d vouchers)") % {"count": summary.voucher_count}
    body.append(Row(("", total, debit, credit), is_total=True))
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
