"""Opening balances by auxiliary dimension (辅助核算期初): an account that
tracks customers gets its opening balance split by customer, the split must
add up to the account, and the 辅助核算余额表 and 明细账 start from it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.ledger import checks, services
from zhongshu.ledger.models import (
    Account,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
)
from zhongshu.ledger.selectors import reports
from zhongshu.ledger.services.opening import OpeningFigures, OpeningInput
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
D = Decimal
ZERO = D("0.00")
# Customer ids are opaque to the ledger (the partners module owns them).
HUAXIN, LIANHE = 7, 8
# (debit, credit) column pairs used below
BAL_1100 = (D("1100.00"), ZERO)
BAL_800 = (D("800.00"), ZERO)
YTD_1100_300 = (D("1100.00"), D("300.00"))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def books() -> Company:
    company = company_with_books("SPLIT")
    services.add_account(
        company=company,
        actor=accountant(company, "setup"),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    return company


@pytest.fixture
def user(books):
    return accountant(books)


def by_customer(**figures: OpeningFigures) -> dict[str, dict[int, OpeningFigures]]:
    ids = {"huaxin": HUAXIN, "lianhe": LIANHE}
    return {"customer": {ids[name]: value for name, value in figures.items()}}


def receivables_of_1000(books, user) -> None:
    """华信 owes 600.00 and 联合 400.00: 1,000.00 of receivables against
    1,000.00 of paid-in capital."""
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "112201": OpeningInput(
                debit=D("1000.00"),
                by_dimension=by_customer(
                    huaxin=OpeningFigures(debit=D("600.00")),
                    lianhe=OpeningFigures(debit=D("400.00")),
                ),
            ),
            "3001": OpeningInput(credit=D("1000.00")),
        },
    )


def splits(company: Company) -> dict[int, tuple[Decimal, Decimal]]:
    return {
        row.value_id: (row.debit, row.credit)
        for row in OpeningDimensionBalance.objects.filter(company=company)
    }


def period(company: Company, number: int, year: int = 2026) -> Period:
    return Period.objects.get(company=company, year=year, number=number)


# --- the service ---------------------------------------------------------------


def test_the_opening_balance_is_split_by_customer(books, user):
    # when
    receivables_of_1000(books, user)
    # then
    assert splits(books) == {HUAXIN: (D("600.00"), ZERO), LIANHE: (D("400.00"), ZERO)}
    assert services.opening_trial_balance(books).balanced
    assert (
        AuditEntry.objects.filter(
            company=books,
            action="created",
            object_kind="ledger.openingdimensionbalance",
        ).count()
        == 2
    )
    assert checks.opening_splits_add_up() == []


def test_a_split_that_does_not_add_up_is_refused_and_nothing_written(books, user):
    # when: 600.00 + 300.00 = 900.00 for an account of 1,000.00
    with pytest.raises(ValidationError) as refused:
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={
                "112201": OpeningInput(
                    debit=D("1000.00"),
                    by_dimension=by_customer(
                        huaxin=OpeningFigures(debit=D("600.00")),
                        lianhe=OpeningFigures(debit=D("300.00")),
                    ),
                ),
                "3001": OpeningInput(credit=D("1000.00")),
            },
        )
    # then: the message names the account and both figures
    assert refused.value.message == (
        "112201 货款: the opening balances by Customer add up to 900.00 debit, "
        "not to the account's 1,000.00 debit."
    )
    assert "balances.112201" in refused.value.fields
    assert not OpeningBalance.objects.filter(company=books).exists()
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()
    assert not AuditEntry.objects.filter(
        company=books, object_kind__startswith="ledger.opening"
    ).exists()


def test_changing_the_account_without_its_split_is_refused(books, user):
    # given
    receivables_of_1000(books, user)
    # when: the account alone raised to 1,200.00, the split kept at 1,000.00
    with pytest.raises(ValidationError, match=r"add up to 1,000\.00 debit"):
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={"112201": OpeningInput(debit=D("1200.00"))},
        )
    # then
    row = OpeningBalance.objects.get(company=books, account__code="112201")
    assert row.debit == D("1000.00")
    assert splits(books) == {HUAXIN: (D("600.00"), ZERO), LIANHE: (D("400.00"), ZERO)}


def test_a_customer_in_credit_offsets_the_others(books, user):
    # when: 华信 owes 600.00, 联合 paid 100.00 in advance: 500.00 debit in all
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "112201": OpeningInput(
                debit=D("500.00"),
                by_dimension=by_customer(
                    huaxin=OpeningFigures(debit=D("600.00")),
                    lianhe=OpeningFigures(credit=D("100.00")),
                ),
            )
        },
    )
    # then
    assert splits(books) == {HUAXIN: (D("600.00"), ZERO), LIANHE: (ZERO, D("100.00"))}


def test_the_split_is_replaced_or_cleared_with_its_account(books, user):
    # given
    receivables_of_1000(books, user)
    # when: the whole 1,000.00 now owed by 华信
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "112201": OpeningInput(
                debit=D("1000.00"),
                by_dimension=by_customer(huaxin=OpeningFigures(debit=D("1000.00"))),
            )
        },
    )
    # then: 联合's row is gone
    assert splits(books) == {HUAXIN: (D("1000.00"), ZERO)}
    # when: the account cleared together with its split
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={"112201": OpeningInput(by_dimension={"customer": {}})},
    )
    # then
    assert splits(books) == {}
    assert not OpeningBalance.objects.filter(
        company=books, account__code="112201"
    ).exists()


@pytest.mark.parametrize(
    ("by_dimension", "message"),
    [
        ({"supplier": {3: OpeningFigures(debit=D("1000"))}}, "does not track"),
        ({"colour": {3: OpeningFigures(debit=D("1000"))}}, "Unknown dimension"),
        ({"customer": {0: OpeningFigures(debit=D("1000"))}}, "is not a Customer id"),
        (
            {"customer": {3: OpeningFigures(debit=D("1000.001"))}},
            "two decimal places",
        ),
        (
            {"customer": {3: OpeningFigures(debit=D("1000"), credit=D("1"))}},
            "either a debit or a credit",
        ),
    ],
    ids=["untracked", "unknown", "zero-id", "three-decimals", "both-sides"],
)
def test_bad_splits_are_refused(books, user, by_dimension, message):
    with pytest.raises(ValidationError, match=message):
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={
                "112201": OpeningInput(debit=D("1000"), by_dimension=by_dimension)
            },
        )
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()


def test_year_to_date_figures_are_split_too(books, user):
    # given: the books start in July
    services.set_first_period(company=books, actor=user, year=2026, period=7)
    # when: 华信 was billed 900.00 before July, 联合 400.00, and 华信 paid
    # 300.00; the account's 1,300.00 / 300.00 is split as 1,200.00 / 300.00
    with pytest.raises(ValidationError) as refused:
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={
                "112201": OpeningInput(
                    debit=D("1000.00"),
                    ytd_debit=D("1300.00"),
                    ytd_credit=D("300.00"),
                    by_dimension=by_customer(
                        huaxin=OpeningFigures(
                            debit=D("600.00"),
                            ytd_debit=D("800.00"),
                            ytd_credit=D("300.00"),
                        ),
                        lianhe=OpeningFigures(debit=D("400.00"), ytd_debit=D("400.00")),
                    ),
                )
            },
        )
    # then
    assert refused.value.message == (
        "112201 货款: the year-to-date figures by Customer add up to debit "
        "1,200.00 and credit 300.00, not to the account's debit 1,300.00 and "
        "credit 300.00."
    )
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()


def test_the_split_locks_the_accounts_dimensions(books, user):
    # given
    receivables_of_1000(books, user)
    account = Account.objects.get(company=books, code="112201")
    # when / then: dropping the customer dimension would orphan the split
    with pytest.raises(ConflictError):
        services.update_account(account=account, actor=user, name="货款", dimensions=[])


def test_opening_splits_are_locked_once_something_is_posted(books, user):
    # given
    receivables_of_1000(books, user)
    posted(
        books,
        datetime.date(2026, 1, 5),
        line("提现", "1001", debit="100"),
        line("提现", "1002", credit="100"),
    )
    # when / then
    with pytest.raises(ConflictError):
        services.set_opening_balances(
            company=books,
            actor=user,
            balances={"112201": OpeningInput(debit=D("1000"), by_dimension={})},
        )
    assert splits(books) == {HUAXIN: (D("600.00"), ZERO), LIANHE: (D("400.00"), ZERO)}


def test_the_check_finds_a_split_edited_behind_the_service(books, user):
    # given
    receivables_of_1000(books, user)
    # when: a row changed in the database directly
    OpeningDimensionBalance.objects.filter(company=books, value_id=LIANHE).update(
        debit=D("450.00")
    )
    # then: 600.00 + 450.00 = 1,050.00 ≠ 1,000.00
    (finding,) = checks.opening_splits_add_up()
    assert "by customer" in finding
    assert "Decimal('1050.00')" in finding
    assert "Decimal('1000.00')" in finding


# --- the reports -----------------------------------------------------------------


def sales_and_receipts(books) -> None:
    """January: 500.00 sold to 华信 on credit. February: 联合 pays its 400.00
    and 华信 300.00 into the bank."""
    posted(
        books,
        datetime.date(2026, 1, 20),
        line("销售商品", "112201", debit="500.00", customer=HUAXIN),
        line("销售商品", "5001", credit="500.00"),
    )
    posted(
        books,
        datetime.date(2026, 2, 10),
        line("收到联合货款", "1002", debit="400.00"),
        line("收到联合货款", "112201", credit="400.00", customer=LIANHE),
    )
    posted(
        books,
        datetime.date(2026, 2, 18),
        line("收到华信货款", "1002", debit="300.00"),
        line("收到华信货款", "112201", credit="300.00", customer=HUAXIN),
    )


def figures(row: reports.DimensionBalanceRow) -> tuple[Decimal, ...]:
    return (
        row.opening_debit,
        row.opening_credit,
        row.period_debit,
        row.period_credit,
        row.ytd_debit,
        row.ytd_credit,
        row.closing_debit,
        row.closing_credit,
    )


def test_dimension_balances_start_from_the_split(books, user):
    # given
    receivables_of_1000(books, user)
    sales_and_receipts(books)
    account = Account.objects.get(company=books, code="112201")
    # when
    january = reports.dimension_balances(
        books,
        account=account,
        dimension="customer",
        from_period=period(books, 1),
        to_period=period(books, 1),
    )
    february = reports.dimension_balances(
        books,
        account=account,
        dimension="customer",
        from_period=period(books, 2),
        to_period=period(books, 2),
    )
    # then January: 华信 600.00 + 500.00 billed = 1,100.00; 联合 keeps its
    # 400.00 with nothing posted (shown for its opening alone)
    assert {row.value_id: figures(row) for row in january} == {
        HUAXIN: (D("600.00"), ZERO, D("500.00"), ZERO, D("500.00"), ZERO, *BAL_1100),
        LIANHE: (D("400.00"), ZERO, ZERO, ZERO, ZERO, ZERO, D("400.00"), ZERO),
    }
    # February: 华信 1,100.00 − 300.00 = 800.00 (year to date 500.00 billed,
    # 300.00 paid); 联合 400.00 − 400.00 = 0
    assert {row.value_id: figures(row) for row in february} == {
        HUAXIN: (*BAL_1100, ZERO, D("300.00"), D("500.00"), D("300.00"), *BAL_800),
        LIANHE: (D("400.00"), ZERO, ZERO, D("400.00"), ZERO, D("400.00"), ZERO, ZERO),
    }
    # and the customers' closing balances add up to the account's:
    # 1,000.00 + 500.00 − 400.00 − 300.00 = 800.00
    tb = reports.trial_balance(
        books, from_period=period(books, 2), to_period=period(books, 2)
    )
    (receivables,) = [row for row in tb.rows if row.code == "112201"]
    assert receivables.closing_debit == D("800.00")
    assert sum((row.closing_debit for row in february), ZERO) == D("800.00")


def test_the_parent_account_sums_the_split_of_its_leaves(books, user):
    # given
    receivables_of_1000(books, user)
    # when: 1122 by customer, nothing posted
    rows = reports.dimension_balances(
        books,
        account=Account.objects.get(company=books, code="1122"),
        dimension="customer",
        from_period=period(books, 1),
        to_period=period(books, 1),
    )
    # then
    assert [(row.value_id, row.closing_debit) for row in rows] == [
        (HUAXIN, D("600.00")),
        (LIANHE, D("400.00")),
    ]


def test_the_customers_detail_ledger_opens_with_its_share(books, user):
    # given
    receivables_of_1000(books, user)
    sales_and_receipts(books)
    # when
    detail = reports.dimension_detail(
        books,
        account=Account.objects.get(company=books, code="112201"),
        dimension="customer",
        value_id=HUAXIN,
        from_period=period(books, 1),
        to_period=period(books, 2),
    )
    # then: 600.00 opening, +500.00 → 1,100.00, −300.00 → 800.00
    assert (detail.opening_direction, detail.opening_balance) == (
        "debit",
        D("600.00"),
    )
    assert [(ln.debit, ln.credit, ln.balance) for ln in detail.lines] == [
        (D("500.00"), ZERO, D("1100.00")),
        (ZERO, D("300.00"), D("800.00")),
    ]
    assert (detail.period_debit, detail.period_credit) == (D("500.00"), D("300.00"))
    assert (detail.closing_direction, detail.closing_balance) == (
        "debit",
        D("800.00"),
    )


def test_a_mid_year_start_adds_the_splits_year_to_date(books, user):
    # given: the books start in July; before it 华信 was billed 900.00 and
    # paid 300.00 (600.00 left), 联合 billed 400.00 (all of it left)
    services.set_first_period(company=books, actor=user, year=2026, period=7)
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "112201": OpeningInput(
                debit=D("1000.00"),
                ytd_debit=D("1300.00"),
                ytd_credit=D("300.00"),
                by_dimension=by_customer(
                    huaxin=OpeningFigures(
                        debit=D("600.00"),
                        ytd_debit=D("900.00"),
                        ytd_credit=D("300.00"),
                    ),
                    lianhe=OpeningFigures(debit=D("400.00"), ytd_debit=D("400.00")),
                ),
            )
        },
    )
    # and in July 200.00 more billed to 华信
    posted(
        books,
        datetime.date(2026, 7, 8),
        line("销售商品", "112201", debit="200.00", customer=HUAXIN),
        line("销售商品", "5001", credit="200.00"),
    )
    # when
    rows = reports.dimension_balances(
        books,
        account=Account.objects.get(company=books, code="112201"),
        dimension="customer",
        from_period=period(books, 7),
        to_period=period(books, 7),
    )
    # then 华信: year to date 900.00 + 200.00 = 1,100.00 billed, 300.00 paid;
    # closing 600.00 + 200.00 = 800.00
    assert {row.value_id: figures(row) for row in rows} == {
        HUAXIN: (D("600.00"), ZERO, D("200.00"), ZERO, *YTD_1100_300, *BAL_800),
        LIANHE: (D("400.00"), ZERO, ZERO, ZERO, D("400.00"), ZERO, D("400.00"), ZERO),
    }


def test_dimension_balances_cost_a_fixed_number_of_queries(
    books, user, django_assert_num_queries
):
    # given
    receivables_of_1000(books, user)
    sales_and_receipts(books)
    account = Account.objects.get(company=books, code="112201")
    january, february = period(books, 1), period(books, 2)
    # when / then: books settings, the openings, the grouped totals
    with django_assert_num_queries(3):
        reports.dimension_balances(
            books,
            account=account,
            dimension="customer",
            from_period=january,
            to_period=february,
        )
