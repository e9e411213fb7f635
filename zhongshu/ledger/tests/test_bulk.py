"""The bulk posting path: the same books as posting one by one, all or none."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from zhongshu.core.consistency import run_all
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import AuditEntry, Company
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    DimensionTotal,
    LedgerSettings,
    Period,
    PeriodTotal,
    PostingRecord,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.services import VoucherEntry, post_vouchers
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 10)
APRIL = datetime.date(2026, 4, 2)


def _books(code: str) -> Company:
    """Books whose receivables are tracked by customer."""
    company = company_with_books(code)
    services.update_account(
        account=Account.objects.get(company=company, code="1122"),
        actor=accountant(company),
        name="应收账款",
        dimensions=["customer"],
    )
    return company


def _entries() -> list[VoucherEntry]:
    """Five vouchers over March and April, two voucher words."""
    sale = [
        line("赊销", "1122", debit="113.00", customer=7),
        line("赊销", "5001", credit="100.00"),
        line("销项税", "22210107", credit="13.00"),
    ]
    receipt = [
        line("收款", "1002", debit="50.00"),
        line("收款", "1122", credit="50.00", customer=7),
    ]
    other = [
        line("赊销", "1122", debit="20.00", customer=8),
        line("赊销", "5001", credit="20.00"),
    ]
    return [
        VoucherEntry(MARCH, sale, SourceRef("test.sale", 1)),
        VoucherEntry(MARCH, receipt, SourceRef("test.receipt", 1), word="收"),
        VoucherEntry(APRIL, sale, SourceRef("test.sale", 2), attachments=2),
        VoucherEntry(MARCH, other, SourceRef("test.sale", 3)),
        VoucherEntry(APRIL, receipt, SourceRef("test.receipt", 2), word="收"),
    ]


def _one_by_one(company: Company, entries: list[VoucherEntry]) -> list[Voucher]:
    return [
        services.post_voucher(
            company=company,
            date=entry.date,
            lines=entry.lines,
            source=entry.source,
            word=entry.word,
            attachments=entry.attachments,
        )
        for entry in entries
    ]


def _totals(company: Company) -> dict[tuple[object, ...], tuple[Decimal, Decimal]]:
    rows = PeriodTotal.objects.filter(company=company).select_related("account")
    dims = DimensionTotal.objects.filter(company=company).select_related("account")
    return {
        **{
            (t.period.number, t.account.code): (t.debit, t.credit)
            for t in rows.select_related("period")
        },
        **{
            (d.period.number, d.account.code, d.dimension, d.value_id): (
                d.debit,
                d.credit,
            )
            for d in dims.select_related("period")
        },
    }


def _failures() -> list[str]:
    return [f"{r.name}: {r.problems}" for r in run_all() if not r.passed]


def _nothing_written(company: Company) -> None:
    assert not Voucher.objects.filter(company=company).exists()
    assert not VoucherLine.objects.filter(company=company).exists()
    assert not PeriodTotal.objects.filter(company=company).exists()
    assert not PostingRecord.objects.filter(company=company).exists()
    assert LedgerSettings.objects.get(company=company).chain_length == 0


def test_a_batch_books_exactly_what_posting_one_by_one_books():
    # given: two companies with the same chart
    bulk_books, single_books = _books("BULK"), _books("SINGLE")
    # when: the same entries, in bulk and one by one
    batch = post_vouchers(company=bulk_books, entries=_entries())
    singles = _one_by_one(single_books, _entries())
    # then: the same numbers, states and totals, and every check passes
    assert [(v.word, v.number, v.state) for v in batch] == [
        (v.word, v.number, v.state) for v in singles
    ]
    assert [(v.period.number, v.word, v.number) for v in batch] == [
        (3, "记", 1),
        (3, "收", 1),
        (4, "记", 1),
        (3, "记", 2),
        (4, "收", 1),
    ]
    assert _totals(bulk_books) == _totals(single_books)
    # March 1122: debits 113.00 + 20.00 = 133.00, credit 50.00;
    # customer 7: 113.00 / 50.00, customer 8: 20.00 / 0.
    totals = _totals(bulk_books)
    assert totals[(3, "1122")] == (Decimal("133.00"), Decimal("50.00"))
    assert totals[(3, "1122", "customer", 7)] == (Decimal("113.00"), Decimal("50.00"))
    assert totals[(3, "1122", "customer", 8)] == (Decimal("20.00"), Decimal("0.00"))
    assert totals[(4, "5001")] == (Decimal("0.00"), Decimal("100.00"))
    chain = list(PostingRecord.objects.filter(company=bulk_books).order_by("sequence"))
    twin = list(PostingRecord.objects.filter(company=single_books).order_by("sequence"))
    assert [r.sequence for r in chain] == [1, 2, 3, 4, 5]
    # The company code is part of the content, so only the shape compares.
    assert [r.voucher_id for r in chain] == [v.pk for v in batch]
    assert len(twin) == len(chain)
    assert [
        (a.action, a.object_repr, a.changes)
        for a in AuditEntry.objects.filter(
            company=bulk_books, object_kind="ledger.voucher"
        ).order_by("id")
    ] == [
        (a.action, a.object_repr, a.changes)
        for a in AuditEntry.objects.filter(
            company=single_books, object_kind="ledger.voucher"
        ).order_by("id")
    ]
    assert _failures() == []


def test_a_bad_entry_in_the_middle_refuses_the_whole_batch():
    # given: entry 2 posts to 1122 without its customer
    books = _books("BULK")
    entries = _entries()
    entries[2] = VoucherEntry(
        APRIL,
        [line("赊销", "5001", credit="10.00"), line("赊销", "1122", debit="10.00")],
        SourceRef("test.sale", 9),
    )
    # when / then: the error names the entry and its line; nothing written
    with translation.override("en"), pytest.raises(ValidationError) as error:
        post_vouchers(company=books, entries=entries)
    assert "entries.2.lines.1" in error.value.fields
    assert error.value.message.startswith("Entry 3: ")
    _nothing_written(books)


def test_an_unbalanced_entry_refuses_the_batch():
    # given: entry 1 debits 10.00 and credits 9.99
    books = _books("BULK")
    entries = _entries()
    entries[1] = VoucherEntry(
        MARCH,
        [line("x", "1002", debit="10.00"), line("x", "5001", credit="9.99")],
        SourceRef("test.sale", 9),
    )
    # when / then
    with pytest.raises(ValidationError) as error:
        post_vouchers(company=books, entries=entries)
    assert "entries.1.lines" in error.value.fields
    _nothing_written(books)


def test_a_closed_period_in_one_entry_refuses_the_batch():
    # given: February is closed; entry 3 is dated in it
    books = _books("BULK")
    Period.objects.filter(company=books, year=2026, number=2).update(is_closed=True)
    entries = _entries()
    entries[3] = VoucherEntry(
        datetime.date(2026, 2, 27), entries[3].lines, entries[3].source
    )
    # when / then
    with pytest.raises(ConflictError) as error:
        post_vouchers(company=books, entries=entries)
    assert "entries.3.date" in error.value.fields
    _nothing_written(books)


def test_the_chain_continues_across_single_and_bulk_postings():
    # given: a single posting, then a batch, then a single posting again
    books = _books("BULK")
    first = posted(
        books,
        MARCH,
        line("投资款", "1002", debit="1000.00"),
        line("投资款", "3001", credit="1000.00"),
    )
    batch = post_vouchers(company=books, entries=_entries())
    last = posted(
        books,
        APRIL,
        line("投资款", "1002", debit="500.00"),
        line("投资款", "3001", credit="500.00"),
    )
    # then: numbers and sequence run on without gaps; the chain checks out
    assert [v.number for v in [first, *batch, last] if v.word == "记"] == [
        1,
        2,
        1,
        3,
        2,
    ]
    records = PostingRecord.objects.filter(company=books).order_by("sequence")
    assert [r.sequence for r in records] == [1, 2, 3, 4, 5, 6, 7]
    assert LedgerSettings.objects.get(company=books).chain_length == 7
    assert _failures() == []


def test_companies_that_review_generated_vouchers_get_drafts():
    # given
    books = _books("BULK")
    LedgerSettings.objects.filter(company=books).update(auto_post=False)
    # when
    drafts = post_vouchers(company=books, entries=_entries())
    # then: unnumbered drafts, nothing in the books yet
    assert [(v.state, v.number) for v in drafts] == [(VoucherState.DRAFT, None)] * 5
    assert VoucherLine.objects.filter(company=books).count() == 3 + 2 + 3 + 2 + 2
    assert not PeriodTotal.objects.filter(company=books).exists()
    assert not PostingRecord.objects.filter(company=books).exists()
