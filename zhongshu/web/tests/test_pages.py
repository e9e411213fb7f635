"""Every page renders for the roles that may see it, and only for them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhongshu.core.models import AuditEntry, Company

pytestmark = pytest.mark.django_db

OWNER_PAGES = [
    "home",
    "audit_list",
    "settings_company",
    "settings_members",
    "settings_numbering",
    "settings_tokens",
]


@pytest.mark.parametrize("url_name", OWNER_PAGES)
def test_the_owner_opens_every_page(owner_client: Client, url_name: str) -> None:
    # when
    response = owner_client.get(reverse(url_name))
    # then
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content


def test_the_owner_sees_audit_and_settings_in_the_menu(owner_client: Client) -> None:
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    for url_name in OWNER_PAGES:
        assert f'href="{reverse(url_name)}"' in html
    assert 'class="nav-heading">Settings<' in html


def test_a_sales_user_sees_neither_audit_nor_company_settings(
    sales_client: Client,
) -> None:
    # when
    html = sales_client.get(reverse("home")).content.decode()
    # then
    assert f'href="{reverse("audit_list")}"' not in html
    assert f'href="{reverse("settings_company")}"' not in html
    assert f'href="{reverse("settings_members")}"' not in html
    # API tokens are every member's own.
    assert f'href="{reverse("settings_tokens")}"' in html


@pytest.mark.parametrize(
    "url_name",
    ["audit_list", "settings_company", "settings_members", "settings_numbering"],
)
def test_a_sales_user_typing_a_hidden_url_gets_403(
    sales_client: Client, url_name: str
) -> None:
    # when
    response = sales_client.get(reverse(url_name))
    # then
    assert response.status_code == 403
    assert "403" in response.content.decode()
    assert b"not allowed" in response.content


def test_an_accountant_sees_the_audit_trail_but_not_members(
    accountant_client: Client,
) -> None:
    # when
    html = accountant_client.get(reverse("home")).content.decode()
    # then
    assert f'href="{reverse("audit_list")}"' in html
    assert f'href="{reverse("settings_company")}"' in html
    assert f'href="{reverse("settings_members")}"' not in html
    assert accountant_client.get(reverse("settings_members")).status_code == 403


def test_an_accountant_views_company_settings_without_a_save_button(
    accountant_client: Client, company: Company
) -> None:
    # when
    response = accountant_client.get(reverse("settings_company"))
    # then
    assert response.status_code == 200
    assert company.name in response.content.decode()
    assert b"disabled" in response.content
    assert b'type="submit" class="btn btn-primary"' not in response.content


def test_an_accountant_cannot_post_company_settings(
    accountant_client: Client, company: Company
) -> None:
    # given
    entries_before = AuditEntry.objects.count()
    # when
    response = accountant_client.post(
        reverse("settings_company"), {"company_name": "改名", "company_code": "ACME"}
    )
    # then
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.name == "示例商贸有限公司"
    assert AuditEntry.objects.count() == entries_before


def test_the_home_page_shows_the_company_card_and_roles(
    owner_client: Client, company: Company
) -> None:
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    assert "示例商贸有限公司" in html
    assert "<code>ACME</code>" in html
    assert "General VAT taxpayer" in html
    assert "Accounting Standards for Small Enterprises" in html
    assert "Owner / boss" in html


def test_pages_need_a_sign_in(client: Client) -> None:
    # when
    response = client.get(reverse("audit_list"))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_renders_and_signs_in(client: Client, owner) -> None:  # type: ignore[no-untyped-def]
    # given
    from zhongshu.core.testing import PASSWORD

    # when
    page = client.get(reverse("login"))
    response = client.post(
        reverse("login"), {"username": owner.username, "password": PASSWORD}
    )
    # then
    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logging_out_needs_a_post_and_ends_the_session(owner_client: Client) -> None:
    # when
    response = owner_client.post(reverse("logout"))
    # then
    assert response.status_code == 302
    assert owner_client.get(reverse("home")).status_code == 302


def test_an_unknown_page_renders_the_404_template(owner_client: Client) -> None:
    # when
    response = owner_client.get("/no-such-page/")
    # then
    assert response.status_code == 404
    assert b"This page does not exist" in response.content


def test_a_user_without_company_gets_a_friendly_home(client: Client) -> None:
    # given
    from zhongshu.core.testing import make_user

    client.force_login(make_user("lonely"))
    # when
    response = client.get(reverse("home"))
    # then
    assert response.status_code == 200
    assert b"You do not belong to any company yet" in response.content
