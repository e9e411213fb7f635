"""Domain events: typed facts published through a transactional outbox.

News flows up (STYLE §4): a lower app publishes a frozen dataclass, higher apps
react in handlers registered from their ``AppConfig.ready``::

    events.publish(StockFellBelowSafetyLevel(company_id=c.id, product_ids=ids))

    @events.handler(StockFellBelowSafetyLevel)
    def rebuild_replenishment_suggestions(event: StockFellBelowSafetyLevel) -> None:
        ...

The path of one event:

1. ``publish`` writes an ``OutboxEvent`` row in the caller's transaction, so a
   rolled-back write fires nothing, and asks ``on_commit`` to enqueue the task
   ``dispatch_event``.
2. The tasks backend runs ``dispatch_event`` (tests: immediately after commit;
   production: ``db_worker``). Each handler runs in its own transaction together
   with its ``HandledEvent`` mark, so a handler's effects and "done" commit or
   roll back together and a redelivery skips finished handlers.
3. A failing handler is logged and the event is retried with exponential backoff
   by ``dispatch_pending``, which also picks up events whose task was lost (a
   crash between commit and enqueue). Production runs ``zhongshu dispatch_events
   --loop`` beside ``db_worker``. After ``MAX_ATTEMPTS`` failures the event stays
   undispatched (dead letter) and the ``core.outbox_drained`` check reports it.

Payload fields may be ``int``, ``str``, ``bool``, ``Decimal``, ``date``, tuples of
those, or optional (``| None``) versions of them. They are stored as plain JSON
(Decimals as strings with their exact digits, dates in ISO form) and decoded
with the dataclass's own annotations, so no class is ever imported by name.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import traceback
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from zhongshu.core import clock, consistency
from zhongshu.core.models import HandledEvent, OutboxEvent

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

logger = logging.getLogger("zhongshu.events")

E = TypeVar("E")
Handler = Callable[[Any], None]
_Decoder = Callable[[Any], Any]

MAX_ATTEMPTS = 10
MAX_BACKOFF = datetime.timedelta(hours=1)
STALE_AFTER = datetime.timedelta(minutes=15)
_REPORT_AT_MOST = 20


class EventDefinitionError(TypeError):
    """An event class that cannot travel through the outbox (a programming error)."""


class EventPayloadError(TypeError):
    """An event whose values do not survive the JSON round trip."""


class PublishOutsideTransactionError(RuntimeError):
    """``publish`` was called in autocommit mode, where no rollback could undo it."""


@dataclasses.dataclass(frozen=True, slots=True)
class _EventType:
    cls: type[Any]
    decoders: dict[str, _Decoder]


@dataclasses.dataclass(frozen=True, slots=True)
class DispatchResult:
    """What one dispatch of one outbox row achieved."""

    event_id: int
    dispatched: bool
    failed_handlers: tuple[str, ...] = ()


# Both registries are filled at import time (handlers modules imported from
# AppConfig.ready), which is why a worker process can decode every event type
# that has a handler without importing anything by name.
_event_types: dict[str, _EventType] = {}
_handlers: dict[str, dict[str, Handler]] = {}


def type_name(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def handler_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# --- declaring events and handlers -------------------------------------------


def handler(
    event_type: type[E],
) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register the decorated function to run once for each published ``event_type``."""

    def decorator(function: Callable[[E], None]) -> Callable[[E], None]:
        _add_handler(event_type, function)
        return function

    return decorator


@contextmanager
def subscribed(event_type: type[E], *functions: Callable[[E], None]) -> Iterator[None]:
    """Register handlers for the duration of a block; for tests only.

    Product handlers live for the whole process; a test that subscribed them
    permanently would leak them into every later test.
    """
    was_registered = type_name(event_type) in _event_types
    try:
        for function in functions:
            _add_handler(event_type, function)
        yield
    finally:
        registered = _handlers.get(type_name(event_type), {})
        for function in functions:
            registered.pop(handler_name(function), None)
        if not registered:
            _handlers.pop(type_name(event_type), None)
        if not was_registered:
            _event_types.pop(type_name(event_type), None)


def handlers_of(event_type: type[Any]) -> list[str]:
    return sorted(_handlers.get(type_name(event_type), {}))


def _add_handler(event_type: type[Any], function: Handler) -> None:
    _register_event_type(event_type)
    registered = _handlers.setdefault(type_name(event_type), {})
    name = handler_name(function)
    if name in registered:
        raise ValueError(f"Handler {name} is registered twice.")
    registered[name] = function


