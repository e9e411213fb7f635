"""Deliveries (销售出库), returns (销售退货) and sales invoices (开票确认收入).

A delivery issues stock at cost through ``inventory.services.issue`` (its
cost-of-goods voucher: Dr 主营业务成本 / Cr 库存商品 — or Dr 发出商品 when the
company recognises revenue on invoicing) and, recognising revenue on
delivery, posts Dr 应收账款 / Cr 主营业务收入, 应交税费—销项税额 and opens a
receivable item. With recognition on invoicing the sales invoice posts the
receivable, revenue and VAT and moves the cost from 发出商品 to 主营业务成本.

A return restocks at the delivery's own cost (``receive`` with the value
given) and, where revenue was recognised, reverses revenue, VAT and
receivable; its credit settles the delivery's open item as far as it is
open. Events published: none."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.core import audit, documents
from zhongshu.core.bulk import update_many
from zhongshu.core.errors import ConflictError
from zhongshu.core.fields import amount_value, quantity_value, sum_amount
from zhongshu.core.models import Company
from zhongshu.core.money import round_quantity, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import Location, MoveKind, StockMove, Warehouse
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services.drafts import Accounts
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    Delivery,
    DeliveryLine,
    DocumentState,
    ItemKind,
    ReceivableItem,
    RevenueRecognition,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    SalesReturnLine,
    Settlement,
    SettlementKind,
)
from zhongshu.sales.services.common import (
    DELIVERY_KIND,
    DELIVERY_NUMBERS,
    INVOICE_KIND,
    INVOICE_NUMBERS,
    ORDER_KIND,
    RETURN_KIND,
    RETURN_NUMBERS,
    ZERO,
    VoucherDraft,
    check_warehouse,
    field_error,
    line_error,
    next_number,
    settings_of,
    user_or_none,
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryLineData:
    """``quantity`` in the order line's unit; without ``warehouse`` the
    order line's (where its stock is reserved)."""

    order_line: SalesOrderLine
    quantity: Decimal
    warehouse: Warehouse | None = None
    location: Location | None = None
    lot: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ReturnLineData:
    """``quantity`` in the product's base unit."""

    delivery_line: DeliveryLine
    quantity: Decimal
    location: Location | None = None


def _due(customer: Customer, on_date: datetime.date) -> datetime.date:
    return on_date + datetime.timedelta(days=customer.payment_terms_days)


def _open_item(**fields: Any) -> ReceivableItem:
    item = new_item(**fields)
    item.save()
    return item


def new_item(
    *,
    company: Company,
    customer: Customer,
    kind: str,
    source_id: int,
    number: str,
    date: datetime.date,
    amount: Decimal,
    account_id: int,
) -> ReceivableItem:
    """A receivable item for ``amount`` (a credit when negative), not saved."""
    return ReceivableItem(
        company=company,
        customer=customer,
        kind=kind,
        source_id=source_id,
        number=number,
        date=date,
        due_date=_due(customer, date) if amount > 0 else date,
        amount=amount,
        open_amount=amount,
        account_id=account_id,
    )


def _revenue_voucher(
    company: Company,
    accounts: Accounts,
    customer: Customer,
    *,
    summary: str,
    net: Decimal,
    tax: Decimal,
    gross: Decimal,
    sign: int = 1,
) -> VoucherDraft:
    """Dr 应收 / Cr 收入, 销项 — or the reverse for a return (``sign`` −1)."""
    draft = VoucherDraft(summary)
    receivable = accounts(Role.RECEIVABLE)
    revenue = accounts(Role.SALES_REVENUE)
    vat = accounts(Role.OUTPUT_VAT)
    if sign > 0:
        draft.add(receivable, debit=gross, customer_id=customer.pk)
        draft.add(revenue, credit=net, customer_id=customer.pk)
        draft.add(vat, credit=tax, customer_id=customer.pk)
    else:
        draft.add(revenue, debit=net, customer_id=customer.pk)
        draft.add(vat, debit=tax, customer_id=customer.pk)
        draft.add(receivable, credit=gross, customer_id=customer.pk)
    return draft


