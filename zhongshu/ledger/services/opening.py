"""Opening balances (期初余额) and the first period of the books.

Documents: OpeningBalance rows of leaf accounts (parent accounts are derived by
code prefix and never stored), their split by auxiliary dimension value
(辅助核算期初, OpeningDimensionBalance: per customer of 应收账款, ...), which
must add up to the account's figures, and LedgerSettings.first_year/
first_period.
Every later balance is built on the opening balances, so they, and the first
period, are locked once anything is posted or a period is closed. The go-live
check is ``opening_trial_balance``; closing the first period refuses while it
does not balance (as Kingdee and UFIDA refuse 结账). Events published: none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount
from zhongshu.core.services import require_writable
from zhongshu.ledger.models import (
    Account,
    AccountCategory,
    Dimension,
    LedgerSettings,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
    Voucher,
    VoucherState,
)
from zhongshu.ledger.services.setup import books_of, ensure_periods

ZERO = Decimal("0.00")
AMOUNT_FIELDS = ("debit", "credit", "ytd_debit", "ytd_credit")


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningFigures:
    """Opening figures: the balance at the start of the first period on one
    side, and, for a mid-year start, the movements of that year before the
    first period (which the balance already includes)."""

    debit: Decimal = ZERO
    credit: Decimal = ZERO
    ytd_debit: Decimal = ZERO
    ytd_credit: Decimal = ZERO

    @property
    def is_zero(self) -> bool:
        return not (self.debit or self.credit or self.ytd_debit or self.ytd_credit)


# Figures by dimension value id, per dimension kind.
Splits = Mapping[str, Mapping[int, OpeningFigures]]


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningInput(OpeningFigures):
    """One leaf account's opening figures and, for an account that requires
    dimensions, their split by dimension value (辅助核算期初). ``by_dimension``
    None keeps the stored splits, which must still add up (so an account
    with a split is cleared together with it); a dimension named there gets
    exactly the values given, {} clears it."""

    by_dimension: Splits | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningCheck:
    """The go-live trial balance of the opening figures."""

    debit: Decimal
    credit: Decimal
    ytd_debit: Decimal
    ytd_credit: Decimal
    difference: Decimal
    ytd_difference: Decimal
    balanced: bool


def opening_trial_balance(company: Company) -> OpeningCheck:
    """Total debits against total credits of the opening balances, and of the
    year-to-date movements (each a sum of balanced vouchers, so they balance
    too)."""
    totals = OpeningBalance.objects.filter(company=company).aggregate(
        **{name: sum_amount(name) for name in AMOUNT_FIELDS}
    )
    difference = totals["debit"] - totals["credit"]
    ytd_difference = totals["ytd_debit"] - totals["ytd_credit"]
    return OpeningCheck(
        debit=totals["debit"],
        credit=totals["credit"],
        ytd_debit=totals["ytd_debit"],
        ytd_credit=totals["ytd_credit"],
        difference=difference,
        ytd_difference=ytd_difference,
        balanced=difference == ZERO and ytd_difference == ZERO,
    )


def _lock_books(company: Company) -> LedgerSettings:
    books_of(company)
    return LedgerSettings.objects.select_for_update().get(company=company)


def _ensure_nothing_posted(company: Company, message: str) -> None:
    if (
        Voucher.objects.filter(company=company, state=VoucherState.POSTED).exists()
        or Period.objects.filter(company=company, is_closed=True).exists()
    ):
        raise ConflictError(message)


def _input_error(code: str, message: str) -> ValidationError:
    return ValidationError(message, fields={f"balances.{code}": [message]})


def _leaf_accounts(company: Company, codes: list[str]) -> dict[str, Account]:
    accounts = {
        a.code: a for a in Account.objects.filter(company=company, code__in=codes)
    }
    for code in codes:
        account = accounts.get(code)
        if account is None:
            raise _input_error(
                code, _("There is no account %(code)s.") % {"code": code}
            )
        if not account.is_leaf:
            raise _input_error(
                code,
                _(
                    "%(account)s has sub-accounts; enter opening balances on "
                    "them, its own balance is their sum."
                )
                % {"account": account},
            )
    return accounts


def _check_amounts(code: str, value: OpeningFigures) -> None:
    for name in AMOUNT_FIELDS:
        amount = getattr(value, name)
        if round_amount(amount) != amount:
            raise _input_error(
                code,
                _("%(code)s: amounts have at most two decimal places.")
                % {"code": code},
            )
        if amount < ZERO:
            raise _input_error(
                code,
                _("%(code)s: enter amounts as positive figures on their side.")
                % {"code": code},
            )
    if value.debit and value.credit:
        raise _input_error(
            code,
            _("%(code)s: an opening balance is either a debit or a credit.")
            % {"code": code},
        )


def _check_input(
    account: Account, value: OpeningFigures, settings: LedgerSettings
) -> None:
    _check_amounts(account.code, value)
    if not account.is_active and not value.is_zero:
        raise _input_error(
            account.code, _("%(account)s is disabled.") % {"account": account}
        )
    if account.category == AccountCategory.PROFIT_LOSS and (
        value.debit or value.credit
    ):
        # Profit and loss is carried to 本年利润 every month, so these accounts
        # start empty; the year's profit so far is 本年利润's balance.
        raise _input_error(
            account.code,
            _(
                "%(account)s is a profit and loss account and has no opening "
                "balance; enter this year's movements as year-to-date figures."
            )
            % {"account": account},
        )
    if settings.first_period == 1 and (value.ytd_debit or value.ytd_credit):
        raise _input_error(
            account.code,
            _(
                "Year-to-date figures apply only when the books start after the "
                "first period of a year."
            ),
        )


def _check_splits(
    account: Account, value: OpeningInput, settings: LedgerSettings
) -> None:
    """Only dimensions the account requires, positive value ids, and the
    same rules for each value's figures as for an account's."""
    for dimension, figures in (value.by_dimension or {}).items():
        if dimension not in Dimension.values:
            raise _input_error(
                account.code,
                _("Unknown dimension: %(names)s.") % {"names": dimension},
            )
        if dimension not in account.dimensions:
            raise _input_error(
                account.code,
                _("%(account)s does not track %(dimension)s.")
                % {"account": account, "dimension": Dimension(dimension).label},
            )
        for value_id, amounts in figures.items():
            if value_id < 1:
                raise _input_error(
                    account.code,
                    _("%(account)s: %(value)s is not a %(dimension)s id.")
                    % {
                        "account": account,
                        "value": value_id,
                        "dimension": Dimension(dimension).label,
                    },
                )
            _check_input(account, amounts, settings)


def _figures_of(row: OpeningBalance | OpeningDimensionBalance) -> OpeningFigures:
    return OpeningFigures(**{name: getattr(row, name) for name in AMOUNT_FIELDS})


StoredSplits = dict[str, dict[int, OpeningDimensionBalance]]


def _stored_splits(
    company: Company, accounts: Iterable[Account]
) -> dict[int, StoredSplits]:
    stored: dict[int, StoredSplits] = {}
    rows = OpeningDimensionBalance.objects.filter(
        company=company, account__in=list(accounts)
    )
    for row in rows:
        by_value = stored.setdefault(row.account_id, {}).setdefault(row.dimension, {})
        by_value[row.value_id] = row
    return stored


def _resulting_splits(
    value: OpeningInput, stored: StoredSplits
) -> dict[str, dict[int, OpeningFigures]]:
    """The account's splits once ``value`` is applied (see OpeningInput)."""
    splits = {
        dimension: {value_id: _figures_of(row) for value_id, row in rows.items()}
        for dimension, rows in stored.items()
    }
    for dimension, figures in (value.by_dimension or {}).items():
        splits[dimension] = {
            value_id: amounts
            for value_id, amounts in figures.items()
            if not amounts.is_zero
        }
    return {dimension: values for dimension, values in splits.items() if values}


