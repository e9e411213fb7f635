"""A route from any module gets transactions, the read-only guard and
Idempotency-Key handling without doing anything: proved on a bare router."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import QuerySet

from zhongshu.api.tests.client import as_token, error_of
from zhongshu.core import testing
from zhongshu.core.models import AuditEntry, Company, IdempotencyRecord

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("zhongshu.api.tests.pipeline_urls"),
]


def notes(company: Company) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(company=company, action__startswith="note")


def test_a_new_routes_post_is_idempotent(company, owner_api):
    # when
    first = owner_api.post("/notes", {"text": "note 1"}, HTTP_IDEMPOTENCY_KEY="n1")
    retry = owner_api.post("/notes", {"text": "note 1"}, HTTP_IDEMPOTENCY_KEY="n1")

    # then
    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert notes(company).count() == 1


def test_a_failed_write_leaves_nothing_behind(company, owner_api):
    # when the endpoint writes a row and then fails
    response = owner_api.post("/notes", {"text": "note 2", "fail": True})

    # then
    assert response.status_code == 409
    assert not notes(company).exists()


def test_a_failed_write_with_a_key_keeps_only_the_answer(company, owner_api):
    # when
    first = owner_api.post(
        "/notes", {"text": "note 3", "fail": True}, HTTP_IDEMPOTENCY_KEY="n3"
    )
    retry = owner_api.post(
        "/notes", {"text": "note 3", "fail": True}, HTTP_IDEMPOTENCY_KEY="n3"
    )

    # then the row the endpoint wrote is gone; its error answer is kept
    assert first.status_code == retry.status_code == 409
    assert retry["Idempotent-Replayed"] == "true"
    assert not notes(company).exists()
    assert IdempotencyRecord.objects.get().status_code == 409


def test_a_new_route_refuses_writes_to_a_read_only_company():
    # given a trial company, after its trial
    created = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    with time_machine.travel(created, tick=False):
        trial = testing.make_company("TRIAL", trial_days=15)
        api = as_token(testing.owner_of(trial), trial)

    # when
    with time_machine.travel(created + datetime.timedelta(days=20), tick=False):
        response = api.post("/notes", {"text": "note 4"})

    # then
    assert response.status_code == 403
    assert error_of(response)["code"] == "company_read_only"
    assert not notes(trial).exists()
