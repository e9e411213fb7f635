"""Periods (会计期间): the year's twelve, closing (结账) with its checklist and
the carry-forward it will post, reopening (反结账); and the opening balances
(期初余额) with their trial-balance check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    AccountCategory,
    Dimension,
    OpeningDimensionBalance,
    Period,
    VoucherState,
)
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.ledger.services.periods import carry_forward_lines
from zhongshu.web.decorators import company_page, require
from zhongshu.web.forms import show_domain_error
from zhongshu.web.forms_ledger import (
    OPENING_SIDES,
    SPLIT_SPARE_ROWS,
    FirstPeriodForm,
    OpeningBalancesForm,
    OpeningSplitForm,
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
    # The page that splits the account's figures by dimension value.
    split_url: str = ""


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
            split_url=(
                reverse("ledger_opening_split", args=[a.pk])
                if a.dimensions and _sides(a, mid_year)
                else ""
            ),
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
            code: _opening_input(figures) for code, figures in form.balances().items()
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


def _opening_input(
    amounts: Mapping[str, Decimal],
    by_dimension: Mapping[str, Mapping[int, services.OpeningFigures]] | None = None,
) -> services.OpeningInput:
    zero = Decimal("0.00")
    return services.OpeningInput(
        debit=amounts.get("debit", zero),
        credit=amounts.get("credit", zero),
        ytd_debit=amounts.get("ytd_debit", zero),
        ytd_credit=amounts.get("ytd_credit", zero),
        by_dimension=by_dimension,
    )


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


# --- opening balances by dimension (辅助核算期初) ------------------------------


@dataclass(frozen=True, slots=True)
class SplitSection:
    """One dimension of the split page: its lines (id, then amounts) and
    what the stored values add up to, beside the account's figures."""

    dimension: str
    label: str
    lines: list[list[BoundField]]
    totals: list[Decimal]


def _stored_split(
    company: Company, account: Account
) -> dict[str, list[OpeningDimensionBalance]]:
    stored: dict[str, list[OpeningDimensionBalance]] = {}
    for row in ledger_selectors.list_opening_dimension_balances(
        company, account=account
    ):
        stored.setdefault(row.dimension, []).append(row)
    return stored


def _split_initial(
    account_figures: dict[str, Decimal],
    stored: dict[str, list[OpeningDimensionBalance]],
    sides: tuple[str, ...],
) -> dict[str, str]:
    def text(amount: Decimal) -> str:
        return f"{amount:.2f}" if amount else ""

    initial = {f"account-{side}": text(account_figures[side]) for side in sides}
    for dimension, rows in stored.items():
        for n, row in enumerate(rows):
            initial[f"{dimension}-{n}-value"] = str(row.value_id)
            for side in sides:
                initial[f"{dimension}-{n}-{side}"] = text(getattr(row, side))
    return initial


def _line_counts(
    request: CompanyPageRequest,
    dimensions: list[str],
    stored: dict[str, list[OpeningDimensionBalance]],
) -> dict[str, int]:
    """As many lines as were posted, or the stored values and some blank."""
    if request.method == "POST":
        return {
            d: int(count)
            if (count := request.POST.get(f"{d}-rows", "")).isdigit()
            else 0
            for d in dimensions
        }
    return {d: len(stored.get(d, [])) + SPLIT_SPARE_ROWS for d in dimensions}


@company_page(permission=VIEW)
@require_http_methods(["GET", "POST"])
def opening_split(request: CompanyPageRequest, account_id: int) -> HttpResponse:
    """辅助核算期初: one account's opening figures split by customer,
    supplier, ... (each dimension it requires); the split must add up to
    the account's figures, which are entered here too."""
    company = request.company
    account = ledger_selectors.get_account(company, account_id)
    sides = _sides(account, books(company).first_period > 1)
    dimensions = (
        [d for d in account.dimensions if d in Dimension.values] if sides else []
    )
    stored = _stored_split(company, account)
    opening = ledger_selectors.list_opening_balances(company).filter(account=account)
    figures = {
        side: getattr(opening[0], side) if opening else Decimal("0.00")
        for side in OPENING_SIDES
    }
    form = OpeningSplitForm(
        request.POST if request.method == "POST" else None,
        sides=sides,
        rows=_line_counts(request, dimensions, stored),
        initial=_split_initial(figures, stored, sides),
    )
    if request.method == "POST":
        require(request, CLOSE)
        if form.is_valid() and _save_split(request, account, form):
            return redirect("ledger_opening_split", account_id=account.pk)
    locked = _is_locked(request)
    return render(
        request,
        "web/ledger/opening_split.html",
        {
            "account": account,
            "form": form,
            "sides": sides,
            "account_fields": [form[f"account-{side}"] for side in sides],
            "sections": [
                SplitSection(
                    dimension=d,
                    label=str(Dimension(d).label),
                    lines=form.lines(d),
                    totals=[
                        sum((getattr(r, side) for r in stored.get(d, [])), Decimal(0))
                        for side in sides
                    ],
                )
                for d in dimensions
            ],
            "can_edit": may(request, CLOSE) and not locked,
            "locked": locked,
        },
    )


def _save_split(
    request: CompanyPageRequest, account: Account, form: OpeningSplitForm
) -> bool:
    by_dimension = {
        dimension: {
            value_id: services.OpeningFigures(**amounts)
            for value_id, amounts in values.items()
        }
        for dimension, values in form.splits().items()
    }
    try:
        services.set_opening_balances(
            company=request.company,
            actor=acting_user(request),
            balances={
                account.code: _opening_input(
                    form.account_figures(), by_dimension=by_dimension
                )
            },
        )
    except DomainError as error:
        show_domain_error(form, error)
        return False
    done(
        request,
        _("The opening balances of %(account)s are saved.") % {"account": account},
    )
    return True
