"""Periods (会计期间): the year's twelve, closing (结账) with its checklist and
the carry-forward it will post, reopening (反结账); and the opening balances
(期初余额) with their trial-balance check."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.ledger import services
from zhongshu.ledger.models import Account, AccountCategory, Period, VoucherState
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.ledger.services.periods import carry_forward_lines
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import (
    OPENING_SIDES,
    FirstPeriodForm,
    OpeningBalancesForm,
    period_key,
)
from zhongshu.web.http import CompanyPageRequest, acting_user
from zhongshu.web.views.ledger.common import (
    CLOSE,
    REOPEN,
    VIEW,
    account_names,
    books,
    current_period,
    done,
    may,
    periods_of,
    report_error,
)


def _periods_url(period: Period) -> str:
    return f"{reverse('ledger_periods')}?year={period.year}"


@company_page(permission=VIEW)
@require_http_methods(["GET"])
def period_list(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    periods = periods_of(company)
    years = sorted({p.year for p in periods})
    today = current_period(periods)
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else None
    if year is None:
        year = today.year if today is not None else (years[-1] if years else 0)
    shown = [p for p in periods if p.year == year]
    first_open = next((p for p in periods if not p.is_closed), None)
    last_closed = next((p for p in reversed(periods) if p.is_closed), None)
    return render(
        request,
        "web/ledger/periods.html",
        {
            "periods": shown,
            "years": years,
            "year": year,
            "first_open": first_open,
            "last_closed": last_closed,
            "keys": {p.pk: period_key(p) for p in shown},
            "can_close": may(request, CLOSE),
            "can_reopen": may(request, REOPEN),
        },
    )


@dataclass(frozen=True, slots=True)
class PreviewLine:
    summary: str
    account: str
    debit: Decimal
    credit: Decimal


@company_page(permission=CLOSE)
@require_http_methods(["GET", "POST"])
def period_close(request: CompanyPageRequest, period_id: int) -> HttpResponse:
    company = request.company
    period = ledger_selectors.get_period(company, period_id)
    if request.method == "POST":
        try:
            services.close_period(
                company=company, actor=acting_user(request), period=period
            )
        except DomainError as error:
            report_error(request, error)
            return redirect("ledger_period_close", period_id=period.pk)
        done(request, _("Period %(period)s is closed.") % {"period": period})
        return redirect(_periods_url(period))
    problems = services.closing_checklist(company, period)
    preview: list[PreviewLine] = []
    if not problems:
        names = account_names(ledger_selectors.list_accounts(company))
        preview = [
            PreviewLine(
                summary=line.summary,
                account=names[int(line.account)].label,
                debit=line.debit,
                credit=line.credit,
            )
            for line in carry_forward_lines(company, period)
        ]
    return render(
        request,
        "web/ledger/period_close.html",
        {
            "period": period,
            "problems": problems,
            "preview": preview,
            "can_close": may(request, CLOSE),
        },
    )


@company_page(permission=REOPEN)
@require_POST
def period_reopen(request: CompanyPageRequest, period_id: int) -> HttpResponse:
    company = request.company
    period = ledger_selectors.get_period(company, period_id)
    try:
        services.reopen_period(
            company=company, actor=acting_user(request), period=period
        )
    except DomainError as error:
        report_error(request, error)
    else:
        done(request, _("Period %(period)s is open again.") % {"period": period})
    return redirect(_periods_url(period))


# --- opening balances ---------------------------------------------------------


@dataclass(slots=True)
class OpeningRow:
    account: Account
    full_name: str
    fields: list[BoundField] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _sides(account: Account, mid_year: bool) -> tuple[str, ...]:
    """Which columns an account takes: profit and loss accounts start every
    year empty, so they only have year-to-date figures (of a mid-year start)."""
    if not account.is_leaf or not account.is_active:
        return ()
    balance = (
        () if account.category == AccountCategory.PROFIT_LOSS else OPENING_SIDES[:2]
    )
    return balance + (OPENING_SIDES[2:] if mid_year else ())


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def opening_balances(request: CompanyPageRequest) -> HttpResponse:
    company = request.company
    settings = books(company)
    mid_year = settings.first_period > 1
    accounts = list(ledger_selectors.list_accounts(company))
    existing = {
        row.account_id: row for row in ledger_selectors.list_opening_balances(company)
    }
    cells = [(a.code, side) for a in accounts for side in _sides(a, mid_year)]
    initial = {
        f"{row.account.code}-{side}": (
            f"{getattr(row, side):.2f}" if getattr(row, side) else ""
        )
        for row in existing.values()
        for side in OPENING_SIDES
    }
    form = OpeningBalancesForm(
        request.POST if request.POST.get("action") == "balances" else None,
        cells=cells,
        initial=initial,
    )
    first_form = FirstPeriodForm(
        request.POST if request.POST.get("action") == "first_period" else None,
        initial={"year": settings.first_year, "period": settings.first_period},
    )
    if request.method == "POST":
        require(request, CLOSE)
        response = _save_opening(request, form, first_form)
        if response is not None:
            return response
    names = account_names(accounts)
    rows = [
        OpeningRow(
            account=a,
            full_name=names[a.pk].full_name,
            fields=[form[f"{a.code}-{side}"] for side in _sides(a, mid_year)],
        )
        for a in accounts
    ]
    locked = _is_locked(request)
    return render(
        request,
        "web/ledger/opening_balances.html",
        {
            "form": form,
            "first_form": first_form,
            "rows": rows,
            "mid_year": mid_year,
            "settings": settings,
            "check": services.opening_trial_balance(company),
            "can_edit": may(request, CLOSE) and not locked,
            "locked": locked,
        },
    )


def _is_locked(request: CompanyPageRequest) -> bool:
    """Opening figures are frozen once anything is posted or closed (the
    service refuses then; the page shows them read-only)."""
    company = request.company
    return ledger_selectors.list_vouchers(
        company, state=VoucherState.POSTED
    ).exists() or any(p.is_closed for p in ledger_selectors.list_periods(company))


def _save_opening(
    request: CompanyPageRequest,
    form: OpeningBalancesForm,
    first_form: FirstPeriodForm,
) -> HttpResponse | None:
    company, actor = request.company, acting_user(request)
    if first_form.is_bound and first_form.is_valid():
        try:
            services.set_first_period(
                company=company,
                actor=actor,
                year=first_form.cleaned_data["year"],
                period=first_form.cleaned_data["period"],
            )
        except DomainError as error:
            show_domain_error(first_form, error)
            return None
        done(request, _("The books now start in the chosen period."))
        return redirect("ledger_opening_balances")
    if form.is_bound and form.is_valid():
        balances = {
            code: services.OpeningInput(**figures)
            for code, figures in form.balances().items()
        }
        try:
            services.set_opening_balances(
                company=company, actor=actor, balances=balances
            )
        except DomainError as error:
            _show_opening_error(form, error)
            return None
        check = services.opening_trial_balance(company)
        if check.balanced:
            done(request, _("The opening balances are saved and balance."))
        else:
            report_error(
                request,
                DomainError(
                    _("Saved, but the opening balances differ by %(difference)s.")
                    % {"difference": check.difference or check.ytd_difference}
                ),
            )
        return redirect("ledger_opening_balances")
    return None


def _show_opening_error(form: OpeningBalancesForm, error: DomainError) -> None:
    placed = False
    for name, messages in error.fields.items():
        code = name.removeprefix("balances.")
        target = next((f for f in form.fields if f.startswith(f"{code}-")), None)
        if target is not None:
            for message in messages:
                form.add_error(target, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)
