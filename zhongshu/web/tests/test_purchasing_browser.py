"""THE PURCHASING BROWSER TEST: in real headless Chromium a purchaser enters
a purchase order with the keyboard (the server prices it as the grid fills,
an empty price is the supplier's) and confirms it; a warehouse keeper
receives it; an accountant enters the supplier's matching invoice and it
posts. The purchasing pages fit a 390 px phone.

Figures: 10 cups at the supplier's 10.00 without VAT = 100.00 + 13.00 VAT
= 113.00; the receipt books 100.00 as an estimate, the invoice reverses it
and owes 113.00.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1, like the
shell's browser test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core.models import Company, Role
from zhongshu.core.testing import member
from zhongshu.inventory import testing as inventory_testing
from zhongshu.partners import testing as partners_testing
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    InvoiceState,
    OrderState,
    PurchaseOrder,
    SupplierInvoice,
)
from zhongshu.web.tests.test_browser import (
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)
from zhongshu.web.tests.test_ledger_browser import (
    as_phone,
    fits_the_phone,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop() -> Company:
    company = purchasing_testing.purchasing_company("BUY")
    cup = inventory_testing.product(company, "CUP")
    vendor = partners_testing.make_supplier(
        company, "V01", name="华东杯业", payment_terms_days=30
    )
    purchasing_testing.supplier_product(company, vendor, cup, "10.00")
    return company


def _enter_the_order(tab: Any, base: str) -> None:
    tab.goto(f"{base}/purchasing/orders/new/")
    tab.fill("input[name='supplier']", "V01")
    tab.focus("input[name='lines-0-product']")
    tab.keyboard.type("CUP")
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.name") == "lines-0-quantity"
    tab.keyboard.type("10")
    tab.keyboard.press("Enter")  # to the price: empty, the supplier's
    assert tab.evaluate("document.activeElement.name") == "lines-0-unit_price"
    tab.keyboard.press("Enter")  # to the warehouse: the order's
    tab.keyboard.press("Enter")  # to the next line
    assert tab.evaluate("document.activeElement.name") == "lines-1-product"


def test_a_purchase_order_received_and_invoiced(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    buyer = member(shop, [Role.PURCHASER], username="caigou")
    keeper = member(shop, [Role.WAREHOUSE], username="cangguan")
    accountant = member(shop, [Role.ACCOUNTANT], username="kuaiji")

    # when: the purchaser types the order; the server prices it
    sign_in(page, base, buyer)
    _enter_the_order(page, base)
    expect(page.locator("[data-total='total']")).to_have_text("113.00")
    expect(page.locator("[data-total='tax']")).to_have_text("13.00")
    page.keyboard.press("Control+s")

    # then: a draft of 113.00, confirmed from its page
    page.wait_for_url(re.compile(r"/purchasing/orders/\d+/$"))
    order = PurchaseOrder.objects.get(company=shop)
    assert (order.total, order.state) == (Decimal("113.00"), OrderState.DRAFT)
    page.click("[data-action='confirm']")
    expect(page.locator("[role=status]").first).to_contain_text("CGDD-")
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED
    as_phone(page)
    assert fits_the_phone(page)
    shoot(page, "purchasing-order-390")

    # when: the keeper receives all that is open, Ctrl+S
    sign_out(page, base)
    sign_in(page, base, keeper)
    page.goto(f"{base}/purchasing/orders/{order.pk}/")
    page.click("[data-action='receive']")
    expect(page.locator("input[name='lines-0-quantity']")).to_have_value("10")
    assert fits_the_phone(page)
    shoot(page, "purchasing-receive-390")
    page.focus("input[name='lines-0-quantity']")
    page.keyboard.press("Control+s")

    # then: the receipt, its estimate voucher linked
    page.wait_for_url(re.compile(r"/purchasing/receipts/\d+/$"))
    receipt = GoodsReceipt.objects.get(company=shop)
    assert receipt.value_total == Decimal("100.00")
    expect(page.locator("[data-voucher]")).to_have_count(1)
    assert fits_the_phone(page)
    shoot(page, "purchasing-receipt-390")

    # when: the accountant picks the supplier; its open line is offered at
    # the order's price and quantity; the invoice number is typed
    sign_out(page, base)
    sign_in(page, base, accountant)
    page.goto(f"{base}/purchasing/invoices/new/")
    page.fill("input[name='supplier']", "V01 华东杯业")
    page.locator("input[name='supplier']").dispatch_event("change")
    expect(page.locator("input[name='lines-0-quantity']")).to_have_value("10")
    expect(page.locator("input[name='lines-0-unit_price']")).to_have_value("10")
    page.fill("input[name='invoice_number']", "04400001")
    assert fits_the_phone(page)
    shoot(page, "purchasing-invoice-form-390")
    page.focus("input[name='invoice_number']")
    page.keyboard.press("Control+s")

    # then: it matches and posts, 113.00 owed
    page.wait_for_url(re.compile(r"/purchasing/invoices/\d+/$"))
    invoice = SupplierInvoice.objects.get(company=shop)
    assert (invoice.state, invoice.total) == (InvoiceState.POSTED, Decimal("113.00"))
    expect(page.locator("[data-state='posted']")).to_have_count(1)
    expect(page.locator("[data-voucher]")).to_have_count(1)
    assert fits_the_phone(page)
    shoot(page, "purchasing-invoice-390")

    # and: the other pages fit the phone too
    for path in (
        "/purchasing/orders/",
        "/purchasing/invoices/exceptions/",
        "/purchasing/payments/new/?supplier=V01",
        "/purchasing/payables/aging/",
    ):
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path
    shoot(page, "purchasing-aging-390")


def test_the_entry_forms_fit_a_phone(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: Company,
) -> None:
    base = live_server.url
    sign_in(page, base, member(shop, [Role.PURCHASER], username="caigou"))
    as_phone(page)
    for path, name in (
        ("/purchasing/orders/new/", "purchasing-order-form-390"),
        ("/purchasing/requisitions/new/", "purchasing-requisition-form-390"),
    ):
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path
        shoot(page, name)
