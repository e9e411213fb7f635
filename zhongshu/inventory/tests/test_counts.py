"""Stock counts (盘点) worked by hand: the freeze, counting by hand and by
scanner, the review, the posting of gains and losses to 待处理财产损溢 1901,
and the refusals — each with nothing written."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.utils import translation

from zhongshu.catalog.errors import UnknownBarcodeError
from zhongshu.catalog.models import Barcode, BarcodeKind, Category, ProductUnit
from zhongshu.core import consistency
from zhongshu.core import services as core_services
from zhongshu.core.errors import (
    ConflictError,
    IllegalTransitionError,
    ValidationError,
)
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.core.testing import member, owner_of
from zhongshu.inventory import checks as _inventory_checks  # noqa: F401 - registers
from zhongshu.inventory import counts, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import (
    CountState,
    Location,
    StockBalance,
    StockCount,
    StockCountLine,
    StockMove,
    StockQuant,
    Warehouse,
)
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Account, AccountRole, PeriodTotal, Voucher

pytestmark = pytest.mark.django_db

NOV = datetime.date(2026, 11, 1)


def day(n: int) -> datetime.date:
    return NOV.replace(day=n)


def ledger_balance(company: Company, code: str) -> Decimal:
    totals = PeriodTotal.objects.filter(company=company, account__code=code)
    return sum((row.debit - row.credit for row in totals), Decimal("0.00"))


def with_gain_loss_role(company: Company) -> None:
    """待处理财产损溢 1901 as the role ``stock_gain_loss``. Set here in case the
    chart's default roles do not name it (yet)."""
    ledger.set_account_role(
        company=company,
        actor=owner_of(company),
        role=counts.GAIN_LOSS_ROLE,
        account=Account.objects.get(company=company, code="1901"),
    )


def voucher_lines(voucher: Voucher | None) -> set[tuple[str, Decimal, Decimal]]:
    assert voucher is not None
    return {(x.account.code, x.debit, x.credit) for x in voucher.lines.all()}


def location(warehouse: Warehouse, code: str, zone: str = "") -> Location:
    return services.add_location(
        warehouse=warehouse,
        actor=None,
        data=services.LocationData(code=code, zone=zone),
    )


def line_of(count: StockCount, code: str, where: str = "DEFAULT") -> StockCountLine:
    return StockCountLine.objects.get(
        count=count, product__code=code, location__code=where
    )


def written(company: Company) -> tuple[int, int, int, int, int]:
    """Rows a refused action must not add to."""
    return (
        StockMove.objects.filter(company=company).count(),
        Voucher.objects.filter(company=company).count(),
        StockCountLine.objects.filter(company=company).count(),
        AuditEntry.objects.filter(company=company).count(),
        StockCount.objects.filter(company=company, state=CountState.POSTED).count(),
    )


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are matched in English; zh-hans is the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def shop() -> Company:
    company = t.stocked_company("SHOP")
    with_gain_loss_role(company)
    return company


@pytest.fixture
def clerk(shop: Company) -> User:
    return owner_of(shop)


