"""Payments, prepayments and purchase returns, with the payables subledger
checked against the ledger after each story."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core import consistency
from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ValidationError
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import StockBalance
from zhongshu.ledger.models import Voucher
from zhongshu.partners.models import Supplier
from zhongshu.purchasing import services
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import (
    GoodsReceipt,
    PayableItem,
    Payment,
    PurchaseOrder,
)

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2026, 3, 10)


def lines_of(voucher: Voucher | None) -> list[tuple[str, str, str]]:
    assert voucher is not None
    return sorted(
        (line.account.code, f"{line.debit:.2f}", f"{line.credit:.2f}")
        for line in voucher.lines.select_related("account")
    )


def books_agree() -> None:
    assert [r.problems for r in consistency.run_all() if not r.passed] == []


@pytest.fixture
def invoiced() -> tuple[PurchaseOrder, GoodsReceipt, Supplier]:
    """10 cups at 100.00 net received and invoiced: 1,130.00 owed."""
    company = purchasing_testing.purchasing_company("PAY")
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "100")])
    receipt = services.receive_goods(
        order=order, actor=owner, date=datetime.date(2026, 3, 3)
    )
    services.enter_invoice(
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
    return order, receipt, vendor


def pay(vendor: Supplier, amount: str, **fields: object) -> Payment:
    company = vendor.company
    return services.record_payment(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.PaymentData(
            supplier=vendor,
            date=DAY,
            amount=D(amount),
            **fields,  # type: ignore[arg-type]
        ),
    )


def test_paying_more_than_is_open_needs_a_prepayment(invoiced) -> None:
    _order, _receipt, vendor = invoiced
    with pytest.raises(ValidationError) as error:
        pay(vendor, "1500.00")
    assert "amount" in error.value.fields
    assert not Payment.objects.filter(company=vendor.company).exists()
    assert PayableItem.objects.get(company=vendor.company).open_amount == D("1130.00")
    # marked a prepayment, the 370.00 over waits on 预付账款
    payment = pay(vendor, "1500.00", is_prepayment=True)
    assert payment.unallocated == D("370.00")
    assert lines_of(payment.voucher) == [
        ("1002", "0.00", "1500.00"),
        ("1123", "370.00", "0.00"),
        ("2202", "1130.00", "0.00"),
    ]
    books_agree()


def test_a_prepayment_applies_to_a_later_invoice() -> None:
    company = purchasing_testing.purchasing_company("PREPAY")
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    # 500.00 paid before anything is owed
    payment = pay(vendor, "500.00", is_prepayment=True)
    assert payment.unallocated == D("500.00")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "4", "100")])
    services.receive_goods(order=order, actor=owner, date=DAY)
    services.enter_invoice(
        company=company,
        actor=owner,
        data=services.InvoiceData(
            supplier=vendor,
            invoice_number="F2",
            date=DAY,
            lines=[
                services.InvoiceLineData(
                    order_line=order.lines.get(), quantity=D(4), unit_price=D(100)
                )
            ],
        ),
    )
    # the invoice is 452.00; the prepayment covers it and 48.00 stays
    (row,) = services.apply_prepayment(payment=payment, actor=owner, date=DAY)
    assert row.amount == D("452.00")
    assert lines_of(row.voucher) == [
        ("1123", "0.00", "452.00"),
        ("2202", "452.00", "0.00"),
    ]
    payment.refresh_from_db()
    assert payment.unallocated == D("48.00")
    assert PayableItem.objects.get(company=company).open_amount == D("0.00")
    books_agree()


def test_allocations_may_not_exceed_what_is_open(invoiced) -> None:
    _order, _receipt, vendor = invoiced
    item = PayableItem.objects.get(company=vendor.company)
    with pytest.raises(ValidationError) as error:
        pay(
            vendor,
            "1200.00",
            allocations=[services.Allocation(item, D("1200.00"))],
        )
    assert "allocations.0.amount" in error.value.fields
    assert not Voucher.objects.filter(source_kind="purchasing.payment").exists()


def test_returning_goods_not_yet_invoiced_takes_them_off_the_estimate() -> None:
    company = purchasing_testing.purchasing_company("RETEST")
    owner = core_testing.owner_of(company)
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    order = purchasing_testing.confirmed_order(company, vendor, [(cup, "10", "30")])
    receipt = services.receive_goods(order=order, actor=owner, date=DAY)
    document = services.return_goods(
        receipt=receipt,
        actor=owner,
        date=DAY,
        lines=[
            services.ReturnLineData(receipt_line=receipt.lines.get(), quantity=D(4))
        ],
    )
    # 4 × 30.00 back: Dr 2202 (estimate) 120.00 / Cr 1405 120.00; no credit
    assert (document.value_total, document.credit_total) == (D("120.00"), D("0"))
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("-180.00")
    assert StockBalance.objects.get(product=cup).on_hand == D("6")
    # more than is left is refused
    with pytest.raises(ValidationError):
        services.return_goods(
            receipt=receipt,
            actor=owner,
            date=DAY,
            lines=[
                services.ReturnLineData(receipt_line=receipt.lines.get(), quantity=D(7))
            ],
        )
    books_agree()


def test_returning_invoiced_goods_credits_the_payable_with_its_vat(invoiced) -> None:
    order, receipt, vendor = invoiced
    company = order.company
    document = services.return_goods(
        receipt=receipt,
        actor=core_testing.owner_of(company),
        date=DAY,
        lines=[
            services.ReturnLineData(receipt_line=receipt.lines.get(), quantity=D(2))
        ],
    )
    # 2 × 100.00 at cost, 26.00 VAT: the supplier owes 226.00 back, set
    # against the open invoice of 1,130.00
    assert (document.value_total, document.credit_total) == (D("200.00"), D("226.00"))
    credit_voucher = Voucher.objects.filter(
        source_kind="purchasing.return", source_id=document.pk
    ).order_by("id")[1]
    assert lines_of(credit_voucher) == [
        ("2202", "0.00", "200.00"),
        ("2202", "226.00", "0.00"),
        ("22210101", "0.00", "26.00"),
    ]
    invoice_item = PayableItem.objects.get(company=company, kind="invoice")
    assert invoice_item.open_amount == D("904.00")
    assert purchasing_testing.balance(company, "2202", supplier=vendor) == D("-904.00")
    line = order.lines.get()
    assert (line.returned_quantity, line.invoiced_quantity) == (D(2), D(8))
    books_agree()
