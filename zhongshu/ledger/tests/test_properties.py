"""Properties of the books: random sequences of balanced vouchers, reversals,
unpostings and period closes keep every invariant ``zhongshu check`` proves."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from zhongshu.core.consistency import registered_checks
from zhongshu.core.errors import ConflictError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.ledger import services
from zhongshu.ledger.kernel import LineInput
from zhongshu.ledger.models import (
    AccountCategory,
    Period,
    PeriodTotal,
    PostingRecord,
    Voucher,
    VoucherLine,
    VoucherState,
)
from zhongshu.ledger.testing import accountant, company_with_books

# Leaf accounts without required dimensions, across every category.
ACCOUNTS = (
    "1001",
    "1002",
    "1122",
    "1405",
    "2202",
    "22210107",
    "3001",
    "5001",
    "5401",
    "5602",
    "5603",
)
MONTHS = (1, 2, 3, 4)
_codes = itertools.count(1)

amounts = st.integers(min_value=1, max_value=10_000_000).map(
    lambda cents: Decimal(cents) / 100
)
raw_lines = st.lists(
    st.tuples(st.sampled_from(ACCOUNTS), amounts, st.booleans()),
    min_size=1,
    max_size=5,
)
operations = st.one_of(
    st.tuples(st.just("post"), st.sampled_from(MONTHS), st.integers(1, 28), raw_lines),
    st.tuples(st.just("reverse"), st.integers(0, 50), st.sampled_from(MONTHS)),
    st.tuples(st.just("unpost"), st.integers(0, 50)),
    st.tuples(st.just("repost"), st.integers(0, 50)),
    # Closing is weighted up: it is what the other operations are tested against.
    st.tuples(st.just("close")),
    st.tuples(st.just("close")),
    st.tuples(st.just("close")),
    st.tuples(st.just("reopen")),
)


def balanced(raw: list[tuple[str, Decimal, bool]]) -> list[LineInput]:
    """The drawn lines plus one more on the last drawn account that balances them."""
    lines = [
        LineInput(
            summary="随机",
            account=code,
            debit=amount if is_debit else Decimal("0.00"),
            credit=Decimal("0.00") if is_debit else amount,
        )
        for code, amount, is_debit in raw
    ]
    difference = sum((x.debit - x.credit for x in lines), Decimal("0.00"))
    if difference > 0:
        lines.append(LineInput(summary="平衡", account=raw[-1][0], credit=difference))
    elif difference < 0:
        lines.append(LineInput(summary="平衡", account=raw[-1][0], debit=-difference))
    return lines


def snapshot(company: Company) -> tuple[object, ...]:
    return (
        Voucher.objects.filter(company=company).count(),
        VoucherLine.objects.filter(company=company).count(),
        PostingRecord.objects.filter(company=company).count(),
        list(PeriodTotal.objects.filter(company=company).order_by("id").values()),
        list(
            Period.objects.filter(company=company, is_closed=True).values_list(
                "pk", flat=True
            )
        ),
    )


class Books:
    """One company's books under random operations, with the model's
    expectation of which ones the services must refuse."""

    def __init__(self) -> None:
        self.company = company_with_books(f"PROP{next(_codes)}")
        self.user: User = accountant(self.company)
        self.periods = {
            p.number: p
            for p in Period.objects.filter(
                company=self.company, year=2026, number__in=MONTHS
            )
        }

    def is_closed(self, month: int) -> bool:
        return Period.objects.get(pk=self.periods[month].pk).is_closed

    def refused(self, action, *, expected: bool) -> None:
        """Run ``action``; when the model expects a refusal, it must raise a
        ConflictError and write nothing."""
        event("refused" if expected else "accepted")
        before = snapshot(self.company)
        if not expected:
            action()
            return
        with pytest.raises(ConflictError):
            action()
        assert snapshot(self.company) == before

    def vouchers(self, state: str, **filters: object) -> list[Voucher]:
        return list(
            Voucher.objects.filter(company=self.company, state=state, **filters)
            .select_related("period")
            .order_by("id")
        )

    def post(self, month: int, day: int, raw: list[tuple[str, Decimal, bool]]) -> None:
        self.refused(
            lambda: services.post_voucher(
                company=self.company,
                date=datetime.date(2026, month, day),
                lines=balanced(raw),
                source=SourceRef("test.random", 1),
            ),
            expected=self.is_closed(month),
        )

    def reverse(self, pick: int, month: int) -> None:
        candidates = self.vouchers(VoucherState.POSTED, reversals__isnull=True)
        if candidates:
            voucher = candidates[pick % len(candidates)]
            self.refused(
                lambda: services.reverse_voucher(
                    voucher=voucher,
                    actor=self.user,
                    date=self.periods[month].start_on,
                ),
                expected=self.is_closed(month),
            )

    def unpost(self, pick: int) -> None:
        candidates = self.vouchers(VoucherState.POSTED)
        if candidates:
            voucher = candidates[pick % len(candidates)]
            self.refused(
                lambda: services.unpost_voucher(voucher=voucher, actor=self.user),
                expected=voucher.period.is_closed,
            )

    def repost(self, pick: int) -> None:
        candidates = self.vouchers(VoucherState.REVIEWED)
        if candidates:
            voucher = candidates[pick % len(candidates)]
            services.post_reviewed_voucher(voucher=voucher, actor=self.user)

    def close(self) -> None:
        open_months = [m for m in MONTHS if not self.is_closed(m)]
        if open_months:
            period = self.periods[open_months[0]]
            waiting = (
                Voucher.objects.filter(company=self.company, period=period)
                .exclude(state=VoucherState.POSTED)
                .exists()
            )
            self.refused(
                lambda: services.close_period(
                    company=self.company, actor=self.user, period=period
                ),
                expected=waiting,
            )

    def reopen(self) -> None:
        closed_months = [m for m in MONTHS if self.is_closed(m)]
        if closed_months:
            services.reopen_period(
                company=self.company,
                actor=self.user,
                period=self.periods[closed_months[-1]],
            )

    def run(self, operation: tuple[str, ...]) -> None:
        name, *arguments = operation
        event(name)
        getattr(self, name)(*arguments)


def assert_reversals_net_to_zero(company: Company) -> None:
    for reversal in Voucher.objects.filter(company=company, reversal_of__isnull=False):
        net: dict[int, Decimal] = defaultdict(Decimal)
        for row in VoucherLine.objects.filter(
            voucher__in=[reversal.pk, reversal.reversal_of_id]
        ):
            net[row.account_id] += row.debit - row.credit
        assert set(net.values()) == {Decimal("0.00")}


def assert_closed_periods_carry_all_profit_and_loss(company: Company) -> None:
    for total in PeriodTotal.objects.filter(
        company=company,
        period__is_closed=True,
        account__category=AccountCategory.PROFIT_LOSS,
    ):
        assert total.debit == total.credit, total


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(operations, min_size=3, max_size=15))
def test_random_books_keep_every_invariant(steps):
    # given: a fresh company per example (examples share one transaction)
    books = Books()
    # when
    for step in steps:
        books.run(step)
    # then: every registered consistency check passes
    for name, check in registered_checks().items():
        if name.startswith("ledger."):
            assert check() == [], name
    assert_reversals_net_to_zero(books.company)
    assert_closed_periods_carry_all_profit_and_loss(books.company)
