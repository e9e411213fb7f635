"""THE STOCK COUNT BROWSER TEST: a warehouse keeper counts a shelf with a
USB scanner in real headless Chromium — the scanner types a barcode and
Enter into the scanner field, faster than the answers come back — and the
counted quantities update in the sheet without a page load.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1, like the
shell's browser test. A screenshot lands in $ZHONGSHU_SCREENSHOT_DIR.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import include, path

from zhongshu.catalog.models import Barcode, BarcodeKind
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import member
from zhongshu.inventory import counts, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import StockCount, StockCountLine
from zhongshu.web.tests.test_browser import (
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)
from zhongshu.web.tests.test_ledger_browser import sign_in

# As in the page tests: the count pages, in case the site root does not
# include them (yet).
urlpatterns = [
    path("", include("zhongshu.urls")),
    path("", include("zhongshu.web.urls_inventory_counts")),
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]

DAY = datetime.date(2026, 11, 20)
CUP_BARCODE = "6901234567892"


@pytest.fixture
def shop() -> Company:
    return t.stocked_company("SHOP")


@pytest.fixture
def count(shop: Company) -> StockCount:
    """10 cups on the book at shelf A-01, with a barcode; a teapot with a
    barcode and none on the book."""
    wh = t.warehouse(shop)
    services.add_location(
        warehouse=wh, actor=None, data=services.LocationData(code="A-01", zone="A")
    )
    shelf = wh.locations.get(code="A-01")
    cup, pot = t.product(shop, "CUP"), t.product(shop, "POT")
    Barcode.objects.create(
        company=shop, product=cup, code=CUP_BARCODE, kind=BarcodeKind.EAN13
    )
    Barcode.objects.create(
        company=shop, product=pot, code="POT-1", kind=BarcodeKind.INTERNAL
    )
    t.receive(shop, DAY, cup, wh, "10", "4.00", location=shelf)
    return counts.create_count(
        company=shop, actor=None, warehouse=wh, date=DAY, zone="A"
    )


def scan(tab: Any, code: str) -> None:
    """What a USB scanner does: type the code, then Enter."""
    tab.keyboard.type(code)
    tab.keyboard.press("Enter")


def test_scanning_a_shelf(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
    count: StockCount,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    keeper = member(shop, [Role.WAREHOUSE], username="cangguan")
    cup = StockCountLine.objects.get(count=count, product__code="CUP")
    counted = page.locator(f"input[name='counted-{cup.pk}']")

    # given: the warehouse keeper at the count sheet, the scanner field focused
    sign_in(page, base, keeper)
    page.goto(f"{base}/inventory/counts/{count.pk}/")
    barcode = page.locator("#scan-barcode")
    expect(barcode).to_be_focused()
    expect(counted).to_have_value("")

    # when: one cup is scanned
    scan(page, CUP_BARCODE)

    # then: the cup's counted quantity becomes 1, the field is ready again
    expect(counted).to_have_value("1")
    expect(page.locator("[data-scan-ok]")).to_contain_text("CUP")
    expect(barcode).to_have_value("")
    expect(barcode).to_be_focused()

    # when: three more, as fast as a scanner types
    for _ in range(3):
        scan(page, CUP_BARCODE)

    # then: every scan counted, in the sheet and in the database
    expect(counted).to_have_value("4")
    expect(page.locator("[data-figure='uncounted']")).to_have_text("0")
    cup.refresh_from_db()
    assert cup.counted_quantity == Decimal("4")

    # when: a teapot nobody booked is scanned
    scan(page, "POT-1")

    # then: its line appears, with book 0 and 1 counted
    pot_row = page.locator("tr[data-line='POT@A-01']")
    expect(pot_row).to_be_visible()
    expect(pot_row.locator("input")).to_have_value("1")

    # when: a code no product has is scanned
    scan(page, "99999")

    # then: a clear error, and nothing counted
    expect(page.locator("[data-scan-error]")).to_contain_text("99999")
    expect(counted).to_have_value("4")
    assert StockCountLine.objects.filter(count=count).count() == 2
    shoot(page, "inventory-count-scan")
