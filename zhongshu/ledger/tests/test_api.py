"""The ledger's REST API: vouchers from entry to the books, accounts, account
roles, opening balances, and the refusals — each with nothing written."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhongshu.core import services as core_services
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    OpeningBalance,
    OpeningDimensionBalance,
    Period,
    PeriodTotal,
    PostingRecord,
    Voucher,
    VoucherLine,
)
from zhongshu.ledger.testing import (
    accountant,
    company_with_books,
    line,
    posted,
)

pytestmark = pytest.mark.django_db


# zhongshu.api.tests.client is above the ledger's layer (import-linter keeps
# tests to the layers too), so the little it takes to call the assembled API
# as a token holder is here.
class ApiClient:
    def __init__(self, key: str) -> None:
        self.client = Client()
        self.authorization = f"Bearer {key}"

    def request(
        self, method: str, path: str, body: Any = None, **headers: str
    ) -> HttpResponse:
        response: HttpResponse = self.client.generic(
            method,
            "/api/v1" + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=self.authorization,
            **headers,
        )
        return response

    def get(self, path: str) -> HttpResponse:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None, **headers: str) -> HttpResponse:
        return self.request("POST", path, body, **headers)

    def put(self, path: str, body: Any) -> HttpResponse:
        return self.request("PUT", path, body)

    def patch(self, path: str, body: Any) -> HttpResponse:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> HttpResponse:
        return self.request("DELETE", path)


def as_token(user: User, company: Company) -> ApiClient:
    _token, key = core_services.issue_api_token(
        company=company, user=user, name=f"tests-{user.pk}"
    )
    return ApiClient(key)


def error_of(response: HttpResponse) -> dict[str, Any]:
    """The error body, after checking it has the API's one error shape."""
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["message"]
    return body


MARCH = datetime.date(2026, 3, 10)

WITHDRAWAL = {
    "date": "2026-03-10",
    "word": "记",
    "attachments": 2,
    "lines": [
        {"summary": "提取备用金", "account": "1001", "debit": "1004.05"},
        {"summary": "提取备用金", "account": "1002", "credit": 1004.05},
    ],
}


@pytest.fixture
def books() -> Company:
    return company_with_books("BOOKS", year=2026)


@pytest.fixture
def maker(books: Company) -> User:
    return accountant(books, "maker")


@pytest.fixture
def maker_api(books: Company, maker: User) -> ApiClient:
    return as_token(maker, books)


@pytest.fixture
def checker_api(books: Company) -> ApiClient:
    return as_token(accountant(books, "checker"), books)


def role_api(company: Company, role: str) -> ApiClient:
    return as_token(core_testing.member(company, [role]), company)


def nothing_written(company: Company) -> bool:
    return not (
        Voucher.objects.filter(company=company).exists()
        or VoucherLine.objects.filter(company=company).exists()
        or PeriodTotal.objects.filter(company=company).exists()
    )


def totals(company: Company) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        row.account.code: (row.debit, row.credit)
        for row in PeriodTotal.objects.filter(company=company).select_related("account")
    }


def draft(api: ApiClient, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = api.post("/ledger/vouchers", body or WITHDRAWAL)
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    return created


# --- vouchers: entry, review, posting -------------------------------------------


def test_a_voucher_goes_from_entry_through_review_to_the_books(
    books, maker_api, checker_api
):
    # given a draft entered by the maker
    created = draft(maker_api)
    url = f"/ledger/vouchers/{created['id']}"

    # when another accountant reviews and posts it
    reviewed = checker_api.post(f"{url}/review")
    posted_ = checker_api.post(f"{url}/post")

    # then it is numbered 记-0001 and in the period totals
    assert created["state"] == "draft"
    assert created["number"] is None
    assert reviewed.status_code == 200
    assert reviewed.json()["state"] == "reviewed"
    assert posted_.status_code == 200
    body = posted_.json()
    assert (body["state"], body["display_number"], body["period"]) == (
        "posted",
        "记-0001",
        "2026-03",
    )
    assert (body["maker"], body["reviewed_by"], body["posted_by"]) == (
        "maker",
        "checker",
        "checker",
    )
    assert totals(books) == {
        "1001": (Decimal("1004.05"), Decimal("0.00")),
        "1002": (Decimal("0.00"), Decimal("1004.05")),
    }
    assert PostingRecord.objects.filter(company=books).count() == 1


def test_a_voucher_reads_with_exact_amounts_and_its_total_in_words(books, maker_api):
    # given the second line's credit sent as the JSON number 1004.05
    created = draft(maker_api)

    # when
    response = maker_api.get(f"/ledger/vouchers/{created['id']}")

    # then amounts are strings with two places; 1004.05 is 壹仟零肆元零伍分
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["total_in_words"]) == ("1004.05", "壹仟零肆元零伍分")
    assert body["attachments"] == 2
    assert body["summary"] == "提取备用金"
    assert [
        (row["line_no"], row["account"]["code"], row["debit"], row["credit"])
        for row in body["lines"]
    ] == [(1, "1001", "1004.05", "0.00"), (2, "1002", "0.00", "1004.05")]
    assert body["lines"][0]["account"]["name"] == "库存现金"
    assert body["source"] is None
    assert body["reversal_of"] is None
    assert body["reversals"] == []


