"""Requisitions (请购单) and purchase orders: asking, approving, ordering.

Approval: a requisition or an order whose total is above the company's
``approval_threshold`` waits (``submitted``) until a holder of
``purchasing.approve`` other than the one who asked approves it. An order
made from an approved requisition was approved there. Orders are numbered
on confirmation; the supplier's confirmation (a date per line) is recorded
on a confirmed order by the buyer or through the API.

Prices: without a unit price a line takes its supplier's price for the
product (``SupplierProduct``); amounts follow the one VAT rule
(``catalog.pricing``)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import products as catalog_products
from zhongshu.core import audit, clock, documents, permissions
from zhongshu.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.services import require_writable
from zhongshu.inventory.models import Warehouse
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import (
    OrderState,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseSettings,
    Requisition,
    RequisitionLine,
    RequisitionState,
    SupplierProduct,
)
from zhongshu.purchasing.services.common import (
    ORDER_NUMBERS,
    REQUISITION_NUMBERS,
    ZERO,
    check_product,
    check_supplier,
    check_warehouse,
    field_error,
    line_error,
    next_number,
    settings_of,
    user_or_none,
)

APPROVE_PERMISSION = "purchasing.approve"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LineData:
    """One order line as entered. Without ``unit_price`` the supplier's price
    for the product; without ``warehouse`` the order's."""

    product: Product
    quantity: Decimal
    unit: Unit | None = None
    unit_price: Decimal | None = None
    warehouse: Warehouse | None = None
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OrderData:
    supplier: Supplier
    date: datetime.date
    lines: Sequence[LineData]
    warehouse: Warehouse | None = None
    prices_include_tax: bool | None = None
    expected_date: datetime.date | None = None
    buyer: User | None = None
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RequisitionLineData:
    product: Product
    quantity: Decimal
    supplier: Supplier | None = None
    unit_price: Decimal | None = None
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class RequisitionData:
    date: datetime.date
    warehouse: Warehouse
    lines: Sequence[RequisitionLineData]
    needed_by: datetime.date | None = None
    reason: str = ""


# --- prices ----------


def supplier_prices(
    company: Company, supplier_id: int | None, product_ids: Sequence[int]
) -> dict[tuple[int, int], SupplierProduct]:
    """(supplier id, product id) → what the supplier supplies, in one read;
    without a supplier, the preferred supplier of each product."""
    rows = SupplierProduct.objects.filter(company=company, product_id__in=product_ids)
    if supplier_id is not None:
        rows = rows.filter(supplier_id=supplier_id)
    else:
        rows = rows.filter(is_preferred=True)
    return {(row.supplier_id, row.product_id): row for row in rows}


def _positive_quantity(index: int, value: object) -> Decimal:
    try:
        quantity = to_decimal(value)  # type: ignore[arg-type]
    except (ValueError, ArithmeticError) as error:
        raise line_error(index, "quantity", _("Enter a number.")) from error
    if quantity <= 0:
        raise line_error(
            index, "quantity", _("the quantity must be greater than zero.")
        )
    return quantity


def _price(
    index: int,
    line: LineData | RequisitionLineData,
    supplier_id: int | None,
    prices: dict[tuple[int, int], SupplierProduct],
    factor: Decimal,
) -> Decimal:
    if line.unit_price is not None:
        price = to_decimal(line.unit_price)
        if price < 0:
            raise line_error(index, "unit_price", _("the price cannot be negative."))
        return price
    known = prices.get((supplier_id or 0, line.product.pk))
    if known is None:
        raise line_error(
            index,
            "unit_price",
            _("the supplier has no price for %(product)s; enter a price.")
            % {"product": line.product.code},
        )
    # The supplier's price is per base unit; a line in another unit pays
    # for that many base units.
    return known.unit_price * factor


@dataclasses.dataclass(frozen=True, slots=True)
class _Priced:
    data: LineData
    unit: Unit
    base_quantity: Decimal
    unit_price: Decimal
    warehouse: Warehouse
    amounts: pricing.LineAmounts