def _balance_text(balance: Decimal) -> str:
    if balance > ZERO:
        return _("%(amount)s debit") % {"amount": f"{balance:,.2f}"}
    if balance < ZERO:
        return _("%(amount)s credit") % {"amount": f"{-balance:,.2f}"}
    return "0.00"


def _check_split_sums(
    account: Account,
    value: OpeningFigures,
    splits: Mapping[str, Mapping[int, OpeningFigures]],
) -> None:
    """Each dimension's values add up to the account's figures exactly."""
    for dimension, figures in sorted(splits.items()):
        label = Dimension(dimension).label
        balance = sum((f.debit - f.credit for f in figures.values()), ZERO)
        if balance != value.debit - value.credit:
            raise _input_error(
                account.code,
                _(
                    "%(account)s: the opening balances by %(dimension)s add up "
                    "to %(split)s, not to the account's %(total)s."
                )
                % {
                    "account": account,
                    "dimension": label,
                    "split": _balance_text(balance),
                    "total": _balance_text(value.debit - value.credit),
                },
            )
        ytd_debit = sum((f.ytd_debit for f in figures.values()), ZERO)
        ytd_credit = sum((f.ytd_credit for f in figures.values()), ZERO)
        if (ytd_debit, ytd_credit) != (value.ytd_debit, value.ytd_credit):
            raise _input_error(
                account.code,
                _(
                    "%(account)s: the year-to-date figures by %(dimension)s add "
                    "up to debit %(split_debit)s and credit %(split_credit)s, not "
                    "to the account's debit %(debit)s and credit %(credit)s."
                )
                % {
                    "account": account,
                    "dimension": label,
                    "split_debit": f"{ytd_debit:,.2f}",
                    "split_credit": f"{ytd_credit:,.2f}",
                    "debit": f"{value.ytd_debit:,.2f}",
                    "credit": f"{value.ytd_credit:,.2f}",
                },
            )