def test_a_count_worked_by_hand(shop: Company, clerk: User) -> None:
    """Shirts: book 10 at a moving average of 11.00, counted 8 → a loss of 2
    = 22.00 (Dr 1901 / Cr 1405). Cups: book 5 at 4.00, counted 8 → a gain of
    3 = 12.00 (Dr 1405 / Cr 1901). Stock and the ledger agree afterwards."""
    # given: 6 @ 10.00 + 4 @ 12.50 = 10 shirts worth 110.00 (11.00 each)
    wh = t.warehouse(shop)
    shirt, cup = t.product(shop, "SHIRT"), t.product(shop, "CUP")
    t.receive(shop, day(2), shirt, wh, "6", "10.00")
    t.receive(shop, day(3), shirt, wh, "4", "12.50", source_id=2)
    t.receive(shop, day(3), cup, wh, "5", "4.00", source_id=3)  # 20.00

    # when: the count starts, the book is frozen and the count numbered
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    assert count.state == CountState.COUNTING
    assert count.number == "PD-2026-00001"
    frozen = {
        (line.product.code, line.book_quantity, line.counted_quantity)
        for line in counts.list_count_lines(shop, count)
    }
    assert frozen == {("CUP", Decimal("5"), None), ("SHIRT", Decimal("10"), None)}

    # and: the quantities counted are entered and reviewed
    shirt_line, cup_line = line_of(count, "SHIRT"), line_of(count, "CUP")
    counts.enter_counts(
        count=count,
        actor=clerk,
        quantities={shirt_line.pk: Decimal("8"), cup_line.pk: "8"},
    )
    counts.review_count(count=count, actor=clerk)
    sheet = counts.count_sheet(shop, count)
    figures = {
        (r.line.product.code, r.variance, r.unit_cost, r.variance_value)
        for r in sheet.rows
    }
    assert figures == {
        ("SHIRT", Decimal("-2"), Decimal("11.000000"), Decimal("-22.00")),
        ("CUP", Decimal("3"), Decimal("4.000000"), Decimal("12.00")),
    }
    assert (sheet.gain_value, sheet.loss_value) == (Decimal("12.00"), Decimal("22.00"))
    assert sheet.net_value == Decimal("-10.00")

    # and: it is posted
    count = counts.post_count(count=count, actor=clerk)

    # then: one gain voucher and one loss voucher, against 1901
    assert count.state == CountState.POSTED
    assert count.posted_by == clerk
    assert voucher_lines(count.gain_voucher) == {
        ("1405", Decimal("12.00"), Decimal("0.00")),
        ("1901", Decimal("0.00"), Decimal("12.00")),
    }
    assert voucher_lines(count.loss_voucher) == {
        ("1901", Decimal("22.00"), Decimal("0.00")),
        ("1405", Decimal("0.00"), Decimal("22.00")),
    }
    moves = {
        (m.kind, m.product.code, m.quantity, m.value, m.location.code)
        for m in StockMove.objects.filter(
            company=shop, source_kind="inventory.count", source_id=count.pk
        ).select_related("product", "location")
    }
    assert moves == {
        ("gain", "CUP", Decimal("3"), Decimal("12.00"), "DEFAULT"),
        ("loss", "SHIRT", Decimal("-2"), Decimal("-22.00"), "DEFAULT"),
    }
    shirt_line.refresh_from_db()
    assert shirt_line.posted_value == Decimal("-22.00")
    assert shirt_line.move is not None

    # and: stock is what was counted, and stock value = 1405
    balances = {
        b.product.code: (b.on_hand, b.value)
        for b in StockBalance.objects.filter(company=shop).select_related("product")
    }
    # shirts 8 × 11.00 = 88.00; cups 20.00 + 12.00 = 32.00 for 8
    assert balances == {
        "SHIRT": (Decimal("8"), Decimal("88.00")),
        "CUP": (Decimal("8"), Decimal("32.00")),
    }
    assert ledger_balance(shop, "1405") == Decimal("120.00")  # 88.00 + 32.00
    assert ledger_balance(shop, "1901") == Decimal("10.00")  # 22.00 lost − 12.00
    # and: the posted sheet shows the posted values
    posted = counts.count_sheet(shop, count)
    assert (posted.gain_value, posted.loss_value) == (
        Decimal("12.00"),
        Decimal("22.00"),
    )
    # and: every consistency check (stock = moves = ledger, chains replay) holds
    failed = {r.name: r.problems for r in consistency.run_all() if not r.passed}
    assert failed == {}


def test_posting_twice_is_refused_and_writes_nothing(
    shop: Company, clerk: User
) -> None:
    # given: a posted count with a loss
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.enter_counts(
        count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "9"}
    )
    counts.review_count(count=count, actor=clerk)
    counts.post_count(count=count, actor=clerk)
    before = written(shop)

    # when / then: a second posting, from a stale copy of the count too
    with pytest.raises(IllegalTransitionError):
        counts.post_count(count=count, actor=clerk)
    stale = StockCount.objects.get(pk=count.pk)
    stale.state = CountState.COUNTING  # what a second browser tab still shows
    with pytest.raises(IllegalTransitionError):
        counts.post_count(count=stale, actor=clerk)
    assert written(shop) == before
    assert StockBalance.objects.get(company=shop).on_hand == Decimal("9")
    # and: a posted count can neither be cancelled nor counted again
    with pytest.raises(IllegalTransitionError):
        counts.cancel_count(count=count, actor=clerk)
    with pytest.raises(ConflictError):
        counts.enter_counts(
            count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "7"}
        )
    assert written(shop) == before


