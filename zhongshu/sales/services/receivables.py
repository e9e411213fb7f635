"""Receipts (收款单) and settlement (核销).

A receipt posts Dr 银行存款/库存现金 (less any bank charge, which goes to
the bank charges account) and credits 应收账款 for what it settles at once
and 预收账款 for the rest — an advance, applied later by ``apply_advance``
(Dr 预收 / Cr 应收). A small difference left on an item is written off to the
small differences account (Dr 财务费用 / Cr 应收). Every settlement can be
undone while its period is open: the reverse is posted, the items reopen.

Allocation is automatic — oldest due date first — unless the cashier names
the items. ``record_receipts`` records a batch of automatically allocated
receipts in one pass, with the result recording them one by one gives.
Events published: none."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zhongshu.core import audit, clock, numbering
from zhongshu.core.bulk import insert_many, update_many
from zhongshu.core.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    naming_item,
)
from zhongshu.core.fields import amount_value
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account, OpeningDimensionBalance, Period
from zhongshu.ledger.services import books_of, period_for, reverse_voucher
from zhongshu.ledger.services.bulk import VoucherEntry, post_vouchers
from zhongshu.ledger.services.drafts import Accounts
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    ItemKind,
    PaymentMethod,
    Receipt,
    ReceivableItem,
    Settlement,
    SettlementKind,
)
from zhongshu.sales.services.common import (
    RECEIPT_KIND,
    RECEIPT_NUMBERS,
    SETTLEMENT_KIND,
    ZERO,
    VoucherDraft,
    check_customer,
    field_error,
    next_number,
    settings_of,
    user_or_none,
)

RECEIPT_LABEL = pgettext_lazy("money from a customer", "Receipt")


@dataclasses.dataclass(frozen=True, slots=True)
class Allocation:
    item: ReceivableItem
    amount: Decimal


def _locked_open_items(
    company: Company, customer: Customer, ids: Sequence[int] | None = None
) -> list[ReceivableItem]:
    if ids is None:
        rows = ReceivableItem.objects.filter(
            company=company, customer=customer, open_amount__gt=0
        )
    else:
        rows = ReceivableItem.objects.filter(company=company, pk__in=ids)
    return list(_oldest_first(rows))


def _oldest_first(
    rows: QuerySet[ReceivableItem],
) -> QuerySet[ReceivableItem]:
    """Open items locked, in the order automatic allocation settles them; the
    account comes along (the receipt's voucher credits it) without locking."""
    return (
        rows.select_for_update(of=("self",))
        .select_related("account")
        .order_by("due_date", "date", "id")
    )


def _allocation_error(index: int, field: str, message: str) -> ValidationError:
    text = _("Allocation %(n)d: %(message)s") % {"n": index + 1, "message": message}
    return ValidationError(text, fields={f"allocations.{index}.{field}": [message]})


def _plan_allocations(
    company: Company,
    customer: Customer,
    available: Decimal,
    allocations: Sequence[Allocation] | None,
) -> list[tuple[ReceivableItem, Decimal]]:
    """What to settle: the named items and amounts (each within its open
    amount, together within ``available``), or the oldest items first."""
    if allocations is None:
        return _automatic_plan(_locked_open_items(company, customer), available)
    items = {
        item.pk: item
        for item in _locked_open_items(
            company, customer, [a.item.pk for a in allocations]
        )
    }
    plan = []
    wanted: dict[int, Decimal] = {}
    for index, allocation in enumerate(allocations):
        found = items.get(allocation.item.pk)
        if found is None or found.customer_id != customer.pk:
            raise _allocation_error(
                index, "item", _("the item is not an open item of this customer.")
            )
        item = found
        amount = round_amount(allocation.amount)
        if amount <= 0:
            raise _allocation_error(
                index, "amount", _("the amount must be greater than zero.")
            )
        wanted[item.pk] = wanted.get(item.pk, ZERO) + amount
        if wanted[item.pk] > item.open_amount:
            raise _allocation_error(
                index,
                "amount",
                _("%(number)s has only %(open)s open; %(amount)s cannot be settled.")
                % {
                    "number": item.number,
                    "open": f"{item.open_amount:.2f}",
                    "amount": f"{wanted[item.pk]:.2f}",
                },
            )
        plan.append((item, amount))
    allocated = sum((amount for _item, amount in plan), ZERO)
    if allocated > available:
        raise field_error(
            "allocations",
            _("%(allocated)s allocated, but only %(available)s is available.")
            % {"allocated": f"{allocated:.2f}", "available": f"{available:.2f}"},
        )
    return plan


def _automatic_plan(
    items: Sequence[ReceivableItem], available: Decimal
) -> list[tuple[ReceivableItem, Decimal]]:
    """``available`` spread over ``items`` in their order, each up to what is
    open on it (items already settled in full are passed over)."""
    plan = []
    left = available
    for item in items:
        if left <= 0:
            break
        if item.open_amount <= 0:
            continue
        amount = min(left, item.open_amount)
        plan.append((item, amount))
        left -= amount
    return plan


def _settlements(
    plan: list[tuple[ReceivableItem, Decimal]],
    *,
    receipt: Receipt,
    date: datetime.date,
    actor: User | None,
) -> list[Settlement]:
    """The settlement rows of ``plan``, not yet saved."""
    return [
        Settlement(
            company=receipt.company,
            customer_id=receipt.customer_id,
            date=date,
            kind=SettlementKind.RECEIPT,
            item=item,
            receipt=receipt,
            amount=amount,
            created_by=user_or_none(actor),
        )
        for item, amount in plan
    ]


def _settle(
    plan: list[tuple[ReceivableItem, Decimal]],
    *,
    receipt: Receipt,
    date: datetime.date,
    actor: User | None,
) -> list[Settlement]:
    for item, amount in plan:
        ReceivableItem.objects.filter(pk=item.pk).update(
            open_amount=F("open_amount") - amount_value(amount)
        )
        item.open_amount -= amount
    return Settlement.objects.bulk_create(
        _settlements(plan, receipt=receipt, date=date, actor=actor)
    )


def account_for_method(
    company: Company, method: str, accounts: Accounts | None = None
) -> Account:
    """Cash into 库存现金; everything else (transfer, card, WeChat, Alipay —
    settled to the company's bank account) into 银行存款."""
    accounts = accounts or Accounts(company)
    return accounts(Role.CASH if method == PaymentMethod.CASH else Role.BANK)


def _check_money_account(company: Company, account: Account) -> None:
    if account.company_id != company.pk:
        raise NotFoundError(_("Account not found."))
    if not account.is_leaf or not account.is_active:
        raise field_error(
            "account",
            _("%(account)s cannot take postings (disabled or has sub-accounts).")
            % {"account": account},
        )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptData:
    """One receipt of a batch: what ``record_receipt`` takes (automatic
    allocation only), less the company and the actor."""

    customer: Customer
    date: datetime.date
    amount: Decimal
    method: str = PaymentMethod.BANK_TRANSFER
    account: Account | None = None
    bank_charge: Decimal = ZERO
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    """A receipt that passed validation: amounts rounded, money account found."""

    data: ReceiptData
    amount: Decimal
    charge: Decimal
    account: Account


def _checked(company: Company, accounts: Accounts, data: ReceiptData) -> _Checked:
    check_customer(company, data.customer)
    amount = round_amount(to_decimal(data.amount))
    charge = round_amount(to_decimal(data.bank_charge))
    if amount <= 0:
        raise field_error("amount", _("The amount must be greater than zero."))
    if charge < 0 or charge >= amount:
        raise field_error(
            "bank_charge", _("The bank charge must be at least 0 and below the amount.")
        )
    if data.method not in PaymentMethod.values:
        raise field_error("method", _("Unknown payment method."))
    money_account = data.account or account_for_method(company, data.method, accounts)
    _check_money_account(company, money_account)
    return _Checked(data, amount, charge, money_account)


def _new_receipt(
    company: Company,
    checked: _Checked,
    *,
    number: str,
    plan: list[tuple[ReceivableItem, Decimal]],
    advance_account: Account,
    actor: User | None,
) -> Receipt:
    """The receipt row (not yet saved); what ``plan`` does not settle is an
    advance."""
    data = checked.data
    return Receipt(
        company=company,
        number=number,
        customer=data.customer,
        date=data.date,
        account=checked.account,
        method=data.method,
        amount=checked.amount,
        bank_charge=checked.charge,
        unallocated=checked.amount - sum((a for _item, a in plan), ZERO),
        advance_account=advance_account,
        memo=data.memo[:200],
        created_by=user_or_none(actor),
    )


def _receipt_draft(
    receipt: Receipt,
    plan: list[tuple[ReceivableItem, Decimal]],
    charge_account: Account | None,
) -> VoucherDraft:
    """Dr money (less the bank charge), Dr bank charges / Cr 应收 per item
    settled, Cr 预收 for the advance. ``charge_account`` is needed only when
    the receipt has a bank charge."""
    draft = VoucherDraft(
        _("Receipt %(number)s from %(customer)s")
        % {"number": receipt.number, "customer": receipt.customer.name}
    )
    draft.add(receipt.account, debit=receipt.amount - receipt.bank_charge)
    if charge_account is not None:
        draft.add(charge_account, debit=receipt.bank_charge)
    for item, part in plan:
        draft.add(item.account, credit=part, customer_id=receipt.customer_id)
    draft.add(
        receipt.advance_account,
        credit=receipt.unallocated,
        customer_id=receipt.customer_id,
    )
    return draft


@transaction.atomic
def record_receipt(
    *,
    company: Company,
    actor: User | None,
    customer: Customer,
    date: datetime.date,
    amount: Decimal,
    method: str = PaymentMethod.BANK_TRANSFER,
    account: Account | None = None,
    bank_charge: Decimal = ZERO,
    allocations: Sequence[Allocation] | None = None,
    memo: str = "",
) -> Receipt:
    """Money from ``customer``: settles the named items (or the oldest open
    ones), the rest is an advance. ``amount`` is what the customer paid; the
    bank keeps ``bank_charge`` of it."""
    require_writable(company)
    accounts = Accounts(company)
    checked = _checked(
        company,
        accounts,
        ReceiptData(
            customer=customer,
            date=date,
            amount=amount,
            method=method,
            account=account,
            bank_charge=bank_charge,
            memo=memo,
        ),
    )
    # One cashier at a time per customer: the open items are read and
    # settled under the customer's lock.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    plan = _plan_allocations(company, customer, checked.amount, allocations)
    receipt = _new_receipt(
        company,
        checked,
        number=next_number(company, RECEIPT_NUMBERS.key, date),
        plan=plan,
        advance_account=accounts(Role.ADVANCE_RECEIPTS),
        actor=actor,
    )
    receipt.save(force_insert=True)
    _settle(plan, receipt=receipt, date=date, actor=actor)
    charge_account = _charge_account(company, accounts) if checked.charge else None
    _receipt_draft(receipt, plan, charge_account).post(
        company, date, SourceRef(RECEIPT_KIND, receipt.pk), actor
    )
    audit.record(company=company, actor=actor, action="create", obj=receipt)
    return receipt


def _checked_batch(
    company: Company, accounts: Accounts, receipts: Sequence[ReceiptData]
) -> list[_Checked]:
    checked = []
    for index, data in enumerate(receipts):
        with naming_item("receipts", index, RECEIPT_LABEL):
            checked.append(_checked(company, accounts, data))
    return checked


def _allocate_in_order(
    company: Company, batch: list[_Checked]
) -> list[list[tuple[ReceivableItem, Decimal]]]:
    """Each receipt's automatic plan, in batch order, over the open items of
    all the batch's customers read (and locked) at once: a later receipt of a
    customer sees what the earlier ones left open. The customers are locked
    first, in id order, as ``record_receipt`` locks its one."""
    customer_ids = sorted({c.data.customer.pk for c in batch})
    list(
        Customer.objects.select_for_update()
        .filter(pk__in=customer_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    open_items: dict[int, list[ReceivableItem]] = {pk: [] for pk in customer_ids}
    rows = ReceivableItem.objects.filter(
        company=company, customer_id__in=customer_ids, open_amount__gt=0
    )
    for item in _oldest_first(rows):
        open_items[item.customer_id].append(item)
    plans = []
    for checked in batch:
        plan = _automatic_plan(open_items[checked.data.customer.pk], checked.amount)
        for item, amount in plan:
            item.open_amount -= amount
        plans.append(plan)
    return plans


@transaction.atomic
def record_receipts(
    *, company: Company, actor: User | None, receipts: Sequence[ReceiptData]
) -> list[Receipt]:
    """``record_receipt`` (automatic allocation) for each of ``receipts`` in
    order — the same numbers, settlements, vouchers and audit entries — all
    or none, with a few statements per batch instead of some per receipt.
    Every receipt is validated before anything is written; an error names
    the receipt (fields keyed ``receipts.<index>.…``)."""
    require_writable(company)
    accounts = Accounts(company)
    batch = _checked_batch(company, accounts, receipts)
    if not batch:
        return []
    plans = _allocate_in_order(company, batch)
    numbers = numbering.take_many(
        company=company,
        key=RECEIPT_NUMBERS.key,
        dates=[c.data.date for c in batch],
    )
    advance_account = accounts(Role.ADVANCE_RECEIPTS)
    rows = insert_many(
        [
            _new_receipt(
                company,
                c,
                number=n,
                plan=p,
                advance_account=advance_account,
                actor=actor,
            )
            for c, n, p in zip(batch, numbers, plans, strict=True)
        ]
    )
    _write_settlements(rows, plans, actor)
    charge_account = (
        _charge_account(company, accounts) if any(c.charge for c in batch) else None
    )
    post_vouchers(
        company=company,
        entries=[
            VoucherEntry(
                date=receipt.date,
                lines=_receipt_draft(receipt, plan, charge_account).lines(),
                source=SourceRef(RECEIPT_KIND, receipt.pk),
            )
            for receipt, plan in zip(rows, plans, strict=True)
        ],
        actor=actor,
    )
    audit.record_many(company=company, actor=actor, action="create", objects=rows)
    return rows


def _write_settlements(
    receipts: list[Receipt],
    plans: list[list[tuple[ReceivableItem, Decimal]]],
    actor: User | None,
) -> None:
    """The open amounts the plans left (already in memory), and the
    settlements, in receipt order."""
    touched = {item.pk: item for plan in plans for item, _amount in plan}
    update_many(list(touched.values()), ["open_amount"])
    insert_many(
        [
            settlement
            for receipt, plan in zip(receipts, plans, strict=True)
            for settlement in _settlements(
                plan, receipt=receipt, date=receipt.date, actor=actor
            )
        ]
    )


def _charge_account(company: Company, accounts: Accounts) -> Account:
    settings = settings_of(company)
    return settings.bank_charge_account or accounts(Role.FINANCE_EXPENSES)


def _difference_account(company: Company, accounts: Accounts) -> Account:
    settings = settings_of(company)
    return settings.difference_account or accounts(Role.FINANCE_EXPENSES)


@transaction.atomic
def apply_advance(
    *,
    receipt: Receipt,
    actor: User | None,
    date: datetime.date,
    allocations: Sequence[Allocation] | None = None,
) -> list[Settlement]:
    """Apply what is left of a receipt (an advance) to open items:
    Dr 预收账款 / Cr 应收账款, one voucher per item settled."""
    company = receipt.company
    require_writable(company)
    receipt = (
        Receipt.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=receipt.pk)
    )
    if receipt.unallocated <= 0:
        raise ConflictError(_("Nothing of this receipt is left to apply."))
    if date < receipt.date:
        raise field_error("date", _("An advance is applied on or after its receipt."))
    plan = _plan_allocations(
        company, receipt.customer, receipt.unallocated, allocations
    )
    if not plan:
        raise ConflictError(_("The customer has no open items to settle."))
    settlements = _settle(plan, receipt=receipt, date=date, actor=actor)
    applied = sum((s.amount for s in settlements), ZERO)
    Receipt.objects.filter(pk=receipt.pk).update(
        unallocated=F("unallocated") - amount_value(applied)
    )
    receipt.unallocated -= applied
    for settlement in settlements:
        draft = VoucherDraft(
            _("Advance %(receipt)s applied to %(item)s")
            % {"receipt": receipt.number, "item": settlement.item.number}
        )
        draft.add(
            receipt.advance_account,
            debit=settlement.amount,
            customer_id=receipt.customer_id,
        )
        draft.add(
            settlement.item.account,
            credit=settlement.amount,
            customer_id=receipt.customer_id,
        )
        settlement.voucher = draft.post(
            company, date, SourceRef(SETTLEMENT_KIND, settlement.pk), actor
        )
        settlement.save(update_fields=["voucher"])
    audit.record(
        company=company,
        actor=actor,
        action="apply_advance",
        obj=receipt,
        changes={"applied": str(applied)},
    )
    return settlements


@transaction.atomic
def write_off_difference(
    *,
    item: ReceivableItem,
    actor: User | None,
    date: datetime.date,
    amount: Decimal | None = None,
) -> Settlement:
    """Write off a small difference left open on ``item`` (all of what is
    open by default), within the company's tolerance."""
    company = item.company
    require_writable(company)
    item = ReceivableItem.objects.select_for_update().get(pk=item.pk)
    amount = round_amount(
        to_decimal(amount if amount is not None else item.open_amount)
    )
    if amount <= 0:
        raise field_error("amount", _("The amount must be greater than zero."))
    if amount > item.open_amount:
        raise field_error(
            "amount",
            _("%(number)s has only %(open)s open.")
            % {"number": item.number, "open": f"{item.open_amount:.2f}"},
        )
    tolerance = settings_of(company).write_off_tolerance
    if amount > tolerance:
        raise field_error(
            "amount",
            _("Only differences up to %(tolerance)s are written off.")
            % {"tolerance": f"{tolerance:.2f}"},
        )
    ReceivableItem.objects.filter(pk=item.pk).update(
        open_amount=F("open_amount") - amount_value(amount)
    )
    item.open_amount -= amount
    settlement = Settlement.objects.create(
        company=company,
        customer_id=item.customer_id,
        date=date,
        kind=SettlementKind.DIFFERENCE,
        item=item,
        amount=amount,
        created_by=user_or_none(actor),
    )
    accounts = Accounts(company)
    draft = VoucherDraft(
        _("Small difference written off on %(item)s") % {"item": item.number}
    )
    draft.add(_difference_account(company, accounts), debit=amount)
    draft.add(item.account, credit=amount, customer_id=item.customer_id)
    settlement.voucher = draft.post(
        company, date, SourceRef(SETTLEMENT_KIND, settlement.pk), actor
    )
    settlement.save(update_fields=["voucher"])
    audit.record(company=company, actor=actor, action="create", obj=settlement)
    return settlement


def _period_open(company: Company, day: datetime.date) -> bool:
    period: Period = period_for(company, day)
    return not period.is_closed


@transaction.atomic
def undo_settlement(*, settlement: Settlement, actor: User | None) -> Settlement:
    """Undo a write-off while its period is open: the item reopens, the
    receipt's part becomes an advance again (or the credit reopens), and
    the reverse is posted."""
    company = settlement.company
    require_writable(company)
    settlement = (
        Settlement.objects.select_for_update(of=("self",))
        .select_related("item", "receipt", "voucher")
        .get(pk=settlement.pk)
    )
    if settlement.undone_at is not None:
        raise ConflictError(_("This settlement has already been undone."))
    if not _period_open(company, settlement.date):
        raise ConflictError(
            _("The period of this settlement is closed; it can no longer be undone.")
        )
    item = settlement.item
    amount = settlement.amount
    ReceivableItem.objects.filter(pk=item.pk).update(
        open_amount=F("open_amount") + amount_value(amount)
    )
    today = max(clock.today(), settlement.date)
    if not _period_open(company, today):
        today = settlement.date
    if settlement.kind == SettlementKind.CREDIT:
        ReceivableItem.objects.filter(pk=settlement.credit_item_id or 0).update(
            open_amount=F("open_amount") - amount_value(amount)
        )
    elif settlement.voucher is not None:
        settlement.undo_voucher = reverse_voucher(
            voucher=settlement.voucher, actor=actor, date=today
        )
        if settlement.receipt_id is not None:
            Receipt.objects.filter(pk=settlement.receipt_id).update(
                unallocated=F("unallocated") + amount_value(amount)
            )
    else:
        # Settled on the receipt's own voucher: the money becomes an advance.
        receipt = settlement.receipt
        if receipt is None:
            raise ConflictError(_("This settlement has nothing to undo."))
        draft = VoucherDraft(
            _("Settlement of %(item)s by %(receipt)s undone")
            % {"item": item.number, "receipt": receipt.number}
        )
        draft.add(item.account, debit=amount, customer_id=item.customer_id)
        draft.add(receipt.advance_account, credit=amount, customer_id=item.customer_id)
        settlement.undo_voucher = draft.post(
            company, today, SourceRef(SETTLEMENT_KIND, settlement.pk), actor
        )
        Receipt.objects.filter(pk=receipt.pk).update(
            unallocated=F("unallocated") + amount_value(amount)
        )
    settlement.undone_at = clock.now()
    settlement.undone_by = user_or_none(actor)
    settlement.save(update_fields=["undone_at", "undone_by", "undo_voucher"])
    audit.record(company=company, actor=actor, action="undo", obj=settlement)
    return settlement


@transaction.atomic
def take_opening_receivables(
    *, company: Company, actor: User | None
) -> list[ReceivableItem]:
    """期初应收: each customer's share of the receivable account's opening
    balance (辅助核算期初, set in the ledger) becomes an open item dated the
    day before the books start, due at once — so receipts can settle what
    customers owed before the first period, and the subledger agrees with
    the ledger from the start. Idempotent: customers that have their opening
    item already are left alone, except that an untouched item follows a
    changed opening figure."""
    require_writable(company)
    account = Accounts(company)(Role.RECEIVABLE)
    if "customer" not in account.dimensions:
        raise ConflictError(
            _(
                "%(account)s does not track customers, so its opening balance "
                "cannot be split into customers' items."
            )
            % {"account": account}
        )
    books = books_of(company)
    start = (
        Period.objects.filter(
            company=company, year=books.first_year, number=books.first_period
        )
        .values_list("start_on", flat=True)
        .first()
    )
    if start is None:
        raise ConflictError(_("The books have no first period yet."))
    day = start - datetime.timedelta(days=1)
    shares = {
        split.value_id: split.debit - split.credit
        for split in OpeningDimensionBalance.objects.filter(
            company=company, account=account, dimension="customer"
        )
    }
    customers = {
        c.pk: c for c in Customer.objects.filter(company=company, pk__in=shares)
    }
    existing = {
        item.source_id: item
        for item in ReceivableItem.objects.select_for_update().filter(
            company=company, kind=ItemKind.OPENING
        )
    }
    touched = []
    for customer_id, amount in sorted(shares.items()):
        customer = customers.get(customer_id)
        if customer is None:
            continue
        item = existing.get(customer_id)
        if item is None:
            if amount == 0:
                continue
            item = ReceivableItem.objects.create(
                company=company,
                customer=customer,
                kind=ItemKind.OPENING,
                source_id=customer_id,
                number=_("Opening"),
                date=day,
                due_date=day,
                amount=amount,
                open_amount=amount,
                account=account,
            )
            touched.append(item)
        elif item.amount != amount and item.open_amount == item.amount:
            item.amount = item.open_amount = amount
            item.save(update_fields=["amount", "open_amount"])
            touched.append(item)
    audit.record(
        company=company,
        actor=actor,
        action="opening_receivables",
        obj=company,
        changes={"items": len(touched)},
    )
    return touched
