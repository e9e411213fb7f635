"""A retried POST with the same Idempotency-Key returns the first result and
creates nothing twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from zhongshu.api.tests.client import ApiClient, as_session, error_of, issue_key
from zhongshu.core import services
from zhongshu.core.models import ApiToken, Company, IdempotencyRecord

NEW = {"code": "NEW", "name": "新公司"}


@pytest.mark.django_db
def test_a_retry_replays_the_first_response_and_creates_nothing(owner_api):
    # given
    first = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="create-new-1")

    # when
    retry = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="create-new-1")

    # then
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Company.objects.filter(code="NEW").count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_another_request_is_refused(owner_api):
    # given
    owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="k-1")

    # when
    response = owner_api.post(
        "/companies", {**NEW, "code": "NEWER"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )

    # then
    assert response.status_code == 422
    assert error_of(response)["code"] == "idempotency_key_reused"
    assert not Company.objects.filter(code="NEWER").exists()


@pytest.mark.django_db
def test_an_error_response_is_replayed_too(owner_api):
    # given a first attempt that conflicted
    first = owner_api.post(
        "/companies", {**NEW, "code": "ACME"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    # when
    retry = owner_api.post(
        "/companies", {**NEW, "code": "ACME"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    # then
    assert first.status_code == retry.status_code == 409
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_server_error_is_not_kept_so_the_client_can_retry(owner_api, monkeypatch):
    # given a first attempt that crashed
    create_company = services.create_company

    def crash(**kwargs: Any) -> Company:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "create_company", crash)
    failed = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="k")
    monkeypatch.setattr(services, "create_company", create_company)

    # when
    retry = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="k")

    # then
    assert failed.status_code == 500
    assert retry.status_code == 201
    assert not retry.has_header("Idempotent-Replayed")
    assert Company.objects.filter(code="NEW").count() == 1


@pytest.mark.django_db
def test_keys_of_different_callers_do_not_collide(company, owner, owner_api):
    # given the same person once as a program and once in the browser
    browser = as_session(owner)

    # when
    by_token = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="k")
    by_session = browser.post(
        "/companies", {**NEW, "code": "NEW2"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    # then
    assert by_token.status_code == by_session.status_code == 201
    token = ApiToken.objects.get(company=company, user=owner)
    assert set(IdempotencyRecord.objects.values_list("principal", flat=True)) == {
        f"token:{token.pk}",
        f"user:{owner.pk}",
    }


@pytest.mark.django_db
def test_without_a_key_nothing_is_recorded(owner_api):
    # when
    response = owner_api.post("/companies", NEW)

    # then
    assert response.status_code == 201
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 256, "naïve", "tab\there"])
def test_a_malformed_key_is_refused(owner_api, key):
    # when
    response = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY=key)

    # then
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_idempotency_key"
    assert not Company.objects.filter(code="NEW").exists()


@pytest.mark.django_db
def test_the_longest_key_is_accepted(owner_api):
    # when
    response = owner_api.post("/companies", NEW, HTTP_IDEMPOTENCY_KEY="k" * 255)

    # then
    assert response.status_code == 201


RACERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_company_on_postgresql(company, owner):
    if connection.vendor != "postgresql":
        pytest.skip("The race is run on PostgreSQL; SQLite serializes writers.")
    # given one program's token, already used once so that no request of
    # the race needs to touch the token row
    authorization = f"Bearer {issue_key(owner, company)}"
    assert ApiClient(HTTP_AUTHORIZATION=authorization).get("/me").status_code == 200
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, bytes, str | None]] = []

    def post_once() -> None:
        try:
            api = ApiClient(HTTP_AUTHORIZATION=authorization)
            barrier.wait()
            response = api.post(
                "/companies", {**NEW, "code": "RACE"}, HTTP_IDEMPOTENCY_KEY="race"
            )
            answers.append(
                (
                    response.status_code,
                    response.content,
                    response.get("Idempotent-Replayed"),
                )
            )
        finally:
            connection.close()

    # when the same request arrives six times at once
    threads = [threading.Thread(target=post_once) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then one of them did the work and the others replayed its answer
    assert Company.objects.filter(code="RACE").count() == 1
    assert [status for status, _body, _replayed in answers] == [201] * RACERS
    assert len({body for _status, body, _replayed in answers}) == 1
    assert sorted(str(replayed) for _s, _b, replayed in answers) == ["None"] + [
        "true"
    ] * (RACERS - 1)


@pytest.mark.django_db
def test_a_new_tokens_key_is_never_stored_for_replay(owner_api):
    # given
    first = owner_api.post("/tokens", {"name": "sync"}, HTTP_IDEMPOTENCY_KEY="t1")

    # when
    retry = owner_api.post("/tokens", {"name": "sync"}, HTTP_IDEMPOTENCY_KEY="t1")

    # then the secret shown once stays out of the database; the retry
    # creates nothing because the name is taken
    assert first.status_code == 201
    assert retry.status_code == 409
    assert not IdempotencyRecord.objects.exists()
    assert ApiToken.objects.filter(name="sync").count() == 1
