"""Voucher templates (凭证模板): saved from a voucher, used for a new draft
that meets every rule a typed-in draft meets, and kept per company."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User

from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    Voucher,
    VoucherLine,
    VoucherState,
    VoucherTemplate,
)
from zhongshu.ledger.selectors import templates as selectors
from zhongshu.ledger.testing import accountant, company_with_books, line, posted
from zhongshu.ledger.tests.test_api import ApiClient, as_token, error_of

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 10)
APRIL = datetime.date(2026, 4, 30)


@pytest.fixture
def books() -> Company:
    return company_with_books("BOOKS", year=2026)


@pytest.fixture
def maker(books: Company) -> User:
    return accountant(books, "maker")


@pytest.fixture
def maker_api(books: Company, maker: User) -> ApiClient:
    return as_token(maker, books)


def rent(company: Company) -> Voucher:
    """March rent paid from the bank: 管理费用 3,000.00 + 进项税 270.00 (9 %)
    against 银行存款 3,270.00 — a voucher that comes back every month."""
    return posted(
        company,
        MARCH,
        line("支付房租", "5602", debit="3000.00"),
        line("支付房租", "22210101", debit="270.00"),
        line("支付房租", "1002", credit="3270.00"),
    )


def lines_of(voucher: Voucher) -> list[tuple[str, str, Decimal, Decimal]]:
    return [
        (row.summary, row.account.code, row.debit, row.credit)
        for row in voucher.lines.select_related("account").order_by("line_no")
    ]


RENT_LINES = [
    ("支付房租", "5602", Decimal("3000.00"), Decimal("0.00")),
    ("支付房租", "22210101", Decimal("270.00"), Decimal("0.00")),
    ("支付房租", "1002", Decimal("0.00"), Decimal("3270.00")),
]


# --- services -----------------------------------------------------------------


def test_a_posted_voucher_saved_as_a_template_starts_a_new_draft(books, maker):
    # given the posted March rent, saved as a template
    template = services.save_voucher_as_template(
        voucher=rent(books), actor=maker, name=" 月租 "
    )

    # when April's rent is entered from it
    april = services.create_voucher_from_template(
        template=template, actor=maker, date=APRIL
    )

    # then: the name is trimmed, the lines are kept as data (codes, strings)
    assert (template.name, template.word, template.created_by) == ("月租", "记", maker)
    assert template.lines[0] == {
        "summary": "支付房租",
        "account": "5602",
        "debit": "3000.00",
        "credit": "0.00",
        "dimensions": {},
    }
    # and the new voucher is a draft of April with the same lines; 3,270.00
    # = 3,000.00 + 270.00 is its total
    assert (april.state, april.date, april.period.number) == (
        VoucherState.DRAFT,
        APRIL,
        4,
    )
    assert (april.maker, april.number, april.total) == (maker, None, Decimal("3270.00"))
    assert lines_of(april) == RENT_LINES


def test_a_template_keeps_dimensions_and_red_amounts(books, maker):
    # given a draft with a customer on 应收账款 (1122 requires one) and a
    # negative (red) line pair
    Account.objects.filter(company=books, code="1122").update(dimensions=["customer"])
    draft = services.create_voucher(
        company=books,
        actor=maker,
        date=MARCH,
        lines=[
            line("冲减应收", "1122", debit="-50.00", customer=7),
            line("冲减应收", "5001", credit="-50.00"),
        ],
    )

    # when saved and used again
    template = services.save_voucher_as_template(
        voucher=draft, actor=maker, name="冲减"
    )
    again = services.create_voucher_from_template(
        template=template, actor=maker, date=MARCH
    )

    # then
    first = again.lines.get(line_no=1)
    assert (first.debit, first.customer_id) == (Decimal("-50.00"), 7)
    assert again.lines.get(line_no=2).credit == Decimal("-50.00")


def test_a_duplicate_name_is_refused_and_nothing_written(books, maker):
    # given
    voucher = rent(books)
    services.save_voucher_as_template(voucher=voucher, actor=maker, name="月租")

    # when / then
    with pytest.raises(ConflictError) as refused:
        services.save_voucher_as_template(voucher=voucher, actor=maker, name="月租 ")
    assert "name" in refused.value.fields
    assert VoucherTemplate.objects.filter(company=books).count() == 1


def test_a_blank_name_is_refused(books, maker):
    # when / then
    with pytest.raises(ValidationError) as refused:
        services.save_voucher_as_template(voucher=rent(books), actor=maker, name="  ")
    assert "name" in refused.value.fields
    assert not VoucherTemplate.objects.filter(company=books).exists()


def test_a_template_whose_account_was_disabled_gives_the_line_error(books, maker):
    # given a template 1002 银行存款 ← 1012 其他货币资金; its draft deleted
    # (the template is data and outlives it), then 1012 disabled, which needs
    # an account without postings
    draft = services.create_voucher(
        company=books,
        actor=maker,
        date=MARCH,
        lines=[
            line("转回存款", "1002", debit="100.00"),
            line("转回存款", "1012", credit="100.00"),
        ],
    )
    template = services.save_voucher_as_template(
        voucher=draft, actor=maker, name="转回存款"
    )
    services.delete_voucher(voucher=draft, actor=maker)
    services.set_account_active(
        account=Account.objects.get(company=books, code="1012"),
        actor=maker,
        active=False,
    )

    # when / then: line 2 is refused as in any entry, and nothing is written
    with pytest.raises(ValidationError) as refused:
        services.create_voucher_from_template(
            template=template, actor=maker, date=MARCH
        )
    assert "lines.1" in refused.value.fields
    assert not Voucher.objects.filter(company=books).exists()


def test_a_template_is_deleted(books, maker):
    # given
    template = services.save_voucher_as_template(
        voucher=rent(books), actor=maker, name="月租"
    )
    # when
    services.delete_template(template=template, actor=maker)
    # then
    assert not selectors.list_templates(books).exists()


# --- API ----------------------------------------------------------------------


def test_the_api_saves_lists_uses_and_deletes_a_template(books, maker_api):
    # given the posted March rent
    voucher = rent(books)

    # when saved, listed, used for April 30th and deleted
    saved = maker_api.post(
        f"/ledger/vouchers/{voucher.pk}/save-as-template", {"name": "月租"}
    )
    listed = maker_api.get("/ledger/voucher-templates")
    template_id = saved.json()["id"]
    used = maker_api.post(
        f"/ledger/voucher-templates/{template_id}/use", {"date": "2026-04-30"}
    )
    deleted = maker_api.delete(f"/ledger/voucher-templates/{template_id}")

    # then
    assert saved.status_code == 201
    assert saved.json()["lines"][2] == {
        "summary": "支付房租",
        "account": "1002",
        "debit": "0.00",
        "credit": "3270.00",
        "dimensions": {},
    }
    assert [t["name"] for t in listed.json()] == ["月租"]
    assert used.status_code == 201
    draft = used.json()
    assert (draft["state"], draft["date"], draft["total"]) == (
        "draft",
        "2026-04-30",
        "3270.00",
    )
    assert [
        (r["account"]["code"], r["debit"], r["credit"]) for r in draft["lines"]
    ] == [
        ("5602", "3000.00", "0.00"),
        ("22210101", "270.00", "0.00"),
        ("1002", "0.00", "3270.00"),
    ]
    assert deleted.status_code == 204
    assert not VoucherTemplate.objects.filter(company=books).exists()


def test_using_a_template_without_a_date_dates_the_draft_today(books, maker_api):
    # given
    template = services.save_voucher_as_template(
        voucher=rent(books), actor=accountant(books), name="月租"
    )

    # when used on 2026-05-12 without a date
    with time_machine.travel(datetime.datetime(2026, 5, 12, 9, tzinfo=datetime.UTC)):
        used = maker_api.post(f"/ledger/voucher-templates/{template.pk}/use", {})

    # then
    assert used.status_code == 201
    assert used.json()["date"] == "2026-05-12"


def test_the_api_refuses_a_duplicate_name_with_409(books, maker_api):
    # given
    voucher = rent(books)
    url = f"/ledger/vouchers/{voucher.pk}/save-as-template"
    maker_api.post(url, {"name": "月租"})
    lines_before = VoucherLine.objects.filter(company=books).count()

    # when
    again = maker_api.post(url, {"name": "月租"})

    # then: refused on the name, nothing written
    assert again.status_code == 409
    assert set(error_of(again)["fields"]) == {"name"}
    assert VoucherTemplate.objects.filter(company=books).count() == 1
    assert VoucherLine.objects.filter(company=books).count() == lines_before


def test_another_companys_template_is_not_found(books, maker_api, maker):
    # given a template of another company
    other = company_with_books("OTHER", year=2026)
    theirs = services.save_voucher_as_template(
        voucher=rent(other), actor=accountant(other), name="月租"
    )
    vouchers_before = Voucher.objects.count()

    # when
    used = maker_api.post(
        f"/ledger/voucher-templates/{theirs.pk}/use", {"date": "2026-04-30"}
    )
    deleted = maker_api.delete(f"/ledger/voucher-templates/{theirs.pk}")

    # then: 404 and nothing written; the list shows only the caller's company
    assert (used.status_code, deleted.status_code) == (404, 404)
    error_of(used)
    assert Voucher.objects.count() == vouchers_before
    assert VoucherTemplate.objects.filter(pk=theirs.pk).exists()
    assert maker_api.get("/ledger/voucher-templates").json() == []
    with pytest.raises(NotFoundError):
        selectors.get_template(books, theirs.pk)
