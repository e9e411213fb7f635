"""FIFO and the monthly weighted average worked by hand, each with a
backdated receipt; and a transfer carrying a revaluation into the receiving
warehouse's chain."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import owner_of
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import CostAdjustment, StockBalance, StockMove
from zhongshu.inventory.services import TransferLine, transfer
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Account, PeriodTotal

pytestmark = pytest.mark.django_db


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def ledger_balance(company: object, code: str) -> Decimal:
    totals = PeriodTotal.objects.filter(company=company, account__code=code)
    return sum((row.debit - row.credit for row in totals), Decimal("0.00"))


def issue_values(company: object) -> dict[datetime.date, Decimal]:
    return dict(
        StockMove.objects.filter(company=company, kind="issue").values_list(
            "date", "value"
        )
    )


def adjustment_lines(adjustment: CostAdjustment) -> set[tuple[str, Decimal, Decimal]]:
    assert adjustment.voucher is not None
    return {
        (line.account.code, line.debit, line.credit)
        for line in adjustment.voucher.lines.all()
    }


def test_fifo_with_a_backdated_receipt() -> None:
    company = t.stocked_company(method="fifo")
    item = t.product(company, "JEANS")
    wh = t.warehouse(company)
    t.receive(company, d(11, 2), item, wh, "10", "10.00")  # layer [0,10) 100
    t.receive(company, d(11, 4), item, wh, "10", "12.00")  # layer [10,20) 120
    t.issue(company, d(11, 6), item, wh, "15")  # 100 + 5 × 12 = 160.00
    t.issue(company, d(11, 8), item, wh, "3")  # 3 × 12 = 36.00
    assert issue_values(company) == {
        d(11, 6): Decimal("-160.00"),
        d(11, 8): Decimal("-36.00"),
    }

    # 5 @ 8.00 dated the 3rd slots in between the two layers:
    #   [0,10) 100 · [10,15) 40 · [15,25) 120
    #   issue of the 6th: [0,15) = 100 + 40 = 140.00 (was 160.00)
    #   issue of the 8th: [15,18) = 3 × 12 = 36.00 (unchanged)
    #   left: 7 units = 100 + 40 + 120 − 140 − 36 = 84.00 (= 7 × 12)
    t.receive(company, d(11, 3), item, wh, "5", "8.00", source_id=2)
    assert issue_values(company) == {
        d(11, 6): Decimal("-140.00"),
        d(11, 8): Decimal("-36.00"),
    }
    balance = StockBalance.objects.get(company=company, product=item)
    assert (balance.on_hand, balance.value) == (Decimal("7"), Decimal("84.00"))
    (adjustment,) = CostAdjustment.objects.filter(company=company)
    assert adjustment_lines(adjustment) == {
        ("1405", Decimal("20.00"), Decimal("0.00")),
        ("5401", Decimal("0.00"), Decimal("20.00")),
    }
    assert ledger_balance(company, "1405") == Decimal("84.00")

    # Emptying the chain takes exactly what is left.
    last = t.issue(company, d(11, 9), item, wh, "7")
    assert last.moves[0].value == Decimal("-84.00")
    balance.refresh_from_db()
    assert (balance.on_hand, balance.value) == (Decimal("0"), Decimal("0.00"))


def test_fifo_layers_split_by_many_issues_add_up_to_the_layer() -> None:
    company = t.stocked_company(method="fifo")
    item = t.product(company, "SOCKS")
    wh = t.warehouse(company)
    t.receive(company, d(11, 2), item, wh, "3", value=Decimal("10.00"))
    # 10.00 over 3 units: cumulative rounding 3.33, 6.67, 10.00 → 3.33, 3.34, 3.33
    values = [
        t.issue(company, d(11, 3), item, wh, "1").moves[0].value for _ in range(3)
    ]
    assert values == [Decimal("-3.33"), Decimal("-3.34"), Decimal("-3.33")]


def test_monthly_average_with_late_and_backdated_receipts() -> None:
    company = t.stocked_company(method="monthly_average")
    item = t.product(company, "DRESS")
    wh = t.warehouse(company)
    t.receive(company, d(10, 5), item, wh, "10", "10.00")
    t.issue(company, d(10, 10), item, wh, "4")
    t.receive(company, d(10, 20), item, wh, "10", "13.00")
    t.issue(company, d(10, 25), item, wh, "6")
    # The issue of the 10th first cost 10.00 × 4 = 40.00; the receipt of the
    # 20th revalued it (adjustment 1). October: (0 + 100 + 130) / 20 = 11.50
    # → issues 46.00 and 69.00; closing 10, 115.00
    assert issue_values(company) == {
        d(10, 10): Decimal("-46.00"),
        d(10, 25): Decimal("-69.00"),
    }
    t.issue(company, d(11, 3), item, wh, "5")  # 115 / 10 = 11.50 → 57.50
    t.receive(company, d(11, 15), item, wh, "5", "14.50")  # 72.50
    # November: (115 + 72.50) / 15 = 12.50 → the issue of the 3rd becomes 62.50
    assert issue_values(company)[d(11, 3)] == Decimal("-62.50")  # adjustment 2
    assert CostAdjustment.objects.filter(company=company).count() == 2

    # 2 @ 7.00 backdated to 12 October:
    #   October: 244 / 22 = 11.0909… → 44.36 and 66.55; closing 12, 133.09
    #   November: (133.09 + 72.50) / 17 = 12.0935… → 60.47; closing 12, 145.12
    posting = t.receive(company, d(10, 12), item, wh, "2", "7.00", source_id=3)
    assert issue_values(company) == {
        d(10, 10): Decimal("-44.36"),
        d(10, 25): Decimal("-66.55"),
        d(11, 3): Decimal("-60.47"),
    }
    balance = StockBalance.objects.get(company=company, product=item)
    assert (balance.on_hand, balance.value) == (Decimal("12"), Decimal("145.12"))
    by_date = {a.date: a for a in posting.adjustments}
    assert set(by_date) == {d(10, 25), d(11, 3)}
    assert adjustment_lines(by_date[d(10, 25)]) == {  # 1.64 + 2.45
        ("1405", Decimal("4.09"), Decimal("0.00")),
        ("5401", Decimal("0.00"), Decimal("4.09")),
    }
    assert adjustment_lines(by_date[d(11, 3)]) == {  # 62.50 − 60.47
        ("1405", Decimal("2.03"), Decimal("0.00")),
        ("5401", Decimal("0.00"), Decimal("2.03")),
    }
    assert ledger_balance(company, "1405") == Decimal("145.12")


def test_a_revalued_transfer_carries_into_the_receiving_chain() -> None:
    company = t.stocked_company()
    item = t.product(company, "COAT")
    north = t.warehouse(company, "NORTH")
    south = t.warehouse(company, "SOUTH")
    # The southern store keeps its stock on 1403 so the transfer shows in the ledger.
    ledger.set_account_role(
        company=company,
        actor=owner_of(company),
        role="inventory",
        account=Account.objects.get(company=company, code="1403"),
        key_kind="inventory.warehouse",
        key_id=south.pk,
    )
    t.receive(company, d(11, 2), item, north, "10", "10.00")
    moved = transfer(
        company=company,
        date=d(11, 5),
        lines=[
            TransferLine(
                product=item,
                quantity=Decimal("4"),
                from_warehouse=north,
                to_warehouse=south,
            )
        ],
        source=SourceRef("test.transfer", 1),
    )
    assert [m.value for m in moved.moves] == [Decimal("-40.00"), Decimal("40.00")]
    assert moved.voucher is not None
    t.issue(company, d(11, 6), item, south, "2")  # 20.00

    # 10 @ 16.00 backdated to the 3rd at NORTH: 20 units, 260.00 → the transfer
    # of 4 costs 52.00, so SOUTH's issue of 2 costs 26.00.
    #   adjustment: 1405 Cr 12 · 1403 Dr 12 − 6 = Dr 6 · 5401 Dr 6
    posting = t.receive(company, d(11, 3), item, north, "10", "16.00", source_id=2)
    values = dict(
        StockMove.objects.filter(company=company)
        .exclude(kind="receipt")
        .values_list("kind", "value")
    )
    assert values == {
        "transfer_out": Decimal("-52.00"),
        "transfer_in": Decimal("52.00"),
        "issue": Decimal("-26.00"),
    }
    (adjustment,) = posting.adjustments
    assert adjustment_lines(adjustment) == {
        ("1403", Decimal("6.00"), Decimal("0.00")),
        ("1405", Decimal("0.00"), Decimal("12.00")),
        ("5401", Decimal("6.00"), Decimal("0.00")),
    }
    assert ledger_balance(company, "1405") == Decimal("208.00")  # 16 × 13.00
    assert ledger_balance(company, "1403") == Decimal("26.00")
