"""Supplier invoices (采购发票) and the 3-way match.

Each invoice line names the order line it bills. It is matched against the
order (price within ``price_tolerance`` percent) and against what was
received and not yet invoiced (quantity at most ``quantity_tolerance``
percent beyond it). A matched invoice posts at once; otherwise it waits in
the exceptions list with each line's reason until goods arrive (``rematch``),
a buyer accepts the price (``resolve``) or cancels it. Nothing is ever
posted for more than was received.

Posting reverses the estimate of the received goods it pays for (暂估冲回)
and records the real payable with its input VAT:

    Dr 应付账款—暂估 (invoice value)   Dr 进项税额 (VAT)   Cr 应付账款 (total)

and where the invoice value differs from the estimate, the receipt is
revalued by inventory (``revalue_receipt``): the difference goes to stock
for what is still on hand and to cost of sales for what was already issued,
against the estimate account — so the estimate clears exactly. A
small-scale taxpayer's invoice value includes the VAT, and no VAT is
posted."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.core import audit, documents
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.fields import quantity_value
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, round_quantity, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account
from zhongshu.ledger.services.drafts import Accounts, VoucherDraft
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import (
    GoodsReceiptLine,
    InvoiceMatch,
    InvoiceState,
    OrderState,
    PayableItem,
    PayableKind,
    PurchaseOrderLine,
    PurchaseSettings,
    SupplierInvoice,
    SupplierInvoiceLine,
)
from zhongshu.purchasing.services import settlement
from zhongshu.purchasing.services.common import (
    INVOICE_KIND,
    INVOICE_NUMBERS,
    ZERO,
    check_supplier,
    field_error,
    input_vat_deductible,
    line_error,
    next_number,
    plain,
    settings_of,
    user_or_none,
)

HUNDRED = Decimal("100")


class Problem:
    """Why a line did not match (stored on the line and the invoice)."""

    NOT_RECEIVED = "not_received"
    QUANTITY = "quantity"
    PRICE = "price"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceLineData:
    """One invoice line: the order line it bills, the quantity in the
    product's base unit and the unit price per base unit, with or without
    VAT as the order's prices are."""

    order_line: PurchaseOrderLine
    quantity: Decimal
    unit_price: Decimal


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceData:
    supplier: Supplier
    invoice_number: str
    date: datetime.date
    lines: Sequence[InvoiceLineData]
    due_date: datetime.date | None = None
    memo: str = ""


# --- entering ----------


def _check_order_line(
    index: int, company: Company, supplier: Supplier, line: PurchaseOrderLine
) -> None:
    if line.company_id != company.pk:
        raise line_error(index, "order_line", _("Order line not found."))
    if line.order.supplier_id != supplier.pk:
        raise line_error(
            index,
            "order_line",
            _("order %(number)s is not from this supplier.")
            % {"number": line.order.number},
        )
    if line.order.state not in (OrderState.CONFIRMED, OrderState.DONE):
        raise line_error(
            index,
            "order_line",
            _("order %(number)s is not confirmed.") % {"number": line.order.number},
        )


def _priced_lines(company: Company, data: InvoiceData) -> list[SupplierInvoiceLine]:
    if not data.lines:
        raise field_error("lines", _("A document needs at least one line."))
    ids = [line.order_line.pk for line in data.lines]
    order_lines = {
        row.pk: row
        for row in PurchaseOrderLine.objects.filter(pk__in=ids).select_related(
            "order", "product"
        )
    }
    rows = []
    for index, line in enumerate(data.lines):
        order_line = order_lines.get(line.order_line.pk)
        if order_line is None:
            raise line_error(index, "order_line", _("Order line not found."))
        _check_order_line(index, company, data.supplier, order_line)
        quantity = round_quantity(to_decimal(line.quantity))
        if quantity <= 0:
            raise line_error(
                index, "quantity", _("the quantity must be greater than zero.")
            )
        price = to_decimal(line.unit_price)
        if price < 0:
            raise line_error(index, "unit_price", _("the price cannot be negative."))
        amounts = pricing.price_lines(
            [pricing.PriceInput(quantity, price, ZERO, order_line.tax_rate)],
            discount=ZERO,
            tax_inclusive=order_line.order.prices_include_tax,
        )[0]
        rows.append(
            SupplierInvoiceLine(
                company=company,
                order_line=order_line,
                product=order_line.product,
                base_quantity=quantity,
                unit_price=price,
                tax_rate=order_line.tax_rate,
                amount=amounts.amount,
                net_amount=amounts.net_amount,
                tax_amount=amounts.tax_amount,
            )
        )
    return rows


