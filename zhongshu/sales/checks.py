"""Sales' consistency checks, run by ``zhongshu check``.

The receivables subledger against the ledger:

- per receivable control account (应收账款, the account each open item was
  posted to), the open amounts of the items equal the account's balance in
  the ledger — opening balance, posted lines and generated vouchers still
  waiting for review — per customer where the account tracks the customer
  dimension, otherwise in total;
- per advance account (预收账款), the receipts' unapplied amounts equal the
  credit balance that sales documents (vouchers whose source is a
  ``sales.*`` document) left on it — other postings to 预收 (an opening
  balance, advances of other kinds) are not the receipts' business.

An item or receipt edited behind the services' back, or a posting to 应收
made by hand, shows up here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q

from zhongshu.core.consistency import register
from zhongshu.core.fields import sum_amount
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    Dimension,
    OpeningBalance,
    OpeningDimensionBalance,
    VoucherLine,
    VoucherState,
)
from zhongshu.partners.models import Customer
from zhongshu.sales.models import Receipt, ReceivableItem, SalesSettings

ZERO = Decimal("0.00")
# (company id, account id, customer id or None when kept in total)
Key = tuple[int, int, int | None]


@register("sales.receivables_match_ledger")
def receivables_match_ledger() -> list[str]:
    items = _sums(
        ReceivableItem.objects.values("company_id", "account_id", "customer_id")
        .annotate(total=sum_amount("open_amount"))
        .order_by()
    )
    advances = _sums(
        Receipt.objects.values("company_id", "customer_id", "advance_account_id")
        .annotate(total=sum_amount("unallocated"))
        .order_by(),
        account="advance_account_id",
    )
    # The receivable account of every company that sells counts even while
    # it has no items: an opening balance or a hand posting shows up there.
    for company_id, account_id in AccountRole.objects.filter(
        role=Role.RECEIVABLE,
        key_kind="",
        company_id__in=SalesSettings.objects.values("company_id"),
    ).values_list("company_id", "account_id"):
        items.setdefault((company_id, account_id, None), ZERO)
    accounts = {
        a.pk: a
        for a in Account.objects.filter(pk__in={key[1] for key in (*items, *advances)})
    }
    receivable = _by_dimension(items, accounts)
    ledger = _by_dimension(_ledger_balances(set(receivable), accounts), accounts)
    advance = _by_dimension(advances, accounts)
    from_sales = _by_dimension(
        _ledger_balances(set(advance), accounts, sales_only=True, sign=-1), accounts
    )
    names = _customer_codes({*receivable, *ledger, *advance, *from_sales})
    problems = _compare(
        "receivable items", receivable, ledger, "ledger", accounts, names
    )
    problems += _compare(
        "receipts' unapplied advances",
        advance,
        from_sales,
        "the advance account's balance from sales documents",
        accounts,
        names,
    )
    return problems


def _sums(
    rows: Iterable[Mapping[str, Any]], account: str = "account_id"
) -> dict[Key, Decimal]:
    result: dict[Key, Decimal] = defaultdict(Decimal)
    for row in rows:
        key = (int(str(row["company_id"])), int(str(row[account])), _id(row))
        total = row["total"]
        assert isinstance(total, Decimal)  # noqa: S101  # sum_amount's output
        result[key] += total
    return result


def _id(row: Mapping[str, Any]) -> int | None:
    value = row.get("customer_id")
    return None if value is None else int(str(value))


def _tracks_customers(account: Account) -> bool:
    return Dimension.CUSTOMER in account.dimensions


def _by_dimension(
    sums: dict[Key, Decimal], accounts: dict[int, Account]
) -> dict[Key, Decimal]:
    """Per customer on accounts that track customers, else one total."""
    result: dict[Key, Decimal] = defaultdict(Decimal)
    for (company_id, account_id, customer_id), value in sums.items():
        account = accounts.get(account_id)
        per_customer = account is not None and _tracks_customers(account)
        result[(company_id, account_id, customer_id if per_customer else None)] += value
    return result


def _ledger_balances(
    keys: set[Key],
    accounts: dict[int, Account],
    *,
    sales_only: bool = False,
    sign: int = 1,
) -> dict[Key, Decimal]:
    """Debit − credit (times ``sign``) of the accounts named in ``keys``,
    per customer: posted lines and generated vouchers waiting for review,
    and the opening balances unless only sales documents count."""
    account_ids = {key[1] for key in keys}
    result: dict[Key, Decimal] = defaultdict(Decimal)
    lines = VoucherLine.objects.filter(account_id__in=account_ids).filter(
        Q(voucher__state=VoucherState.POSTED) | Q(voucher__is_generated=True)
    )
    if sales_only:
        lines = lines.filter(voucher__source_kind__startswith="sales.")
    rows = (
        lines.values("company_id", "account_id", "customer_id")
        .annotate(d=sum_amount("debit"), c=sum_amount("credit"))
        .order_by()
    )
    for row in rows:
        key = (row["company_id"], row["account_id"], row["customer_id"])
        result[key] += (row["d"] - row["c"]) * sign
    if sales_only:
        return result
    for opening in OpeningBalance.objects.filter(account_id__in=account_ids):
        account = accounts[opening.account_id]
        if not _tracks_customers(account):
            key = (opening.company_id, opening.account_id, None)
            result[key] += (opening.debit - opening.credit) * sign
    for split in OpeningDimensionBalance.objects.filter(
        account_id__in=account_ids, dimension=Dimension.CUSTOMER
    ):
        if _tracks_customers(accounts[split.account_id]):
            key = (split.company_id, split.account_id, split.value_id)
            result[key] += (split.debit - split.credit) * sign
    return result


def _customer_codes(keys: set[Key]) -> dict[int, str]:
    ids = {key[2] for key in keys if key[2] is not None}
    return dict(Customer.objects.filter(pk__in=ids).values_list("pk", "code"))


def _compare(
    label: str,
    ours: dict[Key, Decimal],
    theirs: dict[Key, Decimal],
    their_label: str,
    accounts: dict[int, Account],
    names: dict[int, str],
) -> list[str]:
    problems = []
    for key in sorted(set(ours) | set(theirs), key=lambda k: (k[0], k[1], k[2] or 0)):
        mine, other = ours.get(key, ZERO), theirs.get(key, ZERO)
        if mine == other:
            continue
        company_id, account_id, customer_id = key
        account = accounts.get(account_id)
        where = f"company {company_id} account " + (
            f"{account.code} {account.name}" if account else str(account_id)
        )
        if customer_id is not None:
            where += f" customer {names.get(customer_id, customer_id)}"
        problems.append(
            f"{where}: {label} {mine:.2f} ≠ {their_label} {other:.2f} "
            f"(difference {mine - other:.2f})"
        )
    return problems
