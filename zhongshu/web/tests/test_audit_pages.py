"""The audit trail pages: list with filters, one entry, one object's history."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.core import audit, services, testing
from zhongshu.core.models import AuditEntry, Company, Role

pytestmark = pytest.mark.django_db


def rename(company: Company, actor: User, name: str) -> None:
    data = services.CompanyData(
        code=company.code,
        name=name,
        uscc=company.uscc,
        taxpayer_type=company.taxpayer_type,
        accounting_standard=company.accounting_standard,
    )
    services.update_company(company=company, actor=actor, data=data)


def test_the_list_shows_the_companys_entries_only(
    owner_client: Client, company: Company, other_company: Company
) -> None:
    # when
    html = owner_client.get(reverse("audit_list")).content.decode()
    # then
    assert "示例商贸有限公司" in html
    assert "别家公司" not in html


def test_the_list_filters_by_action_and_user(
    owner_client: Client, owner: User, company: Company
) -> None:
    # given
    clerk = testing.member(company, [Role.ACCOUNTANT], username="kuaiji")
    rename(company, owner, "新名称贸易有限公司")
    services.set_roles(company=company, actor=owner, user=clerk, roles={Role.CASHIER})
    # when
    by_action = owner_client.get(reverse("audit_list"), {"action": "roles_changed"})
    by_user = owner_client.get(reverse("audit_list"), {"actor": clerk.pk})
    # then
    assert [e.action for e in by_action.context["page"]] == ["roles_changed"]
    assert list(by_user.context["page"]) == []


def test_htmx_filtering_returns_only_the_results(owner_client: Client) -> None:
    # when
    response = owner_client.get(
        reverse("audit_list"), {"action": "created"}, HTTP_HX_REQUEST="true"
    )
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="audit-results"')
    assert "<html" not in html


def test_the_list_has_no_n_plus_one(
    owner_client: Client,
    owner: User,
    company: Company,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # given: 30 entries by several users
    actors = [owner, *(testing.member(company, [Role.SALES]) for _ in range(4))]
    for number in range(30):
        audit.record(
            company=company,
            actor=actors[number % len(actors)],
            action="changed",
            obj=company,
            changes={"name": [str(number), str(number + 1)]},
        )
    # when: 12 today (session, user, companies, roles, three filter option
    # lists, count, page, ...); an N+1 on actors would add one per row
    with django_assert_max_num_queries(14):
        response = owner_client.get(reverse("audit_list"))
    # then
    assert response.status_code == 200
    assert len(response.context["page"]) == 25


def test_the_detail_shows_each_change_old_to_new(
    owner_client: Client, owner: User, company: Company
) -> None:
    # given
    rename(company, owner, "新名称贸易有限公司")
    entry = AuditEntry.objects.filter(company=company, action="changed").get()
    # when
    response = owner_client.get(reverse("audit_detail", args=[entry.pk]))
    # then
    assert response.status_code == 200
    (change,) = response.context["changes"]
    assert (change.label, change.old, change.new) == (
        "Name",
        "示例商贸有限公司",
        "新名称贸易有限公司",
    )
    html = response.content.decode()
    assert "<del>示例商贸有限公司</del>" in html
    assert "<ins>新名称贸易有限公司</ins>" in html


def test_the_detail_shows_role_changes_with_role_names(
    owner_client: Client, owner: User, company: Company
) -> None:
    # given
    clerk = testing.member(company, [Role.SALES])
    services.set_roles(company=company, actor=owner, user=clerk, roles={Role.CASHIER})
    entry = AuditEntry.objects.get(company=company, action="roles_changed")
    # when
    response = owner_client.get(reverse("audit_detail", args=[entry.pk]))
    # then
    (change,) = response.context["changes"]
    assert (change.old, change.new) == ("Sales", "Cashier")


def test_the_object_history_lists_one_objects_entries(
    owner_client: Client, owner: User, company: Company
) -> None:
    # given
    rename(company, owner, "新名称贸易有限公司")
    # when
    response = owner_client.get(
        reverse("audit_object", args=["core.company", str(company.pk)])
    )
    # then
    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["changed", "created"]


def test_another_companys_object_history_is_404(
    owner_client: Client, other_company: Company
) -> None:
    # when
    response = owner_client.get(
        reverse("audit_object", args=["core.company", str(other_company.pk)])
    )
    # then
    assert response.status_code == 404


def test_the_audit_pages_offer_no_edit_or_delete(
    owner_client: Client, company: Company
) -> None:
    # given
    entry = AuditEntry.objects.filter(company=company).first()
    assert entry is not None
    # when
    detail = owner_client.get(reverse("audit_detail", args=[entry.pk]))
    posted = owner_client.post(reverse("audit_detail", args=[entry.pk]))
    # then
    assert b'method="post"' not in detail.content.split(b'class="content"')[1]
    assert posted.status_code == 405
