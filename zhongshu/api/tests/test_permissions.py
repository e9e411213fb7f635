"""Roles decide what the API lets a user see and do: the rest is 403."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zhongshu.api.tests.client import as_token, error_of
from zhongshu.core import numbering, permissions, testing
from zhongshu.core.models import AuditEntry, NumberingRule, Role

pytestmark = pytest.mark.django_db

ORDER = "api_test.order"
RULE = {"pattern": "ORD-{year}-{seq:04d}", "reset": "yearly"}


@pytest.fixture(autouse=True)
def order_numbering() -> Iterator[None]:
    numbering.declare(ORDER, "Test order", default_pattern="SO-{year}-{seq:06d}")
    yield
    numbering._registry.pop(ORDER)


def test_sales_may_neither_read_the_audit_trail_nor_configure_numbering(company):
    # given
    sales = as_token(testing.member(company, [Role.SALES]), company)
    entry = AuditEntry.objects.filter(company=company).earliest("at")

    # when
    audit = sales.get("/audit")
    one_entry = sales.get(f"/audit/{entry.pk}")
    rule = sales.put(f"/numbering/{ORDER}", RULE)

    # then
    for response in (audit, one_entry, rule):
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
    assert not NumberingRule.objects.exists()


def test_the_auditor_reads_the_audit_trail_but_changes_nothing(company):
    # given
    auditor = as_token(testing.member(company, [Role.AUDITOR]), company)

    # when
    audit = auditor.get("/audit")
    patch = auditor.patch("/company", {"name": "改名"})

    # then
    assert audit.status_code == 200
    assert audit.json()["count"] >= 1
    assert patch.status_code == 403
    assert error_of(patch)["code"] == "permission_denied"
    company.refresh_from_db()
    assert company.name == "示例商贸有限公司"


def test_the_auditors_permissions_are_the_read_only_ones(company):
    # given
    auditor = as_token(testing.member(company, [Role.AUDITOR]), company)

    # when
    granted = auditor.get("/me").json()["permissions"]

    # then
    assert granted == [p.code for p in permissions.all_permissions() if p.read_only]
    assert "core.view_audit" in granted
    assert "core.manage_company" not in granted


def test_the_owner_may_change_the_company_and_numbering(company, owner_api):
    # when
    patch = owner_api.patch("/company", {"name": "改名后的公司"})
    rule = owner_api.put(f"/numbering/{ORDER}", RULE)

    # then
    assert patch.status_code == 200
    assert patch.json()["name"] == "改名后的公司"
    assert patch.json()["code"] == "ACME"  # untouched fields stay as they were
    assert rule.status_code == 200
    assert rule.json()["pattern"] == RULE["pattern"]
    assert rule.json()["next_number"].startswith("ORD-")
    company.refresh_from_db()
    assert company.name == "改名后的公司"


def test_the_accountant_configures_numbering_but_not_members(company):
    # given
    accountant = as_token(testing.member(company, [Role.ACCOUNTANT]), company)

    # when
    rule = accountant.put(f"/numbering/{ORDER}", RULE)
    members = accountant.get("/members")

    # then
    assert rule.status_code == 200
    assert members.status_code == 403


def test_an_unknown_document_type_is_not_found(owner_api):
    # when
    response = owner_api.put("/numbering/no.such.type", RULE)

    # then
    assert response.status_code == 404
    assert not NumberingRule.objects.exists()


def test_the_owner_sets_a_members_roles(company, owner_api):
    # given
    clerk = testing.member(company, [Role.SALES])

    # when
    response = owner_api.put(
        f"/members/{clerk.pk}/roles", {"roles": ["cashier", "sales"]}
    )

    # then
    assert response.status_code == 200
    assert response.json()["roles"] == ["cashier", "sales"]
    listed = {m["user_id"]: m["roles"] for m in owner_api.get("/members").json()}
    assert listed[clerk.pk] == ["cashier", "sales"]
