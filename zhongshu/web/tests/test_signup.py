"""Self-service sign-up: a new user owning a new trial company."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.core.models import AuditEntry, Company, Membership, Role

pytestmark = pytest.mark.django_db

VALID_USCC = "91110000600037341L"


def sign_up_form(**overrides: str) -> dict[str, str]:
    return {
        "company_name": "杭州云帆贸易有限公司",
        "company_code": "YUNFAN",
        "uscc": VALID_USCC,
        "taxpayer_type": "general",
        "accounting_standard": "small_enterprise",
        "username": "zhanglei",
        "email": "zhang@example.cn",
        "password": "Yunfan-2026-secure",
        **overrides,
    }


def test_the_sign_up_page_renders(client: Client) -> None:
    # when
    response = client.get(reverse("signup"))
    # then
    assert response.status_code == 200
    assert b'name="uscc"' in response.content


@time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC))
def test_sign_up_creates_the_company_its_owner_and_the_trial(client: Client) -> None:
    # when
    response = client.post(reverse("signup"), sign_up_form(), follow=True)
    # then
    company = Company.objects.get(code="YUNFAN")
    user = User.objects.get(username="zhanglei")
    assert company.name == "杭州云帆贸易有限公司"
    assert company.uscc == VALID_USCC
    # 15 trial days counting the sign-up day.
    assert company.trial_ends_on == datetime.date(2026, 3, 16)
    assert set(
        Membership.objects.filter(company=company).values_list("user", "role")
    ) == {(user.pk, Role.OWNER)}
    # Signed in, in the new company, welcomed with the trial's end.
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert response.wsgi_request.user == user
    assert client.session["company_id"] == company.pk
    html = response.content.decode()
    assert "Welcome to Zhongshu!" in html
    assert "March 16, 2026" in html


def test_a_bad_uscc_is_shown_on_the_form_and_nothing_is_created(client: Client) -> None:
    # given
    audit_before = AuditEntry.objects.count()
    # when
    response = client.post(reverse("signup"), sign_up_form(uscc="91110000600037341X"))
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["uscc"]
    assert form.errors["uscc"][0] in response.content.decode()
    assert not Company.objects.filter(code="YUNFAN").exists()
    assert not User.objects.filter(username="zhanglei").exists()
    assert AuditEntry.objects.count() == audit_before
    assert "_auth_user_id" not in client.session


def test_a_taken_company_code_is_shown_on_its_field(
    client: Client, company: Company
) -> None:
    # when
    response = client.post(reverse("signup"), sign_up_form(company_code="acme"))
    # then
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["company_code"][0]
    assert not User.objects.filter(username="zhanglei").exists()


def test_a_weak_password_is_refused_in_the_users_language(client: Client) -> None:
    # when: the visitor reads English (the client fixture)
    response = client.post(reverse("signup"), sign_up_form(password="12345678"))
    # then
    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert any("too common" in error for error in errors)
    assert not Company.objects.filter(code="YUNFAN").exists()
