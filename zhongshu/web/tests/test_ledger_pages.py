"""The ledger's pages: who may open them, a voucher from the entry grid to the
trial balance, errors shown where they belong, and query counts that do not
grow with the data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhongshu.core import testing
from zhongshu.core.models import Company, Role
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.testing import line, posted

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 10)
PAGES = [
    "ledger_accounts",
    "ledger_account_add",
    "ledger_account_roles",
    "ledger_vouchers",
    "ledger_voucher_new",
    "ledger_trial_balance",
    "ledger_general_ledger",
    "ledger_account_detail",
    "ledger_dimension_balances",
    "ledger_voucher_summary",
    "ledger_balance_sheet",
    "ledger_income_statement",
    "ledger_periods",
    "ledger_opening_balances",
]


@pytest.fixture
def books(company: Company) -> Company:
    services.set_up_books(company=company, first_year=2026)
    return company


@pytest.fixture
def reviewer_client(books: Company) -> Client:
    """A second accountant: the maker may not review their own voucher."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(testing.member(books, [Role.ACCOUNTANT], username="shenhe"))
    return client


def entry_form(
    *rows: tuple[str, str, str, str],
    date: str = "2026-03-10",
    word: str = "记",
    attachments: str = "2",
    spare_rows: int = 2,
    **extra: str,
) -> dict[str, str]:
    """The entry grid as the browser posts it: the header, the formset's
    management form, every row (the spare blank ones too)."""
    data = {
        "word": word,
        "date": date,
        "attachments": attachments,
        "lines-TOTAL_FORMS": str(len(rows) + spare_rows),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **extra,
    }
    for index, row in enumerate([*rows, *[("", "", "", "")] * spare_rows]):
        summary, account, debit, credit = row
        data |= {
            f"lines-{index}-summary": summary,
            f"lines-{index}-account": account,
            f"lines-{index}-debit": debit,
            f"lines-{index}-credit": credit,
        }
        for kind in ("customer", "supplier", "employee", "department", "project"):
            data[f"lines-{index}-{kind}"] = ""
        data[f"lines-{index}-product"] = ""
    return data


def capital(company: Company, day: datetime.date = MARCH) -> Voucher:
    return posted(
        company,
        day,
        line("收到投资款", "1002", debit="100000.00"),
        line("收到投资款", "3001", credit="100000.00"),
    )


# --- access ---------------------------------------------------------------------


@pytest.mark.parametrize("url_name", PAGES)
def test_the_accountant_opens_every_ledger_page(
    accountant_client: Client, books: Company, url_name: str
) -> None:
    # given
    capital(books)
    # when
    response = accountant_client.get(reverse(url_name))
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", PAGES)
def test_a_sales_user_is_refused_every_ledger_page(
    sales_client: Client, books: Company, url_name: str
) -> None:
    # when
    response = sales_client.get(reverse(url_name))
    # then
    assert response.status_code == 403


def test_the_menu_shows_the_ledger_to_the_accountant(
    accountant_client: Client, books: Company
) -> None:
    # when
    accountant_html = accountant_client.get(reverse("home")).content.decode()
    # then
    assert 'class="nav-heading">General ledger<' in accountant_html
    assert f'href="{reverse("ledger_vouchers")}"' in accountant_html
    assert f'href="{reverse("ledger_trial_balance")}"' in accountant_html


def test_the_sales_user_sees_no_ledger_in_the_menu(
    sales_client: Client, books: Company
) -> None:
    # when
    html = sales_client.get(reverse("home")).content.decode()
    # then
    assert f'href="{reverse("ledger_vouchers")}"' not in html


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("ledger_voucher", lambda c: capital(c).pk),
        ("ledger_voucher_edit", lambda c: capital(c).pk),
        ("ledger_account", lambda c: Account.objects.get(company=c, code="1001").pk),
        (
            "ledger_period_close",
            lambda c: Period.objects.get(company=c, year=2026, number=3).pk,
        ),
    ],
)
def test_another_companys_object_is_not_found(
    accountant_client: Client,
    books: Company,
    other_company: Company,
    url_name: str,
    factory: Callable[[Company], int],
) -> None:
    # given: company B's books and an object in them
    services.set_up_books(company=other_company, first_year=2026)
    object_id = factory(other_company)
    # when
    response = accountant_client.get(reverse(url_name, args=[object_id]))
    # then
    assert response.status_code == 404


