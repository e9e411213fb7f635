"""The sales document pages: who may open them; an order entered through
the grid (priced by the one VAT rule), confirmed with and without the
credit override; delivering (and refusing to deliver more than ordered);
a return, an invoice, a receipt with its allocation, the advance applied,
a settlement undone and a small difference written off; and the document
flow panel listing the chain with its vouchers.

Figures (13 % VAT, prices include VAT): cup 10 × 22.60 = 226.00, VAT
226 × 0.13 / 1.13 = 26.00, net 200.00; cup costs 10.00."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.catalog import services as catalog_services
from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.ledger.models import Voucher
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    DocumentState,
    Quotation,
    Receipt,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
    SalesReturn,
    Settlement,
)

pytestmark = pytest.mark.django_db

D = Decimal
DAY = sales_testing.DAY  # 2026-03-02
LISTS = [
    "sales_quotations",
    "sales_orders",
    "sales_deliveries",
    "sales_returns",
    "sales_invoices",
    "sales_receipts",
]


def as_member(company: Company, role: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(testing.member(company, [role], username=f"u-{role}"))
    return client


@pytest.fixture
def shop() -> dict[str, Any]:
    company = sales_testing.sales_company("SHOP")
    cup = sales_testing.stocked_product(company, "CUP", quantity="100", unit_cost="10")
    customer = partners_testing.make_customer(company, "K001", payment_terms_days=30)
    return {"company": company, "cup": cup, "customer": customer}


def _company(shop: dict[str, Any]) -> Company:
    company: Company = shop["company"]
    return company


def _order(shop: dict[str, Any], quantity: str = "10") -> SalesOrder:
    return sales_testing.confirmed_order(
        shop["company"], shop["customer"], [(shop["cup"], quantity, "22.60")], day=DAY
    )


def _delivered(shop: dict[str, Any]) -> Delivery:
    return services.deliver(order=_order(shop), actor=None, date=DAY)


def _grid(customer: str, **fields: str) -> dict[str, str]:
    """The order form as the browser posts it: one filled row of three."""
    data = {
        "customer": customer,
        "date": "2026-03-02",
        "prices_include_tax": "on",
        "discount": "",
        "memo": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-product": "CUP",
        "lines-0-quantity": "10",
        "lines-0-unit": "",
        "lines-0-unit_price": "22.60",
        "lines-0-discount_rate": "",
    }
    data.update(fields)
    return data


# --- access ------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", [*LISTS, "sales_order_new", "sales_quotation_new"])
def test_a_salesperson_opens_the_lists_and_the_forms(
    shop: dict[str, Any], url_name: str
) -> None:
    response = as_member(_company(shop), Role.SALES).get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", LISTS)
def test_hr_sees_no_sales_document(shop: dict[str, Any], url_name: str) -> None:
    assert as_member(_company(shop), Role.HR).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.WAREHOUSE, "sales_order_new"),
        (Role.CASHIER, "sales_quotation_new"),
        (Role.SALES, "sales_receipt_new"),
        (Role.SALES, "sales_invoice_new"),
    ],
)
def test_a_form_is_refused_to_a_role_without_its_permission(
    shop: dict[str, Any], role: str, url_name: str
) -> None:
    assert as_member(_company(shop), role).get(reverse(url_name)).status_code == 403


def test_every_document_page_opens_for_the_accountant(shop: dict[str, Any]) -> None:
    # given: one document of each kind
    company = _company(shop)
    delivery = _delivered(shop)
    sales_return = services.return_goods(
        delivery=delivery,
        actor=None,
        date=DAY,
        lines=[
            services.ReturnLineData(delivery_line=delivery.lines.get(), quantity=D(1))
        ],
    )
    receipt = services.record_receipt(
        company=company,
        actor=None,
        customer=shop["customer"],
        date=DAY,
        amount=D("50"),
    )
    quotation = services.create_quotation(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=shop["customer"],
            date=DAY,
            lines=[
                services.LineData(
                    product=shop["cup"], quantity=D(1), unit_price=D("22.60")
                )
            ],
        ),
    )
    client = as_member(company, Role.ACCOUNTANT)
    pages = [
        reverse("sales_quotation", args=[quotation.pk]),
        reverse("sales_order", args=[delivery.order_id]),
        reverse("sales_delivery", args=[delivery.pk]),
        reverse("sales_return", args=[sales_return.pk]),
        reverse("sales_receipt", args=[receipt.pk]),
    ]
    # then
    for url in pages:
        assert client.get(url).status_code == 200, url
    settlement = Settlement.objects.get(receipt=receipt)
    response = client.get(reverse("sales_settlement", args=[settlement.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("sales_receipt", args=[receipt.pk])
    # and: the lists show them
    html = client.get(reverse("sales_deliveries")).content.decode()
    assert delivery.number in html
    assert as_member(company, Role.HR).get(pages[1]).status_code == 403


def test_a_list_filters_by_customer_and_state(shop: dict[str, Any]) -> None:
    # given: a confirmed order of K001 and a draft of another customer
    company = _company(shop)
    confirmed = _order(shop)
    other = partners_testing.make_customer(company, "K002")
    draft = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=other,
            date=DAY,
            lines=[
                services.LineData(product=shop["cup"], quantity=D(1), unit_price=D(1))
            ],
        ),
    )
    client = as_member(company, Role.SALES)
    # when
    by_state = client.get(reverse("sales_orders"), {"state": "confirmed"})
    by_customer = client.get(reverse("sales_orders"), {"customer": "K002"})
    # then
    assert confirmed.number in by_state.content.decode()
    assert f'data-row="{draft.pk}"' not in by_state.content.decode()
    assert f'data-row="{draft.pk}"' in by_customer.content.decode()
    assert confirmed.number not in by_customer.content.decode()


def test_a_list_takes_the_same_queries_for_one_order_or_many(
    shop: dict[str, Any],
) -> None:
    # given
    _order(shop)
    client = as_member(_company(shop), Role.SALES)
    client.get(reverse("sales_orders"))  # warm the session and permissions

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("sales_orders")).status_code == 200
        return len(captured)

    one = queries()
    # when
    for _ in range(4):
        _order(shop, quantity="1")
    # then
    assert queries() == one


# --- quotations and orders ------------------------------------------------------------


def test_an_order_entered_in_the_grid_is_saved_with_its_totals(
    shop: dict[str, Any],
) -> None:
    # given
    client = as_member(_company(shop), Role.SALES)
    # when
    response = client.post(reverse("sales_order_new"), _grid("K001 客户 K001"))
    # then: 10 × 22.60 = 226.00, VAT 26.00, net 200.00
    order = SalesOrder.objects.get(company=_company(shop))
    assert response.status_code == 302
    assert response["Location"] == reverse("sales_order", args=[order.pk])
    assert (order.total, order.tax_total, order.net_total) == (
        D("226.00"),
        D("26.00"),
        D("200.00"),
    )
    assert order.state == DocumentState.DRAFT
    assert order.lines.get().warehouse.code == "WH1"


def test_the_preview_prices_the_grid_as_the_order_will_be(
    shop: dict[str, Any],
) -> None:
    # given: 3 × 11.30 with a 1.00 order discount, tax exclusive:
    # 33.90 − 1.00 = 32.90 net, VAT 32.90 × 0.13 = 4.277 → 4.28, total 37.18
    client = as_member(_company(shop), Role.SALES)
    data = _grid(
        "K001",
        **{
            "lines-0-quantity": "3",
            "lines-0-unit_price": "11.30",
            "prices_include_tax": "",
            "discount": "1",
        },
    )
    del data["prices_include_tax"]
    # when
    html = client.post(reverse("sales_preview") + "?kind=order", data).content.decode()
    # then
    assert 'data-total="net">32.90<' in html
    assert 'data-total="tax">4.28<' in html
    assert 'data-total="total">37.18<' in html
    assert not SalesOrder.objects.exists()


def test_an_empty_price_comes_from_the_price_list(shop: dict[str, Any]) -> None:
    # given: the retail list sells a cup at 11.30 incl. VAT
    company = _company(shop)
    owner = testing.owner_of(company)
    retail = catalog_services.create_price_list(
        company=company,
        actor=owner,
        data=catalog_services.PriceListData(code="R", name="零售", kind="retail"),
    )
    catalog_services.set_price(
        price_list=retail,
        actor=owner,
        data=catalog_services.PriceData(product=shop["cup"], price=D("11.30")),
    )
    client = as_member(company, Role.SALES)
    grid = _grid("K001", **{"lines-0-unit_price": "", "lines-0-quantity": "2"})
    # when: the preview, then the save
    html = client.post(reverse("sales_preview") + "?kind=order", grid).content.decode()
    client.post(reverse("sales_order_new"), grid)
    # then: 2 × 11.30 = 22.60, the price shown on the row and saved
    assert "@ 11.30" in html
    assert 'data-total="total">22.60<' in html
    line = SalesOrder.objects.get().lines.get()
    assert (line.unit_price, line.amount) == (D("11.30"), D("22.60"))


def test_a_refused_line_shows_its_error_and_writes_nothing(
    shop: dict[str, Any],
) -> None:
    client = as_member(_company(shop), Role.SALES)
    response = client.post(
        reverse("sales_order_new"),
        _grid("K001", **{"lines-0-product": "NOPE"}),
    )
    assert response.status_code == 422
    assert "There is no product NOPE." in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_a_new_row_of_the_grid_comes_from_the_server(shop: dict[str, Any]) -> None:
    client = as_member(_company(shop), Role.SALES)
    html = client.get(reverse("sales_line_row"), {"kind": "order", "index": "7"})
    assert 'name="lines-7-product"' in html.content.decode()
    assert 'name="lines-7-warehouse"' in html.content.decode()


def test_a_quotation_is_entered_and_converted_to_an_order(
    shop: dict[str, Any],
) -> None:
    # given
    client = as_member(_company(shop), Role.SALES)
    client.post(
        reverse("sales_quotation_new"), _grid("K001", **{"valid_until": "2026-03-31"})
    )
    quotation = Quotation.objects.get(company=_company(shop))
    # when
    response = client.post(
        reverse("sales_quotation_convert", args=[quotation.pk]), {"date": "2026-03-05"}
    )
    # then
    order = SalesOrder.objects.get(quotation=quotation)
    assert response["Location"] == reverse("sales_order", args=[order.pk])
    assert (order.date, order.total) == (datetime.date(2026, 3, 5), D("226.00"))
    flow = client.get(reverse("sales_order", args=[order.pk])).content.decode()
    assert reverse("sales_quotation", args=[quotation.pk]) in flow


def test_a_draft_order_is_edited_in_the_grid(shop: dict[str, Any]) -> None:
    # given
    client = as_member(_company(shop), Role.SALES)
    client.post(reverse("sales_order_new"), _grid("K001"))
    order = SalesOrder.objects.get()
    page = client.get(reverse("sales_order_edit", args=[order.pk])).content.decode()
    assert 'value="CUP"' in page
    # when: 5 instead of 10
    client.post(
        reverse("sales_order_edit", args=[order.pk]),
        _grid("K001", **{"lines-0-quantity": "5"}),
    )
    # then: 5 × 22.60 = 113.00
    order.refresh_from_db()
    assert order.total == D("113.00")


def test_confirming_beyond_the_credit_limit_asks_a_manager(
    shop: dict[str, Any],
) -> None:
    # given: K002 may owe 100.00; the order is 226.00
    company = _company(shop)
    tight = partners_testing.make_customer(company, "K002", credit_limit=D("100"))
    order = services.create_order(
        company=company,
        actor=None,
        data=services.OrderData(
            customer=tight,
            date=DAY,
            lines=[
                services.LineData(
                    product=shop["cup"], quantity=D(10), unit_price=D("22.60")
                )
            ],
        ),
    )
    url = reverse("sales_order_confirm", args=[order.pk])
    seller = as_member(company, Role.SALES)
    # when: the salesperson confirms
    refused = seller.post(url)
    # then: refused, no reason field offered
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "against a credit limit of 100.00" in html
    assert 'name="override_reason"' not in html
    # when: the boss confirms, then gives a reason
    boss = Client()
    boss.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    boss.force_login(testing.owner_of(company))
    assert 'name="override_reason"' in boss.post(url).content.decode()
    response = boss.post(url, {"override_reason": "Good customer, pays late"})
    # then
    order.refresh_from_db()
    assert response.status_code == 302
    assert order.state == DocumentState.CONFIRMED
    assert order.credit_override_reason == "Good customer, pays late"


def test_an_order_is_confirmed_then_closed(shop: dict[str, Any]) -> None:
    client = as_member(_company(shop), Role.SALES)
    client.post(reverse("sales_order_new"), _grid("K001"))
    order = SalesOrder.objects.get()
    client.post(reverse("sales_order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == DocumentState.CONFIRMED
    assert order.number.startswith("XSDD-2026-")
    client.post(reverse("sales_order_close", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == DocumentState.DONE


def test_a_draft_order_is_cancelled(shop: dict[str, Any]) -> None:
    client = as_member(_company(shop), Role.SALES)
    client.post(reverse("sales_order_new"), _grid("K001"))
    order = SalesOrder.objects.get()
    client.post(reverse("sales_order_cancel", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == DocumentState.CANCELLED


# --- deliveries and returns -----------------------------------------------------------


def _deliver_form(order: SalesOrder, quantity: str) -> dict[str, str]:
    line = order.lines.get()
    return {
        "date": "2026-03-03",
        "memo": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-line": str(line.pk),
        "lines-0-quantity": quantity,
        "lines-0-warehouse": str(line.warehouse_id),
    }


def test_delivering_more_than_ordered_is_refused_on_the_line(
    shop: dict[str, Any],
) -> None:
    # given
    order = _order(shop)
    keeper = as_member(_company(shop), Role.WAREHOUSE)
    # when: 11 of 10
    response = keeper.post(
        reverse("sales_order_deliver", args=[order.pk]), _deliver_form(order, "11")
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "CUP: only 10 left to deliver on the order, not 11." in html
    assert 'data-field="lines-0-quantity"' in html
    assert not Delivery.objects.exists()
    assert order.lines.get().delivered_quantity == 0


def test_a_keeper_delivers_part_and_the_flow_shows_the_chain(
    shop: dict[str, Any],
) -> None:
    # given
    order = _order(shop)
    keeper = as_member(_company(shop), Role.WAREHOUSE)
    form = keeper.get(reverse("sales_order_deliver", args=[order.pk]))
    assert 'name="lines-0-quantity" value="10"' in form.content.decode()
    # when: 6 of 10 → 6/10 of 226.00 = 135.60
    response = keeper.post(
        reverse("sales_order_deliver", args=[order.pk]), _deliver_form(order, "6")
    )
    # then
    delivery = Delivery.objects.get()
    assert response["Location"] == reverse("sales_delivery", args=[delivery.pk])
    assert (delivery.total, delivery.cost_total) == (D("135.60"), D("60.00"))
    vouchers = Voucher.objects.filter(
        source_kind="sales.delivery", source_id=delivery.pk
    )
    assert vouchers.count() == 2
    html = keeper.get(reverse("sales_delivery", args=[delivery.pk])).content.decode()
    flow = html[html.index('id="document-flow"') :]
    assert reverse("sales_order", args=[order.pk]) in flow
    assert flow.index(order.number) < flow.index(delivery.number)
    for voucher in vouchers:
        assert reverse("ledger_voucher", args=[voucher.pk]) in flow
    order_page = keeper.get(reverse("sales_order", args=[order.pk])).content.decode()
    assert reverse("sales_delivery", args=[delivery.pk]) in order_page


def test_a_return_is_taken_from_the_delivery_page(shop: dict[str, Any]) -> None:
    # given
    delivery = _delivered(shop)
    line = delivery.lines.get()
    keeper = as_member(_company(shop), Role.WAREHOUSE)
    url = reverse("sales_delivery_return", args=[delivery.pk])
    data = {
        "date": "2026-03-04",
        "reason": "broken",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-line": str(line.pk),
        "lines-0-quantity": "11",
    }
    # when: more than delivered, then 2
    refused = keeper.post(url, data)
    assert "CUP: only 10 delivered and not yet returned." in refused.content.decode()
    assert not SalesReturn.objects.exists()
    keeper.post(url, {**data, "lines-0-quantity": "2"})
    # then: 2/10 of 226.00 = 45.20
    sales_return = SalesReturn.objects.get()
    assert (sales_return.total, sales_return.reason) == (D("45.20"), "broken")


def test_an_invoice_bills_the_deliveries_of_a_customer(shop: dict[str, Any]) -> None:
    # given: recognition on invoicing, one delivery of 226.00
    company = _company(shop)
    services.settings_of(company)
    type(services.settings_of(company)).objects.filter(company=company).update(
        revenue_recognition="invoice"
    )
    delivery = _delivered(shop)
    accountant = as_member(company, Role.ACCOUNTANT)
    page = accountant.get(reverse("sales_invoice_new"), {"customer": "K001"})
    assert delivery.number in page.content.decode()
    # when
    response = accountant.post(
        reverse("sales_invoice_new"),
        {"customer": "K001", "date": "2026-03-10", "deliveries": [str(delivery.pk)]},
    )
    # then
    invoice = SalesInvoice.objects.get()
    assert response["Location"] == reverse("sales_invoice", args=[invoice.pk])
    assert invoice.total == D("226.00")
    html = accountant.get(response["Location"]).content.decode()
    assert reverse("sales_delivery", args=[delivery.pk]) in html


# --- receipts and settlement ----------------------------------------------------------


def _receipt_form(**fields: str) -> dict[str, str]:
    return {
        "customer": "K001",
        "date": "2026-03-08",
        "method": "transfer",
        "account": "",
        "amount": "300",
        "bank_charge": "",
        "memo": "",
        **fields,
    }


def test_a_receipt_settles_the_oldest_item_and_keeps_the_rest(
    shop: dict[str, Any],
) -> None:
    # given: one delivery of 226.00 open
    delivery = _delivered(shop)
    cashier = as_member(_company(shop), Role.CASHIER)
    page = cashier.get(reverse("sales_receipt_new"), {"customer": "K001"})
    assert delivery.number in page.content.decode()
    fragment = cashier.get(
        reverse("sales_receipt_new"), {"customer": "K001"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="receipt-items">')
    assert delivery.number in fragment
    # when: 300.00 with nothing allocated by hand
    response = cashier.post(reverse("sales_receipt_new"), _receipt_form())
    # then: 226.00 settled, 74.00 an advance
    receipt = Receipt.objects.get()
    assert response["Location"] == reverse("sales_receipt", args=[receipt.pk])
    assert receipt.unallocated == D("74.00")
    assert ReceivableItem.objects.get(source_id=delivery.pk).open_amount == 0


def test_allocating_more_than_is_open_is_refused_on_the_item(
    shop: dict[str, Any],
) -> None:
    delivery = _delivered(shop)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    cashier = as_member(_company(shop), Role.CASHIER)
    response = cashier.post(
        reverse("sales_receipt_new"),
        _receipt_form(**{f"allocate-{item.pk}": "250"}),
    )
    assert response.status_code == 422
    assert "has only 226.00 open; 250.00 cannot be settled." in (
        response.content.decode()
    )
    assert not Receipt.objects.exists()


def test_an_advance_is_applied_undone_and_a_difference_written_off(
    shop: dict[str, Any],
) -> None:
    # given: 220.00 received before the delivery: all of it an advance
    company = _company(shop)
    customer: Customer = shop["customer"]
    cashier = as_member(company, Role.CASHIER)
    cashier.post(reverse("sales_receipt_new"), _receipt_form(amount="220"))
    receipt = Receipt.objects.get()
    assert receipt.unallocated == D("220.00")
    delivery = _delivered(shop)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    # when: the advance is applied: 226.00 − 220.00 = 6.00 left open
    cashier.post(
        reverse("sales_receipt_apply", args=[receipt.pk]), {"date": "2026-03-09"}
    )
    item.refresh_from_db()
    assert item.open_amount == D("6.00")
    settlement = Settlement.objects.get(receipt=receipt)
    page = cashier.get(reverse("sales_receipt", args=[receipt.pk])).content.decode()
    assert reverse("sales_settlement_undo", args=[settlement.pk]) in page
    # when: undone, then applied again and the 6.00 written off (tolerance 10)
    cashier.post(reverse("sales_settlement_undo", args=[settlement.pk]))
    item.refresh_from_db()
    assert item.open_amount == D("226.00")
    cashier.post(
        reverse("sales_receipt_apply", args=[receipt.pk]), {"date": "2026-03-09"}
    )
    response = cashier.post(
        reverse("sales_item_write_off", args=[item.pk]),
        {"next": reverse("sales_receipt", args=[receipt.pk])},
    )
    # then
    item.refresh_from_db()
    assert response["Location"] == reverse("sales_receipt", args=[receipt.pk])
    assert item.open_amount == 0
    assert sales_testing.balance(company, "1122", customer=customer) == 0


def test_a_salesperson_may_not_write_off(shop: dict[str, Any]) -> None:
    delivery = _delivered(shop)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    seller = as_member(_company(shop), Role.SALES)
    response = seller.post(reverse("sales_item_write_off", args=[item.pk]))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.open_amount == D("226.00")


def test_pages_open_in_chinese(shop: dict[str, Any]) -> None:
    client = Client()
    client.force_login(testing.owner_of(_company(shop)))
    response = client.get(reverse("sales_order_new"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
