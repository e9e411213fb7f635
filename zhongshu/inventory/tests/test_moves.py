"""Receipts, issues and transfers through the services: units, bins, lots,
reservations, revaluation by invoice — and bad input refused with a clear
error and nothing written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.catalog.models import ProductUnit, Unit
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import owner_of
from zhongshu.inventory import services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import (
    Location,
    Reservation,
    StockBalance,
    StockMove,
    StockQuant,
)
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Period, PeriodTotal, Voucher

pytestmark = pytest.mark.django_db


def d(day: int, month: int = 11) -> datetime.date:
    return datetime.date(2026, month, day)


def balance_of(product: object) -> StockBalance:
    return StockBalance.objects.get(product=product)


def ledger_balance(company: object, code: str) -> Decimal:
    totals = PeriodTotal.objects.filter(company=company, account__code=code)
    return sum((row.debit - row.credit for row in totals), Decimal("0.00"))


@pytest.fixture
def setup():  # type: ignore[no-untyped-def]
    company = t.stocked_company()
    return company, t.product(company, "TEE"), t.warehouse(company)


def test_boxes_are_received_in_pieces_at_the_box_price(setup) -> None:
    company, tee, wh = setup
    box = Unit.objects.create(company=company, code="BOX", name="箱")
    ProductUnit.objects.create(
        company=company, product=tee, unit=box, factor=Decimal(12)
    )
    # 3 boxes at 120.00 a box = 36 pieces worth 360.00 (10.00 a piece)
    posting = t.receive(company, d(2), tee, wh, "3", "120.00", unit=box)
    move = posting.moves[0]
    assert (move.quantity, move.value, move.unit_cost) == (
        Decimal("36"),
        Decimal("360.00"),
        Decimal("10.000000"),
    )
    assert balance_of(tee).on_hand == Decimal("36")


def test_bins_and_lots_are_kept_apart(setup) -> None:
    company, _tee, wh = setup
    milk = t.product(company, "MILK", track_lots=True, track_expiry=True)
    bin_a = services.add_location(
        warehouse=wh, actor=None, data=services.LocationData(code="A-01-01", zone="A")
    )
    t.receive(
        company,
        d(2),
        milk,
        wh,
        "5",
        "3.00",
        location=bin_a,
        lot="L1",
        expiry_date=d(30, 12),
    )
    t.receive(company, d(3), milk, wh, "4", "3.50", lot="L2", expiry_date=d(31, 12))
    quants = {
        (q.location.code, q.lot.number if q.lot else None): q.quantity
        for q in StockQuant.objects.filter(product=milk).select_related(
            "location", "lot"
        )
    }
    assert quants == {("A-01-01", "L1"): Decimal(5), ("DEFAULT", "L2"): Decimal(4)}
    # 9 in the warehouse, but only 5 of lot L1, all in bin A-01-01
    with pytest.raises(ValidationError, match="lot L1"):
        t.issue(company, d(4), milk, wh, "6", location=bin_a, lot="L1")
    with pytest.raises(ValidationError, match="needs a lot"):
        t.issue(company, d(4), milk, wh, "1")
    t.issue(company, d(4), milk, wh, "5", location=bin_a, lot="L1")
    assert balance_of(milk).on_hand == Decimal(4)


def test_reserved_stock_goes_only_to_its_order(setup) -> None:
    company, tee, wh = setup
    t.receive(company, d(2), tee, wh, "10", "10.00")
    order = SourceRef("sales.order", 7)
    services.reserve(
        company=company, product=tee, warehouse=wh, quantity=Decimal(8), source=order
    )
    # another customer can only have the 2 unreserved
    with pytest.raises(ValidationError, match="2 available, 3 wanted"):
        t.issue(company, d(3), tee, wh, "3", source_id=99)
    with pytest.raises(ConflictError, match="Only 2"):
        services.reserve(
            company=company,
            product=tee,
            warehouse=wh,
            quantity=Decimal(3),
            source=SourceRef("sales.order", 8),
        )
    # the order's delivery of 5 uses its reservation
    services.issue(
        company=company,
        date=d(3),
        counter=t.SALES,
        source=SourceRef("sales.delivery", 1),
        lines=[services.MoveLine(product=tee, warehouse=wh, quantity=Decimal(5))],
        reservation=order,
    )
    balance = balance_of(tee)
    assert (balance.on_hand, balance.reserved) == (Decimal(5), Decimal(3))
    assert services.release(company=company, source=order) == Decimal(3)
    balance.refresh_from_db()
    assert balance.reserved == Decimal(0)
    assert Reservation.objects.get(source_id=7).quantity == Decimal(0)


def test_an_invoice_price_revalues_stock_and_the_cost_of_what_was_sold(setup) -> None:
    company, tee, wh = setup
    receipt = t.receive(company, d(2), tee, wh, "10", "10.00").moves[0]  # 暂估 100.00
    t.issue(company, d(5), tee, wh, "4")  # 40.00
    # The invoice says 12.00 a piece: 120.00. The 20.00 difference:
    #   the issue of 4 becomes 48.00 → Dr 5401 8.00 / Cr 1405 8.00
    #   the receipt → Dr 1405 20.00 / Cr 2202 20.00; stock 6 × 12 = 72.00
    posting = services.revalue_receipt(
        move=receipt,
        value=Decimal("120.00"),
        counter=services.Counterpart("payable"),
        source=SourceRef("purchasing.invoice", 1),
    )
    assert posting.voucher is not None
    assert StockMove.objects.get(kind="issue").value == Decimal("-48.00")
    assert balance_of(tee).value == Decimal("72.00")
    assert ledger_balance(company, "1405") == Decimal("72.00")
    assert ledger_balance(company, "5401") == Decimal("48.00")


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "message"),
    [
        ("0", "1.00", "greater than zero"),
        ("-2", "1.00", "greater than zero"),
        ("1.5", "1.00", "at most 0 decimal places"),
        ("1", "-1.00", "cannot be negative"),
        ("1", None, "unit cost"),
    ],
)
def test_bad_receipts_are_refused_and_write_nothing(
    setup, quantity, unit_cost, message
) -> None:
    company, tee, wh = setup
    with pytest.raises(ValidationError, match=message):
        t.receive(company, d(2), tee, wh, quantity, unit_cost)
    assert not StockMove.objects.exists()
    assert not Voucher.objects.exists()
    assert not StockBalance.objects.filter(on_hand__gt=0).exists()


def test_a_unit_the_product_does_not_have_is_refused(setup) -> None:
    company, tee, wh = setup
    kilo = Unit.objects.create(company=company, code="KG", name="千克", places=3)
    with pytest.raises(ValidationError, match="has no unit KG"):
        t.receive(company, d(2), tee, wh, "1", "1.00", unit=kilo)
    assert not StockMove.objects.exists()


def test_a_bin_of_another_warehouse_is_refused(setup) -> None:
    company, tee, wh = setup
    other = t.warehouse(company, "WH2")
    elsewhere = Location.objects.get(warehouse=other)
    with pytest.raises(ValidationError, match="is not in warehouse WH1"):
        t.receive(company, d(2), tee, wh, "1", "1.00", location=elsewhere)
    assert not StockMove.objects.exists()


def test_a_move_into_a_closed_period_is_refused(setup) -> None:
    company, tee, wh = setup
    boss = owner_of(company)
    for number in range(1, 11):  # close January to October
        period = Period.objects.get(company=company, year=2026, number=number)
        ledger.close_period(company=company, actor=boss, period=period)
    with pytest.raises(ValidationError, match="closed"):
        t.receive(company, d(20, 10), tee, wh, "1", "1.00")
    assert not StockMove.objects.exists()
    # and an issue backdated into it, too
    t.receive(company, d(2), tee, wh, "5", "1.00")
    with pytest.raises(ValidationError, match="closed"):
        t.issue(company, d(31, 10), tee, wh, "1")
    assert StockMove.objects.count() == 1


def test_a_line_failing_late_leaves_nothing_of_the_earlier_lines(setup) -> None:
    company, tee, wh = setup
    cap = t.product(company, "CAP")
    t.receive(company, d(2), tee, wh, "5", "1.00")
    # the first line could be issued; the second cannot: neither is
    with pytest.raises(ValidationError, match="Not enough CAP") as error:
        services.issue(
            company=company,
            date=d(3),
            counter=t.SALES,
            source=SourceRef("x", 1),
            lines=[
                services.MoveLine(product=tee, warehouse=wh, quantity=Decimal(2)),
                services.MoveLine(product=cap, warehouse=wh, quantity=Decimal(1)),
            ],
        )
    assert list(error.value.fields) == ["lines.1.quantity"]
    assert StockMove.objects.count() == 1
    assert balance_of(tee).on_hand == Decimal(5)
    assert StockQuant.objects.get(product=tee).quantity == Decimal(5)


def test_negative_stock_where_the_company_allows_it(setup) -> None:
    company, tee, wh = setup
    services.update_settings(
        company=company, actor=owner_of(company), allow_negative_stock=True
    )
    t.receive(company, d(2), tee, wh, "2", "10.00")
    t.issue(company, d(3), tee, wh, "5")  # 2 at 10.00 + 3 more at the last cost 10.00
    balance = balance_of(tee)
    assert (balance.on_hand, balance.value) == (Decimal(-3), Decimal("-30.00"))