# --- deliveries ----------


def _remaining(line: SalesOrderLine) -> Decimal:
    return line.base_quantity - line.delivered_quantity


@dataclasses.dataclass(slots=True)
class _Planned:
    line: SalesOrderLine
    base: Decimal
    warehouse: Warehouse
    location: Location | None
    lot: str


def _plan(
    order: SalesOrder,
    lines: Sequence[DeliveryLineData] | None,
    order_lines: dict[int, SalesOrderLine],
) -> list[_Planned]:
    if lines is None:
        return [
            _Planned(line, _remaining(line), line.warehouse, None, "")
            for line in order_lines.values()
            if _remaining(line) > 0
        ]
    planned = []
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for index, data in enumerate(lines):
        line = order_lines.get(data.order_line.pk)
        if line is None:
            raise line_error(index, "order_line", _("the line is not on this order."))
        quantity = to_decimal(data.quantity)
        if quantity <= 0:
            raise line_error(
                index, "quantity", _("the quantity must be greater than zero.")
            )
        base = round_quantity(
            quantity * line.base_quantity / line.quantity,
            line.product.base_unit.places,
        )
        wanted[line.pk] += base
        if wanted[line.pk] > _remaining(line):
            raise line_error(
                index,
                "quantity",
                _(
                    "%(product)s: only %(left)s left to deliver on the order, "
                    "not %(wanted)s."
                )
                % {
                    "product": line.product.code,
                    "left": _plain(_remaining(line)),
                    "wanted": _plain(wanted[line.pk]),
                },
            )
        warehouse = data.warehouse or line.warehouse
        check_warehouse(order.company, warehouse, f"lines.{index}.warehouse")
        planned.append(_Planned(line, base, warehouse, data.location, data.lot))
    return planned


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


@transaction.atomic
def deliver(
    *,
    order: SalesOrder,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[DeliveryLineData] | None = None,
    memo: str = "",
) -> Delivery:
    """Deliver ``lines`` of a confirmed order (everything still open when
    ``lines`` is None), from the lines' warehouses or others. Stock comes out
    of the order's reservation; delivering from another warehouse gives the
    reservation back there and takes available stock here."""
    company = order.company
    require_writable(company)
    order = (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=order.pk)
    )
    if order.state != DocumentState.CONFIRMED:
        raise ConflictError(_("Only a confirmed order can be delivered."))
    if date < order.date:
        raise field_error("date", _("A delivery cannot be dated before its order."))
    order.company = company
    order_lines = {
        line.pk: line
        for line in order.lines.select_related(
            "product__base_unit", "warehouse", "unit"
        )
    }
    planned = _plan(order, lines, order_lines)
    if not planned:
        raise ConflictError(_("Everything on this order has been delivered."))
    settings = settings_of(company)
    on_delivery = settings.revenue_recognition == RevenueRecognition.ON_DELIVERY
    customer = order.customer
    delivery = Delivery.objects.create(
        company=company,
        number=next_number(company, DELIVERY_NUMBERS.key, date),
        order=order,
        customer=customer,
        date=date,
        recognises_revenue=on_delivery,
        memo=memo[:200],
        created_by=user_or_none(actor),
    )
    reservation = SourceRef(ORDER_KIND, order.pk)
    for item in planned:
        if item.warehouse.pk != item.line.warehouse_id:
            inventory.release(
                company=company,
                source=reservation,
                product=item.line.product,
                warehouse=item.line.warehouse,
                quantity=item.base,
            )
    posting = inventory.issue(
        company=company,
        date=date,
        lines=[
            inventory.MoveLine(
                product=item.line.product,
                warehouse=item.warehouse,
                quantity=item.base,
                location=item.location,
                lot=item.lot,
            )
            for item in planned
        ],
        counter=inventory.Counterpart(
            Role.COST_OF_SALES if on_delivery else Role.GOODS_SHIPPED
        ),
        source=SourceRef(DELIVERY_KIND, delivery.pk),
        kind=MoveKind.ISSUE,
        reservation=reservation,
        actor=actor,
        summary=_("Delivery %(number)s to %(customer)s")
        % {"number": delivery.number, "customer": customer.name},
    )
    taken = _taken_by_deliveries([item.line.pk for item in planned])
    rows = delivery_rows(company, delivery, planned, posting.moves, taken)
    update_many(
        list({item.line.pk: item.line for item in planned}.values()),
        ["delivered_quantity"],
    )
    DeliveryLine.objects.bulk_create(rows)
    delivery.save(update_fields=["net_total", "tax_total", "total", "cost_total"])
    if on_delivery:
        accounts = Accounts(company)
        draft = _revenue_voucher(
            company,
            accounts,
            customer,
            summary=_("Sales %(number)s to %(customer)s")
            % {"number": delivery.number, "customer": customer.name},
            net=delivery.net_total,
            tax=delivery.tax_total,
            gross=delivery.total,
        )
        draft.post(company, date, SourceRef(DELIVERY_KIND, delivery.pk), actor)
        _open_item(
            company=company,
            customer=customer,
            kind=ItemKind.DELIVERY,
            source_id=delivery.pk,
            number=delivery.number,
            date=date,
            amount=delivery.total,
            account_id=accounts(Role.RECEIVABLE).pk,
        )
        net_credits(company, customer, date, actor)
    if all(_remaining(line) <= 0 for line in order_lines.values()):
        documents.change_state(order, DocumentState.DONE, actor=actor)
    audit.record(company=company, actor=actor, action="create", obj=delivery)
    return delivery


