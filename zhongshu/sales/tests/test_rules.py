"""What sales refuses (clearly, writing nothing) and what it allows only
with permission: over-delivery, over-return, over-allocation, a disabled
product, an unknown barcode, the credit limit and its audited override."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.catalog import testing as catalog_testing
from zhongshu.catalog.models import Product
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.inventory.models import Reservation, StockBalance, StockMove, Warehouse
from zhongshu.ledger.models import Voucher
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    DocumentState,
    Receipt,
    ReceivableItem,
    RetailSale,
    SalesOrder,
    SalesReturn,
)

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date(2026, 3, 2)
Shop = tuple[Company, Product]


def counts(company: Company) -> tuple[int, ...]:
    return (
        Delivery.objects.filter(company=company).count(),
        SalesReturn.objects.filter(company=company).count(),
        Receipt.objects.filter(company=company).count(),
        RetailSale.objects.filter(company=company).count(),
        StockMove.objects.filter(company=company).count(),
        Voucher.objects.filter(company=company).count(),
    )


@pytest.fixture
def shop() -> Shop:
    company = sales_testing.sales_company("RULES")
    return company, sales_testing.stocked_product(company, "A", quantity="10")


def test_delivering_more_than_ordered_is_refused_and_writes_nothing(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "3", "10")])
    before = counts(company)
    with pytest.raises(ValidationError) as refused:
        services.deliver(
            order=order,
            actor=None,
            date=DAY,
            lines=[
                services.DeliveryLineData(order_line=order.lines.get(), quantity=D(4))
            ],
        )
    assert "only 3 left to deliver" in refused.value.message
    assert "lines.0.quantity" in refused.value.fields
    assert counts(company) == before
    assert StockBalance.objects.get(product=a).reserved == 3


def test_returning_more_than_delivered_is_refused(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "3", "10")])
    delivery = services.deliver(order=order, actor=None, date=DAY)
    line = delivery.lines.get()
    services.return_goods(
        delivery=delivery,
        actor=None,
        date=DAY,
        lines=[services.ReturnLineData(delivery_line=line, quantity=D(2))],
    )
    before = counts(company)
    with pytest.raises(ValidationError) as refused:
        services.return_goods(
            delivery=delivery,
            actor=None,
            date=DAY,
            lines=[services.ReturnLineData(delivery_line=line, quantity=D(2))],
        )
    assert "only 1 delivered and not yet returned" in refused.value.message
    assert counts(company) == before


def test_allocating_beyond_the_open_amount_is_refused(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "3", "10")])
    delivery = services.deliver(order=order, actor=None, date=DAY)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    before = counts(company)
    with pytest.raises(ValidationError) as refused:
        services.record_receipt(
            company=company,
            actor=None,
            customer=customer,
            date=DAY,
            amount=D(50),
            allocations=[services.Allocation(item, D("30.01"))],
        )
    assert "has only 30.00 open" in refused.value.message
    assert counts(company) == before
    item.refresh_from_db()
    assert item.open_amount == D("30.00")


def test_allocations_beyond_the_receipt_are_refused(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "3", "10")])
    delivery = services.deliver(order=order, actor=None, date=DAY)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    with pytest.raises(ValidationError, match=r"only 20\.00 is available"):
        services.record_receipt(
            company=company,
            actor=None,
            customer=customer,
            date=DAY,
            amount=D(20),
            allocations=[services.Allocation(item, D("30"))],
        )


def test_confirming_an_order_with_a_disabled_product_is_refused(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(1), unit_price=D(5))],
        ),
    )
    Product.objects.filter(pk=a.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="product A is disabled"):
        services.confirm_order(order=order, actor=None)
    order.refresh_from_db()
    assert (order.state, order.number) == (DocumentState.DRAFT, "")
    assert not Reservation.objects.filter(company=company).exists()


def test_a_retail_sale_with_an_unknown_barcode_is_refused(shop: Shop) -> None:
    company, _a = shop
    store = Warehouse.objects.get(company=company, code="WH1")
    before = counts(company)
    with pytest.raises(ValidationError) as refused:
        services.sell_retail(
            company=company,
            actor=None,
            store=store,
            date=DAY,
            lines=[services.RetailLineData(barcode="6901234567892", quantity=D(1))],
            payments=[services.PaymentData("cash", D(100))],
        )
    assert "No product has the barcode 6901234567892" in refused.value.message
    assert "lines.0.barcode" in refused.value.fields
    assert counts(company) == before


def test_overselling_through_orders_is_refused(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    sales_testing.confirmed_order(company, customer, [(a, "8", "10")])
    order = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(3), unit_price=D(10))],
        ),
    )
    with pytest.raises(ConflictError, match="Only 2 of A available"):
        services.confirm_order(order=order, actor=None)
    assert StockBalance.objects.get(product=a).reserved == 8
    assert SalesOrder.objects.get(pk=order.pk).state == DocumentState.DRAFT


def test_the_credit_limit_blocks_and_only_a_manager_overrides_with_a_reason(
    shop: Shop,
) -> None:
    company, a = shop
    # Limit 500; 400 delivered and open; a new order of 200 would make 600.
    customer = partners_testing.make_customer(company, credit_limit=D(500))
    first = sales_testing.confirmed_order(company, customer, [(a, "4", "100")])
    services.deliver(order=first, actor=None, date=DAY)
    seller = sales_testing.seller(company)
    order = services.create_order(
        company=company,
        actor=seller,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(2), unit_price=D(100))],
        ),
    )
    with pytest.raises(
        ConflictError, match=r"would owe 600\.00 against a credit limit of 500\.00"
    ):
        services.confirm_order(order=order, actor=seller)
    with pytest.raises(ConflictError, match="Only a manager may confirm"):
        services.confirm_order(order=order, actor=seller, override_reason="老客户")
    assert SalesOrder.objects.get(pk=order.pk).state == DocumentState.DRAFT
    boss = core_testing.owner_of(company)
    confirmed = services.confirm_order(
        order=order, actor=boss, override_reason="老客户，月底回款"
    )
    assert confirmed.state == DocumentState.CONFIRMED
    assert confirmed.credit_override_by == boss
    entry = AuditEntry.objects.get(company=company, action="credit_override")
    assert entry.changes == {
        "exposure": "600.00",
        "credit_limit": "500.00",
        "reason": "老客户，月底回款",
    }
    # A receipt of 400 makes room again: 200 confirmed + 300 new = 500.
    services.record_receipt(
        company=company, actor=None, customer=customer, date=DAY, amount=D(400)
    )
    third = services.create_order(
        company=company,
        actor=seller,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(3), unit_price=D(100))],
        ),
    )
    assert services.confirm_order(order=third, actor=seller).state == "confirmed"


def test_an_accountant_holding_the_override_role_is_not_enough_without_permission(
    shop: Shop,
) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company, credit_limit=D(0))
    accountant = core_testing.member(company, [Role.ACCOUNTANT])
    order = services.create_order(
        company=company,
        actor=accountant,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(1), unit_price=D(1))],
        ),
    )
    with pytest.raises(ConflictError, match="Only a manager"):
        services.confirm_order(order=order, actor=accountant, override_reason="x")


def test_cancelling_a_confirmed_order_gives_its_stock_back(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "6", "10")])
    assert StockBalance.objects.get(product=a).reserved == 6
    services.cancel_order(order=order, actor=None)
    assert StockBalance.objects.get(product=a).reserved == 0


def test_closing_a_part_delivered_order_releases_the_rest(shop: Shop) -> None:
    company, a = shop
    customer = partners_testing.make_customer(company)
    order = sales_testing.confirmed_order(company, customer, [(a, "6", "10")])
    services.deliver(
        order=order,
        actor=None,
        date=DAY,
        lines=[services.DeliveryLineData(order_line=order.lines.get(), quantity=D(2))],
    )
    with pytest.raises(ConflictError, match="close it instead"):
        services.cancel_order(order=order, actor=None)
    services.close_order(order=order, actor=None)
    balance = StockBalance.objects.get(product=a)
    assert (balance.on_hand, balance.reserved) == (D(8), D(0))


def test_a_quotation_becomes_an_order_at_its_quoted_prices() -> None:
    company = sales_testing.sales_company("QUOTE")
    a = catalog_testing.make_product(company, "QA")
    customer = partners_testing.make_customer(company)
    quotation = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            valid_until=datetime.date(2026, 3, 31),
            lines=[
                services.LineData(
                    product=a, quantity=D(4), unit_price=D("56.50"), discount_rate=D(10)
                )
            ],
        ),
    )
    # 4 × 56.50 × 0.9 = 203.40, VAT 203.40 × 0.13 / 1.13 = 23.40.
    assert (quotation.total, quotation.tax_total) == (D("203.40"), D("23.40"))
    order = services.order_from_quotation(
        quotation=quotation, actor=None, date=datetime.date(2026, 3, 5)
    )
    assert (order.total, order.tax_total, order.quotation_id) == (
        D("203.40"),
        D("23.40"),
        quotation.pk,
    )
    quotation.refresh_from_db()
    assert quotation.state == "accepted"
    expired = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            valid_until=DAY,
            lines=[services.LineData(product=a, quantity=D(1), unit_price=D(1))],
        ),
    )
    with pytest.raises(ConflictError, match="expired"):
        services.order_from_quotation(
            quotation=expired, actor=None, date=datetime.date(2026, 3, 3)
        )


def test_uninvoiced_deliveries_count_against_credit_when_revenue_waits() -> None:
    # Revenue on invoicing: 300.00 delivered, not invoiced, no open item yet;
    # limit 400 — a new order of 200 would make 500.
    company = sales_testing.sales_company("CREDINV", revenue_recognition="invoice")
    a = sales_testing.stocked_product(company, "A", quantity="10")
    customer = partners_testing.make_customer(company, credit_limit=D(400))
    first = sales_testing.confirmed_order(company, customer, [(a, "3", "100")])
    services.deliver(order=first, actor=None, date=DAY)
    assert services.open_exposure(company, customer) == D("300.00")
    order = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=customer,
            date=DAY,
            lines=[services.LineData(product=a, quantity=D(2), unit_price=D(100))],
        ),
    )
    with pytest.raises(ConflictError, match=r"would owe 500\.00"):
        services.confirm_order(order=order, actor=None)
