"""Receipts, settlements and their undoing; revenue on invoicing. Every
voucher is checked against hand-worked figures (13 % VAT, prices include
VAT, costs 10.00 a unit)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import Company
from zhongshu.ledger.models import Period
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.sales import services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import (
    Delivery,
    ItemKind,
    Receipt,
    ReceivableItem,
    SalesSettings,
    Settlement,
    SettlementKind,
)

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date(2026, 3, 2)


def balances(company: Company, *codes: str) -> dict[str, Decimal]:
    return {code: sales_testing.balance(company, code) for code in codes}


def delivered(
    company: Company, customer: Customer, quantity: str, price: str
) -> Delivery:
    product = sales_testing.stocked_product(
        company,
        f"P{ReceivableItem.objects.count()}{quantity}{price.replace('.', '')}",
        quantity="100",
    )
    order = sales_testing.confirmed_order(
        company, customer, [(product, quantity, price)]
    )
    return services.deliver(order=order, actor=None, date=DAY)


def test_a_bank_charge_goes_to_finance_expenses() -> None:
    company = sales_testing.sales_company("CHARGE")
    customer = partners_testing.make_customer(company)
    delivered(company, customer, "10", "113")  # 1,130.00
    services.record_receipt(
        company=company,
        actor=None,
        customer=customer,
        date=DAY,
        amount=D("1130"),
        bank_charge=D("5"),
    )
    # Dr 1002 1,125.00, Dr 5603 5.00 / Cr 1122 1,130.00.
    assert balances(company, "1002", "5603", "1122") == {
        "1002": D("1125.00"),
        "5603": D("5.00"),
        "1122": D("0.00"),
    }


def test_a_small_difference_is_written_off_within_the_tolerance_only() -> None:
    company = sales_testing.sales_company("DIFF")
    customer = partners_testing.make_customer(company)
    delivery = delivered(company, customer, "1", "100.50")
    services.record_receipt(
        company=company, actor=None, customer=customer, date=DAY, amount=D("100")
    )
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    assert item.open_amount == D("0.50")
    services.write_off_difference(item=item, actor=None, date=DAY)
    item.refresh_from_db()
    assert item.open_amount == 0
    assert balances(company, "1122", "5603") == {"1122": D("0"), "5603": D("0.50")}
    big = delivered(company, customer, "1", "50")
    big_item = ReceivableItem.objects.get(source_id=big.pk)
    with pytest.raises(ValidationError, match=r"Only differences up to 10\.00"):
        services.write_off_difference(item=big_item, actor=None, date=DAY)


def test_undoing_a_settlement_reopens_the_item_and_restores_the_advance() -> None:
    company = sales_testing.sales_company("UNDO")
    customer = partners_testing.make_customer(company)
    delivery = delivered(company, customer, "2", "100")  # 200.00
    receipt = services.record_receipt(
        company=company, actor=None, customer=customer, date=DAY, amount=D("250")
    )
    # Dr 1002 250 / Cr 1122 200, Cr 2203 50.
    assert balances(company, "1122", "2203") == {"1122": D("0"), "2203": D("-50.00")}
    settlement = Settlement.objects.get(receipt=receipt)
    services.undo_settlement(settlement=settlement, actor=None)
    item = ReceivableItem.objects.get(source_id=delivery.pk)
    receipt.refresh_from_db()
    assert (item.open_amount, receipt.unallocated) == (D("200.00"), D("250.00"))
    # Dr 1122 200 / Cr 2203 200: the whole receipt is an advance again.
    assert balances(company, "1122", "2203") == {
        "1122": D("200.00"),
        "2203": D("-250.00"),
    }
    with pytest.raises(ConflictError, match="already been undone"):
        services.undo_settlement(settlement=settlement, actor=None)
    # Applied again later, then undone: the application's voucher is reversed.
    [applied] = services.apply_advance(receipt=receipt, actor=None, date=DAY)
    assert applied.amount == D("200.00")
    assert balances(company, "1122", "2203") == {"1122": D("0"), "2203": D("-50.00")}
    services.undo_settlement(settlement=applied, actor=None)
    assert balances(company, "1122", "2203") == {
        "1122": D("200.00"),
        "2203": D("-250.00"),
    }


def test_a_settlement_in_a_closed_period_cannot_be_undone() -> None:
    company = sales_testing.sales_company("CLOSED")
    customer = partners_testing.make_customer(company)
    delivered(company, customer, "1", "10")
    receipt = services.record_receipt(
        company=company, actor=None, customer=customer, date=DAY, amount=D("10")
    )
    Period.objects.filter(company=company, start_on__lte=DAY, end_on__gte=DAY).update(
        is_closed=True
    )
    with pytest.raises(ConflictError, match="period of this settlement is closed"):
        services.undo_settlement(
            settlement=Settlement.objects.get(receipt=receipt), actor=None
        )


def test_manual_allocation_settles_the_named_item_not_the_oldest() -> None:
    company = sales_testing.sales_company("MANUAL")
    customer = partners_testing.make_customer(company)
    older = delivered(company, customer, "1", "30")
    newer = delivered(company, customer, "1", "40")
    newer_item = ReceivableItem.objects.get(source_id=newer.pk)
    services.record_receipt(
        company=company,
        actor=None,
        customer=customer,
        date=DAY,
        amount=D("40"),
        allocations=[services.Allocation(newer_item, D("40"))],
    )
    open_amounts = {
        item.source_id: item.open_amount
        for item in ReceivableItem.objects.filter(company=company)
    }
    assert open_amounts == {older.pk: D("30.00"), newer.pk: D("0.00")}


def test_revenue_on_invoicing_moves_cost_through_goods_shipped() -> None:
    """Delivery of 5 × 22.60 (cost 10.00): Dr 1406 50.00 / Cr 1405 50.00, no
    receivable yet. Return of 1 before invoicing: Dr 1405 10 / Cr 1406 10.
    The invoice bills 4: 90.40 (VAT 10.40, net 80.00) — Dr 1122 90.40 / Cr
    5001 80.00, Cr 22210107 10.40 — and moves the cost: Dr 5401 40.00 / Cr
    1406 40.00."""
    company = sales_testing.sales_company("INVOICE", revenue_recognition="invoice")
    customer = partners_testing.make_customer(company, payment_terms_days=15)
    product = sales_testing.stocked_product(company, "A", quantity="10")
    order = sales_testing.confirmed_order(company, customer, [(product, "5", "22.60")])
    delivery = services.deliver(order=order, actor=None, date=DAY)
    assert balances(company, "1406", "1405", "1122", "5001") == {
        "1406": D("50.00"),
        "1405": D("50.00"),
        "1122": D("0"),
        "5001": D("0"),
    }
    assert not ReceivableItem.objects.filter(company=company).exists()
    sales_return = services.return_goods(
        delivery=delivery,
        actor=None,
        date=DAY,
        lines=[
            services.ReturnLineData(delivery_line=delivery.lines.get(), quantity=D(1))
        ],
    )
    assert not sales_return.reverses_revenue
    assert balances(company, "1406", "1405") == {"1406": D("40.00"), "1405": D("60.00")}
    invoice = services.invoice_deliveries(
        company=company,
        actor=None,
        date=datetime.date(2026, 3, 10),
        deliveries=[delivery],
    )
    assert (
        invoice.total,
        invoice.tax_total,
        invoice.net_total,
        invoice.cost_total,
    ) == (
        D("90.40"),
        D("10.40"),
        D("80.00"),
        D("40.00"),
    )
    assert balances(company, "1122", "5001", "22210107", "5401", "1406") == {
        "1122": D("90.40"),
        "5001": D("-80.00"),
        "22210107": D("-10.40"),
        "5401": D("40.00"),
        "1406": D("0.00"),
    }
    item = ReceivableItem.objects.get(company=company)
    assert (item.kind, item.due_date) == (ItemKind.INVOICE, datetime.date(2026, 3, 25))
    with pytest.raises(ValidationError, match="already invoiced"):
        services.invoice_deliveries(
            company=company, actor=None, date=DAY, deliveries=[delivery]
        )
    # A return after invoicing reverses revenue and credits the invoice.
    services.return_goods(
        delivery=delivery,
        actor=None,
        date=datetime.date(2026, 3, 12),
        lines=[
            services.ReturnLineData(delivery_line=delivery.lines.get(), quantity=D(1))
        ],
    )
    item.refresh_from_db()
    assert item.open_amount == D("67.80")
    assert balances(company, "1122", "5401", "1406") == {
        "1122": D("67.80"),
        "5401": D("30.00"),
        "1406": D("0.00"),
    }


def test_a_delivery_company_cannot_invoice_deliveries() -> None:
    company = sales_testing.sales_company("NOINV")
    customer = partners_testing.make_customer(company)
    delivery = delivered(company, customer, "1", "10")
    with pytest.raises(
        ValidationError, match="recognised its revenue when it was made"
    ):
        services.invoice_deliveries(
            company=company,
            actor=None,
            date=DAY,
            deliveries=[delivery],
        )
    assert SalesSettings.objects.get(company=company).revenue_recognition == "delivery"


def test_a_return_credit_on_a_paid_delivery_stays_open_and_nets_later() -> None:
    company = sales_testing.sales_company("CREDIT")
    customer = partners_testing.make_customer(company)
    delivery = delivered(company, customer, "2", "50")
    services.record_receipt(
        company=company, actor=None, customer=customer, date=DAY, amount=D("100")
    )
    services.return_goods(
        delivery=delivery,
        actor=None,
        date=DAY,
        lines=[
            services.ReturnLineData(
                delivery_line=delivery.lines.get(),
                quantity=D(1),
            )
        ],
    )
    credit = ReceivableItem.objects.get(kind=ItemKind.RETURN)
    assert credit.open_amount == D("-50.00")
    assert sales_testing.balance(company, "1122") == D("-50.00")
    assert not Settlement.objects.filter(kind=SettlementKind.CREDIT).exists()
    assert Receipt.objects.get().unallocated == 0
    # The next delivery (3 × 20 = 60.00) is netted with the open credit:
    # 60.00 − 50.00 leaves 10.00 to pay; the ledger says the same.
    later = delivered(company, customer, "3", "20")
    credit.refresh_from_db()
    later_item = ReceivableItem.objects.get(source_id=later.pk, kind=ItemKind.DELIVERY)
    assert (credit.open_amount, later_item.open_amount) == (D("0"), D("10.00"))
    assert sales_testing.balance(company, "1122") == D("10.00")


def test_receivable_accounts_track_customers_unless_they_have_postings() -> None:
    from zhongshu.inventory import testing as inventory_testing
    from zhongshu.ledger import testing as ledger_testing
    from zhongshu.ledger.models import Account
    from zhongshu.sales.services.setup import track_customers

    fresh = inventory_testing.stocked_company("FRESH")
    assert track_customers(fresh) == ["1122", "2203"]
    assert track_customers(fresh) == []
    used = inventory_testing.stocked_company("USED")
    ledger_testing.posted(
        used,
        DAY,
        ledger_testing.line("开账", "1122", debit="10"),
        ledger_testing.line("开账", "1002", credit="10"),
    )
    # 1122 has postings without a customer: it keeps its dimensions.
    assert track_customers(used) == ["2203"]
    assert Account.objects.get(company=used, code="1122").dimensions == []


def test_opening_receivables_become_items_that_receipts_settle() -> None:
    """期初: 1122 opens at 1,000.00 — customer H owes 600.00, L 400.00 (and
    3001 capital 1,000.00). After taking them in, a receipt of 250.00 from H
    settles his opening item, and the subledger equals the ledger."""
    from zhongshu.core import testing as core_testing
    from zhongshu.ledger import services as ledger_services
    from zhongshu.ledger.services.opening import OpeningFigures, OpeningInput
    from zhongshu.sales import checks
    from zhongshu.sales.selectors import documents, receivables

    company = sales_testing.sales_company("OPEN")
    h = partners_testing.make_customer(company, "H")
    lianhe = partners_testing.make_customer(company, "L")
    owner = core_testing.owner_of(company)
    ledger_services.set_opening_balances(
        company=company,
        actor=owner,
        balances={
            "1122": OpeningInput(
                debit=D("1000"),
                by_dimension={
                    "customer": {
                        h.pk: OpeningFigures(debit=D("600")),
                        lianhe.pk: OpeningFigures(debit=D("400")),
                    }
                },
            ),
            "3001": OpeningInput(credit=D("1000")),
        },
    )
    assert any("1122" in p for p in checks.receivables_match_ledger())
    items = services.take_opening_receivables(company=company, actor=owner)
    assert sorted((i.customer.code, i.amount, i.date) for i in items) == [
        ("H", D("600.00"), datetime.date(2025, 12, 31)),
        ("L", D("400.00"), datetime.date(2025, 12, 31)),
    ]
    assert services.take_opening_receivables(company=company, actor=owner) == []
    assert checks.receivables_match_ledger() == []
    services.record_receipt(
        company=company, actor=None, customer=h, date=DAY, amount=D("250")
    )
    opening = ReceivableItem.objects.get(customer=h, kind=ItemKind.OPENING)
    assert opening.open_amount == D("350.00")
    assert sales_testing.balance(company, "1122", customer=h) == D("-250.00")
    assert checks.receivables_match_ledger() == []
    # H's statement from December: the opening 600.00, the receipt 250.00.
    report = receivables.statement(
        company, h, datetime.date(2025, 12, 1), datetime.date(2026, 3, 31)
    )
    assert [(line.kind, line.increase, line.decrease) for line in report.lines] == [
        ("opening", D("600.00"), D("0")),
        ("receipt", D("0"), D("250.00")),
    ]
    assert (report.opening, report.closing) == (D("0"), D("350.00"))
    receipt = Receipt.objects.get(customer=h)
    flow = documents.document_flow(company, "sales.receipt", receipt.pk)
    assert [node.kind for node in flow] == [
        "sales.item",
        "sales.settlement",
        "sales.receipt",
    ]


def test_opening_receivables_over_the_api_and_the_settings_page() -> None:
    from django.test import Client

    from zhongshu.core import testing as core_testing
    from zhongshu.ledger import services as ledger_services
    from zhongshu.ledger.services.opening import OpeningFigures, OpeningInput

    company = sales_testing.sales_company("OPENAPI")
    h = partners_testing.make_customer(company, "H")
    owner = core_testing.owner_of(company)
    ledger_services.set_opening_balances(
        company=company,
        actor=owner,
        balances={
            "1122": OpeningInput(
                debit=D("80"),
                by_dimension={"customer": {h.pk: OpeningFigures(debit=D("80"))}},
            ),
            "3001": OpeningInput(credit=D("80")),
        },
    )
    warehouse_keeper = core_testing.member(company, ["warehouse"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(warehouse_keeper)
    assert client.post("/sales/settings/opening-receivables/").status_code == 403
    client.force_login(owner)
    response = client.post("/sales/settings/opening-receivables/", follow=True)
    assert "1 opening receivable items taken in." in response.content.decode()
    item = ReceivableItem.objects.get(company=company, kind=ItemKind.OPENING)
    assert (item.customer, item.amount) == (h, D("80.00"))
