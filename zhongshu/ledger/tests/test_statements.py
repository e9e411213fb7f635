"""Financial statements: 资产负债表 and 利润表 in the 小企业会计准则 and 企业会计准则
formats, from line formulas held as data; figures worked by hand."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from zhongshu.core.errors import NotFoundError
from zhongshu.ledger import chart
from zhongshu.ledger.models import Account, OpeningBalance
from zhongshu.ledger.selectors import statements
from zhongshu.ledger.selectors.statements import StatementTerm
from zhongshu.ledger.services.periods import close_period
from zhongshu.ledger.services.setup import ensure_periods
from zhongshu.ledger.testing import accountant, company_with_books, line, posted
from zhongshu.ledger.tests.test_reports import (
    Books,
    mid_year_books,
    period,
    trading_books,
)

pytestmark = pytest.mark.django_db
D = Decimal
ZERO = D("0.00")
SMALL, ENTERPRISE = "small_enterprise", "enterprise"


@pytest.fixture
def books() -> Books:
    return trading_books()


def values(sheet: statements.Statement, *rows: int) -> dict[int, tuple[Decimal, ...]]:
    return {row: sheet.line(row).values for row in rows}


# --- 资产负债表 (会小企01表) ---


def test_balance_sheet_of_a_month_of_trading(books):
    # when: the end of January, before it is closed
    sheet = statements.balance_sheet(books.company, period=books.jan)
    # then (columns: closing, beginning of year)
    assert (sheet.form, [c.key for c in sheet.columns]) == (
        "会小企01表",
        ["closing", "year_opening"],
    )
    assert values(sheet, 1, 4, 9, 12, 14, 15, 30) == {
        # 货币资金 = 1001 3,500 + 1002 92,400; at the start 5,000 + 95,000
        1: (D("95900.00"), D("100000.00")),
        4: (D("13900.00"), ZERO),  # 应收账款: 33,900 − 20,000
        9: (D("2000.00"), ZERO),  # 存货: 20,000 − 18,000
        12: (D("2000.00"), ZERO),  # of which 库存商品
        14: (ZERO, ZERO),  # 应交增值税 has a credit balance: nothing here
        15: (D("111800.00"), D("100000.00")),  # 95,900 + 13,900 + 2,000
        30: (D("111800.00"), D("100000.00")),
    }
    assert values(sheet, 36, 47, 48, 51, 52, 53) == {
        36: (D("1300.00"), ZERO),  # 应交税费: output 3,900 − input 2,600
        47: (D("1300.00"), ZERO),
        48: (D("100000.00"), D("100000.00")),
        # 未分配利润: not yet carried forward, 30,000 − 18,000 − 1,500
        51: (D("10500.00"), ZERO),
        52: (D("110500.00"), D("100000.00")),
        53: (D("111800.00"), D("100000.00")),
    }
    assert sheet.balanced
    assert sheet.check_rows == (30, 53)


def test_balance_sheet_after_closing_two_months(books):
    # given
    user = accountant(books.company)
    close_period(company=books.company, actor=user, period=books.jan)
    close_period(company=books.company, actor=user, period=books.feb)
    # when
    sheet = statements.balance_sheet(books.company, period=books.feb)
    # then: 应收 13,900 + 11,300 = 25,200; 存货 2,000 − 1,500 = 500; 应交税费
    # 1,300 + 1,300 = 2,600; 未分配利润 = 本年利润 10,500 + 8,500 = 19,000
    closing = {row: sheet.value(row, "closing") for row in (1, 4, 9, 30, 36, 51, 53)}
    assert closing == {
        1: D("95900.00"),
        4: D("25200.00"),
        9: D("500.00"),
        30: D("121600.00"),  # 95,900 + 25,200 + 500
        36: D("2600.00"),
        51: D("19000.00"),
        53: D("121600.00"),  # 2,600 + 100,000 + 19,000
    }
    assert sheet.balanced


def test_vat_credit_and_odd_balances_are_shown_where_the_format_says():
    # given: capital 50,000; goods 10,000 with input VAT 1,300 and no sale
    # yet; a customer paid 5,000 in advance into 应收账款; 800 was paid to a
    # supplier ahead of the invoice through 应付账款
    company = company_with_books("VAT")
    day = datetime.date(2026, 4, 1)
    posted(
        company,
        day,
        line("投资", "1002", "50000.00"),
        line("投资", "3001", "0", "50000.00"),
    )
    posted(
        company,
        day,
        line("购进", "1405", debit="10000.00"),
        line("进项", "22210101", debit="1300.00"),
        line("付款", "1002", credit="11300.00"),
    )
    posted(
        company,
        day,
        line("预收", "1002", debit="5000.00"),
        line("预收", "1122", credit="5000.00"),
    )
    posted(
        company,
        day,
        line("预付", "2202", debit="800.00"),
        line("预付", "1002", credit="800.00"),
    )
    # when
    sheet = statements.balance_sheet(company, period=period(company, 2026, 4))
    # then
    closing = {
        row: sheet.value(row, "closing") for row in (1, 4, 5, 14, 30, 33, 34, 36, 53)
    }
    assert closing == {
        1: D("42900.00"),  # 50,000 − 11,300 + 5,000 − 800
        4: ZERO,  # 1122's credit balance is not a receivable ...
        34: D("5000.00"),  # ... it is an advance from a customer
        5: D("800.00"),  # 2202's debit balance is a prepayment
        33: ZERO,
        14: D("1300.00"),  # input VAT not yet used: 其他流动资产
        36: ZERO,  # so 应交税费 shows nothing
        30: D("55000.00"),  # 42,900 + 800 + 10,000 + 1,300
        53: D("55000.00"),  # 5,000 + 50,000
    }
    assert sheet.balanced


def test_balance_sheet_lines_drill_down_to_their_accounts(books):
    # when
    sheet = statements.balance_sheet(books.company, period=books.jan)
    # then
    assert sheet.line(1).terms == (
        StatementTerm(sign=1, function="bal", code="1001"),
        StatementTerm(sign=1, function="bal", code="1002"),
        StatementTerm(sign=1, function="bal", code="1012"),
    )
    assert sheet.line(4).terms[0] == StatementTerm(
        sign=1, function="dr_bal", code="1122"
    )
    assert sheet.line(20).sum_of == (18, -19)
    assert sheet.line(20).is_total
    heading = sheet.lines[0]
    assert (heading.is_heading, heading.label, heading.values) == (
        True,
        "流动资产：",
        (),
    )
    with pytest.raises(KeyError):
        sheet.line(54)


def test_the_small_enterprise_formats_have_the_official_rows():
    # when
    sheet = statements.statement_format(SMALL, "balance_sheet")
    income = statements.statement_format(SMALL, "income_statement")
    # then
    sheet_rows = {line.row: line.label for line in sheet.lines if line.row}
    income_rows = {line.row: line.label for line in income.lines if line.row}
    assert sorted(sheet_rows) == list(range(1, 54))
    assert sorted(income_rows) == list(range(1, 33))
    assert (sheet_rows[1], sheet_rows[30], sheet_rows[51]) == (
        "货币资金",
        "资产总计",
        "未分配利润",
    )
    assert (income_rows[1], income_rows[3], income_rows[32]) == (
        "一、营业收入",
        "税金及附加",
        "四、净利润（净亏损以“-”号填列）",
    )
    assert [c.label for c in income.columns] == ["本年累计金额", "本月金额"]


@pytest.mark.parametrize("standard", [SMALL, ENTERPRISE])
def test_every_account_of_the_chart_is_on_the_balance_sheet_once(standard):
    """Whatever account carries a balance, its debit balance adds to assets
    minus liabilities and equity exactly once, so balanced books always give
    a balanced balance sheet."""
    fmt = statements.statement_format(standard, "balance_sheet")
    assert fmt.check is not None
    left, right = fmt.check
    codes = [row.code for row in chart.template(standard)]
    for code in codes:
        for amount in (D("100.00"), D("-100.00")):
            # given: the account and its parents carry the signed balance
            signed = {c: amount for c in codes if code.startswith(c)}
            # when
            rows = statements.evaluate(fmt, signed)
            # then
            assert rows[left] - rows[right] == amount, (code, amount)


@pytest.mark.parametrize(("standard", "net_profit"), [(SMALL, 32), (ENTERPRISE, 24)])
def test_every_profit_and_loss_account_reaches_net_profit(standard, net_profit):
    fmt = statements.statement_format(standard, "income_statement")
    for row in chart.template(standard):
        if row.category != "profit_loss" or row.code == "6901":
            continue
        # given: 100.00 more debits than credits (an expense, or less revenue)
        rows = statements.evaluate(fmt, {row.code: D("100.00")})
        # then: profit is 100.00 lower
        assert rows[net_profit] == D("-100.00"), row.code


# --- 利润表 (会小企02表) ---


def income_rows(statement, column):
    return {row: statement.value(row, column) for row in (1, 2, 3, 14, 18, 21, 30, 32)}


def test_income_statement_is_the_same_before_and_after_closing(books):
    # given
    before = statements.income_statement(books.company, period=books.feb)
    user = accountant(books.company)
    close_period(company=books.company, actor=user, period=books.jan)
    middle = statements.income_statement(books.company, period=books.feb)
    close_period(company=books.company, actor=user, period=books.feb)
    # when
    after = statements.income_statement(books.company, period=books.feb)
    # then: February 10,000 − 1,500 = 8,500; the year 40,000 − 19,500 − 1,500
    assert income_rows(after, "month") == {
        1: D("10000.00"),
        2: D("1500.00"),
        3: ZERO,
        14: ZERO,
        18: ZERO,
        21: D("8500.00"),
        30: D("8500.00"),
        32: D("8500.00"),
    }
    assert income_rows(after, "year_to_date") == {
        1: D("40000.00"),
        2: D("19500.00"),  # 18,000 + 1,500
        3: ZERO,
        14: D("1500.00"),
        18: ZERO,
        21: D("19000.00"),
        30: D("19000.00"),
        32: D("19000.00"),
    }
    assert before.lines == middle.lines == after.lines
    assert (after.form, after.balanced) == ("会小企02表", True)


def test_income_statement_of_the_first_month(books):
    # when
    statement = statements.income_statement(books.company, period=books.jan)
    # then: 30,000 − 18,000 − 1,500 = 10,500, month and year alike
    assert income_rows(statement, "month") == income_rows(statement, "year_to_date")
    assert statement.value(21, "month") == D("10500.00")
    assert statement.value(32, "month") == D("10500.00")


def test_statements_of_a_mid_year_start():
    # given: revenue of 50,000 and office costs of 2,000 before the books,
    # a sale of 1,000 in July (see mid_year_books)
    company, july = mid_year_books()
    # when
    income = statements.income_statement(company, period=july)
    sheet = statements.balance_sheet(company, period=july)
    # then: the year to date counts the months before the books
    assert {row: income.line(row).values for row in (1, 14, 32)} == {
        1: (D("51000.00"), D("1000.00")),  # (year to date, month)
        14: (D("2000.00"), ZERO),
        32: (D("49000.00"), D("1000.00")),  # 51,000 − 2,000
    }
    # 货币资金 1,000 + 48,000 + 3,000 = 52,000; at the start of the year 1002
    # held 48,000 − (42,000 − 2,000) = 8,000 and 1122 8,000 − (50,000 −
    # 42,000) = 0
    assert values(sheet, 1, 4, 30, 48, 51, 53) == {
        1: (D("52000.00"), D("8000.00")),
        4: (D("5000.00"), ZERO),
        30: (D("57000.00"), D("8000.00")),
        48: (D("8000.00"), D("8000.00")),
        51: (D("49000.00"), ZERO),  # 本年利润 48,000 + July's 1,000 not carried
        53: (D("57000.00"), D("8000.00")),
    }
    assert sheet.balanced


def test_statements_of_the_next_year(books):
    # given: 2026 left as it is (no year-end close), a cash sale of 1,000 in
    # January 2027
    ensure_periods(books.company, 2027)
    posted(
        books.company,
        datetime.date(2027, 1, 4),
        line("现销", "1001", debit="1000.00"),
        line("现销", "5001", credit="1000.00"),
    )
    january = period(books.company, 2027, 1)
    # when
    sheet = statements.balance_sheet(books.company, period=january)
    income = statements.income_statement(books.company, period=january)
    # then: the year opens with the end of 2026 (assets 95,900 + 25,200 +
    # 500 = 121,600; 2026's profit of 19,000 not yet carried)
    assert values(sheet, 30, 51, 53) == {
        30: (D("122600.00"), D("121600.00")),
        51: (D("20000.00"), D("19000.00")),
        53: (D("122600.00"), D("121600.00")),
    }
    assert sheet.balanced
    # and the income statement counts 2027 only
    assert income.line(1).values == (D("1000.00"), D("1000.00"))


# --- 企业会计准则 (会企01表, 会企02表) ---


def test_enterprise_statements():
    # given: capital 100,000; goods 8,000 + input VAT 1,040 paid; a sale of
    # 10,000 + output VAT 1,300 on credit, costing 6,000
    company = company_with_books("ENT", standard=ENTERPRISE)
    day = datetime.date(2026, 5, 6)
    posted(
        company,
        day,
        line("投资", "1002", "100000.00"),
        line("投资", "4001", "0", "100000.00"),
    )
    posted(
        company,
        day,
        line("购进", "1405", debit="8000.00"),
        line("进项", "22210101", debit="1040.00"),
        line("付款", "1002", credit="9040.00"),
    )
    posted(
        company,
        day,
        line("销售", "1122", debit="11300.00"),
        line("销售", "6001", credit="10000.00"),
        line("销项", "22210107", credit="1300.00"),
    )
    posted(
        company,
        day,
        line("成本", "6401", "6000.00"),
        line("成本", "1405", "0", "6000.00"),
    )
    may = period(company, 2026, 5)
    # when
    sheet = statements.balance_sheet(company, period=may)
    income = statements.income_statement(company, period=may)
    # then
    assert (sheet.form, income.form) == ("会企01表", "会企02表")
    closing = {
        row: sheet.value(row, "closing") for row in (1, 5, 9, 34, 43, 59, 66, 68)
    }
    assert closing == {
        1: D("90960.00"),  # 100,000 − 9,040
        5: D("11300.00"),
        9: D("2000.00"),  # 8,000 − 6,000
        34: D("104260.00"),
        43: D("260.00"),  # 1,300 − 1,040
        59: D("100000.00"),
        66: D("4000.00"),  # 10,000 − 6,000 not yet carried forward
        68: D("104260.00"),
    }
    assert sheet.balanced
    month = {row: income.value(row, "month") for row in (1, 2, 19, 22, 24, 28)}
    assert month == {
        1: D("10000.00"),
        2: D("6000.00"),
        19: D("4000.00"),
        22: D("4000.00"),
        24: D("4000.00"),
        28: D("4000.00"),
    }


# --- cost, checks and refusals ---


def test_statement_queries_stay_constant(books, django_assert_max_num_queries):
    # given
    with django_assert_max_num_queries(4):
        statements.balance_sheet(books.company, period=books.feb)
    with django_assert_max_num_queries(5):
        statements.income_statement(books.company, period=books.feb)
    # when: thirty more vouchers in March and a closed January
    close_period(
        company=books.company, actor=accountant(books.company), period=books.jan
    )
    for day in range(1, 31):
        posted(
            books.company,
            datetime.date(2026, 3, day),
            line("零售", "1001", debit="10.00"),
            line("零售", "5001", credit="10.00"),
        )
    # then
    with django_assert_max_num_queries(4):
        sheet = statements.balance_sheet(books.company, period=books.mar)
    with django_assert_max_num_queries(5):
        income = statements.income_statement(books.company, period=books.mar)
    assert sheet.balanced
    assert income.value(1, "month") == D("300.00")  # 30 × 10.00


def test_the_balance_sheet_check_finds_unbalanced_opening_balances(books):
    # given: balanced books pass
    assert statements.balance_sheet_equation_findings() == []
    # when: an opening balance without its other side appears behind the
    # services' back
    OpeningBalance.objects.create(
        company=books.company,
        account=Account.objects.get(company=books.company, code="1012"),
        debit=D("100.00"),
    )
    # then: every period from the first shows it (closing and year opening)
    findings = statements.balance_sheet_equation_findings()
    assert findings[0] == (
        "company TRADE period 2026-01: total assets 111900.00 / 100100.00 ≠ total "
        "liabilities and equity 111800.00 / 100000.00 (closing / year opening)"
    )
    assert len(findings) == 2  # January and February, the periods with postings


def test_statements_refuse_another_companys_period(books):
    other = company_with_books("OTHER")
    with pytest.raises(NotFoundError):
        statements.balance_sheet(other, period=books.jan)
    with pytest.raises(NotFoundError):
        statements.income_statement(other, period=books.jan)


@pytest.fixture
def format_file(tmp_path, monkeypatch):
    """Point the small-enterprise formats at a file the test writes."""
    path = tmp_path / "statements.json"
    monkeypatch.setitem(statements.FORMAT_FILES, SMALL, path)
    statements.statement_format.cache_clear()
    yield path
    statements.statement_format.cache_clear()


@pytest.mark.parametrize(
    ("lines", "check"),
    [
        ([{"row": 1, "label": "a", "label_en": "a", "terms": ["bal 1001"]}] * 2, None),
        (
            [{"row": 1, "label": "a", "label_en": "a", "terms": ["net_activity 5001"]}],
            None,
        ),
        ([{"row": 1, "label": "a", "label_en": "a", "terms": ["bal 9999"]}], None),
        ([{"row": 1, "label": "a", "label_en": "a", "sum": [2]}], None),
        (
            [
                {"row": 1, "label": "a", "label_en": "a", "terms": ["bal 1001"]},
                {
                    "row": 2,
                    "label": "b",
                    "label_en": "b",
                    "terms": ["bal 1002"],
                    "sum": [1],
                },
            ],
            None,
        ),
        ([{"row": 1, "label": "a", "label_en": "a", "terms": ["bal 1001"]}], [1, 2]),
    ],
    ids=["row twice", "wrong function", "unknown code", "later row", "both", "check"],
)
def test_a_bad_format_file_is_refused(format_file, lines, check):
    # given
    sheet = {
        "form": "x",
        "title": "x",
        "title_en": "x",
        "columns": [{"key": "closing", "label": "x", "label_en": "x"}],
        "check": check,
        "lines": lines,
    }
    format_file.write_text(json.dumps({"balance_sheet": sheet}), encoding="utf-8")
    # when / then
    with pytest.raises(ValueError, match="balance_sheet"):
        statements.statement_format(SMALL, "balance_sheet")