def test_an_empty_or_unreviewed_count_is_not_posted(shop: Company, clerk: User) -> None:
    # given: an empty warehouse, and one holding stock
    empty_wh = t.warehouse(shop, "EMPTY")
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    empty = counts.create_count(
        company=shop, actor=clerk, warehouse=empty_wh, date=day(20)
    )
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    before = written(shop)

    # when / then: the empty count has nothing to review or post
    with pytest.raises(ConflictError, match="no lines"):
        counts.review_count(count=empty, actor=clerk)
    with pytest.raises(ConflictError, match="no lines"):
        counts.post_count(count=empty, actor=clerk)
    # and: an uncounted line stops the review, a missing review the posting
    with pytest.raises(ConflictError, match="1 lines are not counted"):
        counts.review_count(count=count, actor=clerk)
    with pytest.raises(ConflictError, match="Review the variances"):
        counts.post_count(count=count, actor=clerk)
    assert written(shop) == before

    # when: counted and reviewed, then changed again
    line = line_of(count, "SHIRT")
    counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "10"})
    counts.review_count(count=count, actor=clerk)
    counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "11"})

    # then: the change withdrew the review
    count.refresh_from_db()
    assert count.reviewed_at is None
    with pytest.raises(ConflictError, match="Review the variances"):
        counts.post_count(count=count, actor=clerk)


def test_a_count_without_variances_posts_no_voucher(shop: Company, clerk: User) -> None:
    # given: 10 on the book and 10 on the shelf
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.enter_counts(
        count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "10"}
    )
    counts.review_count(count=count, actor=clerk)
    # when
    count = counts.post_count(count=count, actor=clerk)
    # then: posted, with nothing moved
    assert count.state == CountState.POSTED
    assert (count.gain_voucher, count.loss_voucher) == (None, None)
    assert not StockMove.objects.filter(source_kind="inventory.count").exists()


def test_stock_that_moves_after_the_freeze(shop: Company, clerk: User) -> None:
    """Book 10 at the freeze; 3 shipped after it; 8 counted. The variance is
    8 − 10 = −2, so 10 − 3 − 2 = 5 = counted 8 − shipped 3 remain."""
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    t.issue(shop, day(21), shirt, wh, "3")  # a sale while counting
    line = line_of(count, "SHIRT")
    counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "8"})
    counts.review_count(count=count, actor=clerk)

    # the sheet shows the move and what posting will leave
    (row,) = counts.count_sheet(shop, count).rows
    assert (row.book, row.moved_since, row.variance, row.on_hand_after) == (
        Decimal("10"),
        Decimal("-3"),
        Decimal("-2"),
        Decimal("5"),
    )

    counts.post_count(count=count, actor=clerk)
    balance = StockBalance.objects.get(company=shop, product=shirt)
    assert (balance.on_hand, balance.value) == (Decimal("5"), Decimal("50.00"))
    assert StockQuant.objects.get(company=shop, product=shirt).quantity == Decimal("5")


def test_the_scope_narrows_to_a_zone_and_a_category(shop: Company, clerk: User) -> None:
    # given: clothes (with a sub-category) and food, in zones A and B
    wh = t.warehouse(shop)
    a1, b1 = location(wh, "A-01", zone="A"), location(wh, "B-01", zone="B")
    clothes = Category.objects.create(company=shop, code="C", name="服装")
    tops = Category.objects.create(company=shop, code="C1", name="上衣", parent=clothes)
    food = Category.objects.create(company=shop, code="F", name="食品")
    shirt = t.product(shop, "SHIRT", category=tops)
    rice = t.product(shop, "RICE", category=food)
    for item in (shirt, rice):
        for where in (a1, b1):
            t.receive(shop, day(2), item, wh, "4", "5.00", location=where)

    # when: zone A only, clothes only
    count = counts.create_count(
        company=shop,
        actor=clerk,
        warehouse=wh,
        date=day(20),
        zone="A",
        category=clothes,
    )

    # then: only the shirts in A-01 are frozen
    assert [
        (x.product.code, x.location.code) for x in counts.list_count_lines(shop, count)
    ] == [("SHIRT", "A-01")]
    assert counts.scope_label(count) == "WH1 仓库 WH1 · zone A · 服装"
    # and: a product or a location outside the scope cannot be counted in it
    with pytest.raises(ValidationError, match="not in category"):
        counts.set_counted(
            count=count, actor=clerk, product=rice, location=a1, quantity="1"
        )
    with pytest.raises(ValidationError, match="not in zone A"):
        counts.set_counted(
            count=count, actor=clerk, product=shirt, location=b1, quantity="1"
        )
    # and: a zone no location has is refused
    with pytest.raises(ValidationError, match="zone Z"):
        counts.create_count(
            company=shop, actor=clerk, warehouse=wh, date=day(20), zone="Z"
        )


