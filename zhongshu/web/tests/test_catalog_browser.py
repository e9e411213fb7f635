"""THE CATALOG BROWSER TEST: a purchaser adds a product with its box unit and
barcodes in real headless Chromium, finds it by scanning its barcode into the
search box (htmx), and generates a colour × size matrix for a style.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1 (as the
shell's browser test does). Screenshots land in $ZHONGSHU_SCREENSHOT_DIR
(default /tmp), on a desktop and on a 390 px phone.
"""

from __future__ import annotations

from typing import Any

import pytest

from zhongshu.catalog import selectors
from zhongshu.catalog.testing import make_attribute, make_category, unit
from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.web.tests.test_browser import (
    PHONE_WIDTH,
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop() -> Company:
    company = testing.make_company("YUNFAN", name="杭州云帆服饰有限公司")
    unit(company, "件")
    make_category(company, "TOPS")
    make_attribute(company, "colour", "颜色", [("RED", "红色"), ("BLUE", "蓝色")])
    make_attribute(company, "size", "尺码", [("S", "S"), ("M", "M"), ("L", "L")])
    return company


def test_a_purchaser_adds_a_product_and_a_style_matrix(
    page: Any,  # noqa: F811
    live_server: Any,
    shop: Company,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    buyer = testing.member(shop, [Role.PURCHASER], username="caigou")
    # given: the purchaser signs in
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", buyer.get_username())
    page.fill("input[name=password]", testing.PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # when: a cup, sold by the piece and by the box of 12, with two barcodes
    page.goto(f"{base}/catalog/products/new/")
    page.fill("input[name=code]", "CUP-350")
    page.fill("input[name=name]", "陶瓷杯")
    page.fill("input[name=specification]", "350ml 白色")
    page.select_option("select[name=base_unit]", label="件")
    page.select_option("select[name=units-0-unit]", label="箱")
    page.fill("input[name=units-0-factor]", "12")
    page.fill("input[name=barcodes-0-code]", "6901234567891")
    shoot(page, "catalog-product-form")
    page.click("form.form .form-actions button[type=submit]")

    # then: the wrong check digit is shown on its row, nothing saved
    expect(page.locator(".field-error").first).to_contain_text("6901234567891")
    assert selectors.find_product(shop, "CUP-350") is None

    # when corrected
    page.fill("input[name=barcodes-0-code]", "6901234567892")
    page.click("form.form .form-actions button[type=submit]")
    page.wait_for_url(f"{base}/catalog/products/*/")
    cup = selectors.find_product(shop, "CUP-350")
    assert cup is not None
    assert [u.unit.code for u in cup.units.all()] == ["箱"]

    # and scanning the barcode into the list's search finds it (htmx)
    page.goto(f"{base}/catalog/products/")
    page.fill("input[name=q]", "6901234567892")
    expect(page.locator("#catalog-results tbody tr")).to_have_count(1)
    expect(page.locator("#catalog-results")).to_contain_text("陶瓷杯")
    shoot(page, "catalog-products")

    # when: a T-shirt style in red and blue, S to L
    page.goto(f"{base}/catalog/styles/")
    form = page.locator("form:has(input[name=action][value=style])")
    form.locator("input[name=code]").fill("T01")
    form.locator("input[name=name]").fill("纯棉T恤")
    form.locator("input[name=axes][value=colour]").check()
    form.locator("input[name=axes][value=size]").check()
    form.locator("select[name=base_unit]").select_option(label="件")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/catalog/styles/*/")
    for value in ("RED", "BLUE"):
        page.check(f"input[name=axis-colour][value={value}]")
    for value in ("S", "M", "L"):
        page.check(f"input[name=axis-size][value={value}]")
    page.click("form[action$='/generate/'] button[type=submit]")

    # then: six variants in a 2 × 3 matrix
    # (the first matrix; the second, stock by colour × size, follows it)
    variants = page.locator("table.variant-matrix").first
    expect(variants.locator("tbody tr")).to_have_count(2)
    expect(variants).to_contain_text("T01-BLUE-L")
    shoot(page, "catalog-style-matrix")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.reload()
    shoot(page, "catalog-style-matrix-390")
