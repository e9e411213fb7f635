"""Period close (结账): carry-forward of profit and loss, refusals, reopening
(反结账) and the year-end closing of 本年利润 into 未分配利润."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core.errors import ConflictError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import AuditEntry, Company
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    OpeningBalance,
    Period,
    PeriodTotal,
    Voucher,
)
from zhongshu.ledger.services.opening import OpeningInput
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 15)
D = Decimal


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English, whatever zh-hans says later."""
    with translation.override("en"):
        yield


@pytest.fixture
def books():
    return company_with_books()


@pytest.fixture
def user(books):
    return accountant(books)


def period(company: Company, year: int, number: int) -> Period:
    return Period.objects.get(company=company, year=year, number=number)


def net_debit(company: Company, code: str) -> Decimal:
    """Debit minus credit of a leaf account: opening plus every posting."""
    totals = PeriodTotal.objects.filter(company=company, account__code=code).aggregate(
        debit=sum_amount("debit"), credit=sum_amount("credit")
    )
    opening = OpeningBalance.objects.filter(company=company, account__code=code).first()
    start = opening.debit - opening.credit if opening else D("0.00")
    return start + totals["debit"] - totals["credit"]


def all_balances(company: Company) -> dict[str, Decimal]:
    codes = Account.objects.filter(company=company, is_leaf=True).values_list(
        "code", flat=True
    )
    return {code: net_debit(company, code) for code in codes}


def lines_of(voucher: Voucher) -> list[tuple[str, str, Decimal, Decimal]]:
    return [
        (row.account.code, row.summary, row.debit, row.credit)
        for row in voucher.lines.select_related("account").order_by("line_no")
    ]


def closing_vouchers(company: Company, kind: str = "ledger.carry_forward"):
    return Voucher.objects.filter(company=company, source_kind=kind).order_by("id")


def trade_in_january(books: Company) -> None:
    """Sales 10,000 + 13 % VAT, cost 6,000, office 800 and bank fees 12.50."""
    posted(
        books,
        JAN,
        line("销售商品", "1122", debit="11300.00"),
        line("销售商品", "5001", credit="10000.00"),
        line("销售商品", "22210107", credit="1300.00"),
    )
    posted(
        books,
        JAN,
        line("结转销售成本", "5401", debit="6000.00"),
        line("结转销售成本", "1405", credit="6000.00"),
    )
    posted(
        books,
        JAN,
        line("办公费", "5602", debit="800.00"),
        line("办公费", "1002", credit="800.00"),
    )
    posted(
        books,
        JAN,
        line("手续费", "5603", debit="12.50"),
        line("手续费", "1002", credit="12.50"),
    )


S = "结转本期损益"


def test_closing_a_month_carries_profit_and_loss_to_current_year_profit(books, user):
    # given
    trade_in_january(books)
    # when
    closed = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    # then: income 10,000 to the credit of 本年利润; costs and expenses
    # 6,000 + 800 + 12.50 = 6,812.50 to its debit; profit 3,187.50.
    voucher = closing_vouchers(books).get()
    assert (voucher.word, voucher.number, voucher.date, voucher.state) == (
        "转",
        1,
        datetime.date(2026, 1, 31),
        "posted",
    )
    assert voucher.source_id == closed.pk
    assert lines_of(voucher) == [
        ("5001", S, D("10000.00"), D("0.00")),
        ("3103", S, D("0.00"), D("10000.00")),
        ("3103", S, D("6812.50"), D("0.00")),
        ("5401", S, D("0.00"), D("6000.00")),
        ("5602", S, D("0.00"), D("800.00")),
        ("5603", S, D("0.00"), D("12.50")),
    ]
    assert net_debit(books, "3103") == D("-3187.50")
    for code in ("5001", "5401", "5602", "5603"):
        assert net_debit(books, code) == D("0.00")
    assert (closed.is_closed, closed.closed_by) == (True, user)
    assert closed.closed_at is not None
    assert AuditEntry.objects.filter(
        company=books, action="closed", object_id=str(closed.pk)
    ).exists()


def test_a_month_without_profit_and_loss_closes_without_a_voucher(books, user):
    # given: only a capital injection
    posted(
        books,
        JAN,
        line("投资款", "1002", debit="500"),
        line("投资款", "3001", credit="500"),
    )
    # when
    services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    # then
    assert not closing_vouchers(books).exists()
    assert period(books, 2026, 1).is_closed