# --- entering a voucher -------------------------------------------------------------


def test_a_voucher_entered_in_the_grid_is_saved_as_a_draft_and_listed(
    accountant_client: Client, books: Company
) -> None:
    # given: the grid as typed, the account as picked from the list
    form = entry_form(
        ("提取备用金", "1001 库存现金", "1,500.00", ""),
        ("", "1002 银行存款", "", "1500"),
    )
    # when
    response = accountant_client.post(reverse("ledger_voucher_new"), form)
    # then: a draft with both lines; the empty summary took the one above
    voucher = Voucher.objects.get(company=books)
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger_voucher", args=[voucher.pk])
    assert (voucher.state, voucher.word, voucher.attachments, voucher.total) == (
        VoucherState.DRAFT,
        "记",
        2,
        Decimal("1500.00"),
    )
    lines = [
        (ln.summary, ln.account.code, ln.debit, ln.credit)
        for ln in voucher.lines.select_related("account")
    ]
    assert lines == [
        ("提取备用金", "1001", Decimal("1500.00"), Decimal("0.00")),
        ("提取备用金", "1002", Decimal("0.00"), Decimal("1500.00")),
    ]
    # and: the list shows it with its first summary
    html = accountant_client.get(reverse("ledger_vouchers")).content.decode()
    assert "提取备用金" in html
    assert "1,500.00" in html


def test_save_and_new_returns_to_an_empty_grid(
    accountant_client: Client, books: Company
) -> None:
    # when
    response = accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(
            ("提现", "1001", "10.00", ""), ("提现", "1002", "", "10.00"), then="new"
        ),
    )
    # then
    assert response["Location"] == reverse("ledger_voucher_new")


def test_an_unbalanced_voucher_is_refused_with_the_difference_and_not_written(
    accountant_client: Client, books: Company
) -> None:
    # given: 1,500.00 debit against 1,400.00 credit
    form = entry_form(
        ("提取备用金", "1001", "1500.00", ""), ("提取备用金", "1002", "", "1400.00")
    )
    # when
    response = accountant_client.post(reverse("ledger_voucher_new"), form)
    # then: the page again with the difference of 100.00, nothing saved
    assert response.status_code == 200
    assert "differ by 100.00" in response.content.decode()
    assert not Voucher.objects.filter(company=books).exists()


def test_a_line_error_is_shown_on_its_line(
    accountant_client: Client, books: Company
) -> None:
    # given: line 2 posts to 1002's parent-less unknown code 9999
    form = entry_form(("报销", "1001", "80.00", ""), ("报销", "9999", "", "80.00"))
    # when
    response = accountant_client.post(reverse("ledger_voucher_new"), form)
    # then: the error sits on the second row of the grid
    lines = response.context["entry"].lines.forms
    assert lines[0].non_field_errors() == []
    assert lines[1].non_field_errors() == ["Line 2: there is no account 9999."]
    assert not Voucher.objects.filter(company=books).exists()


def test_a_parent_account_is_refused_on_its_line(
    accountant_client: Client, books: Company
) -> None:
    # given: 2221 应交税费 has sub-accounts
    form = entry_form(("缴税", "2221", "50.00", ""), ("缴税", "1002", "", "50.00"))
    # when
    response = accountant_client.post(reverse("ledger_voucher_new"), form)
    # then
    (error,) = response.context["entry"].lines.forms[0].non_field_errors()
    assert "has sub-accounts" in error
    assert not VoucherLine.objects.filter(company=books).exists()


def test_an_amount_that_is_not_a_number_stays_on_the_form(
    accountant_client: Client, books: Company
) -> None:
    # when
    response = accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(("报销", "1001", "八十", ""), ("报销", "1002", "", "80.00")),
    )
    # then
    assert response.status_code == 200
    assert response.context["entry"].lines.forms[0].errors["debit"]
    assert not Voucher.objects.filter(company=books).exists()


def test_a_draft_is_edited_in_the_grid(
    accountant_client: Client, books: Company
) -> None:
    # given
    accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(("报销", "1001", "80.00", ""), ("报销", "1002", "", "80.00")),
    )
    voucher = Voucher.objects.get(company=books)
    page = accountant_client.get(reverse("ledger_voucher_edit", args=[voucher.pk]))
    assert 'value="1001 库存现金"' in page.content.decode()
    # when: the amount becomes 95.00 and the date moves to April
    response = accountant_client.post(
        reverse("ledger_voucher_edit", args=[voucher.pk]),
        entry_form(
            ("报销", "1001", "95.00", ""),
            ("报销", "1002", "", "95.00"),
            date="2026-04-02",
        ),
    )
    # then
    voucher.refresh_from_db()
    assert response.status_code == 302
    assert (voucher.total, voucher.date, voucher.period.number) == (
        Decimal("95.00"),
        datetime.date(2026, 4, 2),
        4,
    )