def test_scanning_counts_units_and_boxes(shop: Company, clerk: User) -> None:
    # given: cups with a barcode for one cup and one for a box of 12
    wh = t.warehouse(shop)
    shelf = location(wh, "A-01", zone="A")
    cup, mug = t.product(shop, "CUP"), t.product(shop, "MUG")
    box = t.unit(shop, "BOX", "箱")
    ProductUnit.objects.create(company=shop, product=cup, unit=box, factor=12)
    Barcode.objects.create(
        company=shop, product=cup, code="6901234567892", kind=BarcodeKind.EAN13
    )
    Barcode.objects.create(
        company=shop, product=cup, code="CUP-BOX", kind=BarcodeKind.INTERNAL, unit=box
    )
    Barcode.objects.create(
        company=shop, product=mug, code="MUG-1", kind=BarcodeKind.INTERNAL
    )
    t.receive(shop, day(2), cup, wh, "20", "4.00", location=shelf)
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))

    # when: two cups and a box are scanned at the shelf
    first = counts.scan_barcode(
        count=count, actor=clerk, code="6901234567892", location=shelf
    )
    counts.scan_barcode(count=count, actor=clerk, code="6901234567892", location=shelf)
    boxed = counts.scan_barcode(
        count=count, actor=clerk, code="CUP-BOX", location=shelf
    )

    # then: 1 + 1 + 12 = 14 counted on the frozen line
    assert (first.added, first.is_new_line) == (Decimal("1"), False)
    assert (boxed.added, boxed.unit_name) == (Decimal("12"), "箱")
    cup_line = line_of(count, "CUP", "A-01")
    assert (cup_line.book_quantity, cup_line.counted_quantity) == (
        Decimal("20"),
        Decimal("14"),
    )

    # when: a mug nobody booked is found on the shelf
    found = counts.scan_barcode(count=count, actor=clerk, code="MUG-1", location=shelf)

    # then: a new line with book 0
    assert found.is_new_line
    mug_line = line_of(count, "MUG", "A-01")
    assert (mug_line.book_quantity, mug_line.counted_quantity, mug_line.is_added) == (
        Decimal("0"),
        Decimal("1"),
        True,
    )

    # when / then: an unknown barcode is a clear error and counts nothing
    before = written(shop)
    with pytest.raises(UnknownBarcodeError, match="No product has the barcode 404"):
        counts.scan_barcode(count=count, actor=clerk, code="404", location=shelf)
    assert written(shop) == before
    cup_line.refresh_from_db()
    assert cup_line.counted_quantity == Decimal("14")


def test_scanning_a_lot_tracked_product(shop: Company, clerk: User) -> None:
    # given: milk in two lots on one shelf, one lot on another
    wh = t.warehouse(shop)
    a1, a2 = location(wh, "A-01"), location(wh, "A-02")
    milk = t.product(shop, "MILK", track_lots=True)
    Barcode.objects.create(
        company=shop, product=milk, code="MILK-1", kind=BarcodeKind.INTERNAL
    )
    t.receive(shop, day(2), milk, wh, "5", "3.00", location=a1, lot="L1")
    t.receive(shop, day(2), milk, wh, "5", "3.00", location=a1, lot="L2")
    t.receive(shop, day(2), milk, wh, "5", "3.00", location=a2, lot="L1")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))

    # then: at A-01 the lot must be named; at A-02 there is only one
    with pytest.raises(ValidationError, match="Enter the lot of MILK"):
        counts.scan_barcode(count=count, actor=clerk, code="MILK-1", location=a1)
    counts.scan_barcode(
        count=count, actor=clerk, code="MILK-1", location=a1, lot_number="L2"
    )
    counts.scan_barcode(count=count, actor=clerk, code="MILK-1", location=a2)
    counted = {
        (x.location.code, x.lot.number if x.lot else "", x.counted_quantity)
        for x in counts.list_count_lines(shop, count)
    }
    assert counted == {
        ("A-01", "L1", None),
        ("A-01", "L2", Decimal("1")),
        ("A-02", "L1", Decimal("1")),
    }
    with pytest.raises(ValidationError, match="has no lot L9"):
        counts.scan_barcode(
            count=count, actor=clerk, code="MILK-1", location=a1, lot_number="L9"
        )


