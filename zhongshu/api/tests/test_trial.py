"""A trial company is writable for 15 days counting the day it was created,
then read-only (data stays visible) until an administrator activates it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings

from zhongshu.api.tests.client import ApiClient, as_token, error_of
from zhongshu.core import services, testing
from zhongshu.core.models import Company, IdempotencyRecord, Membership, Role

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
CREATED = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI)


def on_day(day: int) -> time_machine.travel:
    """Day 0 is the day of creation; late in the evening, Shanghai time."""
    return time_machine.travel(
        CREATED.replace(hour=23, minute=30) + datetime.timedelta(days=day), tick=False
    )


@pytest.fixture
def trial() -> tuple[Company, ApiClient]:
    with time_machine.travel(CREATED, tick=False):
        company = testing.make_company("TRIAL", trial_days=settings.TRIAL_DAYS)
        api = as_token(testing.owner_of(company), company)
    return company, api


def test_the_fifteenth_day_is_still_writable(trial):
    # given
    _company, api = trial

    # when on day 14 after creation, the 15th day of the trial
    with on_day(14):
        response = api.patch("/company", {"name": "第十五天"})

    # then
    assert response.status_code == 200
    assert response.json()["read_only"] is False
    assert response.json()["trial_ends_on"] == "2026-03-15"


def test_the_sixteenth_day_is_read_only(trial):
    # given
    company, api = trial
    clerk = testing.member(company, [Role.SALES])
    companies_before = Company.objects.count()

    # when
    with on_day(15):
        patch = api.patch("/company", {"name": "第十六天"})
        post = api.post("/companies", {"code": "MORE", "name": "另一家"})
        put = api.put(f"/members/{clerk.pk}/roles", {"roles": ["owner"]})
        keyed = api.post(
            "/companies", {"code": "M2", "name": "x"}, HTTP_IDEMPOTENCY_KEY="k"
        )
        read = api.get("/company")
        audit = api.get("/audit")

    # then writes are refused and nothing is written
    for response in (patch, post, put, keyed):
        assert response.status_code == 403
        assert error_of(response)["code"] == "company_read_only"
    company.refresh_from_db()
    assert company.name == "公司 TRIAL"
    assert Company.objects.count() == companies_before
    assert set(
        Membership.objects.filter(user=clerk).values_list("role", flat=True)
    ) == {"sales"}
    assert not IdempotencyRecord.objects.exists()
    # and the data stays visible
    assert read.status_code == 200
    assert read.json()["read_only"] is True
    assert audit.status_code == 200


def test_tokens_can_still_be_managed_when_read_only(trial):
    # given a locked-out owner who needs a token to export, and to revoke one
    _company, api = trial

    # when
    with on_day(20):
        created = api.post("/tokens", {"name": "export"})
        revoked = api.delete(f"/tokens/{created.json()['id']}")

    # then
    assert created.status_code == 201
    assert revoked.status_code == 204


def test_activation_makes_it_writable_again(trial):
    # given
    company, api = trial
    with on_day(30):
        assert api.patch("/company", {"name": "x"}).status_code == 403

        # when
        services.activate_company(company=company, actor=None)
        response = api.patch("/company", {"name": "已激活"})

    # then
    assert response.status_code == 200
    assert response.json()["read_only"] is False
    assert response.json()["is_trial"] is False


def test_a_company_created_through_the_api_is_a_trial(owner_api):
    # when
    with time_machine.travel(CREATED, tick=False):
        response = owner_api.post("/companies", {"code": "NEW", "name": "新公司"})

    # then
    assert response.status_code == 201
    assert response.json()["is_trial"] is True
    assert response.json()["trial_ends_on"] == "2026-03-15"