Row = TypeVar("Row", OpeningBalance, OpeningDimensionBalance)


def _store(
    company: Company,
    actor: User,
    row: Row | None,
    value: OpeningFigures,
    create: Callable[[dict[str, Decimal]], Row],
) -> Row | None:
    """Store one row of figures, audited; all-zero figures remove the row."""
    before = {name: getattr(row, name) if row else ZERO for name in AMOUNT_FIELDS}
    after = {name: getattr(value, name) for name in AMOUNT_FIELDS}
    changes = audit.field_changes(before, after)
    if row is not None and not changes:
        return row
    if row is not None and value.is_zero:
        audit.record(
            company=company, actor=actor, action="deleted", obj=row, changes=changes
        )
        row.delete()
        return None
    if value.is_zero:
        return None
    if row is None:
        row = create(after)
        action = "created"
    else:
        for name, amount in after.items():
            setattr(row, name, amount)
        row.save(update_fields=list(AMOUNT_FIELDS))
        action = "changed"
    if changes:
        audit.record(
            company=company, actor=actor, action=action, obj=row, changes=changes
        )
    return row


def _write_row(
    company: Company,
    actor: User,
    account: Account,
    value: OpeningInput,
    row: OpeningBalance | None,
) -> OpeningBalance | None:
    """Store one account's figures; all-zero figures remove its row."""

    def create(amounts: dict[str, Decimal]) -> OpeningBalance:
        return OpeningBalance.objects.create(
            company=company, account=account, **amounts
        )

    return _store(company, actor, row, value, create)


def _write_splits(
    company: Company,
    actor: User,
    account: Account,
    wanted: Mapping[str, Mapping[int, OpeningFigures]],
    stored: StoredSplits,
) -> None:
    for dimension in sorted(wanted.keys() | stored.keys()):
        new, old = wanted.get(dimension, {}), stored.get(dimension, {})
        for value_id in sorted(new.keys() | old.keys()):
            _store(
                company,
                actor,
                old.get(value_id),
                new.get(value_id, OpeningFigures()),
                _split_creator(company, account, dimension, value_id),
            )


