"""Ledger settings: the voucher words in use and whether generated vouchers
post directly or wait for review."""

from __future__ import annotations

import datetime

import pytest

from zhongshu.core.errors import ValidationError
from zhongshu.core.models import AuditEntry, Role
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import member
from zhongshu.ledger import services
from zhongshu.ledger.models import VoucherState
from zhongshu.ledger.testing import accountant, company_with_books, line
from zhongshu.ledger.tests.test_api import as_token, error_of

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 6)


def test_a_company_that_reviews_generated_vouchers_gets_drafts():
    # given
    books = company_with_books("SETT")
    clerk = accountant(books)
    # when
    services.update_ledger_settings(
        company=books, actor=clerk, voucher_words="收付转", auto_post=False
    )
    voucher = services.post_voucher(
        company=books,
        date=MAY,
        lines=[line("提现", "1001", debit="10"), line("提现", "1002", credit="10")],
        source=SourceRef("test.document", 1),
        word="付",
    )
    # then: a draft, waiting for review; the words are the company's own now
    assert voucher.state == VoucherState.DRAFT
    with pytest.raises(ValidationError):
        services.create_voucher(
            company=books,
            actor=clerk,
            date=MAY,
            lines=[line("x", "1001", debit="1"), line("x", "1002", credit="1")],
            word="记",
        )
    entry = AuditEntry.objects.get(company=books, object_kind="ledger.ledgersettings")
    assert entry.changes == {
        "voucher_words": ["记收付转", "收付转"],
        "auto_post": [True, False],
    }


@pytest.mark.parametrize("words", ["", "  ", "123", "甲乙丙丁戊己庚辛壬"])
def test_voucher_words_must_be_one_to_eight_letters(words):
    books = company_with_books("SETW")
    with pytest.raises(ValidationError) as error:
        services.update_ledger_settings(
            company=books, actor=accountant(books), voucher_words=words, auto_post=True
        )
    assert "voucher_words" in error.value.fields
    assert services.books_of(books).voucher_words == "记收付转"


def test_the_api_reads_and_changes_the_settings_with_permission():
    books = company_with_books("SETA")
    api = as_token(accountant(books), books)
    sales = as_token(member(books, [Role.SALES]), books)
    # when
    read = api.get("/ledger/settings")
    changed = api.put("/ledger/settings", {"voucher_words": "记", "auto_post": False})
    refused = sales.put("/ledger/settings", {"voucher_words": "转", "auto_post": True})
    # then
    assert read.json()["voucher_words"] == "记收付转"
    assert changed.status_code == 200
    assert changed.json() | {} == changed.json()
    assert (changed.json()["voucher_words"], changed.json()["auto_post"]) == (
        "记",
        False,
    )
    assert error_of(refused)["code"] == "permission_denied"
    assert services.books_of(books).voucher_words == "记"
