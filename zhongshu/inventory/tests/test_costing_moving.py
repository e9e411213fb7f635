"""Moving weighted average, worked by hand, including a backdated receipt
that changes the cost of later issues (revalued in the same transaction)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.inventory import testing as t
from zhongshu.inventory.models import CostAdjustment, StockBalance, StockMove
from zhongshu.ledger.models import PeriodTotal, Voucher

pytestmark = pytest.mark.django_db

NOV = datetime.date(2026, 11, 1)


def day(n: int) -> datetime.date:
    return NOV.replace(day=n)


def ledger_balance(company: object, code: str) -> Decimal:
    totals = PeriodTotal.objects.filter(company=company, account__code=code)
    return sum((row.debit - row.credit for row in totals), Decimal("0.00"))


def test_moving_average_and_a_backdated_receipt() -> None:
    company = t.stocked_company()
    shirt = t.product(company, "SHIRT")
    wh = t.warehouse(company)

    t.receive(company, day(2), shirt, wh, "10", "10.00")  # 10 @ 10 → 100.00
    first_issue = t.issue(company, day(5), shirt, wh, "4")  # 4 × 10 = 40.00
    t.receive(company, day(10), shirt, wh, "10", "13.00")  # 16 units, 190.00
    second_issue = t.issue(company, day(12), shirt, wh, "6")  # 190 × 6/16 = 71.25

    assert first_issue.moves[0].value == Decimal("-40.00")
    assert second_issue.moves[0].value == Decimal("-71.25")
    balance = StockBalance.objects.get(company=company, product=shirt)
    assert (balance.on_hand, balance.value) == (Decimal("10"), Decimal("118.75"))
    voucher = first_issue.voucher
    assert voucher is not None
    lines = {
        (line.account.code, line.debit, line.credit) for line in voucher.lines.all()
    }
    assert lines == {
        ("5401", Decimal("40.00"), Decimal("0.00")),
        ("1405", Decimal("0.00"), Decimal("40.00")),
    }

    # A receipt of 5 @ 16.00 dated the 3rd, entered after all of the above:
    #   02 R 10 @ 10   → 10, 100.00
    #   03 R  5 @ 16   → 15, 180.00
    #   05 I  4        → 180 × 4/15 = 48.00          → 11, 132.00
    #   10 R 10 @ 13   → 21, 262.00
    #   12 I  6        → 262 × 6/21 = 74.857… = 74.86 → 15, 187.14
    # The issues change by 8.00 and 3.61: one adjustment Dr 5401 / Cr 1405 11.61.
    late = t.receive(company, day(3), shirt, wh, "5", "16.00", source_id=2)

    values = dict(
        StockMove.objects.filter(company=company, kind="issue").values_list(
            "date", "value"
        )
    )
    assert values == {day(5): Decimal("-48.00"), day(12): Decimal("-74.86")}
    balance.refresh_from_db()
    assert (balance.on_hand, balance.value) == (Decimal("15"), Decimal("187.14"))
    assert len(late.adjustments) == 1
    adjustment = CostAdjustment.objects.get(company=company)
    assert adjustment.date == day(12)
    assert adjustment.voucher is not None
    lines = {
        (line.account.code, line.debit, line.credit)
        for line in adjustment.voucher.lines.all()
    }
    assert lines == {
        ("5401", Decimal("11.61"), Decimal("0.00")),
        ("1405", Decimal("0.00"), Decimal("11.61")),
    }
    # Stock value equals the inventory account, and cost of sales is right.
    assert ledger_balance(company, "1405") == Decimal("187.14")
    assert ledger_balance(company, "5401") == Decimal("122.86")  # 48.00 + 74.86
    assert Voucher.objects.filter(company=company).count() == 6


def test_issue_beyond_available_is_refused_and_writes_nothing() -> None:
    company = t.stocked_company()
    shirt = t.product(company, "SHIRT")
    wh = t.warehouse(company)
    t.receive(company, day(2), shirt, wh, "3", "10.00")
    from zhongshu.core.errors import ValidationError

    with pytest.raises(ValidationError, match="3 available, 5 wanted"):
        t.issue(company, day(4), shirt, wh, "5")
    assert StockMove.objects.filter(company=company).count() == 1
    assert Voucher.objects.filter(company=company).count() == 1
    balance = StockBalance.objects.get(company=company, product=shirt)
    assert balance.on_hand == Decimal("3")


def test_backdated_issue_that_would_go_negative_on_its_date_is_refused() -> None:
    company = t.stocked_company()
    shirt = t.product(company, "SHIRT")
    wh = t.warehouse(company)
    t.receive(company, day(10), shirt, wh, "5", "10.00")
    from zhongshu.core.errors import ValidationError

    # 5 are on hand today, but on the 3rd there were none.
    with pytest.raises(ValidationError, match="below zero"):
        t.issue(company, day(3), shirt, wh, "2")
    assert StockMove.objects.filter(company=company).count() == 1
