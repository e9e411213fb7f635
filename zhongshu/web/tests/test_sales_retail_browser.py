"""THE STORE COUNTER BROWSER TEST: a cashier rings up a customer in real
headless Chromium with a USB scanner (it types the code and Enter, faster
than answers come back) and the keyboard only: three items, one twice,
part paid by WeChat, the rest in cash with change. The store's stock and
the daily summary then show the sale; on a phone nothing overflows.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1, like the
shell's browser test. Screenshots land in $ZHONGSHU_SCREENSHOT_DIR.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core import clock
from zhongshu.inventory.models import StockBalance
from zhongshu.sales.models import RetailSale
from zhongshu.sales.tests.test_retail_shop import BARCODES, cashier, retail_shop
from zhongshu.web.tests.test_browser import (
    PHONE_WIDTH,
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)
from zhongshu.web.tests.test_ledger_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = Decimal


def scan(tab: Any, code: str) -> None:
    """What a USB scanner does: type the code, then Enter."""
    tab.keyboard.type(code)
    tab.keyboard.press("Enter")


def fits(tab: Any) -> bool:
    return bool(tab.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH)


def test_a_customer_at_the_counter(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    shop = retail_shop()
    user = cashier(shop)
    total = page.locator("#pos-state [data-figure='total']")

    # given: the cashier at the counter of S1, the scan field focused
    sign_in(page, base, user)
    page.goto(f"{base}/sales/retail/pos/")
    barcode = page.locator("#pos-barcode")
    expect(barcode).to_be_focused()

    # when: a T-shirt, socks, jeans and the T-shirt again, as fast as a
    # scanner types
    for code in ("TEE", "SOCKS", "JEANS", "TEE"):
        scan(page, BARCODES[code])

    # then: three lines, the T-shirt twice: 2 × 113.00 + 33.90 + 226.00 = 485.90
    expect(total).to_have_text("485.90")
    expect(page.locator("tr[data-line]")).to_have_count(3)
    expect(page.locator("tr[data-product='TEE'] input[name=quantity]")).to_have_value(
        "2"
    )
    expect(barcode).to_be_focused()

    # when: + and − on the last line (the jeans), then a code nobody carries
    page.keyboard.press("+")
    expect(total).to_have_text("711.90")  # a second pair: + 226.00
    page.keyboard.press("-")
    expect(total).to_have_text("485.90")
    scan(page, "4000000000017")

    # then: a clear message, the field marked, nothing added
    expect(page.locator("[data-pos-error]")).to_contain_text("4000000000017")
    expect(barcode).to_have_class("pos-flash")
    expect(total).to_have_text("485.90")

    # when: F2, 400 in cash, Tab Tab to WeChat, 100, then F9 — keys only
    page.keyboard.press("F2")
    expect(page.locator("#pos-pay")).to_be_visible()
    expect(page.locator("#pay-cash")).to_be_focused()
    expect(page.locator("#pos-due")).to_have_text("485.90")
    page.keyboard.type("400")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#pay-wechat")).to_be_focused()
    page.keyboard.type("100")
    # 500.00 tendered for 485.90: change 14.10, shown big before completing
    expect(page.locator("#pos-change")).to_have_text("14.10")
    shoot(page, "retail-pos-pay")
    page.keyboard.press("F9")

    # then: the sale is done, its number and change shown, the counter
    # ready for the next customer
    expect(page.locator("[data-last-change]")).to_have_text("14.10")
    sale = RetailSale.objects.get(company=shop.company)
    expect(page.locator("[data-last-number]")).to_have_text(sale.number)
    expect(page.locator("#pos-pay")).to_be_hidden()
    expect(page.locator("tr[data-line]")).to_have_count(0)
    expect(barcode).to_be_focused()
    assert (sale.total, sale.tendered, sale.change) == (
        D("485.90"),
        D("500.00"),
        D("14.10"),
    )
    # cash kept 400.00 − 14.10 = 385.90, WeChat 100.00
    assert sorted((p.method, p.amount) for p in sale.payments.all()) == [
        ("cash", D("385.90")),
        ("wechat", D("100.00")),
    ]
    shoot(page, "retail-pos-done")

    # and: the store's stock went down (TEE 20 → 18, SOCKS 50 → 49, JEANS 10 → 9)
    stock = {
        b.product.code: b.on_hand
        for b in StockBalance.objects.filter(
            company=shop.company, warehouse=shop.s1
        ).select_related("product")
    }
    assert stock == {"TEE": D("18"), "SOCKS": D("49"), "JEANS": D("9")}

    # and: the daily summary shows it, per method
    today = clock.today().isoformat()
    page.goto(f"{base}/sales/retail/daily/?date_from={today}&date_to={today}")
    row = page.locator(f"tr[data-row='{today} S1']")
    expect(row.locator("[data-figure='total']")).to_have_text("485.90")
    expect(row.locator("[data-figure='items']")).to_have_text("4")
    expect(row).to_contain_text("385.90")
    expect(row).to_contain_text("100.00")
    # cost 2 × 40 + 8 + 90 = 178.00; net 200 + 30 + 200 = 430.00 → margin 252.00
    expect(row.locator("[data-figure='margin']")).to_have_text("252.00")


def test_the_counter_on_a_phone(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    shop = retail_shop()
    sign_in(page, base, cashier(shop))
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.goto(f"{base}/sales/retail/pos/")
    expect(page.locator("#pos-barcode")).to_be_focused()
    scan(page, BARCODES["JEANS"])
    scan(page, BARCODES["SOCKS"])
    expect(page.locator("#pos-state [data-figure='total']")).to_have_text("259.90")
    assert fits(page)
    page.keyboard.press("F2")
    expect(page.locator("#pos-pay")).to_be_visible()
    assert fits(page)
    shoot(page, "retail-pos-phone")
    for path in ("/sales/retail/sales/", "/sales/retail/daily/"):
        page.goto(f"{base}{path}")
        assert fits(page), path