# --- review, posting and the voucher --------------------------------------------------


def test_review_by_another_user_then_post_then_the_trial_balance(
    accountant_client: Client, reviewer_client: Client, books: Company
) -> None:
    # given: a draft of 提取备用金 1,500.00 by kuaiji
    accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(("提取备用金", "1001", "1500.00", ""), ("", "1002", "", "1500.00")),
    )
    voucher = Voucher.objects.get(company=books)
    # when: the maker tries to review it, then shenhe reviews and kuaiji posts
    own = accountant_client.post(
        reverse("ledger_voucher_review", args=[voucher.pk]), follow=True
    )
    reviewer_client.post(reverse("ledger_voucher_review", args=[voucher.pk]))
    accountant_client.post(reverse("ledger_voucher_post", args=[voucher.pk]))
    # then: the maker was refused, the voucher is posted as 记-0001
    assert "cannot review it" in own.content.decode()
    voucher.refresh_from_db()
    assert (voucher.state, voucher.display_number) == ("posted", "记-0001")
    # and: March's trial balance shows 1001 debited and 1002 credited 1,500.00
    response = accountant_client.get(
        reverse("ledger_trial_balance"),
        {"from_period": "2026-03", "to_period": "2026-03"},
    )
    rows = {item.row.code: item.row for item in response.context["rows"]}
    assert (rows["1001"].period_debit, rows["1001"].closing_debit) == (
        Decimal("1500.00"),
        Decimal("1500.00"),
    )
    assert (rows["1002"].period_credit, rows["1002"].closing_credit) == (
        Decimal("1500.00"),
        Decimal("1500.00"),
    )
    assert response.context["report"].balanced
    # and: each figure drills down to the account's detail for the range
    account_id = Account.objects.get(company=books, code="1001").pk
    assert (
        f"/ledger/reports/account-detail/?account={account_id}"
        "&amp;from_period=2026-03&amp;to_period=2026-03" in response.content.decode()
    )


def test_the_account_detail_links_each_posting_to_its_voucher(
    accountant_client: Client, books: Company
) -> None:
    # given
    voucher = capital(books)
    account = Account.objects.get(company=books, code="1002")
    # when
    response = accountant_client.get(
        reverse("ledger_account_detail"),
        {"account": account.pk, "from_period": "2026-03", "to_period": "2026-03"},
    )
    # then: opening 0, the posting with its running balance, the range total
    rows = response.context["rows"]
    assert [(r.summary, r.debit, r.side, r.balance) for r in rows] == [
        ("Opening balance", Decimal("0.00"), "Bal", Decimal("0.00")),
        ("收到投资款", Decimal("100000.00"), "Dr", Decimal("100000.00")),
        ("Total for the range", Decimal("100000.00"), "Dr", Decimal("100000.00")),
    ]
    assert reverse("ledger_voucher", args=[voucher.pk]) in response.content.decode()


def test_the_voucher_shows_the_classic_layout_with_the_total_in_words(
    accountant_client: Client, books: Company
) -> None:
    # given: 100,000.00 in capital
    voucher = capital(books)
    # when
    html = accountant_client.get(
        reverse("ledger_voucher", args=[voucher.pk])
    ).content.decode()
    # then: number, the accounts with their names, the 合计 in words
    assert "记-0001" in html
    assert "1002</span> 银行存款" in html
    assert "壹拾万元整" in html
    assert "100,000.00" in html
    # 金额线: 100000.00 is 10000000 fen, eight digit cells of eleven
    # (both lines and both totals)
    assert html.count('<td class="digit amount-digits d4">1</td>') == 4
    assert f'href="/audit/object/ledger.voucher/{voucher.pk}/"' in html


def test_the_voucher_offers_actions_by_state_and_permission(
    accountant_client: Client, books: Company
) -> None:
    # given: a posted voucher
    voucher = capital(books)
    # when
    response = accountant_client.get(reverse("ledger_voucher", args=[voucher.pk]))
    # then: unpost, reverse and copy; no review, edit or delete
    assert [a.name for a in response.context["actions"]] == [
        "unpost",
        "reverse",
        "copy",
    ]


