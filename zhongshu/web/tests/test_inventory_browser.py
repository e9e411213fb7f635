"""THE STOCK BROWSER TEST: in real headless Chromium a warehouse keeper
receives goods by typing a barcode into the keyboard-first grid, posts with
Ctrl+S, finds them in 即时库存 with their value, and the stock pages fit a
390 px phone.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1, like the
shell's browser test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhongshu.catalog.models import Barcode, BarcodeKind
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import member
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import StockBalance
from zhongshu.ledger.models import Voucher
from zhongshu.web.tests.test_browser import (
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)
from zhongshu.web.tests.test_ledger_browser import PHONE, fits_the_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop() -> Company:
    company = t.stocked_company("SHOP")
    t.warehouse(company, "WH1")
    cup = t.product(company, "CUP")
    Barcode.objects.create(
        company=company, product=cup, code="6901234567892", kind=BarcodeKind.EAN13
    )
    return company


def test_receiving_by_barcode_and_finding_it_on_hand(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    keeper = member(shop, [Role.WAREHOUSE], username="cangguan")
    sign_in(page, base, keeper)

    # when: 12 cups at 4.50 are received by scanning the cup's barcode
    page.goto(f"{base}/inventory/moves/new/?kind=receipt")
    page.fill("input[name='lines-0-product']", "6901234567892")
    page.select_option("select[name='lines-0-warehouse']", label="WH1 仓库 WH1")
    page.fill("input[name='lines-0-quantity']", "12")
    page.fill("input[name='lines-0-unit_cost']", "4.50")
    page.keyboard.press("Control+s")

    # then: a numbered document with its voucher, and 12 cups worth 54.00
    expect(page.locator(".alert, [role=status]").first).to_contain_text("QT-")
    balance = StockBalance.objects.get(company=shop, product__code="CUP")
    assert (balance.on_hand, balance.value) == (Decimal(12), Decimal("54.00"))
    assert (
        Voucher.objects.filter(company=shop, source_kind="inventory.manual").count()
        == 1
    )
    page.goto(f"{base}/inventory/on-hand/")
    row = page.locator("tr", has_text="CUP")
    expect(row).to_contain_text("12")
    expect(row).to_contain_text("54.00")
    shoot(page, "inventory-on-hand")

    # and: the stock pages fit a phone
    page.set_viewport_size(PHONE)
    for path in (
        "/inventory/on-hand/",
        "/inventory/movement-summary/",
        "/inventory/moves/new/?kind=issue",
    ):
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path
