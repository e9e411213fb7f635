"""The ledger's REST endpoints, mounted at /api/v1/ledger.

Thin: parse, authorize, one service or selector, schema out. Objects named by
id go through ``selectors.vouchers``, which answers 404 for another company's
ids; accounts in bodies are named by code, which only ever finds the
request's company's accounts. Writes run in the API's transaction, so a
refused request writes nothing (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.ledger import permissions, services
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    LedgerSettings,
    Period,
    Voucher,
    VoucherTemplate,
)
from zhongshu.ledger.schemas import (
    AccountDetailOut,
    AccountDetailQuery,
    AccountFilter,
    AccountIn,
    AccountOut,
    AccountPatch,
    AccountRoleIn,
    AccountRoleOut,
    ClosingProblemOut,
    DimensionBalancesOut,
    DimensionBalancesQuery,
    DimensionDetailQuery,
    GeneralLedgerOut,
    GeneralLedgerQuery,
    LedgerSettingsIn,
    LedgerSettingsOut,
    OpeningBalancesIn,
    OpeningBalancesOut,
    OpeningFiguresIn,
    PeriodFilter,
    PeriodOut,
    PeriodRange,
    StatementOut,
    StatementQuery,
    TemplateNameIn,
    TrialBalanceOut,
    TrialBalanceQuery,
    VoucherDateIn,
    VoucherFilter,
    VoucherIn,
    VoucherOut,
    VoucherSummaryOut,
    VoucherSummaryReportOut,
    VoucherTemplateOut,
)
from zhongshu.ledger.selectors import reports, statements, templates
from zhongshu.ledger.selectors import vouchers as selectors
from zhongshu.ledger.services import opening, periods

router = Router(tags=["ledger"])


# --- accounts -------------------------------------------------------------------


@router.get("/accounts", response=list[AccountOut])
@require(permissions.VIEW_LEDGER.code)
def list_accounts(
    request: HttpRequest, filters: Query[AccountFilter]
) -> QuerySet[Account]:
    """The chart of accounts in code order."""
    return selectors.list_accounts(
        api_context(request).company, active_only=filters.active_only
    )


@router.get("/accounts/{account_id}", response=AccountOut)
@require(permissions.VIEW_LEDGER.code)
def get_account(request: HttpRequest, account_id: int) -> Account:
    return selectors.get_account(api_context(request).company, account_id)


@router.post("/accounts", response={201: AccountOut})
@require(permissions.MANAGE_ACCOUNTS.code)
def add_account(request: HttpRequest, payload: AccountIn) -> Status[Account]:
    """A sub-account under ``parent_code``, its code extending the parent's by
    the next segment of the company's code scheme (4-2-2-2 by default)."""
    context = api_context(request)
    account = services.add_account(
        company=context.company,
        actor=context.user,
        parent_code=payload.parent_code,
        code=payload.code,
        name=payload.name,
        dimensions=[str(d.value) for d in payload.dimensions],
    )
    return Status(201, selectors.get_account(context.company, account.pk))


@router.patch("/accounts/{account_id}", response=AccountOut)
@require(permissions.MANAGE_ACCOUNTS.code)
def update_account(
    request: HttpRequest, account_id: int, payload: AccountPatch
) -> Account:
    """Rename, change required dimensions (only without postings), disable
    (only without balance or postings) or enable again."""
    context = api_context(request)
    account = selectors.get_account(context.company, account_id)
    if payload.name is not None or payload.dimensions is not None:
        account = services.update_account(
            account=account,
            actor=context.user,
            name=payload.name if payload.name is not None else account.name,
            dimensions=(
                [str(d.value) for d in payload.dimensions]
                if payload.dimensions is not None
                else account.dimensions
            ),
        )
    if payload.is_active is not None and payload.is_active != account.is_active:
        services.set_account_active(
            account=account, actor=context.user, active=payload.is_active
        )
    return selectors.get_account(context.company, account_id)


@router.get("/account-roles", response=list[AccountRoleOut])
@require(permissions.VIEW_LEDGER.code)
def list_account_roles(request: HttpRequest) -> QuerySet[AccountRole]:
    """Which account each role hits, company-wide and refined."""
    return selectors.list_account_roles(api_context(request).company)


