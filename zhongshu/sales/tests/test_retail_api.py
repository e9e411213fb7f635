"""The retail API under /api/v1/sales: a till posts a sale by store code and
barcodes; refused sales are 422 on their field and write nothing; reads of
sales, the daily summary and a barcode's lookup. Figures in
``test_retail_shop``."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from zhongshu.core import services as core_services
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.inventory.models import StockBalance, StockMove
from zhongshu.ledger.models import Voucher
from zhongshu.sales.models import RetailSale
from zhongshu.sales.tests.test_retail_shop import (
    BARCODES,
    DAY1,
    DAY2,
    Shop,
    four_sales,
    retail_shop,
)

pytestmark = pytest.mark.django_db

D = Decimal
BASE = "/api/v1/sales"


class ApiClient:
    """JSON calls with a personal token, in English."""

    def __init__(self, key: str) -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"{BASE}{path}")

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"{BASE}{path}", data=json.dumps(body), content_type="application/json"
        )


def as_token(user: User, company: Company) -> ApiClient:
    _token, key = core_services.issue_api_token(
        company=company, user=user, name=f"tests-{user.pk}"
    )
    return ApiClient(key)


@pytest.fixture
def shop() -> Shop:
    return retail_shop()


@pytest.fixture
def till(shop: Shop) -> ApiClient:
    cashier = core_testing.member(shop.company, [Role.CASHIER], "shouyin")
    return as_token(cashier, shop.company)


def on_hand(shop: Shop, code: str) -> Decimal:
    balance = StockBalance.objects.get(
        company=shop.company, warehouse=shop.s1, product=shop.product(code)
    )
    return balance.on_hand


def written(shop: Shop) -> tuple[int, int, int]:
    company = shop.company
    return (
        RetailSale.objects.filter(company=company).count(),
        StockMove.objects.filter(company=company).count(),
        Voucher.objects.filter(company=company).count(),
    )


SALE = {
    "store": "S1",
    "date": "2026-03-02",
    "lines": [
        {"barcode": BARCODES["TEE"], "quantity": "2"},
        {"product": "SOCKS", "quantity": 1},
    ],
    "payments": [
        {"method": "wechat", "amount": "100"},
        {"method": "cash", "amount": "200.00"},
    ],
}


def test_a_sale_with_wechat_and_cash_gives_change(shop: Shop, till: ApiClient) -> None:
    # TEE 2 × 113.00 + SOCKS 33.90 = 259.90 (VAT 26.00 + 3.90); 300.00 paid:
    # change 40.10, so the till keeps 159.90 cash and 100.00 WeChat
    response = till.post("/retail-sales", SALE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["store"], body["date"]) == ("S1", "2026-03-02")
    assert (body["total"], body["tax_total"], body["net_total"]) == (
        "259.90",
        "29.90",
        "230.00",
    )
    assert (body["tendered"], body["change"]) == ("300.00", "40.10")
    # cost 2 × 40.00 + 8.00 = 88.00; margin 230.00 − 88.00 = 142.00
    assert (body["cost_total"], body["margin"]) == ("88.00", "142.00")
    assert body["payments"] == [
        {"method": "wechat", "amount": "100.00"},
        {"method": "cash", "amount": "159.90"},
    ]
    assert [(x["product"], x["quantity"], x["amount"]) for x in body["lines"]] == [
        ("TEE", "2.0000", "226.00"),
        ("SOCKS", "1.0000", "33.90"),
    ]
    assert body["cashier"] == "shouyin"
    # the store's stock went down: TEE 20 → 18, SOCKS 50 → 49
    assert (on_hand(shop, "TEE"), on_hand(shop, "SOCKS")) == (D("18"), D("49"))


def test_an_unknown_barcode_is_422_on_its_line_and_writes_nothing(
    shop: Shop, till: ApiClient
) -> None:
    before = written(shop)
    body = {
        **SALE,
        "lines": [SALE["lines"][0], {"barcode": "4000000000017", "quantity": "1"}],
    }
    response = till.post("/retail-sales", body)
    assert response.status_code == 422
    error = response.json()
    assert set(error) == {"code", "message", "fields"}
    assert "4000000000017" in error["fields"]["lines.1.barcode"][0]
    assert written(shop) == before
    assert on_hand(shop, "TEE") == D("20")


def test_an_unknown_product_code_is_422_on_its_line(
    shop: Shop, till: ApiClient
) -> None:
    body = {**SALE, "lines": [{"product": "NOPE", "quantity": "1"}]}
    response = till.post("/retail-sales", body)
    assert response.status_code == 422
    assert "NOPE" in response.json()["fields"]["lines.0.product"][0]
    assert written(shop)[0] == 0


def test_a_short_payment_is_422_and_writes_nothing(shop: Shop, till: ApiClient) -> None:
    before = written(shop)
    body = {**SALE, "payments": [{"method": "cash", "amount": "250.00"}]}
    response = till.post("/retail-sales", body)
    assert response.status_code == 422
    # 259.90 due, 250.00 paid: 9.90 missing
    assert response.json()["fields"]["payments"] == [
        "250.00 paid of 259.90; 9.90 is missing."
    ]
    assert written(shop) == before


def test_a_card_cannot_give_change(shop: Shop, till: ApiClient) -> None:
    body = {**SALE, "payments": [{"method": "card", "amount": "300.00"}]}
    response = till.post("/retail-sales", body)
    assert response.status_code == 422
    assert "Only cash gives change" in response.json()["fields"]["payments"][0]
    assert written(shop)[0] == 0


def test_only_stores_sell(shop: Shop, till: ApiClient) -> None:
    # WH1 is a warehouse, not a store; XX does not exist
    for code in ("WH1", "XX"):
        response = till.post("/retail-sales", {**SALE, "store": code})
        assert response.status_code == 422
        assert code in response.json()["fields"]["store"][0]
    assert written(shop)[0] == 0


def test_selling_needs_sales_retail_and_reading_sales_view(shop: Shop) -> None:
    # the warehouse keeper may read sales, not sell
    keeper = as_token(core_testing.member(shop.company, [Role.WAREHOUSE]), shop.company)
    assert keeper.post("/retail-sales", SALE).status_code == 403
    assert keeper.get("/retail-sales").status_code == 200
    # the purchaser may neither
    buyer = as_token(core_testing.member(shop.company, [Role.PURCHASER]), shop.company)
    assert buyer.get("/retail-sales").status_code == 403
    summary = "/retail/daily-summary?date_from=2026-03-01&date_to=2026-03-31"
    assert buyer.get(summary).status_code == 403
    assert written(shop)[0] == 0


def test_list_and_detail(shop: Shop, till: ApiClient) -> None:
    a, _b, c, d = four_sales(shop)
    listed = till.get("/retail-sales").json()
    assert [x["number"] for x in listed][:2] == [d.number, c.number]
    assert len(listed) == 4
    only_s2 = till.get("/retail-sales?store=S2").json()
    assert [x["number"] for x in only_s2] == [c.number]
    page_2 = till.get("/retail-sales?page=2&page_size=3").json()
    assert [x["number"] for x in page_2] == [a.number]
    detail = till.get(f"/retail-sales/{a.pk}").json()
    assert [x["product"] for x in detail["lines"]] == ["TEE", "SOCKS"]
    assert detail["change"] == "40.10"


def test_another_companys_sale_is_404(shop: Shop, till: ApiClient) -> None:
    other = retail_shop("OTHER")
    theirs = four_sales(other)[0]
    assert till.get(f"/retail-sales/{theirs.pk}").status_code == 404


def test_daily_summary(shop: Shop, till: ApiClient) -> None:
    four_sales(shop)
    body = till.get(
        f"/retail/daily-summary?date_from={DAY1}&date_to={DAY2}&store=S1"
    ).json()
    # S1: day 1 = 485.90 (cash 159.90, WeChat 100, card 226), day 2 = 91.53
    assert [(r["date"], r["store"], r["total"]) for r in body["rows"]] == [
        ("2026-03-02", "S1", "485.90"),
        ("2026-03-03", "S1", "91.53"),
    ]
    assert body["rows"][0]["by_method"] == {
        "cash": "159.90",
        "wechat": "100.00",
        "card": "226.00",
    }
    assert body["rows"][0]["margin"] == "252.00"
    # S1 totals: 577.43, VAT 66.43, cost 202.00, margin 430 + 81 − 202 = 309.00
    totals = body["totals"]
    assert (totals["total"], totals["tax_total"], totals["cost"], totals["margin"]) == (
        "577.43",
        "66.43",
        "202.00",
        "309.00",
    )
    assert totals["items"] == "7.0000"


def test_lookup(shop: Shop, till: ApiClient) -> None:
    body = till.get(f"/retail/lookup?barcode={BARCODES['JEANS']}&store=S2").json()
    assert (body["product"], body["unit"], body["price"], body["on_hand"]) == (
        "JEANS",
        "PCS",
        "226.000000",
        "5.0000",
    )
    unknown = till.get("/retail/lookup?barcode=12345&store=S2")
    assert unknown.status_code == 422
    assert unknown.json()["fields"]["barcode"] == ["No product has the barcode 12345."]
