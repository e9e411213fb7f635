"""The purchasing API: procure to pay by ids and codes, requisitions and
approval, who may do what, another company's ids, the error bodies of bad
requests and Idempotency-Key retries.

Figures (13 % VAT, prices without VAT): order CUP 100 × 10.00 = 1,000.00 +
130.00 VAT. 60 arrive at the order price: 600.00 owed as an estimate (暂估).
The invoice bills them at 10.50, 5 % above the order (tolerance 1 %): 630.00
+ 81.90 VAT = 711.90, an exception until the buyer accepts the price. It is
paid with 701.90 from the bank and a 10.00 discount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as inventory_testing
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PayableItem,
    Payment,
    PurchaseOrder,
    PurchaseSettings,
    Requisition,
    SupplierInvoice,
)
from zhongshu.purchasing.tests.api_client import ApiClient, as_token, error_of

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def company() -> Company:
    company = purchasing_testing.purchasing_company("PAPI")
    inventory_testing.product(company, "CUP")
    return company


@pytest.fixture
def vendor(company: Company) -> Supplier:
    return purchasing_testing.supplier(company, "V1", payment_terms_days=30)


@pytest.fixture
def buyer(company: Company) -> ApiClient:
    return as_token(purchasing_testing.buyer(company), company)


@pytest.fixture
def keeper(company: Company) -> ApiClient:
    return as_token(core_testing.member(company, [Role.WAREHOUSE]), company)


@pytest.fixture
def cashier(company: Company) -> ApiClient:
    return as_token(core_testing.member(company, [Role.CASHIER]), company)


@pytest.fixture
def boss(company: Company) -> ApiClient:
    return as_token(core_testing.owner_of(company), company)


def order_body(vendor: Supplier, quantity: str = "100") -> dict[str, Any]:
    return {
        "supplier_id": vendor.pk,
        "date": "2026-03-02",
        "lines": [{"product": "CUP", "quantity": quantity, "unit_price": "10.00"}],
    }


def confirmed(buyer: ApiClient, vendor: Supplier, quantity: str = "100") -> Any:
    created = buyer.post("/orders", order_body(vendor, quantity))
    assert created.status_code == 201, created.content
    response = buyer.post(f"/orders/{created.json()['id']}/confirm")
    assert response.status_code == 200, response.content
    return response.json()


def invoice_body(vendor: Supplier, order_id: int, price: str) -> dict[str, Any]:
    return {
        "supplier_id": vendor.pk,
        "invoice_number": "26442000000012345678",
        "date": "2026-03-10",
        "lines": [
            {
                "purchase_order_id": order_id,
                "line_no": 1,
                "quantity": "60",
                "unit_price": price,
            }
        ],
    }


# --- the flow ------------------------------------------------------------------------


def test_procure_to_pay_over_the_api(
    company: Company,
    vendor: Supplier,
    buyer: ApiClient,
    keeper: ApiClient,
    cashier: ApiClient,
) -> None:
    # when the buyer orders and confirms
    created = buyer.post("/orders", order_body(vendor))
    order_id = created.json()["id"]
    sent = buyer.post(f"/orders/{order_id}/confirm")
    # and 60 of 100 arrive
    receipt = keeper.post(
        f"/orders/{order_id}/receive",
        {"date": "2026-03-03", "lines": [{"line_no": 1, "quantity": "60"}]},
    )
    # and the invoice bills them at 10.50
    entered = buyer.post("/invoices", invoice_body(vendor, order_id, "10.50"))
    invoice_id = entered.json()["id"]
    exceptions = buyer.get("/invoices?state=exception")
    resolved = buyer.post(f"/invoices/{invoice_id}/resolve", {"note": "涨价已确认"})
    open_before = cashier.get(f"/payables?supplier_id={vendor.pk}")
    item_id = open_before.json()["items"][0]["id"]
    # and the cashier pays less the discount
    payment = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "date": "2026-03-20",
            "amount": "701.90",
            "discount": "10.00",
            "allocations": [{"payable_item_id": item_id, "amount": "711.90"}],
        },
    )
    order = buyer.get(f"/orders/{order_id}")
    open_after = cashier.get("/payables")

    # then
    assert created.status_code == 201, created.content
    assert (created.json()["state"], created.json()["number"]) == ("draft", "")
    assert (created.json()["net_total"], created.json()["total"]) == (
        "1000.00",
        "1130.00",
    )
    assert sent.json()["state"] == "confirmed"
    assert sent.json()["number"].startswith("CGDD-2026-")
    assert receipt.status_code == 201, receipt.content
    assert receipt.json()["value_total"] == "600.00"
    assert receipt.json()["lines"][0]["order_line_no"] == 1
    assert entered.status_code == 201, entered.content
    assert entered.json()["state"] == "exception"
    assert [(p["line"], p["code"]) for p in entered.json()["problems"]] == [
        (0, "price")
    ]
    assert entered.json()["lines"][0]["problem"] == "price"
    assert [i["id"] for i in exceptions.json()["items"]] == [invoice_id]
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["state"] == "posted"
    assert resolved.json()["resolution"] == "涨价已确认"
    assert (
        resolved.json()["net_total"],
        resolved.json()["tax_total"],
        resolved.json()["total"],
    ) == ("630.00", "81.90", "711.90")
    assert [
        (i["number"], i["open_amount"], i["due_date"])
        for i in open_before.json()["items"]
    ] == [(resolved.json()["number"], "711.90", "2026-04-09")]
    assert payment.status_code == 201, payment.content
    assert payment.json()["number"].startswith("FK-2026-")
    assert [(s["kind"], s["amount"]) for s in payment.json()["settlements"]] == [
        ("payment", "701.90"),
        ("discount", "10.00"),
    ]
    assert payment.json()["unallocated"] == "0.00"
    line = order.json()["lines"][0]
    assert (line["received_quantity"], line["invoiced_quantity"]) == (
        "60.0000",
        "60.0000",
    )
    assert order.json()["state"] == "confirmed"  # 40 still to come
    assert open_after.json()["count"] == 0
    # the estimate cleared, the payable settled; the discount is an income
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("0.00")
    assert purchasing_testing.balance(company, "1002") == D("-701.90")
    assert purchasing_testing.balance(company, "5603") == D("-10.00")
    assert purchasing_testing.balance(company, "22210101") == D("81.90")


def test_documents_are_listed_filtered_and_read(
    vendor: Supplier, buyer: ApiClient, keeper: ApiClient
) -> None:
    # given two orders, the first received in full
    first = confirmed(buyer, vendor)
    second = confirmed(buyer, vendor, "5")
    receipt = keeper.post(f"/orders/{first['id']}/receive", {"date": "2026-03-03"})

    # when
    everything = buyer.get("/orders")
    done = buyer.get("/orders?state=done")
    by_number = buyer.get(f"/orders?q={second['number']}")
    by_supplier = buyer.get(f"/orders?supplier_id={vendor.pk}&warehouse=WH1")
    receipts = keeper.get("/receipts?warehouse=WH1")
    one = keeper.get(f"/receipts/{receipt.json()['id']}")
    unknown = buyer.get("/orders?warehouse=NOPE")

    # then
    assert [o["id"] for o in everything.json()["items"]] == [second["id"], first["id"]]
    assert [o["id"] for o in done.json()["items"]] == [first["id"]]
    assert [o["id"] for o in by_number.json()["items"]] == [second["id"]]
    assert by_supplier.json()["count"] == 2
    assert by_supplier.json()["items"][0]["supplier"] == "V1"
    assert receipts.json()["count"] == 1
    assert one.json()["lines"][0]["base_quantity"] == "100.0000"
    assert one.json()["order_number"] == first["number"]
    assert unknown.status_code == 422
    assert set(error_of(unknown)["fields"]) == {"warehouse"}


def test_a_requisition_is_asked_for_approved_and_ordered(
    company: Company, vendor: Supplier, buyer: ApiClient, keeper: ApiClient
) -> None:
    # given
    body = {
        "date": "2026-03-02",
        "needed_by": "2026-03-09",
        "lines": [{"product": "CUP", "quantity": "20", "supplier_id": vendor.pk}],
    }

    # when the warehouse asks, changes its mind, and submits
    created = keeper.post("/requisitions", body)
    requisition_id = created.json()["id"]
    changed = keeper.put(
        f"/requisitions/{requisition_id}",
        {
            **body,
            "lines": [
                {
                    "product": "CUP",
                    "quantity": "30",
                    "supplier_id": vendor.pk,
                    "unit_price": "9.50",
                }
            ],
        },
    )
    submitted = keeper.post(f"/requisitions/{requisition_id}/submit")
    # and the buyer orders it
    ordered = buyer.post(
        f"/requisitions/{requisition_id}/order", {"date": "2026-03-03"}
    )
    read = keeper.get(f"/requisitions/{requisition_id}")
    again = buyer.post(f"/requisitions/{requisition_id}/order", {})

    # then
    assert created.status_code == 201, created.content
    assert (created.json()["state"], created.json()["warehouse"]) == ("draft", "WH1")
    assert changed.json()["total"] == "285.00"
    # up to no threshold: approved at once
    assert submitted.json()["state"] == "approved"
    assert submitted.json()["number"].startswith("QG-2026-")
    assert ordered.status_code == 201, ordered.content
    (order,) = ordered.json()
    assert (order["supplier_id"], order["state"]) == (vendor.pk, "draft")
    assert order["expected_date"] == "2026-03-09"
    assert D(order["lines"][0]["unit_price"]) == D("9.50")
    assert read.json()["state"] == "ordered"
    assert read.json()["order_ids"] == [order["id"]]
    assert again.status_code == 409
    assert PurchaseOrder.objects.filter(company=company).count() == 1


def test_an_order_above_the_threshold_waits_for_an_approver(
    company: Company, vendor: Supplier, buyer: ApiClient, boss: ApiClient
) -> None:
    # given approval above 500.00 and two orders of 1,130.00
    PurchaseSettings.objects.filter(company=company).update(approval_threshold=D("500"))
    first = buyer.post("/orders", order_body(vendor)).json()["id"]
    second = buyer.post("/orders", order_body(vendor)).json()["id"]

    # when
    submitted = buyer.post(f"/orders/{first}/confirm")
    self_approved = buyer.post(f"/orders/{first}/approve")
    approved = boss.post(f"/orders/{first}/approve")
    buyer.post(f"/orders/{second}/confirm")
    rejected = boss.post(f"/orders/{second}/reject", {"reason": "价格太高"})

    # then
    assert submitted.status_code == 200
    assert (submitted.json()["state"], submitted.json()["number"]) == (
        "submitted",
        "",
    )
    assert self_approved.status_code == 403
    assert approved.json()["state"] == "confirmed"
    assert approved.json()["number"].startswith("CGDD-2026-")
    assert (rejected.json()["state"], rejected.json()["memo"]) == ("draft", "价格太高")


def test_the_supplier_confirms_dates_per_line(
    vendor: Supplier, buyer: ApiClient
) -> None:
    # given
    order = confirmed(buyer, vendor)

    # when
    dated = buyer.post(
        f"/orders/{order['id']}/supplier-confirmation",
        {"dates": [{"line": 1, "date": "2026-03-12"}], "reference": "SO-889"},
    )
    no_line = buyer.post(
        f"/orders/{order['id']}/supplier-confirmation",
        {"dates": [{"line": 2, "date": "2026-03-12"}]},
    )

    # then
    assert dated.status_code == 200, dated.content
    assert dated.json()["lines"][0]["confirmed_date"] == "2026-03-12"
    assert dated.json()["supplier_reference"] == "SO-889"
    assert dated.json()["supplier_confirmed_at"] is not None
    assert no_line.status_code == 422
    assert list(error_of(no_line)["fields"]) == ["dates.0.line"]


def test_an_invoice_waits_for_the_goods_and_goods_go_back(
    company: Company, vendor: Supplier, buyer: ApiClient, keeper: ApiClient
) -> None:
    # given an order, invoiced before anything arrived
    order = confirmed(buyer, vendor)
    early = buyer.post("/invoices", invoice_body(vendor, order["id"], "10.00"))
    premature = buyer.post(f"/invoices/{early.json()['id']}/rematch")

    # when 60 arrive, the invoice is matched again, and 5 go back
    receipt = keeper.post(
        f"/orders/{order['id']}/receive",
        {"date": "2026-03-03", "lines": [{"line_no": 1, "quantity": "60"}]},
    )
    matched = buyer.post(f"/invoices/{early.json()['id']}/rematch")
    back = keeper.post(
        f"/receipts/{receipt.json()['id']}/return",
        {
            "date": "2026-03-12",
            "lines": [{"line_no": 1, "quantity": "5"}],
            "reason": "破损",
        },
    )
    returns = keeper.get("/returns")
    one = keeper.get(f"/returns/{back.json()['id']}")

    # then
    assert early.json()["state"] == "exception"
    assert early.json()["problems"][0]["code"] == "not_received"
    assert premature.json()["state"] == "exception"
    assert matched.json()["state"] == "posted"
    assert back.status_code == 201, back.content
    # 5 × 10.00 at cost, already invoiced: 50.00 + 6.50 VAT owed back
    assert (back.json()["value_total"], back.json()["credit_total"]) == (
        "50.00",
        "56.50",
    )
    assert [r["id"] for r in returns.json()["items"]] == [back.json()["id"]]
    assert one.json()["lines"][0]["base_quantity"] == "5.0000"
    line = buyer.get(f"/orders/{order['id']}").json()["lines"][0]
    assert line["returned_quantity"] == "5.0000"


def test_an_exception_is_cancelled(vendor: Supplier, buyer: ApiClient) -> None:
    # given
    order = confirmed(buyer, vendor)
    entered = buyer.post("/invoices", invoice_body(vendor, order["id"], "10.00"))

    # when
    cancelled = buyer.post(
        f"/invoices/{entered.json()['id']}/cancel", {"note": "录错了"}
    )
    again = buyer.post(f"/invoices/{entered.json()['id']}/cancel", {})

    # then
    assert cancelled.json()["state"] == "cancelled"
    assert again.status_code == 409


# --- permissions ---------------------------------------------------------------------


def test_each_role_does_its_part_only(
    company: Company,
    vendor: Supplier,
    buyer: ApiClient,
    keeper: ApiClient,
    cashier: ApiClient,
) -> None:
    # given
    auditor = as_token(core_testing.member(company, [Role.AUDITOR]), company)
    order = confirmed(buyer, vendor)

    # when others try the buyer's work, and the buyer theirs
    keeper_orders = keeper.post("/orders", order_body(vendor))
    cashier_confirms = cashier.post(f"/orders/{order['id']}/confirm")
    buyer_receives = buyer.post(f"/orders/{order['id']}/receive", {})
    cashier_invoices = cashier.post(
        "/invoices", invoice_body(vendor, order["id"], "10.00")
    )
    keeper_pays = keeper.post(
        "/payments", {"supplier_id": vendor.pk, "amount": "10", "is_prepayment": True}
    )
    auditor_orders = auditor.post("/orders", order_body(vendor))
    auditor_reads = [
        auditor.get(f"/orders/{order['id']}"),
        auditor.get("/orders"),
        auditor.get("/invoices"),
        auditor.get("/payables/aging"),
    ]
    keeper_receives = keeper.post(f"/orders/{order['id']}/receive", {})

    # then
    for refused in (
        keeper_orders,
        cashier_confirms,
        buyer_receives,
        cashier_invoices,
        keeper_pays,
        auditor_orders,
    ):
        assert refused.status_code == 403, refused.content
        assert error_of(refused)["code"] == "permission_denied"
    for read in auditor_reads:
        assert read.status_code == 200, read.content
    assert keeper_receives.status_code == 201
    assert PurchaseOrder.objects.filter(company=company).count() == 1
    assert not SupplierInvoice.objects.exists()
    assert not Payment.objects.exists()


def test_another_companys_ids_are_not_found(
    company: Company, vendor: Supplier, boss: ApiClient
) -> None:
    # given documents of another company, and an order of our own
    other = purchasing_testing.purchasing_company("THEIRS")
    owner = core_testing.owner_of(other)
    cup = inventory_testing.product(other, "CUP")
    theirs = purchasing_testing.supplier(other, "V1")
    order = purchasing_testing.confirmed_order(other, theirs, [(cup, "2", "10")])
    receipt = services.receive_goods(order=order, actor=owner, date=order.date)
    invoice = services.enter_invoice(
        company=other,
        actor=owner,
        data=services.InvoiceData(
            supplier=theirs,
            invoice_number="F1",
            date=order.date,
            lines=[
                services.InvoiceLineData(
                    order_line=order.lines.get(), quantity=D(2), unit_price=D(10)
                )
            ],
        ),
    )
    item = PayableItem.objects.get(company=other)
    payment = services.record_payment(
        company=other,
        actor=owner,
        data=services.PaymentData(
            supplier=theirs, date=order.date, amount=D(50), is_prepayment=True
        ),
    )
    requisition = Requisition.objects.create(
        company=other, date=order.date, warehouse=order.warehouse
    )
    own = confirmed(boss, vendor)

    # when A's boss names them
    responses = [
        boss.get(f"/orders/{order.pk}"),
        boss.post(f"/orders/{order.pk}/confirm"),
        boss.post(f"/orders/{order.pk}/receive", {}),
        boss.get(f"/receipts/{receipt.pk}"),
        boss.post(
            f"/receipts/{receipt.pk}/return",
            {"lines": [{"line_no": 1, "quantity": "1"}]},
        ),
        boss.get(f"/invoices/{invoice.pk}"),
        boss.post(f"/invoices/{invoice.pk}/resolve", {"note": "x"}),
        boss.get(f"/payments/{payment.pk}"),
        boss.get(f"/requisitions/{requisition.pk}"),
        boss.post("/orders", order_body(theirs)),
        boss.get(f"/orders?supplier_id={theirs.pk}"),
        boss.post(
            "/requisitions",
            {
                "date": "2026-03-02",
                "lines": [
                    {"product": "CUP", "quantity": "1", "supplier_id": theirs.pk}
                ],
            },
        ),
        boss.post("/invoices", invoice_body(vendor, order.pk, "10.00")),
        boss.post(
            "/payments",
            {
                "supplier_id": vendor.pk,
                "amount": "1",
                "allocations": [{"payable_item_id": item.pk, "amount": "1"}],
            },
        ),
        boss.get(
            f"/payables/statement?supplier_id={theirs.pk}"
            "&date_from=2026-03-01&date_to=2026-03-31"
        ),
    ]

    # then
    for response in responses:
        assert response.status_code == 404, response.content
        assert error_of(response)["code"] == "not_found"
    assert PurchaseOrder.objects.filter(company=company).count() == 1
    assert not GoodsReceipt.objects.filter(company=company).exists()
    assert not SupplierInvoice.objects.filter(company=company).exists()
    assert not Payment.objects.filter(company=company).exists()
    assert not Requisition.objects.filter(company=company).exists()
    assert own["state"] == "confirmed"


# --- bad input ----------------------------------------------------------------------


def test_receiving_beyond_the_tolerance_is_refused_on_the_line(
    company: Company, vendor: Supplier, buyer: ApiClient, keeper: ApiClient
) -> None:
    # given an order of 100 and a tolerance of 5 %
    PurchaseSettings.objects.filter(company=company).update(
        over_receipt_tolerance=D("5")
    )
    order = confirmed(buyer, vendor)

    # when
    beyond = keeper.post(
        f"/orders/{order['id']}/receive",
        {"lines": [{"line_no": 1, "quantity": "106"}]},
    )
    no_line = keeper.post(
        f"/orders/{order['id']}/receive",
        {"lines": [{"line_no": 2, "quantity": "1"}]},
    )
    within = keeper.post(
        f"/orders/{order['id']}/receive",
        {"lines": [{"line_no": 1, "quantity": "105"}]},
    )

    # then
    assert beyond.status_code == 422
    body = error_of(beyond)
    assert list(body["fields"]) == ["lines.0.quantity"]
    assert "at most 105 more" in body["fields"]["lines.0.quantity"][0]
    assert list(error_of(no_line)["fields"]) == ["lines.0.line_no"]
    assert within.status_code == 201
    assert GoodsReceipt.objects.filter(company=company).count() == 1


def test_unknown_codes_and_malformed_bodies_name_their_fields(
    company: Company, vendor: Supplier, buyer: ApiClient
) -> None:
    # when
    no_product = buyer.post(
        "/orders",
        {**order_body(vendor), "lines": [{"product": "NOPE", "quantity": "1"}]},
    )
    no_price = buyer.post(
        "/orders",
        {**order_body(vendor), "lines": [{"product": "CUP", "quantity": "1"}]},
    )
    no_quantity = buyer.post(
        "/orders", {**order_body(vendor), "lines": [{"product": "CUP"}]}
    )
    no_buyer = buyer.post("/orders", {**order_body(vendor), "buyer": "nobody"})

    # then
    assert no_product.status_code == 422
    assert list(error_of(no_product)["fields"]) == ["lines.0.product"]
    assert "There is no product NOPE." in no_product.json()["message"]
    # no price given and none known from the supplier
    assert list(error_of(no_price)["fields"]) == ["lines.0.unit_price"]
    assert no_quantity.status_code == 422
    assert "lines.0.quantity" in error_of(no_quantity)["fields"]
    assert list(error_of(no_buyer)["fields"]) == ["buyer"]
    assert not PurchaseOrder.objects.filter(company=company).exists()


# --- retries -------------------------------------------------------------------------


def test_a_retried_order_receipt_and_invoice_happen_once(
    company: Company, vendor: Supplier, buyer: ApiClient, keeper: ApiClient
) -> None:
    # when each is sent twice with its key
    orders = [
        buyer.post("/orders", order_body(vendor), HTTP_IDEMPOTENCY_KEY="o-1")
        for _ in range(2)
    ]
    order_id = orders[0].json()["id"]
    confirms = [
        buyer.post(f"/orders/{order_id}/confirm", HTTP_IDEMPOTENCY_KEY="c-1")
        for _ in range(2)
    ]
    receipts = [
        keeper.post(
            f"/orders/{order_id}/receive",
            {"lines": [{"line_no": 1, "quantity": "60"}]},
            HTTP_IDEMPOTENCY_KEY="r-1",
        )
        for _ in range(2)
    ]
    invoices = [
        buyer.post(
            "/invoices",
            invoice_body(vendor, order_id, "10.00"),
            HTTP_IDEMPOTENCY_KEY="i-1",
        )
        for _ in range(2)
    ]
    reused = buyer.post("/orders", order_body(vendor, "7"), HTTP_IDEMPOTENCY_KEY="o-1")

    # then the second answer repeats the first, and one of each exists
    for first, second in (orders, confirms, receipts, invoices):
        assert first.status_code in (200, 201), first.content
        assert (second.status_code, second.json()) == (
            first.status_code,
            first.json(),
        )
        assert second["Idempotent-Replayed"] == "true"
    assert PurchaseOrder.objects.filter(company=company).count() == 1
    assert GoodsReceipt.objects.filter(company=company).count() == 1
    assert SupplierInvoice.objects.filter(company=company).count() == 1
    assert invoices[0].json()["state"] == "posted"
    assert reused.status_code == 422
    assert error_of(reused)["code"] == "idempotency_key_reused"
