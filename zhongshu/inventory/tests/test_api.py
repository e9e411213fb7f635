"""The inventory API: warehouses and bins, settings and policies, stock moved
by hand with its voucher, reservations, the reports and their downloads, and
the error bodies of bad requests."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from zhongshu.core import services as core_services
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import StockBalance, StockMove, Warehouse
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Voucher

pytestmark = pytest.mark.django_db

D = Decimal
BASE = "/inventory"


class ApiClient:
    """JSON calls to /api/v1 with a personal token (the api app's own test
    client sits above inventory's layer)."""

    def __init__(self, key: str) -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def request(self, method: str, path: str, body: Any = None) -> Any:
        return self.client.generic(
            method,
            f"/api/v1{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, body)


def as_token(user: User, company: Company) -> ApiClient:
    _token, key = core_services.issue_api_token(
        company=company, user=user, name=f"tests-{user.pk}"
    )
    return ApiClient(key)


def error_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body


@pytest.fixture
def books(company: Company) -> Company:
    ledger.set_up_books(company=company, first_year=2026)
    return company


@pytest.fixture
def api(books: Company, owner: User) -> ApiClient:
    return as_token(owner, books)


@pytest.fixture
def stocked(books: Company) -> dict[str, Any]:
    """WH1 and WH2, and SHIRT with 10 @ 10.00 received in WH1 on 11-02."""
    shirt = t.product(books, "SHIRT")
    wh1, wh2 = t.warehouse(books, "WH1"), t.warehouse(books, "WH2")
    t.receive(books, datetime.date(2026, 11, 2), shirt, wh1, "10", "10.00")
    return {"shirt": shirt, "wh1": wh1, "wh2": wh2}


# --- warehouses and locations ----------------------------------------------------


def test_a_warehouse_round_trip(api: ApiClient) -> None:
    # when: created, renamed, given a bin, deactivated
    created = api.post(
        f"{BASE}/warehouses", {"code": "SH01", "name": "上海仓", "city": "310100"}
    )
    warehouse_id = created.json()["id"]
    renamed = api.put(
        f"{BASE}/warehouses/{warehouse_id}", {"code": "SH01", "name": "上海一号仓"}
    )
    bin_a = api.post(
        f"{BASE}/warehouses/{warehouse_id}/locations",
        {"code": "A-01", "zone": "A", "aisle": "01", "x": 120, "y": 40},
    )
    bins = api.get(f"{BASE}/warehouses/{warehouse_id}/locations")
    off = api.post(f"{BASE}/warehouses/{warehouse_id}/deactivate")
    # then
    assert created.status_code == 201
    assert created.json()["is_active"] is True
    assert renamed.json()["name"] == "上海一号仓"
    assert bin_a.status_code == 201
    assert (bin_a.json()["zone"], bin_a.json()["x"]) == ("A", 120)
    assert [(b["code"], b["is_default"]) for b in bins.json()] == [
        ("DEFAULT", True),
        ("A-01", False),
    ]
    assert off.json()["is_active"] is False
    updated = api.put(
        f"{BASE}/locations/{bin_a.json()['id']}", {"code": "A-01", "rack": "03"}
    )
    assert updated.json()["rack"] == "03"


def test_a_taken_warehouse_code_is_a_409(api: ApiClient, stocked: Any) -> None:
    response = api.post(f"{BASE}/warehouses", {"code": "WH1", "name": "重复"})
    assert response.status_code == 409
    assert error_of(response)["fields"] == {"code": ["This code is taken."]}


def test_a_warehouse_holding_stock_cannot_be_deactivated(
    api: ApiClient, stocked: Any
) -> None:
    response = api.post(f"{BASE}/warehouses/{stocked['wh1'].pk}/deactivate")
    assert response.status_code == 409
    assert Warehouse.objects.get(pk=stocked["wh1"].pk).is_active


def test_another_companys_warehouse_is_404(
    api: ApiClient, other_company: Company
) -> None:
    # given
    theirs = t.warehouse(other_company, "THEIRS")
    # when
    responses = [
        api.get(f"{BASE}/warehouses/{theirs.pk}"),
        api.put(f"{BASE}/warehouses/{theirs.pk}", {"code": "X", "name": "X"}),
        api.post(f"{BASE}/warehouses/{theirs.pk}/locations", {"code": "B1"}),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert error_of(responses[0])["code"] == "not_found"
    assert Warehouse.objects.get(pk=theirs.pk).code == "THEIRS"


# --- settings and policies -------------------------------------------------------


def test_settings_and_a_stock_policy(api: ApiClient, stocked: Any) -> None:
    # when
    before = api.get(f"{BASE}/settings").json()
    after = api.put(f"{BASE}/settings", {"stale_after_days": 60}).json()
    policy = api.put(
        f"{BASE}/stock-policies",
        {
            "product": "SHIRT",
            "warehouse": "WH1",
            "safety_stock": "3",
            "maximum_stock": 50,
        },
    )
    listed = api.get(f"{BASE}/stock-policies?warehouse=WH1").json()
    # then
    assert before == {
        "allow_negative_stock": False,
        "stale_after_days": 90,
        "expiry_warning_days": 30,
    }
    assert after["stale_after_days"] == 60
    assert policy.json() == {
        "product": "SHIRT",
        "warehouse": "WH1",
        "safety_stock": "3.0000",
        "maximum_stock": "50.0000",
    }
    assert len(listed) == 1


def test_a_maximum_below_safety_stock_is_a_422(api: ApiClient, stocked: Any) -> None:
    response = api.put(
        f"{BASE}/stock-policies",
        {
            "product": "SHIRT",
            "warehouse": "WH1",
            "safety_stock": "10",
            "maximum_stock": "5",
        },
    )
    assert response.status_code == 422
    assert "maximum_stock" in error_of(response)["fields"]


# --- moving stock by hand --------------------------------------------------------


def test_a_receipt_by_hand_posts_moves_and_a_voucher(
    api: ApiClient, books: Company, stocked: Any
) -> None:
    # when: 5 shirts @ 12.00 against 其他应付款
    response = api.post(
        f"{BASE}/receipts",
        {
            "date": "2026-11-05",
            "counter_role": "other_payable",
            "memo": "样品",
            "lines": [
                {
                    "product": "SHIRT",
                    "warehouse": "WH1",
                    "quantity": "5",
                    "unit_cost": "12.00",
                }
            ],
        },
    )
    # then: numbered, one move of 60.00, voucher Dr 1405 / Cr 2241
    body = response.json()
    assert response.status_code == 201, body
    assert body["number"] == "QT-2026-00001"
    assert body["kind"] == "receipt"
    assert body["source"]["kind"] == "inventory.manual"
    assert body["source"]["url"] == f"/inventory/documents/{body['source']['id']}/"
    [move] = body["moves"]
    assert (move["quantity"], move["value"], move["balance_value"]) == (
        "5.0000",
        "60.00",
        "160.00",  # 100.00 + 60.00
    )
    assert move["memo"] == "QT-2026-00001 样品"
    voucher = Voucher.objects.get(pk=body["voucher"]["id"])
    assert sorted(
        (line.account.code, line.debit, line.credit) for line in voucher.lines.all()
    ) == [("1405", D("60.00"), D("0.00")), ("2241", D("0.00"), D("60.00"))]
    # and the move is listed under its document and opens with its voucher
    listed = api.get(
        f"{BASE}/moves?source_kind=inventory.manual&source_id={body['source']['id']}"
    ).json()
    detail = api.get(f"{BASE}/moves/{move['id']}").json()
    assert [m["id"] for m in listed] == [move["id"]]
    assert detail["voucher_id"] == voucher.pk
    assert detail["counter_account"] == "2241"
    assert detail["revaluations"] == []


def test_an_issue_beyond_what_is_available_is_a_422_and_writes_nothing(
    api: ApiClient, books: Company, stocked: Any
) -> None:
    # when: 12 wanted, 10 on hand
    response = api.post(
        f"{BASE}/issues",
        {
            "date": "2026-11-06",
            "counter_account": "5602",
            "lines": [{"product": "SHIRT", "warehouse": "WH1", "quantity": "12"}],
        },
    )
    # then
    assert response.status_code == 422
    assert "10 available, 12 wanted" in error_of(response)["message"]
    assert StockMove.objects.filter(company=books).count() == 1
    balance = StockBalance.objects.get(company=books, product=stocked["shirt"])
    assert balance.on_hand == D("10")


def test_an_issue_by_hand_at_cost(api: ApiClient, stocked: Any) -> None:
    response = api.post(
        f"{BASE}/issues",
        {
            "date": "2026-11-06",
            "counter_account": "5602",
            "lines": [{"product": "SHIRT", "warehouse": "WH1", "quantity": "3"}],
        },
    )
    assert response.status_code == 201
    assert response.json()["moves"][0]["value"] == "-30.00"


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"product": "NOPE"}, "lines.0.product", "There is no product NOPE."),
        ({"warehouse": "NOWH"}, "lines.0.warehouse", "There is no warehouse NOWH."),
        ({"location": "Z9"}, "lines.0.location", "no location Z9"),
        ({"unit": "BOX"}, "lines.0.unit", "There is no unit BOX."),
    ],
)
def test_unknown_codes_are_422_on_their_field(
    api: ApiClient, stocked: Any, line: dict[str, str], field: str, message: str
) -> None:
    body = {
        "date": "2026-11-05",
        "counter_role": "other_payable",
        "lines": [
            {
                "product": "SHIRT",
                "warehouse": "WH1",
                "quantity": "1",
                "unit_cost": "1.00",
                **line,
            }
        ],
    }
    response = api.post(f"{BASE}/receipts", body)
    assert response.status_code == 422
    error = error_of(response)
    assert field in error["fields"]
    assert message in error["message"]