def test_the_maker_may_not_review_their_own_voucher(books, maker_api):
    # given
    created = draft(maker_api)

    # when
    response = maker_api.post(f"/ledger/vouchers/{created['id']}/review")

    # then
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    voucher = Voucher.objects.get(pk=created["id"])
    assert (voucher.state, voucher.reviewed_by) == ("draft", None)


def test_a_draft_is_edited_and_deleted_but_not_posted_unreviewed(
    books, maker_api, checker_api
):
    # given
    created = draft(maker_api)
    url = f"/ledger/vouchers/{created['id']}"
    edited_body = {
        **WITHDRAWAL,
        "date": "2026-04-02",
        "lines": [
            {"summary": "提取备用金", "account": "1001", "debit": "300"},
            {"summary": "提取备用金", "account": "1002", "credit": "300"},
        ],
    }

    # when
    edited = maker_api.put(url, edited_body)
    unreviewed_post = checker_api.post(f"{url}/post")
    deleted = maker_api.delete(url)

    # then
    assert edited.status_code == 200
    assert (edited.json()["period"], edited.json()["total"]) == ("2026-04", "300.00")
    assert unreviewed_post.status_code == 409
    assert error_of(unreviewed_post)["code"] == "conflict"
    assert deleted.status_code == 204
    assert nothing_written(books)


def test_an_unbalanced_voucher_is_refused_with_its_fields(books, maker_api):
    # given 100.00 debit against 99.99 credit
    body = {
        **WITHDRAWAL,
        "lines": [
            {"summary": "差一分", "account": "1001", "debit": "100.00"},
            {"summary": "差一分", "account": "1002", "credit": "99.99"},
        ],
    }

    # when
    response = maker_api.post("/ledger/vouchers", body)

    # then
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert "0.01" in error["fields"]["lines"][0]
    assert nothing_written(books)


@pytest.mark.parametrize("amount", [1.005, "1.005"], ids=["number", "string"])
def test_an_amount_with_three_decimals_is_refused_not_rounded(books, maker_api, amount):
    # given 1.005 as a JSON number and as a string: rounding would make 1.01
    body = {
        **WITHDRAWAL,
        "lines": [
            {"summary": "三位小数", "account": "1001", "debit": amount},
            {"summary": "三位小数", "account": "1002", "credit": amount},
        ],
    }

    # when
    response = maker_api.post("/ledger/vouchers", body)

    # then
    assert response.status_code == 422
    assert "lines.0" in error_of(response)["fields"]
    assert nothing_written(books)


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("quantity", "1.00001", "lines.0.quantity"),
        ("unit_price", "0.0000001", "lines.0.unit_price"),
        ("debit", "1e15", "lines.0.debit"),
        ("debit", 1234567890123.4567, "lines.0.debit"),
        ("debit", True, "lines.0.debit"),
    ],
    ids=["quantity-places", "price-places", "too-large", "too-precise", "bool"],
)
def test_numbers_that_cannot_be_stored_exactly_are_refused(
    books, maker_api, field, value, error_field
):
    # given
    first = {"summary": "x", "account": "1001", "debit": "1.00", field: value}
    body = {
        **WITHDRAWAL,
        "lines": [first, {"summary": "x", "account": "1002", "credit": "1.00"}],
    }

    # when
    response = maker_api.post("/ledger/vouchers", body)

    # then
    assert response.status_code == 422
    assert error_field in error_of(response)["fields"]
    assert nothing_written(books)


