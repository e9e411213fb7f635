"""The document selectors: filtered lists, one document by id (404 for
another company's), and the document flow around any document of a chain.

The chain (13 % VAT, prices include VAT; A costs 10.00): quotation of A
10 × 22.60 = 226.00 → order → delivery 1 of 6 (6/10 of 226.00 = 135.60) →
delivery 2 of 4 (226.00 − 135.60 = 90.40) → return of 2 from delivery 1
(2/6 of 135.60 = 45.20; its credit settles delivery 1: open 90.40) →
receipt of 200.00, oldest first: delivery 1 90.40 and delivery 2 90.40,
19.20 left as an advance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    ItemKind,
    Quotation,
    Receipt,
    ReceivableItem,
    SalesOrder,
    SalesReturn,
    Settlement,
)
from zhongshu.sales.selectors import documents

pytestmark = pytest.mark.django_db

D = Decimal


def day(number: int) -> datetime.date:
    return datetime.date(2026, 3, number)


@dataclass
class Chain:
    company: Company
    customer: Customer
    quotation: Quotation
    order: SalesOrder
    delivery1: Delivery
    delivery2: Delivery
    sales_return: SalesReturn
    receipt: Receipt


def make_chain(company: Company, code: str = "K") -> Chain:
    a = sales_testing.stocked_product(company, f"A-{code}")
    k = partners_testing.make_customer(company, code, name=f"华南 {code}")
    quotation = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=k,
            date=day(1),
            lines=[services.LineData(product=a, quantity=D(10), unit_price=D("22.60"))],
        ),
    )
    order = services.order_from_quotation(quotation=quotation, actor=None, date=day(2))
    order = services.confirm_order(order=order, actor=None)
    line = order.lines.get()
    delivery1 = services.deliver(
        order=order,
        actor=None,
        date=day(3),
        lines=[services.DeliveryLineData(order_line=line, quantity=D(6))],
    )
    delivery2 = services.deliver(order=order, actor=None, date=day(4))
    sales_return = services.return_goods(
        delivery=delivery1,
        actor=None,
        date=day(5),
        lines=[
            services.ReturnLineData(delivery_line=delivery1.lines.get(), quantity=D(2))
        ],
    )
    receipt = services.record_receipt(
        company=company, actor=None, customer=k, date=day(8), amount=D("200")
    )
    return Chain(
        company, k, quotation, order, delivery1, delivery2, sales_return, receipt
    )


@pytest.fixture
def chain() -> Chain:
    return make_chain(sales_testing.sales_company("FLOW"))


def summary(nodes: list[documents.FlowNode]) -> list[tuple[str, str, Any]]:
    return [(n.kind, n.number, n.amount) for n in nodes]


# --- the flow ------------------------------------------------------------------------


def test_the_flow_of_a_receipt_shows_the_whole_chain_with_vouchers(
    chain: Chain,
) -> None:
    # when
    nodes = documents.document_flow(chain.company, "receipt", chain.receipt.pk)

    # then, in flow order; the credit item of the return is settled (0 open)
    d1, d2, r = chain.delivery1, chain.delivery2, chain.sales_return
    assert summary(nodes) == [
        ("sales.quotation", chain.quotation.number, D("226.00")),
        ("sales.order", chain.order.number, D("226.00")),
        ("sales.delivery", d1.number, D("135.60")),
        ("sales.delivery", d2.number, D("90.40")),
        ("sales.return", r.number, D("45.20")),
        ("sales.item", d1.number, D("135.60")),
        ("sales.item", d2.number, D("90.40")),
        ("sales.item", r.number, D("-45.20")),
        # the credit settlement (45.20), then the receipt's two (90.40 each)
        *[
            ("sales.settlement", f"#{s.pk}", s.amount)
            for s in Settlement.objects.order_by("date", "id")
        ],
        ("sales.receipt", chain.receipt.number, D("200.00")),
    ]
    settlements = [n for n in nodes if n.kind == "sales.settlement"]
    assert [s.amount for s in settlements] == [D("45.20"), D("90.40"), D("90.40")]
    assert [(s.state) for s in settlements] == ["credit", "receipt", "receipt"]
    by_kind = {(n.kind, n.id): n for n in nodes}
    # a delivery: its stock voucher and its revenue voucher; the order none
    assert len(by_kind[("sales.delivery", d1.pk)].vouchers) == 2
    assert len(by_kind[("sales.return", r.pk)].vouchers) == 2
    assert len(by_kind[("sales.receipt", chain.receipt.pk)].vouchers) == 1
    assert by_kind[("sales.order", chain.order.pk)].vouchers == []
    assert by_kind[("sales.order", chain.order.pk)].state == "done"
    assert by_kind[("sales.order", chain.order.pk)].url_name == "sales_order"
    items = [n for n in nodes if n.kind == "sales.item"]
    assert [i.state for i in items] == ["settled", "settled", "settled"]


@pytest.mark.parametrize(
    "start", ["quotation", "order", "delivery2", "sales_return", "item", "settlement"]
)
def test_every_document_of_the_chain_gives_the_same_flow(
    chain: Chain, start: str
) -> None:
    # given
    expected = summary(
        documents.document_flow(chain.company, "receipt", chain.receipt.pk)
    )
    if start == "item":
        kind = "item"
        document_id = ReceivableItem.objects.get(
            kind=ItemKind.RETURN, source_id=chain.sales_return.pk
        ).pk
    elif start == "settlement":
        kind, document_id = "settlement", Settlement.objects.order_by("id").last().pk  # type: ignore[union-attr]
    else:
        document = getattr(chain, start)
        kind = {"delivery2": "delivery", "sales_return": "return"}.get(start, start)
        document_id = document.pk

    # when
    nodes = documents.document_flow(chain.company, kind, document_id)

    # then
    assert summary(nodes) == expected


def test_an_advance_and_a_fresh_quotation_stand_alone() -> None:
    # given a customer who paid before buying, and an unanswered quotation
    company = sales_testing.sales_company("ALONE")
    a = sales_testing.stocked_product(company, "A")
    k = partners_testing.make_customer(company, "K")
    receipt = services.record_receipt(
        company=company, actor=None, customer=k, date=day(2), amount=D("50")
    )
    quotation = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=k,
            date=day(2),
            lines=[services.LineData(product=a, quantity=D(1), unit_price=D(5))],
        ),
    )

    # then
    assert summary(documents.document_flow(company, "receipt", receipt.pk)) == [
        ("sales.receipt", receipt.number, D("50.00"))
    ]
    assert summary(
        documents.document_flow(company, "sales.quotation", quotation.pk)
    ) == [("sales.quotation", quotation.number, D("5.00"))]


def test_the_flow_takes_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    # given a short chain and a long one (three more deliveries, each paid)
    company = sales_testing.sales_company("QUERIES")
    short = make_chain(company, "S")
    long = make_chain(company, "L")
    line = long.order.lines.get()
    order = sales_testing.confirmed_order(
        company, long.customer, [(line.product, "3", "10")], day=day(9)
    )
    order_line = order.lines.get()
    for number in (10, 11, 12):
        services.deliver(
            order=order,
            actor=None,
            date=day(number),
            lines=[services.DeliveryLineData(order_line=order_line, quantity=D(1))],
        )
    services.record_receipt(
        company=company,
        actor=None,
        customer=long.customer,
        date=day(13),
        amount=D("30"),
    )

    # then: the same ceiling for both
    with django_assert_max_num_queries(11):
        short_nodes = documents.document_flow(company, "order", short.order.pk)
    with django_assert_max_num_queries(11):
        long_nodes = documents.document_flow(company, "order", order.pk)
    assert len(short_nodes) == 12
    # order 3 × 10.00, 3 deliveries of 10.00, their 3 items, the receipt of
    # 30.00 settling them (3 settlements), the receipt
    assert [n.kind for n in long_nodes] == [
        "sales.order",
        *["sales.delivery"] * 3,
        *["sales.item"] * 3,
        *["sales.settlement"] * 3,
        "sales.receipt",
    ]


# --- lists and one document ---------------------------------------------------------


def test_lists_filter_and_come_newest_first(chain: Chain) -> None:
    # given a second customer's order
    company = chain.company
    other = partners_testing.make_customer(company, "Z", name="西北 Z")
    product = chain.order.lines.get().product
    late = sales_testing.confirmed_order(
        company, other, [(product, "1", "5")], day=day(20)
    )
    f = documents.DocumentFilter

    # then
    assert [o.pk for o in documents.orders(company)] == [late.pk, chain.order.pk]
    assert [o.pk for o in documents.orders(company, f(q="西北"))] == [late.pk]
    assert [o.pk for o in documents.orders(company, f(q=late.number))] == [late.pk]
    assert [o.pk for o in documents.orders(company, f(state="done"))] == [
        chain.order.pk
    ]
    assert [o.pk for o in documents.orders(company, f(date_to=day(19)))] == [
        chain.order.pk
    ]
    assert [
        d.pk for d in documents.deliveries(company, f(customer_id=chain.customer.pk))
    ] == [chain.delivery2.pk, chain.delivery1.pk]
    assert [d.pk for d in documents.deliveries(company, f(date_from=day(4)))] == [
        chain.delivery2.pk
    ]
    warehouse = chain.order.warehouse
    assert documents.returns(company, f(warehouse_id=warehouse.pk)).count() == 1
    assert documents.returns(company, f(warehouse_id=warehouse.pk + 999)).count() == 0
    assert [r.pk for r in documents.receipts(company, f(state="advance"))] == [
        chain.receipt.pk
    ]
    assert documents.receivable_items(company, open_only=True).count() == 0
    assert documents.receivable_items(company, chain.customer.pk).count() == 3


def test_a_list_names_customers_without_a_query_per_row(
    chain: Chain, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        rows = [
            (d.number, d.customer.name, d.order.number)
            for d in documents.deliveries(chain.company)
        ]
    assert len(rows) == 2


def test_another_companys_document_is_not_found(chain: Chain) -> None:
    # given
    other = sales_testing.sales_company("OTHER")
    getters = [
        (documents.get_quotation, chain.quotation.pk),
        (documents.get_order, chain.order.pk),
        (documents.get_delivery, chain.delivery1.pk),
        (documents.get_return, chain.sales_return.pk),
        (documents.get_receipt, chain.receipt.pk),
        (documents.get_settlement, Settlement.objects.first().pk),  # type: ignore[union-attr]
        (documents.get_item, ReceivableItem.objects.first().pk),  # type: ignore[union-attr]
    ]

    # then: each is found in its company, not in the other
    for getter, pk in getters:
        assert getter(chain.company, pk).pk == pk
        with pytest.raises(NotFoundError):
            getter(other, pk)
    with pytest.raises(NotFoundError):
        documents.document_flow(other, "order", chain.order.pk)
    with pytest.raises(NotFoundError):
        documents.document_flow(chain.company, "nonsense", chain.order.pk)


def test_a_document_comes_with_its_lines(
    chain: Chain, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        order = documents.get_order(chain.company, chain.order.pk)
        codes = [(line.product.code, line.warehouse.code) for line in order.lines.all()]
    assert codes == [("A-K", "WH1")]