def test_a_counter_is_an_account_or_a_role_not_both(
    api: ApiClient, stocked: Any
) -> None:
    line = {"product": "SHIRT", "warehouse": "WH1", "quantity": "1"}
    both = api.post(
        f"{BASE}/issues",
        {
            "date": "2026-11-05",
            "counter_account": "5602",
            "counter_role": "cost_of_sales",
            "lines": [line],
        },
    )
    unknown = api.post(
        f"{BASE}/issues",
        {"date": "2026-11-05", "counter_role": "nonsense", "lines": [line]},
    )
    assert both.status_code == unknown.status_code == 422
    assert "counter_role" in error_of(unknown)["fields"]


def test_a_transfer_by_hand_between_warehouses(api: ApiClient, stocked: Any) -> None:
    response = api.post(
        f"{BASE}/transfers",
        {
            "date": "2026-11-07",
            "lines": [
                {
                    "product": "SHIRT",
                    "quantity": "4",
                    "from_warehouse": "WH1",
                    "to_warehouse": "WH2",
                }
            ],
        },
    )
    body = response.json()
    assert response.status_code == 201, body
    assert [(m["kind"], m["warehouse"], m["value"]) for m in body["moves"]] == [
        ("transfer_out", "WH1", "-40.00"),
        ("transfer_in", "WH2", "40.00"),
    ]
    assert body["voucher"] is None  # both on 1405