def test_posting_into_a_closed_period_is_a_conflict(books, maker_api, checker_api):
    # given a reviewed voucher of March, and March closed meanwhile
    created = draft(maker_api)
    url = f"/ledger/vouchers/{created['id']}"
    assert checker_api.post(f"{url}/review").status_code == 200
    Period.objects.filter(company=books, year=2026, number=3).update(is_closed=True)

    # when
    post = checker_api.post(f"{url}/post")
    new = maker_api.post("/ledger/vouchers", WITHDRAWAL)

    # then
    assert post.status_code == 409
    assert new.status_code == 409
    assert error_of(post)["code"] == "conflict"
    assert Voucher.objects.get(pk=created["id"]).state == "reviewed"
    assert Voucher.objects.filter(company=books).count() == 1
    assert not PeriodTotal.objects.filter(company=books).exists()
    assert not PostingRecord.objects.filter(company=books).exists()


def test_a_cashier_enters_vouchers_but_may_not_review_or_post(books, maker_api):
    # given
    cashier = role_api(books, Role.CASHIER)
    others = draft(maker_api)

    # when
    entered = cashier.post("/ledger/vouchers", WITHDRAWAL)
    review = cashier.post(f"/ledger/vouchers/{others['id']}/review")
    post = cashier.post(f"/ledger/vouchers/{others['id']}/post")

    # then
    assert entered.status_code == 201
    for refused in (review, post):
        assert refused.status_code == 403
        assert error_of(refused)["code"] == "permission_denied"
    assert set(
        Voucher.objects.filter(company=books).values_list("state", flat=True)
    ) == {"draft"}


def test_the_auditor_reads_the_books_but_may_not_post(books, maker_api, checker_api):
    # given a reviewed voucher
    auditor = role_api(books, Role.AUDITOR)
    created = draft(maker_api)
    checker_api.post(f"/ledger/vouchers/{created['id']}/review")

    # when
    reads = [
        auditor.get("/ledger/vouchers"),
        auditor.get(f"/ledger/vouchers/{created['id']}"),
        auditor.get("/ledger/accounts"),
        auditor.get("/ledger/periods?year=2026"),
        auditor.get("/ledger/opening-balances"),
    ]
    post = auditor.post(f"/ledger/vouchers/{created['id']}/post")
    enter = auditor.post("/ledger/vouchers", WITHDRAWAL)

    # then
    assert [r.status_code for r in reads] == [200] * len(reads)
    assert post.status_code == enter.status_code == 403
    assert Voucher.objects.get(pk=created["id"]).state == "reviewed"
    assert Voucher.objects.filter(company=books).count() == 1


def test_sales_staff_cannot_see_the_books(books):
    # when
    response = role_api(books, Role.SALES).get("/ledger/vouchers")

    # then
    assert response.status_code == 403


def test_another_companys_voucher_is_not_found(books, maker_api):
    # given a draft in another company
    other = company_with_books("OTHER", year=2026)
    theirs = draft(as_token(accountant(other), other))

    # when
    read = maker_api.get(f"/ledger/vouchers/{theirs['id']}")
    review = as_token(core_testing.owner_of(books), books).post(
        f"/ledger/vouchers/{theirs['id']}/review"
    )

    # then
    assert read.status_code == review.status_code == 404
    assert error_of(read)["code"] == "not_found"
    assert Voucher.objects.get(pk=theirs["id"]).state == "draft"


def test_a_retried_post_with_an_idempotency_key_creates_one_voucher(books, maker_api):
    # when
    first = maker_api.post("/ledger/vouchers", WITHDRAWAL, HTTP_IDEMPOTENCY_KEY="v-1")
    retry = maker_api.post("/ledger/vouchers", WITHDRAWAL, HTTP_IDEMPOTENCY_KEY="v-1")

    # then
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert Voucher.objects.filter(company=books).count() == 1


