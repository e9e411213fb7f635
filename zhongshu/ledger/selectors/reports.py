"""Reports of the general ledger: 科目余额表 (trial balance), 总分类账, 明细分类账,
辅助核算余额表 and 明细账, 凭证汇总表, and the balances the financial
statements are built on.

Figures come from PeriodTotal, DimensionTotal, OpeningBalance and
OpeningDimensionBalance (the opening split by dimension value), which posting
and the opening service keep in step, so every report costs a fixed handful
of queries whatever the volume of vouchers: the database sums the per-period
totals of leaf accounts and parent accounts are rolled up in Python by code
prefix. Only the detail ledgers read voucher lines, one page at a time.

Amounts are signed debit − credit inside; reports show a balance as a
direction (借/贷/平: ``"debit"``, ``"credit"``, ``"flat"``) and an amount,
or split into a debit and a credit column by its sign, as Chinese ledgers do.
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from itertools import accumulate
from typing import Any, Literal

from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.expressions import RowRange
from django.utils.translation import gettext as _

from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.fields import AmountField, ScaledSum, sum_amount
from zhongshu.core.models import Company
from zhongshu.ledger.models import (
    Account,
    AccountCategory,
    Dimension,
    DimensionTotal,
    LedgerSettings,
    NormalBalance,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.services.periods import CARRY_FORWARD
from zhongshu.ledger.services.vouchers import DIMENSION_FIELDS

ZERO = Decimal("0.00")
MAX_PAGE = 1000
# How voucher lines reach their period, for the period filters below.
LINE_PERIOD = "voucher__period__"
# The order of a detail ledger: date, then voucher, then line.
DETAIL_ORDER = ("voucher__date", "voucher_id", "line_no")

Direction = Literal["debit", "credit", "flat"]
GeneralLedgerKind = Literal["opening", "period", "year_to_date"]
# (debit, credit) of one account or dimension value over one set of periods.
Pair = tuple[Decimal, Decimal]
NO_PAIR: Pair = (ZERO, ZERO)


def direction_of(balance: Decimal) -> Direction:
    """借/贷/平 of a signed (debit − credit) balance."""
    if balance > ZERO:
        return "debit"
    if balance < ZERO:
        return "credit"
    return "flat"


def split(balance: Decimal) -> Pair:
    """A signed balance as the (debit, credit) columns of a balance table."""
    return (balance, ZERO) if balance > ZERO else (ZERO, ZERO - balance)


# --- rows ---


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialBalanceRow:
    """One account of the 科目余额表; parents include their sub-accounts."""

    account_id: int
    code: str
    name: str
    level: int
    is_leaf: bool
    category: str
    normal_balance: str
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal

    @property
    def is_zero(self) -> bool:
        return not any(
            (
                self.opening_debit,
                self.opening_credit,
                self.period_debit,
                self.period_credit,
                self.ytd_debit,
                self.ytd_credit,
                self.closing_debit,
                self.closing_credit,
            )
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialBalanceTotals:
    """Column totals over the level-1 accounts (合计)."""

    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal

    @property
    def balanced(self) -> bool:
        return (
            self.opening_debit == self.opening_credit
            and self.period_debit == self.period_credit
            and self.ytd_debit == self.ytd_credit
            and self.closing_debit == self.closing_credit
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TrialBalance:
    from_period: Period
    to_period: Period
    rows: tuple[TrialBalanceRow, ...]
    totals: TrialBalanceTotals

    @property
    def balanced(self) -> bool:
        return self.totals.balanced


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneralLedgerRow:
    """A line of the 总分类账: the opening balance, then per period its
    本月合计 and 本年累计, each with the balance at the period's end."""

    kind: GeneralLedgerKind
    period_number: int | None
    date: datetime.date
    summary: str
    debit: Decimal
    credit: Decimal
    direction: Direction
    balance: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DetailLine:
    """A posted voucher line in a detail ledger, with the running balance."""

    line_id: int
    date: datetime.date
    voucher_id: int
    voucher_number: str
    line_no: int
    account_code: str
    account_name: str
    summary: str
    debit: Decimal
    credit: Decimal
    direction: Direction
    balance: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountDetail:
    """One page of a 明细分类账 (or of a 辅助明细账 when ``dimension`` is set).

    ``opening_*`` is the balance at the start of ``from_period``; ``period_*``
    and ``closing_*`` cover the whole range, whatever the page."""

    account_id: int
    code: str
    name: str
    dimension: str | None
    value_id: int | None
    from_period: Period
    to_period: Period
    opening_direction: Direction
    opening_balance: Decimal
    lines: tuple[DetailLine, ...]
    total_lines: int
    offset: int
    limit: int
    period_debit: Decimal
    period_credit: Decimal
    closing_direction: Direction
    closing_balance: Decimal

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.lines) < self.total_lines


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionBalanceRow:
    """One dimension value (a customer, a supplier, ...) of an account, with
    the columns of the trial balance."""

    value_id: int
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class VoucherSummaryRow:
    """A level-1 account of the 凭证汇总表."""

    account_id: int
    code: str
    name: str
    debit: Decimal
    credit: Decimal