def _register_event_type(cls: type[Any]) -> _EventType:
    name = type_name(cls)
    known = _event_types.get(name)
    if known is not None:
        if known.cls is not cls:
            raise EventDefinitionError(f"Two event classes are named {name}.")
        return known
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.eq:
        raise EventDefinitionError(f"Event {name} must be a frozen dataclass.")
    hints = typing.get_type_hints(cls)
    decoders = {
        field.name: _decoder_for(hints[field.name], f"{name}.{field.name}")
        for field in dataclasses.fields(cls)
    }
    event_type = _EventType(cls, decoders)
    _event_types[name] = event_type
    return event_type


# --- publishing ----------------------------------------------------------------


def publish(event: DataclassInstance) -> OutboxEvent:
    """Write ``event`` to the outbox in the current transaction.

    It is dispatched after commit; a rollback discards it with the caller's
    other writes. Raises before writing anything if the event cannot be stored.
    """
    if not transaction.get_connection().in_atomic_block:
        raise PublishOutsideTransactionError(
            "events.publish() must run inside transaction.atomic(): in autocommit "
            "mode the event would be out even if the caller's work failed."
        )
    event_type = _register_event_type(type(event))
    payload = encode(event)
    # Checked on every publish, not just in tests: a payload that decodes into
    # something else would otherwise only surface in a worker, long after commit.
    if decode(event_type, json.loads(json.dumps(payload))) != event:
        raise EventPayloadError(f"{type_name(type(event))} does not round-trip.")
    row = OutboxEvent.objects.create(
        company_id=payload.get("company_id"),
        event_type=type_name(type(event)),
        payload=payload,
    )
    # robust: the caller's transaction has committed by then; a failing enqueue
    # must not turn its success into an error. dispatch_pending recovers the row.
    transaction.on_commit(partial(_enqueue_dispatch, row.pk), robust=True)
    return row


def _enqueue_dispatch(event_id: int) -> None:
    dispatch_event.enqueue(event_id)


def encode(event: DataclassInstance) -> dict[str, Any]:
    return {
        field.name: _encode_value(getattr(event, field.name), field.name)
        for field in dataclasses.fields(event)
    }


def _encode_value(value: object, where: str) -> Any:
    # datetime is a date subclass; stored as a date it would lose its time.
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EventPayloadError(f"{where}: {value} is not a finite Decimal.")
        return str(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode_value(item, where) for item in value]
    raise EventPayloadError(
        f"{where}: {type(value).__name__} is not an event payload type "
        "(int, str, bool, Decimal, date or a tuple of them)."
    )


def decode(event_type: _EventType, payload: dict[str, Any]) -> Any:
    values = {
        name: decoder(payload[name]) for name, decoder in event_type.decoders.items()
    }
    return event_type.cls(**values)


def _decoder_for(hint: Any, where: str) -> _Decoder:
    if hint in _SCALAR_DECODERS:
        return _SCALAR_DECODERS[hint]
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder_for(args[0], where)
        return lambda value: tuple(item(each) for each in _exactly(list, value))
    if (
        origin in (typing.Union, types.UnionType)
        and len(args) == 2
        and type(None) in args
    ):
        inner = _decoder_for(next(arg for arg in args if arg is not type(None)), where)
        return lambda value: None if value is None else inner(value)
    raise EventDefinitionError(f"{where}: {hint!r} is not an event payload type.")


def _exactly(kind: type[Any], value: Any) -> Any:
    # type() rather than isinstance(): True must not pass as an int field.
    if type(value) is not kind:
        raise EventPayloadError(f"Expected {kind.__name__}, got {value!r}.")
    return value


_SCALAR_DECODERS: dict[Any, _Decoder] = {
    int: partial(_exactly, int),
    str: partial(_exactly, str),
    bool: partial(_exactly, bool),
    Decimal: lambda value: Decimal(_exactly(str, value)),
    datetime.date: lambda value: datetime.date.fromisoformat(_exactly(str, value)),
}


# --- dispatching ---------------------------------------------------------------


@task()
def dispatch_event(event_id: int) -> None:
    """The task ``publish`` enqueues after commit."""
    dispatch(event_id)


def dispatch(event_id: int, *, now: datetime.datetime | None = None) -> DispatchResult:
    """Run every handler of one outbox event that has not succeeded yet.

    Safe to call twice, also concurrently: a handler's ``HandledEvent`` row is
    inserted first in its transaction, so a second dispatcher waits on the
    unique constraint and then skips the handler. Unlike ``dispatch_pending`` it
    ignores backoff and the attempt limit, so an operator can re-drive a dead
    letter by id. Handlers are registered at startup in every process, so an
    event type without handlers here has none anywhere and is simply marked
    dispatched.
    """
    now = now or clock.now()
    row = OutboxEvent.objects.filter(pk=event_id).first()
    if row is None or row.dispatched_at is not None:
        return DispatchResult(event_id, dispatched=row is not None)
    failures = _run_pending_handlers(row)
    return _record_outcome(event_id, failures, now)


