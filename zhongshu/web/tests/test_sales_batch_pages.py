"""Batch actions on the sales lists: a salesperson ticks draft orders and
confirms them, a keeper delivers them, an accountant invoices the deliveries
— each offered only to the role that may do it, all or nothing, another
company's rows not found, and the list comes back with its filters.

Figures (13 % VAT, prices include VAT): two orders of K001, cup 10 × 22.60
= 226.00 and cup 5 × 22.60 = 113.00; cup costs 10.00, 100 on hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from zhongshu.core import clock
from zhongshu.core.models import Role
from zhongshu.inventory.models import StockBalance
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import Delivery, DocumentState, SalesInvoice, SalesOrder
from zhongshu.web.tests.test_sales_pages import as_member

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop() -> dict[str, Any]:
    company = sales_testing.sales_company("SHOP", revenue_recognition="invoice")
    cup = sales_testing.stocked_product(company, "CUP", quantity="100", unit_cost="10")
    customer = partners_testing.make_customer(company, "K001", payment_terms_days=30)
    day = clock.today() - datetime.timedelta(days=1)
    drafts = [
        services.create_order(
            company=company,
            actor=None,
            data=services.OrderData(
                customer=customer,
                date=day,
                lines=[
                    services.LineData(
                        product=cup, quantity=D(quantity), unit_price=D("22.60")
                    )
                ],
            ),
        )
        for quantity in ("10", "5")
    ]
    return {"company": company, "drafts": drafts}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _tick(rows: list[Any], **fields: str) -> dict[str, Any]:
    return {"ids": [str(row.pk) for row in rows], **fields}


def test_ticked_orders_are_confirmed_delivered_and_invoiced(
    shop: dict[str, Any],
) -> None:
    company, drafts = shop["company"], shop["drafts"]
    seller = as_member(company, Role.SALES)
    keeper = as_member(company, Role.WAREHOUSE)
    accountant = as_member(company, Role.ACCOUNTANT)
    back = reverse("sales_orders") + "?state=draft"

    # when
    confirmed = seller.post(
        reverse("sales_order_batch"), _tick(drafts, action="confirm", next=back)
    )
    delivered = keeper.post(
        reverse("sales_order_batch"), _tick(drafts, action="deliver")
    )
    deliveries = list(Delivery.objects.filter(company=company).order_by("pk"))
    invoiced = accountant.post(reverse("sales_delivery_batch"), _tick(deliveries))

    # then
    assert confirmed.status_code == 302
    assert confirmed["Location"] == back
    assert _messages(confirmed) == [
        "2 orders confirmed: XSDD-2026-00001 … XSDD-2026-00002."
    ]
    assert _messages(delivered) == [
        "2 orders delivered: XSCK-2026-00001 … XSCK-2026-00002."
    ]
    assert delivered["Location"] == reverse("sales_orders")
    assert _messages(invoiced) == [
        "2 invoices made: XSFP-2026-00001 … XSFP-2026-00002."
    ]
    assert invoiced["Location"] == reverse("sales_deliveries")
    assert {o.state for o in SalesOrder.objects.filter(company=company)} == {
        DocumentState.DONE
    }
    assert [d.date for d in deliveries] == [clock.today()] * 2
    assert list(
        SalesInvoice.objects.filter(company=company)
        .order_by("number")
        .values_list("total", flat=True)
    ) == [D("226.00"), D("113.00")]
    assert StockBalance.objects.get(company=company).on_hand == D(85)


def test_each_list_offers_the_actions_of_its_reader(shop: dict[str, Any]) -> None:
    company = shop["company"]
    seller = as_member(company, Role.SALES).get(reverse("sales_orders"))
    keeper = as_member(company, Role.WAREHOUSE).get(reverse("sales_orders"))
    auditor = as_member(company, Role.AUDITOR).get(reverse("sales_orders"))

    assert b'data-batch-action="confirm"' in seller.content
    assert b'data-batch-action="deliver"' not in seller.content
    assert b'name="ids"' in seller.content
    assert b'data-batch-action="deliver"' in keeper.content
    assert b'data-batch-action="confirm"' not in keeper.content
    # who may do none of them sees no boxes to tick
    assert auditor.status_code == 200
    assert b'name="ids"' not in auditor.content


def test_a_role_without_the_permission_is_refused(shop: dict[str, Any]) -> None:
    company, drafts = shop["company"], shop["drafts"]
    keeper = as_member(company, Role.WAREHOUSE)

    response = keeper.post(
        reverse("sales_order_batch"), _tick(drafts, action="confirm")
    )

    assert response.status_code == 403
    assert set(SalesOrder.objects.values_list("state", flat=True)) == {"draft"}


def test_a_refused_batch_says_which_order_and_changes_nothing(
    shop: dict[str, Any],
) -> None:
    # given: the second order would take the customer past its credit limit
    company, drafts = shop["company"], shop["drafts"]
    Customer.objects.filter(code="K001").update(credit_limit=D("300"))
    seller = as_member(company, Role.SALES)

    # when
    response = seller.post(
        reverse("sales_order_batch"), _tick(drafts, action="confirm")
    )

    # then
    assert response.status_code == 302
    [message] = _messages(response)
    assert message.startswith("Order 2: Customer K001 would owe 339.00")
    assert set(SalesOrder.objects.values_list("state", "number")) == {("draft", "")}
    assert StockBalance.objects.get(company=company).reserved == 0


def test_another_companys_order_is_not_found(shop: dict[str, Any]) -> None:
    other = sales_testing.sales_company("OTHER")
    cup = sales_testing.stocked_product(other, "CUP", quantity="5", unit_cost="10")
    stranger = partners_testing.make_customer(other, "K001")
    foreign = sales_testing.confirmed_order(other, stranger, [(cup, "1", "5")])
    seller = as_member(shop["company"], Role.SALES)

    response = seller.post(
        reverse("sales_order_batch"),
        _tick([shop["drafts"][0], foreign], action="confirm"),
    )

    assert response.status_code == 404
    assert SalesOrder.objects.get(pk=shop["drafts"][0].pk).state == "draft"


def test_nothing_ticked_is_said_and_nothing_happens(shop: dict[str, Any]) -> None:
    seller = as_member(shop["company"], Role.SALES)

    response = seller.post(reverse("sales_order_batch"), {"action": "confirm"})

    assert _messages(response) == ["Tick the orders first."]
    assert set(SalesOrder.objects.values_list("state", flat=True)) == {"draft"}


def test_an_address_of_another_site_is_not_followed(shop: dict[str, Any]) -> None:
    seller = as_member(shop["company"], Role.SALES)

    response = seller.post(
        reverse("sales_order_batch"),
        _tick(shop["drafts"], action="confirm", next="https://evil.example/"),
    )

    assert response["Location"] == reverse("sales_orders")