def test_a_posted_voucher_is_reversed_in_red_and_copied_as_a_draft(books, maker_api):
    # given 记-0001 of March, posted through the posting API
    original = posted(
        books,
        MARCH,
        line("投资款", "1002", debit="100000.00"),
        line("投资款", "3001", credit="100000.00"),
        source=SourceRef("test.document", 9),
    )
    url = f"/ledger/vouchers/{original.pk}"

    # when reversed in April, and copied
    reversal = maker_api.post(f"{url}/reverse", {"date": "2026-04-05"})
    copy = maker_api.post(f"{url}/copy", {"date": "2026-04-06"})
    again = maker_api.post(f"{url}/reverse", {"date": "2026-04-05"})

    # then the reversal negates every line and links both ways
    assert reversal.status_code == 201
    red = reversal.json()
    assert red["period"] == "2026-04"
    assert [(r["debit"], r["credit"]) for r in red["lines"]] == [
        ("-100000.00", "0.00"),
        ("0.00", "-100000.00"),
    ]
    assert red["total_in_words"] == "负壹拾万元整"
    assert red["reversal_of"]["id"] == original.pk
    assert red["source"] == {
        "kind": "test.document",
        "id": 9,
        "label": None,
        "url": None,
    }
    assert [r["id"] for r in maker_api.get(url).json()["reversals"]] == [red["id"]]
    assert copy.status_code == 201
    assert (copy.json()["state"], copy.json()["date"]) == ("draft", "2026-04-06")
    assert again.status_code == 409


def test_unposting_and_unreviewing_restore_a_draft(books, maker_api, checker_api):
    # given a posted voucher
    created = draft(maker_api)
    url = f"/ledger/vouchers/{created['id']}"
    checker_api.post(f"{url}/review")
    checker_api.post(f"{url}/post")

    # when
    unposted = checker_api.post(f"{url}/unpost")
    unreviewed = checker_api.post(f"{url}/unreview")

    # then the number stays and the totals are back to zero
    assert unposted.json()["state"] == "reviewed"
    assert unreviewed.json()["state"] == "draft"
    assert unreviewed.json()["number"] == 1
    assert set(totals(books).values()) == {(Decimal("0.00"), Decimal("0.00"))}


def test_vouchers_are_listed_by_period_and_source_in_fixed_queries(books, maker_api):
    # given two posted vouchers of a delivery in March, one in April, a draft
    delivery = SourceRef("sales.delivery", 42)
    for day in (MARCH, MARCH, datetime.date(2026, 4, 1)):
        posted(
            books,
            day,
            line("销售", "1002", debit="113.00"),
            line("销售", "5001", credit="113.00"),
            source=delivery,
        )
    draft(maker_api)

    # when
    with CaptureQueriesContext(connection) as march_queries:
        march = maker_api.get("/ledger/vouchers?year=2026&period=3")
    of_delivery = maker_api.get(
        "/ledger/vouchers?source_kind=sales.delivery&source_id=42&state=posted"
    )

    # then March lists 记-0001, 记-0002 and the unnumbered draft last
    assert march.status_code == 200
    assert march.json()["count"] == 3
    assert [v["display_number"] for v in march.json()["items"]] == [
        "记-0001",
        "记-0002",
        "—",
    ]
    assert march.json()["items"][0]["summary"] == "销售"
    assert of_delivery.json()["count"] == 3
    with CaptureQueriesContext(connection) as fewer:
        maker_api.get("/ledger/vouchers?year=2026&period=4")
    assert len(march_queries) == len(fewer)


# --- accounts and roles ---------------------------------------------------------


def test_a_sub_account_is_added_renamed_and_takes_over_the_role(books, maker_api):
    # given
    body = {
        "parent_code": "1122",
        "code": "112201",
        "name": "国内客户",
        "dimensions": ["customer"],
    }

    # when
    added = maker_api.post("/ledger/accounts", body)
    renamed = maker_api.patch(
        f"/ledger/accounts/{added.json()['id']}", {"name": "境内客户"}
    )
    roles = maker_api.get("/ledger/account-roles").json()

    # then
    assert added.status_code == 201
    assert (
        added.json()["level"],
        added.json()["parent_code"],
        added.json()["dimensions"],
    ) == (2, "1122", ["customer"])
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "境内客户"
    receivable = next(r for r in roles if r["role"] == "receivable")
    assert receivable["account"]["code"] == "112201"
    assert receivable["refined_by"] is None


def test_a_bad_sub_account_code_is_refused(books, maker_api):
    # when a 5-digit code where 4-2-2-2 wants 6
    response = maker_api.post(
        "/ledger/accounts", {"parent_code": "1122", "code": "11221", "name": "x"}
    )

    # then
    assert response.status_code == 422
    assert "code" in error_of(response)["fields"]
    assert not Account.objects.filter(company=books, code="11221").exists()


