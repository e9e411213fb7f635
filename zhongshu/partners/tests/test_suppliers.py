"""Suppliers and their contacts: each validation rule (refused with a clear,
field-keyed error and nothing written), uniqueness per company, the primary
contact, the selectors, and the REST endpoints with their roles and
tenancy."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.contrib.auth.models import User

from zhongshu.core import testing as core_testing
from zhongshu.core.errors import (
    CompanyReadOnlyError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from zhongshu.core.models import AuditEntry, Company, Role
from zhongshu.partners import selectors, services
from zhongshu.partners.models import Supplier, SupplierContact
from zhongshu.partners.testing import make_supplier
from zhongshu.partners.tests.api_client import ApiClient, error_of

pytestmark = pytest.mark.django_db

# A valid 统一社会信用代码 (check character Q computed by GB 32100).
USCC = "91440101MA59CDEF1Q"
BASE = services.SupplierData(code="S001", name="东莞示例五金制品有限公司")


def create(company: Company, owner: User, **changes: Any) -> Supplier:
    return services.create_supplier(
        company=company, actor=owner, data=dataclasses.replace(BASE, **changes)
    )


def refused(company: Company, owner: User, **changes: Any) -> dict[str, list[str]]:
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(company, owner, **changes)
    assert not Supplier.objects.filter(company=company).exists()
    assert AuditEntry.objects.count() == audits
    return caught.value.fields


# --- services -------------------------------------------------------------------------


def test_a_supplier_is_created_cleaned_and_audited(
    company: Company, owner: User
) -> None:
    # when
    supplier = create(
        company,
        owner,
        short_name=" 示例五金 ",
        uscc="９１４４０１０１ma59cdef1q",  # full-width and lower-case, as typed
        bank_name="中国工商银行东莞分行",
        bank_account="2010020309200123456",
        payment_terms_days=60,
        province="440000",
        city="东莞市",
    )
    # then
    supplier.refresh_from_db()
    assert (supplier.short_name, supplier.uscc) == ("示例五金", USCC)
    assert (supplier.payment_terms_days, supplier.province, supplier.city) == (
        60,
        "440000",
        "东莞市",
    )
    assert supplier.is_active
    entry = AuditEntry.objects.get(object_kind="partners.supplier", action="created")
    assert entry.changes["bank_account"] == "2010020309200123456"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": ""}, "code", "Enter a code."),
        ({"code": "S 1"}, "code", "A code cannot contain spaces."),
        ({"name": "  "}, "name", "This field is required."),
        ({"province": "999999"}, "province", "Choose a province of China."),
        ({"payment_terms_days": -1}, "payment_terms_days",
         "Payment terms are from 0 to 3650 days."),
        ({"payment_terms_days": 3651}, "payment_terms_days",
         "Payment terms are from 0 to 3650 days."),
        ({"bank_account": "1" * 41}, "bank_account", "Enter at most 40 characters."),
        ({"uscc": "91440101MA59CDEF1"}, "uscc",
         "A unified social credit code has 18 characters; this one has 17."),
        ({"uscc": "91440101MA59CDEF1R"}, "uscc",
         "The check character (the last one) is wrong: this is not a valid unified "
         "social credit code."),
    ],
)  # fmt: skip
def test_each_rule_is_a_clear_error_on_its_field(
    company: Company, owner: User, changes: dict[str, object], field: str, message: str
) -> None:
    assert refused(company, owner, **changes) == {field: [message]}


def test_every_problem_is_reported_at_once(company: Company, owner: User) -> None:
    fields = refused(company, owner, code="", name="", uscc="123", province="1")
    assert set(fields) == {"code", "name", "uscc", "province"}


def test_codes_are_unique_per_company(
    company: Company, owner: User, other_company: Company
) -> None:
    # given
    create(company, owner)
    # when / then: the same code in the same company is a conflict
    with pytest.raises(ConflictError) as caught:
        create(company, owner, name="别的名字")
    assert caught.value.fields == {"code": ["The supplier code S001 exists."]}
    assert Supplier.objects.filter(company=company).count() == 1
    # but another company may use it
    create(other_company, core_testing.owner_of(other_company))
    assert Supplier.objects.filter(code="S001").count() == 2


def test_a_read_only_company_cannot_add_suppliers(owner: User) -> None:
    # given a trial that ended
    expired = core_testing.make_company("OLD", owner=owner, trial_days=1)
    assert expired.trial_ends_on is not None
    expired.trial_ends_on = expired.trial_ends_on.replace(year=2000)
    expired.save(update_fields=["trial_ends_on"])
    # then
    with pytest.raises(CompanyReadOnlyError):
        create(expired, owner)
    assert not Supplier.objects.filter(company=expired).exists()


def test_update_changes_fields_and_refuses_a_taken_code(
    company: Company, owner: User
) -> None:
    # given
    first = create(company, owner)
    create(company, owner, code="S002")
    # when
    updated = services.update_supplier(
        supplier=first,
        actor=owner,
        data=dataclasses.replace(BASE, name="新名称", payment_terms_days=30),
    )
    # then
    assert (updated.name, updated.payment_terms_days) == ("新名称", 30)
    entry = AuditEntry.objects.filter(action="changed").latest("id")
    assert entry.changes["name"] == ["东莞示例五金制品有限公司", "新名称"]
    with pytest.raises(ConflictError):
        services.update_supplier(
            supplier=first, actor=owner, data=dataclasses.replace(BASE, code="S002")
        )
    first.refresh_from_db()
    assert first.code == "S001"


def test_deactivating_and_reactivating(company: Company, owner: User) -> None:
    supplier = create(company, owner)
    services.set_supplier_active(supplier=supplier, actor=owner, active=False)
    supplier.refresh_from_db()
    assert not supplier.is_active
    services.set_supplier_active(supplier=supplier, actor=owner, active=True)
    supplier.refresh_from_db()
    assert supplier.is_active
    changes = [
        e.changes for e in AuditEntry.objects.filter(action="changed").order_by("id")
    ]
    assert changes == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_the_first_contact_is_primary_and_a_new_primary_demotes_it(
    company: Company, owner: User
) -> None:
    # given
    supplier = make_supplier(company)

    def add(name: str, *, primary: bool = False) -> SupplierContact:
        return services.add_supplier_contact(
            supplier=supplier,
            actor=owner,
            data=services.ContactData(name=name, is_primary=primary),
        )

    # when
    first = add("张经理")
    second = add("李会计", primary=True)
    # then
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    # when the primary one is removed, the first remaining one takes over
    services.remove_supplier_contact(contact=second, actor=owner)
    first.refresh_from_db()
    assert first.is_primary
    # and an update is checked like an addition
    with pytest.raises(ValidationError) as caught:
        services.update_supplier_contact(
            contact=first,
            actor=owner,
            data=services.ContactData(name="张经理", email="not-an-email"),
        )
    assert caught.value.fields == {"email": ["Enter a valid email address."]}
    first.refresh_from_db()
    assert first.email == ""


def test_a_contact_needs_a_name_and_nothing_is_written(
    company: Company, owner: User
) -> None:
    supplier = make_supplier(company)
    with pytest.raises(ValidationError) as caught:
        services.add_supplier_contact(
            supplier=supplier, actor=owner, data=services.ContactData(name=" ")
        )
    assert caught.value.fields == {"name": ["This field is required."]}
    assert not SupplierContact.objects.exists()


# --- selectors ------------------------------------------------------------------------


def test_list_suppliers_searches_and_filters(
    company: Company, other_company: Company
) -> None:
    # given
    make_supplier(company, "A1", name="东莞甲五金")
    make_supplier(company, "B2", name="上海乙化工", province="310000")
    off = make_supplier(company, "C3", name="深圳丙电子")
    services.set_supplier_active(
        supplier=off, actor=core_testing.owner_of(company), active=False
    )
    make_supplier(other_company, "A1", name="东莞甲五金")

    def codes(**filters: Any) -> list[str]:
        return [s.code for s in selectors.list_suppliers(company, **filters)]

    # then
    assert codes() == ["A1", "B2", "C3"]
    assert codes(search="五金") == ["A1"]
    assert codes(search="b2") == ["B2"]
    assert codes(province="310000") == ["B2"]
    assert codes(active=False) == ["C3"]
    assert codes(active=True) == ["A1", "B2"]


def test_another_companys_supplier_and_contact_are_not_found(
    company: Company, other_company: Company
) -> None:
    theirs = make_supplier(other_company)
    contact = services.add_supplier_contact(
        supplier=theirs,
        actor=core_testing.owner_of(other_company),
        data=services.ContactData(name="王经理"),
    )
    with pytest.raises(NotFoundError):
        selectors.get_supplier(company, theirs.pk)
    with pytest.raises(NotFoundError):
        selectors.get_supplier_contact(company, contact.pk)
    assert selectors.find_supplier(company, theirs.code) is None


# --- API ------------------------------------------------------------------------------


@pytest.fixture
def api(company: Company, owner: User) -> ApiClient:
    return ApiClient(owner, company)


ACME = {
    "code": "S001",
    "name": "东莞示例五金制品有限公司",
    "uscc": USCC,
    "bank_name": "中国工商银行东莞分行",
    "bank_account": "2010020309200123456",
    "payment_terms_days": 60,
    "province": "广东",
    "city": "东莞市",
}


def test_api_create_get_update_list_and_deactivate(api: ApiClient) -> None:
    # when
    created = api.post("/suppliers", ACME)
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["province"], body["province_name"]) == ("440000", "广东省")
    assert (body["uscc"], body["contacts"]) == (USCC, [])
    supplier_id = body["id"]
    assert api.get(f"/suppliers/{supplier_id}").json()["payment_terms_days"] == 60
    # when updated
    updated = api.put(f"/suppliers/{supplier_id}", {**ACME, "name": "新名"})
    assert updated.status_code == 200, updated.content
    assert updated.json()["name"] == "新名"
    # when listed and searched
    listed = api.get("/suppliers?search=新名").json()
    assert (listed["count"], listed["items"][0]["code"]) == (1, "S001")
    # when deactivated
    off = api.post(f"/suppliers/{supplier_id}/active", {"is_active": False})
    assert off.json()["is_active"] is False
    assert api.get("/suppliers?active=true").json()["count"] == 0


def test_api_refusals_are_field_keyed_and_write_nothing(api: ApiClient) -> None:
    # a bad USCC and an unknown province, each on its field
    bad = api.post("/suppliers", {**ACME, "uscc": "91440101MA59CDEF1R"})
    assert bad.status_code == 422
    assert set(error_of(bad)["fields"]) == {"uscc"}
    unknown = api.post("/suppliers", {**ACME, "province": "火星"})
    assert unknown.status_code == 422
    assert error_of(unknown)["fields"] == {"province": ["There is no province 火星."]}
    assert not Supplier.objects.exists()
    # a taken code is a conflict
    assert api.post("/suppliers", ACME).status_code == 201
    taken = api.post("/suppliers", {**ACME, "name": "另一家"})
    assert taken.status_code == 409
    assert error_of(taken)["fields"] == {"code": ["The supplier code S001 exists."]}
    assert Supplier.objects.count() == 1


def test_api_contacts(api: ApiClient, company: Company) -> None:
    # given
    supplier = make_supplier(company)
    # when
    added = api.post(
        f"/suppliers/{supplier.pk}/contacts", {"name": "张经理", "phone": "13800000000"}
    )
    # then
    assert added.status_code == 201, added.content
    contact_id = added.json()["id"]
    assert added.json()["is_primary"] is True
    changed = api.put(
        f"/supplier-contacts/{contact_id}", {"name": "张总", "title": "总经理"}
    )
    assert changed.json()["title"] == "总经理"
    listed = api.get(f"/suppliers/{supplier.pk}/contacts").json()
    assert [c["name"] for c in listed] == ["张总"]
    assert api.get(f"/suppliers/{supplier.pk}").json()["contacts"][0]["name"] == "张总"
    assert api.delete(f"/supplier-contacts/{contact_id}").status_code == 204
    assert not SupplierContact.objects.exists()


def test_api_another_companys_ids_are_404(
    api: ApiClient, other_company: Company
) -> None:
    # given
    theirs = make_supplier(other_company)
    contact = services.add_supplier_contact(
        supplier=theirs,
        actor=core_testing.owner_of(other_company),
        data=services.ContactData(name="王经理"),
    )
    # then
    assert api.get(f"/suppliers/{theirs.pk}").status_code == 404
    assert api.put(f"/suppliers/{theirs.pk}", ACME).status_code == 404
    assert (
        api.post(f"/suppliers/{theirs.pk}/active", {"is_active": False}).status_code
        == 404
    )
    assert (
        api.post(f"/suppliers/{theirs.pk}/contacts", {"name": "x"}).status_code == 404
    )
    assert api.delete(f"/supplier-contacts/{contact.pk}").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_active) == (f"供应商 {theirs.code}", True)
    assert SupplierContact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize(
    ("role", "may_write"),
    [
        (Role.PURCHASER, True),
        (Role.ACCOUNTANT, True),
        (Role.SALES, False),
        (Role.WAREHOUSE, False),
        (Role.CASHIER, False),
    ],
)
def test_api_roles(company: Company, role: str, may_write: bool) -> None:
    # given
    client = ApiClient(core_testing.member(company, [role]), company)
    supplier = make_supplier(company, "S9")
    # then: everyone with partners.view reads
    assert client.get(f"/suppliers/{supplier.pk}").status_code == 200
    # and only purchasers and accountants write
    response = client.post("/suppliers", ACME)
    assert response.status_code == (201 if may_write else 403), response.content
    assert Supplier.objects.filter(code="S001").exists() == may_write
    if not may_write:
        assert error_of(response)["code"] == "permission_denied"


def test_api_idempotency_key_replays_a_create(api: ApiClient) -> None:
    # when the same create is sent twice with one key
    first = api.post("/suppliers", ACME, HTTP_IDEMPOTENCY_KEY="create-s001")
    again = api.post("/suppliers", ACME, HTTP_IDEMPOTENCY_KEY="create-s001")
    # then the second answers like the first and adds nothing
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert Supplier.objects.count() == 1
