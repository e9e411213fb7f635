"""Numbering under real concurrency: 8 writers × 50 numbers, no gaps, no repeats."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections, transaction

from zhongshu.core import numbering

WRITERS = 8
PER_WRITER = 50
EXPECTED = [f"SO-2026-{n:06d}" for n in range(1, WRITERS * PER_WRITER + 1)]


@pytest.mark.django_db(transaction=True)
def test_threads_on_postgresql_get_gapless_distinct_numbers(company):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks are exercised on PostgreSQL; SQLite uses processes below."
        )
    # given
    numbering.declare("test.order", "Test order", default_pattern="SO-{year}-{seq:06d}")
    taken: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(PER_WRITER):
                with transaction.atomic():
                    taken.append(
                        numbering.take(
                            company=company,
                            key="test.order",
                            on_date=datetime.date(2026, 5, 1),
                        )
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    # when
    try:
        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        numbering._registry.pop("test.order")
    # then
    assert errors == []
    assert sorted(taken) == EXPECTED


def test_processes_on_sqlite_get_gapless_distinct_numbers(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite race runs in the SQLite pass of the suite.")
    # given: a real database file shared by eight processes
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'race.sqlite3'}")
    env.pop("PYTEST_VERSION", None)
    worker = [sys.executable, "-m", "zhongshu.core.tests.numbering_worker"]
    subprocess.run([*worker, "prepare", "0"], env=env, check=True)  # noqa: S603
    # when
    processes = [
        subprocess.Popen(  # noqa: S603
            [*worker, "allocate", str(PER_WRITER)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    # then
    assert [p.returncode for p in processes] == [0] * WRITERS
    taken = [number for output in outputs for number in json.loads(output)]
    assert sorted(taken) == EXPECTED
