"""Saved searches on the list pages: saved from the sales orders list (a plain
form post and the htmx one), shown as a link that applies the filter, deleted
with its ×; offered on the customer list too; and a user's searches are
never shown to, nor deletable by, another user."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.core import testing
from zhongshu.core.models import Company, Role, SavedSearch
from zhongshu.partners import services as partner_services
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import SalesOrder
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

pytestmark = pytest.mark.django_db

DAY = sales_testing.DAY
HTMX = {"HX-Request": "true"}
SAVE = "saved_search_save"


def signed_in(user: User) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def saved_link(body: str, name: str) -> str | None:
    """The href of the saved search called ``name`` in the box, if shown."""
    match = re.search(
        rf'<a class="tag" href="([^"]*)"[^>]*>{re.escape(name)}</a>', body
    )
    return html.unescape(match[1]) if match else None


@pytest.fixture
def shop() -> dict[str, Any]:
    company = sales_testing.sales_company("SHOP")
    cup = sales_testing.stocked_product(company, "CUP", quantity="100", unit_cost="10")
    k001 = partners_testing.make_customer(company, "K001")
    k002 = partners_testing.make_customer(company, "K002")
    confirmed = sales_testing.confirmed_order(
        company, k001, [(cup, "2", "22.60")], day=DAY
    )
    draft = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=k002,
            date=DAY,
            lines=[
                services.LineData(
                    product=cup, quantity=Decimal(1), unit_price=Decimal(1)
                )
            ],
        ),
    )
    return {
        "company": company,
        "confirmed": confirmed,
        "draft": draft,
        "clerk": testing.member(company, [Role.SALES], username="xiaowang"),
    }


def test_a_search_saved_on_the_orders_list_applies_its_filter_and_is_deleted(
    shop: dict[str, Any],
) -> None:
    # given
    confirmed: SalesOrder = shop["confirmed"]
    draft: SalesOrder = shop["draft"]
    client = signed_in(shop["clerk"])
    orders = reverse("sales_orders")
    # when: saved without JavaScript, from page 2 of the confirmed orders
    saved = client.post(
        reverse(SAVE),
        {
            "page_key": "sales_orders",
            "search_name": "已确认订单",
            "query": "state=confirmed&page=2",
        },
    )
    # then: back on the list with the filter (page dropped), the link shown
    assert saved.status_code == 302
    assert saved["Location"] == f"{orders}?state=confirmed"
    body = text(client.get(orders))
    link = saved_link(body, "已确认订单")
    assert link == f"{orders}?state=confirmed"
    # when: the link is followed
    filtered = text(client.get(link))
    # then: the confirmed order only
    assert f'data-row="{confirmed.pk}"' in filtered
    assert f'data-row="{draft.pk}"' not in filtered
    # when: deleted with its ×
    search = SavedSearch.objects.get(name="已确认订单")
    delete_url = reverse("saved_search_delete", args=[search.pk])
    assert f'action="{delete_url}"' in body
    deleted = client.post(delete_url, {"query": "state=confirmed"})
    # then
    assert deleted.status_code == 302
    assert deleted["Location"] == f"{orders}?state=confirmed"
    assert saved_link(text(client.get(orders)), "已确认订单") is None
    assert not SavedSearch.objects.exists()


def test_the_box_offers_the_current_filter_as_a_plain_form(
    shop: dict[str, Any],
) -> None:
    # when: the list opened on page 2 of a customer's orders
    body = text(
        signed_in(shop["clerk"]).get(
            reverse("sales_orders"), {"customer": "K002", "page": "2"}
        )
    )
    # then: a form posting the filter without the page number, and no browser storage
    assert f'action="{reverse(SAVE)}"' in body
    assert '<input type="hidden" name="query" value="customer=K002">' in body
    assert '<input type="hidden" name="page_key" value="sales_orders">' in body
    assert "Save current search" in body
    assert "localStorage" not in body


def test_htmx_saves_the_filter_forms_current_fields_and_returns_the_box(
    shop: dict[str, Any],
) -> None:
    # given: the filter form's fields sent along (hx-include), no query field
    client = signed_in(shop["clerk"])
    # when
    response = client.post(
        reverse(SAVE),
        {
            "page_key": "sales_orders",
            "search_name": "K002",
            "customer": "K002",
            "state": "",
            "csrfmiddlewaretoken": "x",
        },
        headers={
            **HTMX,
            "HX-Current-URL": "http://testserver/sales/orders/?customer=K002",
        },
    )
    # then: the box alone, with the new link
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith("<section")
    assert saved_link(body, "K002") == reverse("sales_orders") + "?customer=K002"
    assert SavedSearch.objects.get().query_string == "customer=K002"


def test_htmx_shows_a_refused_name_in_the_box_and_saves_nothing(
    shop: dict[str, Any],
) -> None:
    # when
    response = signed_in(shop["clerk"]).post(
        reverse(SAVE),
        {"page_key": "sales_orders", "search_name": "  ", "state": "draft"},
        headers=HTMX,
    )
    # then
    assert response.status_code == 200
    assert "Give the search a name." in text(response)
    assert not SavedSearch.objects.exists()


def test_a_refused_save_without_javascript_goes_back_with_a_message(
    shop: dict[str, Any],
) -> None:
    # when
    response = signed_in(shop["clerk"]).post(
        reverse(SAVE),
        {"page_key": "sales_orders", "search_name": "", "query": "state=draft"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [(reverse("sales_orders") + "?state=draft", 302)]
    assert "Give the search a name." in text(response)
    assert not SavedSearch.objects.exists()


def test_htmx_delete_returns_the_box_without_the_search(
    shop: dict[str, Any],
) -> None:
    # given
    client = signed_in(shop["clerk"])
    client.post(
        reverse(SAVE),
        {"page_key": "sales_orders", "search_name": "草稿", "query": "state=draft"},
    )
    search = SavedSearch.objects.get()
    # when
    response = client.post(
        reverse("saved_search_delete", args=[search.pk]), headers=HTMX
    )
    # then
    assert response.status_code == 200
    assert saved_link(text(response), "草稿") is None
    assert "None yet" in text(response)
    assert not SavedSearch.objects.exists()


def test_a_users_search_never_shows_for_another_user(shop: dict[str, Any]) -> None:
    # given: user A's search
    company: Company = shop["company"]
    user_a = signed_in(shop["clerk"])
    user_a.post(
        reverse(SAVE),
        {"page_key": "sales_orders", "search_name": "A 的查询", "query": "state=draft"},
    )
    search = SavedSearch.objects.get()
    user_b = signed_in(testing.member(company, [Role.SALES], username="xiaoli"))
    # when
    page_b = text(user_b.get(reverse("sales_orders")))
    delete_b = user_b.post(reverse("saved_search_delete", args=[search.pk]))
    # then: not shown to B, not deletable by B, still A's
    assert saved_link(page_b, "A 的查询") is None
    assert "A 的查询" not in page_b
    assert delete_b.status_code == 404
    assert saved_link(text(user_a.get(reverse("sales_orders"))), "A 的查询")


def test_each_sales_list_keeps_its_own_searches(shop: dict[str, Any]) -> None:
    # given
    client = signed_in(shop["clerk"])
    client.post(
        reverse(SAVE),
        {"page_key": "sales_orders", "search_name": "订单查询", "query": "q=SO"},
        follow=True,
    )
    # when
    quotations = text(client.get(reverse("sales_quotations")))
    # then
    assert 'name="page_key" value="sales_quotations"' in quotations
    assert "订单查询" not in quotations


def test_the_customer_list_keeps_saved_searches(shop: dict[str, Any]) -> None:
    # given: K003 deactivated, K001 active
    company: Company = shop["company"]
    owner = testing.owner_of(company)
    k003 = partners_testing.make_customer(company, "K003")
    partner_services.set_customer_active(customer=k003, actor=owner, active=False)
    client = signed_in(owner)
    customers = reverse("partners_customers")
    # when
    saved = client.post(
        reverse(SAVE),
        {
            "page_key": "partners_customers",
            "search_name": "停用客户",
            "query": "status=inactive&page=1",
        },
    )
    body = text(client.get(customers))
    link = saved_link(body, "停用客户")
    # then
    assert saved.status_code == 302
    assert link == f"{customers}?status=inactive"
    assert "data-filter" in body
    filtered = text(client.get(link))
    assert f'id="customer-{k003.pk}"' in filtered
    assert f'id="customer-{shop["confirmed"].customer_id}"' not in filtered


def test_an_unknown_page_or_a_page_not_permitted_is_refused(
    shop: dict[str, Any],
) -> None:
    # given
    company: Company = shop["company"]
    hr = signed_in(testing.member(company, [Role.HR], username="renshi"))
    clerk = signed_in(shop["clerk"])
    # when
    unknown = clerk.post(
        reverse(SAVE), {"page_key": "ledger_vouchers", "search_name": "x"}
    )
    forbidden = hr.post(reverse(SAVE), {"page_key": "sales_orders", "search_name": "x"})
    # then
    assert unknown.status_code == 404
    assert forbidden.status_code == 403
    assert not SavedSearch.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_a_search_is_saved_applied_and_deleted_on_a_phone(
    page: Any,  # noqa: F811 - the fixture imported above
    live_server: Any,
    shop: dict[str, Any],
) -> None:
    """htmx: the filter changes the address, the save sends the filter form's
    current fields and swaps the box; both lists fit a 390 px phone."""
    from playwright.sync_api import expect

    # given: the clerk on the orders list, on a phone
    base = live_server.url
    confirmed: SalesOrder = shop["confirmed"]
    draft: SalesOrder = shop["draft"]
    sign_in(page, base, shop["clerk"])
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/sales/orders/")
    # when: filtered on the confirmed state (htmx, the address follows)
    page.select_option("form[data-filter] select[name=state]", "confirmed")
    page.wait_for_url(re.compile(r"state=confirmed"))
    expect(page.locator(f'[data-row="{draft.pk}"]')).to_have_count(0)
    # and: the search saved under a name
    page.fill("[data-save-search] input[name=search_name]", "已确认")
    page.click("[data-save-search] button[type=submit]")
    link = page.locator("[data-saved-searches] a.tag", has_text="已确认")
    expect(link).to_have_attribute("href", "/sales/orders/?state=confirmed")
    assert fits_the_phone(page)
    shoot(page, "saved-searches-orders-390")
    # when: the list reset, then the saved search applied
    page.goto(f"{base}/sales/orders/")
    expect(page.locator(f'[data-row="{draft.pk}"]')).to_have_count(1)
    page.locator("[data-saved-searches] a.tag", has_text="已确认").click()
    page.wait_for_url(re.compile(r"state=confirmed"))
    # then: the confirmed order only
    expect(page.locator(f'[data-row="{confirmed.pk}"]')).to_have_count(1)
    expect(page.locator(f'[data-row="{draft.pk}"]')).to_have_count(0)
    # when: deleted with its ×
    page.click("[data-saved-search] button[type=submit]")
    # then
    expect(page.locator("[data-saved-searches] a.tag")).to_have_count(0)
    assert not SavedSearch.objects.exists()
    # and: the customer list offers the box and fits the phone too
    sign_out(page, base)
    sign_in(page, base, testing.owner_of(shop["company"]))
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/partners/customers/")
    expect(page.locator("[data-save-search]")).to_be_visible()
    assert fits_the_phone(page)
    shoot(page, "saved-searches-customers-390")
