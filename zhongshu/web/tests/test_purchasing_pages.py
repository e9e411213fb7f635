"""The purchasing pages: who may open them; each list with its filters; an
order entered through the grid (an empty price is the supplier's),
confirmed, approved above the threshold, confirmed by the supplier, closed
and printed; goods received (and refused beyond the order) and returned; a
supplier invoice that matches and posts, one that waits among the
exceptions until accepted, one matched again once the goods came; a
payment with its allocation and a prepayment applied; the AP aging and the
supplier statement; a requisition turned into an order. Refusals are shown
on their field in the user's language and write nothing.

Figures (13 % VAT, prices without VAT): cup 10 × 10.00 = 100.00 + 13.00
VAT = 113.00."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import pypdf
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.catalog.models import Product
from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Voucher
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    InvoiceState,
    OrderState,
    PayableItem,
    Payment,
    PurchaseOrder,
    PurchaseReturn,
    PurchaseSettings,
    Requisition,
    RequisitionState,
    SupplierInvoice,
)
from zhongshu.purchasing.services.common import RECEIPT_KIND

pytestmark = pytest.mark.django_db

D = Decimal
DAY = purchasing_testing.DAY  # 2026-03-02
LISTS = [
    "purchasing_requisitions",
    "purchasing_orders",
    "purchasing_receipts",
    "purchasing_returns",
    "purchasing_invoices",
    "purchasing_exceptions",
    "purchasing_payments",
    "purchasing_aging",
    "purchasing_statement",
]


@dataclass(frozen=True, slots=True)
class Shop:
    company: Company
    cup: Product
    vendor: Supplier
    warehouse: Warehouse


@pytest.fixture
def shop() -> Shop:
    company = purchasing_testing.purchasing_company("BUY")
    return Shop(
        company=company,
        cup=inventory_testing.product(company, "CUP"),
        vendor=partners_testing.make_supplier(
            company, "V01", name="华东杯业", payment_terms_days=30
        ),
        warehouse=Warehouse.objects.get(company=company, code="WH1"),
    )


def as_member(company: Company, role: str, *, chinese: bool = False) -> Client:
    client = Client()
    if not chinese:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(testing.member(company, [role], username=f"u-{role}"))
    return client


def as_owner(company: Company) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(testing.owner_of(company))
    return client


def _order(shop: Shop, quantity: str = "10", price: str = "10.00") -> PurchaseOrder:
    return purchasing_testing.confirmed_order(
        shop.company, shop.vendor, [(shop.cup, quantity, price)]
    )


def _received(shop: Shop) -> GoodsReceipt:
    return services.receive_goods(order=_order(shop), actor=None, date=DAY)


def _invoice(shop: Shop, receipt: GoodsReceipt, price: str = "10") -> SupplierInvoice:
    return services.enter_invoice(
        company=shop.company,
        actor=None,
        data=services.InvoiceData(
            supplier=shop.vendor,
            invoice_number=f"INV-{receipt.pk}",
            date=DAY,
            lines=[
                services.InvoiceLineData(
                    order_line=receipt.order.lines.get(),
                    quantity=D(10),
                    unit_price=D(price),
                )
            ],
        ),
    )


def _grid(supplier: str = "V01", **fields: str) -> dict[str, str]:
    """The order form as the browser posts it: one filled row of three."""
    data = {
        "supplier": supplier,
        "date": "2026-03-02",
        "warehouse": "",
        "expected_date": "",
        "memo": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-product": "CUP",
        "lines-0-quantity": "10",
        "lines-0-unit_price": "10.00",
        "lines-0-warehouse": "",
    }
    data.update(fields)
    return data


def _quantities(lines: list[tuple[int, str]], **header: str) -> dict[str, str]:
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        **header,
    }
    for index, (line_id, quantity) in enumerate(lines):
        data[f"lines-{index}-line"] = str(line_id)
        data[f"lines-{index}-quantity"] = quantity
    return data


# --- access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [*LISTS, "purchasing_order_new", "purchasing_requisition_new"],
)
def test_a_purchaser_opens_the_lists_and_the_forms(shop: Shop, url_name: str) -> None:
    response = as_member(shop.company, Role.PURCHASER).get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", LISTS)
def test_hr_sees_no_purchasing_page(shop: Shop, url_name: str) -> None:
    assert as_member(shop.company, Role.HR).get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.WAREHOUSE, "purchasing_order_new"),
        (Role.WAREHOUSE, "purchasing_invoice_new"),
        (Role.PURCHASER, "purchasing_payment_new"),
        (Role.CASHIER, "purchasing_requisition_new"),
    ],
)
def test_a_form_is_refused_to_a_role_without_its_permission(
    shop: Shop, role: str, url_name: str
) -> None:
    assert as_member(shop.company, role).get(reverse(url_name)).status_code == 403


def test_a_warehouse_keeper_receives_but_does_not_order(shop: Shop) -> None:
    # given
    order = _order(shop)
    keeper = as_member(shop.company, Role.WAREHOUSE)
    # when: the keeper tries to order and to confirm
    refused = keeper.post(reverse("purchasing_order_new"), _grid())
    draft = purchasing_testing.draft_order(
        shop.company, shop.vendor, [(shop.cup, "1", "1")]
    )
    confirm = keeper.post(reverse("purchasing_order_confirm", args=[draft.pk]))
    # then
    assert (refused.status_code, confirm.status_code) == (403, 403)
    assert PurchaseOrder.objects.count() == 2
    draft.refresh_from_db()
    assert draft.state == OrderState.DRAFT
    page = keeper.get(reverse("purchasing_order", args=[order.pk])).content.decode()
    assert 'data-action="receive"' in page
    assert 'data-action="confirm"' not in page
    # when: the keeper receives all that is open
    form = keeper.get(reverse("purchasing_order_receive", args=[order.pk]))
    assert 'name="lines-0-quantity" value="10"' in form.content.decode()
    response = keeper.post(
        reverse("purchasing_order_receive", args=[order.pk]),
        _quantities([(order.lines.get().pk, "10")], date="2026-03-03", memo=""),
    )
    # then: 10 × 10.00 in at the order price, the order done
    receipt = GoodsReceipt.objects.get()
    assert response["Location"] == reverse("purchasing_receipt", args=[receipt.pk])
    assert receipt.value_total == D("100.00")
    order.refresh_from_db()
    assert order.state == OrderState.DONE


def test_another_companys_documents_are_not_found(shop: Shop) -> None:
    # given: a document of another company
    other = purchasing_testing.purchasing_company("OTHER")
    vendor = purchasing_testing.supplier(other, "X1")
    order = purchasing_testing.confirmed_order(
        other, vendor, [(inventory_testing.product(other, "X"), "1", "1")]
    )
    client = as_owner(shop.company)
    # then
    for name in (
        "purchasing_order",
        "purchasing_order_pdf",
        "purchasing_order_receive",
    ):
        assert client.get(reverse(name, args=[order.pk])).status_code == 404
    response = client.post(reverse("purchasing_order_close", args=[order.pk]))
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED


# --- lists --------------------------------------------------------------------------


def test_each_list_filters(shop: Shop) -> None:
    # given: V01's order received, invoiced, partly returned and paid ahead;
    # a draft order of V02; an approved requisition
    company = shop.company
    receipt = _received(shop)
    invoice = _invoice(shop, receipt)
    purchase_return = services.return_goods(
        receipt=receipt,
        actor=None,
        date=DAY,
        lines=[
            services.ReturnLineData(receipt_line=receipt.lines.get(), quantity=D(1))
        ],
    )
    payment = services.record_payment(
        company=company,
        actor=None,
        data=services.PaymentData(
            supplier=shop.vendor, date=DAY, amount=D("500"), is_prepayment=True
        ),
    )
    other = partners_testing.make_supplier(company, "V02", name="华南纸品")
    draft = purchasing_testing.draft_order(company, other, [(shop.cup, "1", "1")])
    requisition = services.submit_requisition(
        requisition=services.create_requisition(
            company=company,
            actor=None,
            data=services.RequisitionData(
                date=DAY,
                warehouse=shop.warehouse,
                lines=[services.RequisitionLineData(product=shop.cup, quantity=D(5))],
            ),
        ),
        actor=None,
    )
    client = as_member(company, Role.ACCOUNTANT)
    month = {"date_from": "2026-03-01", "date_to": "2026-03-31"}

    def shown(url_name: str, **query: str | int) -> str:
        response = client.get(reverse(url_name), query)
        assert response.status_code == 200
        return response.content.decode()

    # then: each list finds its rows by its filters
    order = receipt.order
    by_state = shown("purchasing_orders", state="confirmed", **month)
    assert f'data-row="{order.pk}"' not in by_state  # received in full: done
    done = shown("purchasing_orders", state="done", warehouse=shop.warehouse.pk)
    assert order.number in done
    assert f'data-row="{draft.pk}"' not in done
    by_supplier = shown("purchasing_orders", supplier="V02 华南纸品")
    assert f'data-row="{draft.pk}"' in by_supplier
    assert order.number not in by_supplier
    assert receipt.number in shown("purchasing_receipts", supplier="V01", q="CGRK")
    assert receipt.number not in shown("purchasing_receipts", supplier="V02")
    assert purchase_return.number in shown("purchasing_returns", q="CGTH", **month)
    assert invoice.number in shown("purchasing_invoices", state="posted")
    assert invoice.number not in shown("purchasing_invoices", state="exception")
    assert payment.number in shown("purchasing_payments", state="prepayment")
    assert requisition.number in shown(
        "purchasing_requisitions", state="approved", warehouse=shop.warehouse.pk
    )
    # and: a filter changed in place answers only the results
    fragment = client.get(
        reverse("purchasing_orders"), {"q": "CGDD"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="purchasing-results"')
    assert order.number in fragment


def test_the_order_list_takes_the_same_queries_for_one_order_or_many(
    shop: Shop,
) -> None:
    # given
    _order(shop)
    client = as_member(shop.company, Role.PURCHASER)
    client.get(reverse("purchasing_orders"))  # warm the session and permissions

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("purchasing_orders")).status_code == 200
        return len(captured)

    one = queries()
    # when
    for _ in range(4):
        _order(shop, quantity="1")
    # then
    assert queries() == one


# --- orders -------------------------------------------------------------------------


def test_an_order_entered_in_the_grid_is_saved_with_its_totals(shop: Shop) -> None:
    # given
    client = as_member(shop.company, Role.PURCHASER)
    # when
    response = client.post(reverse("purchasing_order_new"), _grid("V01 华东杯业"))
    # then: 10 × 10.00 = 100.00 + 13.00 VAT, to the default warehouse
    order = PurchaseOrder.objects.get(company=shop.company)
    assert response.status_code == 302
    assert response["Location"] == reverse("purchasing_order", args=[order.pk])
    assert (order.net_total, order.tax_total, order.total) == (
        D("100.00"),
        D("13.00"),
        D("113.00"),
    )
    assert (order.state, order.warehouse.code) == (OrderState.DRAFT, "WH1")
    # when: edited to 5
    page = client.get(reverse("purchasing_order_edit", args=[order.pk]))
    assert 'value="CUP"' in page.content.decode()
    client.post(
        reverse("purchasing_order_edit", args=[order.pk]),
        _grid(**{"lines-0-quantity": "5"}),
    )
    # then: 5 × 10.00 + 13 % = 56.50
    order.refresh_from_db()
    assert order.total == D("56.50")


def test_an_empty_price_is_the_suppliers(shop: Shop) -> None:
    # given: V01 sells cups at 9.50
    purchasing_testing.supplier_product(shop.company, shop.vendor, shop.cup, "9.50")
    client = as_member(shop.company, Role.PURCHASER)
    grid = _grid(**{"lines-0-unit_price": ""})
    # when: the preview, then the save
    html = client.post(reverse("purchasing_preview"), grid).content.decode()
    client.post(reverse("purchasing_order_new"), grid)
    # then: 10 × 9.50 = 95.00 + 12.35 VAT = 107.35
    assert "@ 9.50" in html
    assert 'data-total="total">107.35<' in html
    line = PurchaseOrder.objects.get().lines.get()
    assert (line.unit_price, line.amount) == (D("9.50"), D("107.35"))


def test_refused_lines_are_shown_in_chinese_and_nothing_is_written(
    shop: Shop,
) -> None:
    client = as_member(shop.company, Role.PURCHASER, chinese=True)
    # when: an unknown product
    unknown = client.post(
        reverse("purchasing_order_new"), _grid(**{"lines-0-product": "NOPE"})
    )
    # and: no price, and the supplier has none
    unpriced = client.post(
        reverse("purchasing_order_new"), _grid(**{"lines-0-unit_price": ""})
    )
    # then
    assert unknown.status_code == unpriced.status_code == 422
    assert "商品 NOPE 不存在。" in unknown.content.decode()
    html = unpriced.content.decode()
    assert "供应商没有 CUP 的价格，请输入单价。" in html
    assert 'data-field="lines-0-unit_price"' in html
    assert not PurchaseOrder.objects.exists()


def test_a_new_row_of_the_grid_comes_from_the_server(shop: Shop) -> None:
    client = as_member(shop.company, Role.PURCHASER)
    order_row = client.get(reverse("purchasing_line_row"), {"index": "7"})
    requisition_row = client.get(
        reverse("purchasing_line_row"), {"kind": "requisition", "index": "2"}
    )
    assert 'name="lines-7-warehouse"' in order_row.content.decode()
    assert 'name="lines-2-supplier"' in requisition_row.content.decode()


def test_an_order_is_confirmed_by_us_and_the_supplier_then_closed(
    shop: Shop,
) -> None:
    # given
    client = as_member(shop.company, Role.PURCHASER)
    client.post(reverse("purchasing_order_new"), _grid())
    order = PurchaseOrder.objects.get()
    # when
    client.post(reverse("purchasing_order_confirm", args=[order.pk]))
    # then
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED
    assert order.number.startswith("CGDD-2026-")
    # when: the supplier's date is before the order's
    url = reverse("purchasing_order_supplier_confirmation", args=[order.pk])
    refused = client.post(url, {"reference": "SO-88", "line_1": "2026-03-01"})
    # then: refused on the line, nothing recorded
    assert refused.status_code == 422
    assert "A confirmed date cannot be before the order date." in (
        refused.content.decode()
    )
    order.refresh_from_db()
    assert order.supplier_confirmed_at is None
    assert order.lines.get().confirmed_date is None
    # when: a good date
    client.post(url, {"reference": "SO-88", "line_1": "2026-03-09"})
    # then
    order.refresh_from_db()
    assert order.supplier_reference == "SO-88"
    assert order.lines.get().confirmed_date == datetime.date(2026, 3, 9)
    # when: closed
    client.post(reverse("purchasing_order_close", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.DONE


def test_above_the_threshold_an_order_waits_for_an_approver(shop: Shop) -> None:
    # given: orders above 100.00 need approval
    PurchaseSettings.objects.filter(company=shop.company).update(
        approval_threshold=D("100")
    )
    buyer = as_member(shop.company, Role.PURCHASER)
    buyer.post(reverse("purchasing_order_new"), _grid())
    order = PurchaseOrder.objects.get()
    # when: the buyer confirms the 113.00 order
    buyer.post(reverse("purchasing_order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.SUBMITTED
    # then: the buyer may not approve it; the boss may
    assert (
        buyer.post(reverse("purchasing_order_approve", args=[order.pk])).status_code
        == 403
    )
    boss = as_owner(shop.company)
    assert (
        'data-action="approve"'
        in boss.get(reverse("purchasing_order", args=[order.pk])).content.decode()
    )
    boss.post(reverse("purchasing_order_reject", args=[order.pk]), {"note": "Too dear"})
    order.refresh_from_db()
    assert (order.state, order.memo) == (OrderState.DRAFT, "Too dear")
    buyer.post(reverse("purchasing_order_confirm", args=[order.pk]))
    boss.post(reverse("purchasing_order_approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED


def test_the_order_prints_to_pdf(shop: Shop) -> None:
    # given
    order = _order(shop)
    client = as_member(shop.company, Role.WAREHOUSE)
    # when
    response = client.get(reverse("purchasing_order_pdf", args=[order.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert order.number in text
    assert "华东杯业" in text
    assert "113.00" in text
    assert "壹佰壹拾叁元整" in text


# --- receipts and returns -----------------------------------------------------------


def test_receiving_more_than_ordered_is_refused_on_the_line(shop: Shop) -> None:
    # given
    order = _order(shop)
    keeper = as_member(shop.company, Role.WAREHOUSE)
    # when: 11 of 10
    response = keeper.post(
        reverse("purchasing_order_receive", args=[order.pk]),
        _quantities([(order.lines.get().pk, "11")], date="2026-03-03", memo=""),
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert "beyond the ordered 10" in html
    assert 'data-field="lines-0-quantity"' in html
    assert not GoodsReceipt.objects.exists()
    assert order.lines.get().received_quantity == 0


def test_a_receipt_links_its_voucher_and_takes_a_return(shop: Shop) -> None:
    # given
    receipt = _received(shop)
    keeper = as_member(shop.company, Role.WAREHOUSE)
    voucher = Voucher.objects.get(source_kind=RECEIPT_KIND, source_id=receipt.pk)
    page = keeper.get(reverse("purchasing_receipt", args=[receipt.pk]))
    assert reverse("ledger_voucher", args=[voucher.pk]) in page.content.decode()
    # and: the voucher drills through to the receipt
    voucher_page = as_owner(shop.company).get(
        reverse("ledger_voucher", args=[voucher.pk])
    )
    assert reverse("purchasing_receipt", args=[receipt.pk]) in (
        voucher_page.content.decode()
    )
    url = reverse("purchasing_receipt_return", args=[receipt.pk])
    line = receipt.lines.get()
    # when: more than came in, then 3
    refused = keeper.post(
        url, _quantities([(line.pk, "11")], date="2026-03-04", reason="broken")
    )
    assert refused.status_code == 422
    assert "only 10 of this receipt can still be returned" in refused.content.decode()
    assert not PurchaseReturn.objects.exists()
    response = keeper.post(
        url, _quantities([(line.pk, "3")], date="2026-03-04", reason="broken")
    )
    # then: 3 cups at 10.00, not yet invoiced: no credit
    purchase_return = PurchaseReturn.objects.get()
    assert response["Location"] == reverse(
        "purchasing_return", args=[purchase_return.pk]
    )
    assert (purchase_return.value_total, purchase_return.credit_total) == (
        D("30.00"),
        D("0.00"),
    )
    html = keeper.get(response["Location"]).content.decode()
    assert receipt.number in html


# --- supplier invoices --------------------------------------------------------------


def _invoice_form(
    order: PurchaseOrder, price: str, quantity: str = "10", **fields: str
) -> dict[str, str]:
    return {
        "supplier": "V01",
        "invoice_number": "04400001",
        "date": "2026-03-10",
        "due_date": "",
        "memo": "",
        **_quantities([(order.lines.get().pk, quantity)]),
        "lines-0-unit_price": price,
        **fields,
    }


def test_a_matching_invoice_is_entered_and_posts(shop: Shop) -> None:
    # given
    receipt = _received(shop)
    accountant = as_member(shop.company, Role.ACCOUNTANT)
    form = accountant.get(reverse("purchasing_invoice_new"), {"supplier": "V01"})
    html = form.content.decode()
    assert receipt.order.number in html
    assert 'name="lines-0-quantity" value="10"' in html
    assert 'name="lines-0-unit_price" value="10"' in html
    # when
    response = accountant.post(
        reverse("purchasing_invoice_new"), _invoice_form(receipt.order, "10")
    )
    # then: posted, 113.00 owed from 30 days after the invoice
    invoice = SupplierInvoice.objects.get()
    assert response["Location"] == reverse("purchasing_invoice", args=[invoice.pk])
    assert (invoice.state, invoice.total) == (InvoiceState.POSTED, D("113.00"))
    assert invoice.due_date == datetime.date(2026, 4, 9)
    page = accountant.get(response["Location"]).content.decode()
    assert reverse("ledger_voucher", args=[invoice.voucher_id]) in page
    order_page = accountant.get(
        reverse("purchasing_order", args=[receipt.order_id])
    ).content.decode()
    assert reverse("purchasing_invoice", args=[invoice.pk]) in order_page


def test_an_invoice_number_entered_twice_is_refused_in_chinese(shop: Shop) -> None:
    # given: 4 of the 10 cups invoiced
    receipt = _received(shop)
    accountant = as_member(shop.company, Role.ACCOUNTANT, chinese=True)
    url = reverse("purchasing_invoice_new")
    accountant.post(url, _invoice_form(receipt.order, "10", quantity="4"))
    # when: the other 6 under the same invoice number
    response = accountant.post(url, _invoice_form(receipt.order, "10", quantity="6"))
    # then: refused on the number, in Chinese
    assert response.status_code == 422
    assert "该供应商的发票 04400001 已录入。" in response.content.decode()
    assert SupplierInvoice.objects.count() == 1


def test_a_mismatched_price_waits_among_the_exceptions_until_accepted(
    shop: Shop,
) -> None:
    # given: billed at 12 against an order at 10
    receipt = _received(shop)
    buyer = as_member(shop.company, Role.PURCHASER)
    buyer.post(reverse("purchasing_invoice_new"), _invoice_form(receipt.order, "12"))
    invoice = SupplierInvoice.objects.get()
    assert invoice.state == InvoiceState.EXCEPTION
    # then: the exceptions list gives the line's reason
    listed = buyer.get(reverse("purchasing_exceptions")).content.decode()
    assert invoice.number in listed
    assert "CUP: invoiced at 12, ordered at 10." in listed
    # when: accepted without a note
    url = reverse("purchasing_invoice_accept", args=[invoice.pk])
    refused = buyer.post(url, {"note": ""})
    # then: refused on the note, still waiting
    assert refused.status_code == 422
    assert "Say why the invoice is accepted." in refused.content.decode()
    invoice.refresh_from_db()
    assert (invoice.state, invoice.resolution) == (InvoiceState.EXCEPTION, "")
    # when: with a note
    buyer.post(url, {"note": "Price rise agreed by phone"})
    # then: posted at 12: 120.00 + 15.60 VAT
    invoice.refresh_from_db()
    assert (invoice.state, invoice.total) == (InvoiceState.POSTED, D("135.60"))
    assert invoice.pk not in [
        row.pk for row in SupplierInvoice.objects.filter(state=InvoiceState.EXCEPTION)
    ]


def test_an_invoice_before_the_goods_is_matched_again_once_they_come(
    shop: Shop,
) -> None:
    # given: an invoice for goods not yet received
    order = _order(shop)
    buyer = as_member(shop.company, Role.PURCHASER)
    form = buyer.get(reverse("purchasing_invoice_new"), {"supplier": "V01"})
    html = form.content.decode()
    assert order.number in html
    assert 'name="lines-0-quantity" value' not in html  # nothing came in yet
    buyer.post(reverse("purchasing_invoice_new"), _invoice_form(order, "10"))
    invoice = SupplierInvoice.objects.get()
    page = buyer.get(reverse("purchasing_invoice", args=[invoice.pk]))
    assert "nothing received is waiting for an invoice" in page.content.decode()
    # when: matched again before and after the goods come
    url = reverse("purchasing_invoice_rematch", args=[invoice.pk])
    buyer.post(url)
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.EXCEPTION
    services.receive_goods(order=order, actor=None, date=DAY)
    buyer.post(url)
    # then
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.POSTED


def test_an_exception_is_cancelled_with_a_note(shop: Shop) -> None:
    order = _order(shop)
    buyer = as_member(shop.company, Role.PURCHASER)
    buyer.post(reverse("purchasing_invoice_new"), _invoice_form(order, "10"))
    invoice = SupplierInvoice.objects.get()
    buyer.post(
        reverse("purchasing_invoice_cancel", args=[invoice.pk]),
        {"note": "Wrong supplier"},
    )
    invoice.refresh_from_db()
    assert (invoice.state, invoice.resolution) == (
        InvoiceState.CANCELLED,
        "Wrong supplier",
    )


# --- payments and payables reports --------------------------------------------------


def _payment_form(**fields: str) -> dict[str, str]:
    return {
        "supplier": "V01",
        "date": "2026-03-20",
        "account": "",
        "amount": "113",
        "discount": "",
        "memo": "",
        **fields,
    }


def test_a_payment_settles_the_invoice_and_refusals_write_nothing(
    shop: Shop,
) -> None:
    # given: 113.00 owed
    invoice = _invoice(shop, _received(shop))
    item = PayableItem.objects.get(source_id=invoice.pk)
    cashier = as_member(shop.company, Role.CASHIER)
    page = cashier.get(reverse("purchasing_payment_new"), {"supplier": "V01"})
    assert invoice.number in page.content.decode()
    fragment = cashier.get(
        reverse("purchasing_payment_new"), {"supplier": "V01"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="payment-items">')
    url = reverse("purchasing_payment_new")
    # when: more than is open, not a prepayment; then too much on the item
    too_much = cashier.post(url, _payment_form(amount="200"))
    over_item = cashier.post(url, _payment_form(**{f"allocate-{item.pk}": "150"}))
    # then
    assert too_much.status_code == over_item.status_code == 422
    assert "More than is open; mark it a prepayment." in too_much.content.decode()
    assert f"Only 113.00 of {invoice.number} is open." in over_item.content.decode()
    assert not Payment.objects.exists()
    # when: 113.00
    response = cashier.post(url, _payment_form())
    # then
    payment = Payment.objects.get()
    assert response["Location"] == reverse("purchasing_payment", args=[payment.pk])
    item.refresh_from_db()
    assert item.open_amount == 0
    html = cashier.get(response["Location"]).content.decode()
    assert reverse("ledger_voucher", args=[payment.voucher_id]) in html
    assert reverse("purchasing_invoice", args=[invoice.pk]) in html


def test_a_prepayment_is_applied_to_a_later_invoice(shop: Shop) -> None:
    # given: 50.00 paid ahead, then 113.00 invoiced
    cashier = as_member(shop.company, Role.CASHIER)
    cashier.post(
        reverse("purchasing_payment_new"),
        _payment_form(amount="50", is_prepayment="on", date="2026-03-01"),
    )
    payment = Payment.objects.get()
    assert payment.unallocated == D("50.00")
    invoice = _invoice(shop, _received(shop))
    page = cashier.get(reverse("purchasing_payment", args=[payment.pk]))
    assert 'data-action="apply"' in page.content.decode()
    # when
    cashier.post(
        reverse("purchasing_payment_apply", args=[payment.pk]), {"date": "2026-03-10"}
    )
    # then: 113.00 − 50.00 = 63.00 still owed
    payment.refresh_from_db()
    assert payment.unallocated == 0
    assert PayableItem.objects.get(source_id=invoice.pk).open_amount == D("63.00")


def test_the_aging_and_the_statement(shop: Shop) -> None:
    # given: 113.00 invoiced on 2 March, due 1 April; 13.00 paid on 20 March
    invoice = _invoice(shop, _received(shop))
    services.record_payment(
        company=shop.company,
        actor=None,
        data=services.PaymentData(
            supplier=shop.vendor, date=datetime.date(2026, 3, 20), amount=D("13")
        ),
    )
    client = as_member(shop.company, Role.ACCOUNTANT)
    # when
    aging = client.get(
        reverse("purchasing_aging"), {"as_of": "2026-04-15", "basis": "due_date"}
    ).content.decode()
    statement = client.get(
        reverse("purchasing_statement"),
        {"supplier": "V01", "date_from": "2026-03-01", "date_to": "2026-03-31"},
    ).content.decode()
    # then: 100.00 open, 14 days past due (the first bucket)
    assert 'data-supplier="V01"' in aging
    assert "100.00" in aging
    assert reverse("purchasing_statement") in aging
    # and: +113.00, −13.00, closing 100.00, each line linking its document
    assert reverse("purchasing_invoice", args=[invoice.pk]) in statement
    assert 'data-total="closing">100.00<' in statement
    unknown = client.get(
        reverse("purchasing_statement"),
        {"supplier": "NOPE", "date_from": "2026-03-01", "date_to": "2026-03-31"},
    )
    assert "There is no supplier NOPE." in unknown.content.decode()


# --- requisitions -------------------------------------------------------------------


def _requisition_grid(**fields: str) -> dict[str, str]:
    data = {
        "date": "2026-03-02",
        "warehouse": "",
        "needed_by": "2026-03-20",
        "reason": "Low stock",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-product": "CUP",
        "lines-0-quantity": "20",
        "lines-0-supplier": "V01 华东杯业",
        "lines-0-unit_price": "10",
    }
    data.update(fields)
    return data


def test_a_requisition_is_asked_approved_and_ordered(shop: Shop) -> None:
    # given: requisitions above 100.00 need approval
    PurchaseSettings.objects.filter(company=shop.company).update(
        approval_threshold=D("100")
    )
    keeper = as_member(shop.company, Role.WAREHOUSE)
    grid = _requisition_grid(warehouse=str(shop.warehouse.pk))
    # when: the keeper asks for 20 cups of an unknown supplier, then of V01
    refused = keeper.post(
        reverse("purchasing_requisition_new"),
        {**grid, "lines-0-supplier": "NOPE"},
    )
    assert refused.status_code == 422
    assert "There is no supplier NOPE." in refused.content.decode()
    assert not Requisition.objects.exists()
    keeper.post(reverse("purchasing_requisition_new"), grid)
    requisition = Requisition.objects.get()
    assert requisition.total == D("200.00")
    keeper.post(reverse("purchasing_requisition_submit", args=[requisition.pk]))
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.SUBMITTED
    # when: the boss rejects it without a reason
    boss = Client()
    boss.force_login(testing.owner_of(shop.company))
    url = reverse("purchasing_requisition_reject", args=[requisition.pk])
    response = boss.post(url, {"note": ""})
    # then: refused in Chinese on the note, nothing changed
    assert response.status_code == 422
    assert "请说明驳回请购单的理由。" in response.content.decode()
    requisition.refresh_from_db()
    assert requisition.state == RequisitionState.SUBMITTED
    # when: approved, then ordered by the buyer
    boss.post(
        reverse("purchasing_requisition_approve", args=[requisition.pk]),
        {"note": "OK"},
    )
    buyer = as_member(shop.company, Role.PURCHASER)
    response = buyer.post(
        reverse("purchasing_requisition_order", args=[requisition.pk])
    )
    # then: one draft order of V01, confirmed without a second approval
    order = PurchaseOrder.objects.get(requisition=requisition)
    assert response["Location"] == reverse("purchasing_order", args=[order.pk])
    assert (order.supplier, order.total) == (shop.vendor, D("226.00"))
    buyer.post(reverse("purchasing_order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED
    page = keeper.get(reverse("purchasing_requisition", args=[requisition.pk]))
    assert reverse("purchasing_order", args=[order.pk]) in page.content.decode()


def test_a_salesperson_asks_but_sees_no_order(shop: Shop) -> None:
    seller = as_member(shop.company, Role.SALES)
    assert seller.get(reverse("purchasing_requisitions")).status_code == 200
    assert seller.get(reverse("purchasing_orders")).status_code == 403