@router.put("/account-roles/{role}", response=AccountRoleOut)
@require(permissions.MANAGE_ACCOUNTS.code)
def set_account_role(
    request: HttpRequest, role: str, payload: AccountRoleIn
) -> AccountRole:
    context = api_context(request)
    if role not in selectors.account_role_names():
        raise NotFoundError(_("There is no account role %(role)s.") % {"role": role})
    refined = payload.refined_by
    return services.set_account_role(
        company=context.company,
        actor=context.user,
        role=role,
        account=_account_by_code(context.company, payload.account, "account"),
        key_kind=refined.kind if refined else "",
        key_id=refined.id if refined else 0,
    )


def _account_by_code(company: Company, code: str, field: str) -> Account:
    account = selectors.find_account(company, code)
    if account is None:
        message = _("There is no account %(code)s.") % {"code": code}
        raise ValidationError(message, fields={field: [message]})
    return account


# --- vouchers -------------------------------------------------------------------


@router.get("/vouchers", response=list[VoucherSummaryOut])
@paginate(PageNumberPagination, page_size=50)
@require(permissions.VIEW_LEDGER.code)
def list_vouchers(
    request: HttpRequest, filters: Query[VoucherFilter]
) -> QuerySet[Voucher]:
    """Vouchers by period, word and number; ``source_kind`` and
    ``source_id`` list the vouchers of one document."""
    return selectors.list_vouchers(
        api_context(request).company,
        year=filters.year,
        period_number=filters.period,
        state=filters.state,
        word=filters.word,
        source_kind=filters.source_kind,
        source_id=filters.source_id,
    )


@router.get("/vouchers/{voucher_id}", response=VoucherOut)
@require(permissions.VIEW_LEDGER.code)
def get_voucher(request: HttpRequest, voucher_id: int) -> Voucher:
    return selectors.get_voucher(api_context(request).company, voucher_id)


@router.post("/vouchers", response={201: VoucherOut})
@require(permissions.ENTER_VOUCHERS.code)
def create_voucher(request: HttpRequest, payload: VoucherIn) -> Status[Voucher]:
    """A draft voucher (manual entry); it reaches the books when another user
    has reviewed it and it is posted."""
    context = api_context(request)
    voucher = services.create_voucher(
        company=context.company,
        actor=context.user,
        date=payload.date,
        lines=payload.line_inputs(),
        word=payload.word,
        attachments=payload.attachments,
    )
    return Status(201, selectors.get_voucher(context.company, voucher.pk))


@router.put("/vouchers/{voucher_id}", response=VoucherOut)
@require(permissions.ENTER_VOUCHERS.code)
def update_voucher(
    request: HttpRequest, voucher_id: int, payload: VoucherIn
) -> Voucher:
    """Replace a draft's date, word, attachments and lines."""
    context = api_context(request)
    services.update_voucher(
        voucher=selectors.get_voucher(context.company, voucher_id),
        actor=context.user,
        date=payload.date,
        lines=payload.line_inputs(),
        word=payload.word,
        attachments=payload.attachments,
    )
    return selectors.get_voucher(context.company, voucher_id)


@router.delete("/vouchers/{voucher_id}", response={204: None})
@require(permissions.ENTER_VOUCHERS.code)
def delete_voucher(request: HttpRequest, voucher_id: int) -> Status[None]:
    """Only an unnumbered draft; a numbered voucher is never deleted."""
    context = api_context(request)
    services.delete_voucher(
        voucher=selectors.get_voucher(context.company, voucher_id), actor=context.user
    )
    return Status(204, None)


VoucherAction = Callable[..., Voucher]


def _act(request: HttpRequest, voucher_id: int, action: VoucherAction) -> Voucher:
    """Run a state change on the company's voucher; answer it as it now is."""
    context = api_context(request)
    action(
        voucher=selectors.get_voucher(context.company, voucher_id), actor=context.user
    )
    return selectors.get_voucher(context.company, voucher_id)


@router.post("/vouchers/{voucher_id}/review", response=VoucherOut)
@require(permissions.REVIEW_VOUCHERS.code)
def review_voucher(request: HttpRequest, voucher_id: int) -> Voucher:
    """审核, by a user other than the maker (403 for the maker)."""
    return _act(request, voucher_id, services.review_voucher)


@router.post("/vouchers/{voucher_id}/unreview", response=VoucherOut)
@require(permissions.UNPOST_VOUCHERS.code)
def unreview_voucher(request: HttpRequest, voucher_id: int) -> Voucher:
    return _act(request, voucher_id, services.unreview_voucher)


