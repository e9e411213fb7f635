"""Period close (结账) and reopen (反结账), with the carry-forward of profit
and loss (结转损益) and the year-end closing of 本年利润.

Documents: Period (open → closed → open again). Closing posts the
carry-forward voucher, source ``ledger.carry_forward``, and in the last period
of a year the year-end voucher, source ``ledger.year_end``; both have the
period as source id. Reopening reverses them in the same period with red
vouchers that keep the source, so reports that leave closing entries out of
profit and loss leave the reversals out as well, and closing again carries
the period's full net activity anew. Events published: none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhongshu.core import audit, clock
from zhongshu.core.errors import ConflictError, NotFoundError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.ledger.chart import Role
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import (
    Account,
    AccountCategory,
    LedgerSettings,
    OpeningBalance,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.services.accounts import resolve_account
from zhongshu.ledger.services.opening import opening_trial_balance
from zhongshu.ledger.services.setup import books_of, ensure_periods
from zhongshu.ledger.services.vouchers import (
    DIMENSION_FIELDS,
    post_reviewed_voucher,
    post_voucher,
    reverse_voucher,
)

CARRY_FORWARD = "ledger.carry_forward"
YEAR_END = "ledger.year_end"
# Summaries are data of the books, which Chinese auditors read; they stay in
# Chinese whatever language the user interface speaks.
CARRY_FORWARD_SUMMARY = "结转本期损益"
YEAR_END_SUMMARY = "结转本年利润"
CLOSING_WORD = "转"
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class ClosingProblem:
    """One reason a period cannot be closed yet, for the closing page."""

    code: str
    message: str


# --- what blocks closing -----------------------------------------------------


def _first_ordinal(company: Company) -> int:
    settings = books_of(company)
    return settings.first_year * 100 + settings.first_period


def _label(year: int, number: int) -> str:
    return f"{year}-{number:02d}"


def _previous(period: Period) -> tuple[int, int]:
    if period.number > 1:
        return period.year, period.number - 1
    return period.year - 1, 12


def closing_checklist(company: Company, period: Period) -> list[ClosingProblem]:
    """Everything that keeps ``period`` from closing; empty when it may close."""
    _ensure_company(company, period)
    first = _first_ordinal(company)
    if period.is_closed:
        return [
            ClosingProblem(
                "closed", _("Period %(period)s is closed.") % {"period": period}
            )
        ]
    if period.ordinal < first:
        return [
            ClosingProblem(
                "before_first_period",
                _("Period %(period)s is before the first period of the books.")
                % {"period": period},
            )
        ]
    problems = [
        *_previous_open(company, period, first),
        *_unposted(company, period),
        *_unbalanced(company, period),
    ]
    if period.ordinal == first:
        problems += _opening_unbalanced(company)
    return problems


def _previous_open(
    company: Company, period: Period, first: int
) -> list[ClosingProblem]:
    if period.ordinal == first:
        return []
    year, number = _previous(period)
    if Period.objects.filter(
        company=company, year=year, number=number, is_closed=True
    ).exists():
        return []
    return [
        ClosingProblem(
            "previous_open",
            _("Close period %(previous)s first; periods close in order.")
            % {"previous": _label(year, number)},
        )
    ]


def _unposted(company: Company, period: Period) -> list[ClosingProblem]:
    count = (
        Voucher.objects.filter(company=company, period=period)
        .exclude(state=VoucherState.POSTED)
        .count()
    )
    if not count:
        return []
    return [
        ClosingProblem(
            "unposted_vouchers",
            _(
                "%(count)d voucher(s) of period %(period)s are not posted; post "
                "or delete them first."
            )
            % {"count": count, "period": period},
        )
    ]


def _unbalanced(company: Company, period: Period) -> list[ClosingProblem]:
    totals = PeriodTotal.objects.filter(company=company, period=period).aggregate(
        debit=sum_amount("debit"), credit=sum_amount("credit")
    )
    if totals["debit"] == totals["credit"]:
        return []
    return [
        ClosingProblem(
            "trial_balance",
            _(
                "The trial balance of period %(period)s does not balance: debits "
                "%(debit)s, credits %(credit)s."
            )
            % {"period": period, "debit": totals["debit"], "credit": totals["credit"]},
        )
    ]


def _opening_unbalanced(company: Company) -> list[ClosingProblem]:
    check = opening_trial_balance(company)
    if check.balanced:
        return []
    return [
        ClosingProblem(
            "opening_unbalanced",
            _(
                "The opening balances do not balance (difference %(difference)s, "
                "year-to-date difference %(ytd)s); correct them before closing "
                "the first period."
            )
            % {"difference": check.difference, "ytd": check.ytd_difference},
        )
    ]


# --- closing ---------------------------------------------------------------


def _ensure_company(company: Company, period: Period) -> None:
    if period.company_id != company.pk:
        raise NotFoundError(_("There is no such period."))


def _lock(company: Company, period: Period) -> Period:
    """Lock the books' head first: posting takes it too, so a close and the
    postings of the company cannot interleave."""
    _ensure_company(company, period)
    LedgerSettings.objects.select_for_update().get(company=company)
    return Period.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def close_period(*, company: Company, actor: User, period: Period) -> Period:
    """结账: carry profit and loss to 本年利润 (and, in the last period of the
    year, 本年利润 to 未分配利润), then close the period to postings."""
    require_writable(company)
    books_of(company)
    period = _lock(company, period)
    problems = closing_checklist(company, period)
    if problems:
        raise ConflictError(" ".join(problem.message for problem in problems))
    vouchers = [_carry_forward(company, actor, period)]
    if period.number == 12:
        vouchers.append(_close_year(company, actor, period))
        ensure_periods(company, period.year + 1)
    period.is_closed, period.closed_at, period.closed_by = True, clock.now(), actor
    period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    audit.record(
        company=company,
        actor=actor,
        action="closed",
        obj=period,
        changes={"vouchers": [v.display_number for v in vouchers if v is not None]},
    )
    return period


def _word(company: Company) -> str:
    words = books_of(company).voucher_words
    return CLOSING_WORD if CLOSING_WORD in words else words[0]


def _post_closing_voucher(
    company: Company,
    actor: User,
    period: Period,
    lines: list[LineInput],
    source: SourceRef,
) -> Voucher:
    voucher = post_voucher(
        company=company,
        date=period.end_on,
        lines=lines,
        source=source,
        actor=actor,
        word=_word(company),
    )
    if voucher.state != VoucherState.POSTED:
        # The company reviews generated vouchers, but a close cannot wait for a
        # review: the period closes in this transaction.
        voucher = post_reviewed_voucher(voucher=voucher, actor=actor)
    return voucher


def _profit_and_loss(
    company: Company, period: Period
) -> list[tuple[Account, dict[str, int], Decimal]]:
    """Net debit (debit − credit) of every profit and loss account in the
    period, split by dimension values where the account tracks dimensions."""
    totals = PeriodTotal.objects.filter(
        company=company, period=period, account__category=AccountCategory.PROFIT_LOSS
    ).select_related("account")
    accounts = {t.account_id: t.account for t in totals}
    rows: list[tuple[Account, dict[str, int], Decimal]] = [
        (t.account, {}, t.debit - t.credit) for t in totals if not t.account.dimensions
    ]
    tracked = [pk for pk, account in accounts.items() if account.dimensions]
    if tracked:
        fields = list(DIMENSION_FIELDS.values())
        grouped = (
            VoucherLine.objects.filter(
                company=company,
                voucher__period=period,
                voucher__state=VoucherState.POSTED,
                account_id__in=tracked,
            )
            .values("account_id", *fields)
            .annotate(debit=sum_amount("debit"), credit=sum_amount("credit"))
            .order_by()
        )
        rows += [
            (
                accounts[r["account_id"]],
                {k: r[f] for k, f in DIMENSION_FIELDS.items() if r[f] is not None},
                r["debit"] - r["credit"],
            )
            for r in grouped
        ]
    return sorted(
        (row for row in rows if row[2] != ZERO),
        key=lambda row: (row[0].code, sorted(row[1].items())),
    )


def carry_forward_lines(company: Company, period: Period) -> list[LineInput]:
    """The lines of the textbook entry, in one voucher:
    借 收入类 / 贷 本年利润, then 借 本年利润 / 贷 成本费用类. Each account is
    closed on the side opposite its net activity, so a revenue account with a
    net debit (returns above sales) is credited, with positive amounts."""
    balances = _profit_and_loss(company, period)
    if not balances:
        return []
    profit = resolve_account(company, Role.CURRENT_YEAR_PROFIT)
    summary = CARRY_FORWARD_SUMMARY
    closed_by_debit = [
        LineInput(summary=summary, account=a.pk, debit=-net, dimensions=dims)
        for a, dims, net in balances
        if net < ZERO
    ]
    closed_by_credit = [
        LineInput(summary=summary, account=a.pk, credit=net, dimensions=dims)
        for a, dims, net in balances
        if net > ZERO
    ]
    income = sum((line.debit for line in closed_by_debit), ZERO)
    expenses = sum((line.credit for line in closed_by_credit), ZERO)
    lines = list(closed_by_debit)
    if income:
        lines.append(LineInput(summary=summary, account=profit.pk, credit=income))
    if expenses:
        lines.append(LineInput(summary=summary, account=profit.pk, debit=expenses))
    return lines + closed_by_credit


def _carry_forward(company: Company, actor: User, period: Period) -> Voucher | None:
    lines = carry_forward_lines(company, period)
    if not lines:
        return None
    return _post_closing_voucher(
        company, actor, period, lines, SourceRef(CARRY_FORWARD, period.pk)
    )


def _credit_balance(company: Company, account: Account, period: Period) -> Decimal:
    """Credit minus debit of ``account`` at the end of ``period``."""
    opening = OpeningBalance.objects.filter(company=company, account=account).first()
    totals = (
        PeriodTotal.objects.filter(company=company, account=account)
        .filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__number__lte=period.number)
        )
        .aggregate(debit=sum_amount("debit"), credit=sum_amount("credit"))
    )
    balance: Decimal = totals["credit"] - totals["debit"]
    if opening is not None:
        balance += opening.credit - opening.debit
    return balance


def _close_year(company: Company, actor: User, period: Period) -> Voucher | None:
    """年结: the year's profit (or loss) in 本年利润 moves to 未分配利润, so
    本年利润 starts the next year at zero."""
    profit = resolve_account(company, Role.CURRENT_YEAR_PROFIT)
    retained = resolve_account(company, Role.RETAINED_EARNINGS)
    balance = _credit_balance(company, profit, period)
    if balance == ZERO:
        return None
    summary = YEAR_END_SUMMARY
    debit, credit = (profit, retained) if balance > ZERO else (retained, profit)
    lines = [
        LineInput(summary=summary, account=debit.pk, debit=abs(balance)),
        LineInput(summary=summary, account=credit.pk, credit=abs(balance)),
    ]
    return _post_closing_voucher(
        company, actor, period, lines, SourceRef(YEAR_END, period.pk)
    )


# --- reopening -------------------------------------------------------------


@transaction.atomic
def reopen_period(*, company: Company, actor: User, period: Period) -> Period:
    """反结账: only the latest closed period reopens. Its closing vouchers are
    reversed in the period itself (posted vouchers are never deleted), so the
    period's profit and loss shows again until it is closed anew."""
    require_writable(company)
    books_of(company)
    period = _lock(company, period)
    if not period.is_closed:
        raise ConflictError(_("Period %(period)s is open.") % {"period": period})
    later = (
        Period.objects.filter(company=company, is_closed=True)
        .filter(Q(year__gt=period.year) | Q(year=period.year, number__gt=period.number))
        .order_by("-year", "-number")
        .first()
    )
    if later is not None:
        raise ConflictError(
            _(
                "Period %(later)s is closed; only the latest closed period can be "
                "reopened."
            )
            % {"later": later}
        )
    period.is_closed, period.closed_at, period.closed_by = False, None, None
    period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    reversals = [
        _reverse(actor, period, voucher) for voucher in _closing_vouchers(period)
    ]
    audit.record(
        company=company,
        actor=actor,
        action="reopened",
        obj=period,
        changes={"reversals": [v.display_number for v in reversals]},
    )
    return period


def _closing_vouchers(period: Period) -> Iterable[Voucher]:
    """The period's closing vouchers still in force, the latest first."""
    return Voucher.objects.filter(
        company=period.company_id,
        period=period,
        state=VoucherState.POSTED,
        source_kind__in=[CARRY_FORWARD, YEAR_END],
        source_id=period.pk,
        reversal_of__isnull=True,
        reversals__isnull=True,
    ).order_by("-id")


def _reverse(actor: User, period: Period, voucher: Voucher) -> Voucher:
    reversal = reverse_voucher(voucher=voucher, actor=actor, date=period.end_on)
    if reversal.state != VoucherState.POSTED:
        reversal = post_reviewed_voucher(voucher=reversal, actor=actor)
    return reversal