def _check_header(company: Company, data: InvoiceData) -> str:
    check_supplier(company, data.supplier)
    number = data.invoice_number.strip()
    if not number:
        raise field_error("invoice_number", _("Enter the invoice number."))
    taken = (
        SupplierInvoice.objects.filter(
            company=company, supplier=data.supplier, invoice_number=number
        )
        .exclude(state=InvoiceState.CANCELLED)
        .exists()
    )
    if taken:
        raise field_error(
            "invoice_number",
            _("Invoice %(number)s of this supplier is already entered.")
            % {"number": number},
        )
    if data.due_date is not None and data.due_date < data.date:
        raise field_error("due_date", _("The due date cannot be before the date."))
    return number


@transaction.atomic
def enter_invoice(
    *, company: Company, actor: User | None, data: InvoiceData
) -> SupplierInvoice:
    """Record a supplier's invoice and match it: posted when every line
    matches, otherwise kept among the exceptions with the reasons."""
    require_writable(company)
    # The number first: taking it locks the sequence, so two clerks entering
    # the same supplier invoice at once are checked one after the other.
    document_number = next_number(company, INVOICE_NUMBERS.key, data.date)
    number = _check_header(company, data)
    rows = _priced_lines(company, data)
    terms = datetime.timedelta(days=data.supplier.payment_terms_days)
    invoice = SupplierInvoice.objects.create(
        company=company,
        number=document_number,
        invoice_number=number,
        supplier=data.supplier,
        date=data.date,
        due_date=data.due_date or data.date + terms,
        state=InvoiceState.EXCEPTION,
        net_total=sum((row.net_amount for row in rows), ZERO),
        tax_total=sum((row.tax_amount for row in rows), ZERO),
        total=sum((row.amount for row in rows), ZERO),
        memo=data.memo[:200],
        created_by=user_or_none(actor),
    )
    for row in rows:
        row.invoice = invoice
    SupplierInvoiceLine.objects.bulk_create(rows)
    audit.record(company=company, actor=actor, action="create", obj=invoice)
    return _match_and_post(invoice, actor, accept_price=False)


# --- matching ----------


@dataclasses.dataclass(slots=True)
class _Open:
    """What was received of one order line and not yet invoiced."""

    quantity: Decimal = ZERO
    rows: list[GoodsReceiptLine] = dataclasses.field(default_factory=list)


def _open_receipts(order_line_ids: list[int]) -> dict[int, _Open]:
    found: dict[int, _Open] = defaultdict(_Open)
    rows = (
        GoodsReceiptLine.objects.select_for_update()
        .filter(order_line_id__in=order_line_ids)
        .select_related("move", "receipt")
        .order_by("receipt__date", "id")
    )
    for row in rows:
        if row.open_quantity > 0:
            found[row.order_line_id].quantity += row.open_quantity
            found[row.order_line_id].rows.append(row)
    return found


def _order_unit_price(line: PurchaseOrderLine) -> Decimal:
    """The order's price per base unit, in the order's VAT basis."""
    return line.unit_price * line.quantity / line.base_quantity


def _problem(
    line: SupplierInvoiceLine,
    available: Decimal,
    settings: PurchaseSettings,
) -> tuple[str, str]:
    product = line.product.code
    if available <= 0:
        return Problem.NOT_RECEIVED, _(
            "%(product)s: nothing received is waiting for an invoice."
        ) % {"product": product}
    limit = available * (1 + settings.quantity_tolerance / HUNDRED)
    if line.base_quantity > limit:
        return Problem.QUANTITY, _(
            "%(product)s: invoiced %(invoiced)s, received and not invoiced "
            "%(received)s."
        ) % {
            "product": product,
            "invoiced": plain(line.base_quantity),
            "received": plain(available),
        }
    ordered = _order_unit_price(line.order_line)
    allowed = abs(ordered) * settings.price_tolerance / HUNDRED
    if abs(line.unit_price - ordered) > allowed:
        return Problem.PRICE, _(
            "%(product)s: invoiced at %(price)s, ordered at %(ordered)s."
        ) % {
            "product": product,
            "price": plain(line.unit_price),
            "ordered": plain(
                round_amount(ordered)
                if ordered == round_amount(ordered)
                else ordered.normalize()
            ),
        }
    return "", ""