def test_dimension_tracked_revenue_is_carried_per_customer(books, user):
    # given: 主营业务收入 tracked by customer; 1,000 to customer 7, 500 to 9
    revenue = Account.objects.get(company=books, code="5001")
    services.update_account(
        account=revenue, actor=user, name="主营业务收入", dimensions=["customer"]
    )
    for customer, amount in ((7, "1000.00"), (9, "500.00")):
        posted(
            books,
            JAN,
            line("销售", "1002", debit=amount),
            line("销售", "5001", credit=amount, customer=customer),
        )
    # when
    services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    # then
    voucher = closing_vouchers(books).get()
    assert [
        (row.account.code, row.customer_id, row.debit, row.credit)
        for row in voucher.lines.select_related("account").order_by("line_no")
    ] == [
        ("5001", 7, D("1000.00"), D("0.00")),
        ("5001", 9, D("500.00"), D("0.00")),
        ("3103", None, D("0.00"), D("1500.00")),
    ]


def test_revenue_with_net_returns_is_closed_on_the_credit_side(books, user):
    # given: returns (a red credit of 300) exceed sales of 100
    posted(
        books,
        JAN,
        line("销售", "1002", debit="100"),
        line("销售", "5001", credit="100"),
    )
    posted(
        books,
        JAN,
        line("退货", "1002", debit="-300"),
        line("退货", "5001", credit="-300"),
    )
    # when
    services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    # then: 5001 has a net debit of 200, a loss taken to the debit of 本年利润
    assert lines_of(closing_vouchers(books).get()) == [
        ("3103", S, D("200.00"), D("0.00")),
        ("5001", S, D("0.00"), D("200.00")),
    ]


def test_the_closing_voucher_posts_even_when_generated_vouchers_await_review(
    books, user
):
    # given
    settings = services.books_of(books)
    settings.auto_post = False
    settings.save(update_fields=["auto_post"])
    draft = posted(
        books,
        JAN,
        line("办公费", "5602", debit="80"),
        line("办公费", "1002", credit="80"),
    )
    services.post_reviewed_voucher(voucher=draft, actor=user)
    # when
    services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    # then
    assert closing_vouchers(books).get().state == "posted"
    assert net_debit(books, "3103") == D("80.00")


def _nothing_written(books, vouchers_before: int, totals_before) -> None:
    assert Voucher.objects.filter(company=books).count() == vouchers_before
    assert list(PeriodTotal.objects.filter(company=books).order_by("id").values()) == (
        totals_before
    )
    assert not Period.objects.filter(company=books, is_closed=True).exists()
    assert not AuditEntry.objects.filter(company=books, action="closed").exists()


def _snapshot(books):
    return (
        Voucher.objects.filter(company=books).count(),
        list(PeriodTotal.objects.filter(company=books).order_by("id").values()),
    )


def test_an_unposted_voucher_blocks_the_close(books, user):
    # given
    trade_in_january(books)
    services.create_voucher(
        company=books,
        actor=user,
        date=JAN,
        lines=[line("提现", "1001", debit="50"), line("提现", "1002", credit="50")],
    )
    before = _snapshot(books)
    # when / then
    with pytest.raises(ConflictError, match="1 voucher\\(s\\) of period 2026-01"):
        services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    _nothing_written(books, *before)
    assert [
        p.code for p in services.closing_checklist(books, period(books, 2026, 1))
    ] == ["unposted_vouchers"]


def test_periods_close_in_order(books, user):
    # given
    posted(
        books,
        datetime.date(2026, 2, 3),
        line("办公费", "5602", debit="10"),
        line("办公费", "1002", credit="10"),
    )
    before = _snapshot(books)
    # when / then
    with pytest.raises(ConflictError, match="Close period 2026-01 first"):
        services.close_period(company=books, actor=user, period=period(books, 2026, 2))
    _nothing_written(books, *before)


def test_unbalanced_opening_balances_block_closing_the_first_period(books, user):
    # given: 1,000 in the bank against 900 of capital
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "1002": OpeningInput(debit=D("1000.00")),
            "3001": OpeningInput(credit=D("900.00")),
        },
    )
    trade_in_january(books)
    before = _snapshot(books)
    # when / then
    with pytest.raises(ConflictError, match=r"difference 100\.00"):
        services.close_period(company=books, actor=user, period=period(books, 2026, 1))
    _nothing_written(books, *before)


def test_a_closed_period_refuses_closing_again_and_postings(books, user):
    # given
    trade_in_january(books)
    january = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    before = _snapshot(books)
    # when / then
    with pytest.raises(ConflictError, match="is closed"):
        services.close_period(company=books, actor=user, period=january)
    with pytest.raises(ConflictError, match="accepts no postings"):
        posted(books, JAN, line("x", "1002", debit="1"), line("x", "3001", credit="1"))
    assert _snapshot(books) == before


