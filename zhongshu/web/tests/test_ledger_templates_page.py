"""Voucher templates on the pages: saved from a voucher's page, offered on
the new-voucher page, used for a draft that opens for editing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhongshu.core.models import Company
from zhongshu.ledger import services
from zhongshu.ledger.models import Voucher, VoucherState, VoucherTemplate
from zhongshu.ledger.testing import line, posted

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 10)


@pytest.fixture
def books(company: Company) -> Company:
    services.set_up_books(company=company, first_year=2026)
    return company


def test_save_a_voucher_as_a_template_and_start_a_draft_from_it(
    accountant_client: Client, books: Company
) -> None:
    # given March's rent, posted: 管理费用 3,000.00 against 银行存款
    rent = posted(
        books,
        MARCH,
        line("支付房租", "5602", debit="3000.00"),
        line("支付房租", "1002", credit="3000.00"),
    )
    detail = accountant_client.get(reverse("ledger_voucher", args=[rent.pk]))
    assert "data-save-template" in detail.content.decode()

    # when saved as 月租 from its page, then used on the new-voucher page
    saved = accountant_client.post(
        reverse("ledger_voucher_save_template", args=[rent.pk]), {"name": "月租"}
    )
    template = VoucherTemplate.objects.get(company=books)
    new_page = accountant_client.get(reverse("ledger_voucher_new")).content.decode()
    with time_machine.travel(datetime.datetime(2026, 4, 15, 9, tzinfo=datetime.UTC)):
        used = accountant_client.post(
            reverse("ledger_voucher_template_use", args=[template.pk])
        )

    # then: back on the voucher; the template is offered; the draft is dated
    # today with the same lines and opens in the entry grid
    assert saved["Location"] == reverse("ledger_voucher", args=[rent.pk])
    assert template.name == "月租"
    assert reverse("ledger_voucher_template_use", args=[template.pk]) in new_page
    draft = Voucher.objects.get(company=books, state=VoucherState.DRAFT)
    assert used["Location"] == reverse("ledger_voucher_edit", args=[draft.pk])
    assert draft.date == datetime.date(2026, 4, 15)
    assert [
        (row.account.code, row.debit, row.credit)
        for row in draft.lines.select_related("account").order_by("line_no")
    ] == [
        ("5602", Decimal("3000.00"), Decimal("0.00")),
        ("1002", Decimal("0.00"), Decimal("3000.00")),
    ]


def test_a_duplicate_name_is_reported_and_the_template_deleted(
    accountant_client: Client, books: Company
) -> None:
    # given a template 月租
    rent = posted(
        books,
        MARCH,
        line("支付房租", "5602", debit="3000.00"),
        line("支付房租", "1002", credit="3000.00"),
    )
    url = reverse("ledger_voucher_save_template", args=[rent.pk])
    accountant_client.post(url, {"name": "月租"})

    # when saved again under the same name, then deleted
    again = accountant_client.post(url, {"name": "月租"}, follow=True)
    template = VoucherTemplate.objects.get(company=books)
    accountant_client.post(
        reverse("ledger_voucher_template_delete", args=[template.pk])
    )

    # then
    assert "There is already a template named 月租." in again.content.decode()
    assert not VoucherTemplate.objects.filter(company=books).exists()