def price_order(
    company: Company, data: OrderData, warehouse: Warehouse, inclusive: bool
) -> list[_Priced]:
    if not data.lines:
        raise field_error("lines", _("A document needs at least one line."))
    prices = supplier_prices(
        company, data.supplier.pk, [line.product.pk for line in data.lines]
    )
    checked = []
    for index, line in enumerate(data.lines):
        check_product(index, company, line.product)
        quantity = _positive_quantity(index, line.quantity)
        unit = line.unit or line.product.base_unit
        try:
            base = catalog_products.to_base_quantity(line.product, quantity, unit)
        except ValidationError as error:
            raise line_error(index, "quantity", error.message) from error
        price = _price(index, line, data.supplier.pk, prices, base / quantity)
        line_warehouse = line.warehouse or warehouse
        check_warehouse(company, line_warehouse, f"lines.{index}.warehouse")
        checked.append((line, unit, quantity, base, price, line_warehouse))
    amounts = pricing.price_lines(
        [
            pricing.PriceInput(quantity, price, ZERO, line.product.vat_rate)
            for line, _unit, quantity, _base, price, _wh in checked
        ],
        discount=ZERO,
        tax_inclusive=inclusive,
    )
    return [
        _Priced(line, unit, base, price, wh, amount)
        for (line, unit, _q, base, price, wh), amount in zip(
            checked, amounts, strict=True
        )
    ]


# --- purchase orders ----------


def _order_warehouse(
    company: Company, data: OrderData, settings: PurchaseSettings
) -> Warehouse:
    warehouse = data.warehouse or settings.default_warehouse
    if warehouse is None:
        raise field_error("warehouse", _("Choose the warehouse the goods go to."))
    check_warehouse(company, warehouse, "warehouse")
    return warehouse


def _write_order(
    company: Company, order: PurchaseOrder, data: OrderData, actor: User | None
) -> PurchaseOrder:
    require_writable(company)
    settings = settings_of(company)
    check_supplier(company, data.supplier)
    warehouse = _order_warehouse(company, data, settings)
    inclusive = (
        settings.prices_include_tax
        if data.prices_include_tax is None
        else data.prices_include_tax
    )
    priced = price_order(company, data, warehouse, inclusive)
    order.supplier = data.supplier
    order.date = data.date
    order.warehouse = warehouse
    order.prices_include_tax = inclusive
    order.expected_date = data.expected_date
    order.buyer = data.buyer or user_or_none(actor)
    order.memo = data.memo[:200]
    order.net_total = sum((p.amounts.net_amount for p in priced), ZERO)
    order.tax_total = sum((p.amounts.tax_amount for p in priced), ZERO)
    order.total = sum((p.amounts.amount for p in priced), ZERO)
    if order.pk is None:
        order.created_by = user_or_none(actor)
    order.save()
    order.lines.all().delete()
    PurchaseOrderLine.objects.bulk_create(
        [_order_line(company, order, index, item) for index, item in enumerate(priced)]
    )
    return order


def _order_line(
    company: Company, order: PurchaseOrder, index: int, item: _Priced
) -> PurchaseOrderLine:
    return PurchaseOrderLine(
        company=company,
        order=order,
        line_no=index + 1,
        product=item.data.product,
        unit=item.unit,
        quantity=to_decimal(item.data.quantity),
        base_quantity=item.base_quantity,
        unit_price=item.unit_price,
        tax_rate=item.data.product.vat_rate,
        amount=item.amounts.amount,
        net_amount=item.amounts.net_amount,
        tax_amount=item.amounts.tax_amount,
        warehouse=item.warehouse,
        memo=item.data.memo[:200],
    )


@transaction.atomic
def create_order(
    *, company: Company, actor: User | None, data: OrderData
) -> PurchaseOrder:
    """A draft purchase order, priced."""
    order = _write_order(company, PurchaseOrder(company=company), data, actor)
    audit.record(company=order.company, actor=actor, action="create", obj=order)
    return order


def _locked(order: PurchaseOrder) -> PurchaseOrder:
    company = order.company
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    order.company = company
    return order


@transaction.atomic
def update_order(
    *, order: PurchaseOrder, actor: User | None, data: OrderData
) -> PurchaseOrder:
    order = _locked(order)
    if order.state != OrderState.DRAFT:
        raise ConflictError(_("Only a draft purchase order can be changed."))
    return _write_order(order.company, order, data, actor)


