"""Purchasing's consistency check, run by ``zhongshu check``: the payables
subledger against the ledger.

- Per payable control account (应付账款 and the estimate account, which by
  default is the same 2202), the open amounts of the payable items plus the
  open estimates of goods received and not invoiced (暂估) equal the
  account's credit balance — per supplier where the account tracks
  suppliers, otherwise in total.
- Per prepayment account (预付账款), the payments' unapplied amounts equal
  the debit balance purchasing documents left on it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from zhongshu.core.consistency import register
from zhongshu.core.fields import sum_amount
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account, AccountRole, Dimension
from zhongshu.ledger.selectors import subledger
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import (
    GoodsReceiptLine,
    PayableItem,
    Payment,
    PurchaseSettings,
)

SUPPLIER = Dimension.SUPPLIER.value
ZERO = Decimal("0.00")


def _open_estimates() -> dict[subledger.Key, Decimal]:
    result: dict[subledger.Key, Decimal] = defaultdict(Decimal)
    rows = (
        GoodsReceiptLine.objects.values(
            "company_id", "receipt__estimate_account_id", "receipt__supplier_id"
        )
        .annotate(
            e=sum_amount("estimate"),
            i=sum_amount("invoiced_estimate"),
            r=sum_amount("returned_estimate"),
        )
        .order_by()
    )
    for row in rows:
        key = (
            row["company_id"],
            row["receipt__estimate_account_id"],
            row["receipt__supplier_id"],
        )
        result[key] += row["e"] - row["i"] - row["r"]
    return result


@register("purchasing.payables_match_ledger")
def payables_match_ledger() -> list[str]:
    owed = subledger.sums(
        PayableItem.objects.values("company_id", "account_id", "supplier_id")
        .annotate(total=sum_amount("open_amount"))
        .order_by(),
        SUPPLIER,
    )
    for key, value in _open_estimates().items():
        owed[key] = owed.get(key, ZERO) + value
    prepaid = subledger.sums(
        Payment.objects.values("company_id", "supplier_id", "prepayment_account_id")
        .annotate(total=sum_amount("unallocated"))
        .order_by(),
        SUPPLIER,
        account="prepayment_account_id",
    )
    for company_id, account_id in AccountRole.objects.filter(
        role__in=(Role.PAYABLE, Role.ESTIMATED_PAYABLE),
        key_kind="",
        company_id__in=PurchaseSettings.objects.values("company_id"),
    ).values_list("company_id", "account_id"):
        owed.setdefault((company_id, account_id, None), ZERO)
    accounts = {
        a.pk: a
        for a in Account.objects.filter(pk__in={k[1] for k in (*owed, *prepaid)})
    }
    payable = subledger.by_dimension(owed, accounts, SUPPLIER)
    ledger = subledger.by_dimension(
        subledger.ledger_balances(set(payable), accounts, SUPPLIER, sign=-1),
        accounts,
        SUPPLIER,
    )
    prepayments = subledger.by_dimension(prepaid, accounts, SUPPLIER)
    from_purchasing = subledger.by_dimension(
        subledger.ledger_balances(
            set(prepayments), accounts, SUPPLIER, source_prefix="purchasing."
        ),
        accounts,
        SUPPLIER,
    )
    keys = {*payable, *ledger, *prepayments, *from_purchasing}
    ids = {key[2] for key in keys if key[2] is not None}
    names = (
        "supplier",
        dict(Supplier.objects.filter(pk__in=ids).values_list("pk", "code")),
    )
    problems = subledger.compare(
        "payable items and open estimates", payable, ledger, "ledger", accounts, names
    )
    problems += subledger.compare(
        "payments' unapplied prepayments",
        prepayments,
        from_purchasing,
        "the prepayment account's balance from purchasing documents",
        accounts,
        names,
    )
    return problems