def delivery_rows(
    company: Company,
    delivery: Delivery,
    planned: Sequence[_Planned],
    moves: Sequence[StockMove],
    taken: dict[int, tuple[Decimal, Decimal, Decimal]],
) -> list[DeliveryLine]:
    """Each planned line's share of its order line's amount and tax (the
    part that completes a line takes what is left), at the cost its move
    took; sets the delivery's totals. ``taken`` (amount, tax and quantity
    earlier deliveries took, per order line) moves on, and so do the order
    lines' delivered quantities: their order is locked, so they are current
    in memory."""
    rows = []
    for item, move in zip(planned, moves, strict=True):
        line = item.line
        done_amount, done_tax, done_quantity = taken[line.pk]
        amount = pricing.share(
            line.amount,
            line.base_quantity,
            item.base,
            taken_amount=done_amount,
            taken_quantity=done_quantity,
        )
        tax = pricing.share(
            line.tax_amount,
            line.base_quantity,
            item.base,
            taken_amount=done_tax,
            taken_quantity=done_quantity,
        )
        taken[line.pk] = (
            done_amount + amount,
            done_tax + tax,
            done_quantity + item.base,
        )
        rows.append(
            DeliveryLine(
                company=company,
                delivery=delivery,
                order_line=line,
                product=line.product,
                warehouse=item.warehouse,
                base_quantity=item.base,
                amount=amount,
                tax_amount=tax,
                net_amount=amount - tax,
                cost=-move.value,
            )
        )
        line.delivered_quantity += item.base
    delivery.net_total = sum((r.net_amount for r in rows), ZERO)
    delivery.tax_total = sum((r.tax_amount for r in rows), ZERO)
    delivery.total = sum((r.amount for r in rows), ZERO)
    delivery.cost_total = sum((r.cost for r in rows), ZERO)
    return rows


