"""THE LEDGER BROWSER TEST: a voucher typed with the keyboard in real headless
Chromium, reviewed by a second accountant, posted, and followed from the trial
balance down to the account detail and back to the voucher.

Skips without /usr/bin/chromium unless ZHONGSHU_BROWSER_TESTS=1 (as the shell's
browser test does). Screenshots land in $ZHONGSHU_SCREENSHOT_DIR (default
/tmp) for a human look at the voucher's paper layout, on a desktop and on a
390 px phone.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.core.money import amount_in_words
from zhongshu.ledger import services
from zhongshu.ledger.models import Voucher, VoucherState
from zhongshu.ledger.testing import line, posted
from zhongshu.web.tests.test_browser import (
    PHONE_WIDTH,
    SCREENSHOTS,
    page,  # noqa: F401 - the fixture, shared with the shell's browser test
    shoot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": PHONE_WIDTH, "height": 844}


@pytest.fixture
def books() -> Company:
    company = testing.make_company("YUNFAN", name="杭州云帆贸易有限公司")
    services.set_up_books(company=company, first_year=2026)
    # A month of history, so the reports have something around our voucher.
    posted(
        company,
        datetime.date(2026, 3, 2),
        line("收到投资款", "1002", debit="200000.00"),
        line("收到投资款", "3001", credit="200000.00"),
    )
    # 应收账款 kept per customer, as most companies keep it.
    services.add_account(
        company=company,
        actor=testing.owner_of(company),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    posted(
        company,
        datetime.date(2026, 3, 5),
        line("销售商品", "112201", debit="11300.00", customer=3),
        line("销售商品", "5001", credit="10000.00"),
        line("销项税额", "22210107", credit="1300.00"),
    )
    return company


def sign_in(tab: Any, base: str, user: User) -> None:
    tab.goto(f"{base}/login/")
    tab.fill("input[name=username]", user.get_username())
    tab.fill("input[name=password]", testing.PASSWORD)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{base}/")


def sign_out(tab: Any, base: str) -> None:
    tab.click("form[action='/logout/'] button")
    tab.wait_for_url(f"{base}/login/")


def as_phone(tab: Any) -> None:
    tab.set_viewport_size(PHONE)
    # The menu drawer slides away: wait until it has left the screen.
    tab.wait_for_function(
        "document.getElementById('sidebar').getBoundingClientRect().right <= 0"
    )


def fits_the_phone(tab: Any) -> bool:
    return bool(tab.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH)


def type_the_voucher(tab: Any) -> None:
    """提取备用金 1,500.00: cash debited, the bank credited, typed as an
    accountant does: Enter from cell to cell, the summary repeated by an
    empty Enter, the credit balanced with "="."""
    tab.fill("input[name=date]", "2026-03-10")
    tab.fill("input[name=attachments]", "1")
    summary = tab.locator("input[name='lines-0-summary']")
    summary.click()
    tab.keyboard.type("提取备用金")
    tab.keyboard.press("Enter")
    tab.keyboard.type("1001")
    tab.keyboard.press("Enter")
    tab.keyboard.type("1500")
    # Enter after a debit skips the empty credit to the next line's summary.
    tab.keyboard.press("Enter")
    tab.keyboard.press("Enter")
    tab.keyboard.type("1002")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    tab.keyboard.press("=")


def test_a_voucher_from_the_keyboard_to_the_trial_balance(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    books: Company,
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    maker = testing.member(books, [Role.ACCOUNTANT], username="kuaiji")
    checker = testing.member(books, [Role.ACCOUNTANT], username="shenhe")

    # given: the accountant at the voucher grid
    sign_in(page, base, maker)
    page.goto(f"{base}/ledger/vouchers/new/")
    expect(page.locator("h1.voucher-title")).to_be_visible()

    # when: typing the voucher with the keyboard
    type_the_voucher(page)

    # then: the account codes were completed, the summary repeated, the credit
    # balanced, and the totals and their words follow
    expect(page.locator("input[name='lines-0-account']")).to_have_value("1001 库存现金")
    expect(page.locator("input[name='lines-1-summary']")).to_have_value("提取备用金")
    expect(page.locator("input[name='lines-1-account']")).to_have_value("1002 银行存款")
    expect(page.locator("input[name='lines-1-credit']")).to_have_value("1500.00")
    expect(page.locator("[data-total='debit']")).to_have_text("1,500.00")
    expect(page.locator("[data-total='credit']")).to_have_text("1,500.00")
    expect(page.locator("[data-total-words]")).to_have_text(
        amount_in_words(Decimal("1500.00"))
    )
    expect(page.locator("[data-difference-ok]")).to_be_visible()
    shoot(page, "ledger-entry")

    # and: the grid works on a phone without sideways scrolling
    as_phone(page)
    assert fits_the_phone(page)
    shoot(page, "ledger-entry-390")
    page.set_viewport_size(DESKTOP)

    # when: saving with Ctrl+S
    page.locator("input[name='lines-1-credit']").focus()
    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/ledger/vouchers/\d+/$"))

    # then: a draft in the paper layout, which its maker may not review
    voucher = Voucher.objects.get(company=books, state=VoucherState.DRAFT)
    assert voucher.total == Decimal("1500.00")
    expect(page.locator(".voucher-paper .in-words")).to_have_text("壹仟伍佰元整")
    expect(page.locator("[data-action='review']")).to_have_count(0)
    shoot(page, "ledger-voucher-draft")
    sign_out(page, base)

    # when: the second accountant reviews and posts it
    sign_in(page, base, checker)
    page.goto(f"{base}/ledger/vouchers/{voucher.pk}/")
    page.click("[data-action='review']")
    expect(page.locator(".voucher-stamp")).to_have_class("voucher-stamp stamp-reviewed")
    page.click("[data-action='post']")

    # then: posted, numbered 记-0003 after the two of the setup
    expect(page.locator(".voucher-no strong")).to_have_text("记-0003")
    expect(page.locator(".voucher-signatures")).to_contain_text("shenhe")
    expect(page.locator(".voucher-signatures")).to_contain_text("kuaiji")
    shoot(page, "ledger-voucher")
    as_phone(page)
    page.reload()
    assert fits_the_phone(page)
    shoot(page, "ledger-voucher-390")
    page.set_viewport_size(DESKTOP)

    # when: opening March's trial balance and clicking 1001's debit
    page.goto(
        f"{base}/ledger/reports/trial-balance/?from_period=2026-03&to_period=2026-03"
    )
    cash = page.locator("tr[data-account='1001'] td.num a").first
    expect(cash).to_have_text("1,500.00")
    shoot(page, "ledger-trial-balance")
    cash.click()

    # then: the account detail with the posting and its running balance
    page.wait_for_url("**/ledger/reports/account-detail/**")
    expect(page.locator(".account-detail tbody")).to_contain_text("提取备用金")
    shoot(page, "ledger-account-detail")

    # and: back to the voucher from its number
    page.click("a[data-voucher-link]")
    page.wait_for_url(f"{base}/ledger/vouchers/{voucher.pk}/")
    expect(page.locator(".voucher-no strong")).to_have_text("记-0003")

    # when: reversing it (红字冲销), confirming the question
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action='reverse']")

    # then: a red draft that names the original
    expect(page.locator(".voucher-paper")).to_have_class("voucher-paper is-red")
    expect(page.locator(".voucher-paper .in-words")).to_have_text("负壹仟伍佰元整")
    expect(page.locator(".voucher-links")).to_contain_text("记-0003")
    shoot(page, "ledger-voucher-red")

    # and: the other pages look right too (for the screenshots)
    for path, name in [
        ("/ledger/accounts/", "ledger-accounts"),
        ("/ledger/vouchers/", "ledger-vouchers"),
        ("/ledger/reports/balance-sheet/?period=2026-03", "ledger-balance-sheet"),
        (
            "/ledger/reports/income-statement/?period=2026-03",
            "ledger-income-statement",
        ),
        ("/ledger/periods/", "ledger-periods"),
        ("/ledger/opening-balances/", "ledger-opening"),
    ]:
        page.goto(f"{base}{path}")
        shoot(page, name)
    page.set_viewport_size(PHONE)
    for path, name in [
        ("/ledger/vouchers/", "ledger-vouchers-390"),
        ("/ledger/reports/trial-balance/", "ledger-trial-balance-390"),
        ("/ledger/reports/balance-sheet/?period=2026-03", "ledger-balance-sheet-390"),
    ]:
        page.goto(f"{base}{path}")
        assert fits_the_phone(page), path
        shoot(page, name)
    assert SCREENSHOTS.exists()


def test_an_account_that_tracks_customers_asks_for_one(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    books: Company,
) -> None:
    from playwright.sync_api import expect

    # given: 112201 货款 requires a customer
    base = live_server.url
    maker = testing.member(books, [Role.ACCOUNTANT], username="kuaiji")
    sign_in(page, base, maker)
    page.goto(f"{base}/ledger/vouchers/new/")
    page.fill("input[name=date]", "2026-03-12")

    # when: typing the account by code
    page.locator("input[name='lines-0-summary']").click()
    page.keyboard.type("销售货款")
    page.keyboard.press("Enter")
    page.keyboard.type("112201")
    page.keyboard.press("Enter")

    # then: the customer input appears and Enter leads into it
    customer = page.locator("input[name='lines-0-customer']")
    expect(customer).to_be_visible()
    expect(customer).to_be_focused()
    expect(page.locator("input[name='lines-0-supplier']")).to_be_hidden()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.keyboard.type("565")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("5001")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("500")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("22210107")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("=")
    expect(page.locator("input[name='lines-2-credit']")).to_have_value("65.00")
    expect(page.locator("[data-total-words]")).to_have_text("伍佰陆拾伍元整")
    shoot(page, "ledger-entry-dimension")
    page.click("button[data-save]")
    page.wait_for_url(re.compile(r"/ledger/vouchers/\d+/$"))

    # then: saved with the customer on the receivable line
    voucher = Voucher.objects.get(company=books, state=VoucherState.DRAFT)
    receivable = voucher.lines.get(line_no=1)
    assert (receivable.customer_id, receivable.debit) == (7, Decimal("565.00"))
    expect(page.locator(".v-dim")).to_contain_text("7")


def test_opening_balances_check_live_and_save(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
) -> None:
    from playwright.sync_api import expect

    # given: a company going live, nothing posted yet
    base = live_server.url
    company = testing.make_company("KAIZHANG", name="开账示范有限公司")
    services.set_up_books(company=company, first_year=2026)
    accountant = testing.member(company, [Role.ACCOUNTANT], username="kuaiji")
    sign_in(page, base, accountant)
    page.goto(f"{base}/ledger/opening-balances/")

    # when: cash 5,000.00 and bank 95,000.00, then capital 90,000.00
    page.fill("input[name='1001-debit']", "5000")
    page.fill("input[name='1002-debit']", "95000")
    page.fill("input[name='3001-credit']", "90000")

    # then: the check shows the difference of 10,000.00 while typing
    expect(page.locator("[data-opening-difference]")).to_have_text("10,000.00")
    expect(page.locator("[data-opening-ok]")).to_be_hidden()
    page.fill("input[name='3001-credit']", "100000")
    expect(page.locator("[data-opening-ok]")).to_be_visible()
    expect(page.locator("[data-opening-sum='credit']")).to_have_text("100,000.00")
    shoot(page, "ledger-opening-entry")

    # when: saving
    page.click("[data-opening-grid] button[type=submit]")

    # then
    expect(page.locator(".messages")).to_be_visible()
    check = services.opening_trial_balance(company)
    assert (check.debit, check.credit, check.balanced) == (
        Decimal("100000.00"),
        Decimal("100000.00"),
        True,
    )
