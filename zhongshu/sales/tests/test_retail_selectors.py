"""Reads of the store counter: stores, a scan's lookup, the priced cart and
the daily summary per store (figures of ``four_sales``, worked by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhongshu.catalog.errors import UnknownBarcodeError
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.inventory import services as inventory_services
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse, WarehouseKind
from zhongshu.ledger import testing as ledger_testing
from zhongshu.sales.selectors import retail
from zhongshu.sales.tests.test_retail_shop import (
    BARCODES,
    DAY1,
    DAY2,
    Shop,
    four_sales,
    retail_shop,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop() -> Shop:
    return retail_shop()


def test_stores_are_the_active_warehouses_of_kind_store(shop: Shop) -> None:
    # given: WH1 (a warehouse), S1 and S2 (stores), and S3 (a store, disabled)
    s3 = inventory_testing.warehouse(shop.company, "S3", kind=WarehouseKind.STORE)
    assert [s.code for s in retail.list_stores(shop.company)] == ["S1", "S2", "S3"]
    inventory_services.set_warehouse_active(
        warehouse=s3, actor=core_testing.owner_of(shop.company), active=False
    )
    # then: S1 and S2 sell; WH1 and the disabled S3 are not stores
    assert [s.code for s in retail.list_stores(shop.company)] == ["S1", "S2"]
    wh1 = Warehouse.objects.get(company=shop.company, code="WH1")
    with pytest.raises(NotFoundError):
        retail.get_store(shop.company, wh1.pk)
    assert retail.find_store(shop.company, " S1 ") == shop.s1
    assert retail.find_store(shop.company, "WH1") is None


def test_without_stores_every_active_warehouse_sells() -> None:
    company = ledger_testing.company_with_books("PLAIN")
    inventory_testing.warehouse(company, "B")
    inventory_testing.warehouse(company, "A")
    assert [w.code for w in retail.list_stores(company)] == ["A", "B"]
    assert all(w.kind == WarehouseKind.WAREHOUSE for w in retail.list_stores(company))


def test_lookup_names_product_price_and_store_stock(shop: Shop) -> None:
    found = retail.lookup(
        shop.company, store=shop.s2, barcode=f" {BARCODES['JEANS']}\r", on_date=DAY1
    )
    assert found.product == shop.product("JEANS")
    assert found.unit == shop.product("JEANS").base_unit
    assert found.price == D("226.00")
    assert found.on_hand == D("5")  # S2's, not S1's 10


def test_lookup_of_an_unknown_barcode_raises_on_the_barcode(shop: Shop) -> None:
    with pytest.raises(UnknownBarcodeError) as raised:
        retail.lookup(
            shop.company, store=shop.s1, barcode="4000000000000", on_date=DAY1
        )
    assert "4000000000000" in raised.value.fields["barcode"][0]


def test_lookup_of_a_product_without_a_price_has_no_price(shop: Shop) -> None:
    from zhongshu.catalog.models import Barcode, BarcodeKind

    scarf = inventory_testing.product(shop.company, "SCARF")
    Barcode.objects.create(
        company=shop.company, product=scarf, code="SC-1", kind=BarcodeKind.INTERNAL
    )
    found = retail.lookup(shop.company, store=shop.s1, barcode="SC-1", on_date=DAY1)
    assert found.price is None
    assert found.on_hand == D("0")


def test_a_tax_exclusive_list_price_is_shown_with_vat(shop: Shop) -> None:
    # 50.00 excl. 13 % VAT → 56.50 at the counter
    from zhongshu.catalog import services as catalog_services
    from zhongshu.catalog.models import PriceListKind

    owner = core_testing.owner_of(shop.company)
    wholesale = catalog_services.create_price_list(
        company=shop.company,
        actor=owner,
        data=catalog_services.PriceListData(
            code="NET",
            name="不含税",
            kind=PriceListKind.WHOLESALE,
            tax_inclusive=False,
            priority=1,
        ),
    )
    catalog_services.set_price(
        price_list=wholesale,
        actor=owner,
        data=catalog_services.PriceData(product=shop.product("TEE"), price=D("50")),
    )
    found = retail.lookup(
        shop.company, store=shop.s1, barcode=BARCODES["TEE"], on_date=DAY1
    )
    assert found.price == D("56.50")


def test_the_cart_is_priced_as_the_sale_books_it(shop: Shop) -> None:
    # TEE 2 × 113.00 = 226.00 and SOCKS 3 at 10 % off = 91.53; a discount of
    # 17.53 on the whole spreads 226.00 : 91.53 → 12.48 / 5.05 (the larger
    # line takes the remainder): TEE 213.52 (VAT 24.56), SOCKS 86.48 (9.95)
    lines = [
        retail.CartLine(
            product=shop.product("TEE"),
            unit=shop.product("TEE").base_unit,
            quantity=D("2"),
        ),
        retail.CartLine(
            product=shop.product("SOCKS"),
            unit=shop.product("SOCKS").base_unit,
            quantity=D("3"),
            discount_rate=D("10"),
        ),
    ]
    quote = retail.quote_cart(
        shop.company, store=shop.s1, on_date=DAY1, lines=lines, discount=D("17.53")
    )
    assert [q.amount for q in quote.lines] == [D("213.52"), D("86.48")]
    assert [q.order_discount for q in quote.lines] == [D("12.48"), D("5.05")]
    assert [q.tax_amount for q in quote.lines] == [D("24.56"), D("9.95")]
    assert quote.total == D("300.00")
    assert quote.tax_total == D("34.51")
    assert quote.net_total == D("265.49")
    assert quote.items == D("5")
    assert [q.on_hand for q in quote.lines] == [D("20"), D("50")]
    assert not any(q.is_short for q in quote.lines)


def test_an_empty_cart_is_zero_and_a_bad_quantity_is_refused(shop: Shop) -> None:
    assert (
        retail.quote_cart(shop.company, store=shop.s1, on_date=DAY1, lines=[]).total
        == 0
    )
    tee = shop.product("TEE")
    with pytest.raises(ValidationError) as raised:
        retail.quote_cart(
            shop.company,
            store=shop.s1,
            on_date=DAY1,
            lines=[retail.CartLine(product=tee, unit=tee.base_unit, quantity=D("0"))],
        )
    assert "lines.0.quantity" in raised.value.fields


def test_cart_lines_come_back_from_their_stored_form(shop: Shop) -> None:
    tee = shop.product("TEE")
    other = retail_shop("OTHER").product("TEE")
    rows = [
        {"product": str(tee.pk), "unit": str(tee.base_unit_id), "quantity": "2"},
        # another company's product is dropped
        {"product": str(other.pk), "unit": str(other.base_unit_id), "quantity": "1"},
    ]
    lines = retail.cart_lines(shop.company, rows)
    assert [(x.product, x.quantity, x.discount_rate) for x in lines] == [
        (tee, D("2"), D("0"))
    ]


def test_daily_summary_per_store_and_day(shop: Shop) -> None:
    four_sales(shop)
    with CaptureQueriesContext(connection) as queries:
        summary = retail.daily_summary(shop.company, DAY1, DAY2)
    assert len(queries) == 3  # heads, items, payments: whatever the sales

    # S1 day 1 = A + B: 259.90 + 226.00 = 485.90; VAT 29.90 + 26.00 = 55.90;
    # net 430.00; cost 88 + 90 = 178.00 → margin 252.00 (58.6 % of 430);
    # items 2 + 1 + 1 = 4; cash 159.90, WeChat 100.00, card 226.00.
    # S2 day 1 = C: 113.00 / 13.00 / cost 40 → margin 60.00 (60.0 %).
    # S1 day 2 = D: 91.53 / 10.53 / net 81.00 / cost 24 → margin 57.00.
    got = [
        (
            r.date,
            r.store_code,
            r.sales,
            r.items,
            r.total,
            r.tax_total,
            r.cost,
            r.margin,
            r.margin_rate,
            r.by_method,
        )
        for r in summary.rows
    ]
    assert got == [
        (
            DAY1,
            "S1",
            2,
            D("4"),
            D("485.90"),
            D("55.90"),
            D("178.00"),
            D("252.00"),
            D("58.6"),
            {"cash": D("159.90"), "wechat": D("100.00"), "card": D("226.00")},
        ),
        (
            DAY1,
            "S2",
            1,
            D("1"),
            D("113.00"),
            D("13.00"),
            D("40.00"),
            D("60.00"),
            D("60.0"),
            {"alipay": D("113.00")},
        ),
        (
            DAY2,
            "S1",
            1,
            D("3"),
            D("91.53"),
            D("10.53"),
            D("24.00"),
            D("57.00"),
            D("70.4"),
            {"cash": D("91.53")},
        ),
    ]
    # totals: 690.43, VAT 79.43, net 611.00, cost 242.00, margin 369.00;
    # the methods' money sums to the total: 251.43 + 100 + 226 + 113
    totals = summary.totals
    assert (totals.sales, totals.items) == (4, D("8"))
    assert (totals.total, totals.tax_total, totals.net_total) == (
        D("690.43"),
        D("79.43"),
        D("611.00"),
    )
    assert (totals.cost, totals.margin) == (D("242.00"), D("369.00"))
    assert totals.by_method == {
        "cash": D("251.43"),
        "wechat": D("100.00"),
        "card": D("226.00"),
        "alipay": D("113.00"),
    }
    assert sum(totals.by_method.values()) == totals.total
    assert summary.methods == ["cash", "card", "wechat", "alipay"]


def test_daily_summary_of_one_store_and_one_day(shop: Shop) -> None:
    four_sales(shop)
    only_s1 = retail.daily_summary(shop.company, DAY2, DAY2, store_id=shop.s1.pk)
    assert [(r.store_code, r.total) for r in only_s1.rows] == [("S1", D("91.53"))]
    only_s2 = retail.daily_summary(shop.company, DAY1, DAY2, store_id=shop.s2.pk)
    assert [(r.date, r.total) for r in only_s2.rows] == [(DAY1, D("113.00"))]


def test_daily_summary_is_scoped_to_the_company(shop: Shop) -> None:
    four_sales(shop)
    other = retail_shop("OTHER")
    assert retail.daily_summary(other.company, DAY1, DAY2).rows == []
    assert retail.list_retail_sales(other.company).count() == 0


def test_daily_summary_refuses_a_reversed_range(shop: Shop) -> None:
    with pytest.raises(ValidationError) as raised:
        retail.daily_summary(shop.company, DAY2, DAY1)
    assert "date_from" in raised.value.fields


def test_a_sale_with_its_lines_payments_and_vouchers(shop: Shop) -> None:
    sale_a = four_sales(shop)[0]
    sale = retail.get_retail_sale(shop.company, sale_a.pk)
    assert [(x.product.code, x.quantity, x.amount) for x in sale.lines.all()] == [
        ("TEE", D("2"), D("226.00")),
        ("SOCKS", D("1"), D("33.90")),
    ]
    assert [(p.method, p.amount) for p in sale.payments.all()] == [
        ("wechat", D("100.00")),
        ("cash", D("159.90")),
    ]
    assert (sale.tendered, sale.change, sale.cost_total) == (
        D("300.00"),
        D("40.10"),
        D("88.00"),
    )
    # the takings and the cost of goods (the stock issue's voucher)
    assert len(retail.vouchers_of_sale(shop.company, sale)) == 2
    other = retail_shop("OTHER")
    with pytest.raises(NotFoundError):
        retail.get_retail_sale(other.company, sale_a.pk)


def test_sales_list_filters(shop: Shop) -> None:
    a, b, c, d = four_sales(shop)
    assert list(retail.list_retail_sales(shop.company)) == [d, c, b, a]
    assert list(retail.list_retail_sales(shop.company, store_id=shop.s2.pk)) == [c]
    assert list(
        retail.list_retail_sales(shop.company, date_from=DAY2, date_to=DAY2)
    ) == [d]
    assert list(retail.list_retail_sales(shop.company, search=b.number)) == [b]