def test_a_red_reversal_is_made_from_the_voucher_page(
    accountant_client: Client, books: Company
) -> None:
    # given
    voucher = capital(books)
    # when
    response = accountant_client.post(
        reverse("ledger_voucher_reverse", args=[voucher.pk])
    )
    # then: a red draft of −100,000.00 that links back to the original
    reversal = Voucher.objects.get(company=books, reversal_of=voucher)
    assert reversal.total == Decimal("-100000.00")
    assert response["Location"] == reverse("ledger_voucher", args=[reversal.pk])
    html = accountant_client.get(response["Location"]).content.decode()
    assert "voucher-paper is-red" in html
    assert "负壹拾万元整" in html
    assert reverse("ledger_voucher", args=[voucher.pk]) in html


def test_copy_then_delete_a_draft(accountant_client: Client, books: Company) -> None:
    # given
    voucher = capital(books)
    # when: copied (dated today), then the copy deleted
    copied = accountant_client.post(reverse("ledger_voucher_copy", args=[voucher.pk]))
    copy = Voucher.objects.get(company=books, state=VoucherState.DRAFT)
    assert copied["Location"] == reverse("ledger_voucher", args=[copy.pk])
    accountant_client.post(reverse("ledger_voucher_delete", args=[copy.pk]))
    # then
    assert list(Voucher.objects.filter(company=books)) == [voucher]


def test_unpost_then_unreview(accountant_client: Client, books: Company) -> None:
    # given
    voucher = capital(books)
    # when
    accountant_client.post(reverse("ledger_voucher_unpost", args=[voucher.pk]))
    accountant_client.post(reverse("ledger_voucher_unreview", args=[voucher.pk]))
    # then
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.DRAFT


def test_bulk_review_and_post_from_the_list(
    accountant_client: Client, reviewer_client: Client, books: Company
) -> None:
    # given: two drafts by kuaiji
    for amount in ("10.00", "20.00"):
        accountant_client.post(
            reverse("ledger_voucher_new"),
            entry_form(("提现", "1001", amount, ""), ("提现", "1002", "", amount)),
        )
    ids = [str(pk) for pk in Voucher.objects.values_list("pk", flat=True)]
    # when: shenhe ticks both and reviews, then posts
    reviewer_client.post(
        reverse("ledger_vouchers"), {"action": "review", "voucher": ids}
    )
    reviewer_client.post(reverse("ledger_vouchers"), {"action": "post", "voucher": ids})
    # then
    numbers = sorted(v.display_number for v in Voucher.objects.filter(company=books))
    assert numbers == ["记-0001", "记-0002"]


def test_the_voucher_list_filters_by_state(
    accountant_client: Client, books: Company
) -> None:
    # given: one posted, one draft
    capital(books)
    accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(("提现", "1001", "10.00", ""), ("提现", "1002", "", "10.00")),
    )
    # when
    response = accountant_client.get(reverse("ledger_vouchers"), {"state": "draft"})
    # then
    assert [v.state for v in response.context["page"]] == ["draft"]


# --- query counts -------------------------------------------------------------------


def count_queries(client: Client, url: str, params: dict[str, Any]) -> int:
    # A first request of a session does one-off work (the session itself).
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def post_vouchers(company: Company, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        day = datetime.date(2026, 3, 1 + number % 28)
        amount = f"{100 + number}.00"
        posted(
            company,
            day,
            line("销售收款", "1002", debit=amount),
            line("销售收款", "5001", credit=amount),
        )


def test_the_voucher_list_costs_the_same_queries_for_more_vouchers(
    accountant_client: Client, books: Company
) -> None:
    # given
    post_vouchers(books, 3)
    params = {"period": "2026-03"}
    few = count_queries(accountant_client, reverse("ledger_vouchers"), params)
    # when: ten times as many vouchers
    post_vouchers(books, 27, start=3)
    many = count_queries(accountant_client, reverse("ledger_vouchers"), params)
    # then
    assert many == few


def test_the_trial_balance_costs_the_same_queries_for_more_postings(
    accountant_client: Client, books: Company
) -> None:
    # given
    post_vouchers(books, 2)
    params = {"from_period": "2026-01", "to_period": "2026-03"}
    url = reverse("ledger_trial_balance")
    few = count_queries(accountant_client, url, params)
    # when
    post_vouchers(books, 20, start=2)
    capital(books, datetime.date(2026, 2, 5))
    many = count_queries(accountant_client, url, params)
    # then
    assert many == few


# --- downloads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("ledger_trial_balance", {"from_period": "2026-03", "to_period": "2026-03"}),
        ("ledger_balance_sheet", {"period": "2026-03"}),
        ("ledger_income_statement", {"period": "2026-03"}),
        ("ledger_voucher_summary", {"from_period": "2026-03", "to_period": "2026-03"}),
    ],
)
@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_reports_download_as_excel_and_pdf(
    accountant_client: Client,
    books: Company,
    url_name: str,
    params: dict[str, str],
    fmt: str,
    magic: bytes,
) -> None:
    # given
    capital(books)
    # when
    response = accountant_client.get(reverse(url_name), {**params, "format": fmt})
    # then
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]


