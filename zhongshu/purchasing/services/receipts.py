"""Goods receipts (采购入库) and purchase returns (采购退货).

A receipt brings stock in at the order price — net of VAT for a general
taxpayer, VAT included for a small-scale one — and posts it against the
estimated payable (暂估应付, the supplier's dimension):

    Dr 库存商品 (estimate)    Cr 应付账款—暂估 (estimate)

until the supplier's invoice is matched (``invoices``). Up to the company's
over-receipt tolerance more than ordered may come in.

A return sends goods of one receipt back at the cost they are carried at.
What was not yet invoiced comes off the estimate; what was invoiced is owed
back by the supplier (a red-letter invoice): a credit on the payables with
its input VAT, settled against the supplier's oldest open items."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.core import audit, documents
from zhongshu.core.errors import ConflictError
from zhongshu.core.fields import amount_value, quantity_value
from zhongshu.core.money import round_amount, round_quantity, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import Location, MoveKind
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account
from zhongshu.ledger.services.drafts import Accounts, VoucherDraft
from zhongshu.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    OrderState,
    PayableItem,
    PayableKind,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReturn,
    PurchaseReturnLine,
)
from zhongshu.purchasing.services import settlement
from zhongshu.purchasing.services.common import (
    RECEIPT_KIND,
    RECEIPT_NUMBERS,
    RETURN_KIND,
    RETURN_NUMBERS,
    ZERO,
    field_error,
    input_vat_deductible,
    line_error,
    next_number,
    plain,
    settings_of,
    user_or_none,
)

HUNDRED = Decimal("100")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptLineData:
    """What arrived of one order line, in the product's base unit."""

    order_line: PurchaseOrderLine
    quantity: Decimal
    location: Location | None = None
    lot: str = ""
    expiry_date: datetime.date | None = None


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ReturnLineData:
    receipt_line: GoodsReceiptLine
    quantity: Decimal


def cost_basis(line: PurchaseOrderLine, deductible: bool) -> Decimal:
    """What the whole order line costs the stock: net, or everything for a
    company that cannot deduct input VAT."""
    return line.net_amount if deductible else line.amount


def estimate_of(
    line: PurchaseOrderLine,
    quantity: Decimal,
    taken: tuple[Decimal, Decimal],
    deductible: bool,
) -> Decimal:
    """The order-price value of ``quantity`` more of ``line`` after earlier
    receipts took ``taken`` (quantity, estimate): shares of the line's
    amount, the share completing the line takes the remainder, and beyond
    the ordered quantity the unit price."""
    whole = cost_basis(line, deductible)
    taken_quantity, taken_amount = taken
    within = max(min(quantity, line.base_quantity - taken_quantity), ZERO)
    value = ZERO
    if within > 0:
        value = pricing.share(
            whole,
            line.base_quantity,
            within,
            taken_amount=taken_amount,
            taken_quantity=taken_quantity,
        )
    beyond = quantity - within
    if beyond > 0:
        value += round_amount(whole * beyond / line.base_quantity)
    return value


def _taken(order: PurchaseOrder) -> dict[int, tuple[Decimal, Decimal]]:
    """Per order line: what earlier receipts brought in, and at what value."""
    taken: dict[int, tuple[Decimal, Decimal]] = {}
    for row in GoodsReceiptLine.objects.filter(order_line__order=order).only(
        "order_line_id", "base_quantity", "estimate"
    ):
        quantity, amount = taken.get(row.order_line_id, (ZERO, ZERO))
        taken[row.order_line_id] = (quantity + row.base_quantity, amount + row.estimate)
    return taken


def _open_lines(order: PurchaseOrder) -> list[ReceiptLineData]:
    return [
        ReceiptLineData(
            order_line=line, quantity=line.base_quantity - line.received_quantity
        )
        for line in order.lines.all()
        if line.base_quantity > line.received_quantity
    ]