def _taken_by_deliveries(
    line_ids: list[int],
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    taken: dict[int, tuple[Decimal, Decimal, Decimal]] = defaultdict(
        lambda: (ZERO, ZERO, ZERO)
    )
    for row in DeliveryLine.objects.filter(order_line_id__in=line_ids).only(
        "order_line_id", "amount", "tax_amount", "base_quantity"
    ):
        amount, tax, quantity = taken[row.order_line_id]
        taken[row.order_line_id] = (
            amount + row.amount,
            tax + row.tax_amount,
            quantity + row.base_quantity,
        )
    return taken


# --- returns ----------


def _revenue_recognised(delivery: Delivery) -> bool:
    return delivery.recognises_revenue or delivery.invoice_id is not None


def _item_of(delivery: Delivery) -> ReceivableItem | None:
    if delivery.recognises_revenue:
        kind, source_id = ItemKind.DELIVERY, delivery.pk
    elif delivery.invoice_id is not None:
        kind, source_id = ItemKind.INVOICE, delivery.invoice_id
    else:
        return None
    return (
        ReceivableItem.objects.select_for_update()
        .filter(company=delivery.company, kind=kind, source_id=source_id)
        .first()
    )


@transaction.atomic
def return_goods(
    *,
    delivery: Delivery,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[ReturnLineData],
    reason: str = "",
) -> SalesReturn:
    """Take back goods of one delivery at their original cost; where revenue
    was recognised, reverse it with VAT and receivable, and let the credit
    settle the delivery's open item."""
    company = delivery.company
    require_writable(company)
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=delivery.pk)
    )
    if date < delivery.date:
        raise field_error("date", _("A return cannot be dated before its delivery."))
    if not lines:
        raise field_error("lines", _("A return needs at least one line."))
    delivery_lines = {
        row.pk: row
        for row in DeliveryLine.objects.select_for_update(of=("self",))
        .filter(delivery=delivery)
        .select_related("product", "warehouse")
    }
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    checked = []
    for index, data in enumerate(lines):
        row = delivery_lines.get(data.delivery_line.pk)
        if row is None:
            raise line_error(
                index, "delivery_line", _("the line is not on this delivery.")
            )
        quantity = to_decimal(data.quantity)
        if quantity <= 0:
            raise line_error(
                index, "quantity", _("the quantity must be greater than zero.")
            )
        wanted[row.pk] += quantity
        left = row.base_quantity - row.returned_quantity
        if wanted[row.pk] > left:
            raise line_error(
                index,
                "quantity",
                _("%(product)s: only %(left)s delivered and not yet returned.")
                % {"product": row.product.code, "left": _plain(left)},
            )
        checked.append((row, quantity, data.location))
    recognised = _revenue_recognised(delivery)
    customer = delivery.customer
    sales_return = SalesReturn.objects.create(
        company=company,
        number=next_number(company, RETURN_NUMBERS.key, date),
        delivery=delivery,
        customer=customer,
        date=date,
        reason=reason[:200],
        reverses_revenue=recognised,
        created_by=user_or_none(actor),
    )
    taken = _taken_by_returns(list(delivery_lines))
    rows = []
    for row, quantity, _location in checked:
        done_amount, done_tax, done_cost, done_quantity = taken[row.pk]
        shares = [
            pricing.share(
                whole,
                row.base_quantity,
                quantity,
                taken_amount=done,
                taken_quantity=done_quantity,
            )
            for whole, done in (
                (row.amount, done_amount),
                (row.tax_amount, done_tax),
                (row.cost, done_cost),
            )
        ]
        amount, tax, cost = shares
        taken[row.pk] = (
            done_amount + amount,
            done_tax + tax,
            done_cost + cost,
            done_quantity + quantity,
        )
        rows.append(
            SalesReturnLine(
                company=company,
                sales_return=sales_return,
                delivery_line=row,
                product=row.product,
                warehouse=row.warehouse,
                base_quantity=quantity,
                amount=amount,
                tax_amount=tax,
                net_amount=amount - tax,
                cost=cost,
            )
        )
        DeliveryLine.objects.filter(pk=row.pk).update(
            returned_quantity=F("returned_quantity") + quantity_value(quantity)
        )
        SalesOrderLine.objects.filter(pk=row.order_line_id).update(
            returned_quantity=F("returned_quantity") + quantity_value(quantity)
        )
    SalesReturnLine.objects.bulk_create(rows)
    source = SourceRef(RETURN_KIND, sales_return.pk)
    inventory.receive(
        company=company,
        date=date,
        lines=[
            inventory.MoveLine(
                product=row.product,
                warehouse=row.warehouse,
                quantity=line.base_quantity,
                location=location,
                value=line.cost,
            )
            for line, (row, _quantity, location) in zip(rows, checked, strict=True)
        ],
        counter=inventory.Counterpart(
            Role.COST_OF_SALES if recognised else Role.GOODS_SHIPPED
        ),
        source=source,
        kind=MoveKind.RETURN_IN,
        actor=actor,
        summary=_("Return %(number)s from %(customer)s")
        % {"number": sales_return.number, "customer": customer.name},
    )
    sales_return.net_total = sum((r.net_amount for r in rows), ZERO)
    sales_return.tax_total = sum((r.tax_amount for r in rows), ZERO)
    sales_return.total = sum((r.amount for r in rows), ZERO)
    sales_return.cost_total = sum((r.cost for r in rows), ZERO)
    sales_return.save(update_fields=["net_total", "tax_total", "total", "cost_total"])
    if recognised:
        accounts = Accounts(company)
        draft = _revenue_voucher(
            company,
            accounts,
            customer,
            summary=_("Sales return %(number)s from %(customer)s")
            % {"number": sales_return.number, "customer": customer.name},
            net=sales_return.net_total,
            tax=sales_return.tax_total,
            gross=sales_return.total,
            sign=-1,
        )
        draft.post(company, date, source, actor)
        credit = _open_item(
            company=company,
            customer=customer,
            kind=ItemKind.RETURN,
            source_id=sales_return.pk,
            number=sales_return.number,
            date=date,
            amount=-sales_return.total,
            account_id=accounts(Role.RECEIVABLE).pk,
        )
        original = _item_of(delivery)
        if original is not None:
            _settle_credit(original, credit, date, actor)
        net_credits(company, customer, date, actor)
    audit.record(company=company, actor=actor, action="create", obj=sales_return)
    return sales_return