class VoucherSummary(list[VoucherSummaryRow]):
    """The rows of the 凭证汇总表, carrying the number of posted vouchers
    they summarise (a list, so callers iterate it like any list of rows)."""

    def __init__(self, rows: Iterable[VoucherSummaryRow], *, voucher_count: int):
        super().__init__(rows)
        self.voucher_count = voucher_count

    @property
    def total_debit(self) -> Decimal:
        return sum((row.debit for row in self), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((row.credit for row in self), ZERO)


@dataclass(frozen=True, slots=True, kw_only=True)
class BalanceColumns:
    """Signed (debit − credit) balances by account code, parents included:
    at the end of a period and at the start of its fiscal year (年初)."""

    closing: dict[str, Decimal]
    year_opening: dict[str, Decimal]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityColumns:
    """Signed (debit − credit) movements by account code, parents included,
    without the carry-forward of profit and loss: of one period (本月) and of
    its fiscal year through it (本年累计)."""

    month: dict[str, Decimal]
    year_to_date: dict[str, Decimal]


# --- building blocks ---


@dataclass(frozen=True, slots=True)
class _Account:
    id: int
    code: str
    name: str
    level: int
    is_leaf: bool
    category: str
    normal_balance: str


def _accounts(company: Company) -> list[_Account]:
    rows = (
        Account.objects.filter(company=company)
        .order_by("code")
        .values_list(
            "id", "code", "name", "level", "is_leaf", "category", "normal_balance"
        )
    )
    return [_Account(*row) for row in rows]


def _first_period(company: Company) -> tuple[int, int] | None:
    """(first fiscal year, first period) of the books; None without books."""
    return (
        LedgerSettings.objects.filter(company=company)
        .values_list("first_year", "first_period")
        .first()
    )


def _q(prefix: str, **lookups: object) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def _before(period: Period, prefix: str = "period__") -> Q:
    return _q(prefix, year__lt=period.year) | _q(
        prefix, year=period.year, number__lt=period.number
    )


def _through(period: Period, prefix: str = "period__") -> Q:
    return _q(prefix, year__lt=period.year) | _q(
        prefix, year=period.year, number__lte=period.number
    )


def _within(first: Period, last: Period, prefix: str = "period__") -> Q:
    from_first = _q(prefix, year__gt=first.year) | _q(
        prefix, year=first.year, number__gte=first.number
    )
    return from_first & _through(last, prefix)


def _year_through(period: Period, prefix: str = "period__") -> Q:
    return _q(prefix, year=period.year, number__lte=period.number)


def _bucket_sums(
    rows: QuerySet[Any], group: str, buckets: Mapping[str, Q]
) -> dict[Any, dict[str, Pair]]:
    """Debit and credit per ``group`` value, summed over each bucket of
    periods, in one grouped query."""
    annotations = {}
    for name, condition in buckets.items():
        annotations[f"{name}_debit"] = sum_amount("debit", filter=condition)
        annotations[f"{name}_credit"] = sum_amount("credit", filter=condition)
    matching = reduce(operator.or_, buckets.values())
    grouped = rows.filter(matching).values(group).annotate(**annotations).order_by()
    return {
        row[group]: {
            name: (row[f"{name}_debit"], row[f"{name}_credit"]) for name in buckets
        }
        for row in grouped
    }


def _openings(company: Company) -> dict[int, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """(debit, credit, ytd_debit, ytd_credit) of each leaf's opening balance."""
    rows = OpeningBalance.objects.filter(company=company).values_list(
        "account_id", "debit", "credit", "ytd_debit", "ytd_credit"
    )
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}


def _roll_up(
    accounts: Sequence[_Account], own: Mapping[int, Sequence[Decimal]], width: int
) -> dict[str, list[Decimal]]:
    """Add each account's own figures to it and to every account whose code
    is a prefix of its code (its parents), giving every account's totals."""
    totals = {account.code: [ZERO] * width for account in accounts}
    codes = {account.id: account.code for account in accounts}
    for account_id, figures in own.items():
        code = codes[account_id]
        for end in range(1, len(code) + 1):
            target = totals.get(code[:end])
            if target is not None:
                for index, amount in enumerate(figures):
                    target[index] += amount
    return totals


def _signed(
    accounts: Sequence[_Account], own: Mapping[int, Decimal]
) -> dict[str, Decimal]:
    rolled = _roll_up(accounts, {pk: (amount,) for pk, amount in own.items()}, 1)
    return {code: figures[0] for code, figures in rolled.items()}


def _require_company(company: Company, *objects: Period | Account) -> None:
    if any(obj.company_id != company.pk for obj in objects):
        raise NotFoundError()


def _check_range(
    company: Company, first: Period, last: Period, *, one_year: bool = False
) -> None:
    _require_company(company, first, last)
    if one_year and first.year != last.year:
        message = _("The periods of a trial balance must be in one fiscal year.")
        raise ValidationError(message, fields={"to_period": [message]})
    if first.ordinal > last.ordinal:
        message = _("The first period must not come after the last.")
        raise ValidationError(message, fields={"from_period": [message]})


def _account_scope(company: Company, account: Account) -> Q:
    """The rows of ``account``: its own, or for a parent those of its leaves."""
    if account.is_leaf:
        return Q(account=account)
    leaves = Account.objects.filter(company=company, code__startswith=account.code)
    return Q(account__in=leaves)


def _periods_within(company: Company, first: Period, last: Period) -> QuerySet[Period]:
    return Period.objects.filter(company=company).filter(_within(first, last, ""))


# --- 科目余额表 ---


def trial_balance(
    company: Company,
    *,
    from_period: Period,
    to_period: Period,
    level: int | None = None,
    include_zero: bool = False,
) -> TrialBalance:
    """科目余额表: opening balance, the range's debits and credits, the year to
    date, and the closing balance of every account (four queries)."""
    _check_range(company, from_period, to_period, one_year=True)
    first = _first_period(company)
    accounts = _accounts(company)
    openings = _openings(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {
            "before": _before(from_period),
            "within": _within(from_period, to_period),
            "ytd": _year_through(to_period),
        },
    )
    with_ytd_opening = first is not None and first[0] == to_period.year
    own: dict[int, tuple[Decimal, ...]] = {}
    for account_id in openings.keys() | sums.keys():
        debit, credit, ytd_debit, ytd_credit = openings.get(account_id, (ZERO,) * 4)
        if not with_ytd_opening:
            ytd_debit, ytd_credit = ZERO, ZERO
        buckets = sums.get(account_id, {})
        before, within, ytd = (
            buckets.get(name, NO_PAIR) for name in ("before", "within", "ytd")
        )
        own[account_id] = (
            debit + before[0] - credit - before[1],
            *within,
            ytd_debit + ytd[0],
            ytd_credit + ytd[1],
        )
    rolled = _roll_up(accounts, own, 5)
    rows = [_trial_row(account, rolled[account.code]) for account in accounts]
    return TrialBalance(
        from_period=from_period,
        to_period=to_period,
        rows=tuple(
            row
            for row in rows
            if (level is None or row.level <= level)
            and (include_zero or not row.is_zero)
        ),
        totals=_totals(row for row in rows if row.level == 1),
    )


def _trial_row(account: _Account, figures: Sequence[Decimal]) -> TrialBalanceRow:
    opening, period_debit, period_credit, ytd_debit, ytd_credit = figures
    opening_debit, opening_credit = split(opening)
    closing_debit, closing_credit = split(opening + period_debit - period_credit)
    return TrialBalanceRow(
        account_id=account.id,
        code=account.code,
        name=account.name,
        level=account.level,
        is_leaf=account.is_leaf,
        category=account.category,
        normal_balance=account.normal_balance,
        opening_debit=opening_debit,
        opening_credit=opening_credit,
        period_debit=period_debit,
        period_credit=period_credit,
        ytd_debit=ytd_debit,
        ytd_credit=ytd_credit,
        closing_debit=closing_debit,
        closing_credit=closing_credit,
    )


def _totals(rows: Iterable[TrialBalanceRow]) -> TrialBalanceTotals:
    names = [field.name for field in dataclasses.fields(TrialBalanceTotals)]
    sums = dict.fromkeys(names, ZERO)
    for row in rows:
        for name in names:
            sums[name] += getattr(row, name)
    return TrialBalanceTotals(**sums)


# --- 总分类账 ---


def general_ledger(
    company: Company, *, account: Account, year: int
) -> list[GeneralLedgerRow]:
    """总分类账 of one account (a parent sums its leaves) for a fiscal year: the
    opening balance, then for every period up to the last one the company
    has postings in or has closed, 本月合计 and 本年累计 with the
    balance at the period's end (five queries)."""
    _require_company(company, account)
    first = _first_period(company)
    if first is None:
        raise NotFoundError()
    if year < first[0]:
        message = _("The books start in %(year)d.") % {"year": first[0]}
        raise ValidationError(message, fields={"year": [message]})
    is_first_year = year == first[0]
    scope = _account_scope(company, account)
    periods = list(
        Period.objects.filter(
            company=company, year=year, number__gte=first[1] if is_first_year else 1
        ).order_by("number")
    )
    ob = (
        OpeningBalance.objects.filter(company=company)
        .filter(scope)
        .aggregate(
            debit=sum_amount("debit"),
            credit=sum_amount("credit"),
            ytd_debit=sum_amount("ytd_debit"),
            ytd_credit=sum_amount("ytd_credit"),
        )
    )
    monthly = _monthly_totals(company, scope, year)
    # Before the first year's periods there is only the opening balance (at
    # the start of the first period); later years add every earlier year.
    balance = ob["debit"] - ob["credit"]
    balance += sum(
        (debit - credit for (y, _n), (debit, credit) in monthly.items() if y < year),
        ZERO,
    )
    ytd = (ob["ytd_debit"], ob["ytd_credit"]) if is_first_year else NO_PAIR
    rows = [_opening_row(periods, year, balance)]
    for period in _shown_periods(company, periods):
        debit, credit = monthly.get((year, period.number), NO_PAIR)
        balance += debit - credit
        ytd = (ytd[0] + debit, ytd[1] + credit)
        rows.append(_ledger_row("period", period, (debit, credit), balance))
        rows.append(_ledger_row("year_to_date", period, ytd, balance))
    return rows


def _monthly_totals(
    company: Company, scope: Q, year: int
) -> dict[tuple[int, int], Pair]:
    grouped = (
        PeriodTotal.objects.filter(company=company, period__year__lte=year)
        .filter(scope)
        .values("period__year", "period__number")
        .annotate(debit=sum_amount("debit"), credit=sum_amount("credit"))
        .order_by()
    )
    return {
        (row["period__year"], row["period__number"]): (row["debit"], row["credit"])
        for row in grouped
    }


def _shown_periods(company: Company, periods: list[Period]) -> list[Period]:
    """The periods the books have reached: through the last one with any
    posting of the company, or closed, so every account shows the same
    months."""
    if not periods:
        return []
    posted = PeriodTotal.objects.filter(
        company=company, period__year=periods[0].year
    ).aggregate(last=Max("period__number"))["last"]
    closed = [p.number for p in periods if p.is_closed]
    last = max([posted or 0, *closed])
    return [p for p in periods if p.number <= last]


def _opening_row(
    periods: list[Period], year: int, balance: Decimal
) -> GeneralLedgerRow:
    first = periods[0] if periods else None
    return GeneralLedgerRow(
        kind="opening",
        period_number=first.number if first else None,
        date=first.start_on if first else datetime.date(year, 1, 1),
        summary=_("Opening balance"),
        debit=ZERO,
        credit=ZERO,
        direction=direction_of(balance),
        balance=abs(balance),
    )


def _ledger_row(
    kind: GeneralLedgerKind, period: Period, amounts: Pair, balance: Decimal
) -> GeneralLedgerRow:
    return GeneralLedgerRow(
        kind=kind,
        period_number=period.number,
        date=period.end_on,
        summary=_("Total for the period") if kind == "period" else _("Year to date"),
        debit=amounts[0],
        credit=amounts[1],
        direction=direction_of(balance),
        balance=abs(balance),
    )


# --- 明细分类账 and 辅助明细账 ---


def account_detail(
    company: Company,
    *,
    account: Account,
    from_period: Period,
    to_period: Period,
    limit: int = 100,
    offset: int = 0,
) -> AccountDetail:
    """明细分类账: the posted lines of the account (of all its leaves for a
    parent) in date, voucher and line order, one page at a time, each with the
    running balance (four queries: opening balances, period totals, and two
    for the page with its running sums and count)."""
    _check_range(company, from_period, to_period)
    _check_page(limit, offset)
    scope = _account_scope(company, account)
    ob = (
        OpeningBalance.objects.filter(company=company)
        .filter(scope)
        .aggregate(debit=sum_amount("debit"), credit=sum_amount("credit"))
    )
    sums = _range_sums(
        PeriodTotal.objects.filter(company=company).filter(scope),
        from_period,
        to_period,
    )
    opening = ob["debit"] - ob["credit"] + sums[0][0] - sums[0][1]
    return _detail(
        company,
        account,
        (from_period, to_period),
        scope,
        (opening, sums[1]),
        (limit, offset),
    )


def dimension_detail(
    company: Company,
    *,
    account: Account,
    dimension: str,
    value_id: int,
    from_period: Period,
    to_period: Period,
    limit: int = 100,
    offset: int = 0,
) -> AccountDetail:
    """辅助明细账: the detail ledger of one dimension value (a customer of
    应收账款, ...) with its running balance. The opening is the value's share
    of the opening balances (辅助核算期初) plus its postings before
    ``from_period``."""
    _check_range(company, from_period, to_period)
    _check_page(limit, offset)
    field = _dimension_field(dimension)
    scope = _account_scope(company, account)
    ob = (
        OpeningDimensionBalance.objects.filter(
            company=company, dimension=dimension, value_id=value_id
        )
        .filter(scope)
        .aggregate(debit=sum_amount("debit"), credit=sum_amount("credit"))
    )
    sums = _range_sums(
        DimensionTotal.objects.filter(
            company=company, dimension=dimension, value_id=value_id
        ).filter(scope),
        from_period,
        to_period,
    )
    opening = ob["debit"] - ob["credit"] + sums[0][0] - sums[0][1]
    return _detail(
        company,
        account,
        (from_period, to_period),
        scope & Q(**{field: value_id}),
        (opening, sums[1]),
        (limit, offset),
        dimension=(dimension, value_id),
    )


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        message = _("A page holds 1 to %(max)d lines from a non-negative offset.") % {
            "max": MAX_PAGE
        }
        raise ValidationError(message, fields={"limit": [message]})


def _dimension_field(dimension: str) -> str:
    if dimension not in Dimension.values:
        message = _("Unknown dimension: %(names)s.") % {"names": dimension}
        raise ValidationError(message, fields={"dimension": [message]})
    return DIMENSION_FIELDS[dimension]


def _range_sums(
    rows: QuerySet[Any], from_period: Period, to_period: Period
) -> tuple[Pair, Pair]:
    """(debit, credit) before ``from_period`` and within the range."""
    totals = rows.aggregate(
        before_debit=sum_amount("debit", filter=_before(from_period)),
        before_credit=sum_amount("credit", filter=_before(from_period)),
        within_debit=sum_amount("debit", filter=_within(from_period, to_period)),
        within_credit=sum_amount("credit", filter=_within(from_period, to_period)),
    )
    return (
        (totals["before_debit"], totals["before_credit"]),
        (totals["within_debit"], totals["within_credit"]),
    )


def _detail(
    company: Company,
    account: Account,
    periods: tuple[Period, Period],
    lines_filter: Q,
    balances: tuple[Decimal, Pair],
    page: tuple[int, int],
    dimension: tuple[str, int] | None = None,
) -> AccountDetail:
    opening, (period_debit, period_credit) = balances
    limit, offset = page
    lines = VoucherLine.objects.filter(
        lines_filter,
        company=company,
        voucher__state=VoucherState.POSTED,
        voucher__period__in=_periods_within(company, *periods),
    )
    rows, total = _page(lines, offset, limit)
    closing = opening + period_debit - period_credit
    return AccountDetail(
        account_id=account.pk,
        code=account.code,
        name=account.name,
        dimension=dimension[0] if dimension else None,
        value_id=dimension[1] if dimension else None,
        from_period=periods[0],
        to_period=periods[1],
        opening_direction=direction_of(opening),
        opening_balance=abs(opening),
        lines=tuple(_detail_line(row, opening + running) for row, running in rows),
        total_lines=total,
        offset=offset,
        limit=limit,
        period_debit=period_debit,
        period_credit=period_credit,
        closing_direction=direction_of(closing),
        closing_balance=abs(closing),
    )


def _page(
    lines: QuerySet[VoucherLine], offset: int, limit: int
) -> tuple[list[tuple[VoucherLine, Decimal]], int]:
    """One page of lines in ledger order, each with the sum of debit − credit
    of the range's lines up to and including it, and the range's line count.

    The first page needs no sum before it: a top-N query and a count. A later
    page takes the running sum and the count from window functions, which
    the database evaluates over all matching lines before OFFSET/LIMIT; they
    run over narrow rows (ids and amounts), and only the page's lines are
    then read in full. Either way the balance is right on every page."""
    ordered = lines.order_by(*DETAIL_ORDER)
    if offset == 0:
        first = list(ordered.select_related("voucher", "account")[:limit])
        sums = accumulate(line.debit - line.credit for line in first)
        total = len(first) if len(first) < limit else lines.count()
        return list(zip(first, sums, strict=True)), total
    running = Window(
        ScaledSum(F("debit") - F("credit"), field_class=AmountField),
        order_by=[F(name).asc() for name in DETAIL_ORDER],
        frame=RowRange(start=None, end=0),
    )
    page = list(
        ordered.annotate(running=running, line_count=Window(Count("pk"))).values_list(
            "pk", "running", "line_count"
        )[offset : offset + limit]
    )
    if not page:  # past the last page: no row to carry the count
        return [], lines.count()
    by_id = VoucherLine.objects.select_related("voucher", "account").in_bulk(
        [pk for pk, _running, _count in page]
    )
    return [(by_id[pk], running) for pk, running, _count in page], page[0][2]


def _detail_line(line: VoucherLine, balance: Decimal) -> DetailLine:
    return DetailLine(
        line_id=line.pk,
        date=line.voucher.date,
        voucher_id=line.voucher_id,
        voucher_number=line.voucher.display_number,
        line_no=line.line_no,
        account_code=line.account.code,
        account_name=line.account.name,
        summary=line.summary,
        debit=line.debit,
        credit=line.credit,
        direction=direction_of(balance),
        balance=abs(balance),
    )


# --- 辅助核算余额表 ---


def dimension_balances(
    company: Company,
    *,
    account: Account,
    dimension: str,
    from_period: Period,
    to_period: Period,
) -> list[DimensionBalanceRow]:
    """辅助核算余额表: opening, the range's debits and credits, the year to
    date and closing per dimension value of the account (its leaves for a
    parent), in three queries. The opening includes the value's share of the
    opening balances (辅助核算期初), and in the first year of the books the
    year to date its movements before the first period. Values with nothing
    to show are left out."""
    _check_range(company, from_period, to_period)
    _dimension_field(dimension)
    first = _first_period(company)
    scope = _account_scope(company, account)
    openings = _dimension_openings(company, dimension, scope)
    sums = _bucket_sums(
        DimensionTotal.objects.filter(company=company, dimension=dimension).filter(
            scope
        ),
        "value_id",
        {
            "before": _before(from_period),
            "within": _within(from_period, to_period),
            "ytd": _year_through(to_period),
        },
    )
    with_ytd_opening = first is not None and first[0] == to_period.year
    rows = []
    for value_id in sorted(openings.keys() | sums.keys()):
        debit, credit, ytd_debit, ytd_credit = openings.get(value_id, (ZERO,) * 4)
        if not with_ytd_opening:
            ytd_debit, ytd_credit = ZERO, ZERO
        buckets = sums.get(value_id, {})
        before, within, ytd = (
            buckets.get(name, NO_PAIR) for name in ("before", "within", "ytd")
        )
        opening = debit - credit + before[0] - before[1]
        row = _dimension_row(
            value_id,
            opening,
            within,
            (ytd_debit + ytd[0], ytd_credit + ytd[1]),
        )
        if opening or any(within) or row.ytd_debit or row.ytd_credit:
            rows.append(row)
    return rows


def _dimension_openings(
    company: Company, dimension: str, scope: Q
) -> dict[int, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """(debit, credit, ytd_debit, ytd_credit) of each value's opening share,
    summed over the leaves in ``scope``."""
    grouped = (
        OpeningDimensionBalance.objects.filter(company=company, dimension=dimension)
        .filter(scope)
        .values("value_id")
        .annotate(
            debit=sum_amount("debit"),
            credit=sum_amount("credit"),
            ytd_debit=sum_amount("ytd_debit"),
            ytd_credit=sum_amount("ytd_credit"),
        )
        .order_by()
    )
    return {
        row["value_id"]: (
            row["debit"],
            row["credit"],
            row["ytd_debit"],
            row["ytd_credit"],
        )
        for row in grouped
    }


def _dimension_row(
    value_id: int, opening: Decimal, within: Pair, ytd: Pair
) -> DimensionBalanceRow:
    opening_debit, opening_credit = split(opening)
    closing_debit, closing_credit = split(opening + within[0] - within[1])
    return DimensionBalanceRow(
        value_id=value_id,
        opening_debit=opening_debit,
        opening_credit=opening_credit,
        period_debit=within[0],
        period_credit=within[1],
        ytd_debit=ytd[0],
        ytd_credit=ytd[1],
        closing_debit=closing_debit,
        closing_credit=closing_credit,
    )


# --- 凭证汇总表 ---


def voucher_summary(
    company: Company, *, from_period: Period, to_period: Period
) -> VoucherSummary:
    """凭证汇总表: debits and credits of the posted vouchers of the range per
    level-1 account, and how many vouchers they are (three queries)."""
    _check_range(company, from_period, to_period)
    accounts = _accounts(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {"within": _within(from_period, to_period)},
    )
    rolled = _roll_up(
        accounts, {pk: buckets["within"] for pk, buckets in sums.items()}, 2
    )
    count = Voucher.objects.filter(
        company=company,
        state=VoucherState.POSTED,
        period__in=_periods_within(company, from_period, to_period),
    ).count()
    return VoucherSummary(
        (
            VoucherSummaryRow(
                account_id=account.id,
                code=account.code,
                name=account.name,
                debit=rolled[account.code][0],
                credit=rolled[account.code][1],
            )
            for account in accounts
            if account.level == 1 and any(rolled[account.code])
        ),
        voucher_count=count,
    )


# --- balances for the statements ---


def balances_at(company: Company, *, period: Period) -> dict[str, Decimal]:
    """Signed balance (debit − credit) of every account, parents included, at
    the end of ``period`` (three queries)."""
    _require_company(company, period)
    accounts = _accounts(company)
    openings = _openings(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {"through": _through(period)},
    )
    own = {pk: figures[0] - figures[1] for pk, figures in openings.items()}
    for pk, buckets in sums.items():
        debit, credit = buckets["through"]
        own[pk] = own.get(pk, ZERO) + debit - credit
    return _signed(accounts, own)


def balance_columns(company: Company, *, period: Period) -> BalanceColumns:
    """The two columns of a balance sheet in four queries: signed balances at
    the end of ``period`` and at the start of its fiscal year. For the first
    year of the books the start-of-year balance is the opening balance less
    the year's movements before the first period."""
    _require_company(company, period)
    first = _first_period(company)
    accounts = _accounts(company)
    openings = _openings(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {
            "through": _through(period),
            "before_year": Q(period__year__lt=period.year),
        },
    )
    first_year = first is not None and first[0] == period.year
    closing: dict[int, Decimal] = {}
    year_opening: dict[int, Decimal] = {}
    for pk in openings.keys() | sums.keys():
        debit, credit, ytd_debit, ytd_credit = openings.get(pk, (ZERO,) * 4)
        buckets = sums.get(pk, {})
        through = buckets.get("through", NO_PAIR)
        before_year = buckets.get("before_year", NO_PAIR)
        closing[pk] = debit - credit + through[0] - through[1]
        year_opening[pk] = debit - credit + before_year[0] - before_year[1]
        if first_year:
            year_opening[pk] -= ytd_debit - ytd_credit
    return BalanceColumns(
        closing=_signed(accounts, closing),
        year_opening=_signed(accounts, year_opening),
    )


def net_activity(
    company: Company,
    *,
    from_period: Period,
    to_period: Period,
    exclude_carry_forward: bool = False,
) -> dict[str, Decimal]:
    """Debit − credit of every account, parents included, over the range of
    posted vouchers. With ``exclude_carry_forward`` the carry-forward of
    profit and loss to 本年利润 (and its reversals) is left out, so profit and
    loss accounts show their activity as before closing."""
    _check_range(company, from_period, to_period)
    accounts = _accounts(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {"within": _within(from_period, to_period)},
    )
    own = {pk: b["within"][0] - b["within"][1] for pk, b in sums.items()}
    if exclude_carry_forward:
        lines = {"within": _within(from_period, to_period, LINE_PERIOD)}
        for pk, closing in _carry_forward_sums(company, lines).items():
            debit, credit = closing["within"]
            own[pk] = own.get(pk, ZERO) - debit + credit
    return _signed(accounts, own)


def profit_and_loss_activity(company: Company, *, period: Period) -> ActivityColumns:
    """The two columns of an income statement in at most five queries: net
    activity without the carry-forward, of ``period`` and of its year through
    it. In the first year of a mid-year start the year-to-date column adds
    the movements before the first period from the opening balances; for
    profit and loss accounts only their own side counts there (revenue its
    credits, expenses their debits), because those figures may include the
    monthly carry-forward to 本年利润, which would cancel them out."""
    _require_company(company, period)
    first = _first_period(company)
    accounts = _accounts(company)
    sums = _bucket_sums(
        PeriodTotal.objects.filter(company=company),
        "account_id",
        {"month": _within(period, period), "ytd": _year_through(period)},
    )
    closings = _carry_forward_sums(
        company,
        {
            "month": _within(period, period, LINE_PERIOD),
            "ytd": _year_through(period, LINE_PERIOD),
        },
    )
    own: dict[str, dict[int, Decimal]] = {"month": {}, "ytd": {}}
    for source, is_closing in ((sums, False), (closings, True)):
        for pk, pairs in source.items():
            for name, (debit, credit) in pairs.items():
                amount = credit - debit if is_closing else debit - credit
                own[name][pk] = own[name].get(pk, ZERO) + amount
    if first is not None and first[0] == period.year:
        for pk, amount in _opening_activity(company, accounts).items():
            own["ytd"][pk] = own["ytd"].get(pk, ZERO) + amount
    return ActivityColumns(
        month=_signed(accounts, own["month"]),
        year_to_date=_signed(accounts, own["ytd"]),
    )


def _opening_activity(
    company: Company, accounts: Sequence[_Account]
) -> dict[int, Decimal]:
    by_id = {account.id: account for account in accounts}
    activity = {}
    for pk, (_debit, _credit, ytd_debit, ytd_credit) in _openings(company).items():
        account = by_id[pk]
        if account.category != AccountCategory.PROFIT_LOSS:
            activity[pk] = ytd_debit - ytd_credit
        elif account.normal_balance == NormalBalance.DEBIT:
            activity[pk] = ytd_debit
        else:
            activity[pk] = ZERO - ytd_credit
    return activity


def _carry_forward_sums(
    company: Company, buckets: Mapping[str, Q]
) -> dict[int, dict[str, Pair]]:
    """Lines of the posted carry-forward vouchers per account; the buckets
    filter on ``voucher__period__``. There are one or two such vouchers a
    period: the subquery finds them through the voucher's source index and
    their lines through the line's voucher index, whatever the volume (the
    state is tested outside, where it would otherwise steer the subquery to
    the index of all posted vouchers)."""
    closing = Voucher.objects.filter(company=company, source_kind=CARRY_FORWARD)
    return _bucket_sums(
        # No company test on the lines themselves: the subquery already
        # scopes them, and SQLite would walk the company's lines by it.
        VoucherLine.objects.filter(
            voucher__in=closing.values("pk"),
            voucher__state=VoucherState.POSTED,
        ),
        "account_id",
        buckets,
    )
