"""The zhongshu command: consistency checks, demo, bench and house rules."""

from __future__ import annotations

import ast
import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from zhongshu.core import clock, consistency, selectors, testing
from zhongshu.core.demo import DEMO_PASSWORD, RETAILER, TRADING, demo_logins
from zhongshu.core.models import Company, IdempotencyRecord, Membership, Role

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_check_prints_a_table_and_passes_on_a_sound_database(company):
    out = StringIO()
    call_command("consistency_check", stdout=out)
    assert "core.memberships" in out.getvalue()
    assert "0 failed" in out.getvalue()


@pytest.mark.django_db
def test_check_fails_with_a_non_zero_status_when_an_invariant_breaks(company):
    # given: a company that lost its owner behind the services' back
    Membership.objects.filter(company=company).delete()
    out = StringIO()
    # when
    with pytest.raises(CommandError) as error:
        call_command("consistency_check", stdout=out)
    # then
    assert error.value.returncode == 1
    assert "company ACME has no owner" in out.getvalue()


def test_a_crashing_check_counts_as_failed():
    @consistency.register("test.crashes")
    def crashes() -> list[str]:
        raise ZeroDivisionError

    try:
        result = next(r for r in consistency.run_all() if r.name == "test.crashes")
    finally:
        consistency._registry.pop("test.crashes")
    assert not result.passed


@pytest.mark.django_db
def test_demo_creates_both_companies_with_every_role_and_resets_cleanly():
    # when: twice, as `zhongshu demo` resets
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    # then
    retailer = Company.objects.get(code=RETAILER.code)
    trading = Company.objects.get(code=TRADING.code)
    assert set(
        Membership.objects.filter(company=retailer).values_list("role", flat=True)
    ) == set(Role.values)
    boss = Membership.objects.get(company=retailer, role=Role.OWNER).user
    assert boss.check_password(DEMO_PASSWORD)
    assert list(selectors.list_user_companies(boss)) == [retailer, trading]
    assert len(demo_logins()) == len(Role.values)


@pytest.mark.django_db
def test_demo_if_missing_keeps_existing_demo_data():
    call_command("demo", stdout=StringIO())
    first = Company.objects.get(code=RETAILER.code).pk
    call_command("demo", "--if-missing", stdout=StringIO())
    assert Company.objects.get(code=RETAILER.code).pk == first


def test_bench_runs_a_scenario_on_a_fresh_database_and_prints_json():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "PYTEST_VERSION"}
    }
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhongshu.cli",
            "bench",
            "numbering",
            "--param",
            "numbers=30",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["scenario"] == "numbering"
    assert report["counts"] == {"numbers": 30, "last": "BD-2026-000030"}
    assert report["consistent"] is True


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_the_layer_contracts_hold():
    completed = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "lint-imports")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_product_code_never_imports_test_helpers():
    # import-linter's forbidden contract cannot see a module importing its own
    # sibling (core.services -> core.testing), so the rule is checked here.
    offenders = []
    for path in (REPO / "zhongshu").rglob("*.py"):
        relative = path.relative_to(REPO)
        if "tests" in relative.parts or path.name in {"testing.py", "conftest.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [f"{relative}: {n}" for n in names if ".testing" in n]
    assert offenders == []


@pytest.mark.django_db
def test_old_idempotency_records_are_pruned(company):
    # given: one record two days old and one fresh
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)):
        IdempotencyRecord.objects.create(
            company=company,
            principal="user:1",
            key="old",
            fingerprint="f",
            status_code=201,
            content_type="application/json",
            body=b"{}",
        )
    with time_machine.travel(datetime.datetime(2026, 11, 3, tzinfo=datetime.UTC)):
        IdempotencyRecord.objects.create(
            company=company,
            principal="user:1",
            key="new",
            fingerprint="f",
            status_code=201,
            content_type="application/json",
            body=b"{}",
        )
        # when
        call_command("prune_idempotency_keys", stdout=StringIO())
    # then
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_an_administrator_activates_a_trial_company_from_the_command_line():
    # given: a trial that ended
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)):
        trial = testing.make_company("TRIAL", trial_days=15)
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        assert trial.is_read_only_on(clock.today())
        # when
        call_command("activate_company", "trial", stdout=StringIO())
        # then
        trial.refresh_from_db()
        assert not trial.is_read_only_on(clock.today())
    with pytest.raises(CommandError):
        call_command("activate_company", "NOPE", stdout=StringIO())
