"""THE BROWSER TEST: the shell driven through real headless Chromium.

Skips when /usr/bin/chromium is absent, unless ZHONGSHU_BROWSER_TESTS=1 (CI),
where a missing browser is a failure. Screenshots land in
$ZHONGSHU_SCREENSHOT_DIR (default /tmp) for a human look at the design.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import translation
from django.utils.formats import date_format

from zhongshu.core.demo import DEMO_PASSWORD, build_demo
from zhongshu.core.models import Company

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_WIDTH = 390
VALID_USCC = "91110000600037341L"
SCREENSHOTS = Path(os.environ.get("ZHONGSHU_SCREENSHOT_DIR", tempfile.gettempdir()))


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`."
    if os.environ.get("ZHONGSHU_BROWSER_TESTS") == "1":
        pytest.fail(message)
    pytest.skip(message + " (set ZHONGSHU_BROWSER_TESTS=1 to make this a failure)")


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; Django would
    # otherwise refuse the ORM calls the test makes between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    # Django keeps connections per context, and the running Playwright loop
    # changes which one the ORM sees: close them on both sides so no session
    # outlives the test and blocks dropping the PostgreSQL test database.
    connections.close_all()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        # A Chinese browser: the UI is Chinese first.
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 860}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            # Leave no request in flight: the live server is stopped next.
            page.goto("about:blank")
            context.close()
            browser.close()
            connections.close_all()


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"zhongshu-{name}.png"), full_page=True)


def chinese_date(company: Company) -> str:
    with translation.override("zh-hans"):
        return date_format(company.trial_ends_on, "DATE_FORMAT")


def test_the_shell_story(page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    # given: the demo companies and logins of `zhongshu demo`
    first, second = build_demo()

    # when: a visitor signs up a new company
    page.goto(f"{base}/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shoot(page, "signup")
    page.fill("input[name=company_name]", "杭州云帆贸易有限公司")
    page.fill("input[name=company_code]", "YUNFAN")
    page.fill("input[name=uscc]", VALID_USCC)
    page.select_option("select[name=taxpayer_type]", "small_scale")
    page.select_option("select[name=accounting_standard]", "small_enterprise")
    page.fill("input[name=username]", "zhanglei")
    page.fill("input[name=email]", "zhang@example.cn")
    page.fill("input[name=password]", "Yunfan-2026-secure")
    page.click("form.form button[type=submit]")

    # then: home, with the trial's end date
    page.wait_for_url(f"{base}/")
    signed_up = Company.objects.get(code="YUNFAN")
    expect(page.locator("h1")).to_have_text("杭州云帆贸易有限公司")
    expect(page.locator(".trial-status")).to_contain_text(chinese_date(signed_up))
    expect(page.locator(".messages")).to_contain_text(chinese_date(signed_up))
    shoot(page, "home")

    # and: on a phone, nothing overflows sideways
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shoot(page, "home-390")
    page.click("button[data-nav-toggle]")
    # The drawer slides in: wait until it has arrived.
    page.wait_for_function(
        "document.getElementById('sidebar').getBoundingClientRect().left >= 0"
    )
    expect(page.locator("#sidebar a[href='/audit/']")).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "zhongshu-menu-390.png"))
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1280, "height": 860})

    # when: signing out and in as the demo user
    page.click("form[action='/logout/'] button")
    page.wait_for_url(f"{base}/login/")
    shoot(page, "login")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")
    expect(page.locator("h1")).to_have_text(first.name)

    # and: switching the language to English
    page.click(".language-toggle button")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#sidebar")).to_contain_text("Audit trail")
    expect(page.locator("#sidebar")).to_contain_text("Members")
    expect(page.locator(".language-toggle button")).to_have_attribute("lang", "zh-hans")

    # and: switching the company with the switcher
    page.select_option("#company-switcher", str(second.pk))
    expect(page.locator("h1")).to_have_text(second.name)
    expect(page.locator("#company-switcher")).to_have_value(str(second.pk))

    # then: the audit trail lists the company's entries
    page.click("#sidebar >> text=Audit trail")
    page.wait_for_url(f"{base}/audit/")
    rows = page.locator("#audit-results tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    expect(page.locator("#audit-results")).to_contain_text(second.name)
    shoot(page, "audit")
    # htmx: filtering swaps the results in place and keeps the URL shareable.
    page.select_option("select[name=action]", "created")
    page.wait_for_url("**/audit/?*action=created*")
    expect(page.locator("#audit-results tbody tr")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Audit trail")
    page.click("#audit-results tbody a.btn >> nth=0")
    expect(page.locator("table.changes")).to_be_visible()
    shoot(page, "audit-detail")
    page.goto(f"{base}/settings/members/")
    shoot(page, "members")
    page.goto(f"{base}/settings/numbering/")
    shoot(page, "numbering")

    # and: the wide pages fit a phone too (tables scroll inside their card)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    for path, name in [("/audit/", "audit-390"), ("/settings/members/", "members-390")]:
        page.goto(f"{base}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        shoot(page, name)