def _settle_credit(
    item: ReceivableItem,
    credit: ReceivableItem,
    date: datetime.date,
    actor: User | None,
) -> Settlement | None:
    """A credit item (negative) settles a debit item of the same customer and
    account: both sides sit on one account, so no voucher is needed."""
    amount = min(item.open_amount, -credit.open_amount)
    if amount <= 0 or item.account_id != credit.account_id:
        return None
    ReceivableItem.objects.filter(pk=item.pk).update(
        open_amount=F("open_amount") - amount_value(amount)
    )
    ReceivableItem.objects.filter(pk=credit.pk).update(
        open_amount=F("open_amount") + amount_value(amount)
    )
    item.open_amount -= amount
    credit.open_amount += amount
    return Settlement.objects.create(
        company=item.company,
        customer_id=item.customer_id,
        date=date,
        kind=SettlementKind.CREDIT,
        item=item,
        credit_item=credit,
        amount=amount,
        created_by=user_or_none(actor),
    )


def net_credits(
    company: Company, customer: Customer, date: datetime.date, actor: User | None
) -> list[Settlement]:
    """Open credits of a customer (returns not yet refunded or used) settle
    their open debit items, oldest first (红蓝对冲). Both sides sit on the
    receivable account, so no voucher is needed."""
    credits = list(
        ReceivableItem.objects.select_for_update()
        .filter(company=company, customer=customer, open_amount__lt=0)
        .order_by("date", "id")
    )
    if not credits:
        return []
    debits = list(
        ReceivableItem.objects.select_for_update()
        .filter(company=company, customer=customer, open_amount__gt=0)
        .order_by("due_date", "date", "id")
    )
    settled = []
    for credit in credits:
        for item in debits:
            if credit.open_amount >= 0:
                break
            if item.open_amount <= 0:
                continue
            found = _settle_credit(item, credit, date, actor)
            if found is not None:
                settled.append(found)
    return settled


def _taken_by_returns(
    line_ids: list[int],
) -> dict[int, tuple[Decimal, Decimal, Decimal, Decimal]]:
    taken: dict[int, tuple[Decimal, Decimal, Decimal, Decimal]] = defaultdict(
        lambda: (ZERO, ZERO, ZERO, ZERO)
    )
    for row in SalesReturnLine.objects.filter(delivery_line_id__in=line_ids):
        amount, tax, cost, quantity = taken[row.delivery_line_id]
        taken[row.delivery_line_id] = (
            amount + row.amount,
            tax + row.tax_amount,
            cost + row.cost,
            quantity + row.base_quantity,
        )
    return taken