def _check_receipt_lines(
    order: PurchaseOrder, lines: Sequence[ReceiptLineData], tolerance: Decimal
) -> list[tuple[ReceiptLineData, Decimal]]:
    if not lines:
        raise field_error("lines", _("Nothing is left to receive on this order."))
    checked = []
    seen: dict[int, Decimal] = {}
    for index, data in enumerate(lines):
        line = data.order_line
        if line.order_id != order.pk:
            raise line_error(index, "order_line", _("the line is not on this order."))
        quantity = round_quantity(to_decimal(data.quantity))
        if quantity <= 0:
            raise line_error(
                index, "quantity", _("the quantity must be greater than zero.")
            )
        seen[line.pk] = seen.get(line.pk, ZERO) + quantity
        limit = round_quantity(line.base_quantity * (1 + tolerance / HUNDRED))
        if line.received_quantity + seen[line.pk] > limit:
            raise line_error(
                index,
                "quantity",
                _(
                    "%(product)s: %(wanted)s more would receive beyond the ordered "
                    "%(ordered)s and its tolerance (at most %(open)s more)."
                )
                % {
                    "product": line.product.code,
                    "wanted": plain(seen[line.pk]),
                    "ordered": plain(line.base_quantity),
                    "open": plain(max(limit - line.received_quantity, ZERO)),
                },
            )
        checked.append((data, quantity))
    return checked


def _locked_order(order: PurchaseOrder) -> PurchaseOrder:
    company = order.company
    order = (
        PurchaseOrder.objects.select_for_update()
        .select_related("supplier")
        .get(pk=order.pk)
    )
    order.company = company
    return order


@transaction.atomic
def receive_goods(
    *,
    order: PurchaseOrder,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[ReceiptLineData] | None = None,
    memo: str = "",
) -> GoodsReceipt:
    """Goods in against a confirmed order: ``lines`` (each order line's
    quantity in base units), or everything still open when not given."""
    company = order.company
    require_writable(company)
    order = _locked_order(order)
    if order.state != OrderState.CONFIRMED:
        raise ConflictError(_("Only a confirmed purchase order can be received."))
    order_lines = {
        line.pk: line for line in order.lines.select_related("product", "warehouse")
    }
    lines = (
        _open_lines(order)
        if lines is None
        else [
            dataclasses.replace(
                data, order_line=order_lines.get(data.order_line.pk, data.order_line)
            )
            for data in lines
        ]
    )
    settings = settings_of(company)
    checked = _check_receipt_lines(order, lines, settings.over_receipt_tolerance)
    deductible = input_vat_deductible(company)
    accounts = Accounts(company)
    estimate_account = accounts(Role.ESTIMATED_PAYABLE)
    receipt = GoodsReceipt.objects.create(
        company=company,
        number=next_number(company, RECEIPT_NUMBERS.key, date),
        order=order,
        supplier=order.supplier,
        date=date,
        estimate_account=estimate_account,
        memo=memo[:200],
        created_by=user_or_none(actor),
    )
    estimates = []
    taken = _taken(order)
    for data, quantity in checked:
        line = data.order_line
        before = taken.get(line.pk, (ZERO, ZERO))
        estimate = estimate_of(line, quantity, before, deductible)
        estimates.append(estimate)
        taken[line.pk] = (before[0] + quantity, before[1] + estimate)
    received = {
        data.order_line.pk: sum(
            (q for d, q in checked if d.order_line.pk == data.order_line.pk), ZERO
        )
        for data, _q in checked
    }
    posting = inventory.receive(
        company=company,
        date=date,
        lines=[
            inventory.MoveLine(
                product=data.order_line.product,
                warehouse=data.order_line.warehouse,
                quantity=quantity,
                location=data.location,
                lot=data.lot,
                expiry_date=data.expiry_date,
                value=estimate,
            )
            for (data, quantity), estimate in zip(checked, estimates, strict=True)
        ],
        counter=inventory.Counterpart(
            estimate_account, {"supplier": order.supplier_id}
        ),
        source=SourceRef(RECEIPT_KIND, receipt.pk),
        kind=MoveKind.RECEIPT,
        actor=actor,
        summary=_("Goods receipt %(number)s, %(supplier)s (estimated)")
        % {"number": receipt.number, "supplier": order.supplier.name},
    )
    GoodsReceiptLine.objects.bulk_create(
        [
            GoodsReceiptLine(
                company=company,
                receipt=receipt,
                order_line=data.order_line,
                product=data.order_line.product,
                warehouse=data.order_line.warehouse,
                move=move,
                base_quantity=quantity,
                estimate=estimate,
            )
            for (data, quantity), estimate, move in zip(
                checked, estimates, posting.moves, strict=True
            )
        ]
    )
    for line_id, quantity in received.items():
        PurchaseOrderLine.objects.filter(pk=line_id).update(
            received_quantity=F("received_quantity") + quantity_value(quantity)
        )
    receipt.value_total = sum(estimates, ZERO)
    receipt.voucher = posting.voucher
    receipt.save(update_fields=["value_total", "voucher"])
    audit.record(company=company, actor=actor, action="create", obj=receipt)
    _close_when_complete(order, actor)
    return receipt