def _split_creator(
    company: Company, account: Account, dimension: str, value_id: int
) -> Callable[[dict[str, Decimal]], OpeningDimensionBalance]:
    def create(amounts: dict[str, Decimal]) -> OpeningDimensionBalance:
        return OpeningDimensionBalance.objects.create(
            company=company,
            account=account,
            dimension=dimension,
            value_id=value_id,
            **amounts,
        )

    return create


@transaction.atomic
def set_opening_balances(
    *, company: Company, actor: User, balances: Mapping[str, OpeningInput]
) -> list[OpeningBalance]:
    """Enter or change the opening figures of the given leaf accounts (by
    code), and their split by dimension value; all-zero figures clear an
    account. Other accounts keep theirs. Everything is checked before
    anything is written: a split that does not add up to its account's
    figures is refused with the account named. Returns the stored rows of
    the given accounts."""
    require_writable(company)
    settings = _lock_books(company)
    _ensure_nothing_posted(
        company,
        _("Opening balances are locked once postings exist or a period is closed."),
    )
    codes = sorted(balances)
    accounts = _leaf_accounts(company, codes)
    for code in codes:
        _check_input(accounts[code], balances[code], settings)
        _check_splits(accounts[code], balances[code], settings)
    stored = _stored_splits(company, accounts.values())
    splits = {
        code: _resulting_splits(balances[code], stored.get(accounts[code].pk, {}))
        for code in codes
    }
    for code in codes:
        _check_split_sums(accounts[code], balances[code], splits[code])
    for code in codes:
        account = accounts[code]
        _write_splits(company, actor, account, splits[code], stored.get(account.pk, {}))
    existing = {
        row.account_id: row
        for row in OpeningBalance.objects.filter(
            company=company, account__in=accounts.values()
        )
    }
    written = [
        _write_row(
            company,
            actor,
            accounts[code],
            balances[code],
            existing.get(accounts[code].pk),
        )
        for code in codes
    ]
    return [row for row in written if row is not None]


@transaction.atomic
def set_first_period(
    *, company: Company, actor: User, year: int, period: int
) -> LedgerSettings:
    """Move the start of the books (启用期间), e.g. to July for a mid-year
    start; allowed while nothing is posted and no period is closed."""
    require_writable(company)
    if not 1 <= period <= 12:
        message = _("A fiscal year has periods 1 to 12.")
        raise ValidationError(message, fields={"period": [message]})
    if not 1900 <= year <= 2999:
        message = _("The year %(year)d is out of range.") % {"year": year}
        raise ValidationError(message, fields={"year": [message]})
    settings = _lock_books(company)
    _ensure_nothing_posted(
        company,
        _(
            "The first period can only change while nothing is posted and no "
            "period is closed."
        ),
    )
    _ensure_no_vouchers_before(company, year, period)
    if (
        period == 1
        and OpeningBalance.objects.filter(company=company)
        .exclude(ytd_debit=0, ytd_credit=0)
        .exists()
    ):
        raise ConflictError(
            _(
                "Year-to-date opening figures apply only to a mid-year start; "
                "clear them before starting the books in period 1."
            )
        )
    before = {"first_year": settings.first_year, "first_period": settings.first_period}
    settings.first_year, settings.first_period = year, period
    settings.save(update_fields=["first_year", "first_period"])
    ensure_periods(company, year)
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=settings,
        changes=audit.field_changes(
            before, {"first_year": year, "first_period": period}
        ),
    )
    return settings


def _ensure_no_vouchers_before(company: Company, year: int, period: int) -> None:
    early = Voucher.objects.filter(company=company).filter(
        Q(period__year__lt=year) | Q(period__year=year, period__number__lt=period)
    )
    if early.exists():
        raise ConflictError(
            _(
                "There are vouchers before %(year)d-%(period)02d; delete them "
                "before moving the first period there."
            )
            % {"year": year, "period": period}
        )