def test_lots_gained_and_lost_post_to_their_lots(shop: Company, clerk: User) -> None:
    # given: lot L1 5 at A-01 (counted 3), lot L2 5 (counted 6)
    wh = t.warehouse(shop)
    a1 = location(wh, "A-01")
    milk = t.product(shop, "MILK", track_lots=True)
    t.receive(shop, day(2), milk, wh, "5", "3.00", location=a1, lot="L1")
    t.receive(shop, day(2), milk, wh, "5", "3.00", location=a1, lot="L2")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.set_counted(
        count=count,
        actor=clerk,
        product=milk,
        location=a1,
        lot_number="L1",
        quantity="3",
    )
    counts.set_counted(
        count=count,
        actor=clerk,
        product=milk,
        location=a1,
        lot_number="L2",
        quantity="6",
    )
    counts.review_count(count=count, actor=clerk)
    # when
    counts.post_count(count=count, actor=clerk)
    # then: −2 × 3.00 and +1 × 3.00
    quants = {
        (q.lot.number if q.lot else "", q.quantity)
        for q in StockQuant.objects.filter(company=shop).select_related("lot")
    }
    assert quants == {("L1", Decimal("3")), ("L2", Decimal("6"))}
    assert ledger_balance(shop, "1901") == Decimal("3.00")  # 6.00 lost − 3.00 found


def test_uncounted_lines_set_to_zero(shop: Company, clerk: User) -> None:
    # given: shirts and cups booked, only shirts counted
    wh = t.warehouse(shop)
    shirt, cup = t.product(shop, "SHIRT"), t.product(shop, "CUP")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    t.receive(shop, day(2), cup, wh, "4", "2.50", source_id=2)
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.enter_counts(
        count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "10"}
    )
    # when
    zeroed = counts.zero_uncounted(count=count, actor=clerk)
    counts.review_count(count=count, actor=clerk)
    counts.post_count(count=count, actor=clerk)
    # then: the 4 cups (10.00) are written off
    assert zeroed == 1
    assert StockBalance.objects.get(company=shop, product=cup).on_hand == Decimal("0")
    assert ledger_balance(shop, "1901") == Decimal("10.00")


def test_counted_quantities_are_checked(shop: Company, clerk: User) -> None:
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    line = line_of(count, "SHIRT")
    before = written(shop)
    with pytest.raises(ValidationError, match="cannot be negative"):
        counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "-1"})
    with pytest.raises(ValidationError) as error:
        counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "1.5"})
    assert list(error.value.fields) == [f"lines.{line.pk}.counted"]
    with pytest.raises(ValidationError, match="Enter a number"):
        counts.enter_counts(count=count, actor=clerk, quantities={line.pk: "abc"})
    other = t.stocked_company("OTHER")
    foreign = counts.create_count(
        company=other,
        actor=None,
        warehouse=t.warehouse(other),
        date=day(20),
    )
    with pytest.raises(Exception, match="no such line"):
        counts.enter_counts(count=foreign, actor=clerk, quantities={line.pk: "1"})
    assert written(shop) == before


def test_a_planned_count_freezes_when_it_starts(shop: Company, clerk: User) -> None:
    # given: a count planned before the last receipt
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    planned = counts.create_count(
        company=shop, actor=clerk, warehouse=wh, date=day(20), start=False
    )
    assert (planned.state, planned.number, str(planned)) == (
        CountState.DRAFT,
        "",
        f"Draft #{planned.pk}",
    )
    t.receive(shop, day(3), shirt, wh, "2", "10.00", source_id=2)
    # when
    started = counts.start_count(count=planned, actor=clerk)
    # then: the book is the one at the start
    assert started.number == "PD-2026-00001"
    assert line_of(started, "SHIRT").book_quantity == Decimal("12")
    with pytest.raises(IllegalTransitionError):
        counts.start_count(count=started, actor=clerk)


