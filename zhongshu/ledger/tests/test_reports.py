"""Ledger reports: 科目余额表, 总分类账, 明细分类账, 辅助核算, 凭证汇总表 and the
balances the statements read, on a small trading company worked by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    LedgerSettings,
    OpeningBalance,
    Period,
    Voucher,
)
from zhongshu.ledger.selectors import reports
from zhongshu.ledger.services.periods import close_period
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
D = Decimal
ZERO = D("0.00")
CUSTOMER_A, CUSTOMER_B = 101, 102


@dataclass
class Books:
    company: Company
    jan: Period
    feb: Period
    mar: Period

    def account(self, code: str) -> Account:
        return Account.objects.get(company=self.company, code=code)


def period(company: Company, year: int, number: int) -> Period:
    return Period.objects.get(company=company, year=year, number=number)


def opening(company: Company, code: str, **amounts: str) -> OpeningBalance:
    account = Account.objects.get(company=company, code=code)
    return OpeningBalance.objects.create(
        company=company, account=account, **{k: D(v) for k, v in amounts.items()}
    )


def trading_books(code: str = "TRADE") -> Books:
    """A small trading company, 2026, 小企业会计准则.

    Opening: 1001 cash 5,000.00 Dr; 100201 ICBC 60,000.00 Dr; 100202 CCB
    35,000.00 Dr; 3001 capital 100,000.00 Cr. 1122 requires a customer.

    January (5 vouchers, Dr = Cr = 96,000.00):
      1  01-05 buy goods       Dr 1405 20,000  Dr 22210101 2,600  Cr 100201 22,600
      2  01-10 sell to A       Dr 1122/A 33,900  Cr 5001 30,000  Cr 22210107 3,900
      3  01-10 cost of sales   Dr 5401 18,000  Cr 1405 18,000
      4  01-20 A pays          Dr 100202 20,000  Cr 1122/A 20,000
      5  01-25 office costs    Dr 5602 1,500  Cr 1001 1,500
    February (2 vouchers, Dr = Cr = 12,800.00):
      6  02-08 sell to B       Dr 1122/B 11,300  Cr 5001 10,000  Cr 22210107 1,300
      7  02-08 cost of sales   Dr 5401 1,500  Cr 1405 1,500
    March: nothing.
    """
    company = company_with_books(code)
    user = accountant(company)
    services.add_account(
        company=company, actor=user, parent_code="1002", code="100201", name="工商银行"
    )
    services.add_account(
        company=company, actor=user, parent_code="1002", code="100202", name="建设银行"
    )
    services.update_account(
        account=Account.objects.get(company=company, code="1122"),
        actor=user,
        name="应收账款",
        dimensions=["customer"],
    )
    opening(company, "1001", debit="5000.00")
    opening(company, "100201", debit="60000.00")
    opening(company, "100202", debit="35000.00")
    opening(company, "3001", credit="100000.00")
    day = datetime.date
    posted(
        company,
        day(2026, 1, 5),
        line("购进商品", "1405", debit="20000.00"),
        line("进项税额", "22210101", debit="2600.00"),
        line("付货款", "100201", credit="22600.00"),
    )
    posted(
        company,
        day(2026, 1, 10),
        line("销售商品", "1122", debit="33900.00", customer=CUSTOMER_A),
        line("销售商品", "5001", credit="30000.00"),
        line("销项税额", "22210107", credit="3900.00"),
    )
    posted(
        company,
        day(2026, 1, 10),
        line("结转成本", "5401", debit="18000.00"),
        line("结转成本", "1405", credit="18000.00"),
    )
    posted(
        company,
        day(2026, 1, 20),
        line("收货款", "100202", debit="20000.00"),
        line("收货款", "1122", credit="20000.00", customer=CUSTOMER_A),
    )
    posted(
        company,
        day(2026, 1, 25),
        line("办公费", "5602", debit="1500.00"),
        line("办公费", "1001", credit="1500.00"),
    )
    posted(
        company,
        day(2026, 2, 8),
        line("销售商品", "1122", debit="11300.00", customer=CUSTOMER_B),
        line("销售商品", "5001", credit="10000.00"),
        line("销项税额", "22210107", credit="1300.00"),
    )
    posted(
        company,
        day(2026, 2, 8),
        line("结转成本", "5401", debit="1500.00"),
        line("结转成本", "1405", credit="1500.00"),
    )
    return Books(
        company,
        period(company, 2026, 1),
        period(company, 2026, 2),
        period(company, 2026, 3),
    )


@pytest.fixture
def books() -> Books:
    return trading_books()


def columns(row: reports.TrialBalanceRow) -> tuple[Decimal, ...]:
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


def by_code(tb: reports.TrialBalance) -> dict[str, reports.TrialBalanceRow]:
    return {row.code: row for row in tb.rows}


# --- 科目余额表 ---


def test_trial_balance_of_january(books):
    # when
    tb = reports.trial_balance(
        books.company, from_period=books.jan, to_period=books.jan
    )
    # then
    rows = by_code(tb)
    # 1002 = 100201 + 100202: opening 60,000 + 35,000 = 95,000; Dr 20,000,
    # Cr 22,600; closing 95,000 + 20,000 − 22,600 = 92,400.
    assert columns(rows["1002"]) == (
        D("95000.00"),
        ZERO,
        D("20000.00"),
        D("22600.00"),
        D("20000.00"),
        D("22600.00"),
        D("92400.00"),
        ZERO,
    )
    assert (rows["1002"].level, rows["1002"].is_leaf) == (1, False)
    assert columns(rows["100201"])[-2:] == (D("37400.00"), ZERO)  # 60,000 − 22,600
    assert columns(rows["100202"])[-2:] == (D("55000.00"), ZERO)  # 35,000 + 20,000
    # 应交税费: input 2,600 Dr, output 3,900 Cr → a 1,300 credit balance, while
    # the input VAT sub-account keeps its own debit balance.
    assert columns(rows["2221"])[2:] == (
        D("2600.00"),
        D("3900.00"),
        D("2600.00"),
        D("3900.00"),
        ZERO,
        D("1300.00"),
    )
    assert columns(rows["22210101"])[-2:] == (D("2600.00"), ZERO)
    assert columns(rows["5001"])[-2:] == (ZERO, D("30000.00"))
    # Totals over level-1 accounts: opening 100,000 each side; movements
    # 96,000 each side; closing Dr 3,500 + 92,400 + 13,900 + 2,000 + 18,000
    # + 1,500 = 131,300 = Cr 1,300 + 100,000 + 30,000.
    assert (tb.totals.opening_debit, tb.totals.opening_credit) == (
        D("100000.00"),
        D("100000.00"),
    )
    assert (tb.totals.period_debit, tb.totals.period_credit) == (
        D("96000.00"),
        D("96000.00"),
    )
    assert (tb.totals.closing_debit, tb.totals.closing_credit) == (
        D("131300.00"),
        D("131300.00"),
    )
    assert tb.balanced


def test_trial_balance_of_february_carries_january_and_counts_the_year(books):
    # when
    tb = reports.trial_balance(
        books.company, from_period=books.feb, to_period=books.feb
    )
    # then: 1122 opens at Jan's 33,900 − 20,000 = 13,900; Feb Dr 11,300;
    # year to date Dr 33,900 + 11,300 = 45,200, Cr 20,000; closing 25,200.
    assert columns(by_code(tb)["1122"]) == (
        D("13900.00"),
        ZERO,
        D("11300.00"),
        ZERO,
        D("45200.00"),
        D("20000.00"),
        D("25200.00"),
        ZERO,
    )
    # 1002 had no February postings: it still shows, opening = closing.
    assert columns(by_code(tb)["1002"])[:4] == (D("92400.00"), ZERO, ZERO, ZERO)
    assert (tb.totals.period_debit, tb.totals.ytd_debit) == (
        D("12800.00"),  # 11,300 + 1,500
        D("108800.00"),  # 96,000 + 12,800
    )
    assert tb.balanced


def test_trial_balance_for_a_range_of_periods(books):
    # when: January to March
    tb = reports.trial_balance(
        books.company, from_period=books.jan, to_period=books.mar
    )
    # then: 5001 Cr 30,000 + 10,000 = 40,000 over the range and the year
    assert columns(by_code(tb)["5001"]) == (
        ZERO,
        ZERO,
        ZERO,
        D("40000.00"),
        ZERO,
        D("40000.00"),
        ZERO,
        D("40000.00"),
    )
    assert (tb.totals.period_debit, tb.totals.period_credit) == (
        D("108800.00"),
        D("108800.00"),
    )


def test_level_filter_and_zero_rows(books):
    # when
    level_one = reports.trial_balance(
        books.company, from_period=books.jan, to_period=books.jan, level=1
    )
    with_zero = reports.trial_balance(
        books.company,
        from_period=books.jan,
        to_period=books.jan,
        level=2,
        include_zero=True,
    )
    # then: level 1 without zero rows are the nine accounts with figures
    assert [row.code for row in level_one.rows] == [
        "1001",
        "1002",
        "1122",
        "1405",
        "2221",
        "3001",
        "5001",
        "5401",
        "5602",
    ]
    # level 2 with zero rows: 1012 (never used) shows, 22210101 (level 3) not
    codes = [row.code for row in with_zero.rows]
    assert "1012" in codes
    assert "222101" in codes
    assert "22210101" not in codes
    assert all(row.level <= 2 for row in with_zero.rows)
    assert by_code(with_zero)["1012"].is_zero
    # the totals do not depend on the filters
    assert level_one.totals == with_zero.totals


def test_a_balance_that_flips_shows_on_the_other_side(books):
    # given: 500.00 paid to a supplier before any invoice: 应付账款 (a credit
    # account) ends with a debit balance
    posted(
        books.company,
        datetime.date(2026, 3, 3),
        line("预付货款", "2202", debit="500.00"),
        line("预付货款", "1001", credit="500.00"),
    )
    # when
    tb = reports.trial_balance(
        books.company, from_period=books.mar, to_period=books.mar
    )
    # then
    assert columns(by_code(tb)["2202"])[-2:] == (D("500.00"), ZERO)


def test_trial_balance_refuses_periods_of_two_years_or_reversed(books):
    # given
    services.setup.ensure_periods(books.company, 2027)
    next_january = period(books.company, 2027, 1)
    # when / then
    with pytest.raises(ValidationError):
        reports.trial_balance(
            books.company, from_period=books.feb, to_period=next_january
        )
    with pytest.raises(ValidationError):
        reports.trial_balance(books.company, from_period=books.feb, to_period=books.jan)


def test_reports_refuse_another_companys_period(books):
    # given
    other = company_with_books("OTHER")
    # when / then
    with pytest.raises(NotFoundError):
        reports.trial_balance(other, from_period=books.jan, to_period=books.jan)
    with pytest.raises(NotFoundError):
        reports.general_ledger(other, account=books.account("1001"), year=2026)


def mid_year_books() -> tuple[Company, Period]:
    """Books starting in July 2026. The company began the year with 8,000.00
    in the bank and 8,000.00 capital; January to June it sold 50,000.00 on
    credit, collected 42,000.00, paid 2,000.00 of office costs from the bank
    and carried profit and loss to 本年利润 monthly. Opening at 1 July, with
    the year's movements so far:
      1122  8,000.00 Dr   ytd Dr 50,000.00  Cr 42,000.00
      1002 48,000.00 Dr   ytd Dr 42,000.00  Cr  2,000.00
      3001  8,000.00 Cr
      3103 48,000.00 Cr   ytd Dr  2,000.00  Cr 50,000.00
      5001      —         ytd Dr 50,000.00  Cr 50,000.00
      5602      —         ytd Dr  2,000.00  Cr  2,000.00
    (56,000.00 a side; year to date 146,000.00 a side.)
    July: a customer pays 3,000.00 (Dr 1002, Cr 1122) and a sale of 1,000.00
    is made for cash (Dr 1001, Cr 5001)."""
    company = company_with_books("MIDYEAR")
    LedgerSettings.objects.filter(company=company).update(first_period=7)
    opening(
        company, "1122", debit="8000.00", ytd_debit="50000.00", ytd_credit="42000.00"
    )
    opening(
        company, "1002", debit="48000.00", ytd_debit="42000.00", ytd_credit="2000.00"
    )
    opening(company, "3001", credit="8000.00")
    opening(
        company, "3103", credit="48000.00", ytd_debit="2000.00", ytd_credit="50000.00"
    )
    opening(company, "5001", ytd_debit="50000.00", ytd_credit="50000.00")
    opening(company, "5602", ytd_debit="2000.00", ytd_credit="2000.00")
    posted(
        company,
        datetime.date(2026, 7, 15),
        line("收款", "1002", debit="3000.00"),
        line("收款", "1122", credit="3000.00"),
    )
    posted(
        company,
        datetime.date(2026, 7, 20),
        line("现销", "1001", debit="1000.00"),
        line("现销", "5001", credit="1000.00"),
    )
    return company, period(company, 2026, 7)


def test_mid_year_start_counts_the_year_before_the_books():
    # given
    company, july = mid_year_books()
    receivable = Account.objects.get(company=company, code="1122")
    # when
    tb = reports.trial_balance(company, from_period=july, to_period=july)
    ledger = reports.general_ledger(company, account=receivable, year=2026)
    # then: opening 8,000; July Cr 3,000; year to date Dr 50,000, Cr 42,000 +
    # 3,000 = 45,000; closing 5,000
    assert columns(by_code(tb)["1122"]) == (
        D("8000.00"),
        ZERO,
        ZERO,
        D("3000.00"),
        D("50000.00"),
        D("45000.00"),
        D("5000.00"),
        ZERO,
    )
    # totals: opening 56,000 a side; July 4,000 a side; year to date
    # 146,000 + 4,000 = 150,000 a side
    assert (tb.totals.opening_debit, tb.totals.period_debit, tb.totals.ytd_debit) == (
        D("56000.00"),
        D("4000.00"),
        D("150000.00"),
    )
    assert tb.balanced
    assert [
        (r.kind, r.period_number, r.debit, r.credit, r.balance) for r in ledger
    ] == [
        ("opening", 7, ZERO, ZERO, D("8000.00")),
        ("period", 7, ZERO, D("3000.00"), D("5000.00")),
        ("year_to_date", 7, D("50000.00"), D("45000.00"), D("5000.00")),
    ]


def test_trial_balance_queries_stay_constant(books, django_assert_max_num_queries):
    # given: one month posted
    with django_assert_max_num_queries(4):
        reports.trial_balance(books.company, from_period=books.jan, to_period=books.feb)
    # when: twenty more vouchers, a new sub-account and another month
    user = accountant(books.company)
    services.add_account(
        company=books.company,
        actor=user,
        parent_code="1012",
        code="101201",
        name="微信支付",
    )
    for day in range(1, 21):
        posted(
            books.company,
            datetime.date(2026, 3, day),
            line("零星收入", "101201", debit="10.00"),
            line("零星收入", "5051", credit="10.00"),
        )
    # then
    with django_assert_max_num_queries(4):
        tb = reports.trial_balance(
            books.company, from_period=books.jan, to_period=books.mar
        )
    assert by_code(tb)["1012"].closing_debit == D("200.00")  # 20 × 10.00


# --- 总分类账 ---


def general_rows(rows):
    return [
        (r.kind, r.period_number, r.debit, r.credit, r.direction, r.balance)
        for r in rows
    ]


def test_general_ledger_of_a_parent_account(books):
    # when
    rows = reports.general_ledger(
        books.company, account=books.account("1002"), year=2026
    )
    # then: through February, the last month with postings
    assert general_rows(rows) == [
        ("opening", 1, ZERO, ZERO, "debit", D("95000.00")),
        ("period", 1, D("20000.00"), D("22600.00"), "debit", D("92400.00")),
        ("year_to_date", 1, D("20000.00"), D("22600.00"), "debit", D("92400.00")),
        ("period", 2, ZERO, ZERO, "debit", D("92400.00")),
        ("year_to_date", 2, D("20000.00"), D("22600.00"), "debit", D("92400.00")),
    ]
    assert rows[0].date == datetime.date(2026, 1, 1)
    assert rows[1].date == datetime.date(2026, 1, 31)


def test_general_ledger_of_a_revenue_account(books):
    # when
    rows = reports.general_ledger(
        books.company, account=books.account("5001"), year=2026
    )
    # then: credit balances, 30,000 then 40,000
    assert general_rows(rows) == [
        ("opening", 1, ZERO, ZERO, "flat", ZERO),
        ("period", 1, ZERO, D("30000.00"), "credit", D("30000.00")),
        ("year_to_date", 1, ZERO, D("30000.00"), "credit", D("30000.00")),
        ("period", 2, ZERO, D("10000.00"), "credit", D("40000.00")),
        ("year_to_date", 2, ZERO, D("40000.00"), "credit", D("40000.00")),
    ]


def test_general_ledger_of_the_next_year_opens_with_the_last_balance(books):
    # given
    services.setup.ensure_periods(books.company, 2027)
    posted(
        books.company,
        datetime.date(2027, 1, 4),
        line("取现", "1001", debit="1000.00"),
        line("取现", "100201", credit="1000.00"),
    )
    # when
    rows = reports.general_ledger(
        books.company, account=books.account("1002"), year=2027
    )
    # then: opens at the end of 2026 (92,400); the year to date starts afresh
    assert general_rows(rows) == [
        ("opening", 1, ZERO, ZERO, "debit", D("92400.00")),
        ("period", 1, ZERO, D("1000.00"), "debit", D("91400.00")),
        ("year_to_date", 1, ZERO, D("1000.00"), "debit", D("91400.00")),
    ]


def test_the_next_years_trial_balance_starts_its_year_to_date_afresh(books):
    # given
    services.setup.ensure_periods(books.company, 2027)
    posted(
        books.company,
        datetime.date(2027, 1, 4),
        line("现销", "1001", debit="1000.00"),
        line("现销", "5001", credit="1000.00"),
    )
    january = period(books.company, 2027, 1)
    # when
    tb = reports.trial_balance(books.company, from_period=january, to_period=january)
    # then: cash opens at 5,000 − 1,500 = 3,500; 2027 movements only
    assert columns(by_code(tb)["1001"]) == (
        D("3500.00"),
        ZERO,
        D("1000.00"),
        ZERO,
        D("1000.00"),
        ZERO,
        D("4500.00"),
        ZERO,
    )
    assert tb.balanced


def test_general_ledger_refuses_a_year_before_the_books(books):
    with pytest.raises(ValidationError):
        reports.general_ledger(books.company, account=books.account("1001"), year=2025)


def test_general_ledger_needs_books():
    # given: a company whose books were never set up, and an account of it
    company = core_testing.make_company("NOBOOKS")
    account = Account.objects.create(
        company=company,
        code="1001",
        name="库存现金",
        level=1,
        category="asset",
        normal_balance="debit",
    )
    # when / then
    with pytest.raises(NotFoundError):
        reports.general_ledger(company, account=account, year=2026)


def test_general_ledger_of_a_year_without_periods_has_its_opening_only(books):
    # when
    rows = reports.general_ledger(
        books.company, account=books.account("1001"), year=2030
    )
    # then: 5,000 − 1,500 = 3,500 carried, no months yet
    assert general_rows(rows) == [("opening", None, ZERO, ZERO, "debit", D("3500.00"))]
    assert rows[0].date == datetime.date(2030, 1, 1)


# --- 明细分类账 ---


def detail_rows(detail):
    return [
        (
            line.voucher_number,
            line.account_code,
            line.summary,
            line.debit,
            line.credit,
            line.direction,
            line.balance,
        )
        for line in detail.lines
    ]


def test_account_detail_pages_keep_the_running_balance(books):
    # given: a draft voucher, which is not in the books
    services.create_voucher(
        company=books.company,
        actor=accountant(books.company),
        date=datetime.date(2026, 1, 15),
        lines=[
            line("草稿", "1122", debit="999.00", customer=CUSTOMER_A),
            line("草稿", "5001", credit="999.00"),
        ],
    )
    receivable = books.account("1122")
    # when: pages of two lines
    first = reports.account_detail(
        books.company,
        account=receivable,
        from_period=books.jan,
        to_period=books.feb,
        limit=2,
    )
    second = reports.account_detail(
        books.company,
        account=receivable,
        from_period=books.jan,
        to_period=books.feb,
        limit=2,
        offset=2,
    )
    # then: 33,900 → 13,900 → 25,200
    assert detail_rows(first) == [
        ("记-0002", "1122", "销售商品", D("33900.00"), ZERO, "debit", D("33900.00")),
        ("记-0004", "1122", "收货款", ZERO, D("20000.00"), "debit", D("13900.00")),
    ]
    assert detail_rows(second) == [
        ("记-0001", "1122", "销售商品", D("11300.00"), ZERO, "debit", D("25200.00")),
    ]
    assert (first.total_lines, first.has_more, second.has_more) == (3, True, False)
    assert (first.opening_direction, first.opening_balance) == ("flat", ZERO)
    assert (first.period_debit, first.period_credit) == (D("45200.00"), D("20000.00"))
    assert (second.closing_direction, second.closing_balance) == (
        "debit",
        D("25200.00"),
    )
    assert first.lines[0].date == datetime.date(2026, 1, 10)


def test_account_detail_of_a_parent_account_lists_its_leaves(books):
    # when: one line a page
    pages = [
        reports.account_detail(
            books.company,
            account=books.account("1002"),
            from_period=books.jan,
            to_period=books.mar,
            limit=1,
            offset=offset,
        )
        for offset in (0, 1)
    ]
    # then: 95,000 − 22,600 = 72,400, then + 20,000 = 92,400
    assert [detail_rows(page) for page in pages] == [
        [("记-0001", "100201", "付货款", ZERO, D("22600.00"), "debit", D("72400.00"))],
        [("记-0004", "100202", "收货款", D("20000.00"), ZERO, "debit", D("92400.00"))],
    ]
    assert pages[0].opening_balance == D("95000.00")


def test_account_detail_from_a_later_period_opens_with_earlier_postings(books):
    # when
    detail = reports.account_detail(
        books.company,
        account=books.account("1122"),
        from_period=books.feb,
        to_period=books.feb,
    )
    # then: opening 13,900 (January), then + 11,300
    assert (detail.opening_direction, detail.opening_balance) == (
        "debit",
        D("13900.00"),
    )
    assert [line.balance for line in detail.lines] == [D("25200.00")]


def test_account_detail_past_the_last_page(books):
    # when
    detail = reports.account_detail(
        books.company,
        account=books.account("1122"),
        from_period=books.jan,
        to_period=books.feb,
        offset=10,
    )
    # then: no lines, but the count and the balances of the range
    assert (detail.lines, detail.total_lines, detail.has_more) == ((), 3, False)
    assert detail.closing_balance == D("25200.00")


def test_account_detail_queries_stay_constant(books, django_assert_max_num_queries):
    # given: forty more postings to the bank in March
    for day in range(1, 21):
        posted(
            books.company,
            datetime.date(2026, 3, day),
            line("收款", "100202", debit="10.00"),
            line("收款", "1122", credit="10.00", customer=CUSTOMER_B),
        )
    bank = books.account("1002")
    # when / then: a page deep in the range reads four queries, and its
    # running balance continues the first page's: 92,400 + 10 × 10.00
    with django_assert_max_num_queries(4):
        first = reports.account_detail(
            books.company,
            account=bank,
            from_period=books.jan,
            to_period=books.mar,
            limit=12,
        )
    with django_assert_max_num_queries(4):
        later = reports.account_detail(
            books.company,
            account=bank,
            from_period=books.jan,
            to_period=books.mar,
            limit=10,
            offset=12,
        )
    assert first.lines[-1].balance == D("92500.00")
    assert [line.balance for line in later.lines] == [
        D("92500.00") + D("10.00") * n for n in range(1, 11)
    ]
    assert (later.total_lines, later.has_more, later.closing_balance) == (
        22,
        False,
        D("92600.00"),
    )


def test_account_detail_refuses_a_bad_page(books):
    with pytest.raises(ValidationError):
        reports.account_detail(
            books.company,
            account=books.account("1122"),
            from_period=books.jan,
            to_period=books.jan,
            limit=0,
        )


# --- 辅助核算 ---


def dimension_rows(rows):
    return [
        (
            r.value_id,
            r.opening_debit,
            r.opening_credit,
            r.period_debit,
            r.period_credit,
            r.closing_debit,
            r.closing_credit,
        )
        for r in rows
    ]


def test_dimension_balances_by_customer(books):
    # when
    year = reports.dimension_balances(
        books.company,
        account=books.account("1122"),
        dimension="customer",
        from_period=books.jan,
        to_period=books.feb,
    )
    february = reports.dimension_balances(
        books.company,
        account=books.account("1122"),
        dimension="customer",
        from_period=books.feb,
        to_period=books.feb,
    )
    # then: A 33,900 − 20,000 = 13,900; B 11,300
    assert dimension_rows(year) == [
        (CUSTOMER_A, ZERO, ZERO, D("33900.00"), D("20000.00"), D("13900.00"), ZERO),
        (CUSTOMER_B, ZERO, ZERO, D("11300.00"), ZERO, D("11300.00"), ZERO),
    ]
    assert dimension_rows(february) == [
        (CUSTOMER_A, D("13900.00"), ZERO, ZERO, ZERO, D("13900.00"), ZERO),
        (CUSTOMER_B, ZERO, ZERO, D("11300.00"), ZERO, D("11300.00"), ZERO),
    ]


def test_unposted_vouchers_leave_the_reports(books):
    # given: February's sale to B is unposted (it stays as a reviewed voucher)
    sale = Voucher.objects.get(company=books.company, period=books.feb, number=1)
    services.unpost_voucher(voucher=sale, actor=accountant(books.company))
    # when
    by_customer = reports.dimension_balances(
        books.company,
        account=books.account("1122"),
        dimension="customer",
        from_period=books.jan,
        to_period=books.feb,
    )
    detail = reports.account_detail(
        books.company,
        account=books.account("1122"),
        from_period=books.jan,
        to_period=books.feb,
    )
    # then: B's totals are back to zero and not shown; A is unchanged
    assert [row.value_id for row in by_customer] == [CUSTOMER_A]
    assert [line.voucher_number for line in detail.lines] == ["记-0002", "记-0004"]
    assert (detail.total_lines, detail.closing_balance) == (2, D("13900.00"))


def test_dimension_detail_of_one_customer(books):
    # when
    detail = reports.dimension_detail(
        books.company,
        account=books.account("1122"),
        dimension="customer",
        value_id=CUSTOMER_A,
        from_period=books.jan,
        to_period=books.mar,
    )
    later = reports.dimension_detail(
        books.company,
        account=books.account("1122"),
        dimension="customer",
        value_id=CUSTOMER_A,
        from_period=books.feb,
        to_period=books.mar,
    )
    # then
    assert [(line.voucher_number, line.balance) for line in detail.lines] == [
        ("记-0002", D("33900.00")),
        ("记-0004", D("13900.00")),
    ]
    assert (detail.dimension, detail.value_id) == ("customer", CUSTOMER_A)
    assert (later.opening_balance, later.lines, later.closing_balance) == (
        D("13900.00"),
        (),
        D("13900.00"),
    )


def test_dimension_reports_refuse_an_unknown_dimension(books):
    with pytest.raises(ValidationError):
        reports.dimension_balances(
            books.company,
            account=books.account("1122"),
            dimension="colour",
            from_period=books.jan,
            to_period=books.jan,
        )


# --- 凭证汇总表 ---


def test_voucher_summary_of_january(books):
    # when
    summary = reports.voucher_summary(
        books.company, from_period=books.jan, to_period=books.jan
    )
    # then
    assert [(r.code, r.debit, r.credit) for r in summary] == [
        ("1001", ZERO, D("1500.00")),
        ("1002", D("20000.00"), D("22600.00")),
        ("1122", D("33900.00"), D("20000.00")),
        ("1405", D("20000.00"), D("18000.00")),
        ("2221", D("2600.00"), D("3900.00")),
        ("5001", ZERO, D("30000.00")),
        ("5401", D("18000.00"), ZERO),
        ("5602", D("1500.00"), ZERO),
    ]
    assert summary.voucher_count == 5
    assert (summary.total_debit, summary.total_credit) == (
        D("96000.00"),
        D("96000.00"),
    )


# --- balances for the statements ---


def test_balances_at_the_end_of_a_period(books):
    # when
    balances = reports.balances_at(books.company, period=books.jan)
    # then: signed debit − credit, parents included, every account present
    assert balances["1002"] == D("92400.00")
    assert balances["100201"] == D("37400.00")
    assert balances["2221"] == D("-1300.00")
    assert balances["3001"] == D("-100000.00")
    assert balances["1012"] == ZERO


def test_net_activity_before_and_after_the_carry_forward(books):
    # given: January closed, which carries 30,000 − 18,000 − 1,500 = 10,500
    # to 本年利润
    close_period(
        company=books.company, actor=accountant(books.company), period=books.jan
    )
    # when
    plain = reports.net_activity(
        books.company, from_period=books.jan, to_period=books.jan
    )
    before_closing = reports.net_activity(
        books.company,
        from_period=books.jan,
        to_period=books.jan,
        exclude_carry_forward=True,
    )
    # then
    assert (plain["5001"], plain["5401"], plain["3103"]) == (
        ZERO,
        ZERO,
        D("-10500.00"),
    )
    assert (before_closing["5001"], before_closing["5401"], before_closing["3103"]) == (
        D("-30000.00"),
        D("18000.00"),
        ZERO,
    )
    assert before_closing["1002"] == D("-2600.00")  # 20,000 − 22,600
