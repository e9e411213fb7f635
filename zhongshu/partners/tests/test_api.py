"""The partners REST API: customers with filters and pages, contacts,
addresses, categories, provinces and Excel; the refusals (4xx bodies) and
tenancy."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook, load_workbook

from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role
from zhongshu.partners import services
from zhongshu.partners.models import Contact, Customer, DeliveryAddress
from zhongshu.partners.testing import make_customer, make_customer_category
from zhongshu.partners.tests.api_client import ApiClient, error_of

pytestmark = pytest.mark.django_db

USCC = "91440101MA59CDEF1Q"


@pytest.fixture
def api(company: Company, owner: User) -> ApiClient:
    return ApiClient(owner, company)


ACME = {
    "code": "C001",
    "name": "广州示例贸易有限公司",
    "uscc": USCC,
    "category": "VIP",
    "salesperson": "xiaowang",
    "payment_terms_days": 30,
    "credit_limit": "50000.00",
    "province": "广东",
    "city": "广州市",
}


def test_create_get_update_and_deactivate(api: ApiClient, company: Company) -> None:
    # given
    make_customer_category(company, "VIP")
    core_testing.member(company, [Role.SALES], "xiaowang")
    # when
    created = api.post("/customers", ACME)
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["category"]["code"] == "VIP"
    assert (body["salesperson"], body["credit_limit"]) == ("xiaowang", "50000.00")
    assert (body["province"], body["province_name"]) == ("440000", "广东省")
    customer_id = body["id"]
    assert api.get(f"/customers/{customer_id}").json()["uscc"] == USCC
    # when updated without a limit
    updated = api.put(
        f"/customers/{customer_id}", {**ACME, "credit_limit": None, "name": "新名"}
    )
    assert updated.status_code == 200, updated.content
    assert (updated.json()["name"], updated.json()["credit_limit"]) == ("新名", None)
    # when deactivated
    off = api.post(f"/customers/{customer_id}/active", {"is_active": False})
    assert off.json()["is_active"] is False


def test_422_lists_every_problem_in_the_standard_shape(api: ApiClient) -> None:
    # unknown names in the body
    unknown = api.post(
        "/customers", {**ACME, "province": "火星", "salesperson": "nobody"}
    )
    assert unknown.status_code == 422
    assert error_of(unknown)["fields"] == {
        "category": ["There is no customer category VIP."],
        "salesperson": ["nobody is not a user of this company."],
        "province": ["There is no province 火星."],
    }
    # the service's own rules
    bad = api.post(
        "/customers",
        {"code": "C 1", "name": "", "uscc": "123", "credit_limit": "-1"},
    )
    body = error_of(bad)
    assert (bad.status_code, body["code"]) == (422, "validation_error")
    assert set(body["fields"]) == {"code", "name", "uscc", "credit_limit"}
    assert not Customer.objects.exists()


def test_a_taken_code_is_409(api: ApiClient, company: Company) -> None:
    make_customer(company, "C001")
    again = api.post("/customers", {"code": "C001", "name": "又一个"})
    assert again.status_code == 409
    assert error_of(again)["fields"] == {"code": ["The customer code C001 exists."]}


def test_list_filters_and_pages(api: ApiClient, company: Company) -> None:
    # given
    vip = make_customer_category(company, "VIP")
    make_customer(company, "A1", name="广州甲", category=vip)
    make_customer(company, "B2", name="上海乙", province="310000")

    def listed(query: str) -> list[str]:
        response = api.get(f"/customers{query}")
        assert response.status_code == 200, response.content
        return [c["code"] for c in response.json()["items"]]

    # then
    assert api.get("/customers").json()["count"] == 2
    assert listed("?search=广州") == ["A1"]
    assert listed("?category=VIP") == ["A1"]
    assert listed("?province=上海") == ["B2"]
    assert listed("?active=false") == []
    unknown = api.get("/customers?category=NOPE")
    assert error_of(unknown)["fields"] == {
        "category": ["There is no customer category NOPE."]
    }


def test_another_companys_customer_is_404(
    api: ApiClient, other_company: Company
) -> None:
    # given
    theirs = make_customer(other_company)
    contact = services.add_contact(
        customer=theirs,
        actor=core_testing.owner_of(other_company),
        data=services.ContactData(name="别人"),
    )
    # then
    for response in (
        api.get(f"/customers/{theirs.pk}"),
        api.put(f"/customers/{theirs.pk}", {"code": "X", "name": "X"}),
        api.post(f"/customers/{theirs.pk}/contacts", {"name": "我"}),
        api.delete(f"/contacts/{contact.pk}"),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    assert Contact.objects.filter(customer=theirs).count() == 1
    assert Customer.objects.get(pk=theirs.pk).code == theirs.code


def test_contacts_and_addresses(api: ApiClient, company: Company) -> None:
    # given
    customer = make_customer(company)
    # when
    first = api.post(f"/customers/{customer.pk}/contacts", {"name": "张三"})
    second = api.post(
        f"/customers/{customer.pk}/contacts", {"name": "李四", "is_primary": True}
    )
    # then
    assert (first.status_code, second.status_code) == (201, 201)
    listed = api.get(f"/customers/{customer.pk}/contacts").json()
    assert [(c["name"], c["is_primary"]) for c in listed] == [
        ("李四", True),
        ("张三", False),
    ]
    changed = api.put(f"/contacts/{first.json()['id']}", {"name": "张三丰"})
    assert changed.json()["name"] == "张三丰"
    assert api.delete(f"/contacts/{second.json()['id']}").status_code == 204
    # addresses: the default one sets the region
    address = api.post(
        f"/customers/{customer.pk}/addresses",
        {"province": "上海市", "city": "上海市", "detail": "1 号"},
    )
    assert address.status_code == 201, address.content
    assert address.json()["is_default"] is True
    assert api.get(f"/customers/{customer.pk}").json()["province"] == "310000"
    bad = api.put(f"/addresses/{address.json()['id']}", {"province": "", "detail": ""})
    assert set(error_of(bad)["fields"]) == {"province", "detail"}
    assert api.delete(f"/addresses/{address.json()['id']}").status_code == 204
    assert not DeliveryAddress.objects.exists()


def test_categories_and_provinces(api: ApiClient) -> None:
    created = api.post("/categories", {"code": "VIP", "name": "重点客户"})
    assert created.status_code == 201
    category_id = created.json()["id"]
    renamed = api.put(f"/categories/{category_id}", {"code": "KA", "name": "大客户"})
    assert renamed.json()["code"] == "KA"
    assert [c["code"] for c in api.get("/categories").json()] == ["KA"]
    assert api.delete(f"/categories/{category_id}").status_code == 204
    provinces = {p["code"]: p for p in api.get("/provinces").json()}
    assert provinces["440000"]["name"] == "广东省"
    assert len(provinces) == 34


def test_a_salesperson_reads_but_a_warehouse_keeper_cannot_write(
    company: Company,
) -> None:
    keeper = ApiClient(core_testing.member(company, [Role.WAREHOUSE]), company)
    assert keeper.get("/customers").status_code == 200
    refused = keeper.post("/customers", {"code": "C1", "name": "甲"})
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "permission_denied"


def sheet(*rows: list[Any]) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.append(["Code", "Name", "Province"])
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_import_export_and_template(api: ApiClient, company: Company) -> None:
    # a rejected sheet: 422 with every problem keyed by row and column
    rejected = api.upload("/excel/customers", sheet(["C1", ""], ["C2", "乙", "火星"]))
    assert rejected.status_code == 422
    body = error_of(rejected)
    assert body["code"] == "import_rejected"
    assert list(body["fields"]) == ["2:name", "3:province"]
    assert not Customer.objects.exists()
    # a good one
    accepted = api.upload("/excel/customers", sheet(["C1", "甲", "广东"]))
    assert accepted.status_code == 200, accepted.content
    assert accepted.json() == {"created": ["C1"], "updated": []}
    exported = api.get("/excel/customers")
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert rows[1][:2] == ("C1", "甲")
    assert api.get("/excel/template").status_code == 200
    broken = api.upload("/excel/customers", b"not a workbook")
    assert error_of(broken)["fields"] == {
        "file": ["The file is not a readable Excel workbook (.xlsx)."]
    }
