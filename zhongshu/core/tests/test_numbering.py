"""Gapless numbering: patterns, cycles, rollback, date order and configuration."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from zhongshu.core import numbering, selectors, services
from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.models import NumberSequence, SequenceReset

ORDER = "test.order"
VOUCHER = "test.voucher"


@pytest.fixture(autouse=True)
def document_types():
    declared = [
        numbering.declare(ORDER, "Test order", default_pattern="SO-{year}-{seq:06d}"),
        numbering.declare(
            VOUCHER,
            "Test voucher",
            default_pattern="记-{year}{month}-{seq:04d}",
            default_reset=SequenceReset.MONTHLY,
            date_ordered=True,
        ),
    ]
    yield declared
    for doc_type in declared:
        numbering._registry.pop(doc_type.key)


def take(company, key=ORDER, on=datetime.date(2026, 3, 5)):
    with transaction.atomic():
        return numbering.take(company=company, key=key, on_date=on)


def test_numbers_follow_the_default_pattern_consecutively(company):
    # when
    numbers = [take(company) for _ in range(3)]
    # then
    assert numbers == ["SO-2026-000001", "SO-2026-000002", "SO-2026-000003"]


def test_each_company_and_year_has_its_own_sequence(company, other_company):
    # given
    take(company)
    take(company)
    # when / then
    assert take(other_company) == "SO-2026-000001"
    assert take(company, on=datetime.date(2027, 1, 2)) == "SO-2027-000001"
    assert take(company, on=datetime.date(2026, 12, 31)) == "SO-2026-000003"


def test_monthly_cycle_restarts_each_month(company):
    assert take(company, VOUCHER, datetime.date(2026, 3, 1)) == "记-202603-0001"
    assert take(company, VOUCHER, datetime.date(2026, 3, 2)) == "记-202603-0002"
    assert take(company, VOUCHER, datetime.date(2026, 4, 1)) == "记-202604-0001"


def test_a_rolled_back_transaction_returns_its_number(company):
    # given
    take(company)
    # when
    lost = None
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        lost = numbering.take(
            company=company, key=ORDER, on_date=datetime.date(2026, 3, 5)
        )
        raise RuntimeError("confirming failed")
    # then
    assert lost == "SO-2026-000002"
    assert take(company) == "SO-2026-000002"


def test_date_ordered_documents_refuse_an_earlier_date(company):
    # given
    take(company, VOUCHER, datetime.date(2026, 3, 20))
    # when / then
    with pytest.raises(ConflictError):
        take(company, VOUCHER, datetime.date(2026, 3, 19))
    assert take(company, VOUCHER, datetime.date(2026, 3, 20)) == "记-202603-0002"


@pytest.mark.django_db(transaction=True)
def test_take_outside_a_transaction_is_a_bug(company):
    with pytest.raises(RuntimeError):
        numbering.take(company=company, key=ORDER, on_date=datetime.date(2026, 3, 5))


def test_unknown_document_type_is_refused(company):
    with pytest.raises(ValidationError):
        take(company, "nope.document")


def test_a_company_configures_its_own_pattern(company, owner):
    # given
    take(company)
    # when
    services.set_numbering_rule(
        company=company,
        actor=owner,
        key=ORDER,
        pattern="XS{year}{seq:05d}",
        reset=SequenceReset.YEARLY,
    )
    # then: the sequence continues; only the shape changes
    assert take(company) == "XS202600002"
    row = next(
        r
        for r in selectors.numbering_overview(company, datetime.date(2026, 3, 5))
        if r.key == ORDER
    )
    assert row.next_number == "XS202600003"


@pytest.mark.parametrize(
    ("pattern", "reset"),
    [
        ("SO-{year}", SequenceReset.YEARLY),
        ("SO-{seq:06d}", SequenceReset.YEARLY),
        ("SO-{year}-{seq:04d}", SequenceReset.MONTHLY),
        ("SO-{week}-{seq}", SequenceReset.NEVER),
        ("SO-{year}-{seq:06d}-" + "X" * 40, SequenceReset.YEARLY),
    ],
)
def test_patterns_that_would_repeat_or_break_are_refused(
    company, owner, pattern, reset
):
    with pytest.raises(ValidationError) as error:
        services.set_numbering_rule(
            company=company, actor=owner, key=ORDER, pattern=pattern, reset=reset
        )
    assert "pattern" in error.value.fields
    assert take(company) == "SO-2026-000001"


def test_numbering_overview_costs_two_queries(company, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = selectors.numbering_overview(company, datetime.date(2026, 3, 5))
    assert {r.key: r.next_number for r in rows}[ORDER] == "SO-2026-000001"


def test_sequences_are_stored_per_cycle(company):
    take(company)
    take(company, on=datetime.date(2027, 2, 1))
    cycles = sorted(
        NumberSequence.objects.filter(company=company, key=ORDER).values_list(
            "cycle", "next_value"
        )
    )
    assert cycles == [("2026", 2), ("2027", 2)]


def test_a_block_of_numbers_is_consecutive_and_the_sequence_moves_past_it(company):
    # when
    with transaction.atomic():
        block = numbering.allocate(
            company=company, key=ORDER, on_date=datetime.date(2026, 3, 5), count=5
        )
    # then: 1 to 5 are the block's; the next single number is 6
    assert (block.value, block.number) == (1, "SO-2026-000001")
    assert take(company) == "SO-2026-000006"


def test_take_many_gives_the_numbers_one_by_one_taking_gives(company, other_company):
    # given: the same dates across a month boundary, in two companies
    dates = [datetime.date(2026, 3, 30), datetime.date(2026, 3, 31)] + [
        datetime.date(2026, 4, 1)
    ] * 2
    # when
    singly = [take(other_company, VOUCHER, on) for on in dates]
    with transaction.atomic():
        batch = numbering.take_many(company=company, key=VOUCHER, dates=dates)
    # then
    assert (
        batch
        == singly
        == [
            "记-202603-0001",
            "记-202603-0002",
            "记-202604-0001",
            "记-202604-0002",
        ]
    )
    assert take(company, VOUCHER, datetime.date(2026, 4, 2)) == "记-202604-0003"


def test_take_many_refuses_an_earlier_date_of_a_date_ordered_type(company):
    # given
    take(company, VOUCHER, datetime.date(2026, 3, 20))
    # when / then: nothing is taken
    with pytest.raises(ConflictError), transaction.atomic():
        numbering.take_many(
            company=company,
            key=VOUCHER,
            dates=[datetime.date(2026, 3, 21), datetime.date(2026, 3, 19)],
        )
    assert take(company, VOUCHER, datetime.date(2026, 3, 21)) == "记-202603-0002"
