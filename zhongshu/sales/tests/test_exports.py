"""Printing: the delivery note (发货单) and the customer statement (对账单)
as PDF with their Chinese names, figures and amounts in words; the aging as
an Excel workbook."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from openpyxl import load_workbook

from zhongshu.partners import testing as partners_testing
from zhongshu.sales import exports, services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import Delivery, SalesOrder
from zhongshu.sales.selectors import receivables as reports
from zhongshu.sales.tests.test_receivables_reports import day

pytestmark = pytest.mark.django_db

D = Decimal


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages
    )


@pytest.fixture
def delivery() -> Delivery:
    """商品 CUP (500ml 保温杯) 3 × 22.60 = 67.80 and 商品 TEA 2 × 45.20 =
    90.40: 158.20,
    VAT 158.20 × 0.13 / 1.13 = 18.20, net 140.00."""
    company = sales_testing.sales_company("PRINT")
    cup = sales_testing.stocked_product(company, "CUP", specification="500ml 保温杯")
    tea = sales_testing.stocked_product(company, "TEA")
    customer = partners_testing.make_customer(company, "K", name="杭州西湖贸易有限公司")
    order = sales_testing.confirmed_order(
        company,
        customer,
        [(cup, "3", "22.60"), (tea, "2", "45.20")],
        day=day(3, 2),
        delivery_address="杭州市西湖区文三路 100 号",
    )
    return services.deliver(order=order, actor=None, date=day(3, 3))


def test_delivery_note_pdf(delivery: Delivery) -> None:
    loaded = reports.delivery_note(delivery.company, delivery.pk)
    text = text_of(exports.delivery_note_pdf(loaded))
    assert delivery.total == D("158.20")
    for expected in (
        "Delivery note",
        delivery.number,
        SalesOrder.objects.get().number,
        "杭州西湖贸易有限公司",
        "杭州市西湖区文三路 100 号",
        "商品 CUP",
        "500ml 保温杯",
        "商品 TEA",
        "22.60",
        "67.80",
        "45.20",
        "90.40",
        "158.20",
        # 158.20 in words.
        "壹佰伍拾捌元贰角整",
        "VAT 18.20, amount excluding VAT 140.00",
        "Received by (customer)",
    ):
        assert expected in text, expected


def test_statement_pdf(delivery: Delivery) -> None:
    company = delivery.company
    services.record_receipt(
        company=company,
        actor=None,
        customer=delivery.customer,
        date=day(3, 9),
        amount=D("100"),
    )
    report = reports.statement(company, delivery.customer, day(3, 1), day(3, 31))
    # 0 + 158.20 − 100.00 = 58.20 owed.
    assert report.closing == D("58.20")
    text = text_of(exports.statement_pdf(company, report))
    for expected in (
        "Statement of account: K 杭州西湖贸易有限公司",
        "2026-03-01 to 2026-03-31",
        delivery.number,
        "158.20",
        "100.00",
        "58.20",
        "伍拾捌元贰角整",
        "Closing balance owed to us",
    ):
        assert expected in text, expected


def test_aging_xlsx(delivery: Delivery) -> None:
    company = delivery.company
    report = reports.aging(company, day(3, 12))
    sheet = load_workbook(io.BytesIO(exports.aging_xlsx(company, report))).active
    assert sheet is not None
    rows = [
        [cell for cell in row if cell is not None]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[0] == ["Receivables aging"]
    # K's 158.20, 9 days old on 03-12, in 0–30; no advances.
    assert ["K", "杭州西湖贸易有限公司", 158.2, 158.2, 158.2] in rows
