"""A trial company past its end is read-only: pages refuse writes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.core import clock, services, testing
from zhongshu.core.models import AuditEntry, Company

pytestmark = pytest.mark.django_db

READ_ONLY_BANNER = (
    "The trial has ended: this company is read-only until an administrator "
    "activates it. Your data stays visible and exportable."
)


@pytest.fixture
def expired_trial(owner: User) -> Company:
    company = testing.make_company("TRIAL", owner=owner, trial_days=1, name="试用公司")
    return company


@pytest.fixture
def later() -> object:
    with time_machine.travel(clock.now() + datetime.timedelta(days=2)) as traveller:
        yield traveller


def test_a_read_only_company_shows_the_banner(
    owner_client: Client, expired_trial: Company, later: object
) -> None:
    # given
    owner_client.post(reverse("company_switch"), {"company_id": expired_trial.pk})
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    assert READ_ONLY_BANNER in html
    assert "Read-only" in html


def test_a_read_only_company_refuses_page_posts(
    owner_client: Client, expired_trial: Company, later: object
) -> None:
    # given
    owner_client.post(reverse("company_switch"), {"company_id": expired_trial.pk})
    entries_before = AuditEntry.objects.count()
    # when
    response = owner_client.post(
        reverse("settings_company"),
        {
            "company_name": "改了名",
            "company_code": "TRIAL",
            "taxpayer_type": "general",
            "accounting_standard": "small_enterprise",
            "fiscal_year_start_month": "1",
        },
        HTTP_REFERER="http://testserver" + reverse("settings_company"),
        follow=True,
    )
    # then
    assert response.redirect_chain == [
        ("http://testserver" + reverse("settings_company"), 302)
    ]
    assert "Nothing was saved." in response.content.decode()
    expired_trial.refresh_from_db()
    assert expired_trial.name == "试用公司"
    assert AuditEntry.objects.count() == entries_before


def test_a_read_only_company_still_lets_users_switch_and_sign_out(
    owner_client: Client, company: Company, expired_trial: Company, later: object
) -> None:
    # given
    owner_client.post(reverse("company_switch"), {"company_id": expired_trial.pk})
    # when
    switched = owner_client.post(reverse("company_switch"), {"company_id": company.pk})
    signed_out = owner_client.post(reverse("logout"))
    # then
    assert switched.status_code == 302
    assert signed_out.status_code == 302
    assert owner_client.get(reverse("home")).status_code == 302


def test_a_running_trial_shows_the_days_left(owner: User, client: Client) -> None:
    # given
    company = testing.make_company("TRIAL", owner=owner, trial_days=15)
    client.force_login(owner)
    client.post(reverse("company_switch"), {"company_id": company.pk})
    # when
    html = client.get(reverse("home")).content.decode()
    # then
    assert "Free trial: 15 days left" in html
    assert READ_ONLY_BANNER not in html


def test_an_activated_company_is_writable_again(
    owner_client: Client, expired_trial: Company, later: object
) -> None:
    # given
    services.activate_company(company=expired_trial, actor=None)
    owner_client.post(reverse("company_switch"), {"company_id": expired_trial.pk})
    # when
    html = owner_client.get(reverse("home")).content.decode()
    # then
    assert READ_ONLY_BANNER not in html


def test_a_read_only_company_can_still_export_its_audit_trail(
    owner_client: Client, expired_trial: Company, later: object
) -> None:
    # given
    owner_client.post(reverse("company_switch"), {"company_id": expired_trial.pk})
    # when
    response = owner_client.get(reverse("audit_export"), {"action": "created"})
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-TRIAL.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "time,user,action,object_kind,object_id,object,changes,ip_address"
    )
    assert len(lines) == 2
    assert ",created,core.company," in lines[1]
    assert "试用公司" in lines[1]