def test_a_cancelled_count_cannot_be_posted(shop: Company, clerk: User) -> None:
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    count = counts.cancel_count(count=count, actor=clerk)
    assert count.state == CountState.CANCELLED
    assert count.cancelled_by == clerk
    with pytest.raises(IllegalTransitionError):
        counts.post_count(count=count, actor=clerk)


def test_a_closed_period_takes_no_count(shop: Company, clerk: User) -> None:
    # given: stock received in January, a count started on 20 January
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, datetime.date(2026, 1, 5), shirt, wh, "10", "10.00")
    count = counts.create_count(
        company=shop, actor=clerk, warehouse=wh, date=datetime.date(2026, 1, 20)
    )
    counts.enter_counts(
        count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "7"}
    )
    counts.review_count(count=count, actor=clerk)
    # when: January is closed before the count is posted
    january = ledger.period_for(shop, datetime.date(2026, 1, 1))
    ledger.close_period(company=shop, actor=clerk, period=january)
    before = written(shop)
    # then: neither the posting nor a new count dated in January is accepted
    with pytest.raises(ValidationError, match="closed"):
        counts.post_count(count=count, actor=clerk)
    with pytest.raises(ValidationError, match="closed"):
        counts.create_count(
            company=shop, actor=clerk, warehouse=wh, date=datetime.date(2026, 1, 31)
        )
    assert written(shop) == before


def test_posting_needs_the_gain_and_loss_account(clerk: User, shop: Company) -> None:
    # given: a company whose role stock_gain_loss points nowhere
    AccountRole.objects.filter(company=shop, role=counts.GAIN_LOSS_ROLE).delete()
    wh = t.warehouse(shop)
    shirt = t.product(shop, "SHIRT")
    t.receive(shop, day(2), shirt, wh, "10", "10.00")
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.enter_counts(
        count=count, actor=clerk, quantities={line_of(count, "SHIRT").pk: "9"}
    )
    counts.review_count(count=count, actor=clerk)
    before = written(shop)
    # when / then: a conflict naming the role, not a 404
    with pytest.raises(ConflictError, match="stock_gain_loss"):
        counts.post_count(count=count, actor=clerk)
    assert written(shop) == before


def test_counts_are_listed_and_found_in_their_company(
    shop: Company, clerk: User
) -> None:
    wh = t.warehouse(shop)
    first = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(10))
    second = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    counts.cancel_count(count=first, actor=clerk)
    assert list(counts.list_counts(shop)) == [second, first]
    assert list(counts.list_counts(shop, state=CountState.CANCELLED)) == [first]
    assert list(counts.list_counts(shop, warehouse_id=wh.pk + 1000)) == []
    assert counts.get_count(shop, second.pk) == second
    other = t.stocked_company("OTHER")
    with pytest.raises(Exception, match="Not found"):
        counts.get_count(other, second.pk)
    location(wh, "A-01", zone="A")
    location(wh, "B-01", zone="B")
    assert counts.zones_of(shop, wh) == ["A", "B"]


# --- the REST API (/api/v1/inventory/counts) ----------


def body_of(response: HttpResponse) -> Any:
    return json.loads(response.content)


class Api:
    """The assembled API as a token holder (zhongshu.api.tests is above this
    layer, so the little it takes is here)."""

    def __init__(self, user: User, company: Company) -> None:
        _token, key = core_services.issue_api_token(
            company=company, user=user, name=f"counts-{user.pk}"
        )
        self.client = Client()
        self.authorization = f"Bearer {key}"

    def call(self, method: str, path: str, body: object = None) -> HttpResponse:
        response = self.client.generic(
            method,
            "/api/v1/inventory" + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=self.authorization,
            HTTP_ACCEPT_LANGUAGE="en",
        )
        return cast(HttpResponse, response)

    def get(self, path: str) -> HttpResponse:
        return self.call("GET", path)

    def post(self, path: str, body: object = None) -> HttpResponse:
        return self.call("POST", path, body)


