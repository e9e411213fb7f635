"""Matching a subledger with its control accounts, for the consistency
checks of the modules that keep one (receivables per customer, payables per
supplier). Keys are (company id, account id, dimension value id or None
where the account keeps the total only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q

from zhongshu.core.fields import sum_amount
from zhongshu.ledger.models import (
    Account,
    OpeningBalance,
    OpeningDimensionBalance,
    VoucherLine,
    VoucherState,
)

ZERO = Decimal("0.00")
Key = tuple[int, int, int | None]


def sums(
    rows: Iterable[Mapping[str, Any]], dimension: str, account: str = "account_id"
) -> dict[Key, Decimal]:
    """Rows of ``values(company_id, <account>, <dimension>_id).annotate(total)``
    keyed."""
    result: dict[Key, Decimal] = defaultdict(Decimal)
    for row in rows:
        value = row.get(f"{dimension}_id")
        key = (
            int(str(row["company_id"])),
            int(str(row[account])),
            None if value is None else int(str(value)),
        )
        total = row["total"]
        assert isinstance(total, Decimal)  # noqa: S101  # sum_amount's output
        result[key] += total
    return result


def by_dimension(
    totals: dict[Key, Decimal], accounts: dict[int, Account], dimension: str
) -> dict[Key, Decimal]:
    """Per dimension value on accounts that track it, else one total."""
    result: dict[Key, Decimal] = defaultdict(Decimal)
    for (company_id, account_id, value_id), value in totals.items():
        account = accounts.get(account_id)
        tracked = account is not None and dimension in account.dimensions
        result[(company_id, account_id, value_id if tracked else None)] += value
    return result


def ledger_balances(
    keys: set[Key],
    accounts: dict[int, Account],
    dimension: str,
    *,
    source_prefix: str = "",
    sign: int = 1,
) -> dict[Key, Decimal]:
    """Debit − credit (times ``sign``) of the accounts named in ``keys`` per
    dimension value: posted lines and generated vouchers waiting for review,
    and the opening balances unless only documents of ``source_prefix``
    count."""
    account_ids = {key[1] for key in keys}
    result: dict[Key, Decimal] = defaultdict(Decimal)
    lines = VoucherLine.objects.filter(account_id__in=account_ids).filter(
        Q(voucher__state=VoucherState.POSTED) | Q(voucher__is_generated=True)
    )
    if source_prefix:
        lines = lines.filter(voucher__source_kind__startswith=source_prefix)
    rows = (
        lines.values("company_id", "account_id", f"{dimension}_id")
        .annotate(d=sum_amount("debit"), c=sum_amount("credit"))
        .order_by()
    )
    for row in rows:
        key = (row["company_id"], row["account_id"], row[f"{dimension}_id"])
        result[key] += (row["d"] - row["c"]) * sign
    if source_prefix:
        return result
    for opening in OpeningBalance.objects.filter(account_id__in=account_ids):
        if dimension not in accounts[opening.account_id].dimensions:
            key = (opening.company_id, opening.account_id, None)
            result[key] += (opening.debit - opening.credit) * sign
    for split in OpeningDimensionBalance.objects.filter(
        account_id__in=account_ids, dimension=dimension
    ):
        if dimension in accounts[split.account_id].dimensions:
            key = (split.company_id, split.account_id, split.value_id)
            result[key] += (split.debit - split.credit) * sign
    return result


def compare(
    label: str,
    ours: dict[Key, Decimal],
    theirs: dict[Key, Decimal],
    their_label: str,
    accounts: dict[int, Account],
    names: tuple[str, dict[int, str]],
) -> list[str]:
    """One finding per key where the two sides differ; ``names`` is the
    dimension's word and its values' codes."""
    word, codes = names
    problems = []
    for key in sorted(set(ours) | set(theirs), key=lambda k: (k[0], k[1], k[2] or 0)):
        mine, other = ours.get(key, ZERO), theirs.get(key, ZERO)
        if mine == other:
            continue
        company_id, account_id, value_id = key
        account = accounts.get(account_id)
        where = f"company {company_id} account " + (
            f"{account.code} {account.name}" if account else str(account_id)
        )
        if value_id is not None:
            where += f" {word} {codes.get(value_id, value_id)}"
        problems.append(
            f"{where}: {label} {mine:.2f} ≠ {their_label} {other:.2f} "
            f"(difference {mine - other:.2f})"
        )
    return problems
