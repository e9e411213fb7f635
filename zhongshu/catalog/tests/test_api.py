"""The catalog's REST API: products, barcodes, units, categories, styles,
price lists and Excel, with the refusals (4xx bodies) and tenancy."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from openpyxl import Workbook, load_workbook

from zhongshu.catalog import excel
from zhongshu.catalog.models import Barcode, Category, PriceListItem, Product
from zhongshu.catalog.testing import make_category, make_product, make_style
from zhongshu.core import services as core_services
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role

pytestmark = pytest.mark.django_db


# zhongshu.api.tests.client is above the catalog's layer, so the little it
# takes to call the assembled API as a token holder is here.
class ApiClient:
    def __init__(self, user: User, company: Company) -> None:
        _token, key = core_services.issue_api_token(
            company=company, user=user, name=f"tests-{user.pk}"
        )
        self.client = Client()
        self.headers = {
            "HTTP_AUTHORIZATION": f"Bearer {key}",
            "HTTP_ACCEPT_LANGUAGE": "en",
        }

    def request(self, method: str, path: str, body: Any = None) -> HttpResponse:
        response: HttpResponse = self.client.generic(
            method,
            "/api/v1/catalog" + path,
            data="" if body is None else json.dumps(body),
            content_type="application/json",
            **self.headers,
        )
        return response

    def get(self, path: str) -> HttpResponse:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> HttpResponse:
        return self.request("POST", path, body)

    def put(self, path: str, body: Any) -> HttpResponse:
        return self.request("PUT", path, body)

    def upload(self, path: str, content: bytes) -> HttpResponse:
        file = io.BytesIO(content)
        file.name = "products.xlsx"
        response: HttpResponse = self.client.post(
            "/api/v1/catalog" + path, {"file": file}, **self.headers
        )
        return response


def error_of(response: HttpResponse) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body


@pytest.fixture
def api(company: Company, owner: User) -> ApiClient:
    return ApiClient(owner, company)


CUP = {
    "code": "CUP-350",
    "name": "陶瓷杯",
    "specification": "350ml 白色",
    "base_unit": "件",
    "vat_rate": "0.13",
    "units": [{"unit": "箱", "factor": "12"}],
    "barcodes": [{"code": "6901234567892"}, {"code": "16901234567899", "unit": "箱"}],
}


# --- products and barcodes ------------------------------------------------------------


def test_a_product_goes_in_and_comes_back(api: ApiClient, company: Company) -> None:
    # when
    created = api.post("/products", CUP)
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    keys = ("code", "name", "base_unit", "vat_rate", "is_active")
    assert {k: body[k] for k in keys} == {
        "code": "CUP-350", "name": "陶瓷杯", "base_unit": "件", "vat_rate": "0.1300",
        "is_active": True,
    }  # fmt: skip
    assert body["units"] == [{"unit": "箱", "factor": "12.0000"}]
    assert body["barcodes"] == [
        {
            "code": "16901234567899",
            "kind": "internal",
            "unit": "箱",
        },
        {"code": "6901234567892", "kind": "ean13", "unit": None},
    ]
    fetched = api.get(f"/products/{body['id']}")
    assert fetched.json() == body


def test_bad_product_input_is_a_422_naming_every_field(
    api: ApiClient, company: Company
) -> None:
    # when: a wrong check digit, a unit the company lacks, a zero factor
    response = api.post(
        "/products",
        {
            **CUP,
            "barcodes": [{"code": "6901234567891"}],
            "units": [{"unit": "箱", "factor": "0"}, {"unit": "桶", "factor": "5"}],
        },
    )
    # then: the unknown unit first (codes are resolved before the rules run)
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"units.1.unit": ["There is no unit 桶."]}
    # and without it, the rules report the rest together
    response = api.post(
        "/products",
        {
            **CUP,
            "barcodes": [{"code": "6901234567891"}],
            "units": [{"unit": "箱", "factor": "0"}],
        },
    )
    body = error_of(response)
    assert response.status_code == 422
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"units.0.factor", "barcodes.0"}
    assert not Product.objects.filter(company=company).exists()


def test_schema_errors_and_conflicts_have_the_error_shape(api: ApiClient) -> None:
    # a float that is not a number, an unknown field
    bad = api.post("/products", {**CUP, "vat_rate": True, "colour": "red"})
    assert bad.status_code == 422
    assert error_of(bad)["code"] == "validation_error"
    # the same code twice: 409 on code
    assert api.post("/products", CUP).status_code == 201
    again = api.post("/products", {**CUP, "barcodes": []})
    assert again.status_code == 409
    assert error_of(again)["fields"] == {"code": ["The product code CUP-350 exists."]}


def test_the_list_filters_searches_and_pages(api: ApiClient, company: Company) -> None:
    # given
    clothes = make_category(company, "A")
    make_category(company, "A01", parent=clothes)
    tees = Category.objects.get(company=company, code="A01")
    make_product(company, "TEE", name="T恤", category=tees, barcodes=["96385074"])
    make_product(company, "CUP", name="杯子")

    # then
    def codes(query: str) -> list[str]:
        response = api.get(f"/products{query}")
        assert response.status_code == 200, response.content
        return [p["code"] for p in response.json()["items"]]

    assert codes("") == ["CUP", "TEE"]
    assert codes("?category=A") == ["TEE"]
    assert codes("?search=96385074") == ["TEE"]
    assert api.get("/products").json()["count"] == 2
    unknown = api.get("/products?category=NOPE")
    assert unknown.status_code == 422
    assert error_of(unknown)["fields"] == {"category": ["There is no category NOPE."]}


def test_another_companys_product_is_not_found(
    api: ApiClient, other_company: Company
) -> None:
    theirs = make_product(other_company, "THEIRS")
    for response in (
        api.get(f"/products/{theirs.pk}"),
        api.put(f"/products/{theirs.pk}", CUP),
        api.post(f"/products/{theirs.pk}/active", {"is_active": False}),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.is_active


def test_deactivating_and_updating(api: ApiClient, company: Company) -> None:
    product_id = api.post("/products", CUP).json()["id"]
    off = api.post(f"/products/{product_id}/active", {"is_active": False})
    assert off.json()["is_active"] is False
    changed = api.put(
        f"/products/{product_id}",
        {**CUP, "name": "马克杯", "units": [], "barcodes": []},
    )
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["units"]) == ("马克杯", [])
    base = api.put(f"/products/{product_id}", {**CUP, "base_unit": "个"})
    assert base.status_code == 422
    assert list(error_of(base)["fields"]) == ["base_unit"]


def test_barcodes_and_quantities(api: ApiClient, company: Company) -> None:
    product_id = api.post("/products", CUP).json()["id"]
    # a scan of the box code is one 箱, 12 件
    hit = api.get("/barcodes/16901234567899")
    assert hit.json() == {
        "product": {"id": product_id, "code": "CUP-350", "name": "陶瓷杯"},
        "unit": "箱",
        "factor": "12.0000",
    }
    missing = api.get("/barcodes/4006381333931")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "unknown_barcode"
    # 2 箱 = 24 件
    two_boxes = api.get(f"/products/{product_id}/base-quantity?quantity=2&unit=箱")
    assert two_boxes.json() == {
        "quantity": "2", "unit": "箱", "factor": "12.0000", "base_quantity": "24",
        "base_unit": "件",
    }  # fmt: skip
    not_convertible = api.get(
        f"/products/{product_id}/base-quantity?quantity=1&unit=米"
    )
    assert not_convertible.status_code == 422
    assert error_of(not_convertible)["code"] == "unit_not_convertible"


# --- categories, units, settings ------------------------------------------------------


def test_categories_and_their_refusals(api: ApiClient, company: Company) -> None:
    parent = api.post(
        "/categories", {"code": "A", "name": "服装", "costing_method": "fifo"}
    )
    assert parent.status_code == 201
    child = api.post("/categories", {"code": "A01", "name": "上衣", "parent": "A"})
    assert child.json()["parent_code"] == "A"
    # moving A under A01 would make a cycle
    cycle = api.put(
        f"/categories/{parent.json()['id']}",
        {"code": "A", "name": "服装", "parent": "A01"},
    )
    assert cycle.status_code == 422
    assert list(error_of(cycle)["fields"]) == ["parent"]
    # deleting a parent is a conflict
    delete = api.request("DELETE", f"/categories/{parent.json()['id']}")
    assert delete.status_code == 409
    assert error_of(delete)["code"] == "conflict"
    assert [c["code"] for c in api.get("/categories").json()] == ["A", "A01"]


def test_units_and_the_costing_method(api: ApiClient, company: Company) -> None:
    codes = {u["code"]: u["places"] for u in api.get("/units").json()}
    assert codes == {"件": 0, "个": 0, "箱": 0, "千克": 3, "米": 2}
    pack = api.post("/units", {"code": "包", "name": "包"})
    assert pack.status_code == 201
    assert (
        api.request("PATCH", f"/units/{pack.json()['id']}", {"places": 2}).json()[
            "places"
        ]
        == 2
    )
    assert api.request("DELETE", f"/units/{pack.json()['id']}").status_code == 204
    assert api.put("/settings", {"costing_method": "fifo"}).json() == {
        "costing_method": "fifo"
    }
    bad = api.put("/settings", {"costing_method": "lifo"})
    assert bad.status_code == 422


# --- styles and variants --------------------------------------------------------------


def test_a_style_generates_its_matrix(api: ApiClient, company: Company) -> None:
    # given colour and size attributes
    make_style(company, "OLD")
    style = api.post(
        "/styles",
        {
            "code": "T01",
            "name": "纯棉T恤",
            "axes": ["colour", "size"],
            "base_unit": "件",
        },
    )
    assert style.status_code == 201, style.content
    style_id = style.json()["id"]
    # when
    created = api.post(
        f"/styles/{style_id}/variants",
        {"values": {"colour": ["RED", "BLUE"], "size": ["S", "M"]}},
    )
    # then
    assert created.status_code == 201
    assert [p["code"] for p in created.json()] == [
        "T01-BLUE-M",
        "T01-BLUE-S",
        "T01-RED-M",
        "T01-RED-S",
    ]
    matrix = api.get(f"/styles/{style_id}/matrix").json()
    assert [c["code"] for c in matrix["columns"]] == ["S", "M"]
    assert [r["heading"]["name"] for r in matrix["rows"]] == ["红色", "蓝色"]
    assert [[c["products"][0]["code"] for c in r["cells"]] for r in matrix["rows"]] == [
        ["T01-RED-S", "T01-RED-M"],
        ["T01-BLUE-S", "T01-BLUE-M"],
    ]
    # again with L: only the L variants
    more = api.post(
        f"/styles/{style_id}/variants",
        {"values": {"colour": ["RED", "BLUE"], "size": ["L"]}},
    )
    assert [p["code"] for p in more.json()] == ["T01-BLUE-L", "T01-RED-L"]
    wrong = api.post(
        f"/styles/{style_id}/variants", {"values": {"colour": ["GREEN"], "size": ["S"]}}
    )
    assert wrong.status_code == 422
    assert list(error_of(wrong)["fields"]) == ["values"]


# --- price lists ----------------------------------------------------------------------


def test_price_lists_and_the_quote(api: ApiClient, company: Company) -> None:
    api.post("/products", CUP)
    retail = api.post("/price-lists", {"code": "R", "name": "零售价", "kind": "retail"})
    assert retail.status_code == 201
    retail_id = retail.json()["id"]
    for break_, price in (("0", "12.00"), ("10", "10.00")):
        item = api.post(
            f"/price-lists/{retail_id}/items",
            {"product": "CUP-350", "min_quantity": break_, "price": price},
        )
        assert item.status_code == 201, item.content
    vip = api.post(
        "/price-lists",
        {
            "code": "VIP",
            "name": "会员价",
            "kind": "customer_group",
            "customer_group": "vip",
        },
    ).json()
    api.post(f"/price-lists/{vip['id']}/items", {"product": "CUP-350", "price": "9.00"})

    # 12 cups: retail's 10 break; for a VIP: 9.00; 2 boxes = 24 cups → 10.00 × 12
    def quote(query: str) -> tuple[Any, Any]:
        body = api.get(f"/price-quote?product=CUP-350&date=2026-03-15&{query}").json()
        return body["price_list"], body["price"]

    assert quote("quantity=12") == ("R", "10.000000")
    assert quote("quantity=12&customer_group=vip") == ("VIP", "9.000000")
    assert quote("quantity=2&unit=箱") == ("R", "120.000000")
    detail = api.get(f"/price-lists/{retail_id}").json()
    assert [(i["min_quantity"], i["price"]) for i in detail["items"]] == [
        ("0.0000", "12.000000"),
        ("10.0000", "10.000000"),
    ]
    # a price of a product the company lacks, a negative price
    unknown = api.post(
        f"/price-lists/{retail_id}/items", {"product": "NOPE", "price": "1"}
    )
    assert error_of(unknown)["fields"] == {"product": ["There is no product NOPE."]}
    negative = api.post(
        f"/price-lists/{retail_id}/items", {"product": "CUP-350", "price": "-1"}
    )
    assert negative.status_code == 422
    # deleting a price
    item_id = detail["items"][0]["id"]
    assert api.request("DELETE", f"/price-items/{item_id}").status_code == 204
    assert PriceListItem.objects.filter(company=company).count() == 2


# --- Excel ----------------------------------------------------------------------------


def sheet(*rows: list[Any]) -> bytes:
    book = Workbook()
    active = book.active
    assert active is not None
    active.append(["code", "name", "base_unit", "barcode"])
    for row in rows:
        active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_and_the_export_download(api: ApiClient, company: Company) -> None:
    make_product(company, "CUP", name="杯子")
    template = api.get("/excel/template")
    assert template["Content-Type"] == excel.XLSX_CONTENT_TYPE
    export = api.get("/excel/products")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert [r[:2] for r in rows] == [("Code", "Name"), ("CUP", "杯子")]


def test_an_import_is_all_or_nothing(api: ApiClient, company: Company) -> None:
    # when: row 3 has a wrong check digit
    rejected = api.upload(
        "/excel/products",
        sheet(
            ["CUP", "杯子", "件", "6901234567892"],
            ["MUG", "马克杯", "件", "6901234567891"],
        ),
    )
    # then
    assert rejected.status_code == 422
    body = error_of(rejected)
    assert body["code"] == "import_rejected"
    assert body["message"] == "1 row has problems; nothing was imported."
    assert list(body["fields"]) == ["3:barcode"]
    assert not Product.objects.filter(company=company).exists()
    # when fixed
    accepted = api.upload(
        "/excel/products",
        sheet(
            ["CUP", "杯子", "件", "6901234567892"], ["MUG", "马克杯", "件", "96385074"]
        ),
    )
    assert accepted.status_code == 201
    assert accepted.json() == {"created": 2, "codes": ["CUP", "MUG"]}
    assert Barcode.objects.filter(company=company).count() == 2


def test_a_broken_upload_is_a_clear_422(api: ApiClient) -> None:
    response = api.upload("/excel/products", b"PK\x03\x04 not really")
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "file": ["The file is not a readable Excel workbook (.xlsx)."]
    }


# --- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SALES, Role.WAREHOUSE])
def test_sales_and_warehouse_read_but_do_not_change(
    company: Company, role: str
) -> None:
    make_product(company, "CUP")
    client = ApiClient(core_testing.member(company, [role]), company)
    assert client.get("/products").status_code == 200
    refused = client.post("/products", CUP)
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "permission_denied"


def test_purchasers_manage_and_accountants_see_nothing(company: Company) -> None:
    purchaser = ApiClient(core_testing.member(company, [Role.PURCHASER]), company)
    assert purchaser.post("/products", CUP).status_code == 201
    accountant = ApiClient(core_testing.member(company, [Role.ACCOUNTANT]), company)
    assert accountant.get("/products").status_code == 403
