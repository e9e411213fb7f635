"""The payables over the API: payments by item id or number, prepayments
applied, the open items, aging and the supplier statement.

Figures: 10 cups at 100.00 + 13 % VAT received on 3 March and invoiced on
4 March: 1,130.00 owed, due 3 April (30 days). A prepayment of 500.00 on
1 March is applied to it, leaving 630.00."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as inventory_testing
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import PayableItem, Payment
from zhongshu.purchasing.tests.api_client import ApiClient, as_token, error_of

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def company() -> Company:
    return purchasing_testing.purchasing_company("PPAY")


@pytest.fixture
def vendor(company: Company) -> Supplier:
    return purchasing_testing.supplier(company, "V1", payment_terms_days=30)


def invoiced(company: Company, vendor: Supplier) -> PayableItem:
    """The open item of 1,130.00."""
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "100")])
    services.receive_goods(order=order, actor=owner, date=datetime.date(2026, 3, 3))
    invoice = services.enter_invoice(
        company=company,
        actor=owner,
        data=services.InvoiceData(
            supplier=vendor,
            invoice_number="F1",
            date=datetime.date(2026, 3, 4),
            lines=[
                services.InvoiceLineData(
                    order_line=order.lines.get(), quantity=D(10), unit_price=D(100)
                )
            ],
        ),
    )
    return PayableItem.objects.get(company=company, source_id=invoice.pk)


@pytest.fixture
def item(company: Company, vendor: Supplier) -> PayableItem:
    return invoiced(company, vendor)


@pytest.fixture
def cashier(company: Company) -> ApiClient:
    return as_token(core_testing.member(company, [Role.CASHIER]), company)


def test_a_prepayment_is_applied_to_a_later_invoice(
    company: Company, vendor: Supplier, cashier: ApiClient
) -> None:
    # given a prepayment before anything is owed
    paid = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "date": "2026-03-01",
            "amount": "500",
            "is_prepayment": True,
        },
    )
    listed = cashier.get("/payments?state=prepayment")

    # when the invoice comes and the prepayment is applied to it
    owed = invoiced(company, vendor)
    applied = cashier.post(
        f"/payments/{paid.json()['id']}/apply",
        {"date": "2026-03-05", "allocations": None},
    )
    nothing_left = cashier.post(
        f"/payments/{paid.json()['id']}/apply", {"allocations": None}
    )

    # then
    assert paid.status_code == 201, paid.content
    assert (paid.json()["is_prepayment"], paid.json()["unallocated"]) == (
        True,
        "500.00",
    )
    assert [p["id"] for p in listed.json()["items"]] == [paid.json()["id"]]
    assert applied.status_code == 200, applied.content
    assert applied.json()["unallocated"] == "0.00"
    assert [(s["kind"], s["amount"]) for s in applied.json()["settlements"]] == [
        ("prepayment", "500.00")
    ]
    owed.refresh_from_db()
    assert owed.open_amount == D("630.00")
    assert nothing_left.status_code == 409
    assert purchasing_testing.balance(company, "1123") == D("0.00")


def test_payments_name_items_by_id_or_number_and_refuse_overpaying(
    company: Company, vendor: Supplier, item: PayableItem, cashier: ApiClient
) -> None:
    # when
    by_number = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "date": "2026-03-10",
            "amount": "130",
            "allocations": [{"number": item.number, "amount": "130"}],
        },
    )
    too_much = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "date": "2026-03-10",
            "amount": "1500",
            "allocations": None,
        },
    )
    beyond_item = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "amount": "1200",
            "allocations": [{"payable_item_id": item.pk, "amount": "1200"}],
        },
    )
    unknown = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "amount": "1",
            "allocations": [{"number": "NOPE", "amount": "1"}],
        },
    )
    oldest_first = cashier.post(
        "/payments", {"supplier_id": vendor.pk, "date": "2026-03-11", "amount": "1000"}
    )
    one = cashier.get(f"/payments/{oldest_first.json()['id']}")

    # then
    assert by_number.status_code == 201, by_number.content
    assert by_number.json()["settlements"][0]["item_id"] == item.pk
    assert too_much.status_code == 422
    assert list(error_of(too_much)["fields"]) == ["amount"]
    assert list(error_of(beyond_item)["fields"]) == ["allocations.0.amount"]
    assert list(error_of(unknown)["fields"]) == ["allocations.0.number"]
    assert oldest_first.status_code == 201, oldest_first.content
    assert one.json()["settlements"][0]["amount"] == "1000.00"
    item.refresh_from_db()
    assert item.open_amount == D("0.00")
    assert Payment.objects.filter(company=company).count() == 2


def test_open_items_aging_and_statement(
    company: Company, vendor: Supplier, item: PayableItem, cashier: ApiClient
) -> None:
    # given 130.00 paid with a 10.00 discount on 10 March
    paid = cashier.post(
        "/payments",
        {
            "supplier_id": vendor.pk,
            "date": "2026-03-10",
            "amount": "120",
            "discount": "10",
            "allocations": [{"payable_item_id": item.pk, "amount": "130"}],
        },
    )
    other = purchasing_testing.supplier(company, "V2")

    # when
    open_items = cashier.get(f"/payables?supplier_id={vendor.pk}")
    nobody = cashier.get(f"/payables?supplier_id={other.pk}")
    aged = cashier.get("/payables/aging?as_of=2026-04-30&basis=due_date")
    by_date = cashier.get(
        f"/payables/aging?as_of=2026-03-31&basis=date&supplier_id={vendor.pk}"
    )
    before_payment = cashier.get("/payables/aging?as_of=2026-03-09")
    statement = cashier.get(
        f"/payables/statement?supplier_id={vendor.pk}"
        "&date_from=2026-03-01&date_to=2026-03-31"
    )
    backwards = cashier.get(
        f"/payables/statement?supplier_id={vendor.pk}"
        "&date_from=2026-03-31&date_to=2026-03-01"
    )

    # then
    assert paid.status_code == 201, paid.content
    assert [(i["id"], i["open_amount"]) for i in open_items.json()["items"]] == [
        (item.pk, "1000.00")
    ]
    assert nobody.json()["count"] == 0
    # due 3 April: 27 days overdue on 30 April
    report = aged.json()
    assert [b["key"] for b in report["buckets"]][:2] == ["due", "1-30"]
    (row,) = report["rows"]
    assert (row["supplier_id"], row["supplier"]) == (vendor.pk, "V1")
    assert row["buckets"][1] == "1000.00"
    assert report["totals"]["balance"] == "1000.00"
    # dated 4 March: 27 days old on 31 March
    assert by_date.json()["buckets"][0]["key"] == "0-30"
    assert by_date.json()["rows"][0]["buckets"][0] == "1000.00"
    assert before_payment.json()["totals"]["open_total"] == "1130.00"
    body = statement.json()
    assert [
        (line["label"], line["increase"], line["decrease"]) for line in body["lines"]
    ] == [
        ("Supplier invoice", "1130.00", "0.00"),
        ("Payment", "0.00", "120.00"),
        ("Discount", "0.00", "10.00"),
    ]
    assert (body["opening"], body["closing"]) == ("0.00", "1000.00")
    assert (body["increase_total"], body["decrease_total"]) == ("1130.00", "130.00")
    assert backwards.status_code == 422
    assert list(error_of(backwards)["fields"]) == ["date_to"]


def test_a_retried_payment_pays_once(
    company: Company, vendor: Supplier, item: PayableItem, cashier: ApiClient
) -> None:
    # when
    body = {"supplier_id": vendor.pk, "date": "2026-03-10", "amount": "100"}
    first = cashier.post("/payments", body, HTTP_IDEMPOTENCY_KEY="p-1")
    second = cashier.post("/payments", body, HTTP_IDEMPOTENCY_KEY="p-1")

    # then
    assert first.status_code == 201, first.content
    assert (second.status_code, second.json()) == (201, first.json())
    assert Payment.objects.filter(company=company).count() == 1
    item.refresh_from_db()
    assert item.open_amount == D("1030.00")