@router.post("/vouchers/{voucher_id}/post", response=VoucherOut)
@require(permissions.POST_VOUCHERS.code)
def post_voucher(request: HttpRequest, voucher_id: int) -> Voucher:
    """记账: a reviewed voucher gets its number and reaches the books."""
    return _act(request, voucher_id, services.post_reviewed_voucher)


@router.post("/vouchers/{voucher_id}/unpost", response=VoucherOut)
@require(permissions.UNPOST_VOUCHERS.code)
def unpost_voucher(request: HttpRequest, voucher_id: int) -> Voucher:
    """反记账, only while its period is open; the voucher keeps its number."""
    return _act(request, voucher_id, services.unpost_voucher)


@router.post("/vouchers/{voucher_id}/reverse", response={201: VoucherOut})
@require(permissions.POST_VOUCHERS.code)
def reverse_voucher(
    request: HttpRequest, voucher_id: int, payload: VoucherDateIn
) -> Status[Voucher]:
    """红字冲销: a new voucher with the lines negated, dated in an open period;
    answers the reversal."""
    context = api_context(request)
    reversal = services.reverse_voucher(
        voucher=selectors.get_voucher(context.company, voucher_id),
        actor=context.user,
        date=payload.date,
    )
    return Status(201, selectors.get_voucher(context.company, reversal.pk))


@router.post("/vouchers/{voucher_id}/copy", response={201: VoucherOut})
@require(permissions.ENTER_VOUCHERS.code)
def copy_voucher(
    request: HttpRequest, voucher_id: int, payload: VoucherDateIn
) -> Status[Voucher]:
    """A new draft with the same word, attachments and lines."""
    context = api_context(request)
    voucher = selectors.get_voucher(context.company, voucher_id)
    copy = services.copy_voucher(
        voucher=voucher, actor=context.user, date=payload.date or voucher.date
    )
    return Status(201, selectors.get_voucher(context.company, copy.pk))


# --- periods and opening balances ---------------------------------------------------


@router.get("/periods", response=list[PeriodOut])
@require(permissions.VIEW_LEDGER.code)
def list_periods(
    request: HttpRequest, filters: Query[PeriodFilter]
) -> QuerySet[Period]:
    return selectors.list_periods(api_context(request).company, filters.year)


@router.get("/periods/{period_id}/closing-checklist", response=list[ClosingProblemOut])
@require(permissions.VIEW_LEDGER.code)
def closing_checklist(request: HttpRequest, period_id: int) -> list[Any]:
    """What keeps the period from closing; empty when it may close."""
    company = api_context(request).company
    return periods.closing_checklist(company, selectors.get_period(company, period_id))


@router.post("/periods/{period_id}/close", response=PeriodOut)
@require(permissions.CLOSE_PERIODS.code)
def close_period(request: HttpRequest, period_id: int) -> Period:
    """结账: carries profit and loss to 本年利润 (in period 12 also 本年利润 to
    未分配利润) and closes the period to postings; 409 with the reasons when
    vouchers are unposted or the trial balance does not balance."""
    context = api_context(request)
    periods.close_period(
        company=context.company,
        actor=context.user,
        period=selectors.get_period(context.company, period_id),
    )
    return selectors.get_period(context.company, period_id)


@router.post("/periods/{period_id}/reopen", response=PeriodOut)
@require(permissions.REOPEN_PERIODS.code)
def reopen_period(request: HttpRequest, period_id: int) -> Period:
    """反结账 of the latest closed period; its closing vouchers are reversed."""
    context = api_context(request)
    periods.reopen_period(
        company=context.company,
        actor=context.user,
        period=selectors.get_period(context.company, period_id),
    )
    return selectors.get_period(context.company, period_id)


@router.get("/opening-balances", response=OpeningBalancesOut)
@require(permissions.VIEW_LEDGER.code)
def get_opening_balances(request: HttpRequest) -> dict[str, Any]:
    """期初余额 of the leaf accounts that have any, with the go-live check."""
    return _opening_overview(api_context(request).company)


@router.put("/opening-balances", response=OpeningBalancesOut)
@require(permissions.CLOSE_PERIODS.code)
def set_opening_balances(
    request: HttpRequest, payload: OpeningBalancesIn
) -> dict[str, Any]:
    """Enter or change the figures of the accounts named, and their split by
    dimension value (辅助核算期初); locked once anything is posted or a period
    is closed. A split that does not add up to its account is a 422 naming
    the account, and nothing is written."""
    context = api_context(request)
    opening.set_opening_balances(
        company=context.company,
        actor=context.user,
        balances={
            code.strip(): _opening_input(figures)
            for code, figures in payload.balances.items()
        },
    )
    return _opening_overview(context.company)


