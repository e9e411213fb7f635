"""Reads of accounts, account roles, periods and vouchers, scoped to a company.

Every ``get_*`` answers ``NotFoundError`` for an id of another company, so the
API and the pages cannot even confirm that such a row exists.
"""

from __future__ import annotations

import re

from django.db.models import F, Prefetch, QuerySet

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.ledger import chart
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    LedgerSettings,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
    Voucher,
    VoucherLine,
)

# How periods are named where people type them: fiscal year and period
# number, as ``Period.__str__`` prints them.
PERIOD_KEY = re.compile(r"^(\d{4})-(\d{1,2})$")


# --- accounts -------------------------------------------------------------------


def list_accounts(company: Company, *, active_only: bool = False) -> QuerySet[Account]:
    """The chart of accounts in code order (a parent before its sub-accounts)."""
    accounts = (
        Account.objects.filter(company=company)
        .select_related("parent")
        .order_by("code")
    )
    return accounts.filter(is_active=True) if active_only else accounts


def get_account(company: Company, account_id: int) -> Account:
    account = list_accounts(company).filter(pk=account_id).first()
    if account is None:
        raise NotFoundError()
    return account


def find_account(company: Company, code: str) -> Account | None:
    """The account with this code, None when the chart has none."""
    return list_accounts(company).filter(code=code.strip()).first()


def account_role_names() -> list[str]:
    """The roles other modules resolve (``chart.Role``)."""
    return sorted(
        value
        for name, value in vars(chart.Role).items()
        if name.isupper() and isinstance(value, str)
    )


def list_account_roles(company: Company) -> QuerySet[AccountRole]:
    return (
        AccountRole.objects.filter(company=company)
        .select_related("account")
        .order_by("role", "key_kind", "key_id")
    )


# --- opening balances -----------------------------------------------------------


def books_settings(company: Company) -> LedgerSettings | None:
    """The company's ledger settings, None before its books are set up (a
    read never sets them up)."""
    return LedgerSettings.objects.filter(company=company).first()


def list_opening_balances(company: Company) -> QuerySet[OpeningBalance]:
    return (
        OpeningBalance.objects.filter(company=company)
        .select_related("account")
        .order_by("account__code")
    )


def list_opening_dimension_balances(
    company: Company, *, account: Account | None = None
) -> QuerySet[OpeningDimensionBalance]:
    """辅助核算期初: opening figures by dimension value, of one account or all."""
    rows = (
        OpeningDimensionBalance.objects.filter(company=company)
        .select_related("account")
        .order_by("account__code", "dimension", "value_id")
    )
    return rows.filter(account=account) if account is not None else rows


# --- periods --------------------------------------------------------------------


def list_periods(company: Company, year: int | None = None) -> QuerySet[Period]:
    periods = (
        Period.objects.filter(company=company)
        .select_related("closed_by")
        .order_by("year", "number")
    )
    return periods.filter(year=year) if year is not None else periods


def get_period(company: Company, period_id: int) -> Period:
    period = list_periods(company).filter(pk=period_id).first()
    if period is None:
        raise NotFoundError()
    return period


def parse_period_key(key: str) -> tuple[int, int] | None:
    """``"2026-03"`` → ``(2026, 3)``: fiscal year and period number."""
    match = PERIOD_KEY.match(key.strip())
    if match is None:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    return (year, number) if 1 <= number <= 12 else None


def find_period(company: Company, key: str) -> Period | None:
    """The company's period named ``"YYYY-MM"``; None if malformed or absent."""
    parsed = parse_period_key(key)
    if parsed is None:
        return None
    year, number = parsed
    return list_periods(company).filter(year=year, number=number).first()


# --- vouchers -------------------------------------------------------------------


def _with_lines(vouchers: QuerySet[Voucher]) -> QuerySet[Voucher]:
    lines = VoucherLine.objects.select_related("account").order_by("line_no")
    return vouchers.select_related(
        "period", "maker", "reviewed_by", "posted_by", "reversal_of__period"
    ).prefetch_related(
        Prefetch("lines", queryset=lines),
        Prefetch(
            "reversals",
            queryset=Voucher.objects.select_related("period").order_by("id"),
        ),
    )


def list_vouchers(
    company: Company,
    *,
    period: Period | None = None,
    year: int | None = None,
    period_number: int | None = None,
    state: str | None = None,
    word: str | None = None,
    source_kind: str | None = None,
    source_id: int | None = None,
) -> QuerySet[Voucher]:
    """Vouchers by period, then word and number (drafts, unnumbered, last
    within their word), with their lines and accounts loaded."""
    vouchers = Voucher.objects.filter(company=company)
    if period is not None:
        vouchers = vouchers.filter(period=period)
    if year is not None:
        vouchers = vouchers.filter(period__year=year)
    if period_number is not None:
        vouchers = vouchers.filter(period__number=period_number)
    if state:
        vouchers = vouchers.filter(state=state)
    if word:
        vouchers = vouchers.filter(word=word)
    if source_kind:
        vouchers = vouchers.filter(source_kind=source_kind)
    if source_id is not None:
        vouchers = vouchers.filter(source_id=source_id)
    return _with_lines(vouchers).order_by(
        "period__year",
        "period__number",
        "word",
        F("number").asc(nulls_last=True),
        "id",
    )


def get_voucher(company: Company, voucher_id: int) -> Voucher:
    voucher = _with_lines(
        Voucher.objects.filter(company=company, pk=voucher_id)
    ).first()
    if voucher is None:
        raise NotFoundError()
    return voucher


def vouchers_of_source(company: Company, kind: str, id: int) -> QuerySet[Voucher]:
    """The vouchers a source document produced, its reversals included."""
    return _with_lines(
        Voucher.objects.filter(company=company, source_kind=kind, source_id=id)
    ).order_by("id")
