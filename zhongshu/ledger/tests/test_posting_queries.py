"""What posting a generated voucher costs in queries, and that the cheaper
path books what the create-then-post path booked.

Counts include the SAVEPOINT and RELEASE of ``post_voucher``'s atomic block
(the test runs inside a transaction). A generated, auto-posted 3-line voucher
with a customer dimension cost 22 queries when the draft was created and then
posted (settings read three times, the period twice, the voucher inserted
then updated, totals read then updated, two audit INSERTs); it costs 15 now:
the settings locked once, accounts, period, numbering (rule, sequence lock,
sequence update), one INSERT each for the voucher (numbered and posted), its
lines and both audit entries, one upsert each for the period and dimension
totals, the posting record and the chain head.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from zhongshu.core.consistency import run_all
from zhongshu.core.models import AuditEntry, Company
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.checks import posting_chain_is_intact
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import (
    Account,
    DimensionTotal,
    LedgerSettings,
    PeriodTotal,
    PostingRecord,
    Voucher,
    VoucherState,
)
from zhongshu.ledger.testing import accountant, company_with_books, line

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 10)
QUERIES_NOW = 15  # 22 when the draft was created, then posted


@pytest.fixture
def books() -> Company:
    """Books whose receivables are tracked by customer."""
    company = company_with_books("QUERIES")
    services.update_account(
        account=Account.objects.get(company=company, code="1122"),
        actor=accountant(company),
        name="应收账款",
        dimensions=["customer"],
    )
    return company


def _sale(customer: int = 7) -> list[LineInput]:
    # 113.00 = 100.00 net + 13.00 output VAT (13 %).
    return [
        line("赊销", "1122", debit="113.00", customer=customer),
        line("赊销", "5001", credit="100.00"),
        line("销项税", "22210107", credit="13.00"),
    ]


def _post(company: Company, source_id: int, customer: int = 7) -> Voucher:
    return services.post_voucher(
        company=company,
        date=MARCH,
        lines=_sale(customer),
        source=SourceRef("test.sale", source_id),
    )


def _totals(company: Company) -> dict[tuple[object, ...], tuple[Decimal, Decimal]]:
    rows = PeriodTotal.objects.filter(company=company).select_related("account")
    dims = DimensionTotal.objects.filter(company=company).select_related("account")
    return {
        **{(t.account.code,): (t.debit, t.credit) for t in rows},
        **{
            (d.account.code, d.dimension, d.value_id): (d.debit, d.credit) for d in dims
        },
    }


def test_posting_a_generated_voucher_stays_cheap(
    books: Company, django_assert_max_num_queries: Any
) -> None:
    """Into a period that already has its totals (they are added to):
    22 queries before, 15 now."""
    # given: one posting already made, so the totals exist
    _post(books, 1)
    # when / then
    with django_assert_max_num_queries(QUERIES_NOW):
        voucher = _post(books, 2)
    assert (voucher.state, voucher.number) == (VoucherState.POSTED, 2)


def test_the_first_posting_of_a_period_stays_cheap(
    books: Company, django_assert_max_num_queries: Any
) -> None:
    """Into a period without totals yet (the same upserts insert them). The
    first voucher of a word in a month also makes numbering create the
    month's sequence (a SAVEPOINT, an INSERT and a RELEASE): 15 + 3."""
    with django_assert_max_num_queries(QUERIES_NOW + 3):
        voucher = _post(books, 1)
    assert (voucher.state, voucher.number) == (VoucherState.POSTED, 1)


def test_totals_are_added_to_and_inserted_where_missing(books: Company) -> None:
    # when: two sales to customer 7 and one to customer 8 in March
    _post(books, 1)
    _post(books, 2)
    _post(books, 3, customer=8)
    # then: 1122 debit 3 × 113.00 = 339.00; 5001 credit 3 × 100.00 = 300.00;
    # 22210107 credit 3 × 13.00 = 39.00; customer 7: 2 × 113.00 = 226.00
    assert _totals(books) == {
        ("1122",): (Decimal("339.00"), Decimal("0.00")),
        ("5001",): (Decimal("0.00"), Decimal("300.00")),
        ("22210107",): (Decimal("0.00"), Decimal("39.00")),
        ("1122", "customer", 7): (Decimal("226.00"), Decimal("0.00")),
        ("1122", "customer", 8): (Decimal("113.00"), Decimal("0.00")),
    }
    assert [r.sequence for r in PostingRecord.objects.filter(company=books)] == [
        1,
        2,
        3,
    ]
    assert LedgerSettings.objects.get(company=books).chain_length == 3
    assert posting_chain_is_intact() == []
    assert [r.name for r in run_all() if not r.passed] == []


def test_unposting_subtracts_from_the_totals(books: Company) -> None:
    # given: two sales to customer 7, the second unposted
    _post(books, 1)
    second = _post(books, 2)
    # when
    services.unpost_voucher(voucher=second, actor=accountant(books))
    # then: back to one sale, 113.00 / 100.00 / 13.00; the rows stay
    assert _totals(books) == {
        ("1122",): (Decimal("113.00"), Decimal("0.00")),
        ("5001",): (Decimal("0.00"), Decimal("100.00")),
        ("22210107",): (Decimal("0.00"), Decimal("13.00")),
        ("1122", "customer", 7): (Decimal("113.00"), Decimal("0.00")),
    }
    assert posting_chain_is_intact() == []


def test_a_posted_voucher_keeps_its_created_and_posted_audit_entries(
    books: Company,
) -> None:
    # when
    voucher = _post(books, 1)
    # then: as when the draft was created and then posted
    entries = AuditEntry.objects.filter(
        company=books, object_kind="ledger.voucher", object_id=str(voucher.pk)
    ).order_by("id")
    assert [(e.action, e.object_repr, e.changes) for e in entries] == [
        ("created", "记-? (2026-03-10)", {}),
        ("posted", "记-0001 (2026-03)", {"state": ["draft", "posted"]}),
    ]
    voucher.refresh_from_db()
    assert voucher.posted_at is not None
    assert (voucher.is_generated, voucher.source_kind, voucher.source_id) == (
        True,
        "test.sale",
        1,
    )


def test_companies_that_review_generated_vouchers_still_get_drafts(
    books: Company,
) -> None:
    # given
    LedgerSettings.objects.filter(company=books).update(auto_post=False)
    # when
    voucher = _post(books, 1)
    # then: an unnumbered draft, one "created" entry, nothing in the books
    assert (voucher.state, voucher.number) == (VoucherState.DRAFT, None)
    assert voucher.lines.count() == 3
    assert list(
        AuditEntry.objects.filter(
            company=books, object_kind="ledger.voucher", object_id=str(voucher.pk)
        ).values_list("action", flat=True)
    ) == ["created"]
    assert not PeriodTotal.objects.filter(company=books).exists()
    assert not PostingRecord.objects.filter(company=books).exists()
