"""The one VAT rule: per line, half up to the fen; a document discount
spread by amount; totals are the sums of lines — worked by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhongshu.catalog import pricing
from zhongshu.catalog import services as catalog_services
from zhongshu.catalog import testing as catalog_testing
from zhongshu.core import testing as core_testing
from zhongshu.core.money import round_amount
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing

D = Decimal


def test_tax_inclusive_lines_split_per_line_not_on_the_total() -> None:
    # 7 lines of 3 × 9.99 = 29.97; VAT 29.97 × 0.13 / 1.13 = 3.4479… → 3.45,
    # net 26.52. Seven lines: 209.79, VAT 24.15, net 185.64 — the VAT of the
    # total alone would be 24.14, which is why the rule is per line.
    line = pricing.PriceInput(D(3), D("9.99"), D(0), D("0.13"))
    amounts = pricing.price_lines([line] * 7, discount=D(0), tax_inclusive=True)
    assert {(a.amount, a.tax_amount, a.net_amount) for a in amounts} == {
        (D("29.97"), D("3.45"), D("26.52"))
    }
    assert sum(a.amount for a in amounts) == D("209.79")
    assert sum(a.tax_amount for a in amounts) == D("24.15")
    assert sum(a.net_amount for a in amounts) == D("185.64")


def test_a_document_discount_spreads_and_the_remainder_goes_to_the_largest() -> None:
    # 10.00 over 33.33, 33.33 and 33.34: 3.333 → 3.33 each (9.99), the
    # remaining 0.01 goes to the largest line: 3.33, 3.33, 3.34 → 30.00 each.
    lines = [
        pricing.PriceInput(D(1), D(price), D(0), D("0.13"))
        for price in ("33.33", "33.33", "33.34")
    ]
    amounts = pricing.price_lines(lines, discount=D(10), tax_inclusive=True)
    assert [a.order_discount for a in amounts] == [D("3.33"), D("3.33"), D("3.34")]
    assert [a.amount for a in amounts] == [D("30.00")] * 3
    # 30.00 × 0.13 / 1.13 = 3.4513… → 3.45 each.
    assert [a.tax_amount for a in amounts] == [D("3.45")] * 3


def test_tax_exclusive_prices_add_vat_per_line() -> None:
    # 3 × 33.33 = 99.99 net, VAT 12.9987 → 13.00, 112.99; with a 5 % line
    # discount: 99.99 × 0.95 = 94.9905 → 94.99, VAT 12.3487 → 12.35.
    plain, discounted = pricing.price_lines(
        [
            pricing.PriceInput(D(3), D("33.33"), D(0), D("0.13")),
            pricing.PriceInput(D(3), D("33.33"), D(5), D("0.13")),
        ],
        discount=D(0),
        tax_inclusive=False,
    )
    assert (plain.net_amount, plain.tax_amount, plain.amount) == (
        D("99.99"),
        D("13.00"),
        D("112.99"),
    )
    assert (discounted.net_amount, discounted.tax_amount, discounted.amount) == (
        D("94.99"),
        D("12.35"),
        D("107.34"),
    )


def test_partial_shares_add_up_to_the_whole() -> None:
    # 100.00 over 3 units delivered one at a time: 33.33, 33.33, then the
    # last takes 33.34.
    first = pricing.share(D(100), D(3), D(1), taken_amount=D(0), taken_quantity=D(0))
    second = pricing.share(D(100), D(3), D(1), taken_amount=first, taken_quantity=D(1))
    last = pricing.share(
        D(100), D(3), D(1), taken_amount=first + second, taken_quantity=D(2)
    )
    assert (first, second, last) == (D("33.33"), D("33.33"), D("33.34"))


money = st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2)


@given(
    prices=st.lists(money, min_size=1, max_size=12),
    quantities=st.lists(st.integers(1, 50), min_size=12, max_size=12),
    discount_share=st.integers(0, 100),
    inclusive=st.booleans(),
)
def test_totals_are_always_the_sums_of_lines(
    prices: list[Decimal],
    quantities: list[int],
    discount_share: int,
    inclusive: bool,
) -> None:
    lines = [
        pricing.PriceInput(D(q), p, D(0), D("0.13"))
        for p, q in zip(prices, quantities, strict=False)
    ]
    gross = sum((pricing.gross_before_discount(line) for line in lines), D(0))
    discount = round_amount(gross * discount_share / 100)
    amounts = pricing.price_lines(lines, discount=discount, tax_inclusive=inclusive)
    assert sum(a.order_discount for a in amounts) == discount
    for a in amounts:
        assert a.net_amount + a.tax_amount == a.amount
        assert a.amount >= 0
    if inclusive:
        assert sum(a.amount for a in amounts) == gross - discount
    else:
        assert sum(a.net_amount for a in amounts) == gross - discount


@pytest.mark.django_db
def test_an_order_prices_from_the_customer_group_list_with_quantity_breaks() -> None:
    company = sales_testing.sales_company("PRICE")
    owner = core_testing.owner_of(company)
    shirt = catalog_testing.make_product(company, "SHIRT")
    retail = catalog_services.create_price_list(
        company=company,
        actor=owner,
        data=catalog_services.PriceListData(code="R", name="零售", kind="retail"),
    )
    vip = catalog_services.create_price_list(
        company=company,
        actor=owner,
        data=catalog_services.PriceListData(
            code="VIP",
            name="VIP",
            kind="customer_group",
            customer_group="VIP",
            valid_to=datetime.date(2026, 3, 31),
        ),
    )
    for price_list, breaks in (
        (retail, {"0": "113"}),
        (vip, {"0": "101.70", "10": "90.40"}),
    ):
        for minimum, price in breaks.items():
            catalog_services.set_price(
                price_list=price_list,
                actor=owner,
                data=catalog_services.PriceData(
                    product=shirt, price=D(price), min_quantity=D(minimum)
                ),
            )
    vip_customer = partners_testing.make_customer(company, "V", price_group="VIP")
    walk_in = partners_testing.make_customer(company, "W")

    def order_for(customer: object, quantity: str, day: datetime.date) -> Decimal:
        order = services.create_order(
            company=company,
            actor=owner,
            data=services.OrderData(
                customer=customer,  # type: ignore[arg-type]
                date=day,
                lines=[services.LineData(product=shirt, quantity=D(quantity))],
                prices_include_tax=True,
            ),
        )
        return order.lines.get().unit_price

    march, april = datetime.date(2026, 3, 10), datetime.date(2026, 4, 1)
    assert order_for(vip_customer, "5", march) == D("101.70")
    assert order_for(vip_customer, "12", march) == D("90.40")
    assert order_for(vip_customer, "12", april) == D("113")  # VIP list expired
    assert order_for(walk_in, "12", march) == D("113")
    # Tax-exclusive order from a tax-inclusive list: 113 / 1.13 = 100.
    order = services.create_order(
        company=company,
        actor=owner,
        data=services.OrderData(
            customer=walk_in,
            date=march,
            lines=[services.LineData(product=shirt, quantity=D(2))],
            prices_include_tax=False,
        ),
    )
    line = order.lines.get()
    assert (line.unit_price, line.net_amount, line.tax_amount, line.amount) == (
        D("100"),
        D("200.00"),
        D("26.00"),
        D("226.00"),
    )


@pytest.mark.django_db
def test_an_order_total_equals_its_lines_with_a_discount_over_many_lines() -> None:
    company = sales_testing.sales_company("SPREAD")
    owner = core_testing.owner_of(company)
    products = [catalog_testing.make_product(company, f"P{i}") for i in range(9)]
    customer = partners_testing.make_customer(company)
    # Nine lines of 7 × 1.99 = 13.93 → 125.37; discount 12.37 leaves 113.00.
    order = services.create_order(
        company=company,
        actor=owner,
        data=services.OrderData(
            customer=customer,
            date=datetime.date(2026, 3, 2),
            lines=[
                services.LineData(product=p, quantity=D(7), unit_price=D("1.99"))
                for p in products
            ],
            discount=D("12.37"),
            prices_include_tax=True,
        ),
    )
    lines = list(order.lines.all())
    assert order.total == sum(line.amount for line in lines) == D("113.00")
    assert order.tax_total == sum(line.tax_amount for line in lines)
    assert order.net_total == sum(line.net_amount for line in lines)
    assert sum(line.order_discount for line in lines) == D("12.37")


@pytest.mark.django_db
def test_the_counter_prices_from_retail_lists_never_from_wholesale() -> None:
    company = sales_testing.sales_company("COUNTER")
    owner = core_testing.owner_of(company)
    dress = sales_testing.stocked_product(company, "DRESS", quantity="5")
    for code, kind, priority, price in (
        ("W", "wholesale", 1, "60"),
        ("R", "retail", 5, "99"),
    ):
        price_list = catalog_services.create_price_list(
            company=company,
            actor=owner,
            data=catalog_services.PriceListData(
                code=code, name=code, kind=kind, priority=priority
            ),
        )
        catalog_services.set_price(
            price_list=price_list,
            actor=owner,
            data=catalog_services.PriceData(product=dress, price=D(price)),
        )
    from zhongshu.inventory.models import Warehouse

    sale = services.sell_retail(
        company=company,
        actor=owner,
        store=Warehouse.objects.get(company=company, code="WH1"),
        date=datetime.date(2026, 3, 2),
        lines=[services.RetailLineData(product=dress, quantity=D(1))],
        payments=[services.PaymentData("wechat", D(99))],
    )
    # The wholesale list comes first by priority, but a counter sells retail:
    # 99.00, VAT 99 × 0.13 / 1.13 = 11.39, net 87.61.
    assert (sale.total, sale.tax_total, sale.net_total) == (
        D("99.00"),
        D("11.39"),
        D("87.61"),
    )
    # An order (a wholesale customer) takes the first list by priority.
    order = services.create_order(
        company=company,
        actor=owner,
        data=services.OrderData(
            customer=partners_testing.make_customer(company),
            date=datetime.date(2026, 3, 2),
            lines=[services.LineData(product=dress, quantity=D(1))],
        ),
    )
    assert order.lines.get().unit_price == D("60")