def _close_when_complete(order: PurchaseOrder, actor: User | None) -> None:
    """An order whose every line came in in full is done."""
    lines = list(order.lines.all())
    if all(line.received_quantity >= line.base_quantity for line in lines):
        documents.change_state(order, OrderState.DONE, actor=actor)


# --- returns ----------


@dataclasses.dataclass(slots=True)
class _ReturnPart:
    line: GoodsReceiptLine
    quantity: Decimal
    estimated_quantity: Decimal
    estimate: Decimal
    value: Decimal
    credit_net: Decimal
    credit_tax: Decimal


def _returned_value(line: GoodsReceiptLine, quantity: Decimal) -> Decimal:
    """The receipt line's current cost of ``quantity`` (earlier returns took
    theirs; the return emptying the line takes the remainder)."""
    earlier = list(line.return_lines.all())
    return pricing.share(
        line.move.value,
        line.base_quantity,
        quantity,
        taken_amount=sum((row.value for row in earlier), ZERO),
        taken_quantity=sum((row.base_quantity for row in earlier), ZERO),
    )


def _plan_return(index: int, data: ReturnLineData, deductible: bool) -> _ReturnPart:
    line = data.receipt_line
    quantity = round_quantity(to_decimal(data.quantity))
    if quantity <= 0:
        raise line_error(
            index, "quantity", _("the quantity must be greater than zero.")
        )
    left = line.base_quantity - line.returned_quantity
    if quantity > left:
        raise line_error(
            index,
            "quantity",
            _("%(product)s: only %(left)s of this receipt can still be returned.")
            % {"product": line.product.code, "left": plain(left)},
        )
    estimated = min(quantity, line.open_quantity)
    estimate = (
        pricing.share(
            line.estimate,
            line.base_quantity,
            estimated,
            taken_amount=line.invoiced_estimate + line.returned_estimate,
            taken_quantity=line.invoiced_quantity + line.returned_quantity,
        )
        if estimated
        else ZERO
    )
    value = _returned_value(line, quantity)
    invoiced_value = value - estimate
    rate = line.order_line.tax_rate
    credit_tax = (
        round_amount(invoiced_value * rate)
        if deductible and quantity > estimated
        else ZERO
    )
    return _ReturnPart(
        line=line,
        quantity=quantity,
        estimated_quantity=estimated,
        estimate=estimate,
        value=value,
        credit_net=invoiced_value if quantity > estimated else ZERO,
        credit_tax=credit_tax,
    )


