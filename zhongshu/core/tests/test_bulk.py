"""Writing many rows at once stores what saving them one by one stores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhongshu.core import audit
from zhongshu.core.bulk import insert_many, update_many
from zhongshu.core.models import AuditEntry, Company
from zhongshu.core.tests.fieldsapp.models import MoneyRow

pytestmark = pytest.mark.django_db


def test_insert_many_sets_keys_and_stores_exact_values(
    company, django_assert_num_queries
):
    # given
    rows = [
        MoneyRow(
            company=company,
            label=f"r{n}",
            amount=Decimal("12345678.91") * n,
            price=Decimal("0.000001"),
            quantity=Decimal("-2.5"),
            discount=None if n % 2 else Decimal("0.01"),
        )
        for n in range(1, 4)
    ]
    # when: one statement
    with django_assert_num_queries(1):
        insert_many(rows)
    # then
    stored = {row.pk: row for row in MoneyRow.objects.filter(company=company)}
    assert sorted(stored) == [row.pk for row in rows]
    for row in rows:
        assert not row._state.adding
        saved = stored[row.pk]
        assert (saved.label, saved.amount, saved.price, saved.quantity) == (
            row.label,
            row.amount,
            Decimal("0.000001"),
            Decimal("-2.5000"),
        )
        assert saved.discount == row.discount


def test_insert_many_runs_pre_save_like_save(company, owner):
    # given: AuditEntry.at is auto_now_add
    entry = AuditEntry(company=company, actor=owner, action="x", object_kind="k")
    # when
    insert_many([entry])
    # then
    assert entry.at is not None
    assert AuditEntry.objects.get(pk=entry.pk).at == entry.at


def test_insert_many_refuses_an_unsaved_related_row():
    row = MoneyRow(company=Company(code="NEW", name="new"), label="x")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_many([row])
    assert not MoneyRow.objects.exists()


def test_insert_many_refuses_a_value_finer_than_its_field(company):
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        insert_many([MoneyRow(company=company, amount=Decimal("1.005"))])
    assert not MoneyRow.objects.exists()


def test_update_many_saves_only_the_fields_named(company):
    # given
    rows = insert_many([MoneyRow(company=company, label=f"r{n}") for n in range(3)])
    for row in rows:
        row.amount = Decimal("9.99")
        row.label = "changed"
    # when
    update_many(rows, ["amount"])
    # then
    assert set(
        MoneyRow.objects.filter(company=company).values_list("label", "amount")
    ) == {("r0", Decimal("9.99")), ("r1", Decimal("9.99")), ("r2", Decimal("9.99"))}


def test_record_many_writes_one_entry_per_object(company, owner):
    rows = insert_many([MoneyRow(company=company, label=f"r{n}") for n in range(2)])
    audit.record_many(company=company, actor=owner, action="create", objects=rows)
    assert sorted(
        AuditEntry.objects.filter(object_kind="core_fieldsapp.moneyrow").values_list(
            "object_id", "action", "actor"
        )
    ) == sorted((str(row.pk), "create", owner.pk) for row in rows)
