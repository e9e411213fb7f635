"""The store counter's pages: the POS (scan, change the cart, pay), the
retail sales with their receipt, and the daily summary. Figures from
``zhongshu.sales.tests.test_retail_shop``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Role
from zhongshu.sales.models import RetailSale
from zhongshu.sales.tests.test_retail_shop import (
    BARCODES,
    DAY1,
    DAY2,
    Shop,
    cashier,
    four_sales,
    retail_shop,
)

pytestmark = pytest.mark.django_db

D = Decimal
HTMX = {"HX-Request": "true"}


@pytest.fixture
def shop() -> Shop:
    return retail_shop()


@pytest.fixture
def till(client: Client, shop: Shop) -> Client:
    client.force_login(cashier(shop))
    return client


def scan(till: Client, code: str) -> str:
    response = till.post("/sales/retail/pos/scan/", {"barcode": code}, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def cart(till: Client, **fields: str) -> str:
    response = till.post("/sales/retail/pos/cart/", fields, headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def cart_lines(till: Client, shop: Shop) -> list[tuple[str, str]]:
    stored = till.session[f"retail_pos:{shop.company.pk}"]
    products = {str(p.pk): code for code, p in shop.products.items()}
    return [(products[x["product"]], x["quantity"]) for x in stored["lines"]]


def test_the_counter_sells_from_the_stores(till: Client, shop: Shop) -> None:
    page = till.get("/sales/retail/pos/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="pos-barcode"' in html
    assert "autofocus" in html
    # S1 and S2 are stores; WH1 is a warehouse
    assert page.context["stores"] == [shop.s1, shop.s2]
    assert page.context["store"] == shop.s1
    assert "<kbd>F2</kbd>" in html  # the keys are shown
    assert "<kbd>F9</kbd>" in html
    assert "web/sales_retail.js" in html


def test_the_counter_needs_sales_retail(client: Client, shop: Shop) -> None:
    client.force_login(core_testing.member(shop.company, [Role.WAREHOUSE]))
    assert client.get("/sales/retail/pos/").status_code == 403
    assert client.post("/sales/retail/pos/scan/", {"barcode": "x"}).status_code == 403
    # but may read the sales (sales.view)
    assert client.get("/sales/retail/sales/").status_code == 200


def test_scanning_adds_and_counts_up(till: Client, shop: Shop) -> None:
    html = scan(till, BARCODES["TEE"])
    assert "data-pos-ok" in html
    assert 'data-product="TEE"' in html
    scan(till, BARCODES["SOCKS"])
    html = scan(till, BARCODES["TEE"])
    # TEE twice is one line of 2: 226.00 + 33.90 = 259.90
    assert cart_lines(till, shop) == [("TEE", "2"), ("SOCKS", "1")]
    assert 'data-total="259.90"' in html
    assert 'data-figure="total">259.90<' in html


def test_an_unknown_barcode_adds_nothing_and_says_so(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["TEE"])
    html = scan(till, "4000000000017")
    assert "data-pos-error" in html
    assert "No product has the barcode 4000000000017." in html
    assert "data-error" in html  # the scan field flashes
    assert cart_lines(till, shop) == [("TEE", "1")]


def test_an_item_without_a_price_is_not_added(till: Client, shop: Shop) -> None:
    from zhongshu.catalog.models import Barcode, BarcodeKind
    from zhongshu.inventory import testing as inventory_testing

    scarf = inventory_testing.product(shop.company, "SCARF")
    Barcode.objects.create(
        company=shop.company, product=scarf, code="SC-1", kind=BarcodeKind.INTERNAL
    )
    html = scan(till, "SC-1")
    assert "no price list prices SCARF" in html
    assert cart_lines(till, shop) == []


def test_keys_change_the_last_line(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["TEE"])
    scan(till, BARCODES["SOCKS"])
    cart(till, action="adjust", line="last", delta="1")
    assert cart_lines(till, shop) == [("TEE", "1"), ("SOCKS", "2")]
    cart(till, action="adjust", line="last", delta="-1")
    cart(till, action="adjust", line="last", delta="-1")  # to 0: the line goes
    assert cart_lines(till, shop) == [("TEE", "1")]
    cart(till, action="set", line="0", quantity="3", discount_rate="10")
    # 3 × 113.00 × 0.9 = 305.10
    html = cart(till, action="remove", line="last")
    assert cart_lines(till, shop) == []
    assert "Scan the first item." in html


def test_a_bad_change_is_refused_and_not_kept(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["TEE"])
    html = cart(till, action="set", line="0", quantity="1.5", discount_rate="0")
    assert "data-pos-error" in html  # 件 has no decimals
    html = cart(till, action="set", line="0", quantity="2", discount_rate="120")
    assert "from 0 to 100" in html
    assert cart_lines(till, shop) == [("TEE", "1")]


def test_line_discount_and_sale_discount(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["TEE"])
    cart(till, action="set", line="0", quantity="3", discount_rate="10")
    # 3 × 113.00 × 0.9 = 305.10; 5.10 off the sale (抹零) → 300.00
    html = cart(till, action="discount", discount="5.10")
    assert 'data-total="300.00"' in html


def test_completing_a_sale_gives_change_and_resets(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["TEE"])
    scan(till, BARCODES["TEE"])
    scan(till, BARCODES["SOCKS"])
    response = till.post(
        "/sales/retail/pos/complete/",
        {"pay_wechat": "100", "pay_cash": "200", "pay_card": "", "pay_alipay": ""},
        headers=HTMX,
    )
    html = response.content.decode()
    sale = RetailSale.objects.get(company=shop.company)
    # 259.90 due, 300.00 paid: change 40.10
    assert (sale.total, sale.change, sale.store) == (D("259.90"), D("40.10"), shop.s1)
    assert "data-completed" in html
    assert f">{sale.number}<" in html
    assert "data-last-change>40.10<" in html
    assert cart_lines(till, shop) == []
    # the next customer's page still shows the last sale
    assert "data-last-change>40.10<" in till.get("/sales/retail/pos/").content.decode()


def test_a_short_payment_sells_nothing(till: Client, shop: Shop) -> None:
    scan(till, BARCODES["JEANS"])
    response = till.post(
        "/sales/retail/pos/complete/", {"pay_cash": "200"}, headers=HTMX
    )
    html = response.content.decode()
    assert "200.00 paid of 226.00; 26.00 is missing." in html
    assert not RetailSale.objects.filter(company=shop.company).exists()
    assert cart_lines(till, shop) == [("JEANS", "1")]


def test_the_store_is_remembered_and_only_stores_are_chosen(
    till: Client, shop: Shop
) -> None:
    scan(till, BARCODES["TEE"])
    till.post("/sales/retail/pos/store/", {"store": str(shop.s2.pk)})
    page = till.get("/sales/retail/pos/")
    assert page.context["store"] == shop.s2
    assert cart_lines(till, shop) == []  # a new store starts an empty cart
    wh1 = shop.s1.__class__.objects.get(company=shop.company, code="WH1")
    till.post("/sales/retail/pos/store/", {"store": str(wh1.pk)})
    assert till.get("/sales/retail/pos/").context["store"] == shop.s2


def test_without_javascript_the_forms_come_back_to_the_page(
    till: Client, shop: Shop
) -> None:
    response = till.post("/sales/retail/pos/scan/", {"barcode": BARCODES["TEE"]})
    assert response.status_code == 302
    assert response["Location"] == "/sales/retail/pos/"
    assert cart_lines(till, shop) == [("TEE", "1")]


def test_sales_list_detail_and_receipt(till: Client, shop: Shop) -> None:
    a, _b, c, _d = four_sales(shop)
    listed = till.get("/sales/retail/sales/")
    assert [s.number for s in listed.context["page"].object_list][-1] == a.number
    only_s2 = till.get(f"/sales/retail/sales/?store={shop.s2.pk}")
    assert [s.number for s in only_s2.context["page"].object_list] == [c.number]

    detail = till.get(f"/sales/retail/sales/{a.pk}/").content.decode()
    # 259.90, cost 88.00, margin 230.00 − 88.00 = 142.00; two vouchers
    assert 'data-figure="total">259.90<' in detail
    assert 'data-figure="cost">88.00<' in detail
    assert 'data-figure="margin">142.00<' in detail
    assert 'data-figure="change">40.10<' in detail
    assert detail.count("data-voucher") == 2
    assert 'data-payment="wechat"' in detail
    assert 'data-payment="cash"' in detail

    receipt = till.get(f"/sales/retail/sales/{a.pk}/receipt/?width=58")
    text = receipt.content.decode()
    assert receipt.context["width"] == "58"
    assert "data-change>40.10<" in text
    assert "size: 58mm auto" in text


def test_another_companys_sale_is_404(till: Client, shop: Shop) -> None:
    theirs = four_sales(retail_shop("OTHER"))[0]
    assert till.get(f"/sales/retail/sales/{theirs.pk}/").status_code == 404
    assert till.get(f"/sales/retail/sales/{theirs.pk}/receipt/").status_code == 404


def test_daily_summary_page(
    till: Client, shop: Shop, django_assert_max_num_queries: Any
) -> None:
    four_sales(shop)
    with django_assert_max_num_queries(12):
        page = till.get(f"/sales/retail/daily/?date_from={DAY1}&date_to={DAY2}")
    html = page.content.decode()
    # S1 day 1 485.90 (margin 252.00), S2 day 1 113.00, S1 day 2 91.53;
    # total 690.43, margin 369.00
    assert [r.total for r, _m in page.context["rows"]] == [
        D("485.90"),
        D("113.00"),
        D("91.53"),
    ]
    assert 'data-row="2026-03-02 S1"' in html
    assert 'data-figure="total">690.43<' in html
    assert 'data-figure="margin">369.00<' in html
    assert [label for _m, label in page.context["methods"]] == [
        "Cash",
        "Bank card",
        "WeChat Pay",
        "Alipay",
    ]
    reversed_range = till.get(f"/sales/retail/daily/?date_from={DAY2}&date_to={DAY1}")
    assert "The start date is after the end date." in reversed_range.content.decode()