def test_periods_before_the_start_of_the_books_do_not_close(books, user):
    services.set_first_period(company=books, actor=user, year=2026, period=7)
    with pytest.raises(ConflictError, match="before the first period"):
        services.close_period(company=books, actor=user, period=period(books, 2026, 6))


def test_reopening_reverses_the_carry_forward_in_the_same_period(books, user):
    # given
    trade_in_january(books)
    january = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    # when
    reopened = services.reopen_period(company=books, actor=user, period=january)
    # then: a red mirror in January, with the same source, so 本年利润 is
    # back to zero and 主营业务收入 shows its 10,000 again
    assert not reopened.is_closed
    assert (reopened.closed_at, reopened.closed_by) == (None, None)
    original, reversal = closing_vouchers(books)
    assert reversal.reversal_of == original
    assert (reversal.date, reversal.state, reversal.source_id) == (
        datetime.date(2026, 1, 31),
        "posted",
        january.pk,
    )
    assert [(code, dr, cr) for code, _s, dr, cr in lines_of(reversal)] == [
        ("5001", D("-10000.00"), D("0.00")),
        ("3103", D("0.00"), D("-10000.00")),
        ("3103", D("-6812.50"), D("0.00")),
        ("5401", D("0.00"), D("-6000.00")),
        ("5602", D("0.00"), D("-800.00")),
        ("5603", D("0.00"), D("-12.50")),
    ]
    assert net_debit(books, "3103") == D("0.00")
    assert net_debit(books, "5001") == D("-10000.00")
    assert AuditEntry.objects.filter(
        company=books, action="reopened", object_id=str(january.pk)
    ).exists()


def test_reopen_and_close_again_give_the_same_balances(books, user):
    # given
    trade_in_january(books)
    january = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    after_first_close = all_balances(books)
    # when
    services.reopen_period(company=books, actor=user, period=january)
    services.close_period(company=books, actor=user, period=january)
    # then
    assert all_balances(books) == after_first_close
    assert closing_vouchers(books).count() == 3


def test_a_voucher_added_while_reopened_is_carried_at_the_second_close(books, user):
    # given
    trade_in_january(books)
    january = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    services.reopen_period(company=books, actor=user, period=january)
    posted(
        books,
        JAN,
        line("差旅费", "5602", debit="200"),
        line("差旅费", "1002", credit="200"),
    )
    # when
    services.close_period(company=books, actor=user, period=january)
    # then: the new carry-forward closes the whole month again:
    # expenses 6,812.50 + 200 = 7,012.50; profit 10,000 − 7,012.50 = 2,987.50
    assert lines_of(closing_vouchers(books).last()) == [
        ("5001", S, D("10000.00"), D("0.00")),
        ("3103", S, D("0.00"), D("10000.00")),
        ("3103", S, D("7012.50"), D("0.00")),
        ("5401", S, D("0.00"), D("6000.00")),
        ("5602", S, D("0.00"), D("1000.00")),
        ("5603", S, D("0.00"), D("12.50")),
    ]
    assert net_debit(books, "3103") == D("-2987.50")
    assert net_debit(books, "5602") == D("0.00")


def test_only_the_latest_closed_period_reopens(books, user):
    # given
    trade_in_january(books)
    january = services.close_period(
        company=books, actor=user, period=period(books, 2026, 1)
    )
    services.close_period(company=books, actor=user, period=period(books, 2026, 2))
    before = _snapshot(books)
    # when / then
    with pytest.raises(ConflictError, match="Period 2026-02 is closed"):
        services.reopen_period(company=books, actor=user, period=january)
    with pytest.raises(ConflictError, match="is open"):
        services.reopen_period(company=books, actor=user, period=period(books, 2026, 3))
    assert _snapshot(books) == before
    assert period(books, 2026, 1).is_closed


def test_closing_december_carries_the_year_profit_to_retained_earnings(books, user):
    # given: revenue of 5,000 in March, expenses of 1,200 in December
    posted(
        books,
        datetime.date(2026, 3, 9),
        line("销售", "1002", debit="5000"),
        line("销售", "5001", credit="5000"),
    )
    posted(
        books,
        datetime.date(2026, 12, 9),
        line("房租", "5602", debit="1200"),
        line("房租", "1002", credit="1200"),
    )
    # when
    for number in range(1, 13):
        services.close_period(
            company=books, actor=user, period=period(books, 2026, number)
        )
    # then: profit 5,000 − 1,200 = 3,800 leaves 本年利润 for 未分配利润
    year_end = closing_vouchers(books, "ledger.year_end").get()
    assert (year_end.date, year_end.word) == (datetime.date(2026, 12, 31), "转")
    assert lines_of(year_end) == [
        ("3103", "结转本年利润", D("3800.00"), D("0.00")),
        ("310405", "结转本年利润", D("0.00"), D("3800.00")),
    ]
    assert net_debit(books, "3103") == D("0.00")
    assert net_debit(books, "310405") == D("-3800.00")
    assert Period.objects.filter(company=books, year=2027).count() == 12
    # and the new year takes postings
    posted(
        books,
        datetime.date(2027, 1, 5),
        line("销售", "1002", debit="10"),
        line("销售", "5001", credit="10"),
    )


