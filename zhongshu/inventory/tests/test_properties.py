"""Properties of stock: random sequences of receipts, issues, transfers,
counts, reservations and backdated moves, under each costing method, keep on hand =
the sum of the moves, reserved ≤ on hand, every chain equal to its replay,
and stock value equal to the ledger's inventory accounts."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.refs import SourceRef
from zhongshu.core.testing import owner_of
from zhongshu.inventory import checks, counts, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import Location, StockBalance, StockMove
from zhongshu.ledger import checks as ledger_checks
from zhongshu.ledger import services as ledger
from zhongshu.ledger.models import Account

_codes = itertools.count(1)
days = st.integers(0, 60).map(
    lambda n: datetime.date(2026, 10, 1) + datetime.timedelta(n)
)
quantities = st.integers(1, 6).map(Decimal)
receipt = st.tuples(
    st.just("receive"),
    st.integers(0, 1),
    st.integers(0, 1),
    days,
    st.integers(5, 20).map(Decimal),
    st.integers(1, 5000).map(lambda c: Decimal(c) / 100),
)
operations = st.one_of(
    receipt,
    receipt,
    st.tuples(st.just("issue"), st.integers(0, 1), st.integers(0, 1), days, quantities),
    st.tuples(
        st.just("transfer"), st.integers(0, 1), st.integers(0, 1), days, quantities
    ),
    st.tuples(st.just("reserve"), st.integers(0, 1), st.integers(0, 1), quantities),
    st.tuples(
        st.just("count"),
        st.integers(0, 1),
        st.integers(0, 1),
        days,
        st.integers(0, 15).map(Decimal),
    ),
    st.tuples(st.just("release"), st.integers(0, 1), st.integers(0, 1), quantities),
)


ORDER = SourceRef("test.order", 1)


def run(company, products, warehouses, step) -> None:  # type: ignore[no-untyped-def]
    kind, p, w = step[0], products[step[1]], warehouses[step[2]]
    if kind == "receive":
        t.receive(company, step[3], p, w, str(step[4]), str(step[5]))
    elif kind == "issue":
        t.issue(company, step[3], p, w, str(step[4]))
    elif kind == "transfer":
        line = services.TransferLine(
            product=p,
            quantity=step[4],
            from_warehouse=w,
            to_warehouse=warehouses[1 - step[2]],
        )
        services.transfer(
            company=company,
            date=step[3],
            lines=[line],
            source=SourceRef("test.transfer", 1),
        )
    elif kind == "count":
        take_count(company, p, w, step[3], step[4])
    elif kind == "reserve":
        services.reserve(
            company=company, product=p, warehouse=w, quantity=step[3], source=ORDER
        )
    else:
        services.release(
            company=company, source=ORDER, product=p, warehouse=w, quantity=step[3]
        )


def take_count(company, product, warehouse, day, counted) -> None:  # type: ignore[no-untyped-def]
    """Count one product in a warehouse's default bin and post the variance."""
    boss = owner_of(company)
    count = counts.create_count(
        company=company, actor=boss, warehouse=warehouse, date=day
    )
    counts.set_counted(
        count=count,
        actor=boss,
        product=product,
        location=Location.objects.get(warehouse=warehouse, is_default=True),
        quantity=counted,
    )
    counts.zero_uncounted(count=count, actor=boss)
    counts.review_count(count=count, actor=boss)
    counts.post_count(count=count, actor=boss)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["moving_average", "fifo", "monthly_average"]),
    st.lists(operations, min_size=8, max_size=30),
)
def test_random_stock_keeps_every_invariant(method, steps):
    # Each example in its own savepoint, rolled back at the end, so one
    # example's rows never stand in another's checks (or its shrinking).
    with transaction.atomic():
        example(method, steps)
        transaction.set_rollback(True)


def example(method, steps) -> None:  # type: ignore[no-untyped-def]
    # given: two products, two warehouses kept on different inventory accounts
    company = t.stocked_company(f"PROP{next(_codes)}", method=method)
    products = [t.product(company, "A"), t.product(company, "B")]
    warehouses = [t.warehouse(company, "N"), t.warehouse(company, "S")]
    ledger.set_account_role(
        company=company,
        actor=owner_of(company),
        role="inventory",
        account=Account.objects.get(company=company, code="1403"),
        key_kind="inventory.warehouse",
        key_id=warehouses[1].pk,
    )
    # when
    for step in steps:
        # A refused step writes nothing: the checks below prove it.
        with contextlib.suppress(ValidationError, ConflictError):
            run(company, products, warehouses, step)
    # then
    for check in (
        checks.balances_match_moves,
        checks.locations_match_balances,
        checks.month_totals_match_moves,
        checks.reservations_are_covered,
        checks.chains_replay_to_their_values,
        checks.stock_value_equals_ledger,
        ledger_checks.every_voucher_balances,
        ledger_checks.trial_balance_balances,
    ):
        assert check() == [], check.__name__
    for move in StockMove.objects.filter(company=company):
        assert move.balance_quantity >= 0
    for balance in StockBalance.objects.filter(company=company):
        assert Decimal(0) <= balance.reserved <= balance.on_hand