def _check_lines(
    lines: list[SupplierInvoiceLine],
    found: dict[int, _Open],
    settings: PurchaseSettings,
) -> list[dict[str, object]]:
    """Each line's problem; lines on one order line share what is open."""
    left = {key: value.quantity for key, value in found.items()}
    problems = []
    for index, line in enumerate(lines):
        available = left.get(line.order_line_id, ZERO)
        code, message = _problem(line, available, settings)
        line.problem = code
        left[line.order_line_id] = max(available - line.base_quantity, ZERO)
        if code:
            problems.append({"line": index, "code": code, "message": message})
    return problems


def _match_and_post(
    invoice: SupplierInvoice, actor: User | None, *, accept_price: bool
) -> SupplierInvoice:
    settings = settings_of(invoice.company)
    lines = list(
        invoice.lines.select_related("order_line__order", "product").order_by("id")
    )
    found = _open_receipts([line.order_line_id for line in lines])
    problems = _check_lines(lines, found, settings)
    SupplierInvoiceLine.objects.bulk_update(lines, ["problem"])
    blocking = [
        p for p in problems if not (accept_price and p["code"] == Problem.PRICE)
    ]
    if blocking:
        invoice.problems = problems
        invoice.save(update_fields=["problems"])
        return invoice
    invoice.problems = problems if accept_price else []
    _post(invoice, lines, found, actor)
    return invoice


# --- posting ----------


def _take(
    line: SupplierInvoiceLine, deductible: bool, open_rows: _Open
) -> list[InvoiceMatch]:
    """Match the line against its order line's receipts, oldest first, and
    share its value over what it took."""
    wanted = min(line.base_quantity, open_rows.quantity)
    parts: list[tuple[GoodsReceiptLine, Decimal]] = []
    for row in open_rows.rows:
        if wanted <= 0:
            break
        quantity = min(row.open_quantity, wanted)
        if quantity <= 0:
            continue
        parts.append((row, quantity))
        wanted -= quantity
    value = line.net_amount if deductible else line.amount
    values = pricing.spread(value, [quantity for _row, quantity in parts])
    matches = []
    for (row, quantity), part_value in zip(parts, values, strict=True):
        estimate = pricing.share(
            row.estimate,
            row.base_quantity,
            quantity,
            taken_amount=row.invoiced_estimate + row.returned_estimate,
            taken_quantity=row.invoiced_quantity + row.returned_quantity,
        )
        row.invoiced_quantity += quantity
        row.invoiced_estimate += estimate
        open_rows.quantity -= quantity
        matches.append(
            InvoiceMatch(
                company_id=line.company_id,
                invoice_line=line,
                receipt_line=row,
                base_quantity=quantity,
                estimate=estimate,
                value=part_value,
            )
        )
    return matches


def _post(
    invoice: SupplierInvoice,
    lines: list[SupplierInvoiceLine],
    found: dict[int, _Open],
    actor: User | None,
) -> None:
    company = invoice.company
    deductible = input_vat_deductible(company)
    matches = []
    for line in lines:
        matches += _take(line, deductible, found[line.order_line_id])
    InvoiceMatch.objects.bulk_create(matches)
    touched = {m.receipt_line.pk: m.receipt_line for m in matches}
    GoodsReceiptLine.objects.bulk_update(
        touched.values(), ["invoiced_quantity", "invoiced_estimate"]
    )
    per_order_line: dict[int, Decimal] = defaultdict(Decimal)
    for m in matches:
        per_order_line[m.receipt_line.order_line_id] += m.base_quantity
    for order_line_id, quantity in per_order_line.items():
        PurchaseOrderLine.objects.filter(pk=order_line_id).update(
            invoiced_quantity=F("invoiced_quantity") + quantity_value(quantity)
        )
    payable = _post_voucher(invoice, matches, deductible, actor)
    _revalue(invoice, matches, actor)
    item = PayableItem.objects.create(
        company=company,
        supplier_id=invoice.supplier_id,
        kind=PayableKind.INVOICE,
        source_id=invoice.pk,
        number=invoice.number,
        date=invoice.date,
        due_date=invoice.due_date,
        amount=invoice.total,
        open_amount=invoice.total,
        account=payable,
    )
    settlement.settle_open_credits(item, actor)
    documents.change_state(
        invoice,
        InvoiceState.POSTED,
        actor=actor,
        extra_fields=("problems", "voucher", "resolution"),
    )


