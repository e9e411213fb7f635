"""Batch entry points give what the single services give, document by document.

Two companies are built alike; one takes the same orders through
``create_order`` / ``confirm_order`` / ``deliver`` / ``invoice_deliveries``
one at a time, the other through ``create_orders`` / ``confirm_orders`` /
``deliver_orders`` / ``invoice_each``. Everything a user can see — numbers,
documents, stock, vouchers, receivable items and the audit trail — must
come out the same, and the consistency checks must pass in both.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from zhongshu.catalog import services as catalog
from zhongshu.catalog.models import Product
from zhongshu.core import consistency
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.inventory.models import Reservation, StockBalance, StockMove
from zhongshu.ledger.models import Voucher, VoucherLine
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    DeliveryLine,
    DocumentState,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    Settlement,
)
from zhongshu.sales.services import batch

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 2)


def _world(code: str, recognition: str, stock: int = 100) -> Company:
    """Products A, B (priced by the retail list, 22.60 and 45.20 incl. VAT)
    and C (priced on the order); customers K1 (30 days, a credit limit) and
    K2 (none)."""
    company = sales_testing.sales_company(code, revenue_recognition=recognition)
    owner = core_testing.owner_of(company)
    price_list = catalog.create_price_list(
        company=company,
        actor=owner,
        data=catalog.PriceListData(code="R", name="零售", kind="retail"),
    )
    for code_, cost, price in (("A", "10", "22.60"), ("B", "20", "45.20")):
        product = sales_testing.stocked_product(
            company, code_, quantity=str(stock), unit_cost=cost
        )
        catalog.set_price(
            price_list=price_list,
            actor=owner,
            data=catalog.PriceData(product=product, price=Decimal(price)),
        )
    sales_testing.stocked_product(
        company, "C", quantity=str(stock // 2), unit_cost="3.33"
    )
    partners_testing.make_customer(
        company, "K1", payment_terms_days=30, credit_limit=Decimal(100_000)
    )
    partners_testing.make_customer(company, "K2")
    return company


def _orders(company: Company) -> list[services.OrderData]:
    products = {p.code: p for p in company_products(company)}
    customers = {c.code: c for c in Customer.objects.filter(company=company)}

    def line(code: str, quantity: str, price: str | None = None) -> services.LineData:
        return services.LineData(
            product=products[code],
            quantity=Decimal(quantity),
            unit_price=Decimal(price) if price else None,
        )

    return [
        services.OrderData(
            customer=customers["K1"], date=MARCH, lines=[line("A", "3"), line("B", "1")]
        ),
        services.OrderData(
            customer=customers["K2"],
            date=MARCH,
            lines=[line("C", "7", "9.99"), line("A", "1")],
            discount=Decimal("1.00"),
        ),
        services.OrderData(
            customer=customers["K1"],
            date=MARCH + datetime.timedelta(days=1),
            lines=[line("B", "2"), line("C", "3", "9.99"), line("A", "4")],
        ),
        services.OrderData(
            customer=customers["K2"],
            date=MARCH + datetime.timedelta(days=2),
            lines=[line("A", "2")],
        ),
    ]


def company_products(company: Company) -> QuerySet[Product]:
    return Product.objects.filter(company=company).select_related("base_unit")


def _one_by_one(company: Company, invoicing: bool) -> None:
    owner = core_testing.owner_of(company)
    for data in _orders(company):
        order = services.create_order(company=company, actor=owner, data=data)
        order = services.confirm_order(order=order, actor=owner)
        delivery = services.deliver(order=order, actor=owner, date=order.date)
        if invoicing:
            services.invoice_deliveries(
                company=company, actor=owner, date=delivery.date, deliveries=[delivery]
            )


def _in_batches(company: Company, invoicing: bool) -> None:
    owner = core_testing.owner_of(company)
    orders = batch.create_orders(company=company, actor=owner, orders=_orders(company))
    orders = batch.confirm_orders(company=company, actor=owner, orders=orders)
    deliveries = batch.deliver_orders(company=company, actor=owner, orders=orders)
    if invoicing:
        batch.invoice_each(company=company, actor=owner, deliveries=deliveries)


def _snapshot(company: Company) -> dict[str, Any]:
    """What a user sees of the company, in company-free terms."""
    numbers = {
        "sales.order": dict(
            SalesOrder.objects.filter(company=company).values_list("pk", "number")
        ),
        "sales.delivery": dict(
            Delivery.objects.filter(company=company).values_list("pk", "number")
        ),
        "sales.invoice": dict(
            SalesInvoice.objects.filter(company=company).values_list("pk", "number")
        ),
    }
    customers = dict(Customer.objects.filter(company=company).values_list("pk", "code"))
    vouchers = {}
    for voucher in Voucher.objects.filter(company=company).prefetch_related(
        "lines__account"
    ):
        source = numbers.get(voucher.source_kind, {}).get(voucher.source_id, "opening")
        vouchers[(voucher.source_kind, source)] = (
            voucher.word,
            voucher.number,
            voucher.date,
            voucher.state,
            sorted(
                (
                    line.account.code,
                    line.debit,
                    line.credit,
                    customers.get(line.customer_id),
                    line.summary,
                )
                for line in voucher.lines.all()
            ),
        )
    return {
        "orders": list(
            SalesOrder.objects.filter(company=company)
            .order_by("number")
            .values_list("number", "state", "customer__code", "date", "total")
        ),
        "order_lines": list(
            SalesOrderLine.objects.filter(company=company)
            .order_by("order__number", "line_no")
            .values_list(
                "order__number",
                "product__code",
                "base_quantity",
                "unit_price",
                "amount",
                "tax_amount",
                "order_discount",
                "delivered_quantity",
            )
        ),
        "deliveries": list(
            Delivery.objects.filter(company=company)
            .order_by("number")
            .values_list(
                "number",
                "order__number",
                "date",
                "net_total",
                "tax_total",
                "total",
                "cost_total",
                "invoice__number",
            )
        ),
        "delivery_lines": list(
            DeliveryLine.objects.filter(company=company)
            .order_by("delivery__number", "order_line__line_no")
            .values_list(
                "product__code", "base_quantity", "amount", "tax_amount", "cost"
            )
        ),
        "invoices": list(
            SalesInvoice.objects.filter(company=company)
            .order_by("number")
            .values_list("number", "date", "total", "tax_total", "cost_total")
        ),
        "items": list(
            ReceivableItem.objects.filter(company=company)
            .order_by("number")
            .values_list("kind", "number", "date", "due_date", "amount", "open_amount")
        ),
        "settlements": sorted(
            Settlement.objects.filter(company=company).values_list(
                "kind", "item__number", "credit_item__number", "amount", "date"
            )
        ),
        "moves": sorted(
            StockMove.objects.filter(company=company).values_list(
                "product__code",
                "date",
                "kind",
                "quantity",
                "value",
                "unit_cost",
                "balance_quantity",
                "balance_value",
            )
        ),
        "balances": sorted(
            StockBalance.objects.filter(company=company).values_list(
                "product__code", "on_hand", "reserved", "value"
            )
        ),
        "reservations": sorted(
            Reservation.objects.filter(company=company, quantity__gt=0).values_list(
                "product__code", "quantity"
            )
        ),
        "vouchers": vouchers,
        # Drafts are named by id, which differs between the companies.
        "audit": Counter(
            AuditEntry.objects.filter(company=company).values_list(
                "action", "object_kind"
            )
        ),
    }


@pytest.mark.parametrize("recognition", ["delivery", "invoice"])
def test_batches_give_what_one_by_one_gives(recognition):
    # given: two companies alike
    singly, batched = _world("ONE", recognition), _world("MANY", recognition)
    invoicing = recognition == "invoice"
    # when
    _one_by_one(singly, invoicing)
    _in_batches(batched, invoicing)
    # then
    expected, got = _snapshot(singly), _snapshot(batched)
    for part in expected:
        assert got[part] == expected[part], part
    # The orders are done, their stock delivered, nothing left reserved.
    assert {row[1] for row in got["orders"]} == {DocumentState.DONE}
    assert got["reservations"] == []
    assert [r.name for r in consistency.run_all() if not r.passed] == []


def test_a_customer_with_an_open_credit_nets_it_as_one_by_one():
    """K2 paid for a delivery, then returned part of it: the credit (−45.20)
    stays open and settles the next items, in the batch as one by one."""
    singly, batched = _world("ONE", "delivery"), _world("MANY", "delivery")
    for company in (singly, batched):
        owner = core_testing.owner_of(company)
        k2 = Customer.objects.get(company=company, code="K2")
        b = company_products(company).get(code="B")
        order = sales_testing.confirmed_order(
            company, k2, [(b, "2", "45.20")], day=datetime.date(2026, 3, 1)
        )
        delivery = services.deliver(
            order=order, actor=owner, date=datetime.date(2026, 3, 1)
        )
        services.record_receipt(
            company=company,
            actor=owner,
            customer=k2,
            date=datetime.date(2026, 3, 1),
            amount=Decimal("90.40"),
        )
        services.return_goods(
            delivery=delivery,
            actor=owner,
            date=datetime.date(2026, 3, 1),
            lines=[
                services.ReturnLineData(
                    delivery_line=delivery.lines.get(), quantity=Decimal(1)
                )
            ],
        )
    # when
    _one_by_one(singly, invoicing=False)
    _in_batches(batched, invoicing=False)
    # then
    expected, got = _snapshot(singly), _snapshot(batched)
    for part in expected:
        assert got[part] == expected[part], part
    assert [s for s in got["settlements"] if s[0] == "credit"][-1][3] > 0


def test_confirming_past_a_credit_limit_refuses_the_whole_batch():
    # given: K1 may owe 200.00; its orders are 113.00 (1st) and 210.77 (3rd)
    company = _world("CREDIT", "delivery")
    Customer.objects.filter(company=company, code="K1").update(
        credit_limit=Decimal(200)
    )
    owner = core_testing.owner_of(company)
    orders = batch.create_orders(company=company, actor=owner, orders=_orders(company))
    # when: order 1 (113.00) fits, order 3 (K1 again) takes K1 past 200.00
    with pytest.raises(ConflictError) as raised:
        batch.confirm_orders(company=company, actor=owner, orders=orders)
    # then
    assert raised.value.message.startswith("Order 3: Customer K1 would owe")
    assert set(raised.value.fields) == {"orders.2.credit"}
    assert set(SalesOrder.objects.values_list("state", "number")) == {
        (DocumentState.DRAFT, "")
    }
    assert not Reservation.objects.filter(company=company).exists()
    assert StockBalance.objects.filter(company=company, reserved__gt=0).count() == 0
    # the numbers were not used up
    confirmed = services.confirm_order(order=orders[1], actor=owner)
    assert confirmed.number == "XSDD-2026-00001"


def test_a_bad_line_names_its_order_and_writes_nothing():
    company = _world("BAD", "delivery")
    owner = core_testing.owner_of(company)
    data = _orders(company)
    wrong = services.OrderData(
        customer=data[1].customer,
        date=MARCH,
        lines=[
            services.LineData(product=data[0].lines[0].product, quantity=Decimal(-1))
        ],
    )
    with pytest.raises(ValidationError) as raised:
        batch.create_orders(
            company=company, actor=owner, orders=[data[0], wrong, data[2]]
        )
    assert set(raised.value.fields) == {"orders.1.lines.0.quantity"}
    assert raised.value.message.startswith("Order 2: Line 1:")
    assert not SalesOrder.objects.filter(company=company).exists()


def test_delivering_a_draft_in_a_batch_refuses_all_of_it():
    company = _world("DRAFT", "invoice")
    owner = core_testing.owner_of(company)
    orders = batch.create_orders(company=company, actor=owner, orders=_orders(company))
    confirmed = batch.confirm_orders(company=company, actor=owner, orders=orders[:1])
    with pytest.raises(ConflictError) as raised:
        batch.deliver_orders(
            company=company, actor=owner, orders=[confirmed[0], orders[1]]
        )
    assert set(raised.value.fields) == {"orders.1"}
    assert not Delivery.objects.filter(company=company).exists()
    assert not StockMove.objects.filter(company=company, kind="issue").exists()
    assert (
        Voucher.objects.filter(company=company, source_kind="sales.delivery").count()
        == 0
    )


def test_invoicing_an_invoiced_delivery_refuses_all_of_it():
    company = _world("TWICE", "invoice")
    owner = core_testing.owner_of(company)
    orders = batch.create_orders(company=company, actor=owner, orders=_orders(company))
    orders = batch.confirm_orders(company=company, actor=owner, orders=orders)
    deliveries = batch.deliver_orders(company=company, actor=owner, orders=orders)
    batch.invoice_each(company=company, actor=owner, deliveries=deliveries[:1])
    lines_before = VoucherLine.objects.filter(company=company).count()
    with pytest.raises(ValidationError) as raised:
        batch.invoice_each(
            company=company, actor=owner, deliveries=[deliveries[1], deliveries[0]]
        )
    assert set(raised.value.fields) == {"deliveries.1.deliveries"}
    assert SalesInvoice.objects.filter(company=company).count() == 1
    assert VoucherLine.objects.filter(company=company).count() == lines_before
    assert Delivery.objects.get(pk=deliveries[1].pk).invoice_id is None


def test_a_batch_costs_a_few_statements_not_dozens_per_order(
    django_assert_max_num_queries,
):
    """25 orders of 4 lines through the four batch steps."""
    company = _world("COUNT", "invoice", stock=1000)
    owner = core_testing.owner_of(company)
    data = (_orders(company) * 7)[:25]
    with django_assert_max_num_queries(12):
        orders = batch.create_orders(company=company, actor=owner, orders=data)
    with django_assert_max_num_queries(40):
        orders = batch.confirm_orders(company=company, actor=owner, orders=orders)
    with django_assert_max_num_queries(70):
        deliveries = batch.deliver_orders(company=company, actor=owner, orders=orders)
    with django_assert_max_num_queries(45):
        batch.invoice_each(company=company, actor=owner, deliveries=deliveries)
    assert SalesInvoice.objects.filter(company=company).count() == 25
