"""The ledger's reports: 科目余额表, 总分类账, 明细分类账, 辅助核算余额表,
凭证汇总表, and their Excel and PDF downloads. Every figure links down to the
report or voucher behind it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zhongshu.core.downloads import attachment
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.ledger import exports
from zhongshu.ledger.models import Account, Period
from zhongshu.ledger.selectors import reports as report_selectors
from zhongshu.ledger.selectors import statements
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.web.decorators import company_page
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import (
    AccountRangeForm,
    DimensionBalanceForm,
    PeriodForm,
    PeriodRangeForm,
    TrialBalanceForm,
    YearAccountForm,
    period_key,
)
from zhongshu.web.http import CompanyPageRequest
from zhongshu.web.templatetags.ledger_tags import side_label
from zhongshu.web.views.ledger.common import (
    VIEW,
    account_choices,
    choices_of,
    current_key,
    current_period,
    period_named,
    periods_of,
)

DETAIL_LINES_PER_PAGE = 100


def range_label(first: Period, last: Period) -> str:
    if first.pk == last.pk:
        return period_key(first)
    return f"{period_key(first)} – {period_key(last)}"


def wanted_format(request: HttpRequest) -> str:
    """ "xlsx" or "pdf" for a download, "" for the page."""
    value = request.GET.get("format", "")
    return value if value in {"xlsx", "pdf"} else ""


def table_download(
    company: Company, table: exports.Table, fmt: str, filename: str
) -> HttpResponse:
    """A report laid out as a plain table, as Excel or PDF."""
    if fmt == "xlsx":
        return attachment(
            exports.table_xlsx(company, table),
            f"{filename}.xlsx",
            exports.XLSX_CONTENT_TYPE,
        )
    return attachment(
        exports.table_pdf(company, table), f"{filename}.pdf", exports.PDF_CONTENT_TYPE
    )


def detail_url(account_id: int, first: Period, last: Period, **extra: Any) -> str:
    """The drill-down target of a figure: the account's detail ledger."""
    query = {
        "account": account_id,
        "from_period": period_key(first),
        "to_period": period_key(last),
        **extra,
    }
    return f"{reverse('ledger_account_detail')}?{urlencode(query)}"


def _range(company: Company, form: PeriodRangeForm) -> tuple[Period, Period]:
    data = form.cleaned_data
    return (
        period_named(company, data["from_period"]),
        period_named(company, data["to_period"]),
    )


def _default_range(periods: list[Period]) -> dict[str, str]:
    key = current_key(periods)
    return {"from_period": key, "to_period": key}


# --- 科目余额表 --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkedRow:
    """A report row and where each of its figures leads."""

    row: Any
    url: str