# --- invoices ----------


def check_invoiceable(delivery: Delivery, date: datetime.date) -> None:
    """A delivery made under recognition on invoicing, not yet invoiced, can
    be invoiced on or after its date."""
    if delivery.recognises_revenue:
        raise field_error(
            "deliveries",
            _("Delivery %(number)s recognised its revenue when it was made.")
            % {"number": delivery.number},
        )
    if delivery.invoice_id is not None:
        raise field_error(
            "deliveries",
            _("Delivery %(number)s is already invoiced.") % {"number": delivery.number},
        )
    if date < delivery.date:
        raise field_error(
            "date", _("An invoice cannot be dated before its deliveries.")
        )


@transaction.atomic
def invoice_deliveries(
    *,
    company: Company,
    actor: User | None,
    date: datetime.date,
    deliveries: Sequence[Delivery],
) -> SalesInvoice:
    """Recognise the revenue of deliveries made under on-invoice recognition:
    Dr 应收 / Cr 收入, 销项 for what was delivered less what came back, and
    Dr 主营业务成本 / Cr 发出商品 for its cost."""
    require_writable(company)
    if not deliveries:
        raise field_error("deliveries", _("Choose the deliveries to invoice."))
    rows = list(
        Delivery.objects.select_for_update(of=("self",))
        .filter(company=company, pk__in=[d.pk for d in deliveries])
        .select_related("customer")
        .order_by("date", "id")
    )
    if len(rows) != len({d.pk for d in deliveries}):
        raise field_error("deliveries", _("A delivery was not found."))
    customers = {row.customer_id for row in rows}
    if len(customers) > 1:
        raise field_error(
            "deliveries", _("An invoice bills the deliveries of one customer.")
        )
    for row in rows:
        check_invoiceable(row, date)
    customer = rows[0].customer
    returned = SalesReturn.objects.filter(company=company, delivery__in=rows).aggregate(
        net=sum_amount("net_total"),
        tax=sum_amount("tax_total"),
        gross=sum_amount("total"),
        cost=sum_amount("cost_total"),
    )
    net = sum((r.net_total for r in rows), ZERO) - returned["net"]
    tax = sum((r.tax_total for r in rows), ZERO) - returned["tax"]
    gross = sum((r.total for r in rows), ZERO) - returned["gross"]
    cost = sum((r.cost_total for r in rows), ZERO) - returned["cost"]
    if gross <= 0 and cost <= 0:
        raise ConflictError(_("Everything on these deliveries came back."))
    invoice = SalesInvoice.objects.create(
        company=company,
        number=next_number(company, INVOICE_NUMBERS.key, date),
        customer=customer,
        date=date,
        net_total=net,
        tax_total=tax,
        total=gross,
        cost_total=cost,
        created_by=user_or_none(actor),
    )
    Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(invoice=invoice)
    accounts = Accounts(company)
    draft = _revenue_voucher(
        company,
        accounts,
        customer,
        summary=_("Invoice %(number)s to %(customer)s")
        % {"number": invoice.number, "customer": customer.name},
        net=net,
        tax=tax,
        gross=gross,
    )
    draft.add(accounts(Role.COST_OF_SALES), debit=cost)
    draft.add(accounts(Role.GOODS_SHIPPED), credit=cost)
    draft.post(company, date, SourceRef(INVOICE_KIND, invoice.pk), actor)
    if gross > 0:
        _open_item(
            company=company,
            customer=customer,
            kind=ItemKind.INVOICE,
            source_id=invoice.pk,
            number=invoice.number,
            date=date,
            amount=gross,
            account_id=accounts(Role.RECEIVABLE).pk,
        )
        net_credits(company, customer, date, actor)
    audit.record(company=company, actor=actor, action="create", obj=invoice)
    return invoice