def test_reserve_and_release(api: ApiClient, stocked: Any) -> None:
    source = {"kind": "shop.order", "id": 7}
    reserved = api.post(
        f"{BASE}/reservations",
        {"product": "SHIRT", "warehouse": "WH1", "quantity": "4", "source": source},
    )
    too_much = api.post(
        f"{BASE}/reservations",
        {"product": "SHIRT", "warehouse": "WH1", "quantity": "7", "source": source},
    )
    on_hand = api.get(f"{BASE}/reports/on-hand").json()["rows"][0]
    released = api.post(f"{BASE}/reservations/release", {"source": source})
    assert reserved.status_code == 201
    assert too_much.status_code == 409
    assert (on_hand["reserved"], on_hand["available"]) == ("4.0000", "6.0000")
    assert released.json() == {"released": "4.0000"}


# --- reports ------------------------------------------------------------------------


def test_the_reports(api: ApiClient, stocked: Any) -> None:
    # given: 4 issued on 11-20 → 40.00
    t.issue(
        stocked["shirt"].company,
        datetime.date(2026, 11, 20),
        stocked["shirt"],
        stocked["wh1"],
        "4",
    )
    # when
    on_hand = api.get(f"{BASE}/reports/on-hand?warehouse=WH1").json()
    ledger_report = api.get(
        f"{BASE}/reports/stock-ledger?product=SHIRT&warehouse=WH1"
        "&date_from=2026-11-01&date_to=2026-11-30"
    ).json()
    summary = api.get(
        f"{BASE}/reports/movement-summary?date_from=2026-11-01&date_to=2026-11-30"
    ).json()
    valuation = api.get(f"{BASE}/reports/valuation?as_of=2026-11-30").json()
    # then
    assert [(r["product_code"], r["on_hand"], r["value"]) for r in on_hand["rows"]] == [
        ("SHIRT", "6.0000", "60.00")
    ]
    assert [
        (line["kind"], line["balance_quantity"], line["balance_value"])
        for line in ledger_report["lines"]
    ] == [("receipt", "10.0000", "100.00"), ("issue", "6.0000", "60.00")]
    assert (summary["total"]["in_value"], summary["total"]["out_value"]) == (
        "100.00",
        "40.00",
    )
    assert summary["total"]["closing_value"] == "60.00"
    assert valuation["total"] == "60.00"
    reconciliation = valuation["reconciliation"]
    assert (reconciliation["period"], reconciliation["agrees"]) == ("2026-11", True)
    assert [
        (r["account_code"], r["stock_value"], r["ledger_balance"])
        for r in reconciliation["rows"]
    ] == [("1405", "60.00", "60.00")]