@company_page(permission=VIEW)
@require_safe
def trial_balance(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    form = TrialBalanceForm(
        request.GET or None,
        periods=choices_of(periods),
        initial=_default_range(periods),
    )
    report = None
    rows: list[LinkedRow] = []
    if form.is_valid():
        first, last = _range(company, form)
        try:
            report = report_selectors.trial_balance(
                company,
                from_period=first,
                to_period=last,
                level=form.cleaned_data["level"],
                include_zero=form.cleaned_data["include_zero"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            fmt = wanted_format(request)
            if fmt:
                table = exports.trial_balance_table(report, range_label(first, last))
                return table_download(company, table, fmt, "trial-balance")
            chosen = _chosen_accounts(request)
            rows = [
                LinkedRow(row, detail_url(row.account_id, first, last))
                for row in report.rows
                if not chosen or row.code.startswith(chosen)
            ]
    return render(
        request,
        "web/ledger/trial_balance.html",
        {
            "form": form,
            "report": report,
            "rows": rows,
            "chosen": _chosen_accounts(request),
        },
    )


def _chosen_accounts(request: HttpRequest) -> tuple[str, ...]:
    """Accounts a statement figure drilled down to (``accounts=1001,1002``):
    the trial balance then shows only them and their sub-accounts."""
    return tuple(
        code for code in request.GET.get("accounts", "").split(",") if code.isdigit()
    )


# --- 总分类账 ---------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def general_ledger(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    accounts = account_choices(company)
    years = sorted({p.year for p in periods})
    today = current_period(periods)
    form = YearAccountForm(
        request.GET or None,
        accounts=accounts,
        years=years,
        initial={
            "account": accounts[0][0] if accounts else "",
            "year": today.year if today else "",
        },
    )
    account: Account | None = None
    links: list[LinkedRow] = []
    if form.is_valid():
        account = ledger_selectors.get_account(company, form.cleaned_data["account"])
        year = form.cleaned_data["year"]
        rows: list[report_selectors.GeneralLedgerRow] = []
        try:
            rows = report_selectors.general_ledger(company, account=account, year=year)
        except DomainError as error:
            show_domain_error(form, error)
        fmt = wanted_format(request)
        if fmt and rows:
            return _general_ledger_download(company, account, year, rows, fmt)
        by_number = {p.number: p for p in periods if p.year == year}
        links = [
            LinkedRow(row, _general_ledger_link(account, row, by_number))
            for row in rows
        ]
    return render(
        request,
        "web/ledger/general_ledger.html",
        {"form": form, "account": account, "rows": links},
    )


def _general_ledger_download(
    company: Company,
    account: Account,
    year: int,
    rows: list[report_selectors.GeneralLedgerRow],
    fmt: str,
) -> HttpResponse:
    table = exports.general_ledger_table(
        rows, account_label=f"{account.code} {account.name}", year=year
    )
    return table_download(company, table, fmt, "general-ledger")


def _general_ledger_link(
    account: Account | None,
    row: report_selectors.GeneralLedgerRow,
    periods: dict[int, Period],
) -> str:
    """本月合计 opens the month's detail, 本年累计 the year's up to it."""
    period = periods.get(row.period_number) if row.period_number else None
    if account is None or period is None or row.kind == "opening":
        return ""
    first = periods.get(1, period) if row.kind == "year_to_date" else period
    return detail_url(account.pk, first, period)


# --- 明细分类账 --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DetailRow:
    """A row of the detail ledger page: the opening line, each posting
    (linked to its voucher), and the totals (which have no voucher)."""

    date: datetime.date | None
    voucher_number: str
    voucher_id: int | None
    summary: str
    debit: Decimal
    credit: Decimal
    side: str
    balance: Decimal
    is_total: bool = False


def detail_rows(
    detail: report_selectors.AccountDetail, *, with_totals: bool
) -> list[DetailRow]:
    rows = [
        DetailRow(
            date=detail.from_period.start_on,
            voucher_number="",
            voucher_id=None,
            summary=_("Opening balance"),
            debit=Decimal("0.00"),
            credit=Decimal("0.00"),
            side=side_label(detail.opening_direction),
            balance=detail.opening_balance,
            is_total=True,
        )
    ]
    rows += [
        DetailRow(
            date=line.date,
            voucher_number=line.voucher_number,
            voucher_id=line.voucher_id,
            summary=line.summary,
            debit=line.debit,
            credit=line.credit,
            side=side_label(line.direction),
            balance=line.balance,
        )
        for line in detail.lines
    ]
    if with_totals:
        rows.append(
            DetailRow(
                date=detail.to_period.end_on,
                voucher_number="",
                voucher_id=None,
                summary=_("Total for the range"),
                debit=detail.period_debit,
                credit=detail.period_credit,
                side=side_label(detail.closing_direction),
                balance=detail.closing_balance,
                is_total=True,
            )
        )
    return rows


def _detail_of(
    company: Company,
    form: AccountRangeForm,
    request: HttpRequest,
    *,
    offset: int,
    limit: int,
) -> report_selectors.AccountDetail:
    first, last = _range(company, form)
    account = ledger_selectors.get_account(company, form.cleaned_data["account"])
    dimension = request.GET.get("dimension", "")
    value = request.GET.get("value", "")
    if dimension and value.isdigit():
        return report_selectors.dimension_detail(
            company,
            account=account,
            dimension=dimension,
            value_id=int(value),
            from_period=first,
            to_period=last,
            limit=limit,
            offset=offset,
        )
    return report_selectors.account_detail(
        company,
        account=account,
        from_period=first,
        to_period=last,
        limit=limit,
        offset=offset,
    )


def _offset(request: HttpRequest) -> int:
    value = request.GET.get("offset", "0")
    return int(value) if value.isdigit() else 0


@company_page(permission=VIEW)
@require_safe
def account_detail(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    accounts = account_choices(company)
    form = AccountRangeForm(
        request.GET or None,
        periods=choices_of(periods),
        accounts=accounts,
        initial={
            **_default_range(periods),
            "account": accounts[0][0] if accounts else "",
        },
    )
    detail: report_selectors.AccountDetail | None = None
    rows: list[DetailRow] = []
    fmt = wanted_format(request)
    if form.is_valid():
        try:
            detail = _detail_of(
                company,
                form,
                request,
                offset=0 if fmt else _offset(request),
                limit=report_selectors.MAX_PAGE if fmt else DETAIL_LINES_PER_PAGE,
            )
        except DomainError as error:
            show_domain_error(form, error)
    if detail is not None:
        if fmt:
            table = exports.account_detail_table(
                detail, range_label(detail.from_period, detail.to_period)
            )
            return table_download(company, table, fmt, "account-detail")
        rows = detail_rows(detail, with_totals=not detail.has_more)
    return render(
        request,
        "web/ledger/account_detail.html",
        {
            "form": form,
            "detail": detail,
            "rows": rows,
            "next_offset": (
                detail.offset + detail.limit if detail and detail.has_more else None
            ),
        },
    )


# --- 辅助核算余额表 ------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def dimension_balances(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    tracked = [
        (a.pk, f"{a.code} {a.name}")
        for a in ledger_selectors.list_accounts(company)
        if a.dimensions
    ]
    form = _dimension_form(request, periods, tracked)
    rows: list[LinkedRow] = []
    account = None
    if form.is_valid():
        first, last = _range(company, form)
        account = ledger_selectors.get_account(company, form.cleaned_data["account"])
        dimension = form.cleaned_data["dimension"]
        try:
            found = report_selectors.dimension_balances(
                company,
                account=account,
                dimension=dimension,
                from_period=first,
                to_period=last,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            fmt = wanted_format(request)
            if fmt:
                table = exports.dimension_balances_table(
                    found,
                    account_label=f"{account.code} {account.name}",
                    dimension=dimension,
                    period_label=range_label(first, last),
                )
                return table_download(company, table, fmt, "dimension-balances")
            rows = [
                LinkedRow(
                    row,
                    detail_url(
                        account.pk, first, last, dimension=dimension, value=row.value_id
                    ),
                )
                for row in found
            ]
    return render(
        request,
        "web/ledger/dimension_balances.html",
        {"form": form, "rows": rows, "account": account, "has_accounts": bool(tracked)},
    )


def _dimension_form(
    request: HttpRequest, periods: list[Period], accounts: list[tuple[int, str]]
) -> DimensionBalanceForm:
    return DimensionBalanceForm(
        request.GET or None,
        periods=choices_of(periods),
        accounts=accounts,
        initial={
            **_default_range(periods),
            "account": accounts[0][0] if accounts else "",
        },
    )


# --- 凭证汇总表 --------------------------------------------------------------------


@company_page(permission=VIEW)
@require_safe
def voucher_summary(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    form = PeriodRangeForm(
        request.GET or None,
        periods=choices_of(periods),
        initial=_default_range(periods),
    )
    summary: report_selectors.VoucherSummary | None = None
    rows: list[LinkedRow] = []
    if form.is_valid():
        first, last = _range(company, form)
        try:
            summary = report_selectors.voucher_summary(
                company, from_period=first, to_period=last
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            rows = [
                LinkedRow(row, detail_url(row.account_id, first, last))
                for row in summary
            ]
            fmt = wanted_format(request)
            if fmt:
                table = exports.voucher_summary_table(summary, range_label(first, last))
                return table_download(company, table, fmt, "voucher-summary")
    return render(
        request,
        "web/ledger/voucher_summary.html",
        {"form": form, "summary": summary, "rows": rows},
    )


# --- 资产负债表 and 利润表 ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    value: Decimal | None
    url: str


@dataclass(frozen=True, slots=True)
class StatementRow:
    """A statement line as shown: its label in the page's language and each
    figure with the report behind it."""

    number: int | None
    label: str
    indent: int
    figures: list[Figure]
    is_heading: bool
    is_total: bool


def _chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _column_range(
    column: str, period: Period, year_start: Period
) -> tuple[Period, Period]:
    """The periods behind a statement column: the month, the year to date,
    or the start of the year (whose opening balance the column shows)."""
    if column == "month":
        return period, period
    if column == "year_opening":
        return year_start, year_start
    return year_start, period


def _figure_url(
    terms: Iterable[statements.StatementTerm],
    columns: tuple[Period, Period],
    codes: dict[str, int],
) -> str:
    """One account: its detail ledger; several: the trial balance of them."""
    first, last = columns
    known = [term.code for term in terms if term.code in codes]
    if not known:
        return ""
    if len(known) == 1:
        return detail_url(codes[known[0]], first, last)
    query = {
        "from_period": period_key(first),
        "to_period": period_key(last),
        "accounts": ",".join(known),
    }
    return f"{reverse('ledger_trial_balance')}?{urlencode(query)}"


def _statement_rows(
    statement: statements.Statement, periods: list[Period], codes: dict[str, int]
) -> list[StatementRow]:
    period = statement.period
    year_start = next(
        (p for p in periods if p.year == period.year and p.number == 1), period
    )
    keys = [column.key for column in statement.columns]
    chinese = _chinese()
    rows = []
    for line in statement.lines:
        ranges = [_column_range(key, period, year_start) for key in keys]
        figures = [
            Figure(value, _figure_url(line.terms, ranges[index], codes))
            for index, value in enumerate(line.values)
        ] or [Figure(None, "")] * len(keys)
        rows.append(
            StatementRow(
                number=line.row,
                label=line.label if chinese else line.label_en,
                indent=line.indent,
                figures=figures,
                is_heading=line.is_heading,
                is_total=line.is_total,
            )
        )
    return rows


def _statement_page(request: CompanyPageRequest, kind: str) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    form = PeriodForm(
        request.GET or None,
        periods=choices_of(periods),
        initial={"period": current_key(periods)},
    )
    statement = None
    rows: list[StatementRow] = []
    if form.is_valid():
        period = period_named(company, form.cleaned_data["period"])
        select = (
            statements.balance_sheet
            if kind == "balance_sheet"
            else statements.income_statement
        )
        statement = select(company, period=period)
        fmt = wanted_format(request)
        if fmt:
            table = exports.statement_table(statement, period_key(period))
            return table_download(company, table, fmt, kind.replace("_", "-"))
        codes = {a.code: a.pk for a in ledger_selectors.list_accounts(company)}
        rows = _statement_rows(statement, periods, codes)
    return render(
        request,
        "web/ledger/statement.html",
        {
            "form": form,
            "statement": statement,
            "rows": rows,
            "halves": _halves(statement, rows) if statement else None,
            **_statement_labels(statement),
        },
    )


def _statement_labels(statement: statements.Statement | None) -> dict[str, Any]:
    """The title and column labels in the page's language."""
    if statement is None:
        return {"title": "", "columns": []}
    if _chinese():
        return {
            "title": statement.title,
            "columns": [column.label for column in statement.columns],
        }
    return {
        "title": statement.title_en,
        "columns": [column.label_en for column in statement.columns],
    }


def _halves(
    statement: statements.Statement, rows: list[StatementRow]
) -> list[list[StatementRow]]:
    """A balance sheet reads as two facing halves: assets on the left,
    liabilities and equity on the right (split after the assets total)."""
    if statement.check_rows is None:
        return [rows]
    split_after = statement.check_rows[0]
    index = next((i for i, row in enumerate(rows) if row.number == split_after), None)
    if index is None:
        return [rows]
    return [rows[: index + 1], rows[index + 1 :]]


@company_page(permission=VIEW)
@require_safe
def balance_sheet(request: CompanyPageRequest) -> HttpResponse:
    return _statement_page(request, "balance_sheet")


@company_page(permission=VIEW)
@require_safe
def income_statement(request: CompanyPageRequest) -> HttpResponse:
    return _statement_page(request, "income_statement")
