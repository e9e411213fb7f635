"""Gapless document numbers per company, document type and cycle.

``take(company=..., key=..., on_date=...)`` is the only source of numbers. It
increments a NumberSequence row inside the caller's transaction: on
PostgreSQL the row is locked with SELECT ... FOR UPDATE, on SQLite the
IMMEDIATE transaction mode serializes writers. A rollback returns the number,
so sequences stay gapless. Numbers are taken on confirm/post, never on draft.

Modules declare their document types once::

    numbering.declare("sales.order", _("Sales order"),
                      default_pattern="SO-{year}-{seq:06d}")
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import Company, NumberingRule, NumberSequence, SequenceReset


@dataclass(frozen=True, slots=True)
class DocumentType:
    key: str
    label: str | Promise
    default_pattern: str
    default_reset: str
    date_ordered: bool


_registry: dict[str, DocumentType] = {}


def declare(
    key: str,
    label: str | Promise,
    *,
    default_pattern: str,
    default_reset: str = SequenceReset.YEARLY,
    date_ordered: bool = False,
) -> DocumentType:
    """Register a numbered document type. ``date_ordered`` types (vouchers,
    invoices) refuse a number dated before the last one taken."""
    if key in _registry:
        raise ValueError(f"Document type {key} is declared twice.")
    validate_pattern(default_pattern, default_reset)
    doc_type = DocumentType(key, label, default_pattern, default_reset, date_ordered)
    _registry[key] = doc_type
    return doc_type


def document_types() -> list[DocumentType]:
    return sorted(_registry.values(), key=lambda d: d.key)


def get_document_type(key: str) -> DocumentType:
    try:
        return _registry[key]
    except KeyError:
        raise ValidationError(
            _("Unknown document type %(key)s.") % {"key": key},
            fields={"key": [_("Unknown document type.")]},
        ) from None


def format_number(
    pattern: str, on_date: datetime.date, value: int, series: str = ""
) -> str:
    return pattern.format(
        year=f"{on_date.year:04d}",
        month=f"{on_date.month:02d}",
        day=f"{on_date.day:02d}",
        seq=value,
        series=series,
    )


def validate_pattern(pattern: str, reset: str) -> None:
    """A pattern must contain {seq} and the date parts its reset cycle needs,
    otherwise two cycles would produce the same number."""

    def invalid(message: str) -> ValidationError:
        return ValidationError(message, fields={"pattern": [message]})

    if "{seq" not in pattern:
        raise invalid(_("The pattern must contain {seq}, e.g. SO-{year}-{seq:06d}."))
    try:
        sample = format_number(pattern, datetime.date(2026, 1, 31), 1)
    except (KeyError, IndexError, ValueError):
        raise invalid(
            _(
                "The pattern may only use {year}, {month}, {day}, {series} "
                "and {seq:0Nd}."
            )
        ) from None
    if len(sample) > 40:
        raise invalid(_("Numbers made by this pattern are longer than 40 characters."))
    needs = {
        SequenceReset.YEARLY: ["{year}"],
        SequenceReset.MONTHLY: ["{year}", "{month}"],
    }
    for part in needs.get(SequenceReset(reset), []):
        if part not in pattern:
            raise invalid(
                _(
                    "A sequence that restarts %(reset)s must show %(part)s in its "
                    "pattern."
                )
                % {"reset": SequenceReset(reset).label, "part": part}
            )


def cycle_for(reset: str, on_date: datetime.date) -> str:
    if reset == SequenceReset.YEARLY:
        return f"{on_date.year:04d}"
    if reset == SequenceReset.MONTHLY:
        return f"{on_date.year:04d}{on_date.month:02d}"
    return ""


def rule_for(company: Company, key: str) -> tuple[str, str]:
    """The (pattern, reset) a company uses for a document type."""
    rule = NumberingRule.objects.filter(company=company, key=key).first()
    return effective_rule(get_document_type(key), rule)


def effective_rule(
    doc_type: DocumentType, rule: NumberingRule | None
) -> tuple[str, str]:
    if rule is None:
        return doc_type.default_pattern, doc_type.default_reset
    return rule.pattern, rule.reset


def _locked_sequence(company: Company, key: str, cycle: str) -> NumberSequence:
    sequences = NumberSequence.objects.select_for_update()
    sequence = sequences.filter(company=company, key=key, cycle=cycle).first()
    if sequence is not None:
        return sequence
    try:
        with transaction.atomic():
            return NumberSequence.objects.create(company=company, key=key, cycle=cycle)
    except IntegrityError:
        # Another transaction created the row first; wait for its lock.
        return sequences.get(company=company, key=key, cycle=cycle)


@dataclass(frozen=True, slots=True)
class Allocation:
    value: int
    number: str


def allocate(
    *,
    company: Company,
    key: str,
    on_date: datetime.date,
    series: str = "",
    count: int = 1,
) -> Allocation:
    """Allocate the next number of ``key`` (and ``series`` within it, e.g. a
    voucher word), or a block of ``count`` consecutive numbers starting at the
    returned one (bulk posting). Must run inside the confirming transaction."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if not connection.in_atomic_block:
        raise RuntimeError("numbering.take() must run inside transaction.atomic().")
    doc_type = get_document_type(key)
    pattern, reset = rule_for(company, key)
    sequence_key = f"{key}:{series}" if series else key
    sequence = _locked_sequence(company, sequence_key, cycle_for(reset, on_date))
    if doc_type.date_ordered and sequence.last_date and on_date < sequence.last_date:
        raise ConflictError(
            _(
                "%(doc)s dated %(date)s is earlier than the last numbered one "
                "(%(last)s)."
            )
            % {"doc": doc_type.label, "date": on_date, "last": sequence.last_date}
        )
    value = sequence.next_value
    sequence.next_value = value + count
    if sequence.last_date is None or on_date > sequence.last_date:
        sequence.last_date = on_date
    sequence.save(update_fields=["next_value", "last_date"])
    return Allocation(value, format_number(pattern, on_date, value, series))


def take(*, company: Company, key: str, on_date: datetime.date) -> str:
    """Allocate the next number. Must run inside the confirming transaction."""
    return allocate(company=company, key=key, on_date=on_date).number


def take_many(
    *, company: Company, key: str, dates: Sequence[datetime.date]
) -> list[str]:
    """Numbers for documents dated ``dates``, consecutive in the order given:
    the numbers taking them one by one in that order gives, with one locked
    read and one write per cycle instead of per document (batch confirming).
    A date-ordered type refuses a date before the one numbered before it."""
    if not dates:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("numbering.take_many() must run inside atomic().")
    doc_type = get_document_type(key)
    pattern, reset = rule_for(company, key)
    numbers: list[str] = []
    for cycle, run in itertools.groupby(dates, key=lambda d: cycle_for(reset, d)):
        block = list(run)
        sequence = _locked_sequence(company, key, cycle)
        last = sequence.last_date
        for on_date in block:
            if doc_type.date_ordered and last and on_date < last:
                raise ConflictError(
                    _(
                        "%(doc)s dated %(date)s is earlier than the last numbered "
                        "one (%(last)s)."
                    )
                    % {"doc": doc_type.label, "date": on_date, "last": last}
                )
            if last is None or on_date > last:
                last = on_date
        first = sequence.next_value
        sequence.next_value = first + len(block)
        sequence.last_date = last
        sequence.save(update_fields=["next_value", "last_date"])
        numbers.extend(
            format_number(pattern, on_date, first + offset)
            for offset, on_date in enumerate(block)
        )
    return numbers