def test_a_count_through_the_api(shop: Company, clerk: User) -> None:
    # given: 10 cups on a shelf, with a barcode
    wh = t.warehouse(shop)
    shelf = location(wh, "A-01", zone="A")
    cup, mug = t.product(shop, "CUP"), t.product(shop, "MUG")
    Barcode.objects.create(
        company=shop, product=cup, code="6901234567892", kind=BarcodeKind.EAN13
    )
    t.receive(shop, day(2), cup, wh, "10", "4.00", location=shelf)
    t.receive(shop, day(2), mug, wh, "1", "5.00", source_id=2)  # outside zone A
    api = Api(clerk, shop)

    # when: a count of zone A is created
    response = api.post(
        "/counts", {"warehouse": "WH1", "date": "2026-11-20", "zone": "A"}
    )
    # then
    assert response.status_code == 201, response.content
    body = body_of(response)
    count_id = body["id"]
    assert (body["number"], body["state"], body["scope"]) == (
        "PD-2026-00001",
        "counting",
        "WH1 仓库 WH1 · zone A",
    )
    assert [(x["product_code"], x["book_quantity"]) for x in body["lines"]] == [
        ("CUP", "10.0000")
    ]

    # when: a cup is scanned, and an unknown code
    scanned = api.post(
        f"/counts/{count_id}/scan",
        {"barcode": "6901234567892", "location": "A-01"},
    )
    unknown = api.post(
        f"/counts/{count_id}/scan", {"barcode": "123", "location": "A-01"}
    )
    # then
    assert scanned.status_code == 200, scanned.content
    assert (
        body_of(scanned)["added"],
        body_of(scanned)["line"]["counted_quantity"],
    ) == (
        "1",
        "1.0000",
    )
    assert unknown.status_code == 422
    assert body_of(unknown)["code"] == "unknown_barcode"

    # when: 9 cups entered (and a mug found), reviewed and posted
    entered = api.post(
        f"/counts/{count_id}/counted",
        {
            "lines": [
                {"product": "CUP", "location": "A-01", "counted": 9},
                {"product": "MUG", "location": "A-01", "counted": "1"},
            ]
        },
    )
    assert entered.status_code == 200, entered.content
    assert [
        (x["product_code"], x["counted_quantity"]) for x in body_of(entered)["lines"]
    ] == [
        ("CUP", "9.0000"),
        ("MUG", "1.0000"),
    ]
    unknown_code = api.post(
        f"/counts/{count_id}/counted",
        {"lines": [{"product": "NOPE", "location": "A-01", "counted": 1}]},
    )
    assert unknown_code.status_code == 422
    assert list(body_of(unknown_code)["fields"]) == ["lines.0.product"]
    assert api.post(f"/counts/{count_id}/review").status_code == 200
    posted = api.post(f"/counts/{count_id}/post")
    # then: a loss of 1 × 4.00 and a gain of 1 mug at 5.00
    assert posted.status_code == 200, posted.content
    result = body_of(posted)
    assert (result["state"], result["loss_value"], result["gain_value"]) == (
        "posted",
        "4.00",
        "5.00",
    )
    assert result["loss_voucher_id"] is not None
    assert [x["variance"] for x in result["lines"]] == ["-1.0000", "1.0000"]

    # and: posting again is a conflict that writes nothing
    before = written(shop)
    again = api.post(f"/counts/{count_id}/post")
    assert again.status_code == 409
    assert body_of(again)["code"] == "illegal_transition"
    assert written(shop) == before

    # and: the list shows it
    listed = body_of(api.get("/counts?state=posted"))
    assert [x["number"] for x in listed["items"]] == ["PD-2026-00001"]


def test_the_api_keeps_counts_to_their_company_and_roles(
    shop: Company, clerk: User
) -> None:
    # given: a count of the shop, and another company's owner
    wh = t.warehouse(shop)
    count = counts.create_count(company=shop, actor=clerk, warehouse=wh, date=day(20))
    other = t.stocked_company("OTHER")
    stranger = Api(owner_of(other), other)
    # then: the shop's count does not exist for them
    assert stranger.get(f"/counts/{count.pk}").status_code == 404
    assert stranger.post(f"/counts/{count.pk}/cancel").status_code == 404
    assert stranger.post("/counts", {"warehouse": "WH1"}).status_code == 422
    # and: a salesman may not count, a warehouse keeper may not post
    salesman = Api(member(shop, [Role.SALES]), shop)
    keeper = Api(member(shop, [Role.WAREHOUSE]), shop)
    assert salesman.post("/counts", {"warehouse": "WH1"}).status_code == 403
    assert keeper.post(f"/counts/{count.pk}/post").status_code == 403
    assert keeper.post(f"/counts/{count.pk}/zero-uncounted").status_code == 200
    count.refresh_from_db()
    assert count.state == CountState.COUNTING
