"""Financial statements: the balance sheet (资产负债表) and the income statement
(利润表) in the format of the company's accounting standard — 会小企01表 and
会小企02表 under 小企业会计准则, 会企01表 and 会企02表 (2019) under 企业会计准则.

The line formulas are product data (``data/statements_<standard>.json``): each
numbered row either adds terms over account codes (``bal``, ``dr_bal``,
``cr_bal``, ``net_activity``, with a sign) or adds earlier rows. The figures
come from ``reports.balance_columns`` and ``reports.profit_and_loss_activity``,
a fixed handful of queries whatever the volume, and each line keeps its terms
so a page can drill down to the accounts behind a figure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from django.db.models import Q

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import AccountingStandard, Company
from zhongshu.ledger import chart
from zhongshu.ledger.models import LedgerSettings, NormalBalance, Period, PeriodTotal
from zhongshu.ledger.selectors import reports

DATA = Path(__file__).resolve().parent.parent / "data"
FORMAT_FILES = {
    AccountingStandard.SMALL_ENTERPRISE: DATA / "statements_small_enterprise.json",
    AccountingStandard.ENTERPRISE: DATA / "statements_enterprise.json",
}
ZERO = Decimal("0.00")

StatementKind = Literal["balance_sheet", "income_statement"]
TermFunction = Literal["bal", "dr_bal", "cr_bal", "net_activity"]
FUNCTIONS: dict[str, frozenset[str]] = {
    "balance_sheet": frozenset({"bal", "dr_bal", "cr_bal"}),
    "income_statement": frozenset({"net_activity"}),
}
TERM = re.compile(r"^(-?)(bal|dr_bal|cr_bal|net_activity) (\d+)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementTerm:
    """``sign × function(code)``: what a figure is made of, for drill-down."""

    sign: int
    function: TermFunction
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementColumn:
    key: str
    label: str
    label_en: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LineFormat:
    """One line of a statement format; ``row`` is None for a heading."""

    row: int | None
    label: str
    label_en: str
    indent: int
    terms: tuple[StatementTerm, ...]
    sum_of: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementFormat:
    standard: str
    kind: StatementKind
    form: str
    title: str
    title_en: str
    columns: tuple[StatementColumn, ...]
    lines: tuple[LineFormat, ...]
    check: tuple[int, int] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementLine:
    """A line as shown: ``values`` has one figure per column (none for a
    heading); ``terms`` or ``sum_of`` (signed row numbers) say where it comes
    from."""

    row: int | None
    label: str
    label_en: str
    indent: int
    values: tuple[Decimal, ...]
    terms: tuple[StatementTerm, ...]
    sum_of: tuple[int, ...]

    @property
    def is_heading(self) -> bool:
        return self.row is None

    @property
    def is_total(self) -> bool:
        return bool(self.sum_of)


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    kind: StatementKind
    standard: str
    form: str
    title: str
    title_en: str
    company_id: int
    period: Period
    columns: tuple[StatementColumn, ...]
    lines: tuple[StatementLine, ...]
    # The rows that must be equal in every column (资产总计 and 负债和所有者
    # 权益总计), and whether they are; a statement without a check is balanced.
    check_rows: tuple[int, int] | None
    balanced: bool

    def line(self, row: int) -> StatementLine:
        for line in self.lines:
            if line.row == row:
                return line
        raise KeyError(row)

    def value(self, row: int, column: str) -> Decimal:
        keys = [c.key for c in self.columns]
        return self.line(row).values[keys.index(column)]


# --- formats ---


@cache
def statement_format(standard: str, kind: StatementKind) -> StatementFormat:
    """The format of a statement for an accounting standard, read once from
    the data file and checked: unique rows, known functions and codes of the
    standard's chart, sums of earlier rows."""
    standard = AccountingStandard(standard)
    with FORMAT_FILES[standard].open(encoding="utf-8") as f:
        data = json.load(f)[kind]
    codes = {row.code for row in chart.template(standard)}
    lines: list[LineFormat] = []
    for raw in data["lines"]:
        lines.append(_line_format(raw, kind, codes, {ln.row for ln in lines}))
    check = data["check"]
    fmt = StatementFormat(
        standard=standard,
        kind=kind,
        form=data["form"],
        title=data["title"],
        title_en=data["title_en"],
        columns=tuple(StatementColumn(**column) for column in data["columns"]),
        lines=tuple(lines),
        check=(check[0], check[1]) if check else None,
    )
    rows = {line.row for line in fmt.lines}
    if fmt.check is not None and not set(fmt.check) <= rows:
        raise ValueError(f"{standard} {kind}: check rows {fmt.check} do not exist")
    return fmt


def _line_format(
    raw: Mapping[str, Any], kind: str, codes: set[str], earlier: set[int | None]
) -> LineFormat:
    row = raw.get("row")
    where = f"{kind} row {row} ({raw['label']})"
    if row is not None and row in earlier:
        raise ValueError(f"{where}: the row number is used twice")
    terms = tuple(_term(text, kind, codes, where) for text in raw.get("terms", []))
    sum_of = tuple(int(n) for n in raw.get("sum", []))
    if any(abs(n) not in earlier for n in sum_of):
        raise ValueError(f"{where}: a sum may only add earlier rows")
    if terms and sum_of:
        raise ValueError(f"{where}: a row adds terms or rows, not both")
    return LineFormat(
        row=row,
        label=raw["label"],
        label_en=raw["label_en"],
        indent=int(raw.get("indent", 0)),
        terms=terms,
        sum_of=sum_of,
    )


