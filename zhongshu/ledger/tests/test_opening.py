"""Opening balances (期初余额), their go-live trial balance, and the first
period of the books (启用期间)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    LedgerSettings,
    OpeningBalance,
    Period,
)
from zhongshu.ledger.services.opening import OpeningInput
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def books():
    return company_with_books()


@pytest.fixture
def user(books):
    return accountant(books)


def stored(company: Company) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    return {
        row.account.code: (row.debit, row.credit, row.ytd_debit, row.ytd_credit)
        for row in OpeningBalance.objects.filter(company=company).select_related(
            "account"
        )
    }


def start_balances(books, user) -> None:
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "1001": OpeningInput(debit=D("500.00")),
            "1002": OpeningInput(debit=D("99500.00")),
            "3001": OpeningInput(credit=D("100000.00")),
        },
    )


def test_opening_balances_are_entered_and_checked(books, user):
    # when
    start_balances(books, user)
    # then: 500 + 99,500 = 100,000 of debits against 100,000 of capital
    check = services.opening_trial_balance(books)
    assert (check.debit, check.credit, check.difference, check.balanced) == (
        D("100000.00"),
        D("100000.00"),
        D("0.00"),
        True,
    )
    assert stored(books)["3001"] == (D("0.00"), D("100000.00"), D("0.00"), D("0.00"))
    assert (
        AuditEntry.objects.filter(
            company=books, action="created", object_kind="ledger.openingbalance"
        ).count()
        == 3
    )


def test_an_unbalanced_opening_shows_its_difference(books, user):
    # given: capital entered as 99,000
    start_balances(books, user)
    services.set_opening_balances(
        company=books, actor=user, balances={"3001": OpeningInput(credit=D("99000"))}
    )
    # then
    check = services.opening_trial_balance(books)
    assert (check.difference, check.balanced) == (D("1000.00"), False)
    january = Period.objects.get(company=books, year=2026, number=1)
    assert [p.code for p in services.closing_checklist(books, january)] == [
        "opening_unbalanced"
    ]


def test_zero_figures_clear_an_account(books, user):
    # given
    start_balances(books, user)
    # when
    written = services.set_opening_balances(
        company=books, actor=user, balances={"1001": OpeningInput()}
    )
    # then
    assert written == []
    assert set(stored(books)) == {"1002", "3001"}
    assert AuditEntry.objects.filter(
        company=books, action="deleted", object_kind="ledger.openingbalance"
    ).exists()


@pytest.mark.parametrize(
    ("balances", "field"),
    [
        ({"2221": OpeningInput(credit=D("1"))}, "balances.2221"),
        ({"9999": OpeningInput(debit=D("1"))}, "balances.9999"),
        ({"1002": OpeningInput(debit=D("1"), credit=D("1"))}, "balances.1002"),
        ({"1002": OpeningInput(debit=D("1.005"))}, "balances.1002"),
        ({"1002": OpeningInput(debit=D("-5"))}, "balances.1002"),
        ({"5001": OpeningInput(credit=D("100"))}, "balances.5001"),
        ({"5001": OpeningInput(ytd_credit=D("100"))}, "balances.5001"),
    ],
    ids=[
        "parent-account",
        "unknown-account",
        "both-sides",
        "three-decimals",
        "negative",
        "profit-and-loss-balance",
        "year-to-date-without-mid-year-start",
    ],
)
def test_bad_opening_figures_are_refused_and_nothing_is_written(
    books, user, balances, field
):
    # given: a valid row alongside the bad one must not be stored either
    with pytest.raises(ValidationError) as error:
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={"1001": OpeningInput(debit=D("10")), **balances},
        )
    assert field in error.value.fields
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_a_disabled_account_takes_no_opening_balance(books, user):
    account = Account.objects.get(company=books, code="1012")
    services.set_account_active(account=account, actor=user, active=False)
    with pytest.raises(ValidationError, match="disabled"):
        services.set_opening_balances(
            company=books, actor=user, balances={"1012": OpeningInput(debit=D("1"))}
        )
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_opening_balances_lock_once_something_is_posted(books, user):
    # given
    start_balances(books, user)
    posted(
        books,
        datetime.date(2026, 1, 5),
        line("提现", "1001", debit="100"),
        line("提现", "1002", credit="100"),
    )
    before = stored(books)
    # when / then
    with pytest.raises(ConflictError, match="locked once postings exist"):
        services.set_opening_balances(
            company=books, actor=user, balances={"1001": OpeningInput(debit=D("600"))}
        )
    assert stored(books) == before


def test_opening_balances_lock_once_a_period_is_closed(books, user):
    # given: January closed with nothing in it
    january = Period.objects.get(company=books, year=2026, number=1)
    services.close_period(company=books, actor=user, period=january)
    # when / then
    with pytest.raises(ConflictError):
        services.set_opening_balances(
            company=books, actor=user, balances={"1001": OpeningInput(debit=D("1"))}
        )
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_a_mid_year_start_takes_year_to_date_figures(books, user):
    # when
    settings = services.set_first_period(company=books, actor=user, year=2025, period=7)
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={"5001": OpeningInput(ytd_debit=D("80"), ytd_credit=D("80"))},
    )
    # then
    assert (settings.first_year, settings.first_period) == (2025, 7)
    assert Period.objects.filter(company=books, year=2025).count() == 12
    assert stored(books)["5001"] == (D("0.00"), D("0.00"), D("80.00"), D("80.00"))
    assert AuditEntry.objects.filter(
        company=books, action="changed", object_kind="ledger.ledgersettings"
    ).exists()
    # and the books refuse postings before July 2025
    with pytest.raises(ValidationError):
        posted(
            books,
            datetime.date(2025, 6, 30),
            line("x", "1002", debit="1"),
            line("x", "3001", credit="1"),
        )


def test_the_first_period_cannot_move_back_to_one_with_year_to_date_figures(
    books, user
):
    services.set_first_period(company=books, actor=user, year=2026, period=7)
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={"5001": OpeningInput(ytd_debit=D("80"), ytd_credit=D("80"))},
    )
    with pytest.raises(ConflictError, match="mid-year start"):
        services.set_first_period(company=books, actor=user, year=2026, period=1)
    assert LedgerSettings.objects.get(company=books).first_period == 7


def test_the_first_period_is_fixed_once_something_is_posted(books, user):
    posted(
        books,
        datetime.date(2026, 3, 5),
        line("提现", "1001", debit="100"),
        line("提现", "1002", credit="100"),
    )
    with pytest.raises(ConflictError, match="nothing is posted"):
        services.set_first_period(company=books, actor=user, year=2026, period=7)
    assert LedgerSettings.objects.get(company=books).first_period == 1


def test_the_first_period_does_not_move_past_draft_vouchers(books, user):
    services.create_voucher(
        company=books,
        actor=user,
        date=datetime.date(2026, 3, 5),
        lines=[line("提现", "1001", debit="100"), line("提现", "1002", credit="100")],
    )
    with pytest.raises(ConflictError, match="vouchers before 2026-07"):
        services.set_first_period(company=books, actor=user, year=2026, period=7)
    assert LedgerSettings.objects.get(company=books).first_period == 1


@pytest.mark.parametrize(("year", "number"), [(2026, 0), (2026, 13), (1800, 1)])
def test_the_first_period_must_exist(books, user, year, number):
    with pytest.raises(ValidationError):
        services.set_first_period(company=books, actor=user, year=year, period=number)
    assert LedgerSettings.objects.get(company=books).first_period == 1