def test_an_account_with_postings_cannot_be_disabled(books, maker_api):
    # given
    posted(books, MARCH, line("x", "1002", debit="1"), line("x", "3001", credit="1"))
    bank = Account.objects.get(company=books, code="1002")

    # when
    response = maker_api.patch(f"/ledger/accounts/{bank.pk}", {"is_active": False})

    # then
    assert response.status_code == 409
    bank.refresh_from_db()
    assert bank.is_active


def test_an_unused_account_is_disabled_and_enabled(books, maker_api):
    # given 1012 其他货币资金, never used
    other_funds = Account.objects.get(company=books, code="1012")
    url = f"/ledger/accounts/{other_funds.pk}"

    # when
    disabled = maker_api.patch(url, {"is_active": False})
    listed = maker_api.get("/ledger/accounts?active_only=true").json()
    enabled = maker_api.patch(url, {"is_active": True})

    # then
    assert disabled.json()["is_active"] is False
    assert "1012" not in {a["code"] for a in listed}
    assert enabled.json()["is_active"] is True


def test_an_account_role_is_refined_by_a_key(books, maker_api):
    # given a sub-account for one product category's stock
    maker_api.post(
        "/ledger/accounts", {"parent_code": "1405", "code": "140501", "name": "商品A"}
    )
    maker_api.post(
        "/ledger/accounts", {"parent_code": "1405", "code": "140502", "name": "商品B"}
    )
    body = {"account": "140502", "refined_by": {"kind": "catalog.category", "id": 7}}

    # when
    response = maker_api.put("/ledger/account-roles/inventory", body)

    # then
    assert response.status_code == 200
    assert response.json() == {
        "role": "inventory",
        "account": {
            "id": Account.objects.get(company=books, code="140502").pk,
            "code": "140502",
            "name": "商品B",
        },
        "refined_by": {"kind": "catalog.category", "id": 7},
    }
    refined = services.resolve_account(books, "inventory", (("catalog.category", 7),))
    assert refined.code == "140502"
    assert services.resolve_account(books, "inventory").code == "140501"


@pytest.mark.parametrize(
    ("role", "account", "status"),
    [("no_such_role", "1001", 404), ("cash", "9999", 422), ("cash", "2221", 422)],
    ids=["unknown-role", "unknown-account", "parent-account"],
)
def test_bad_account_roles_are_refused(books, maker_api, role, account, status):
    # when
    response = maker_api.put(f"/ledger/account-roles/{role}", {"account": account})

    # then
    assert response.status_code == status
    error_of(response)
    assert AccountRole.objects.get(
        company=books, role="cash", key_kind=""
    ).account.code == ("1001")


def test_a_cashier_may_not_change_the_chart(books):
    # when
    response = role_api(books, Role.CASHIER).post(
        "/ledger/accounts", {"parent_code": "1002", "code": "100201", "name": "工行"}
    )

    # then
    assert response.status_code == 403
    assert not Account.objects.filter(company=books, code="100201").exists()


# --- periods and opening balances -------------------------------------------------


def test_periods_are_listed_by_year(books, maker_api):
    # when
    response = maker_api.get("/ledger/periods?year=2026")

    # then
    assert response.status_code == 200
    rows = response.json()
    assert [p["key"] for p in rows] == [f"2026-{n:02d}" for n in range(1, 13)]
    assert (rows[1]["start_on"], rows[1]["end_on"]) == ("2026-02-01", "2026-02-28")
    assert rows[0]["is_closed"] is False


def test_opening_balances_are_entered_and_checked(books, maker_api):
    # given capital of 100,000.00 in the bank, 30,000.00 of it a loan
    body = {
        "balances": {
            "1002": {"debit": "100000.00"},
            "3001": {"credit": "70000.00"},
            "2001": {"credit": 30000},
        }
    }

    # when
    response = maker_api.put("/ledger/opening-balances", body)
    read = maker_api.get("/ledger/opening-balances")

    # then debits 100,000.00 = credits 70,000.00 + 30,000.00
    assert response.status_code == 200
    assert read.json() == response.json()
    overview = response.json()
    assert (overview["first_year"], overview["first_period"]) == (2026, 1)
    assert [
        (r["account"]["code"], r["debit"], r["credit"]) for r in overview["rows"]
    ] == [
        ("1002", "100000.00", "0.00"),
        ("2001", "0.00", "30000.00"),
        ("3001", "0.00", "70000.00"),
    ]
    assert overview["check"]["difference"] == "0.00"
    assert overview["check"]["balanced"] is True