@transaction.atomic
def return_goods(
    *,
    receipt: GoodsReceipt,
    actor: User | None,
    date: datetime.date,
    lines: Sequence[ReturnLineData],
    reason: str = "",
) -> PurchaseReturn:
    company = receipt.company
    require_writable(company)
    receipt = (
        GoodsReceipt.objects.select_for_update()
        .select_related("supplier", "estimate_account")
        .get(pk=receipt.pk)
    )
    receipt.company = company
    if not lines:
        raise field_error("lines", _("Add at least one line."))
    if date < receipt.date:
        raise field_error("date", _("Goods cannot go back before they came in."))
    ids = [data.receipt_line.pk for data in lines]
    rows = {
        row.pk: row
        for row in GoodsReceiptLine.objects.select_for_update()
        .filter(receipt=receipt, pk__in=ids)
        .select_related("product", "warehouse", "move", "order_line")
    }
    deductible = input_vat_deductible(company)
    parts = []
    for index, data in enumerate(lines):
        row = rows.get(data.receipt_line.pk)
        if row is None:
            raise line_error(
                index, "receipt_line", _("the line is not on this receipt.")
            )
        parts.append(
            _plan_return(
                index,
                ReturnLineData(receipt_line=row, quantity=data.quantity),
                deductible,
            )
        )
    document = PurchaseReturn.objects.create(
        company=company,
        number=next_number(company, RETURN_NUMBERS.key, date),
        receipt=receipt,
        supplier=receipt.supplier,
        date=date,
        reason=reason[:200],
        value_total=sum((p.value for p in parts), ZERO),
        credit_total=sum((p.credit_net + p.credit_tax for p in parts), ZERO),
        created_by=user_or_none(actor),
    )
    source = SourceRef(RETURN_KIND, document.pk)
    inventory.issue(
        company=company,
        date=date,
        lines=[
            inventory.MoveLine(
                product=p.line.product,
                warehouse=p.line.warehouse,
                quantity=p.quantity,
                location=p.line.move.location,
                lot=p.line.move.lot.number if p.line.move.lot else "",
                value=p.value,
            )
            for p in parts
        ],
        counter=inventory.Counterpart(
            receipt.estimate_account, {"supplier": receipt.supplier_id}
        ),
        source=source,
        kind=MoveKind.RETURN_OUT,
        actor=actor,
        summary=_("Purchase return %(number)s") % {"number": document.number},
    )
    _write_return_lines(document, parts)
    if document.credit_total:
        _post_credit(document, parts, receipt.estimate_account, actor)
    audit.record(company=company, actor=actor, action="create", obj=document)
    return document


def _write_return_lines(document: PurchaseReturn, parts: list[_ReturnPart]) -> None:
    PurchaseReturnLine.objects.bulk_create(
        [
            PurchaseReturnLine(
                company=document.company,
                purchase_return=document,
                receipt_line=p.line,
                product=p.line.product,
                warehouse=p.line.warehouse,
                base_quantity=p.quantity,
                estimated_quantity=p.estimated_quantity,
                value=p.value,
                credit_net=p.credit_net,
                credit_tax=p.credit_tax,
            )
            for p in parts
        ]
    )
    # A returned quantity that had been invoiced leaves "invoiced": the
    # supplier credits it, so it is neither open nor billed any more.
    for p in parts:
        billed = quantity_value(p.quantity - p.estimated_quantity)
        GoodsReceiptLine.objects.filter(pk=p.line.pk).update(
            returned_quantity=F("returned_quantity") + quantity_value(p.quantity),
            returned_estimate=F("returned_estimate") + amount_value(p.estimate),
            invoiced_quantity=F("invoiced_quantity") - billed,
        )
        PurchaseOrderLine.objects.filter(pk=p.line.order_line_id).update(
            returned_quantity=F("returned_quantity") + quantity_value(p.quantity),
            invoiced_quantity=F("invoiced_quantity") - billed,
        )


def _post_credit(
    document: PurchaseReturn,
    parts: list[_ReturnPart],
    estimate_account: Account,
    actor: User | None,
) -> None:
    """The invoiced part: the supplier owes it back with its VAT. The
    inventory voucher debited the estimate account with its cost; this
    moves it to the payable:

        Dr 应付账款 (credit)   Cr 应付账款—暂估 (cost)   Cr 进项税额 (VAT)"""
    company = document.company
    accounts = Accounts(company)
    payable = accounts(Role.PAYABLE)
    supplier = {"supplier": document.supplier_id}
    draft = VoucherDraft(
        _("Purchase return %(number)s, credit from %(supplier)s")
        % {"number": document.number, "supplier": document.supplier.name}
    )
    net = sum((p.credit_net for p in parts), ZERO)
    tax = sum((p.credit_tax for p in parts), ZERO)
    draft.add(payable, debit=net + tax, dimensions=supplier)
    draft.add(estimate_account, credit=net, dimensions=supplier)
    if tax:
        draft.add(accounts(Role.INPUT_VAT), credit=tax, dimensions=supplier)
    draft.post(company, document.date, SourceRef(RETURN_KIND, document.pk), actor, "转")
    credit = PayableItem.objects.create(
        company=company,
        supplier=document.supplier,
        kind=PayableKind.RETURN,
        source_id=document.pk,
        number=document.number,
        date=document.date,
        due_date=document.date,
        amount=-(net + tax),
        open_amount=-(net + tax),
        account=payable,
    )
    settlement.settle_credit(credit, actor)
