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

from decimal import Decimal

from zhongshu.core.consistency import register
from zhongshu.core.fields import sum_amount
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import (
    Account,
    AccountRole,
    Dimension,
)
from zhongshu.ledger.selectors import subledger
from zhongshu.partners.models import Customer
from zhongshu.sales.models import Receipt, ReceivableItem, SalesSettings

ZERO = Decimal("0.00")
CUSTOMER = Dimension.CUSTOMER.value


@register("sales.receivables_match_ledger")
def receivables_match_ledger() -> list[str]:
    items = subledger.sums(
        ReceivableItem.objects.values("company_id", "account_id", "customer_id")
        .annotate(total=sum_amount("open_amount"))
        .order_by(),
        CUSTOMER,
    )
    advances = subledger.sums(
        Receipt.objects.values("company_id", "customer_id", "advance_account_id")
        .annotate(total=sum_amount("unallocated"))
        .order_by(),
        CUSTOMER,
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
    receivable = subledger.by_dimension(items, accounts, CUSTOMER)
    ledger = subledger.by_dimension(
        subledger.ledger_balances(set(receivable), accounts, CUSTOMER),
        accounts,
        CUSTOMER,
    )
    advance = subledger.by_dimension(advances, accounts, CUSTOMER)
    from_sales = subledger.by_dimension(
        subledger.ledger_balances(
            set(advance), accounts, CUSTOMER, source_prefix="sales.", sign=-1
        ),
        accounts,
        CUSTOMER,
    )
    names = ("customer", _customer_codes({*receivable, *ledger, *advance, *from_sales}))
    problems = subledger.compare(
        "receivable items", receivable, ledger, "ledger", accounts, names
    )
    problems += subledger.compare(
        "receipts' unapplied advances",
        advance,
        from_sales,
        "the advance account's balance from sales documents",
        accounts,
        names,
    )
    return problems


def _customer_codes(keys: set[subledger.Key]) -> dict[int, str]:
    ids = {key[2] for key in keys if key[2] is not None}
    return dict(Customer.objects.filter(pk__in=ids).values_list("pk", "code"))