def _post_voucher(
    invoice: SupplierInvoice,
    matches: list[InvoiceMatch],
    deductible: bool,
    actor: User | None,
) -> Account:
    accounts = Accounts(invoice.company)
    payable = accounts(Role.PAYABLE)
    supplier = {"supplier": invoice.supplier_id}
    draft = VoucherDraft(
        _("Supplier invoice %(number)s of %(supplier)s, estimate reversed")
        % {"number": invoice.invoice_number, "supplier": invoice.supplier.name}
    )
    for m in matches:
        draft.add(
            m.receipt_line.receipt.estimate_account, debit=m.value, dimensions=supplier
        )
    if deductible and invoice.tax_total:
        draft.add(
            accounts(Role.INPUT_VAT), debit=invoice.tax_total, dimensions=supplier
        )
    draft.add(payable, credit=invoice.total, dimensions=supplier)
    invoice.voucher = draft.post(
        invoice.company, invoice.date, SourceRef(INVOICE_KIND, invoice.pk), actor, "转"
    )
    return payable


def _revalue(
    invoice: SupplierInvoice, matches: list[InvoiceMatch], actor: User | None
) -> None:
    """Receipts whose invoiced value differs from their estimate take the
    difference through inventory (stock on hand, cost of what left)."""
    differences: dict[int, Decimal] = defaultdict(Decimal)
    rows: dict[int, GoodsReceiptLine] = {}
    for m in matches:
        differences[m.receipt_line.pk] += m.value - m.estimate
        rows[m.receipt_line.pk] = m.receipt_line
    for row_id, difference in differences.items():
        if not difference:
            continue
        row = rows[row_id]
        move = row.move
        move.refresh_from_db(fields=["value"])
        inventory.revalue_receipt(
            move=move,
            value=move.value + difference,
            counter=inventory.Counterpart(
                row.receipt.estimate_account, {"supplier": invoice.supplier_id}
            ),
            source=SourceRef(INVOICE_KIND, invoice.pk),
            actor=actor,
        )


# --- exceptions ----------


def _locked_exception(invoice: SupplierInvoice) -> SupplierInvoice:
    company = invoice.company
    require_writable(company)
    invoice = (
        SupplierInvoice.objects.select_for_update()
        .select_related("supplier")
        .get(pk=invoice.pk)
    )
    invoice.company = company
    if invoice.state != InvoiceState.EXCEPTION:
        raise ConflictError(_("Only an invoice among the exceptions can be resolved."))
    return invoice


@transaction.atomic
def rematch_invoice(*, invoice: SupplierInvoice, actor: User | None) -> SupplierInvoice:
    """Match again (goods came in since): posts when everything matches."""
    invoice = _locked_exception(invoice)
    return _match_and_post(invoice, actor, accept_price=False)


@transaction.atomic
def resolve_invoice(
    *, invoice: SupplierInvoice, actor: User | None, note: str
) -> SupplierInvoice:
    """A buyer accepts the invoice's prices: it posts at them, the
    difference going to stock and cost. Quantities are not negotiable:
    nothing posts for more than was received."""
    invoice = _locked_exception(invoice)
    if not note.strip():
        raise field_error("note", _("Say why the invoice is accepted."))
    invoice.resolution = note.strip()[:200]
    invoice = _match_and_post(invoice, actor, accept_price=True)
    if invoice.state != InvoiceState.POSTED:
        message = "; ".join(str(p["message"]) for p in invoice.problems)
        raise ValidationError(
            _("The invoice bills more than was received: %(problems)s")
            % {"problems": message},
            fields={
                f"lines.{p['line']}.quantity": [str(p["message"])]
                for p in invoice.problems
                if p["code"] != Problem.PRICE
            },
        )
    return invoice


@transaction.atomic
def cancel_invoice(
    *, invoice: SupplierInvoice, actor: User | None, note: str = ""
) -> SupplierInvoice:
    invoice = _locked_exception(invoice)
    invoice.resolution = note.strip()[:200]
    documents.change_state(
        invoice, InvoiceState.CANCELLED, actor=actor, extra_fields=("resolution",)
    )
    return invoice


def get_invoice(company: Company, invoice_id: int) -> SupplierInvoice:
    invoice = SupplierInvoice.objects.filter(company=company, pk=invoice_id).first()
    if invoice is None:
        raise NotFoundError(_("Supplier invoice not found."))
    return invoice
