"""What the ledger's pages share: the company's periods and accounts as the
pages name them, and small helpers for rendering."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhongshu.core import clock
from zhongshu.core.errors import DomainError, NotFoundError
from zhongshu.core.models import Company
from zhongshu.ledger import permissions
from zhongshu.ledger.models import Account, LedgerSettings, Period
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.ledger.services import books_of
from zhongshu.web.decorators import can
from zhongshu.web.forms_ledger import period_choices, period_key
from zhongshu.web.http import CompanyPageRequest

VIEW = permissions.VIEW_LEDGER.code
MANAGE_ACCOUNTS = permissions.MANAGE_ACCOUNTS.code
ENTER = permissions.ENTER_VOUCHERS.code
REVIEW = permissions.REVIEW_VOUCHERS.code
POST = permissions.POST_VOUCHERS.code
UNPOST = permissions.UNPOST_VOUCHERS.code
CLOSE = permissions.CLOSE_PERIODS.code
REOPEN = permissions.REOPEN_PERIODS.code


def books(company: Company) -> LedgerSettings:
    """The company's ledger settings; a company that never opened its books
    gets them set up on first visit, as the ledger does on first use."""
    return books_of(company)


def may(request: CompanyPageRequest, permission: str) -> bool:
    """Whether to offer a write: permitted and the company is writable."""
    return can(request, permission) and not request.company_read_only


def periods_of(company: Company) -> list[Period]:
    periods = list(ledger_selectors.list_periods(company))
    if not periods:
        # Books set up but no period yet: the first year's are made on use.
        books(company)
        periods = list(ledger_selectors.list_periods(company))
    return periods


def current_period(periods: list[Period]) -> Period | None:
    """The period containing today, else the latest one."""
    today = clock.today()
    for period in periods:
        if period.start_on <= today <= period.end_on:
            return period
    return periods[-1] if periods else None


def current_key(periods: list[Period]) -> str:
    period = current_period(periods)
    return period_key(period) if period is not None else ""


def choices_of(periods: list[Period]) -> list[tuple[str, str]]:
    return period_choices(periods)


def period_named(company: Company, key: str) -> Period:
    period = ledger_selectors.find_period(company, key)
    if period is None:
        raise NotFoundError()
    return period


@dataclass(frozen=True, slots=True)
class AccountName:
    code: str
    name: str
    # 应交税费—应交增值税—进项税额: a sub-account named with its ancestors.
    full_name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.full_name}"


def account_names(accounts: Iterable[Account]) -> dict[int, AccountName]:
    """Full names of a whole chart, from one list of its accounts."""
    by_id = {account.pk: account for account in accounts}
    names: dict[int, AccountName] = {}
    for account in by_id.values():
        parts = [account.name]
        parent_id = account.parent_id
        while parent_id is not None and parent_id in by_id:
            parent = by_id[parent_id]
            parts.append(parent.name)
            parent_id = parent.parent_id
        names[account.pk] = AccountName(
            code=account.code, name=account.name, full_name="—".join(reversed(parts))
        )
    return names


def account_choices(
    company: Company, *, leaves_only: bool = False, active_only: bool = False
) -> list[tuple[int, str]]:
    accounts = list(ledger_selectors.list_accounts(company, active_only=active_only))
    names = account_names(accounts)
    return [(a.pk, names[a.pk].label) for a in accounts if a.is_leaf or not leaves_only]


def report_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def done(request: HttpRequest, message: str) -> None:
    messages.success(request, message)


def voucher_label(number: str) -> str:
    return _("Voucher %(number)s") % {"number": number}
