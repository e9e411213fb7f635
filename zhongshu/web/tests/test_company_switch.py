"""The company switcher in the top bar."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.core import testing
from zhongshu.core.models import Company

pytestmark = pytest.mark.django_db


def test_the_switcher_lists_the_users_companies(
    owner_client: Client, owner: User, company: Company
) -> None:
    # given
    second = testing.make_company("SECOND", owner=owner, name="第二家公司")
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    assert f'<option value="{company.pk}" selected>示例商贸有限公司</option>' in html
    assert f'<option value="{second.pk}">第二家公司</option>' in html


def test_switching_company_changes_the_current_company(
    owner_client: Client, owner: User
) -> None:
    # given
    second = testing.make_company("SECOND", owner=owner, name="第二家公司")
    # when
    response = owner_client.post(
        reverse("company_switch"),
        {"company_id": second.pk, "next": reverse("settings_company")},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("settings_company")
    page = owner_client.get(reverse("home"))
    assert page.context["company"] == second
    assert owner_client.session["company_id"] == second.pk


def test_switching_on_an_object_page_lands_on_home(
    owner_client: Client, owner: User
) -> None:
    # given: the audit entry on screen belongs to the company being left
    second = testing.make_company("SECOND", owner=owner)
    # when
    response = owner_client.post(
        reverse("company_switch"), {"company_id": second.pk, "next": "/audit/1/"}
    )
    # then
    assert response["Location"] == reverse("home")


def test_an_offsite_next_is_ignored(owner_client: Client, owner: User) -> None:
    # given
    second = testing.make_company("SECOND", owner=owner)
    # when
    response = owner_client.post(
        reverse("company_switch"),
        {"company_id": second.pk, "next": "https://evil.example/"},
    )
    # then
    assert response["Location"] == reverse("home")


def test_switching_to_a_company_without_membership_is_404(
    owner_client: Client, company: Company, other_company: Company
) -> None:
    # when
    response = owner_client.post(
        reverse("company_switch"), {"company_id": other_company.pk}
    )
    # then
    assert response.status_code == 404
    assert owner_client.session["company_id"] == company.pk


def test_a_stale_session_company_falls_back_to_the_users_first(
    owner_client: Client, company: Company, other_company: Company
) -> None:
    # given: the session names a company the user no longer belongs to
    session = owner_client.session
    session["company_id"] = other_company.pk
    session.save()
    # when
    response = owner_client.get(reverse("home"))
    # then
    assert response.context["company"] == company
    assert owner_client.session["company_id"] == company.pk