def _opening_input(figures: OpeningFiguresIn) -> opening.OpeningInput:
    splits = figures.by_dimension
    return opening.OpeningInput(
        **figures.model_dump(exclude={"by_dimension"}),
        by_dimension=None
        if splits is None
        else {
            str(kind.value): {
                value_id: opening.OpeningFigures(**amounts.model_dump())
                for value_id, amounts in values.items()
            }
            for kind, values in splits.items()
        },
    )


def _opening_overview(company: Company) -> dict[str, Any]:
    books = selectors.books_settings(company)
    return {
        "first_year": books.first_year if books else None,
        "first_period": books.first_period if books else None,
        "rows": selectors.list_opening_balances(company),
        "dimension_rows": selectors.list_opening_dimension_balances(company),
        "check": opening.opening_trial_balance(company),
    }


# --- reports ----------------------------------------------------------------------
# Periods are named "YYYY-MM" (fiscal year, period number) and accounts by
# code in the query string; a name the books do not know is a 422 on it.


def _period(company: Company, key: str, field: str) -> Period:
    period = selectors.find_period(company, key)
    if period is None:
        message = _("There is no period %(period)s in the books.") % {"period": key}
        raise ValidationError(message, fields={field: [message]})
    return period


def _range(company: Company, query: PeriodRange) -> tuple[Period, Period]:
    return (
        _period(company, query.from_period, "from_period"),
        _period(company, query.to_period, "to_period"),
    )


@router.get("/reports/trial-balance", response=TrialBalanceOut)
@require(permissions.VIEW_LEDGER.code)
def trial_balance(
    request: HttpRequest, query: Query[TrialBalanceQuery]
) -> reports.TrialBalance:
    """科目余额表 over periods of one fiscal year."""
    company = api_context(request).company
    first, last = _range(company, query)
    return reports.trial_balance(
        company,
        from_period=first,
        to_period=last,
        level=query.level,
        include_zero=query.include_zero,
    )


@router.get("/reports/general-ledger", response=GeneralLedgerOut)
@require(permissions.VIEW_LEDGER.code)
def general_ledger(
    request: HttpRequest, query: Query[GeneralLedgerQuery]
) -> dict[str, Any]:
    """总分类账: opening balance, then 本月合计 and 本年累计 per period."""
    company = api_context(request).company
    account = _account_by_code(company, query.account, "account")
    return {
        "account": account,
        "year": query.year,
        "rows": reports.general_ledger(company, account=account, year=query.year),
    }


@router.get("/reports/account-detail", response=AccountDetailOut)
@require(permissions.VIEW_LEDGER.code)
def account_detail(
    request: HttpRequest, query: Query[AccountDetailQuery]
) -> reports.AccountDetail:
    """明细分类账, a page of posted lines with the running balance."""
    company = api_context(request).company
    first, last = _range(company, query)
    return reports.account_detail(
        company,
        account=_account_by_code(company, query.account, "account"),
        from_period=first,
        to_period=last,
        limit=query.limit,
        offset=query.offset,
    )


@router.get("/reports/dimension-detail", response=AccountDetailOut)
@require(permissions.VIEW_LEDGER.code)
def dimension_detail(
    request: HttpRequest, query: Query[DimensionDetailQuery]
) -> reports.AccountDetail:
    """辅助明细账 of one dimension value (a customer of 应收账款, ...)."""
    company = api_context(request).company
    first, last = _range(company, query)
    return reports.dimension_detail(
        company,
        account=_account_by_code(company, query.account, "account"),
        dimension=query.dimension.value,
        value_id=query.value_id,
        from_period=first,
        to_period=last,
        limit=query.limit,
        offset=query.offset,
    )


@router.get("/reports/dimension-balances", response=DimensionBalancesOut)
@require(permissions.VIEW_LEDGER.code)
def dimension_balances(
    request: HttpRequest, query: Query[DimensionBalancesQuery]
) -> dict[str, Any]:
    """辅助核算余额表: the account's balances per dimension value."""
    company = api_context(request).company
    first, last = _range(company, query)
    account = _account_by_code(company, query.account, "account")
    return {
        "account": account,
        "dimension": query.dimension.value,
        "from_period": str(first),
        "to_period": str(last),
        "rows": reports.dimension_balances(
            company,
            account=account,
            dimension=query.dimension.value,
            from_period=first,
            to_period=last,
        ),
    }


