"""One month of a small trading company (小企业会计准则, general VAT taxpayer):
capital, a purchase with input VAT, a sale with output VAT and its cost, a
collection, wages, an expense, the VAT transfer and surcharges, and the month's
close with its carry-forward. Statements are checked against figures worked
out by hand below."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core import consistency
from zhongshu.ledger import services
from zhongshu.ledger.models import Voucher
from zhongshu.ledger.selectors import reports, statements
from zhongshu.ledger.services.periods import close_period
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db


def on(day: int) -> datetime.date:
    return datetime.date(2026, 1, day)


def test_a_month_of_trading_closes_into_statements_that_match_the_hand_figures():
    # given: a company starting its books in January 2026
    shop = company_with_books("TRADE")
    clerk = accountant(shop)
    # 1. The owners pay in capital: Dr 银行存款 500,000 / Cr 实收资本 500,000.
    posted(shop, on(1), line("收到投资款", "1002", debit="500000"),
           line("收到投资款", "3001", credit="500000"))  # fmt: skip
    # 2. Goods bought for 100,000 + 13 % VAT 13,000, paid from the bank.
    posted(shop, on(5), line("采购商品", "1405", debit="100000"),
           line("采购商品进项税", "22210101", debit="13000"),
           line("支付货款", "1002", credit="113000"))  # fmt: skip
    # 3. Sold on credit for 150,000 + 13 % VAT 19,500 = 169,500.
    posted(shop, on(10), line("销售商品", "1122", debit="169500"),
           line("销售商品", "5001", credit="150000"),
           line("销项税额", "22210107", credit="19500"))  # fmt: skip
    # 4. The goods sold cost 60,000.
    posted(shop, on(10), line("结转销售成本", "5401", debit="60000"),
           line("结转销售成本", "1405", credit="60000"))  # fmt: skip
    # 5. The customer pays 100,000 of it.
    posted(shop, on(20), line("收到货款", "1002", debit="100000"),
           line("收到货款", "1122", credit="100000"))  # fmt: skip
    # 6. Wages accrued: office 12,000, sales staff 8,000.
    posted(shop, on(31), line("计提工资", "5602", debit="12000"),
           line("计提工资", "5601", debit="8000"),
           line("计提工资", "221101", credit="20000"))  # fmt: skip
    # 7. Office expenses of 3,000 paid from the bank.
    posted(shop, on(31), line("办公费", "5602", debit="3000"),
           line("办公费", "1002", credit="3000"))  # fmt: skip
    # 8. VAT payable: output 19,500 − input 13,000 = 6,500 moves to 未交增值税.
    posted(shop, on(31), line("转出未交增值税", "22210104", debit="6500"),
           line("转出未交增值税", "222102", credit="6500"))  # fmt: skip
    # 9. Surcharges on 6,500: 城建税 7 % 455, 教育费附加 3 % 195, 地方教育附加 2 % 130.
    posted(shop, on(31), line("计提税金及附加", "5403", debit="780"),
           line("城建税", "222112", credit="455"),
           line("教育费附加", "222113", credit="195"),
           line("地方教育附加", "222114", credit="130"))  # fmt: skip
    january = services.period_for(shop, on(31))

    # when: the month is closed
    close_period(company=shop, actor=clerk, period=january)

    # then: the carry-forward moved revenue 150,000 less costs 60,000 + 780 +
    # 8,000 + 15,000 = 83,780 into 本年利润: a profit of 66,220.
    carry = Voucher.objects.get(company=shop, source_kind="ledger.carry_forward")
    net_credit: dict[str, Decimal] = {}
    for row in carry.lines.select_related("account"):
        code = row.account.code
        net_credit[code] = (
            net_credit.get(code, Decimal("0.00")) + row.credit - row.debit
        )
    assert net_credit == {
        "5001": Decimal("-150000.00"),
        "5401": Decimal("60000.00"),
        "5403": Decimal("780.00"),
        "5601": Decimal("8000.00"),
        "5602": Decimal("15000.00"),
        "3103": Decimal("66220.00"),
    }

    # and the balance sheet (会小企01表) at 31 January:
    sheet = statements.balance_sheet(shop, period=january)
    closing = {row: sheet.value(row, "closing") for row in (1, 4, 9, 12, 14, 30)}
    # 货币资金 500,000 − 113,000 + 100,000 − 3,000 = 484,000; 应收账款 169,500 −
    # 100,000 = 69,500; 存货 (库存商品) 100,000 − 60,000 = 40,000; the VAT
    # sub-accounts net to nil, so no 其他流动资产; assets 593,500.
    assert closing == {
        1: Decimal("484000.00"),
        4: Decimal("69500.00"),
        9: Decimal("40000.00"),
        12: Decimal("40000.00"),
        14: Decimal("0.00"),
        30: Decimal("593500.00"),
    }
    # 应付职工薪酬 20,000; 应交税费 6,500 + 455 + 195 + 130 = 7,280; 负债 27,280;
    # 实收资本 500,000; 未分配利润 (本年利润) 66,220; 负债和所有者权益 593,500.
    assert {row: sheet.value(row, "closing") for row in (35, 36, 47, 48, 51, 53)} == {
        35: Decimal("20000.00"),
        36: Decimal("7280.00"),
        47: Decimal("27280.00"),
        48: Decimal("500000.00"),
        51: Decimal("66220.00"),
        53: Decimal("593500.00"),
    }
    assert sheet.balanced

    # and the income statement (会小企02表) for January, this month = year to date:
    income = statements.income_statement(shop, period=january)
    expected = {
        1: "150000.00",  # 营业收入
        2: "60000.00",  # 营业成本
        3: "780.00",  # 税金及附加
        11: "8000.00",  # 销售费用
        14: "15000.00",  # 管理费用
        21: "66220.00",  # 营业利润 = 150,000 − 60,000 − 780 − 8,000 − 15,000
        30: "66220.00",  # 利润总额
        32: "66220.00",  # 净利润 (no income tax booked this month)
    }
    for column in ("month", "year_to_date"):
        figures = {row: str(income.value(row, column)) for row in expected}
        assert figures == expected, column

    # and the trial balance of the month balances in every column pair; over
    # level-1 accounts the closing debits are 1002 484,000 + 1122 69,500 + 1405
    # 40,000 = 593,500, and the credits 2211 20,000 + 2221 7,280 + 3001 500,000
    # + 3103 66,220 = 593,500.
    totals = reports.trial_balance(shop, from_period=january, to_period=january).totals
    assert totals.opening_debit == totals.opening_credit
    assert totals.period_debit == totals.period_credit
    assert totals.closing_debit == totals.closing_credit == Decimal("593500.00")

    # and every registered consistency check passes
    assert [r.name for r in consistency.run_all() if not r.passed] == []
