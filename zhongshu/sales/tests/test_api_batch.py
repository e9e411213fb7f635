"""The batch actions of the sales API: many orders created, confirmed,
delivered and invoiced, and many receipts, in one request each — by the roles
that do each step, all or nothing, another company's ids not found.

Figures (13 % VAT, prices include VAT; A costs 10.00): order 1 of K, A 10 ×
22.60 = 226.00; order 2 of L, A 5 × 11.30 = 56.50. Invoiced on their
delivery dates, then K pays 300.00 (226.00 settled, 74.00 an advance) and L
pays 50.00 (6.50 stays open)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhongshu.catalog.models import Product
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory.models import StockBalance
from zhongshu.partners import testing as partners_testing
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    Receipt,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
)
from zhongshu.sales.tests.test_api import ApiClient, as_token, error_of

pytestmark = pytest.mark.django_db

D = Decimal

ORDERS = {
    "orders": [
        {
            "customer": "K",
            "date": "2026-03-02",
            "lines": [{"product": "A", "quantity": "10", "unit_price": "22.60"}],
        },
        {
            "customer": "L",
            "date": "2026-03-03",
            "lines": [{"product": "A", "quantity": "5", "unit_price": "11.30"}],
        },
    ]
}


@pytest.fixture
def company() -> Company:
    company = sales_testing.sales_company("BATCH", revenue_recognition="invoice")
    sales_testing.stocked_product(company, "A", quantity="100", unit_cost="10")
    partners_testing.make_customer(company, "K", payment_terms_days=30)
    partners_testing.make_customer(company, "L", payment_terms_days=30)
    return company


def client(company: Company, role: str) -> ApiClient:
    return as_token(core_testing.member(company, [role]), company)


def test_orders_go_to_cash_in_batches_by_the_roles_that_do_each_step(
    company: Company,
) -> None:
    sales, keeper = client(company, Role.SALES), client(company, Role.WAREHOUSE)
    accountant, cashier = (
        client(company, Role.ACCOUNTANT),
        client(company, Role.CASHIER),
    )

    # when
    drafts = sales.post("/batch/orders", ORDERS)
    ids = [row["id"] for row in drafts.json()]
    confirmed = sales.post("/batch/orders/confirm", {"order_ids": ids})
    delivered = keeper.post("/batch/orders/deliver", {"order_ids": ids})
    delivery_ids = [row["id"] for row in delivered.json()]
    invoiced = accountant.post(
        "/batch/deliveries/invoice", {"delivery_ids": delivery_ids}
    )
    paid = cashier.post(
        "/batch/receipts",
        {
            "receipts": [
                {"customer": "K", "date": "2026-03-20", "amount": "300.00"},
                {"customer": "L", "date": "2026-03-21", "amount": "50.00"},
            ]
        },
    )

    # then
    assert drafts.status_code == 201, drafts.content
    assert [row["total"] for row in drafts.json()] == ["226.00", "56.50"]
    assert confirmed.status_code == 200, confirmed.content
    assert [row["number"] for row in confirmed.json()] == [
        "XSDD-2026-00001",
        "XSDD-2026-00002",
    ]
    assert delivered.status_code == 201, delivered.content
    assert [(r["number"], r["date"]) for r in delivered.json()] == [
        ("XSCK-2026-00001", "2026-03-02"),
        ("XSCK-2026-00002", "2026-03-03"),
    ]
    assert invoiced.status_code == 201, invoiced.content
    assert [(r["number"], r["total"]) for r in invoiced.json()] == [
        ("XSFP-2026-00001", "226.00"),
        ("XSFP-2026-00002", "56.50"),
    ]
    assert paid.status_code == 201, paid.content
    assert [(r["number"], r["unallocated"]) for r in paid.json()] == [
        ("SK-2026-00001", "74.00"),
        ("SK-2026-00002", "0.00"),
    ]
    open_items = dict(
        ReceivableItem.objects.filter(company=company).values_list(
            "customer__code", "open_amount"
        )
    )
    assert open_items == {"K": D("0.00"), "L": D("6.50")}
    assert StockBalance.objects.get(company=company).on_hand == D(85)


def test_each_batch_action_belongs_to_its_role(company: Company) -> None:
    sales, keeper = client(company, Role.SALES), client(company, Role.WAREHOUSE)
    ids = [row["id"] for row in sales.post("/batch/orders", ORDERS).json()]
    # a keeper may not confirm, a seller may not deliver, invoice or receive
    assert keeper.post("/batch/orders/confirm", {"order_ids": ids}).status_code == 403
    sales.post("/batch/orders/confirm", {"order_ids": ids})
    assert sales.post("/batch/orders/deliver", {"order_ids": ids}).status_code == 403
    assert (
        sales.post("/batch/deliveries/invoice", {"delivery_ids": [1]}).status_code
        == 403
    )
    receipts = {"receipts": [{"customer": "K", "amount": "1"}]}
    assert sales.post("/batch/receipts", receipts).status_code == 403
    assert not Delivery.objects.filter(company=company).exists()


def test_another_companys_order_fails_the_whole_batch(company: Company) -> None:
    # given an order of another company
    other = sales_testing.sales_company("OTHER")
    sales_testing.stocked_product(other, "A", quantity="10", unit_cost="10")
    stranger = partners_testing.make_customer(other, "K")
    foreign = sales_testing.confirmed_order(
        other, stranger, [(other_a(other), "1", "5")]
    )
    sales = client(company, Role.SALES)
    ids = [row["id"] for row in sales.post("/batch/orders", ORDERS).json()]

    # when
    response = sales.post("/batch/orders/confirm", {"order_ids": [ids[0], foreign.pk]})

    # then: 404, and nothing of the batch is confirmed
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert set(
        SalesOrder.objects.filter(company=company).values_list("state", flat=True)
    ) == {"draft"}


def other_a(company: Company) -> Product:
    return Product.objects.get(company=company, code="A")


def test_a_bad_order_names_itself_and_nothing_is_created(company: Company) -> None:
    sales = client(company, Role.SALES)
    body = {"orders": [ORDERS["orders"][0], {**ORDERS["orders"][1], "customer": "X"}]}

    response = sales.post("/batch/orders", body)

    assert response.status_code == 422
    error = error_of(response)
    assert error["fields"] == {"orders.1.customer": ["There is no customer X."]}
    assert error["message"] == "Order 2: There is no customer X."
    assert not SalesOrder.objects.filter(company=company).exists()


def test_more_than_five_hundred_documents_are_refused(company: Company) -> None:
    sales = client(company, Role.SALES)
    response = sales.post("/batch/orders/confirm", {"order_ids": list(range(1, 502))})
    assert response.status_code == 422


def test_a_retried_batch_delivery_happens_once(company: Company) -> None:
    sales, keeper = client(company, Role.SALES), client(company, Role.WAREHOUSE)
    ids = [row["id"] for row in sales.post("/batch/orders", ORDERS).json()]
    sales.post("/batch/orders/confirm", {"order_ids": ids})

    answers = [
        keeper.post(
            "/batch/orders/deliver", {"order_ids": ids}, HTTP_IDEMPOTENCY_KEY="b-1"
        )
        for _ in range(2)
    ]

    assert answers[0].status_code == 201
    assert (answers[1].status_code, answers[1].json()) == (201, answers[0].json())
    assert Delivery.objects.filter(company=company).count() == 2
    assert not SalesInvoice.objects.filter(company=company).exists()
    assert not Receipt.objects.filter(company=company).exists()