def test_bad_report_queries_are_422(api: ApiClient, stocked: Any) -> None:
    unknown = api.get(
        f"{BASE}/reports/stock-ledger?product=NOPE&date_from=2026-11-01"
        "&date_to=2026-11-30"
    )
    reversed_range = api.get(
        f"{BASE}/reports/movement-summary?date_from=2026-12-01&date_to=2026-11-01"
    )
    assert unknown.status_code == reversed_range.status_code == 422
    assert error_of(unknown)["fields"] == {"product": ["There is no product NOPE."]}
    error_of(reversed_range)


@pytest.mark.parametrize(
    "path",
    [
        "reports/on-hand/xlsx",
        "reports/stock-ledger/xlsx?product=SHIRT&date_from=2026-11-01"
        "&date_to=2026-11-30",
        "reports/movement-summary/xlsx?date_from=2026-11-01&date_to=2026-11-30",
        "reports/valuation/xlsx",
    ],
)
def test_excel_downloads(api: ApiClient, stocked: Any, path: str) -> None:
    response = api.get(f"{BASE}/{path}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(v, str) and "SHIRT" in v for v in values) or any(
        v == Decimal("100") or v == 100 for v in values
    )


def test_a_sales_user_may_look_but_not_move_stock(books: Company, stocked: Any) -> None:
    sales = as_token(core_testing.member(books, [Role.SALES]), books)
    assert sales.get(f"{BASE}/reports/on-hand").status_code == 200
    refused = sales.post(
        f"{BASE}/issues",
        {
            "date": "2026-11-06",
            "counter_account": "5602",
            "lines": [{"product": "SHIRT", "warehouse": "WH1", "quantity": "1"}],
        },
    )
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "permission_denied"