def test_the_account_detail_downloads(
    accountant_client: Client, books: Company
) -> None:
    # given
    capital(books)
    account = Account.objects.get(company=books, code="1002")
    # when
    response = accountant_client.get(
        reverse("ledger_account_detail"),
        {
            "account": account.pk,
            "from_period": "2026-03",
            "to_period": "2026-03",
            "format": "xlsx",
        },
    )
    # then
    assert response.content.startswith(b"PK")


# --- statements ----------------------------------------------------------------------


def test_the_balance_sheet_figures_drill_down(
    accountant_client: Client, books: Company
) -> None:
    # given: 100,000.00 in the bank against paid-in capital
    capital(books)
    # when
    response = accountant_client.get(
        reverse("ledger_balance_sheet"), {"period": "2026-03"}
    )
    # then: 货币资金 (row 1) is 100,000.00 and leads to a trial balance of
    # 1001, 1002 and 1012 for January to March
    rows = {row.number: row for row in response.context["rows"]}
    cash = rows[1].figures[0]
    assert cash.value == Decimal("100000.00")
    assert cash.url == (
        "/ledger/reports/trial-balance/?from_period=2026-01&to_period=2026-03"
        "&accounts=1001%2C1002%2C1012"
    )
    assert response.context["statement"].balanced
    # and: that trial balance shows only those accounts
    drilled = accountant_client.get(cash.url)
    assert [item.row.code for item in drilled.context["rows"]] == ["1002"]


def test_the_income_statement_shows_the_months_revenue(
    accountant_client: Client, books: Company
) -> None:
    # given: two sales receipts in March, 100.00 + 101.00 = 201.00
    post_vouchers(books, 2)
    # when
    response = accountant_client.get(
        reverse("ledger_income_statement"), {"period": "2026-03"}
    )
    # then: 营业收入 (row 1) in both columns; it is 5001 and 5051 together,
    # so the month's figure leads to their trial balance for March
    revenue = response.context["rows"][0]
    assert [figure.value for figure in revenue.figures] == [
        Decimal("201.00"),
        Decimal("201.00"),
    ]
    assert revenue.figures[1].url == (
        "/ledger/reports/trial-balance/?from_period=2026-03&to_period=2026-03"
        "&accounts=5001%2C5051"
    )
    # and: 税金及附加 (row 3) is one account: its detail ledger
    taxes = response.context["rows"][2]
    account_id = Account.objects.get(company=books, code="5403").pk
    assert taxes.figures[0].url == (
        f"/ledger/reports/account-detail/?account={account_id}"
        "&from_period=2026-01&to_period=2026-03"
    )


# --- chart of accounts ---------------------------------------------------------


def test_a_sub_account_is_added_with_dimensions(
    accountant_client: Client, books: Company
) -> None:
    # when
    response = accountant_client.post(
        reverse("ledger_account_add"),
        {
            "parent": "1122",
            "code": "112201",
            "name": "华东客户",
            "dimensions": ["customer"],
        },
    )
    # then
    account = Account.objects.get(company=books, code="112201")
    assert response.status_code == 302
    assert (account.name, account.level, account.dimensions) == (
        "华东客户",
        2,
        ["customer"],
    )