def _needs_approval(settings: PurchaseSettings, total: Decimal) -> bool:
    return settings.approval_threshold is not None and total > (
        settings.approval_threshold
    )


def _may_approve(company: Company, actor: User | None) -> bool:
    return isinstance(actor, User) and permissions.roles_grant(
        permissions.roles_of(actor.pk, company), APPROVE_PERMISSION
    )


def _from_approved_requisition(order: PurchaseOrder) -> bool:
    return (
        order.requisition_id is not None
        and order.requisition is not None
        and order.requisition.approved_at is not None
    )


def _number_and_confirm(order: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    for index, line in enumerate(order.lines.select_related("product", "warehouse")):
        check_product(index, order.company, line.product)
        check_warehouse(order.company, line.warehouse, f"lines.{index}.warehouse")
    check_supplier(order.company, order.supplier)
    order.number = order.number or next_number(
        order.company, ORDER_NUMBERS.key, order.date
    )
    documents.change_state(
        order, OrderState.CONFIRMED, actor=actor, extra_fields=("number",)
    )
    return order


@transaction.atomic
def confirm_order(*, order: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    """Send the order: numbered and open for receipts — or, above the
    approval threshold and not from an approved requisition, submitted for
    approval first."""
    require_writable(order.company)
    order = _locked(order)
    documents.flow_for(PurchaseOrder).require(order.state, OrderState.CONFIRMED)  # type: ignore[union-attr]
    settings = settings_of(order.company)
    if _needs_approval(settings, order.total) and not _from_approved_requisition(order):
        documents.change_state(order, OrderState.SUBMITTED, actor=actor)
        return order
    return _number_and_confirm(order, actor)


def _check_approver(
    company: Company, actor: User | None, asked_by_id: int | None, field: str
) -> None:
    if not _may_approve(company, actor):
        raise PermissionDeniedError(_("Only an approver may approve this document."))
    if actor is not None and asked_by_id == actor.pk:
        raise ValidationError(
            _("You cannot approve what you asked for; another approver must."),
            fields={field: [_("Approver and requester must differ.")]},
        )


@transaction.atomic
def approve_order(*, order: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    require_writable(order.company)
    order = _locked(order)
    if order.state != OrderState.SUBMITTED:
        raise ConflictError(_("Only an order awaiting approval can be approved."))
    _check_approver(
        order.company, actor, order.submitted_by_id or order.created_by_id, "approver"
    )
    return _number_and_confirm(order, actor)


@transaction.atomic
def reject_order(
    *, order: PurchaseOrder, actor: User | None, reason: str
) -> PurchaseOrder:
    """Back to draft for the buyer to change or cancel."""
    require_writable(order.company)
    order = _locked(order)
    if order.state != OrderState.SUBMITTED:
        raise ConflictError(_("Only an order awaiting approval can be rejected."))
    _check_approver(order.company, actor, order.submitted_by_id, "approver")
    order.memo = (reason or order.memo)[:200]
    documents.change_state(order, OrderState.DRAFT, actor=actor, extra_fields=("memo",))
    return order


@transaction.atomic
def cancel_order(*, order: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    require_writable(order.company)
    order = _locked(order)
    if order.receipts.exists():
        raise ConflictError(
            _("Goods were received on this order; close it instead of cancelling it.")
        )
    documents.change_state(order, OrderState.CANCELLED, actor=actor)
    return order


@transaction.atomic
def close_order(*, order: PurchaseOrder, actor: User | None) -> PurchaseOrder:
    """Nothing more will be received: what is still open stops counting as
    in transit."""
    require_writable(order.company)
    order = _locked(order)
    documents.change_state(order, OrderState.DONE, actor=actor)
    return order


@transaction.atomic
def record_supplier_confirmation(
    *,
    order: PurchaseOrder,
    actor: User | None,
    dates: Sequence[tuple[int, datetime.date]],
    reference: str = "",
) -> PurchaseOrder:
    """The supplier confirmed the order: a delivery date per line (line
    number → date); lines not named keep their dates."""
    require_writable(order.company)
    order = _locked(order)
    if order.state != OrderState.CONFIRMED:
        raise ConflictError(
            _("Only a confirmed order can be confirmed by the supplier.")
        )
    lines = {line.line_no: line for line in order.lines.all()}
    changed = []
    for index, (line_no, day) in enumerate(dates):
        line = lines.get(line_no)
        if line is None:
            raise field_error(
                f"dates.{index}.line",
                _("The order has no line %(n)d.") % {"n": line_no},
            )
        if day < order.date:
            raise field_error(
                f"dates.{index}.date",
                _("A confirmed date cannot be before the order date."),
            )
        line.confirmed_date = day
        changed.append(line)
    PurchaseOrderLine.objects.bulk_update(changed, ["confirmed_date"])
    order.supplier_confirmed_at = clock.now()
    order.supplier_reference = reference[:60]
    order.save(update_fields=["supplier_confirmed_at", "supplier_reference"])
    audit.record(
        company=order.company,
        actor=actor,
        action="supplier_confirmed",
        obj=order,
        changes={"dates": {str(n): str(d) for n, d in dates}, "reference": reference},
    )
    return order


def get_order(company: Company, order_id: int) -> PurchaseOrder:
    order = PurchaseOrder.objects.filter(company=company, pk=order_id).first()
    if order is None:
        raise NotFoundError(_("Purchase order not found."))
    return order


# --- requisitions ----------


def _requisition_lines(
    company: Company, data: RequisitionData
) -> list[RequisitionLine]:
    if not data.lines:
        raise field_error("lines", _("A document needs at least one line."))
    preferred = supplier_prices(company, None, [line.product.pk for line in data.lines])
    by_product = {product_id: row for (_s, product_id), row in preferred.items()}
    rows = []
    for index, line in enumerate(data.lines):
        check_product(index, company, line.product)
        quantity = _positive_quantity(index, line.quantity)
        supplier = line.supplier
        if supplier is not None:
            check_supplier(company, supplier)
        known = by_product.get(line.product.pk)
        if supplier is None and known is not None:
            supplier = known.supplier
        price = (
            to_decimal(line.unit_price)
            if line.unit_price is not None
            else (known.unit_price if known is not None else ZERO)
        )
        if price < 0:
            raise line_error(index, "unit_price", _("the price cannot be negative."))
        rows.append(
            RequisitionLine(
                company=company,
                line_no=index + 1,
                product=line.product,
                quantity=quantity,
                supplier=supplier,
                unit_price=price,
                amount=round_amount(quantity * price),
                memo=line.memo[:200],
            )
        )
    return rows


def _write_requisition(
    company: Company, requisition: Requisition, data: RequisitionData
) -> Requisition:
    require_writable(company)
    check_warehouse(company, data.warehouse, "warehouse")
    rows = _requisition_lines(company, data)
    requisition.date = data.date
    requisition.warehouse = data.warehouse
    requisition.needed_by = data.needed_by
    requisition.reason = data.reason[:200]
    requisition.total = sum((row.amount for row in rows), ZERO)
    requisition.save()
    requisition.lines.all().delete()
    for row in rows:
        row.requisition = requisition
    RequisitionLine.objects.bulk_create(rows)
    return requisition


@transaction.atomic
def create_requisition(
    *, company: Company, actor: User | None, data: RequisitionData
) -> Requisition:
    requisition = Requisition(company=company, requester=user_or_none(actor))
    requisition = _write_requisition(company, requisition, data)
    audit.record(
        company=requisition.company, actor=actor, action="create", obj=requisition
    )
    return requisition


def _locked_requisition(requisition: Requisition) -> Requisition:
    company = requisition.company
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    requisition.company = company
    return requisition


@transaction.atomic
def update_requisition(
    *, requisition: Requisition, actor: User | None, data: RequisitionData
) -> Requisition:
    requisition = _locked_requisition(requisition)
    if requisition.state != RequisitionState.DRAFT:
        raise ConflictError(_("Only a draft requisition can be changed."))
    return _write_requisition(requisition.company, requisition, data)


@transaction.atomic
def submit_requisition(*, requisition: Requisition, actor: User | None) -> Requisition:
    """Numbered and sent: approved at once up to the threshold, otherwise
    awaiting an approver."""
    require_writable(requisition.company)
    requisition = _locked_requisition(requisition)
    if requisition.state != RequisitionState.DRAFT:
        raise ConflictError(_("Only a draft requisition can be submitted."))
    requisition.number = requisition.number or next_number(
        requisition.company, REQUISITION_NUMBERS.key, requisition.date
    )
    settings = settings_of(requisition.company)
    target = (
        RequisitionState.SUBMITTED
        if _needs_approval(settings, requisition.total)
        else RequisitionState.APPROVED
    )
    # Straight to approved leaves approved_at empty: nobody approved it.
    documents.change_state(requisition, target, actor=actor, extra_fields=("number",))
    return requisition


@transaction.atomic
def approve_requisition(
    *, requisition: Requisition, actor: User | None, note: str = ""
) -> Requisition:
    require_writable(requisition.company)
    requisition = _locked_requisition(requisition)
    if requisition.state != RequisitionState.SUBMITTED:
        raise ConflictError(_("Only a requisition awaiting approval can be approved."))
    _check_approver(requisition.company, actor, requisition.requester_id, "approver")
    requisition.decision_note = note[:200]
    documents.change_state(
        requisition,
        RequisitionState.APPROVED,
        actor=actor,
        extra_fields=("decision_note",),
    )
    return requisition


@transaction.atomic
def reject_requisition(
    *, requisition: Requisition, actor: User | None, note: str
) -> Requisition:
    require_writable(requisition.company)
    requisition = _locked_requisition(requisition)
    if requisition.state != RequisitionState.SUBMITTED:
        raise ConflictError(_("Only a requisition awaiting approval can be rejected."))
    _check_approver(requisition.company, actor, requisition.requester_id, "approver")
    if not note.strip():
        raise field_error("note", _("Say why the requisition is rejected."))
    requisition.decision_note = note[:200]
    documents.change_state(
        requisition,
        RequisitionState.REJECTED,
        actor=actor,
        extra_fields=("decision_note",),
    )
    return requisition


@transaction.atomic
def cancel_requisition(*, requisition: Requisition, actor: User | None) -> Requisition:
    require_writable(requisition.company)
    requisition = _locked_requisition(requisition)
    documents.change_state(requisition, RequisitionState.CANCELLED, actor=actor)
    return requisition


@transaction.atomic
def order_requisition(
    *, requisition: Requisition, actor: User | None, on_date: datetime.date
) -> list[PurchaseOrder]:
    """Turn an approved requisition into draft purchase orders, one per
    supplier; the orders confirm without a second approval."""
    require_writable(requisition.company)
    requisition = _locked_requisition(requisition)
    if requisition.state != RequisitionState.APPROVED:
        raise ConflictError(_("Only an approved requisition can be ordered."))
    lines = list(requisition.lines.select_related("product", "supplier"))
    by_supplier: dict[int, list[RequisitionLine]] = {}
    for index, line in enumerate(lines):
        if line.supplier is None:
            raise line_error(
                index,
                "supplier",
                _("choose a supplier for %(product)s.")
                % {"product": line.product.code},
            )
        by_supplier.setdefault(line.supplier.pk, []).append(line)
    orders = []
    for group in by_supplier.values():
        data = OrderData(
            supplier=group[0].supplier,  # type: ignore[arg-type]
            date=on_date,
            warehouse=requisition.warehouse,
            expected_date=requisition.needed_by,
            lines=[
                LineData(
                    product=line.product,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    memo=line.memo,
                )
                for line in group
            ],
        )
        order = _write_order(
            requisition.company,
            PurchaseOrder(company=requisition.company, requisition=requisition),
            data,
            actor,
        )
        for order_line, line in zip(
            order.lines.order_by("line_no"), group, strict=True
        ):
            order_line.requisition_line = line
            order_line.save(update_fields=["requisition_line"])
        audit.record(company=order.company, actor=actor, action="create", obj=order)
        orders.append(order)
    documents.change_state(requisition, RequisitionState.ORDERED, actor=actor)
    return orders
