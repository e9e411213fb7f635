"""Procure to pay as a business story, every voucher and balance worked out
by hand. The company is a general VAT taxpayer on the small-enterprise chart
(2202 应付账款 is both the payable and the estimate account, tracking
suppliers), moving average costing, prices without VAT."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core import consistency
from zhongshu.core import testing as core_testing
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import services as inventory
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import StockBalance, Warehouse
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Voucher
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    InvoiceState,
    OrderState,
    PayableItem,
    SupplierInvoice,
)
from zhongshu.purchasing.services.common import INVOICE_KIND, RECEIPT_KIND

pytestmark = pytest.mark.django_db
D = Decimal


def lines_of(voucher: Voucher) -> list[tuple[str, str, str]]:
    return sorted(
        (line.account.code, f"{line.debit:.2f}", f"{line.credit:.2f}")
        for line in voucher.lines.select_related("account")
    )


def vouchers_of(kind: str, source_id: int) -> list[Voucher]:
    return list(
        Voucher.objects.filter(source_kind=kind, source_id=source_id).order_by("id")
    )


def test_order_receive_part_sell_invoice_at_another_price_and_pay_with_discount() -> (
    None
):
    """Shirts 100 × ¥10.00 and trousers 50 × ¥20.00 (13 % VAT) are ordered;
    60 shirts and all trousers arrive and are booked at the order price
    (暂估); 20 shirts are sold; the invoice bills the shirts at ¥10.50; it
    is paid less a ¥10.00 discount."""
    # given
    company = purchasing_testing.purchasing_company("P2P")
    owner = core_testing.owner_of(company)
    warehouse = Warehouse.objects.get(company=company, code="WH1")
    shirt = inventory_testing.product(company, "SHIRT")
    trousers = inventory_testing.product(company, "TROUSERS")
    vendor = purchasing_testing.supplier(company, "V01", payment_terms_days=30)
    # when: the order — 1,000.00 + 130.00 VAT for each line
    order = purchasing_testing.confirmed_order(
        company, vendor, [(shirt, "100", "10.00"), (trousers, "50", "20.00")]
    )
    # then
    assert order.state == OrderState.CONFIRMED
    assert (order.net_total, order.tax_total, order.total) == (
        D("2000.00"),
        D("260.00"),
        D("2260.00"),
    )
    shirt_line, trousers_line = order.lines.order_by("line_no")

    # when: 60 shirts and 50 trousers arrive on 3 March
    receipt = services.receive_goods(
        order=order,
        actor=owner,
        date=datetime.date(2026, 3, 3),
        lines=[
            services.ReceiptLineData(order_line=shirt_line, quantity=D("60")),
            services.ReceiptLineData(order_line=trousers_line, quantity=D("50")),
        ],
    )
    # then: 60/100 of 1,000.00 = 600.00 and all of 1,000.00, owed as an estimate
    assert receipt.value_total == D("1600.00")
    (receipt_voucher,) = vouchers_of(RECEIPT_KIND, receipt.pk)
    assert lines_of(receipt_voucher) == [
        ("1405", "1600.00", "0.00"),
        ("2202", "0.00", "1600.00"),
    ]
    assert receipt_voucher.lines.get(account__code="2202").supplier_id == vendor.pk
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("-1600.00")
    order.refresh_from_db()
    assert order.state == OrderState.CONFIRMED  # 40 shirts still to come

    # when: 20 shirts are sold (issued to cost of sales) on 5 March at 10.00
    inventory.issue(
        company=company,
        date=datetime.date(2026, 3, 5),
        lines=[inventory.MoveLine(product=shirt, warehouse=warehouse, quantity=D(20))],
        counter=inventory.Counterpart(Role.COST_OF_SALES),
        source=SourceRef("test.sale", 1),
    )
    assert purchasing_testing.balance(company, "5401") == D("200.00")

    # when: the invoice comes on 10 March: shirts 60 × 10.50 = 630.00 + 81.90
    # VAT, trousers 50 × 20.00 = 1,000.00 + 130.00 — total 1,841.90
    invoice = services.enter_invoice(
        company=company,
        actor=owner,
        data=services.InvoiceData(
            supplier=vendor,
            invoice_number="26442000000012345678",
            date=datetime.date(2026, 3, 10),
            lines=[
                services.InvoiceLineData(
                    order_line=shirt_line, quantity=D("60"), unit_price=D("10.50")
                ),
                services.InvoiceLineData(
                    order_line=trousers_line, quantity=D("50"), unit_price=D("20.00")
                ),
            ],
        ),
    )
    # then: 10.50 is 5 % above the order price, beyond the 1 % tolerance
    assert invoice.state == InvoiceState.EXCEPTION
    assert [p["code"] for p in invoice.problems] == ["price"]
    assert invoice.problems[0]["line"] == 0
    assert not vouchers_of(INVOICE_KIND, invoice.pk)

    # when: the buyer accepts the price
    invoice = services.resolve_invoice(invoice=invoice, actor=owner, note="涨价已确认")
    # then: the estimate of 1,600.00 is reversed at the invoice value of
    # 1,630.00 with 211.90 input VAT, against the payable of 1,841.90 ...
    assert invoice.state == InvoiceState.POSTED
    assert (invoice.net_total, invoice.tax_total, invoice.total) == (
        D("1630.00"),
        D("211.90"),
        D("1841.90"),
    )
    invoice_voucher, revaluation = vouchers_of(INVOICE_KIND, invoice.pk)
    (adjustment,) = Voucher.objects.filter(
        company=company, source_kind="inventory.cost_adjustment"
    )
    assert lines_of(invoice_voucher) == [
        ("2202", "0.00", "1841.90"),
        ("2202", "1630.00", "0.00"),
        ("22210101", "211.90", "0.00"),
    ]
    # ... and the 30.00 difference on the shirts goes to stock, of which the
    # 20 sold of the 60 (10.00) move on to cost of sales: stock +20.00
    assert lines_of(revaluation) == [
        ("1405", "30.00", "0.00"),
        ("2202", "0.00", "30.00"),
    ]
    assert lines_of(adjustment) == [
        ("1405", "0.00", "10.00"),
        ("5401", "10.00", "0.00"),
    ]
    shirts = StockBalance.objects.get(product=shirt, warehouse=warehouse)
    assert (shirts.on_hand, shirts.value) == (D("40"), D("420.00"))
    assert purchasing_testing.balance(company, "5401") == D("210.00")
    assert purchasing_testing.balance(company, "1405") == D("1420.00")
    # the estimate is cleared; what is owed is the invoice
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("-1841.90")
    item = PayableItem.objects.get(company=company, source_id=invoice.pk)
    assert (item.open_amount, item.due_date) == (
        D("1841.90"),
        datetime.date(2026, 4, 9),
    )

    # when: paid on 20 March: 1,831.90 from the bank, 10.00 discount granted
    payment = services.record_payment(
        company=company,
        actor=owner,
        data=services.PaymentData(
            supplier=vendor,
            date=datetime.date(2026, 3, 20),
            amount=D("1831.90"),
            discount=D("10.00"),
        ),
    )
    # then
    assert lines_of(payment.voucher) == [  # type: ignore[arg-type]
        ("1002", "0.00", "1831.90"),
        ("2202", "1841.90", "0.00"),
        ("5603", "0.00", "10.00"),
    ]
    item.refresh_from_db()
    assert item.open_amount == D("0.00")
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("0.00")
    assert purchasing_testing.balance(company, "22210101") == D("211.90")
    assert purchasing_testing.balance(company, "1002") == D("-1831.90")
    shirt_line.refresh_from_db()
    assert (shirt_line.received_quantity, shirt_line.invoiced_quantity) == (
        D("60"),
        D("60"),
    )
    # and the payables subledger agrees with the ledger
    assert [r.problems for r in consistency.run_all() if not r.passed] == []


def test_small_scale_taxpayer_puts_input_vat_into_the_cost() -> None:
    """A small-scale taxpayer cannot deduct input VAT: 10 × ¥100.00 + 13 %
    comes in at 1,130.00 and the invoice posts no VAT."""
    company = purchasing_testing.purchasing_company("SMALL")
    company.taxpayer_type = "small_scale"
    company.save(update_fields=["taxpayer_type"])
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V02")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "100")])
    receipt = services.receive_goods(
        order=order, actor=owner, date=datetime.date(2026, 3, 3)
    )
    assert receipt.value_total == D("1130.00")
    line = order.lines.get()
    invoice = services.enter_invoice(
        company=company,
        actor=owner,
        data=services.InvoiceData(
            supplier=vendor,
            invoice_number="INV-1",
            date=datetime.date(2026, 3, 4),
            lines=[
                services.InvoiceLineData(
                    order_line=line, quantity=D("10"), unit_price=D("100")
                )
            ],
        ),
    )
    assert invoice.state == InvoiceState.POSTED
    assert lines_of(invoice.voucher) == [  # type: ignore[arg-type]
        ("2202", "0.00", "1130.00"),
        ("2202", "1130.00", "0.00"),
    ]
    assert purchasing_testing.balance(company, "22210101") == D("0")
    assert SupplierInvoice.objects.get(pk=invoice.pk).problems == []
    order.refresh_from_db()
    assert order.state == OrderState.DONE