def test_a_loss_year_under_the_enterprise_standard_and_its_reopening():
    # given: books starting in December 2026 with 500 of expenses
    company = company_with_books("ENT", standard="enterprise")
    user = accountant(company)
    services.set_first_period(company=company, actor=user, year=2026, period=12)
    posted(
        company,
        datetime.date(2026, 12, 1),
        line("办公费", "6602", debit="500"),
        line("办公费", "1002", credit="500"),
    )
    december = period(company, 2026, 12)
    # when
    services.close_period(company=company, actor=user, period=december)
    # then: the loss goes 6602 → 4103 → 410405
    assert lines_of(closing_vouchers(company).get()) == [
        ("4103", S, D("500.00"), D("0.00")),
        ("6602", S, D("0.00"), D("500.00")),
    ]
    assert lines_of(closing_vouchers(company, "ledger.year_end").get()) == [
        ("410405", "结转本年利润", D("500.00"), D("0.00")),
        ("4103", "结转本年利润", D("0.00"), D("500.00")),
    ]
    assert net_debit(company, "410405") == D("500.00")
    # when: reopened, both closing vouchers are reversed, the year-end first
    services.reopen_period(company=company, actor=user, period=december)
    # then
    reversed_kinds = list(
        Voucher.objects.filter(company=company, reversal_of__isnull=False)
        .order_by("id")
        .values_list("source_kind", flat=True)
    )
    assert reversed_kinds == ["ledger.year_end", "ledger.carry_forward"]
    assert (net_debit(company, "410405"), net_debit(company, "4103")) == (
        D("0.00"),
        D("0.00"),
    )
    assert net_debit(company, "6602") == D("500.00")


def test_a_mid_year_start_closes_its_first_period(books, user):
    # given: the books start in July; January–June made a profit of 10,000
    # (revenue 30,000, expenses 20,000, all carried to 本年利润 already)
    services.set_first_period(company=books, actor=user, year=2026, period=7)
    services.set_opening_balances(
        company=books,
        actor=user,
        balances={
            "1002": OpeningInput(
                debit=D("50000.00"), ytd_debit=D("30000.00"), ytd_credit=D("20000.00")
            ),
            "3001": OpeningInput(credit=D("40000.00")),
            "3103": OpeningInput(
                credit=D("10000.00"), ytd_debit=D("20000.00"), ytd_credit=D("30000.00")
            ),
            "5001": OpeningInput(ytd_debit=D("30000.00"), ytd_credit=D("30000.00")),
            "5602": OpeningInput(ytd_debit=D("20000.00"), ytd_credit=D("20000.00")),
        },
    )
    # opening: debits 50,000 = credits 40,000 + 10,000; year-to-date: debits
    # 30,000 + 20,000 + 30,000 + 20,000 = 100,000 = credits likewise
    check = services.opening_trial_balance(books)
    assert (check.debit, check.credit, check.ytd_debit, check.balanced) == (
        D("50000.00"),
        D("50000.00"),
        D("100000.00"),
        True,
    )
    posted(
        books,
        datetime.date(2026, 7, 8),
        line("销售", "1002", debit="2260"),
        line("销售", "5001", credit="2000"),
        line("销售", "22210107", credit="260"),
    )
    posted(
        books,
        datetime.date(2026, 7, 20),
        line("办公费", "5602", debit="500"),
        line("办公费", "1002", credit="500"),
    )
    # when
    july = services.close_period(
        company=books, actor=user, period=period(books, 2026, 7)
    )
    # then: July's profit 2,000 − 500 = 1,500 joins the 10,000 brought in
    assert july.is_closed
    assert lines_of(closing_vouchers(books).get()) == [
        ("5001", S, D("2000.00"), D("0.00")),
        ("3103", S, D("0.00"), D("2000.00")),
        ("3103", S, D("500.00"), D("0.00")),
        ("5602", S, D("0.00"), D("500.00")),
    ]
    assert net_debit(books, "3103") == D("-11500.00")
