"""The sales API: the order-to-cash flow by codes, who may do what, another
company's ids, the error bodies of bad requests and Idempotency-Key retries.

Figures (13 % VAT, prices include VAT; A costs 10.00 in WH1): order A 10 ×
22.60 = 226.00 (VAT 26.00). Delivery of 6 = 6/10 × 226.00 = 135.60 (VAT
15.60), cost 60.00. Return of 2 = 2/6 × 135.60 = 45.20 (VAT 5.20), cost
20.00; its credit leaves the delivery's item 135.60 − 45.20 = 90.40 open.
Receipt 100.00 allocating 90.40: 9.60 is an advance."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from zhongshu.catalog.models import Product
from zhongshu.catalog.services.products import deactivate_product
from zhongshu.core import services as core_services
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory.models import StockBalance
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    Receipt,
    ReceivableItem,
    SalesOrder,
    SalesSettings,
)

pytestmark = pytest.mark.django_db

D = Decimal
BASE = "/sales"


class ApiClient:
    """JSON calls to /api/v1 with a personal token (the api app's own test
    client sits above sales's layer)."""

    def __init__(self, key: str) -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def request(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        return self.client.generic(
            method,
            f"/api/v1{BASE}{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self.request("POST", path, {} if body is None else body, **headers)

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, body)


def as_token(user: User, company: Company) -> ApiClient:
    _token, key = core_services.issue_api_token(
        company=company, user=user, name=f"tests-{user.pk}"
    )
    return ApiClient(key)


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body


@pytest.fixture
def company() -> Company:
    company = sales_testing.sales_company("API")
    sales_testing.stocked_product(company, "A", quantity="100", unit_cost="10")
    partners_testing.make_customer(company, "K", payment_terms_days=30)
    return company


@pytest.fixture
def sales(company: Company) -> ApiClient:
    return as_token(sales_testing.seller(company), company)


@pytest.fixture
def warehouse(company: Company) -> ApiClient:
    return as_token(core_testing.member(company, [Role.WAREHOUSE]), company)


@pytest.fixture
def cashier(company: Company) -> ApiClient:
    return as_token(core_testing.member(company, [Role.CASHIER]), company)


@pytest.fixture
def boss(company: Company) -> ApiClient:
    return as_token(core_testing.owner_of(company), company)


ORDER = {
    "customer": "K",
    "date": "2026-03-02",
    "lines": [{"product": "A", "quantity": "10", "unit_price": "22.60"}],
}


def confirmed(sales: ApiClient, body: dict[str, Any] | None = None) -> dict[str, Any]:
    created = sales.post("/orders", body or ORDER)
    assert created.status_code == 201, created.content
    response = sales.post(f"/orders/{created.json()['id']}/confirm", {})
    assert response.status_code == 200, response.content
    result: dict[str, Any] = response.json()
    return result


# --- the flow ------------------------------------------------------------------------


def test_order_to_cash_over_the_api(
    company: Company,
    sales: ApiClient,
    warehouse: ApiClient,
    cashier: ApiClient,
) -> None:
    # when sales creates the order by codes and confirms it
    created = sales.post("/orders", ORDER)
    order_id = created.json()["id"]
    confirmed_ = sales.post(f"/orders/{order_id}/confirm", {})
    # and the warehouse delivers 6 of 10, then takes 2 back
    delivery = warehouse.post(
        f"/orders/{order_id}/deliver",
        {"date": "2026-03-03", "lines": [{"line_no": 1, "quantity": "6"}]},
    )
    back = warehouse.post(
        f"/deliveries/{delivery.json()['id']}/return",
        {"date": "2026-03-05", "lines": [{"line_no": 1, "quantity": "2"}]},
    )
    item = ReceivableItem.objects.get(company=company, kind="delivery")
    # and the cashier receives 100.00, allocating 90.40 to the delivery
    receipt = cashier.post(
        "/receipts",
        {
            "customer": "K",
            "date": "2026-03-08",
            "amount": "100",
            "allocations": [{"item_id": item.pk, "amount": "90.40"}],
        },
    )
    settlement_id = receipt.json()["settlements"][0]["id"]
    item.refresh_from_db()
    open_after_receipt = item.open_amount
    undone = cashier.post(f"/settlements/{settlement_id}/undo")
    flow = sales.get(f"/orders/{order_id}/flow")
    listed = cashier.get("/items?customer=K&open=true")

    # then
    assert created.status_code == 201
    assert (created.json()["state"], created.json()["number"]) == ("draft", "")
    assert created.json()["total"] == "226.00"
    assert confirmed_.json()["state"] == "confirmed"
    assert confirmed_.json()["number"].startswith("XSDD-2026-")
    assert delivery.status_code == 201
    assert (delivery.json()["total"], delivery.json()["cost_total"]) == (
        "135.60",
        "60.00",
    )
    assert back.status_code == 201
    assert (back.json()["total"], back.json()["tax_total"]) == ("45.20", "5.20")
    assert receipt.status_code == 201
    assert receipt.json()["unallocated"] == "9.60"
    assert open_after_receipt == 0
    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    item.refresh_from_db()
    assert item.open_amount == D("90.40")
    assert Receipt.objects.get().unallocated == D("100.00")
    # 1122: 135.60 − 45.20 − 90.40 + 90.40 (undone) = 90.40;
    # 2203: −9.60 − 90.40 (the undone part became an advance) = −100.00
    assert sales_testing.balance(company, "1122") == D("90.40")
    assert sales_testing.balance(company, "2203") == D("-100.00")
    # 4 of A are still promised to the order
    assert StockBalance.objects.get(product__code="A").reserved == D(4)
    kinds = [node["kind"] for node in flow.json()]
    assert kinds == [
        "sales.order",
        "sales.delivery",
        "sales.return",
        "sales.item",
        "sales.item",
        "sales.settlement",
        "sales.settlement",
        "sales.receipt",
    ]
    assert len(flow.json()[1]["vouchers"]) == 2
    assert [(i["number"], i["open_amount"]) for i in listed.json()["items"]] == [
        (delivery.json()["number"], "90.40")
    ]


def test_documents_are_listed_filtered_and_read(
    company: Company, sales: ApiClient, warehouse: ApiClient
) -> None:
    # given two orders, one delivered in full
    first = confirmed(sales)
    second = confirmed(sales, {**ORDER, "date": "2026-03-04"})
    warehouse.post(f"/orders/{first['id']}/deliver", {"lines": []})

    # when
    everything = sales.get("/orders")
    done = sales.get("/orders?state=done")
    by_number = sales.get(f"/orders?q={second['number']}")
    one = sales.get(f"/orders/{first['id']}")
    deliveries = warehouse.get("/deliveries?warehouse=WH1")
    unknown = sales.get("/orders?customer=NOPE")

    # then
    assert [o["id"] for o in everything.json()["items"]] == [second["id"], first["id"]]
    assert [o["id"] for o in done.json()["items"]] == [first["id"]]
    assert [o["id"] for o in by_number.json()["items"]] == [second["id"]]
    assert one.json()["lines"][0]["delivered_quantity"] == "10.0000"
    assert one.json()["lines"][0]["warehouse"] == "WH1"
    assert deliveries.json()["count"] == 1
    assert deliveries.json()["items"][0]["total"] == "226.00"
    assert unknown.status_code == 422
    assert set(error_of(unknown)["fields"]) == {"customer"}


def test_a_quotation_becomes_an_order(sales: ApiClient) -> None:
    # when
    quotation = sales.post(
        "/quotations",
        {**ORDER, "valid_until": "2026-03-31"},
    )
    changed = sales.put(
        f"/quotations/{quotation.json()['id']}",
        {
            **ORDER,
            "lines": [{"product": "A", "quantity": "5", "unit_price": "22.60"}],
        },
    )
    order = sales.post(
        f"/quotations/{quotation.json()['id']}/order", {"date": "2026-03-05"}
    )
    again = sales.post(f"/quotations/{quotation.json()['id']}/order", {})
    read = sales.get(f"/quotations/{quotation.json()['id']}")

    # then 5 × 22.60 = 113.00
    assert quotation.status_code == 201
    assert quotation.json()["number"].startswith("BJ-2026-")
    assert changed.json()["total"] == "113.00"
    assert order.status_code == 201
    assert (order.json()["total"], order.json()["state"]) == ("113.00", "draft")
    assert order.json()["quotation_id"] == quotation.json()["id"]
    assert again.status_code == 409
    assert read.json()["state"] == "accepted"


def test_an_advance_is_applied_and_a_small_difference_written_off(
    company: Company, sales: ApiClient, warehouse: ApiClient, cashier: ApiClient
) -> None:
    # given an advance of 220.00, then a delivery of 226.00
    advance = cashier.post(
        "/receipts",
        {"customer": "K", "date": "2026-03-01", "amount": "220", "allocations": []},
    )
    order = confirmed(sales)
    delivery = warehouse.post(
        f"/orders/{order['id']}/deliver", {"date": "2026-03-03", "lines": []}
    )

    # when the advance is applied (oldest first) and 6.00 is written off
    applied = cashier.post(
        f"/receipts/{advance.json()['id']}/apply",
        {"date": "2026-03-04", "allocations": None},
    )
    item = ReceivableItem.objects.get(company=company, source_id=delivery.json()["id"])
    written = cashier.post(f"/items/{item.pk}/write-off", {"date": "2026-03-04"})

    # then 226.00 − 220.00 = 6.00, within the tolerance of 10.00
    assert advance.json()["unallocated"] == "220.00"
    assert applied.status_code == 200, applied.content
    assert applied.json()["unallocated"] == "0.00"
    assert written.status_code == 201
    assert (written.json()["kind"], written.json()["amount"]) == ("difference", "6.00")
    item.refresh_from_db()
    assert item.open_amount == 0
    assert sales_testing.balance(company, "1122") == 0


def test_an_invoice_bills_deliveries_under_on_invoice_recognition(
    sales: ApiClient, warehouse: ApiClient, company: Company
) -> None:
    # given on-invoice recognition and a delivery of everything
    SalesSettings.objects.filter(company=company).update(revenue_recognition="invoice")
    accountant = as_token(core_testing.member(company, [Role.ACCOUNTANT]), company)
    order = confirmed(sales)
    delivery = warehouse.post(
        f"/orders/{order['id']}/deliver", {"date": "2026-03-03", "lines": []}
    )
    waiting = accountant.get("/deliveries?state=to_invoice")

    # when
    invoice = accountant.post(
        "/invoices", {"date": "2026-03-10", "delivery_ids": [delivery.json()["id"]]}
    )

    # then revenue 226.00 is billed once
    assert waiting.json()["count"] == 1
    assert invoice.status_code == 201, invoice.content
    assert invoice.json()["total"] == "226.00"
    assert invoice.json()["delivery_ids"] == [delivery.json()["id"]]
    assert accountant.get("/deliveries?state=to_invoice").json()["count"] == 0


# --- permissions ---------------------------------------------------------------------


def test_each_role_does_its_part_only(
    company: Company,
    sales: ApiClient,
    warehouse: ApiClient,
    cashier: ApiClient,
) -> None:
    # given a draft order
    order_id = sales.post("/orders", ORDER).json()["id"]

    # when others try sales's work, and sales the others'
    cashier_confirms = cashier.post(f"/orders/{order_id}/confirm", {})
    warehouse_creates = warehouse.post("/orders", ORDER)
    confirmed_ = sales.post(f"/orders/{order_id}/confirm", {})
    sales_delivers = sales.post(f"/orders/{order_id}/deliver", {"lines": []})
    cashier_delivers = cashier.post(f"/orders/{order_id}/deliver", {"lines": []})
    warehouse_receives = warehouse.post(
        "/receipts", {"customer": "K", "amount": "10", "allocations": None}
    )
    sales_invoices = sales.post("/invoices", {"delivery_ids": [1]})

    # then
    for refused in (
        cashier_confirms,
        warehouse_creates,
        sales_delivers,
        cashier_delivers,
        warehouse_receives,
        sales_invoices,
    ):
        assert refused.status_code == 403, refused.content
        assert error_of(refused)["code"] == "permission_denied"
    assert confirmed_.status_code == 200
    assert cashier.get(f"/orders/{order_id}").status_code == 200
    assert not Delivery.objects.exists()
    assert not Receipt.objects.exists()


def test_another_companys_documents_are_not_found(
    company: Company, sales: ApiClient, boss: ApiClient
) -> None:
    # given an order, a delivery and an open item of another company
    other = sales_testing.sales_company("THEIRS")
    product = sales_testing.stocked_product(other, "A")
    customer = partners_testing.make_customer(other, "K")
    order = sales_testing.confirmed_order(other, customer, [(product, "2", "10")])
    delivery = services.deliver(order=order, actor=None, date=sales_testing.DAY)
    item = ReceivableItem.objects.get(company=other)
    own_order = confirmed(sales)

    # when A's boss names them
    responses = [
        boss.get(f"/orders/{order.pk}"),
        boss.get(f"/orders/{order.pk}/flow"),
        boss.post(f"/orders/{order.pk}/confirm", {}),
        boss.post(f"/orders/{order.pk}/deliver", {"lines": []}),
        boss.get(f"/deliveries/{delivery.pk}"),
        boss.post(
            f"/deliveries/{delivery.pk}/return",
            {"lines": [{"line_no": 1, "quantity": "1"}]},
        ),
        boss.post(f"/items/{item.pk}/write-off", {}),
        boss.post(
            f"/orders/{own_order['id']}/deliver",
            {"lines": [{"order_line_id": order.lines.get().pk, "quantity": "1"}]},
        ),
        boss.post(
            "/receipts",
            {
                "customer": "K",
                "amount": "10",
                "allocations": [{"item_id": item.pk, "amount": "1"}],
            },
        ),
        boss.post("/invoices", {"delivery_ids": [delivery.pk]}),
    ]

    # then
    for response in responses:
        assert response.status_code == 404, response.content
        assert error_of(response)["code"] == "not_found"
    assert Delivery.objects.filter(company=company).count() == 0
    assert Receipt.objects.count() == 0


# --- bad input ----------------------------------------------------------------------


def test_delivering_more_than_ordered_is_refused_on_the_line(
    sales: ApiClient, warehouse: ApiClient
) -> None:
    # given
    order = confirmed(sales)

    # when
    response = warehouse.post(
        f"/orders/{order['id']}/deliver",
        {"lines": [{"line_no": 1, "quantity": "11"}]},
    )
    no_line = warehouse.post(
        f"/orders/{order['id']}/deliver",
        {"lines": [{"line_no": 2, "quantity": "1"}]},
    )

    # then
    assert response.status_code == 422
    body = error_of(response)
    assert list(body["fields"]) == ["lines.0.quantity"]
    assert "only 10 left to deliver" in body["fields"]["lines.0.quantity"][0]
    assert list(error_of(no_line)["fields"]) == ["lines.0.line_no"]
    assert not Delivery.objects.exists()


def test_allocating_beyond_the_open_amount_is_refused(
    company: Company, sales: ApiClient, warehouse: ApiClient, cashier: ApiClient
) -> None:
    # given a delivery of 226.00
    order = confirmed(sales)
    warehouse.post(f"/orders/{order['id']}/deliver", {"lines": []})
    item = ReceivableItem.objects.get(company=company)

    # when 230.00 of it is to be settled
    response = cashier.post(
        "/receipts",
        {
            "customer": "K",
            "amount": "300",
            "allocations": [{"item_id": item.pk, "amount": "230"}],
        },
    )
    by_number = cashier.post(
        "/receipts",
        {
            "customer": "K",
            "amount": "300",
            "allocations": [{"number": "NOPE", "amount": "1"}],
        },
    )

    # then
    assert response.status_code == 422
    body = error_of(response)
    assert list(body["fields"]) == ["allocations.0.amount"]
    assert "only 226.00 open" in body["fields"]["allocations.0.amount"][0]
    assert list(error_of(by_number)["fields"]) == ["allocations.0.number"]
    assert not Receipt.objects.exists()


def test_a_disabled_product_cannot_be_confirmed(
    company: Company, sales: ApiClient
) -> None:
    # given a draft order whose product is disabled afterwards
    order_id = sales.post("/orders", ORDER).json()["id"]
    deactivate_product(
        product=Product.objects.get(company=company, code="A"),
        actor=core_testing.owner_of(company),
    )

    # when
    response = sales.post(f"/orders/{order_id}/confirm", {})

    # then
    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["lines.0.product"]
    assert SalesOrder.objects.get().state == "draft"


def test_unknown_codes_and_malformed_bodies_name_their_fields(
    sales: ApiClient,
) -> None:
    # when
    no_customer = sales.post("/orders", {**ORDER, "customer": "NOPE"})
    no_product = sales.post(
        "/orders",
        {**ORDER, "lines": [{"product": "NOPE", "quantity": "1"}]},
    )
    no_quantity = sales.post("/orders", {**ORDER, "lines": [{"product": "A"}]})

    # then
    assert no_customer.status_code == 422
    assert list(error_of(no_customer)["fields"]) == ["customer"]
    assert "There is no customer NOPE." in no_customer.json()["message"]
    assert list(error_of(no_product)["fields"]) == ["lines.0.product"]
    assert no_quantity.status_code == 422
    assert "lines.0.quantity" in error_of(no_quantity)["fields"]
    assert not SalesOrder.objects.exists()


def test_beyond_the_credit_limit_is_a_conflict_unless_a_manager_overrides(
    company: Company, sales: ApiClient, boss: ApiClient
) -> None:
    # given a customer with 100.00 of credit and an order of 226.00
    partners_testing.make_customer(company, "TIGHT", credit_limit=D("100"))
    order_id = sales.post("/orders", {**ORDER, "customer": "TIGHT"}).json()["id"]

    # when
    plain = sales.post(f"/orders/{order_id}/confirm", {})
    reasoned = sales.post(f"/orders/{order_id}/confirm", {"override_reason": "老客户"})
    overridden = boss.post(
        f"/orders/{order_id}/confirm", {"override_reason": "老客户，月底结清"}
    )

    # then
    assert plain.status_code == 409
    assert set(error_of(plain)["fields"]) == {"credit"}
    assert "226.00 against a credit limit of 100.00" in plain.json()["message"]
    assert reasoned.status_code == 409
    assert "Only a manager" in error_of(reasoned)["message"]
    assert overridden.status_code == 200
    assert overridden.json()["credit_override_reason"] == "老客户，月底结清"


# --- retries -------------------------------------------------------------------------


def test_a_retried_confirm_deliver_and_receipt_happen_once(
    company: Company, sales: ApiClient, warehouse: ApiClient, cashier: ApiClient
) -> None:
    # given
    order_id = sales.post("/orders", ORDER).json()["id"]
    receipt = {"customer": "K", "amount": "50", "allocations": None}

    # when each is sent twice with its key
    confirms = [
        sales.post(f"/orders/{order_id}/confirm", {}, HTTP_IDEMPOTENCY_KEY="c-1")
        for _ in range(2)
    ]
    delivers = [
        warehouse.post(
            f"/orders/{order_id}/deliver",
            {"lines": [{"line_no": 1, "quantity": "3"}]},
            HTTP_IDEMPOTENCY_KEY="d-1",
        )
        for _ in range(2)
    ]
    receipts = [
        cashier.post("/receipts", receipt, HTTP_IDEMPOTENCY_KEY="r-1") for _ in range(2)
    ]

    # then the second answer repeats the first, and one of each exists
    for first, second in (confirms, delivers, receipts):
        assert first.status_code in (200, 201)
        assert (second.status_code, second.json()) == (
            first.status_code,
            first.json(),
        )
    assert Delivery.objects.filter(company=company).count() == 1
    assert Receipt.objects.filter(company=company).count() == 1
    # 3 of 10 delivered: 7 still reserved
    assert StockBalance.objects.get(product__code="A").reserved == D(7)
    assert Customer.objects.filter(company=company).count() == 1
