"""Vouchers: entry, review by another user, posting, reversal, and refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from zhongshu.core.errors import ConflictError, PermissionDeniedError, ValidationError
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.checks import posting_chain_is_intact
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    PeriodTotal,
    PostingRecord,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def books():
    return company_with_books()


def capital(books, day=MARCH, amount="100000.00"):
    return posted(
        books,
        day,
        line("投资款", "1002", debit=amount),
        line("投资款", "3001", credit=amount),
    )


def test_a_new_company_gets_the_chart_of_its_standard(books):
    # then: 小企业会计准则 with the customary VAT sub-accounts
    output_vat = Account.objects.get(company=books, code="22210107")
    assert (output_vat.name, output_vat.level, output_vat.is_leaf) == (
        "销项税额",
        3,
        True,
    )
    assert output_vat.parent.code == "222101"
    assert not Account.objects.get(company=books, code="2221").is_leaf
    assert services.resolve_account(books, "output_vat") == output_vat
    assert services.resolve_account(books, "sales_revenue").code == "5001"


def test_the_enterprise_standard_gets_its_own_chart():
    company = company_with_books("ENT", standard="enterprise")
    assert services.resolve_account(company, "sales_revenue").code == "6001"
    assert services.resolve_account(company, "retained_earnings").name == "未分配利润"


def test_posting_api_numbers_posts_and_links_the_source(books):
    # when
    voucher = capital(books)
    # then
    assert (voucher.state, voucher.display_number, voucher.is_generated) == (
        "posted",
        "记-0001",
        True,
    )
    assert (voucher.source_kind, voucher.source_id) == ("test.document", 1)
    totals = {
        t.account.code: (t.debit, t.credit)
        for t in PeriodTotal.objects.filter(company=books).select_related("account")
    }
    assert totals == {
        "1002": (Decimal("100000.00"), Decimal("0.00")),
        "3001": (Decimal("0.00"), Decimal("100000.00")),
    }
    assert PostingRecord.objects.filter(company=books).count() == 1


def test_manual_voucher_goes_draft_review_post(books):
    # given
    maker, reviewer = accountant(books, "maker"), accountant(books, "checker")
    voucher = services.create_voucher(
        company=books,
        actor=maker,
        date=MARCH,
        lines=[line("提现", "1001", debit="500"), line("提现", "1002", credit="500")],
        attachments=1,
    )
    assert voucher.state == VoucherState.DRAFT
    assert voucher.number is None
    # when / then: the maker may not review
    with pytest.raises(PermissionDeniedError):
        services.review_voucher(voucher=voucher, actor=maker)
    with pytest.raises(ConflictError):
        services.post_reviewed_voucher(voucher=voucher, actor=reviewer)
    voucher = services.review_voucher(voucher=voucher, actor=reviewer)
    voucher = services.post_reviewed_voucher(voucher=voucher, actor=reviewer)
    assert (voucher.state, voucher.number, voucher.reviewed_by, voucher.posted_by) == (
        "posted",
        1,
        reviewer,
        reviewer,
    )


def test_numbers_run_per_word_and_month_without_gaps(books):
    capital(books)
    second = capital(books, datetime.date(2026, 3, 1))
    april = capital(books, datetime.date(2026, 4, 2))
    assert [second.number, april.number] == [2, 1]


def test_unposting_restores_totals_and_keeps_the_number(books):
    voucher = capital(books)
    services.unpost_voucher(voucher=voucher, actor=accountant(books))
    voucher.refresh_from_db()
    assert (voucher.state, voucher.number) == ("reviewed", 1)
    assert set(
        PeriodTotal.objects.filter(company=books).values_list("debit", "credit")
    ) == {(Decimal("0.00"), Decimal("0.00"))}
    assert list(
        PostingRecord.objects.filter(company=books).values_list("action", flat=True)
    ) == ["post", "unpost"]


def test_reversal_is_red_dated_today_and_nets_to_zero(books):
    # given
    original = capital(books)
    # when
    reversal = services.reverse_voucher(
        voucher=original, actor=None, date=datetime.date(2026, 4, 5)
    )
    # then
    assert reversal.reversal_of == original
    assert reversal.state == "posted"
    assert reversal.period.number == 4
    amounts = list(reversal.lines.values_list("debit", "credit"))
    assert amounts == [
        (Decimal("-100000.00"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("-100000.00")),
    ]
    with pytest.raises(ConflictError):
        services.reverse_voucher(
            voucher=original, actor=None, date=datetime.date(2026, 4, 5)
        )


def test_generated_vouchers_wait_for_review_when_the_company_says_so(books):
    settings = services.books_of(books)
    settings.auto_post = False
    settings.save()
    voucher = capital(books)
    assert voucher.state == VoucherState.DRAFT
    assert not PeriodTotal.objects.filter(company=books).exists()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([line("a", "1002", debit="100"), line("a", "3001", credit="99.99")], "lines"),
        ([line("a", "2221", debit="1"), line("a", "1002", credit="1")], "lines.0"),
        (
            [line("a", "1002", debit="1.005"), line("a", "3001", credit="1.005")],
            "lines.0",
        ),
        (
            [line("a", "1002", debit="1", credit="1"), line("a", "3001", credit="0")],
            "lines.0",
        ),
        ([line("a", "9999", debit="1"), line("a", "1002", credit="1")], "lines.0"),
        ([line("", "1002", debit="1"), line("a", "3001", credit="1")], "lines.0"),
        ([line("a", "1002", debit="1")], "lines"),
    ],
    ids=[
        "unbalanced",
        "non-leaf",
        "three-decimals",
        "both-sides",
        "unknown",
        "no-summary",
        "one-line",
    ],
)
def test_bad_vouchers_are_refused_and_nothing_is_written(books, lines, field):
    with pytest.raises(ValidationError) as error:
        posted(books, MARCH, *lines)
    assert field in error.value.fields
    assert not Voucher.objects.filter(company=books).exists()
    assert not VoucherLine.objects.filter(company=books).exists()


def test_required_dimensions_must_be_given(books):
    # given: receivables tracked by customer
    owner = accountant(books)
    receivable = Account.objects.get(company=books, code="1122")
    services.update_account(
        account=receivable, actor=owner, name="应收账款", dimensions=["customer"]
    )
    # when / then
    with pytest.raises(ValidationError) as error:
        posted(
            books,
            MARCH,
            line("赊销", "1122", debit="113"),
            line("赊销", "5001", credit="113"),
        )
    assert "lines.0" in error.value.fields
    voucher = posted(
        books,
        MARCH,
        line("赊销", "1122", debit="113", customer=7),
        line("赊销", "5001", credit="113"),
    )
    assert voucher.lines.get(line_no=1).customer_id == 7
    with pytest.raises(ValidationError):
        posted(
            books,
            MARCH,
            line("x", "1002", debit="1", customer=7),
            line("x", "3001", credit="1"),
        )


def test_disabled_accounts_refuse_postings(books):
    account = Account.objects.get(company=books, code="1012")
    services.set_account_active(account=account, actor=accountant(books), active=False)
    with pytest.raises(ValidationError):
        posted(
            books, MARCH, line("x", "1012", debit="1"), line("x", "3001", credit="1")
        )


def test_an_account_with_postings_cannot_be_disabled_or_split(books):
    capital(books)
    bank = Account.objects.get(company=books, code="1002")
    with pytest.raises(ConflictError):
        services.set_account_active(account=bank, actor=accountant(books), active=False)
    with pytest.raises(ConflictError):
        services.add_account(
            company=books,
            actor=accountant(books),
            parent_code="1002",
            code="100201",
            name="工行",
        )


def test_sub_accounts_follow_the_code_scheme_and_take_over_roles(books):
    user = accountant(books)
    with pytest.raises(ValidationError):
        services.add_account(
            company=books, actor=user, parent_code="1122", code="11221", name="x"
        )
    child = services.add_account(
        company=books, actor=user, parent_code="1122", code="112201", name="国内客户"
    )
    assert child.level == 2
    assert child.category == "asset"
    assert services.resolve_account(books, "receivable") == child
    assert not Account.objects.get(pk=child.parent_id).is_leaf
    assert AccountRole.objects.filter(company=books, account__code="1122").count() == 0


def test_posting_sources_are_listed_for_their_document(books):
    source = SourceRef("sales.delivery", 42)
    posted(
        books,
        MARCH,
        line("x", "1002", debit="1"),
        line("x", "3001", credit="1"),
        source=source,
    )
    assert (
        Voucher.objects.filter(
            company=books, source_kind="sales.delivery", source_id=42
        ).count()
        == 1
    )


def test_tampering_with_a_posted_line_is_detected(books):
    voucher = capital(books)
    assert posting_chain_is_intact() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_voucherline SET summary = %s "
            "WHERE voucher_id = %s AND line_no = 1",
            ["改过的摘要", voucher.pk],
        )
    problems = posting_chain_is_intact()
    assert len(problems) == 1
    assert "记-0001" in problems[0]
