"""The outbox: publish in the caller's transaction, dispatch after commit, retry.

Tests that need ``on_commit`` to fire for real use ``transaction=True``; the
others run inside pytest-django's wrapping transaction.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from pytest_django import DjangoCaptureOnCommitCallbacks

from zhongshu.core import consistency, events
from zhongshu.core.models import Company, HandledEvent, OutboxEvent

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@dataclass(frozen=True, slots=True, kw_only=True)
class ParcelShipped:
    company_id: int
    parcel_ids: tuple[int, ...]
    weight: Decimal
    shipped_on: datetime.date
    carrier: str = "SF"
    is_express: bool = False
    tracking_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceGuessed:
    price: float


@dataclass(slots=True, kw_only=True)
class MutableFact:
    amount: Decimal


@dataclass
class Inbox:
    """What the test handlers saw; module-level because handlers must be."""

    received: list[tuple[str, ParcelShipped]] = field(default_factory=list)
    scale_is_broken: bool = False


INBOX = Inbox()


def remember_parcel(event: ParcelShipped) -> None:
    INBOX.received.append(("remember", event))


def weigh_parcel(event: ParcelShipped) -> None:
    # Writes before failing, so the test sees the handler's writes roll back.
    Company.objects.create(code=f"W{event.parcel_ids[0]}", name="weighed")
    if INBOX.scale_is_broken:
        raise RuntimeError("scale offline")
    INBOX.received.append(("weigh", event))


def remember_parcel_slowly(event: ParcelShipped) -> None:
    INBOX.received.append(("slow", event))
    time.sleep(0.3)


class OrderAbandonedError(Exception):
    pass


def publish_then_abandon(event: ParcelShipped) -> None:
    with transaction.atomic():
        events.publish(event)
        raise OrderAbandonedError


@pytest.fixture(autouse=True)
def inbox() -> Inbox:
    INBOX.received.clear()
    INBOX.scale_is_broken = False
    return INBOX


def parcel(company: Company, **changes: object) -> ParcelShipped:
    values: dict[str, object] = {
        "company_id": company.pk,
        "parcel_ids": (7, 8),
        "weight": Decimal("12.30"),
        "shipped_on": datetime.date(2025, 3, 31),
    }
    return ParcelShipped(**(values | changes))  # type: ignore[arg-type]


def dummy_backend() -> DummyBackend:
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    return backend


def make_company(code: str = "SHIP") -> Company:
    return Company.objects.create(code=code, name="顺丰测试公司")


def handled(row: OutboxEvent) -> list[str]:
    return sorted(
        HandledEvent.objects.filter(event=row).values_list("handler", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_committed_event_runs_each_handler_once_with_exact_payload() -> None:
    # given
    company = make_company()
    event = parcel(company, tracking_code=None, is_express=True)

    # when
    with events.subscribed(ParcelShipped, remember_parcel), transaction.atomic():
        row = events.publish(event)

    # then
    row.refresh_from_db()
    assert INBOX.received == [("remember", event)]
    received = INBOX.received[0][1]
    assert str(received.weight) == "12.30"
    assert received.shipped_on == datetime.date(2025, 3, 31)
    assert row.payload == {
        "company_id": company.pk,
        "parcel_ids": [7, 8],
        "weight": "12.30",
        "shipped_on": "2025-03-31",
        "carrier": "SF",
        "is_express": True,
        "tracking_code": None,
    }
    assert row.company_id == company.pk
    assert row.event_type == "zhongshu.core.tests.test_events.ParcelShipped"
    assert row.dispatched_at is not None
    assert row.attempts == 0
    assert handled(row) == ["zhongshu.core.tests.test_events.remember_parcel"]


@pytest.mark.django_db(transaction=True)
def test_redelivered_event_does_not_rerun_finished_handlers() -> None:
    # given an event whose handler ran, delivered again as after a lost ack
    company = make_company()
    with events.subscribed(ParcelShipped, remember_parcel):
        with transaction.atomic():
            row = events.publish(parcel(company))
        OutboxEvent.objects.filter(pk=row.pk).update(dispatched_at=None)

        # when
        result = events.dispatch(row.pk)

    # then
    assert result.dispatched
    assert len(INBOX.received) == 1
    row.refresh_from_db()
    assert row.dispatched_at is not None


@pytest.mark.django_db(transaction=True)
def test_rolled_back_publish_fires_nothing() -> None:
    # given
    company = make_company()

    # when
    with (
        events.subscribed(ParcelShipped, remember_parcel),
        pytest.raises(OrderAbandonedError),
    ):
        publish_then_abandon(parcel(company))

    # then
    assert not OutboxEvent.objects.exists()
    assert INBOX.received == []


@pytest.mark.django_db(transaction=True)
def test_failing_handler_keeps_publisher_data_and_is_retried_after_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given
    INBOX.scale_is_broken = True
    with events.subscribed(ParcelShipped, remember_parcel, weigh_parcel):
        # when the publisher commits and one handler fails
        with transaction.atomic():
            company = make_company()
            row = events.publish(parcel(company))

        # then the publisher's data stays, the failing handler's writes do not
        row.refresh_from_db()
        assert Company.objects.filter(pk=company.pk).exists()
        assert not Company.objects.filter(code="W7").exists()
        assert row.dispatched_at is None
        assert row.attempts == 1
        assert row.next_attempt_at is not None
        assert "scale offline" in row.last_error
        assert "weigh_parcel" in row.last_error
        assert handled(row) == ["zhongshu.core.tests.test_events.remember_parcel"]
        assert "weigh_parcel failed" in caplog.text

        # when retried before the backoff has passed, nothing happens
        too_early = row.next_attempt_at - datetime.timedelta(seconds=1)
        assert events.dispatch_pending(now=too_early) == []

        # when the handler is fixed and the retry is due
        INBOX.scale_is_broken = False
        results = events.dispatch_pending(
            now=row.next_attempt_at + datetime.timedelta(seconds=1)
        )

    # then only the failed handler ran again, exactly once
    assert [result.dispatched for result in results] == [True]
    assert [name for name, _ in INBOX.received] == ["remember", "weigh"]
    assert Company.objects.filter(code="W7").count() == 1
    row.refresh_from_db()
    assert row.dispatched_at is not None
    assert row.attempts == 1
    assert len(handled(row)) == 2


@pytest.mark.django_db(transaction=True)
def test_crash_between_commit_and_dispatch_loses_nothing() -> None:
    # given the dispatch task is enqueued but never runs (the worker died)
    company = make_company()
    with events.subscribed(ParcelShipped, remember_parcel):
        with override_settings(TASKS=DUMMY_TASKS), transaction.atomic():
            row = events.publish(parcel(company))
            assert dummy_backend().results == []  # not before commit
        row.refresh_from_db()
        assert row.dispatched_at is None
        assert INBOX.received == []

        # when the safety net runs
        results = events.dispatch_pending()

    # then
    assert [(result.event_id, result.dispatched) for result in results] == [
        (row.pk, True)
    ]
    assert len(INBOX.received) == 1


@pytest.mark.django_db(transaction=True)
def test_after_commit_enqueues_the_dispatch_task() -> None:
    # given
    company = make_company()

    # when
    with override_settings(TASKS=DUMMY_TASKS):
        with transaction.atomic():
            row = events.publish(parcel(company))
        enqueued = list(dummy_backend().results)

    # then
    assert [(r.task.module_path, r.args) for r in enqueued] == [
        ("zhongshu.core.events.dispatch_event", [row.pk])
    ]


@pytest.mark.django_db(transaction=True)
def test_dispatch_events_command_delivers_the_outbox() -> None:
    # given an undispatched event
    company = make_company()
    with events.subscribed(ParcelShipped, remember_parcel):
        with override_settings(TASKS=DUMMY_TASKS), transaction.atomic():
            row = events.publish(parcel(company))

        # when
        call_command("dispatch_events", stdout=StringIO())

    # then
    row.refresh_from_db()
    assert row.dispatched_at is not None
    assert len(INBOX.received) == 1


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused() -> None:
    # given
    company = make_company()

    # when / then
    with pytest.raises(events.PublishOutsideTransactionError):
        events.publish(parcel(company))
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"weight": 12.3}, "float is not an event payload type"),
        ({"weight": object()}, "object is not an event payload type"),
        ({"weight": Decimal("NaN")}, "not a finite Decimal"),
        (
            {"shipped_on": datetime.datetime(2025, 3, 31, tzinfo=datetime.UTC)},
            "datetime",
        ),
        ({"parcel_ids": [7, 8]}, "list is not an event payload type"),
        ({"parcel_ids": (7, "8")}, "does not round-trip|Expected int"),
        ({"is_express": 1}, "Expected bool"),
    ],
)
def test_unserializable_payload_is_refused_before_writing(
    changes: dict[str, object], error: str
) -> None:
    # given
    event = parcel(make_company(), **changes)

    # when / then
    with pytest.raises(events.EventPayloadError, match=error), transaction.atomic():
        events.publish(event)
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "event", [PriceGuessed(price=1.5), MutableFact(amount=Decimal(1))]
)
def test_event_class_that_cannot_travel_is_refused(event: object) -> None:
    # when / then
    with pytest.raises(events.EventDefinitionError), transaction.atomic():
        events.publish(event)  # type: ignore[arg-type]
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outbox_check_reports_stale_events_and_passes_when_drained() -> None:
    # given an event left behind for 16 minutes
    check = consistency.registered_checks()["core.outbox_drained"]
    company = make_company()
    with override_settings(TASKS=DUMMY_TASKS), transaction.atomic():
        fresh = events.publish(parcel(company))
        stale = events.publish(parcel(company, parcel_ids=(9,)))
    OutboxEvent.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - datetime.timedelta(minutes=16)
    )

    # when
    problems = check()

    # then only the stale one is reported
    assert len(problems) == 1
    assert f"ParcelShipped#{stale.pk}" in problems[0]
    assert f"#{fresh.pk} " not in problems[0]

    # when drained
    events.dispatch_pending()

    # then
    assert check() == []


@pytest.mark.django_db(transaction=True)
def test_event_failing_ten_times_stays_as_dead_letter() -> None:
    # given
    INBOX.scale_is_broken = True
    check = consistency.registered_checks()["core.outbox_drained"]
    with events.subscribed(ParcelShipped, weigh_parcel):
        with transaction.atomic():
            row = events.publish(parcel(make_company()))

        # when retried every time it is due
        for _attempt in range(events.MAX_ATTEMPTS + 2):
            row.refresh_from_db()
            later = (row.next_attempt_at or row.created_at) + datetime.timedelta(
                seconds=1
            )
            events.dispatch_pending(now=later)

    # then it stops at the limit, undispatched, and the check names it
    row.refresh_from_db()
    assert row.attempts == events.MAX_ATTEMPTS
    assert row.dispatched_at is None
    problems = check()
    assert len(problems) == 1
    assert "scale offline" in problems[0]


@pytest.mark.django_db
def test_event_without_handlers_is_marked_dispatched(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    # given
    company = make_company()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        row = events.publish(parcel(company))

    # then
    row.refresh_from_db()
    assert row.dispatched_at is not None
    assert not HandledEvent.objects.exists()


def test_subscribed_handlers_do_not_outlive_the_block() -> None:
    # when
    with events.subscribed(ParcelShipped, remember_parcel):
        inside = events.handlers_of(ParcelShipped)

    # then
    assert inside == ["zhongshu.core.tests.test_events.remember_parcel"]
    assert events.handlers_of(ParcelShipped) == []


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [events.backoff(n).total_seconds() for n in (1, 2, 3, 11, 12, 50)] == [
        2,
        4,
        8,
        2048,
        3600,
        3600,
    ]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_run_a_handler_once() -> None:
    # given an undispatched event
    company = make_company()
    with events.subscribed(ParcelShipped, remember_parcel_slowly):
        with override_settings(TASKS=DUMMY_TASKS), transaction.atomic():
            row = events.publish(parcel(company))
        results: list[events.DispatchResult] = []

        def dispatch() -> None:
            try:
                results.append(events.dispatch(row.pk))
            finally:
                connection.close()

        # when two workers dispatch it at the same time
        workers = [threading.Thread(target=dispatch) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    # then
    assert [result.dispatched for result in results] == [True, True]
    assert len(INBOX.received) == 1
