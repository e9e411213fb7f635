"""Payments to suppliers (付款单) and their settlement (核销).

A payment settles the supplier's open items it names — or, without
allocations, the oldest first — with its money and the discount the
supplier granted for paying early (现金折扣, a finance income):

    Dr 应付账款 (settled)   Dr 预付账款 (prepayment)   Cr 银行存款 (paid)
                                                        Cr 财务费用 (discount)

Paying more than is open is refused unless the payment is marked a
prepayment (预付): the rest then waits on 预付账款 until ``apply_prepayment``
sets it against later invoices."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhongshu.core import audit
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.fields import amount_value
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account, Voucher
from zhongshu.ledger.services.drafts import Accounts, VoucherDraft
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import (
    PayableItem,
    Payment,
    PaymentSettlement,
    PaymentSettlementKind,
)
from zhongshu.purchasing.services.common import (
    PAYMENT_KIND,
    PAYMENT_NUMBERS,
    SETTLEMENT_KIND,
    ZERO,
    check_supplier,
    field_error,
    next_number,
    user_or_none,
)
from zhongshu.purchasing.services.settlement import open_items, reduce_open


@dataclasses.dataclass(frozen=True, slots=True)
class Allocation:
    item: PayableItem
    amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PaymentData:
    supplier: Supplier
    date: datetime.date
    amount: Decimal
    account: Account | None = None  # the bank account role when empty
    discount: Decimal = ZERO
    allocations: Sequence[Allocation] | None = None
    is_prepayment: bool = False
    memo: str = ""


def _money(field: str, value: object) -> Decimal:
    try:
        amount = to_decimal(value)  # type: ignore[arg-type]
    except (ValueError, ArithmeticError) as error:
        raise field_error(field, _("Enter an amount.")) from error
    if amount < 0 or amount != round_amount(amount):
        raise field_error(
            field, _("Enter a positive amount with at most 2 decimal places.")
        )
    return amount


def _check_account(company: Company, account: Account) -> None:
    if account.company_id != company.pk:
        raise NotFoundError(_("Account not found."))
    if not account.is_leaf or not account.is_active:
        raise field_error(
            "account",
            _("%(account)s cannot take postings (disabled or has sub-accounts).")
            % {"account": account},
        )


def _plan(company: Company, data: PaymentData, available: Decimal) -> list[Allocation]:
    """The allocations: as given (each checked against its item, locked),
    or the oldest open items first."""
    items = list(open_items(company.pk, data.supplier.pk))
    if data.allocations is None:
        plan, left = [], available
        for item in items:
            if left <= 0:
                break
            amount = min(item.open_amount, left)
            plan.append(Allocation(item, amount))
            left -= amount
        return plan
    by_id = {item.pk: item for item in items}
    plan = []
    for index, allocation in enumerate(data.allocations):
        found = by_id.get(allocation.item.pk)
        amount = _money(f"allocations.{index}.amount", allocation.amount)
        if found is None:
            raise field_error(
                f"allocations.{index}.item",
                _("The item is not open for this supplier."),
            )
        if amount > found.open_amount:
            raise field_error(
                f"allocations.{index}.amount",
                _("Only %(open)s of %(number)s is open.")
                % {"open": found.open_amount, "number": found.number},
            )
        if amount:
            plan.append(Allocation(found, amount))
    return plan


def _check_totals(
    data: PaymentData, amount: Decimal, discount: Decimal, allocated: Decimal
) -> Decimal:
    """The unallocated rest, refused unless it is a declared prepayment."""
    if amount + discount == 0:
        raise field_error("amount", _("Enter the amount paid."))
    if allocated > amount + discount:
        raise field_error(
            "allocations", _("The allocations are more than the payment.")
        )
    rest = amount + discount - allocated
    if rest and not data.is_prepayment:
        raise ValidationError(
            _(
                "%(rest)s of the payment settles nothing: the supplier's open "
                "items are %(open)s. Mark the payment a prepayment to pay in "
                "advance."
            )
            % {"rest": rest, "open": allocated},
            fields={"amount": [_("More than is open; mark it a prepayment.")]},
        )
    if rest and discount > allocated:
        raise field_error("discount", _("A discount can only settle open items."))
    return rest


@transaction.atomic
def record_payment(
    *, company: Company, actor: User | None, data: PaymentData
) -> Payment:
    require_writable(company)
    check_supplier(company, data.supplier)
    amount = _money("amount", data.amount)
    discount = _money("discount", data.discount)
    accounts = Accounts(company)
    account = data.account or accounts(Role.BANK)
    _check_account(company, account)
    plan = _plan(company, data, amount + discount)
    allocated = sum((a.amount for a in plan), ZERO)
    rest = _check_totals(data, amount, discount, allocated)
    payment = Payment.objects.create(
        company=company,
        number=next_number(company, PAYMENT_NUMBERS.key, data.date),
        supplier=data.supplier,
        date=data.date,
        account=account,
        amount=amount,
        discount=discount,
        is_prepayment=data.is_prepayment,
        unallocated=rest,
        prepayment_account=accounts(Role.PREPAYMENTS),
        memo=data.memo[:200],
        created_by=user_or_none(actor),
    )
    _settle(payment, plan, actor)
    payment.voucher = _post(payment, plan, accounts, actor)
    payment.save(update_fields=["voucher"])
    audit.record(company=company, actor=actor, action="create", obj=payment)
    return payment


def _settle(payment: Payment, plan: list[Allocation], actor: User | None) -> None:
    """Money settles the items first; the discount settles what it left of
    the last ones."""
    money = payment.amount - payment.unallocated
    rows = []
    for allocation in plan:
        by_money = min(allocation.amount, money)
        money -= by_money
        parts = [(PaymentSettlementKind.PAYMENT, by_money)]
        parts.append((PaymentSettlementKind.DISCOUNT, allocation.amount - by_money))
        for kind, amount in parts:
            if amount:
                rows.append(_row(payment, allocation.item, kind, amount, actor))
        reduce_open(allocation.item, allocation.amount)
    PaymentSettlement.objects.bulk_create(rows)


def _row(
    payment: Payment,
    item: PayableItem,
    kind: str,
    amount: Decimal,
    actor: User | None,
) -> PaymentSettlement:
    return PaymentSettlement(
        company_id=payment.company_id,
        supplier_id=payment.supplier_id,
        date=payment.date,
        kind=kind,
        item=item,
        payment=payment,
        amount=amount,
        created_by=user_or_none(actor),
    )


def _post(
    payment: Payment, plan: list[Allocation], accounts: Accounts, actor: User | None
) -> Voucher | None:
    supplier = {"supplier": payment.supplier_id}
    draft = VoucherDraft(
        _("Payment %(number)s to %(supplier)s")
        % {"number": payment.number, "supplier": payment.supplier.name}
    )
    for allocation in plan:
        draft.add(allocation.item.account, debit=allocation.amount, dimensions=supplier)
    draft.add(
        payment.prepayment_account, debit=payment.unallocated, dimensions=supplier
    )
    draft.add(payment.account, credit=payment.amount, dimensions=supplier)
    draft.add(
        accounts(Role.FINANCE_EXPENSES), credit=payment.discount, dimensions=supplier
    )
    return draft.post(
        payment.company, payment.date, SourceRef(PAYMENT_KIND, payment.pk), actor, "付"
    )


@transaction.atomic
def apply_prepayment(
    *,
    payment: Payment,
    actor: User | None,
    date: datetime.date,
    allocations: Sequence[Allocation] | None = None,
) -> list[PaymentSettlement]:
    """Set a prepayment's rest against the supplier's open items:

    Dr 应付账款   Cr 预付账款"""
    company = payment.company
    require_writable(company)
    payment = (
        Payment.objects.select_for_update()
        .select_related("supplier")
        .get(pk=payment.pk)
    )
    payment.company = company
    if payment.unallocated <= 0:
        raise ConflictError(_("Nothing of this payment is left to apply."))
    if date < payment.date:
        raise field_error("date", _("A prepayment applies on or after its date."))
    data = PaymentData(
        supplier=payment.supplier,
        date=date,
        amount=payment.unallocated,
        allocations=allocations,
    )
    plan = _plan(company, data, payment.unallocated)
    applied = sum((a.amount for a in plan), ZERO)
    if not applied:
        raise ConflictError(_("The supplier has no open items to apply it to."))
    if applied > payment.unallocated:
        raise field_error("allocations", _("The allocations are more than is left."))
    supplier = {"supplier": payment.supplier_id}
    draft = VoucherDraft(
        _("Prepayment %(number)s applied") % {"number": payment.number}
    )
    rows = []
    for allocation in plan:
        draft.add(allocation.item.account, debit=allocation.amount, dimensions=supplier)
        reduce_open(allocation.item, allocation.amount)
        kind = PaymentSettlementKind.PREPAYMENT
        row = _row(payment, allocation.item, kind, allocation.amount, actor)
        row.date = date
        rows.append(row)
    draft.add(payment.prepayment_account, credit=applied, dimensions=supplier)
    voucher = draft.post(
        company, date, SourceRef(SETTLEMENT_KIND, payment.pk), actor, "转"
    )
    for row in rows:
        row.voucher = voucher
    PaymentSettlement.objects.bulk_create(rows)
    Payment.objects.filter(pk=payment.pk).update(
        unallocated=F("unallocated") - amount_value(applied)
    )
    payment.unallocated -= applied
    audit.record(
        company=company,
        actor=actor,
        action="apply_prepayment",
        obj=payment,
        changes={"applied": applied},
    )
    return rows
