"""Receipts recorded in a batch (``record_receipts``) leave the books exactly
as recording them one by one does; a bad receipt refuses the whole batch.
Prices include VAT, so an item is quantity × price."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.ledger.models import Period, Voucher, VoucherLine
from zhongshu.ledger.services.vouchers import DIMENSION_FIELDS
from zhongshu.partners import testing as partners_testing
from zhongshu.partners.models import Customer
from zhongshu.partners.services import set_customer_active
from zhongshu.sales import checks, services
from zhongshu.sales import testing as sales_testing
from zhongshu.sales.models import PaymentMethod, Receipt, ReceivableItem, Settlement
from zhongshu.sales.services import ReceiptData

pytestmark = pytest.mark.django_db

D = Decimal
MAR_2 = datetime.date(2026, 3, 2)
MAR_5 = datetime.date(2026, 3, 5)
APR_2 = datetime.date(2026, 4, 2)

# (customer, delivered on, quantity, price). A's second item is delivered
# earlier than the first, so it falls due first although it is created later.
ITEMS = [
    ("A", MAR_2, "1", "100"),  # due 04-01
    ("A", datetime.date(2026, 2, 10), "1", "50"),  # due 03-12
    ("A", MAR_2, "1", "30"),  # due 04-01, after the first by id
    ("B", MAR_2, "2", "100"),  # 200.00, due 03-02
    ("B", MAR_2, "1", "80"),
    ("C", datetime.date(2026, 2, 20), "1", "60"),  # due 03-02
]
# The delivery numbers of ITEMS, in order.
ITEM = {
    name: f"XSCK-2026-{n:05d}"
    for n, name in enumerate(["A1", "A2", "A3", "B1", "B2", "C1"], 1)
}
TERMS = {"A": 30, "B": 0, "C": 10, "D": 0}


def books(code: str) -> tuple[Company, dict[str, Customer]]:
    """A company with the open items of ``ITEMS``; D owes nothing."""
    company = sales_testing.sales_company(code)
    customers = {
        name: partners_testing.make_customer(
            company, name, payment_terms_days=TERMS[name]
        )
        for name in TERMS
    }
    product = sales_testing.stocked_product(company, "P", quantity="1000")
    for name, day, quantity, price in ITEMS:
        order = sales_testing.confirmed_order(
            company, customers[name], [(product, quantity, price)], day=day
        )
        services.deliver(order=order, actor=None, date=day)
    return company, customers


def entries(customers: dict[str, Customer]) -> list[ReceiptData]:
    a, b, c, d = (customers[name] for name in "ABCD")
    return [
        # A2 50.00 in full, then A1 70.00 of 100.00: a part payment.
        ReceiptData(customer=a, date=MAR_2, amount=D("120")),
        # B1 200.00 in full; the bank keeps 5.00.
        ReceiptData(customer=b, date=MAR_2, amount=D("200"), bank_charge=D("5")),
        # C1 60.00 in full, 40.00 an advance.
        ReceiptData(customer=c, date=MAR_2, amount=D("100"), method=PaymentMethod.CASH),
        # A again: the 30.00 left on A1, then 20.00 of A3.
        ReceiptData(
            customer=a, date=MAR_5, amount=D("50"), method=PaymentMethod.WECHAT
        ),
        ReceiptData(customer=b, date=MAR_5, amount=D("30"), memo="part of B2"),
        # D owes nothing: all of it an advance.
        ReceiptData(customer=d, date=MAR_5, amount=D("25")),
        # A a third time: the 10.00 left on A3, 10.00 an advance.
        ReceiptData(customer=a, date=MAR_5, amount=D("20")),
    ]


def one_by_one(company: Company, receipts: list[ReceiptData]) -> list[Receipt]:
    return [
        services.record_receipt(
            company=company,
            actor=None,
            customer=data.customer,
            date=data.date,
            amount=data.amount,
            method=data.method,
            account=data.account,
            bank_charge=data.bank_charge,
            memo=data.memo,
        )
        for data in receipts
    ]


def snapshot(company: Company, audit_after: int) -> dict[str, Any]:
    """What receipts leave behind, with customers by code (ids differ
    between companies)."""
    codes = dict(Customer.objects.filter(company=company).values_list("pk", "code"))
    receipts = list(Receipt.objects.filter(company=company).order_by("number"))
    vouchers = {
        v.source_id: v
        for v in Voucher.objects.filter(company=company, source_kind="sales.receipt")
    }
    return {
        "receipts": [
            (
                r.number,
                codes[r.customer_id],
                r.date,
                r.method,
                r.account.code,
                r.amount,
                r.bank_charge,
                r.unallocated,
                r.advance_account.code,
                r.memo,
            )
            for r in receipts
        ],
        "settlements": [
            (
                s.receipt.number if s.receipt else "",
                s.item.number,
                s.date,
                s.kind,
                s.amount,
            )
            for s in Settlement.objects.filter(company=company)
            .select_related("receipt", "item")
            .order_by("pk")
        ],
        "items": [
            (i.number, codes[i.customer_id], i.open_amount)
            for i in ReceivableItem.objects.filter(company=company).order_by("pk")
        ],
        "vouchers": [
            voucher_of(vouchers[r.pk], codes) if r.pk in vouchers else None
            for r in receipts
        ],
        "audit": sorted(
            (e.object_kind, e.action, e.object_repr, str(e.changes))
            for e in AuditEntry.objects.filter(company=company, pk__gt=audit_after)
        ),
    }


def voucher_of(voucher: Voucher, codes: dict[int, str]) -> tuple[Any, ...]:
    lines = VoucherLine.objects.filter(voucher=voucher).select_related("account")
    return (
        voucher.word,
        voucher.number,
        voucher.date,
        voucher.state,
        voucher.total,
        [
            (
                line.line_no,
                line.summary,
                line.account.code,
                line.debit,
                line.credit,
                {
                    kind: codes[value] if kind == "customer" else value
                    for kind, field in DIMENSION_FIELDS.items()
                    if (value := getattr(line, field)) is not None
                },
            )
            for line in lines.order_by("line_no")
        ],
    )


def last_audit_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_batch_leaves_the_books_as_receipts_one_by_one_do() -> None:
    # given: two companies with the same open items
    singly, singly_customers = books("SINGLY")
    batched, batched_customers = books("BATCHED")
    # when
    mark = last_audit_id()
    one_by_one(singly, entries(singly_customers))
    single = snapshot(singly, mark)
    mark = last_audit_id()
    recorded = services.record_receipts(
        company=batched, actor=None, receipts=entries(batched_customers)
    )
    batch = snapshot(batched, mark)
    # then: the same numbers, settlements, open amounts, vouchers and audit
    assert [r.number for r in recorded] == [f"SK-2026-{n:05d}" for n in range(1, 8)]
    assert all(r.pk is not None for r in recorded)
    for part in ("receipts", "settlements", "items", "vouchers", "audit"):
        assert batch[part] == single[part], part
    # and they are the hand-worked ones
    assert [row[7] for row in batch["receipts"]] == [
        D("0"),
        D("0"),
        D("40.00"),
        D("0"),
        D("0"),
        D("25.00"),
        D("10.00"),
    ]
    assert [(row[1], row[4]) for row in batch["settlements"]] == [
        (ITEM["A2"], D("50.00")),
        (ITEM["A1"], D("70.00")),
        (ITEM["B1"], D("200.00")),
        (ITEM["C1"], D("60.00")),
        (ITEM["A1"], D("30.00")),
        (ITEM["A3"], D("20.00")),
        (ITEM["B2"], D("30.00")),
        (ITEM["A3"], D("10.00")),
    ]
    assert [row[2] for row in batch["items"]] == [D("0")] * 4 + [D("50.00"), D("0")]
    # Dr 1002 195.00, Dr 5603 5.00 / Cr 1122 200.00 (customer B).
    assert batch["vouchers"][1][5] == [
        (1, "Receipt SK-2026-00002 from 客户 B", "1002", D("195.00"), D("0"), {}),
        (2, "Receipt SK-2026-00002 from 客户 B", "5603", D("5.00"), D("0"), {}),
        (
            3,
            "Receipt SK-2026-00002 from 客户 B",
            "1122",
            D("0"),
            D("200.00"),
            {"customer": "B"},
        ),
    ]
    # A voucher created and posted, and the receipt created, per receipt.
    assert len(batch["audit"]) == 7 * 3
    assert checks.receivables_match_ledger() == []


def nothing_written(company: Company, before: dict[str, Any]) -> None:
    assert snapshot(company, before["audit_mark"]) == before["snapshot"]
    assert Voucher.objects.filter(company=company).count() == before["vouchers"]
    # The receipt numbers were not consumed.
    receipt = services.record_receipt(
        company=company,
        actor=None,
        customer=Customer.objects.get(company=company, code="B"),
        date=MAR_5,
        amount=D("1"),
    )
    assert receipt.number == "SK-2026-00001"


def state_of(company: Company) -> dict[str, Any]:
    mark = last_audit_id()
    return {
        "audit_mark": mark,
        "snapshot": snapshot(company, mark),
        "vouchers": Voucher.objects.filter(company=company).count(),
    }


def test_a_bad_amount_refuses_the_whole_batch() -> None:
    # given
    company, customers = books("BADAMOUNT")
    before = state_of(company)
    receipts = entries(customers)
    receipts[3] = ReceiptData(customer=customers["A"], date=MAR_5, amount=D("0"))
    # when
    with pytest.raises(ValidationError) as raised:
        services.record_receipts(company=company, actor=None, receipts=receipts)
    # then
    assert raised.value.message == "Receipt 4: The amount must be greater than zero."
    assert list(raised.value.fields) == ["receipts.3.amount"]
    nothing_written(company, before)


def test_a_disabled_customer_refuses_the_whole_batch() -> None:
    # given
    company, customers = books("DISABLED")
    set_customer_active(
        customer=customers["D"], actor=core_testing.owner_of(company), active=False
    )
    customers["D"].refresh_from_db()
    before = state_of(company)
    # when
    with pytest.raises(ValidationError) as raised:
        services.record_receipts(
            company=company,
            actor=None,
            receipts=[
                *entries(customers)[:3],
                ReceiptData(customer=customers["D"], date=MAR_5, amount=D("5")),
            ],
        )
    # then
    assert raised.value.message == "Receipt 4: Customer D is disabled."
    assert list(raised.value.fields) == ["receipts.3.customer"]
    nothing_written(company, before)


def test_a_refusal_while_posting_undoes_what_the_batch_wrote() -> None:
    """The 4th receipt falls in a closed period: the vouchers are refused
    after the receipts and settlements were written, and all of it goes."""
    # given
    company, customers = books("CLOSEDBATCH")
    Period.objects.filter(
        company=company, start_on__lte=APR_2, end_on__gte=APR_2
    ).update(is_closed=True)
    before = state_of(company)
    receipts = entries(customers)
    receipts[3] = ReceiptData(customer=customers["A"], date=APR_2, amount=D("50"))
    # when
    with pytest.raises(ConflictError, match=r"Entry 4: Period .* is closed"):
        services.record_receipts(company=company, actor=None, receipts=receipts)
    # then
    nothing_written(company, before)


def test_an_empty_batch_records_nothing() -> None:
    company = sales_testing.sales_company("EMPTY")
    assert services.record_receipts(company=company, actor=None, receipts=[]) == []


def test_a_batch_of_25_receipts_takes_a_bounded_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    """37 queries for a batch of 1, 5 or 25 (38 when the year's receipt
    sequence is created); ``record_receipt`` takes 25 to 31 a receipt, 675
    for these 25 one by one."""
    # given: five customers owing 100.00 each; five receipts of 30.00 each,
    # interleaved — settling, then part advance, then advances
    company = sales_testing.sales_company("QUERIES")
    product = sales_testing.stocked_product(company, "P", quantity="1000")
    customers = [partners_testing.make_customer(company, f"Q{n}") for n in range(5)]
    for customer in customers:
        order = sales_testing.confirmed_order(
            company, customer, [(product, "1", "100")]
        )
        services.deliver(order=order, actor=None, date=MAR_2)
    receipts = [
        ReceiptData(
            customer=customers[n % 5],
            date=MAR_5,
            amount=D("30"),
            method=PaymentMethod.CASH if n % 3 else PaymentMethod.BANK_TRANSFER,
            bank_charge=D("1") if n % 4 == 0 else D("0"),
        )
        for n in range(25)
    ]
    # when
    with django_assert_max_num_queries(40):
        recorded = services.record_receipts(
            company=company, actor=None, receipts=receipts
        )
    # then
    assert len(recorded) == 25
    assert [r.unallocated for r in recorded[10:20:5]] == [D("0"), D("20.00")]
    assert set(
        ReceivableItem.objects.filter(company=company).values_list(
            "open_amount", flat=True
        )
    ) == {D("0")}
    assert checks.receivables_match_ledger() == []
