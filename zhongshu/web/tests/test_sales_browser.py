"""THE SALES BROWSER TEST: in real headless Chromium a salesperson enters an
order with the keyboard (Enter from cell to cell, the totals priced on the
server as they type, Ctrl+S saves), confirms it; a warehouse keeper
delivers it, and the delivery's flow panel lists order → delivery → its
vouchers. The sales pages fit a 390 px phone.

Figures: 10 cups × 22.60 incl. 13 % VAT = 226.00 (VAT 26.00); a cup costs
10.00, so the delivery posts cost 100.00 and revenue 200.00 + VAT 26.00.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1, like the
shell's browser test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.catalog.models import Product
from zhongshu.core.models import Company, Role
from zhongshu.core.testing import member
from zhongshu.ledger.models import Voucher
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import Delivery, DocumentState, SalesOrder
from zhongshu.web.tests.test_browser import (
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)
from zhongshu.web.tests.test_ledger_browser import (
    PHONE,
    fits_the_phone,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop() -> Company:
    company = sales_testing.sales_company("SHOP")
    sales_testing.stocked_product(company, "CUP", quantity="100", unit_cost="10")
    partners_testing.make_customer(company, "K001", name="华南贸易")
    return company


def _enter_the_order(tab: Any, base: str) -> None:
    tab.goto(f"{base}/sales/orders/new/")
    tab.fill("input[name='customer']", "K001")
    tab.focus("input[name='lines-0-product']")
    tab.keyboard.type("CUP")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.name") == "lines-0-quantity"
    tab.keyboard.type("10")
    tab.keyboard.press("Enter")  # to the unit: the base unit
    tab.keyboard.press("Enter")  # to the price
    tab.keyboard.type("22.60")
    tab.keyboard.press("Enter")  # to the discount
    tab.keyboard.press("Enter")  # to the warehouse
    tab.keyboard.press("Enter")  # to the next line
    assert tab.evaluate("document.activeElement.name") == "lines-1-product"


def test_an_order_from_the_keyboard_delivered_with_its_flow(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    seller = member(shop, [Role.SALES], username="xiaoshou")
    keeper = member(shop, [Role.WAREHOUSE], username="cangguan")
    sign_in(page, base, seller)

    # when: the order is typed; the server prices it as the grid fills
    _enter_the_order(page, base)
    expect(page.locator("[data-total='total']")).to_have_text("226.00")
    expect(page.locator("[data-total='tax']")).to_have_text("26.00")
    # and: Enter on the last cell of the last line asks for a new line
    page.focus("select[name='lines-2-warehouse']")
    page.keyboard.press("Enter")
    expect(page.locator("input[name='lines-3-product']")).to_be_focused()
    expect(page.locator("input[name='lines-TOTAL_FORMS']")).to_have_value("4")
    page.keyboard.press("Control+s")

    # then: a draft order of 226.00, confirmed from its page
    page.wait_for_url(re.compile(r"/sales/orders/\d+/$"))
    order = SalesOrder.objects.get(company=shop)
    assert (order.total, order.state) == (Decimal("226.00"), DocumentState.DRAFT)
    page.click("[data-action='confirm']")
    expect(page.locator("[role=status]").first).to_contain_text("XSDD-")
    order.refresh_from_db()
    assert order.state == DocumentState.CONFIRMED
    shoot(page, "sales-order")

    # when: the keeper delivers all that is left, Ctrl+S
    sign_out(page, base)
    sign_in(page, base, keeper)
    page.goto(f"{base}/sales/orders/{order.pk}/")
    page.click("[data-action='deliver']")
    expect(page.locator("input[name='lines-0-quantity']")).to_have_value("10")
    page.focus("input[name='lines-0-quantity']")
    page.keyboard.press("Control+s")

    # then: the delivery page's flow lists the order, the delivery and its
    # two vouchers (cost of sales, and receivable / revenue / VAT)
    page.wait_for_url(re.compile(r"/sales/deliveries/\d+/$"))
    delivery = Delivery.objects.get(company=shop)
    assert (delivery.total, delivery.cost_total) == (
        Decimal("226.00"),
        Decimal("100.00"),
    )
    flow = page.locator("#document-flow")
    expect(flow.locator("[data-flow-kind='sales.order']")).to_contain_text(order.number)
    expect(flow.locator("[data-flow-kind='sales.delivery']")).to_contain_text(
        delivery.number
    )
    vouchers = Voucher.objects.filter(
        company=shop, source_kind="sales.delivery", source_id=delivery.pk
    )
    assert vouchers.count() == 2
    expect(flow.locator("[data-flow-voucher]")).to_have_count(2)
    shoot(page, "sales-delivery-flow")
    flow.locator("[data-flow-kind='sales.order'] a").click()
    page.wait_for_url(f"{base}/sales/orders/{order.pk}/")

    # and: the pages fit a phone
    page.set_viewport_size(PHONE)
    for path in (
        "/sales/orders/",
        f"/sales/orders/{order.pk}/",
        f"/sales/deliveries/{delivery.pk}/",
        f"/sales/orders/{order.pk}/deliver/",
    ):
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path


def test_the_order_grid_fits_a_phone(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    base = live_server.url
    sign_in(page, base, member(shop, [Role.SALES], username="xiaoshou"))
    page.set_viewport_size(PHONE)
    for path in ("/sales/orders/new/", "/sales/quotations/new/", "/sales/receipts/"):
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path


def test_ticked_orders_are_confirmed_and_delivered_from_the_list(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    """Two draft orders ticked on the order list: the salesperson confirms
    them in one go, the keeper delivers them in one go."""
    from playwright.sync_api import expect

    base = live_server.url
    customer = Customer.objects.get(company=shop, code="K001")
    cup = Product.objects.get(company=shop, code="CUP")
    drafts = [
        sales_testing.draft_order(shop, customer, [(cup, quantity, "22.60")])
        for quantity in ("3", "4")
    ]
    sign_in(page, base, member(shop, [Role.SALES], username="xiaoshou"))
    page.goto(f"{base}/sales/orders/?state=draft")
    for order in drafts:
        page.check(f"input[name='ids'][value='{order.pk}']")
    page.click("[data-batch-action='confirm']")
    expect(page.locator("[role=status]").first).to_contain_text("已审核 2 张订单")
    assert page.url.endswith("/sales/orders/?state=draft")
    assert {o.state for o in SalesOrder.objects.filter(company=shop)} == {
        DocumentState.CONFIRMED
    }

    sign_out(page, base)
    sign_in(page, base, member(shop, [Role.WAREHOUSE], username="cangguan"))
    page.goto(f"{base}/sales/orders/?state=confirmed")
    page.set_viewport_size(PHONE)
    assert fits_the_phone(page)
    for order in drafts:
        page.check(f"input[name='ids'][value='{order.pk}']")
    shoot(page, "sales-batch-ticked")
    page.click("[data-batch-action='deliver']")
    expect(page.locator("[role=status]").first).to_contain_text("已出库 2 张订单")
    assert Delivery.objects.filter(company=shop).count() == 2
    shoot(page, "sales-batch-delivered")