def _run_pending_handlers(row: OutboxEvent) -> dict[str, str]:
    """Run the handlers without a ``HandledEvent`` row; return errors by handler."""
    done = set(HandledEvent.objects.filter(event=row).values_list("handler", flat=True))
    registered = _handlers.get(row.event_type, {})
    pending = {name: fn for name, fn in registered.items() if name not in done}
    if not pending:
        return {}
    try:
        event = decode(_event_types[row.event_type], row.payload)
    except Exception:  # a payload this code cannot read fails every handler
        logger.exception("Event %s cannot be decoded", row)
        return dict.fromkeys(pending, traceback.format_exc())
    failures = {}
    for name, function in pending.items():
        error = _run_handler(row, name, function, event)
        if error is not None:
            failures[name] = error
    return failures


def _run_handler(
    row: OutboxEvent, name: str, function: Handler, event: Any
) -> str | None:
    """Run one handler with its done-mark in one transaction; return the error."""
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    HandledEvent.objects.create(event=row, handler=name)
            except IntegrityError:
                # Another dispatcher ran it while we waited on the constraint.
                logger.info("Handler %s already ran for event %s", name, row)
                return None
            function(event)
    except Exception:  # any handler bug is recorded and retried, never propagated
        logger.exception(
            "Handler %s failed on event %s#%s", name, row.event_type, row.pk
        )
        return traceback.format_exc()
    return None


def _record_outcome(
    event_id: int, failures: dict[str, str], now: datetime.datetime
) -> DispatchResult:
    with transaction.atomic():
        # Locked (PostgreSQL) so concurrent failures each count one attempt.
        row = OutboxEvent.objects.select_for_update().get(pk=event_id)
        if row.dispatched_at is not None:
            pass  # a concurrent dispatcher finished it; our failure is moot
        elif failures:
            row.attempts += 1
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = "\n".join(
                f"{name}:\n{error}" for name, error in sorted(failures.items())
            )
            row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
        else:
            row.dispatched_at = now
            row.next_attempt_at = None
            row.save(update_fields=["dispatched_at", "next_attempt_at"])
    return DispatchResult(
        event_id,
        dispatched=row.dispatched_at is not None,
        failed_handlers=tuple(sorted(failures)),
    )


def backoff(attempts: int) -> datetime.timedelta:
    """Wait 2, 4, 8 … seconds after each failure, at most an hour."""
    return min(datetime.timedelta(seconds=2 ** min(attempts, 20)), MAX_BACKOFF)


def dispatch_pending(
    *, now: datetime.datetime | None = None, limit: int = 100
) -> list[DispatchResult]:
    """Dispatch undispatched events that are due, oldest first.

    The safety net behind the after-commit task: it delivers events whose task
    was lost and retries failed ones once their backoff has passed.
    """
    now = now or clock.now()
    due = (
        OutboxEvent.objects.filter(
            dispatched_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return [dispatch(event_id, now=now) for event_id in list(due)]


# --- consistency -----------------------------------------------------------------


@consistency.register("core.outbox_drained")
def check_outbox_drained() -> list[str]:
    """Events stuck in the outbox: a worker is down or a handler keeps failing."""
    now = clock.now()
    stuck = (
        OutboxEvent.objects.filter(dispatched_at__isnull=True)
        .filter(Q(created_at__lt=now - STALE_AFTER) | Q(attempts__gte=MAX_ATTEMPTS))
        .order_by("pk")
    )
    problems = [_describe_stuck(row) for row in stuck[:_REPORT_AT_MOST]]
    more = stuck.count() - len(problems) if len(problems) == _REPORT_AT_MOST else 0
    if more:
        problems.append(
            _("… and %(count)d more undispatched events.") % {"count": more}
        )
    return problems


def _describe_stuck(row: OutboxEvent) -> str:
    # A traceback's last line names the exception, which is what an operator needs.
    error_lines = row.last_error.strip().splitlines()
    return _(
        "Event %(event)s from %(created_at)s is not dispatched after %(attempts)d "
        "attempts. %(error)s"
    ) % {
        "event": str(row),
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "attempts": row.attempts,
        "error": error_lines[-1] if error_lines else "",
    }
