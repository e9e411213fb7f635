"""The inventory reports worked by hand: 即时库存, 出入库流水, 收发存汇总表,
valuation and its reconciliation with the ledger, and the moves behind them.

The story (moving weighted average, shirts in two warehouses):

    10-05 WH1 receive 10 @ 10.00              WH1 10, 100.00
    10-20 WH1 issue 4   → 40.00               WH1  6,  60.00
    11-03 WH1 receive 10 @ 13.00              WH1 16, 190.00
    11-10 WH1 issue 6   → 190 × 6/16 = 71.25  WH1 10, 118.75
    11-15 WH1 → WH2 transfer 5 → 118.75 × 5/10 = 59.375 = 59.38
                                              WH1  5,  59.37; WH2 5, 59.38
    11-20 WH2 receive 4 cups @ 2.50 = 10.00 (category 厨具, on 1403)
    12-02 WH2 issue 2   → 59.38 × 2/5 = 23.752 = 23.75
                                              WH2  3,  35.63
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from zhongshu.catalog.models import Category, Product
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import owner_of
from zhongshu.inventory import selectors, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import MoveKind, StockMove, Warehouse
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Account, Period
from zhongshu.ledger.testing import line, posted

pytestmark = pytest.mark.django_db

D = Decimal


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


class Story:
    def __init__(self) -> None:
        self.company = t.stocked_company("SEL")
        self.boss: User = owner_of(self.company)
        self.clothes = Category.objects.create(
            company=self.company, code="CLOTHES", name="服装"
        )
        self.kitchen = Category.objects.create(
            company=self.company, code="KITCHEN", name="厨具"
        )
        ledger.set_account_role(
            company=self.company,
            actor=self.boss,
            role="inventory",
            account=Account.objects.get(company=self.company, code="1403"),
            key_kind="catalog.category",
            key_id=self.kitchen.pk,
        )
        self.shirt = t.product(self.company, "SHIRT", category=self.clothes)
        self.cup = t.product(self.company, "CUP", category=self.kitchen)
        self.wh1 = t.warehouse(self.company, "WH1")
        self.wh2 = t.warehouse(self.company, "WH2")
        c, shirt, wh1, wh2 = self.company, self.shirt, self.wh1, self.wh2
        t.receive(c, d(10, 5), shirt, wh1, "10", "10.00", source_id=1)
        t.issue(c, d(10, 20), shirt, wh1, "4", source_id=1)
        t.receive(c, d(11, 3), shirt, wh1, "10", "13.00", source_id=2)
        t.issue(c, d(11, 10), shirt, wh1, "6", source_id=2)
        self.transfer = services.transfer(
            company=c,
            date=d(11, 15),
            lines=[
                services.TransferLine(
                    product=shirt,
                    quantity=D("5"),
                    from_warehouse=wh1,
                    to_warehouse=wh2,
                )
            ],
            source=SourceRef("test.transfer", 1),
        )
        t.receive(c, d(11, 20), self.cup, wh2, "4", "2.50", source_id=3)
        t.issue(c, d(12, 2), shirt, wh2, "2", source_id=3)


@pytest.fixture
def story() -> Story:
    return Story()


# --- 即时库存 ---------------------------------------------------------------------


def figures(row: selectors.OnHandRow) -> tuple[object, ...]:
    return (
        row.product_code,
        row.warehouse_code,
        row.on_hand,
        row.reserved,
        row.available,
        row.value,
    )


def test_on_hand_per_warehouse_with_reserved_and_available(story: Story) -> None:
    # given: 2 shirts of WH1 promised to an order
    services.reserve(
        company=story.company,
        product=story.shirt,
        warehouse=story.wh1,
        quantity=D("2"),
        source=SourceRef("test.order", 1),
    )
    # when
    report = selectors.on_hand(story.company)
    # then: by product code, then warehouse
    assert [figures(row) for row in report.rows] == [
        ("CUP", "WH2", D("4"), D("0"), D("4"), D("10.00")),
        ("SHIRT", "WH1", D("5"), D("2"), D("3"), D("59.37")),
        ("SHIRT", "WH2", D("3"), D("0"), D("3"), D("35.63")),
    ]
    assert report.total_value == D("105.00")  # 10.00 + 59.37 + 35.63
    assert report.rows[1].unit_cost == D("11.874")  # 59.37 / 5


def test_on_hand_filters_and_pages(story: Story) -> None:
    # when: one warehouse; a search; a category; one row a page
    in_wh2 = selectors.on_hand(story.company, warehouse=story.wh2)
    shirts = selectors.on_hand(story.company, search="shi")
    kitchen = selectors.on_hand(story.company, category=story.kitchen)
    second_page = selectors.on_hand(story.company, page=2, page_size=1)
    # then
    assert [(r.product_code, r.on_hand) for r in in_wh2.rows] == [
        ("CUP", D("4")),
        ("SHIRT", D("3")),
    ]
    assert in_wh2.total_value == D("45.63")
    assert [(r.product_code, r.warehouse_code) for r in shirts.rows] == [
        ("SHIRT", "WH1"),
        ("SHIRT", "WH2"),
    ]
    assert [r.product_code for r in kitchen.rows] == ["CUP"]
    assert (second_page.count, second_page.num_pages) == (3, 3)
    assert [(r.product_code, r.warehouse_code) for r in second_page.rows] == [
        ("SHIRT", "WH1")
    ]
    # the total covers every row of the filter, not only the page
    assert second_page.total_value == D("105.00")


def test_on_hand_hides_what_is_all_gone_unless_asked(story: Story) -> None:
    # given: the cups all issued
    t.issue(story.company, d(12, 5), story.cup, story.wh2, "4", source_id=9)
    # when
    shown = selectors.on_hand(story.company)
    everything = selectors.on_hand(story.company, include_zero=True)
    # then
    assert "CUP" not in [r.product_code for r in shown.rows]
    assert ("CUP", D("0"), D("0.00")) in [
        (r.product_code, r.on_hand, r.value) for r in everything.rows
    ]


def lotted(company: Company, warehouse: Warehouse) -> tuple[Product, str]:
    """Tea tracked by lot: 3 of L1 at bin A1 @ 4.00, 2 of L2 at the default
    bin @ 5.00, 1 more of L1 at the default bin @ 4.00 → 6, 26.00."""
    tea = t.product(company, "TEA", track_lots=True)
    bin_a1 = services.add_location(
        warehouse=warehouse,
        actor=None,
        data=services.LocationData(code="A1", zone="A", aisle="01"),
    )
    t.receive(company, d(11, 1), tea, warehouse, "3", "4.00", lot="L1", location=bin_a1)
    t.receive(company, d(11, 2), tea, warehouse, "2", "5.00", lot="L2")
    t.receive(company, d(11, 3), tea, warehouse, "1", "4.00", lot="L1")
    return tea, bin_a1.code


def test_on_hand_per_location_shares_the_warehouse_value(story: Story) -> None:
    # given: 6 tea worth 26.00 in WH1, over two bins
    lotted(story.company, story.wh1)
    # when
    report = selectors.on_hand(
        story.company, warehouse=story.wh1, search="TEA", by="location"
    )
    # then: each bin's share of 26.00 by quantity: 3/6 = 13.00, 2/6 = 8.67,
    # 1/6 = 4.33 (value is kept per warehouse, not per bin or lot)
    assert [
        (r.location_code, r.lot_number, r.on_hand, r.value, r.reserved)
        for r in report.rows
    ] == [
        ("A1", "L1", D("3"), D("13.00"), None),
        ("DEFAULT", "L1", D("1"), D("4.33"), None),
        ("DEFAULT", "L2", D("2"), D("8.67"), None),
    ]


def test_on_hand_per_lot_adds_up_the_bins(story: Story) -> None:
    # given
    lotted(story.company, story.wh1)
    # when
    report = selectors.on_hand(story.company, search="TEA", by="lot")
    # then: L1 = 3 + 1 = 4 → 26.00 × 4/6 = 17.33; L2 = 2 → 8.67
    assert [(r.lot_number, r.on_hand, r.value) for r in report.rows] == [
        ("L1", D("4"), D("17.33")),
        ("L2", D("2"), D("8.67")),
    ]
    assert report.count == 2


def test_on_hand_refuses_a_bad_page(story: Story) -> None:
    with pytest.raises(ValidationError):
        selectors.on_hand(story.company, page=0)
    with pytest.raises(ValidationError):
        selectors.on_hand(story.company, page_size=10_000)


def test_on_hand_query_count_does_not_grow_with_rows(
    story: Story, django_assert_max_num_queries: object
) -> None:
    # given: 20 more products in stock
    for n in range(20):
        item = t.product(story.company, f"X{n:02d}")
        t.receive(story.company, d(11, 5), item, story.wh1, "1", "1.00", source_id=n)
    # then: catalog search subquery, total, count, page (+ balances per bin)
    for by in ("warehouse", "location", "lot"):
        with django_assert_max_num_queries(5):  # type: ignore[operator]
            report = selectors.on_hand(story.company, search="X", by=by)
        assert report.count == 20


# --- 出入库流水 -------------------------------------------------------------------


def ledger_lines(
    ledger_report: selectors.StockLedger,
) -> list[tuple[object, ...]]:
    return [
        (
            row.date,
            row.kind,
            row.warehouse_code,
            row.quantity_in,
            row.quantity_out,
            row.value_in,
            row.value_out,
            row.balance_quantity,
            row.balance_value,
        )
        for row in ledger_report.lines
    ]


def test_stock_ledger_of_one_warehouse(story: Story) -> None:
    # when: November in WH1
    report = selectors.stock_ledger(
        story.company,
        product=story.shirt,
        warehouse=story.wh1,
        date_from=d(11, 1),
        date_to=d(11, 30),
    )
    # then: opens at 6 / 60.00 (10 − 4; 100.00 − 40.00)
    assert (report.opening_quantity, report.opening_value) == (D("6"), D("60.00"))
    assert ledger_lines(report) == [
        (d(11, 3), "receipt", "WH1", D("10"), D("0"), D("130.00"), D("0"),
         D("16"), D("190.00")),
        (d(11, 10), "issue", "WH1", D("0"), D("6"), D("0"), D("71.25"),
         D("10"), D("118.75")),
        (d(11, 15), "transfer_out", "WH1", D("0"), D("5"), D("0"), D("59.38"),
         D("5"), D("59.37")),
    ]  # fmt: skip
    assert (report.in_quantity, report.in_value) == (D("10"), D("130.00"))
    assert (report.out_quantity, report.out_value) == (D("11"), D("130.63"))
    assert (report.closing_quantity, report.closing_value) == (D("5"), D("59.37"))
    assert report.lines[0].unit_cost == D("13")
    assert report.lines[0].voucher_number.startswith("转-")
    # the running figures are exactly what each move stored for its chain
    stored = StockMove.objects.filter(
        company=story.company, warehouse=story.wh1, date__month=11
    ).order_by("date", "id")
    assert [(r.balance_quantity, r.balance_value) for r in report.lines] == [
        (m.balance_quantity, m.balance_value) for m in stored
    ]


def test_stock_ledger_of_all_warehouses_runs_from_the_opening(story: Story) -> None:
    # when: November, every warehouse
    report = selectors.stock_ledger(
        story.company, product=story.shirt, date_from=d(11, 1), date_to=d(11, 30)
    )
    # then: the transfer leaves WH1 and enters WH2; the total is unchanged
    assert ledger_lines(report) == [
        (d(11, 3), "receipt", "WH1", D("10"), D("0"), D("130.00"), D("0"),
         D("16"), D("190.00")),
        (d(11, 10), "issue", "WH1", D("0"), D("6"), D("0"), D("71.25"),
         D("10"), D("118.75")),
        (d(11, 15), "transfer_out", "WH1", D("0"), D("5"), D("0"), D("59.38"),
         D("5"), D("59.37")),
        (d(11, 15), "transfer_in", "WH2", D("5"), D("0"), D("59.38"), D("0"),
         D("10"), D("118.75")),
    ]  # fmt: skip
    assert (report.closing_quantity, report.closing_value) == (D("10"), D("118.75"))
    assert report.count == 4


def test_a_later_page_of_the_stock_ledger_carries_the_running_totals(
    story: Story,
) -> None:
    # when: from the third move of the range on
    report = selectors.stock_ledger(
        story.company,
        product=story.shirt,
        date_from=d(10, 1),
        date_to=d(12, 31),
        offset=3,
        limit=2,
    )
    # then: 10 + (−4) + 10 = 16 / 190.00 before; −6 → 10 / 118.75; −5 → 5 / 59.37
    assert [(r.balance_quantity, r.balance_value) for r in report.lines] == [
        (D("10"), D("118.75")),
        (D("5"), D("59.37")),
    ]
    assert (report.count, report.closing_quantity, report.closing_value) == (
        7,
        D("8"),  # 10 − 2 in December
        D("95.00"),  # 118.75 − 23.75
    )


def test_stock_ledger_refuses_a_reversed_range_and_a_foreign_product(
    story: Story, other_company: Company
) -> None:
    foreign = t.product(other_company, "ALIEN")
    with pytest.raises(ValidationError):
        selectors.stock_ledger(
            story.company, product=story.shirt, date_from=d(12, 1), date_to=d(11, 1)
        )
    with pytest.raises(NotFoundError):
        selectors.stock_ledger(
            story.company, product=foreign, date_from=d(11, 1), date_to=d(11, 30)
        )


def test_stock_ledger_query_count(
    story: Story, django_assert_max_num_queries: object
) -> None:
    for n in range(10):
        t.receive(
            story.company, d(11, 21), story.shirt, story.wh1, "1", "1.00", source_id=n
        )
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        report = selectors.stock_ledger(
            story.company, product=story.shirt, date_from=d(11, 1), date_to=d(12, 31)
        )
    assert report.count == 15


# --- 收发存汇总表 -----------------------------------------------------------------


def summary_figures(row: selectors.SummaryFigures) -> tuple[Decimal, ...]:
    return (
        row.opening_quantity,
        row.opening_value,
        row.in_quantity,
        row.in_value,
        row.out_quantity,
        row.out_value,
        row.closing_quantity,
        row.closing_value,
    )


def test_movement_summary_of_november_for_the_company(story: Story) -> None:
    # when
    report = selectors.movement_summary(
        story.company, date_from=d(11, 1), date_to=d(11, 30)
    )
    # then: shirts open at 6 / 60.00, take in 10 / 130.00, send out 6 / 71.25
    # (the transfer stays inside the company) and close at 10 / 118.75
    rows = {row.product_code: summary_figures(row) for row in report.rows}
    assert rows == {
        "CUP": (D("0"), D("0"), D("4"), D("10.00"), D("0"), D("0"),
                D("4"), D("10.00")),
        "SHIRT": (D("6"), D("60.00"), D("10"), D("130.00"), D("6"), D("71.25"),
                  D("10"), D("118.75")),
    }  # fmt: skip
    assert summary_figures(report.total) == (
        D("6"), D("60.00"), D("14"), D("140.00"), D("6"), D("71.25"),
        D("14"), D("128.75"),
    )  # fmt: skip


def test_movement_summary_per_warehouse_counts_transfers(story: Story) -> None:
    # when
    report = selectors.movement_summary(
        story.company, date_from=d(11, 1), date_to=d(11, 30), by_warehouse=True
    )
    # then: WH1 sends 6 + 5 = 11 out worth 71.25 + 59.38 = 130.63
    rows = {
        (row.product_code, row.warehouse_code): summary_figures(row)
        for row in report.rows
    }
    assert rows == {
        ("CUP", "WH2"): (D("0"), D("0"), D("4"), D("10.00"), D("0"), D("0"),
                         D("4"), D("10.00")),
        ("SHIRT", "WH1"): (D("6"), D("60.00"), D("10"), D("130.00"),
                           D("11"), D("130.63"), D("5"), D("59.37")),
        ("SHIRT", "WH2"): (D("0"), D("0"), D("5"), D("59.38"), D("0"), D("0"),
                           D("5"), D("59.38")),
    }  # fmt: skip
    # the company's total is the same as without the split
    assert (report.total.closing_quantity, report.total.closing_value) == (
        D("14"),
        D("128.75"),
    )


def test_opening_plus_in_minus_out_is_closing_month_after_month(
    story: Story,
) -> None:
    # given: October, November and December one after the other
    months = [(d(10, 1), d(10, 31)), (d(11, 1), d(11, 30)), (d(12, 1), d(12, 31))]
    closing: dict[str, tuple[Decimal, Decimal]] = {}
    for first, last in months:
        # when
        report = selectors.movement_summary(
            story.company, date_from=first, date_to=last, by_warehouse=True
        )
        for row in report.rows:
            key = f"{row.product_code}@{row.warehouse_code}"
            # then: each month opens where the one before closed
            assert (row.opening_quantity, row.opening_value) == closing.get(
                key, (D("0"), D("0.00"))
            )
            assert row.closing_quantity == (
                row.opening_quantity + row.in_quantity - row.out_quantity
            )
            closing[key] = (row.closing_quantity, row.closing_value)
    # and the last closing is what the balances hold
    assert closing == {
        "CUP@WH2": (D("4"), D("10.00")),
        "SHIRT@WH1": (D("5"), D("59.37")),
        "SHIRT@WH2": (D("3"), D("35.63")),
    }


def test_movement_summary_of_one_warehouse_and_one_category(story: Story) -> None:
    # when
    report = selectors.movement_summary(
        story.company,
        date_from=d(12, 1),
        date_to=d(12, 31),
        warehouse=story.wh2,
        category=story.clothes,
    )
    # then: only shirts in WH2: 5 / 59.38 − 2 / 23.75 = 3 / 35.63
    assert [(r.product_code, r.warehouse_code) for r in report.rows] == [
        ("SHIRT", "WH2")
    ]
    assert summary_figures(report.rows[0]) == (
        D("5"), D("59.38"), D("0"), D("0"), D("2"), D("23.75"), D("3"), D("35.63"),
    )  # fmt: skip


def test_movement_summary_query_count(
    story: Story, django_assert_max_num_queries: object
) -> None:
    for n in range(15):
        item = t.product(story.company, f"Y{n:02d}", category=story.clothes)
        t.receive(story.company, d(11, 5), item, story.wh1, "2", "3.00", source_id=n)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        report = selectors.movement_summary(
            story.company,
            date_from=d(11, 1),
            date_to=d(11, 30),
            category=story.clothes,
            by_warehouse=True,
        )
    assert len(report.rows) == 17  # 15 + shirts in WH1 and WH2


# --- valuation and reconciliation ---------------------------------------------------


def test_valuation_now_by_warehouse_and_category(story: Story) -> None:
    # when
    report = selectors.valuation(story.company)
    # then
    assert [
        (v.warehouse_code, v.category_code, v.quantity, v.value) for v in report.lines
    ] == [
        ("WH1", "CLOTHES", D("5"), D("59.37")),
        ("WH2", "CLOTHES", D("3"), D("35.63")),
        ("WH2", "KITCHEN", D("4"), D("10.00")),
    ]
    assert [(v.warehouse_code, v.value) for v in report.by_warehouse] == [
        ("WH1", D("59.37")),
        ("WH2", D("45.63")),
    ]
    assert [(v.category_code, v.value) for v in report.by_category] == [
        ("CLOTHES", D("95.00")),
        ("KITCHEN", D("10.00")),
    ]
    assert report.total == D("105.00")


def test_valuation_at_the_end_of_november(story: Story) -> None:
    # when: before December's issue of 2 shirts (23.75)
    report = selectors.valuation(story.company, as_of=d(11, 30))
    # then
    assert [(v.warehouse_code, v.value) for v in report.by_warehouse] == [
        ("WH1", D("59.37")),
        ("WH2", D("69.38")),  # 59.38 + 10.00
    ]
    assert report.total == D("128.75")


def test_reconciliation_agrees_with_the_ledger_per_inventory_account(
    story: Story,
) -> None:
    # given
    november = Period.objects.get(company=story.company, year=2026, number=11)
    # when
    report = selectors.reconciliation(story.company, period=november)
    # then: cups went to 1403 (their category's account), shirts to 1405
    rows = [
        (r.account_code, r.stock_value, r.ledger_balance, r.difference)
        for r in report.rows
    ]
    assert rows == [
        ("1403", D("10.00"), D("10.00"), D("0.00")),
        ("1405", D("118.75"), D("118.75"), D("0.00")),
    ]
    assert report.agrees
    assert report.as_of == d(11, 30)


def test_reconciliation_shows_a_posting_made_by_hand(story: Story) -> None:
    # given: someone posts 5.00 to 1405 directly
    posted(
        story.company,
        d(11, 25),
        line("盘盈", "1405", debit="5.00"),
        line("盘盈", "1001", credit="5.00"),
    )
    november = Period.objects.get(company=story.company, year=2026, number=11)
    # when
    report = selectors.reconciliation(story.company, period=november)
    # then
    assert not report.agrees
    assert report.difference == D("-5.00")  # 128.75 in stock, 133.75 in the books
    assert selectors.period_containing(story.company, d(11, 7)) == november


# --- the moves behind the figures ---------------------------------------------------


def test_moves_of_a_source_and_a_move_with_its_voucher(story: Story) -> None:
    # when
    moves = selectors.moves_of_source(story.company, "test.transfer", 1)
    move = selectors.get_move(story.company, moves[0].pk)
    # then
    assert [(m.kind, m.warehouse.code, m.quantity) for m in moves] == [
        (MoveKind.TRANSFER_OUT, "WH1", D("-5")),
        (MoveKind.TRANSFER_IN, "WH2", D("5")),
    ]
    assert move.counterpart is not None
    assert move.counterpart.warehouse.code == "WH2"
    assert move.voucher is None  # both warehouses keep stock on 1405


def test_a_backdated_receipt_shows_its_adjustment_on_both_moves(
    story: Story,
) -> None:
    # given: 2 of the 4 cups (10.00) issued on 11-25 → 5.00; then 2 more cups
    # @ 4.00 received dated 11-21: the issue costs (10.00 + 8.00) × 2/6 = 6.00
    c = story.company
    issue = t.issue(c, d(11, 25), story.cup, story.wh2, "2", source_id=8).moves[0]
    late = t.receive(c, d(11, 21), story.cup, story.wh2, "2", "4.00", source_id=8)
    cause = late.moves[0]
    # when
    on_issue = selectors.move_adjustments(c, issue)
    on_cause = selectors.move_adjustments(c, cause)
    # then
    assert [(a.old_value, a.new_value) for a in on_issue.revaluations] == [
        (D("-5.00"), D("-6.00"))
    ]
    assert len(on_cause.caused) == 1
    adjustment = selectors.get_cost_adjustment(c, on_cause.caused[0].pk)
    assert adjustment.voucher is not None
    assert [a.move_id for a in selectors.cost_adjustment_lines(c, adjustment)] == [
        issue.pk
    ]


def test_another_companys_rows_are_not_found(
    story: Story, other_company: Company
) -> None:
    move = StockMove.objects.filter(company=story.company).first()
    assert move is not None
    with pytest.raises(NotFoundError):
        selectors.get_move(other_company, move.pk)
    with pytest.raises(NotFoundError):
        selectors.get_warehouse(other_company, story.wh1.pk)
    with pytest.raises(NotFoundError):
        selectors.get_location(other_company, story.wh1.locations.get().pk)


def test_products_are_found_by_code_or_barcode(story: Story) -> None:
    from zhongshu.catalog.models import Barcode

    Barcode.objects.create(
        company=story.company, product=story.shirt, code="6901234567892", kind="ean13"
    )
    assert selectors.find_product(story.company, " SHIRT ") == story.shirt
    assert selectors.find_product(story.company, "6901234567892") == story.shirt
    assert selectors.find_product(story.company, "NOPE") is None
    assert selectors.find_product(story.company, "") is None