def test_a_wrong_sub_account_code_is_shown_on_the_code_field(
    accountant_client: Client, books: Company
) -> None:
    # when: 6 digits needed under 1122
    response = accountant_client.post(
        reverse("ledger_account_add"),
        {"parent": "1122", "code": "11221", "name": "华东客户"},
    )
    # then
    assert response.context["form"].errors["code"]
    assert not Account.objects.filter(company=books, code="11221").exists()


def test_an_account_is_renamed_and_disabled(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = Account.objects.get(company=books, code="1012")
    # when
    accountant_client.post(
        reverse("ledger_account", args=[account.pk]), {"name": "其他货币资金（存出）"}
    )
    accountant_client.post(
        reverse("ledger_account_active", args=[account.pk]), {"active": "0"}
    )
    # then
    account.refresh_from_db()
    assert (account.name, account.is_active) == ("其他货币资金（存出）", False)


def test_an_account_with_postings_is_not_disabled(
    accountant_client: Client, books: Company
) -> None:
    # given
    capital(books)
    account = Account.objects.get(company=books, code="1002")
    # when
    response = accountant_client.post(
        reverse("ledger_account_active", args=[account.pk]),
        {"active": "0"},
        follow=True,
    )
    # then
    account.refresh_from_db()
    assert account.is_active
    assert "cannot be disabled" in response.content.decode()


def test_the_category_tabs_filter_the_tree(
    accountant_client: Client, books: Company
) -> None:
    # when
    response = accountant_client.get(reverse("ledger_accounts"), {"category": "equity"})
    # then
    codes = [row.account.code for row in response.context["rows"]]
    assert "3001" in codes
    assert "1001" not in codes


def test_an_account_role_is_changed(accountant_client: Client, books: Company) -> None:
    # given
    new_bank = services.add_account(
        company=books,
        actor=testing.owner_of(books),
        parent_code="1002",
        code="100201",
        name="工商银行",
    )
    other = services.add_account(
        company=books,
        actor=testing.owner_of(books),
        parent_code="1002",
        code="100202",
        name="招商银行",
    )
    # when
    response = accountant_client.post(
        reverse("ledger_account_roles"),
        {"role": "bank", "key_kind": "", "key_id": "0", "account": other.pk},
    )
    # then: adding 100201 moved the role to it; now it points at 100202
    assert response.status_code == 302
    role = AccountRole.objects.get(company=books, role="bank")
    assert (new_bank.code, role.account_id) == ("100201", other.pk)


# --- periods and opening balances -----------------------------------------------


def test_closing_a_period_from_its_checklist(
    accountant_client: Client, books: Company
) -> None:
    # given: January with one posted sale of 100.00
    posted(
        books,
        datetime.date(2026, 1, 5),
        line("销售", "1002", debit="100.00"),
        line("销售", "5001", credit="100.00"),
    )
    january = Period.objects.get(company=books, year=2026, number=1)
    # when: the checklist shows no problem and previews the carry-forward
    page = accountant_client.get(reverse("ledger_period_close", args=[january.pk]))
    accountant_client.post(reverse("ledger_period_close", args=[january.pk]))
    # then
    assert page.context["problems"] == []
    assert [(p.account[:4], p.debit) for p in page.context["preview"]] == [
        ("5001", Decimal("100.00")),
        ("3103", Decimal("0.00")),
    ]
    january.refresh_from_db()
    assert january.is_closed


def test_the_checklist_lists_unposted_vouchers(
    accountant_client: Client, books: Company
) -> None:
    # given: a draft in March, and January and February open
    accountant_client.post(
        reverse("ledger_voucher_new"),
        entry_form(("提现", "1001", "10.00", ""), ("提现", "1002", "", "10.00")),
    )
    march = Period.objects.get(company=books, year=2026, number=3)
    # when
    page = accountant_client.get(reverse("ledger_period_close", args=[march.pk]))
    refused = accountant_client.post(
        reverse("ledger_period_close", args=[march.pk]), follow=True
    )
    # then
    assert {p.code for p in page.context["problems"]} == {
        "previous_open",
        "unposted_vouchers",
    }
    assert "Close period 2026-02 first" in refused.content.decode()
    march.refresh_from_db()
    assert not march.is_closed


def test_only_the_owner_may_reopen(
    reviewer_client: Client, owner_client: Client, books: Company
) -> None:
    # given: January closed
    january = Period.objects.get(company=books, year=2026, number=1)
    services.close_period(company=books, actor=testing.owner_of(books), period=january)
    url = reverse("ledger_period_reopen", args=[january.pk])
    # when: an accountant tries, then the owner reopens
    refused = reviewer_client.post(url)
    owner_client.post(url)
    # then
    assert refused.status_code == 403
    january.refresh_from_db()
    assert not january.is_closed


def test_opening_balances_are_entered_and_checked(
    accountant_client: Client, books: Company
) -> None:
    # given: cash 5,000.00 and bank 95,000.00 against capital 100,000.00
    form = {
        "action": "balances",
        "1001-debit": "5,000.00",
        "1002-debit": "95000",
        "3001-credit": "100000.00",
    }
    # when
    response = accountant_client.post(
        reverse("ledger_opening_balances"), form, follow=True
    )
    # then
    assert "saved and balance" in response.content.decode()
    assert response.context["check"].balanced
    stored = {
        row.account.code: (row.debit, row.credit)
        for row in OpeningBalance.objects.filter(company=books).select_related(
            "account"
        )
    }
    assert stored == {
        "1001": (Decimal("5000.00"), Decimal("0.00")),
        "1002": (Decimal("95000.00"), Decimal("0.00")),
        "3001": (Decimal("0.00"), Decimal("100000.00")),
    }


def test_an_opening_balance_with_both_sides_is_refused_on_its_row(
    accountant_client: Client, books: Company
) -> None:
    # when
    response = accountant_client.post(
        reverse("ledger_opening_balances"),
        {"action": "balances", "1001-debit": "10.00", "1001-credit": "10.00"},
    )
    # then
    assert response.context["form"].errors["1001-debit"]
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_the_opening_page_is_read_only_after_posting(
    accountant_client: Client, books: Company
) -> None:
    # given
    capital(books)
    # when
    response = accountant_client.get(reverse("ledger_opening_balances"))
    # then
    assert response.context["locked"]
    assert 'name="1001-debit"' not in response.content.decode()


def test_a_mid_year_start_adds_year_to_date_columns(
    accountant_client: Client, books: Company
) -> None:
    # when: the books start in July
    accountant_client.post(
        reverse("ledger_opening_balances"),
        {"action": "first_period", "year": "2026", "period": "7"},
    )
    response = accountant_client.get(reverse("ledger_opening_balances"))
    # then
    assert response.context["mid_year"]
    assert 'name="5001-ytd_credit"' in response.content.decode()


def receivables_by_customer(books: Company) -> Account:
    services.add_account(
        company=books,
        actor=testing.owner_of(books),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    return Account.objects.get(company=books, code="112201")


def split_form(**lines: tuple[str, str]) -> dict[str, str]:
    """The split page as the browser posts it: the account's figures and one
    line per customer (``c<id>=(debit, credit)``), then a blank line."""
    data = {"account-debit": "", "account-credit": ""}
    for n, (name, (debit, credit)) in enumerate(lines.items()):
        data |= {
            f"customer-{n}-value": name.removeprefix("c"),
            f"customer-{n}-debit": debit,
            f"customer-{n}-credit": credit,
        }
    blank = len(lines)
    data |= {
        f"customer-{blank}-value": "",
        f"customer-{blank}-debit": "",
        f"customer-{blank}-credit": "",
        "customer-rows": str(blank + 1),
    }
    return data


def test_the_opening_grid_links_an_account_with_dimensions_to_its_split(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = receivables_by_customer(books)
    # when
    response = accountant_client.get(reverse("ledger_opening_balances"))
    # then
    (row,) = [r for r in response.context["rows"] if r.account.code == "112201"]
    assert row.split_url == reverse("ledger_opening_split", args=[account.pk])
    assert not [
        r for r in response.context["rows"] if r.split_url and r.account.code == "1002"
    ]


def test_the_opening_balance_is_split_by_customer_on_its_page(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = receivables_by_customer(books)
    url = reverse("ledger_opening_split", args=[account.pk])
    # when: 1,000.00 in all, 600.00 owed by customer 7 and 400.00 by 8
    form = split_form(c7=("600.00", ""), c8=("400", ""))
    response = accountant_client.post(
        url, {**form, "account-debit": "1,000.00"}, follow=True
    )
    # then
    assert "are saved" in response.content.decode()
    assert {
        row.value_id: row.debit
        for row in OpeningDimensionBalance.objects.filter(company=books)
    } == {7: Decimal("600.00"), 8: Decimal("400.00")}
    assert OpeningBalance.objects.get(company=books, account=account).debit == (
        Decimal("1000.00")
    )
    # and the page shows the stored lines and their total, 1,000.00
    (section,) = response.context["sections"]
    assert section.totals == [Decimal("1000.00"), Decimal("0")]
    assert [line[0].value() for line in section.lines][:2] == ["7", "8"]


def test_a_split_that_does_not_add_up_is_shown_and_not_written(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = receivables_by_customer(books)
    # when: 600.00 + 300.00 against 1,000.00
    response = accountant_client.post(
        reverse("ledger_opening_split", args=[account.pk]),
        {**split_form(c7=("600.00", ""), c8=("300.00", "")), "account-debit": "1000"},
    )
    # then
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("112201 货款: the opening balances by Customer add up")
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_a_split_line_without_its_customer_is_refused_on_the_line(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = receivables_by_customer(books)
    form = split_form(c7=("600.00", ""))
    form |= {"customer-1-debit": "400.00", "account-debit": "1000"}
    # when
    response = accountant_client.post(
        reverse("ledger_opening_split", args=[account.pk]), form
    )
    # then
    assert response.context["form"].errors["customer-1-value"]
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()


def test_the_split_page_is_read_only_after_posting(
    accountant_client: Client, books: Company
) -> None:
    # given
    account = receivables_by_customer(books)
    capital(books)
    # when
    response = accountant_client.get(reverse("ledger_opening_split", args=[account.pk]))
    # then
    assert response.context["locked"]
    assert 'name="customer-0-value"' not in response.content.decode()


# --- more reports and downloads -------------------------------------------------------


def test_the_voucher_prints_as_pdf(accountant_client: Client, books: Company) -> None:
    # given
    voucher = capital(books)
    # when
    response = accountant_client.get(reverse("ledger_voucher_pdf", args=[voucher.pk]))
    # then
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_voucher_list_downloads_as_excel(
    accountant_client: Client, books: Company
) -> None:
    # given
    capital(books)
    # when
    response = accountant_client.get(
        reverse("ledger_vouchers"), {"period": "2026-03", "format": "xlsx"}
    )
    # then
    assert response.content.startswith(b"PK")


def test_the_general_ledger_shows_the_months_and_the_year(
    accountant_client: Client, books: Company
) -> None:
    # given: 100,000.00 into the bank in March
    capital(books)
    bank = Account.objects.get(company=books, code="1002")
    params = {"account": bank.pk, "year": "2026"}
    # when
    response = accountant_client.get(reverse("ledger_general_ledger"), params)
    download = accountant_client.get(
        reverse("ledger_general_ledger"), {**params, "format": "pdf"}
    )
    # then: March's total and year to date, each with the balance 借 100,000.00
    march = [
        item.row for item in response.context["rows"] if item.row.period_number == 3
    ]
    assert [(r.kind, r.debit, r.direction, r.balance) for r in march] == [
        ("period", Decimal("100000.00"), "debit", Decimal("100000.00")),
        ("year_to_date", Decimal("100000.00"), "debit", Decimal("100000.00")),
    ]
    # and: the month's total opens the month's detail
    assert response.context["rows"][-2].url.endswith(
        "from_period=2026-03&to_period=2026-03"
    )
    assert download.content.startswith(b"%PDF")


def test_dimension_balances_lead_to_the_customers_detail(
    accountant_client: Client, books: Company
) -> None:
    # given: 112201 tracks customers; customer 7 owes 500.00
    services.add_account(
        company=books,
        actor=testing.owner_of(books),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    posted(
        books,
        MARCH,
        line("销售", "112201", debit="500.00", customer=7),
        line("销售", "5001", credit="500.00"),
    )
    account = Account.objects.get(company=books, code="112201")
    params = {
        "account": account.pk,
        "dimension": "customer",
        "from_period": "2026-03",
        "to_period": "2026-03",
    }
    # when
    response = accountant_client.get(reverse("ledger_dimension_balances"), params)
    # then
    (item,) = response.context["rows"]
    assert (item.row.value_id, item.row.closing_debit) == (7, Decimal("500.00"))
    detail = accountant_client.get(item.url)
    assert detail.context["detail"].value_id == 7
    assert [r.debit for r in detail.context["rows"]][1] == Decimal("500.00")
    excel = accountant_client.get(
        reverse("ledger_dimension_balances"), {**params, "format": "xlsx"}
    )
    assert excel.content.startswith(b"PK")