def test_opening_balances_on_a_parent_account_are_refused(books, maker_api):
    # when 2221 应交税费 has sub-accounts
    response = maker_api.put(
        "/ledger/opening-balances", {"balances": {"2221": {"credit": "10.00"}}}
    )

    # then
    assert response.status_code == 422
    assert "balances.2221" in error_of(response)["fields"]
    assert not OpeningBalance.objects.filter(company=books).exists()


def test_opening_balances_split_by_customer_round_trip(books, maker_api):
    # given 112201 tracks customers: customer 7 owes 600.00, customer 8 400.00
    services.add_account(
        company=books,
        actor=accountant(books, "setup"),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    body = {
        "balances": {
            "112201": {
                "debit": "1000.00",
                "by_dimension": {
                    "customer": {"7": {"debit": "600.00"}, "8": {"debit": 400}}
                },
            },
            "3001": {"credit": "1000.00"},
        }
    }

    # when
    response = maker_api.put("/ledger/opening-balances", body)
    read = maker_api.get("/ledger/opening-balances")

    # then
    assert response.status_code == 200
    assert read.json() == response.json()
    assert [
        (r["account"]["code"], r["dimension"], r["value_id"], r["debit"], r["credit"])
        for r in read.json()["dimension_rows"]
    ] == [
        ("112201", "customer", 7, "600.00", "0.00"),
        ("112201", "customer", 8, "400.00", "0.00"),
    ]
    # and the 辅助核算余额表 of January opens with them
    account_id = Account.objects.get(company=books, code="112201").pk
    report = maker_api.get(
        "/ledger/reports/dimension-balances?account=112201&dimension=customer"
        "&from_period=2026-01&to_period=2026-01"
    )
    assert report.status_code == 200, report.json()
    assert report.json()["account"]["id"] == account_id
    assert [
        (r["value_id"], r["opening_debit"], r["ytd_debit"], r["closing_debit"])
        for r in report.json()["rows"]
    ] == [(7, "600.00", "0.00", "600.00"), (8, "400.00", "0.00", "400.00")]


def test_a_split_that_does_not_add_up_is_a_422_and_nothing_is_written(books, maker_api):
    # given
    services.add_account(
        company=books,
        actor=accountant(books, "setup"),
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    # when 600.00 + 300.00 = 900.00 against an account of 1,000.00
    response = maker_api.put(
        "/ledger/opening-balances",
        {
            "balances": {
                "112201": {
                    "debit": "1000.00",
                    "by_dimension": {
                        "customer": {"7": {"debit": "600"}, "8": {"debit": "300"}}
                    },
                }
            }
        },
    )

    # then
    assert response.status_code == 422
    error = error_of(response)
    assert "112201 货款" in error["message"]
    assert "balances.112201" in error["fields"]
    assert not OpeningBalance.objects.filter(company=books).exists()
    assert not OpeningDimensionBalance.objects.filter(company=books).exists()


# --- periods: close and reopen ---------------------------------------------------


def period_id(company: Company, number: int) -> int:
    return Period.objects.get(company=company, year=2026, number=number).pk


def test_a_closed_period_takes_no_more_postings(books, maker_api, checker_api):
    # given a reviewed voucher of January
    created = draft(maker_api, {**WITHDRAWAL, "date": "2026-01-15"})
    checker_api.post(f"/ledger/vouchers/{created['id']}/review")
    unposted_close = maker_api.post(f"/ledger/periods/{period_id(books, 1)}/close")
    checker_api.post(f"/ledger/vouchers/{created['id']}/unreview")
    assert maker_api.delete(f"/ledger/vouchers/{created['id']}").status_code == 204

    # when January closes and a voucher of January is entered
    closed = maker_api.post(f"/ledger/periods/{period_id(books, 1)}/close")
    entered = maker_api.post("/ledger/vouchers", {**WITHDRAWAL, "date": "2026-01-20"})

    # then
    assert unposted_close.status_code == 409
    assert closed.status_code == 200
    assert (closed.json()["key"], closed.json()["is_closed"]) == ("2026-01", True)
    assert closed.json()["closed_by"] == "maker"
    assert entered.status_code == 409
    assert "date" in error_of(entered)["fields"]
    assert nothing_written(books)


def test_the_closing_checklist_names_what_blocks_a_close(books, maker_api):
    # given a draft in March while January and February are open
    draft(maker_api)

    # when
    response = maker_api.get(f"/ledger/periods/{period_id(books, 3)}/closing-checklist")

    # then
    assert response.status_code == 200
    assert [problem["code"] for problem in response.json()] == [
        "previous_open",
        "unposted_vouchers",
    ]


def test_only_the_owner_reopens_a_period(books, maker_api):
    # given January closed
    url = f"/ledger/periods/{period_id(books, 1)}"
    assert maker_api.post(f"{url}/close").status_code == 200
    owner = as_token(core_testing.owner_of(books), books)

    # when
    by_accountant = maker_api.post(f"{url}/reopen")
    by_owner = owner.post(f"{url}/reopen")

    # then
    assert by_accountant.status_code == 403
    assert by_owner.status_code == 200
    assert by_owner.json()["is_closed"] is False


# --- reports ----------------------------------------------------------------------


@pytest.fixture
def march(books: Company) -> Company:
    """March 2026: capital of 100,000.00 paid into the bank, and a sale on
    credit to customer 7 of 10,000.00 plus 13 % output VAT (1,300.00)."""
    services.update_account(
        account=Account.objects.get(company=books, code="1122"),
        actor=accountant(books),
        name="应收账款",
        dimensions=["customer"],
    )
    posted(
        books,
        MARCH,
        line("投资款", "1002", debit="100000.00"),
        line("投资款", "3001", credit="100000.00"),
    )
    posted(
        books,
        datetime.date(2026, 3, 20),
        line("销售商品", "1122", debit="11300.00", customer=7),
        line("销售商品", "5001", credit="10000.00"),
        line("销项税额", "22210107", credit="1300.00"),
    )
    return books


def test_the_trial_balance_by_level_one(march, maker_api):
    # when
    response = maker_api.get(
        "/ledger/reports/trial-balance?from_period=2026-03&to_period=2026-03&level=1"
    )

    # then each level-1 account with its closing balance on its side
    assert response.status_code == 200
    body = response.json()
    assert (body["from_period"], body["to_period"], body["balanced"]) == (
        "2026-03",
        "2026-03",
        True,
    )
    assert [
        (r["code"], r["closing_debit"], r["closing_credit"]) for r in body["rows"]
    ] == [
        ("1002", "100000.00", "0.00"),
        ("1122", "11300.00", "0.00"),
        ("2221", "0.00", "1300.00"),
        ("3001", "0.00", "100000.00"),
        ("5001", "0.00", "10000.00"),
    ]
    # 100,000.00 + 11,300.00 on each side
    totals = body["totals"]
    assert (totals["period_debit"], totals["period_credit"]) == ("111300.00",) * 2
    assert (totals["closing_debit"], totals["closing_credit"]) == ("111300.00",) * 2


def test_ledgers_show_running_balances(march, maker_api):
    # when
    general = maker_api.get("/ledger/reports/general-ledger?account=1002&year=2026")
    detail = maker_api.get(
        "/ledger/reports/account-detail?account=1122"
        "&from_period=2026-01&to_period=2026-03"
    )

    # then 1002 shows nothing until March, then 100,000.00 on the debit side
    assert general.status_code == 200
    rows = general.json()["rows"]
    assert general.json()["account"]["code"] == "1002"
    assert [(r["kind"], r["period_number"]) for r in rows[:2]] == [
        ("opening", 1),
        ("period", 1),
    ]
    assert (rows[-1]["kind"], rows[-1]["period_number"], rows[-1]["debit"]) == (
        "year_to_date",
        3,
        "100000.00",
    )
    assert (rows[-1]["direction"], rows[-1]["balance"]) == ("debit", "100000.00")
    assert detail.status_code == 200
    page = detail.json()
    assert (page["total_lines"], page["has_more"], page["closing_balance"]) == (
        1,
        False,
        "11300.00",
    )
    assert [(ln["summary"], ln["debit"], ln["balance"]) for ln in page["lines"]] == [
        ("销售商品", "11300.00", "11300.00")
    ]
    assert page["lines"][0]["voucher_number"] == "记-0002"


def test_receivables_by_customer(march, maker_api):
    # when
    balances = maker_api.get(
        "/ledger/reports/dimension-balances?account=1122&dimension=customer"
        "&from_period=2026-03&to_period=2026-03"
    )
    detail = maker_api.get(
        "/ledger/reports/dimension-detail?account=1122&dimension=customer"
        "&value_id=7&from_period=2026-03&to_period=2026-03"
    )

    # then
    assert balances.status_code == 200
    assert [
        (r["value_id"], r["period_debit"], r["closing_debit"])
        for r in balances.json()["rows"]
    ] == [(7, "11300.00", "11300.00")]
    assert detail.status_code == 200
    assert (detail.json()["dimension"], detail.json()["value_id"]) == ("customer", 7)
    assert detail.json()["closing_balance"] == "11300.00"


def test_the_voucher_summary(march, maker_api):
    # when
    response = maker_api.get(
        "/ledger/reports/voucher-summary?from_period=2026-03&to_period=2026-03"
    )

    # then two vouchers, 111,300.00 each side
    body = response.json()
    assert (body["voucher_count"], body["total_debit"], body["total_credit"]) == (
        2,
        "111300.00",
        "111300.00",
    )
    assert [r["code"] for r in body["rows"]] == ["1002", "1122", "2221", "3001", "5001"]


def test_the_statements_after_closing_march(march, maker_api):
    # given January to March closed: March carries 10,000.00 to 本年利润
    for number in (1, 2, 3):
        url = f"/ledger/periods/{period_id(march, number)}/close"
        assert maker_api.post(url).status_code == 200

    # when
    sheet = maker_api.get("/ledger/reports/balance-sheet?period=2026-03")
    income = maker_api.get("/ledger/reports/income-statement?period=2026-03")

    # then assets 100,000.00 + 11,300.00 = liabilities 1,300.00 + equity
    # 100,000.00 + profit 10,000.00
    assert sheet.status_code == 200
    body = sheet.json()
    assert (body["form"], body["period"], body["balanced"]) == (
        "会小企01表",
        "2026-03",
        True,
    )
    values = {line["row"]: line["values"] for line in body["lines"] if line["row"]}
    assert values[1] == ["100000.00", "0.00"]
    assert values[30] == values[53] == ["111300.00", "0.00"]
    assert income.status_code == 200
    revenue = next(line for line in income.json()["lines"] if line["row"] == 1)
    assert revenue["values"] == ["10000.00", "10000.00"]
    assert revenue["terms"][0] == {
        "sign": 1,
        "function": "net_activity",
        "code": "5001",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from_period=2026-03&to_period=2031-03", "to_period"),
        ("from_period=2026/03&to_period=2026-03", "from_period"),
        ("from_period=2026-13&to_period=2026-03", "from_period"),
        ("to_period=2026-03", "from_period"),
    ],
    ids=["unknown", "malformed", "no-such-month", "missing"],
)
def test_a_report_refuses_a_period_the_books_do_not_have(
    books, maker_api, query, field
):
    # when
    response = maker_api.get(f"/ledger/reports/voucher-summary?{query}")

    # then
    assert response.status_code == 422
    assert field in error_of(response)["fields"]


def test_an_unknown_account_in_a_report_is_refused(books, maker_api):
    # when
    response = maker_api.get("/ledger/reports/general-ledger?account=9999&year=2026")

    # then
    assert response.status_code == 422
    assert "account" in error_of(response)["fields"]


def test_the_auditor_reads_reports_but_may_not_close(march):
    # given
    auditor = role_api(march, Role.AUDITOR)

    # when
    reads = [
        auditor.get(
            "/ledger/reports/trial-balance?from_period=2026-03&to_period=2026-03"
        ),
        auditor.get("/ledger/reports/balance-sheet?period=2026-03"),
        auditor.get("/ledger/reports/income-statement?period=2026-03"),
    ]
    close = auditor.post(f"/ledger/periods/{period_id(march, 1)}/close")

    # then
    assert [r.status_code for r in reads] == [200, 200, 200]
    assert close.status_code == 403
    assert not Period.objects.filter(company=march, is_closed=True).exists()