@router.get("/reports/voucher-summary", response=VoucherSummaryReportOut)
@require(permissions.VIEW_LEDGER.code)
def voucher_summary(request: HttpRequest, query: Query[PeriodRange]) -> dict[str, Any]:
    """凭证汇总表."""
    company = api_context(request).company
    first, last = _range(company, query)
    summary = reports.voucher_summary(company, from_period=first, to_period=last)
    return {
        "from_period": str(first),
        "to_period": str(last),
        "voucher_count": summary.voucher_count,
        "total_debit": summary.total_debit,
        "total_credit": summary.total_credit,
        "rows": list(summary),
    }


@router.get("/reports/balance-sheet", response=StatementOut)
@require(permissions.VIEW_LEDGER.code)
def balance_sheet(
    request: HttpRequest, query: Query[StatementQuery]
) -> statements.Statement:
    """资产负债表 at the end of the period, with 年初余额 beside it."""
    company = api_context(request).company
    return statements.balance_sheet(
        company, period=_period(company, query.period, "period")
    )


@router.get("/reports/income-statement", response=StatementOut)
@require(permissions.VIEW_LEDGER.code)
def income_statement(
    request: HttpRequest, query: Query[StatementQuery]
) -> statements.Statement:
    """利润表 of the period (本月金额) and of its year through it (本年累计)."""
    company = api_context(request).company
    return statements.income_statement(
        company, period=_period(company, query.period, "period")
    )


# --- voucher templates ------------------------------------------------------------


@router.get("/voucher-templates", response=list[VoucherTemplateOut])
@require(permissions.VIEW_LEDGER.code)
def list_voucher_templates(request: HttpRequest) -> QuerySet[VoucherTemplate]:
    """凭证模板 by name."""
    return templates.list_templates(api_context(request).company)


@router.post(
    "/vouchers/{voucher_id}/save-as-template", response={201: VoucherTemplateOut}
)
@require(permissions.ENTER_VOUCHERS.code)
def save_voucher_as_template(
    request: HttpRequest, voucher_id: int, payload: TemplateNameIn
) -> Status[VoucherTemplate]:
    """Keep the voucher's word and lines under a name; 409 when the name is
    taken."""
    context = api_context(request)
    template = services.save_voucher_as_template(
        voucher=selectors.get_voucher(context.company, voucher_id),
        actor=context.user,
        name=payload.name,
    )
    return Status(201, templates.get_template(context.company, template.pk))


@router.post("/voucher-templates/{template_id}/use", response={201: VoucherOut})
@require(permissions.ENTER_VOUCHERS.code)
def use_voucher_template(
    request: HttpRequest, template_id: int, payload: VoucherDateIn
) -> Status[Voucher]:
    """A new draft with the template's word and lines, dated ``date`` (today
    by default); refused like any entry when an account no longer takes
    postings."""
    context = api_context(request)
    voucher = services.create_voucher_from_template(
        template=templates.get_template(context.company, template_id),
        actor=context.user,
        date=payload.date or clock.today(),
    )
    return Status(201, selectors.get_voucher(context.company, voucher.pk))


@router.delete("/voucher-templates/{template_id}", response={204: None})
@require(permissions.ENTER_VOUCHERS.code)
def delete_voucher_template(request: HttpRequest, template_id: int) -> Status[None]:
    context = api_context(request)
    services.delete_template(
        template=templates.get_template(context.company, template_id),
        actor=context.user,
    )
    return Status(204, None)


# --- settings -----------------------------------------------------------------------


@router.get("/settings", response=LedgerSettingsOut)
@require(permissions.VIEW_LEDGER.code)
def get_ledger_settings(request: HttpRequest) -> LedgerSettings:
    return services.books_of(api_context(request).company)


@router.put("/settings", response=LedgerSettingsOut)
@require(permissions.MANAGE_ACCOUNTS.code)
def update_ledger_settings(
    request: HttpRequest, payload: LedgerSettingsIn
) -> LedgerSettings:
    context = api_context(request)
    return services.update_ledger_settings(
        company=context.company,
        actor=context.user,
        voucher_words=payload.voucher_words,
        auto_post=payload.auto_post,
    )
