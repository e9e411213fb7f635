"""Settling payable items (核销): locking a supplier's open items, and a
return's credit set against the oldest of them. Payments settle through
``payments``; both write ``PaymentSettlement`` rows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import F, QuerySet

from zhongshu.core.fields import amount_value
from zhongshu.purchasing.models import (
    PayableItem,
    PaymentSettlement,
    PaymentSettlementKind,
)
from zhongshu.purchasing.services.common import user_or_none


def open_items(company_id: int, supplier_id: int) -> QuerySet[PayableItem]:
    """The supplier's open items owed (positive), oldest due first, locked."""
    return (
        PayableItem.objects.select_for_update()
        .filter(company_id=company_id, supplier_id=supplier_id, open_amount__gt=0)
        .order_by("due_date", "date", "id")
    )


def reduce_open(item: PayableItem, amount: Decimal) -> None:
    PayableItem.objects.filter(pk=item.pk).update(
        open_amount=F("open_amount") - amount_value(amount)
    )
    item.open_amount -= amount


def settle_credit(credit: PayableItem, actor: User | None) -> list[PaymentSettlement]:
    """A credit (negative item) against the supplier's oldest open items on
    the same account: no money moves and, within one account and supplier,
    no voucher is needed. What finds no item stays open for a later
    invoice."""
    rows = []
    left = -credit.open_amount
    for item in open_items(credit.company_id, credit.supplier_id).filter(
        account_id=credit.account_id
    ):
        if left <= 0:
            break
        amount = min(left, item.open_amount)
        reduce_open(item, amount)
        left -= amount
        rows.append(
            PaymentSettlement(
                company_id=credit.company_id,
                supplier_id=credit.supplier_id,
                date=credit.date,
                kind=PaymentSettlementKind.CREDIT,
                item=item,
                credit_item=credit,
                amount=amount,
                created_by=user_or_none(actor),
            )
        )
    used = -credit.open_amount - left
    if used:
        reduce_open(credit, -used)
    PaymentSettlement.objects.bulk_create(rows)
    return rows


def settle_open_credits(item: PayableItem, actor: User | None) -> None:
    """A new item first takes up open credits of its supplier (returns that
    found nothing to settle when they were made)."""
    credits = PayableItem.objects.select_for_update().filter(
        company_id=item.company_id,
        supplier_id=item.supplier_id,
        account_id=item.account_id,
        open_amount__lt=0,
    )
    for credit in credits.order_by("date", "id"):
        settle_credit(credit, actor)