def _term(text: str, kind: str, codes: set[str], where: str) -> StatementTerm:
    match = TERM.match(text)
    if match is None or match[2] not in FUNCTIONS[kind] or match[3] not in codes:
        raise ValueError(f"{where}: cannot use the term {text!r}")
    function: TermFunction = match[2]  # type: ignore[assignment]
    return StatementTerm(sign=-1 if match[1] else 1, function=function, code=match[3])


# --- evaluation ---


@cache
def _normal_sides(standard: str) -> dict[str, str]:
    return {row.code: row.normal_balance for row in chart.template(standard)}


def term_value(
    term: StatementTerm, signed: Mapping[str, Decimal], normal: Mapping[str, str]
) -> Decimal:
    """The term's figure from signed (debit − credit) amounts by code."""
    amount = signed.get(term.code, ZERO)
    if term.function == "dr_bal":
        value = max(amount, ZERO)
    elif term.function == "cr_bal":
        value = max(ZERO - amount, ZERO)
    elif normal[term.code] == NormalBalance.DEBIT:
        value = amount
    else:
        value = ZERO - amount
    # ZERO - value, not -value: a negated zero would print as "-0.00".
    return value if term.sign > 0 else ZERO - value


def evaluate(fmt: StatementFormat, signed: Mapping[str, Decimal]) -> dict[int, Decimal]:
    """Every numbered row's figure for one column of signed amounts."""
    normal = _normal_sides(fmt.standard)
    values: dict[int, Decimal] = {}
    for line in fmt.lines:
        if line.row is None:
            continue
        total = ZERO
        for term in line.terms:
            total += term_value(term, signed, normal)
        for row in line.sum_of:
            total = total + values[row] if row > 0 else total - values[-row]
        values[line.row] = total
    return values


def _statement(
    company: Company,
    period: Period,
    fmt: StatementFormat,
    columns: Mapping[str, Mapping[str, Decimal]],
) -> Statement:
    figures = {key: evaluate(fmt, columns[key]) for key in columns}
    keys = [column.key for column in fmt.columns]
    lines = tuple(
        StatementLine(
            row=line.row,
            label=line.label,
            label_en=line.label_en,
            indent=line.indent,
            values=()
            if line.row is None
            else tuple(figures[key][line.row] for key in keys),
            terms=line.terms,
            sum_of=line.sum_of,
        )
        for line in fmt.lines
    )
    balanced = fmt.check is None or all(
        figures[key][fmt.check[0]] == figures[key][fmt.check[1]] for key in keys
    )
    return Statement(
        kind=fmt.kind,
        standard=fmt.standard,
        form=fmt.form,
        title=fmt.title,
        title_en=fmt.title_en,
        company_id=company.pk,
        period=period,
        columns=fmt.columns,
        lines=lines,
        check_rows=fmt.check,
        balanced=balanced,
    )


# --- the statements ---


def balance_sheet(company: Company, *, period: Period) -> Statement:
    """资产负债表 at the end of ``period``, with the balances at the start of
    its fiscal year beside it (four queries)."""
    if period.company_id != company.pk:
        raise NotFoundError()
    fmt = statement_format(company.accounting_standard, "balance_sheet")
    columns = reports.balance_columns(company, period=period)
    return _statement(
        company,
        period,
        fmt,
        {"closing": columns.closing, "year_opening": columns.year_opening},
    )


def income_statement(company: Company, *, period: Period) -> Statement:
    """利润表 of ``period`` and of its fiscal year through it. The carry-forward
    of profit and loss to 本年利润 is left out, so the figures are the same
    before and after the period is closed."""
    if period.company_id != company.pk:
        raise NotFoundError()
    fmt = statement_format(company.accounting_standard, "income_statement")
    activity = reports.profit_and_loss_activity(company, period=period)
    return _statement(
        company,
        period,
        fmt,
        {"month": activity.month, "year_to_date": activity.year_to_date},
    )


def balance_sheet_equation_findings() -> list[str]:
    """For ``zhongshu check``: the balance sheet balances (资产 = 负债 + 所有者权益,
    both columns) at the end of every period of every company that has
    postings, and of the first period (the opening balances)."""
    problems = []
    for settings in LedgerSettings.objects.select_related("company").order_by("pk"):
        company = settings.company
        periods = Period.objects.filter(company=company).filter(
            Q(pk__in=PeriodTotal.objects.filter(company=company).values("period_id"))
            | Q(year=settings.first_year, number=settings.first_period)
        )
        for period in periods.order_by("year", "number"):
            sheet = balance_sheet(company, period=period)
            if not sheet.balanced and sheet.check_rows is not None:
                assets, equity = (
                    " / ".join(str(value) for value in sheet.line(row).values)
                    for row in sheet.check_rows
                )
                problems.append(
                    f"company {company.code} period {period}: total assets {assets} "
                    f"≠ total liabilities and equity {equity} (closing / year opening)"
                )
    return problems
