"""Who may call the API, and for which company."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.test import Client

from zhongshu.api.tests.client import ApiClient, as_session, error_of, issue_key
from zhongshu.core import services, testing
from zhongshu.core.models import ApiToken, Membership, Role

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def bearer(key: str, **headers: str) -> ApiClient:
    return ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def test_a_token_acts_for_its_own_company(company, owner, other_company):
    # given the owner also works in the other company, with a token for it
    Membership.objects.create(company=other_company, user=owner, role=Role.ACCOUNTANT)
    key = issue_key(owner, other_company)

    # when
    response = bearer(key).get("/me")

    # then
    assert response.status_code == 200
    me = response.json()
    assert me["company"]["code"] == "OTHER"
    assert me["roles"] == ["accountant"]
    assert me["authenticated_by"] == "token"


def test_an_expired_token_is_refused(company, owner):
    # given a token valid for one hour
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        _token, key = services.issue_api_token(
            company=company,
            user=owner,
            name="hourly",
            expires_at=start + datetime.timedelta(hours=1),
        )
        assert bearer(key).get("/me").status_code == 200

    # when two hours later
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        response = bearer(key).get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_expired"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(company, owner):
    # given
    token, key = services.issue_api_token(company=company, user=owner, name="old")
    services.revoke_api_token(token=token, actor=owner)

    # when
    response = bearer(key).get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_revoked"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer zs_", "Bearer zs_deadbeef_wrong-secret", "Bearer "],
)
def test_an_unknown_or_malformed_token_is_refused(company, owner, authorization):
    # given a real token exists, so a known prefix with a wrong secret is tried too
    issue_key(owner, company)

    # when
    response = ApiClient(HTTP_AUTHORIZATION=authorization).get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"


def test_a_right_prefix_with_a_wrong_secret_is_refused(company, owner):
    # given
    token, key = services.issue_api_token(company=company, user=owner, name="t")

    # when
    response = bearer(f"zs_{token.prefix}_not-the-secret").get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"
    assert bearer(key).get("/me").status_code == 200


def test_a_token_of_someone_who_left_the_company_is_refused(company):
    # given
    clerk = testing.member(company, [Role.SALES])
    key = issue_key(clerk, company)
    Membership.objects.filter(company=company, user=clerk).delete()

    # when
    response = bearer(key).get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_a_member"


def test_no_credentials_is_unauthenticated(company):
    # when
    response = ApiClient().get("/me")

    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_company_header_naming_another_company_is_refused(company, owner):
    # given
    key = issue_key(owner, company)

    # when
    response = bearer(key, HTTP_X_COMPANY="OTHER").get("/company")

    # then
    assert response.status_code == 403
    assert error_of(response)["code"] == "company_mismatch"


def test_a_company_header_naming_the_tokens_company_is_fine(company, owner):
    # given
    key = issue_key(owner, company)

    # when (codes compare regardless of case, as they are unique that way)
    response = bearer(key, HTTP_X_COMPANY="acme").get("/company")

    # then
    assert response.status_code == 200
    assert response.json()["code"] == "ACME"


def test_a_session_picks_a_company_by_header(company, owner, other_company):
    # given
    Membership.objects.create(company=other_company, user=owner, role=Role.SALES)

    # when
    response = as_session(owner, HTTP_X_COMPANY="OTHER").get("/me")

    # then
    assert response.status_code == 200
    assert response.json()["company"]["code"] == "OTHER"
    assert response.json()["roles"] == ["sales"]
    assert response.json()["authenticated_by"] == "session"


def test_a_session_uses_the_company_chosen_in_the_switcher(
    company, owner, other_company
):
    # given the web UI's switcher chose the other company
    Membership.objects.create(company=other_company, user=owner, role=Role.SALES)
    client = as_session(owner)
    session = client.client.session
    session["company_id"] = other_company.pk
    session.save()

    # when
    response = client.get("/company")

    # then
    assert response.json()["code"] == "OTHER"


def test_a_session_cannot_tell_a_foreign_company_from_a_missing_one(
    company, owner, other_company
):
    # given the owner is not a member of OTHER
    client = as_session(owner)

    # when
    foreign = client.get("/company", HTTP_X_COMPANY="OTHER")
    missing = client.get("/company", HTTP_X_COMPANY="NO-SUCH")

    # then
    assert foreign.status_code == missing.status_code == 404
    assert error_of(foreign)["code"] == "company_not_found"
    assert foreign.json() == missing.json()


def test_a_session_write_needs_the_csrf_token(company, owner):
    # given a browser that enforces CSRF like a real one
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    # when
    response = client.patch(
        "/api/v1/company", data={"name": "x"}, content_type="application/json"
    )

    # then
    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    company.refresh_from_db()
    assert company.name == "示例商贸有限公司"


def test_only_a_hash_of_the_token_is_stored(company, owner):
    # when
    response = bearer(issue_key(owner, company)).post("/tokens", {"name": "sync"})

    # then the key is shown once, and the database holds only its secret's hash
    assert response.status_code == 201
    key = response.json()["key"]
    _zs, prefix, secret = key.split("_", 2)
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.prefix == prefix
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(secret in value for value in stored)
    assert "key" not in bearer(key).get("/tokens").json()[0]


def test_a_session_of_a_user_without_any_company_finds_none(company):
    # given
    loner = testing.make_user()

    # when
    response = as_session(loner).get("/me")

    # then
    assert response.status_code == 404
    assert error_of(response)["code"] == "company_not_found"
