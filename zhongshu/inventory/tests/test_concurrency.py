"""Stock under real concurrency: 20 buyers race for the last 10 units.

Exactly 10 reservations (and, separately, 10 issues) succeed; nothing goes
negative; the chains and the ledger stay consistent. PostgreSQL with threads
(row locks and conditional updates), SQLite with processes on a shared file
(serialized writes)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from zhongshu.core.errors import ConflictError, ValidationError
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import checks, services
from zhongshu.inventory import testing as t
from zhongshu.inventory.models import Reservation, StockBalance, StockMove

BUYERS = 20


def race(work: Callable[[int], None]) -> tuple[int, list[BaseException]]:
    """Run ``work(i)`` in BUYERS threads released at once; count successes."""
    barrier = threading.Barrier(BUYERS)
    won: list[int] = []
    errors: list[BaseException] = []

    def buyer(index: int) -> None:
        try:
            barrier.wait()
            work(index)
            won.append(index)
        except (ConflictError, ValidationError):
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(won), errors


def assert_consistent() -> None:
    for check in (
        checks.balances_match_moves,
        checks.locations_match_balances,
        checks.reservations_are_covered,
        checks.chains_replay_to_their_values,
        checks.stock_value_equals_ledger,
    ):
        assert check() == [], check.__name__


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_on_postgresql_reserve_exactly_the_last_ten() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Threads race on PostgreSQL; SQLite races with processes below.")
    company = t.stocked_company("RACE")
    item, where = t.product(company, "LAST"), t.warehouse(company)
    t.receive(company, datetime.date(2026, 11, 2), item, where, "10", "10.00")

    def reserve(index: int) -> None:
        services.reserve(
            company=company,
            product=item,
            warehouse=where,
            quantity=Decimal(1),
            source=SourceRef("test.order", index),
        )

    won, errors = race(reserve)
    assert errors == []
    assert won == 10
    balance = StockBalance.objects.get(company=company, product=item)
    assert (balance.on_hand, balance.reserved) == (Decimal(10), Decimal(10))
    assert Reservation.objects.filter(company=company, quantity=1).count() == 10
    assert_consistent()


@pytest.mark.django_db(transaction=True)
def test_twenty_issues_and_receipts_of_one_sku_on_postgresql_leave_no_stale_cost() -> (
    None
):
    if connection.vendor != "postgresql":
        pytest.skip("Threads race on PostgreSQL; SQLite races with processes below.")
    company = t.stocked_company("RACE")
    item, where = t.product(company, "LAST"), t.warehouse(company)
    t.receive(company, datetime.date(2026, 11, 2), item, where, "10", "10.00")

    def move(index: int) -> None:
        # Even buyers take one unit; odd ones receive one at a new price,
        # some of them backdated before earlier issues.
        day = datetime.date(2026, 11, 3 + index % 5)
        if index % 2:
            t.receive(
                company, day, item, where, "1", f"{10 + index}.00", source_id=index
            )
        else:
            t.issue(company, day, item, where, "1", source_id=index)

    won, errors = race(move)
    assert errors == []
    assert won == BUYERS  # 10 on hand always covers the 10 issues
    balance = StockBalance.objects.get(company=company, product=item)
    assert balance.on_hand == Decimal(10)
    assert StockMove.objects.filter(company=company).count() == 21
    assert_consistent()


def test_twenty_processes_on_sqlite_reserve_and_issue_exactly_ten(tmp_path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite race runs in the SQLite pass of the suite.")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    env.pop("PYTEST_VERSION", None)
    worker = [sys.executable, "-m", "zhongshu.inventory.tests.stock_worker"]
    subprocess.run([*worker, "prepare"], env=env, check=True)  # noqa: S603
    for action in ("reserve", "issue"):
        processes = [
            subprocess.Popen(  # noqa: S603
                [*worker, action], env=env, stdout=subprocess.PIPE, text=True
            )
            for _ in range(BUYERS)
        ]
        outputs = [json.loads(p.communicate(timeout=300)[0]) for p in processes]
        assert [p.returncode for p in processes] == [0] * BUYERS
        assert sum(output["got"] for output in outputs) == 10, action
    check = subprocess.run(
        [sys.executable, "-m", "zhongshu.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
