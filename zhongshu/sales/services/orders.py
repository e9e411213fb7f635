"""Quotations and sales orders: pricing from price lists, the VAT rule
(``pricing``), confirming with the credit check and the stock reservation,
cancelling and closing.

Documents: Quotation (draft → accepted | cancelled), SalesOrder (draft →
confirmed → done; cancelled from draft, or from confirmed before any
delivery). Events published: none."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog import pricing
from zhongshu.catalog.models import Product, Unit
from zhongshu.catalog.selectors import products as catalog_products
from zhongshu.catalog.selectors.prices import PriceBook
from zhongshu.core import audit, documents, permissions
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, to_decimal
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import Warehouse
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    Delivery,
    DocumentState,
    PricedLine,
    Quotation,
    QuotationLine,
    QuotationState,
    Receipt,
    ReceivableItem,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    SalesSettings,
)
from zhongshu.sales.services.common import (
    ORDER_KIND,
    ORDER_NUMBERS,
    QUOTATION_NUMBERS,
    ZERO,
    check_customer,
    check_warehouse,
    field_error,
    line_error,
    next_number,
    settings_of,
    user_or_none,
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class LineData:
    """One line as the user enters it. Without ``unit_price`` the price
    lists decide (customer group, quantity breaks, validity); without
    ``warehouse`` the order's."""

    product: Product
    quantity: Decimal
    unit: Unit | None = None
    unit_price: Decimal | None = None
    discount_rate: Decimal = ZERO
    warehouse: Warehouse | None = None
    memo: str = ""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class OrderData:
    customer: Customer
    date: datetime.date
    lines: Sequence[LineData]
    warehouse: Warehouse | None = None
    prices_include_tax: bool | None = None
    discount: Decimal = ZERO
    delivery_date: datetime.date | None = None
    delivery_address: str = ""
    valid_until: datetime.date | None = None
    salesperson: User | None = None
    memo: str = ""
    # Price list kinds to price from (all when empty).
    price_kinds: tuple[str, ...] = ()


# --- pricing ----------


def _check_product(index: int, company: Company, product: Product) -> None:
    if product.company_id != company.pk:
        raise line_error(index, "product", _("Product not found."))
    if not product.is_active:
        raise line_error(
            index,
            "product",
            _("product %(product)s is disabled.") % {"product": product.code},
        )


def _list_price(
    index: int,
    company: Company,
    data: OrderData,
    line: LineData,
    on_date: datetime.date,
    tax_inclusive: bool,
    book: PriceBook,
) -> Decimal:
    quote = book.quote(
        line.product,
        line.quantity,
        on_date,
        unit=line.unit,
        customer_group=data.customer.price_group,
        kinds=data.price_kinds,
    )
    if quote is None:
        raise line_error(
            index,
            "unit_price",
            _("no price list prices %(product)s; enter a price.")
            % {"product": line.product.code},
        )
    if quote.tax_inclusive == tax_inclusive:
        return quote.price
    return pricing.convert_price(
        quote.price, line.product.vat_rate, to_inclusive=tax_inclusive
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _PricedLine:
    data: LineData
    unit: Unit
    base_quantity: Decimal
    unit_price: Decimal
    amounts: pricing.LineAmounts


def _check_line(
    index: int,
    company: Company,
    data: OrderData,
    line: LineData,
    inclusive: bool,
    book: PriceBook,
) -> tuple[Unit, Decimal, Decimal, Decimal]:
    """A line's unit, base quantity, unit price and discount rate, checked."""
    _check_product(index, company, line.product)
    quantity = to_decimal(line.quantity)
    if quantity <= 0:
        raise line_error(
            index, "quantity", _("the quantity must be greater than zero.")
        )
    rate = to_decimal(line.discount_rate)
    if not ZERO <= rate <= 100:
        raise line_error(
            index, "discount_rate", _("the discount is a percentage from 0 to 100.")
        )
    unit = line.unit or line.product.base_unit
    try:
        base = catalog_products.to_base_quantity(line.product, quantity, unit)
    except ValidationError as error:
        raise line_error(index, "quantity", error.message) from error
    if line.unit_price is None:
        price = _list_price(index, company, data, line, data.date, inclusive, book)
    else:
        price = to_decimal(line.unit_price)
        if price < 0:
            raise line_error(index, "unit_price", _("the price cannot be negative."))
    if line.warehouse is not None:
        check_warehouse(company, line.warehouse, f"lines.{index}.warehouse")
    return unit, base, price, rate


def price_book(company: Company, documents: Sequence[OrderData]) -> PriceBook:
    """The price list items the lines without a price of ``documents`` need,
    read once."""
    unpriced = [
        (line.product, data.date)
        for data in documents
        for line in data.lines
        if line.unit_price is None
    ]
    return PriceBook(
        company,
        {product.pk: product for product, _date in unpriced}.values(),
        {on_date for _product, on_date in unpriced}
        or {data.date for data in documents},
    )


def price_document(
    company: Company,
    data: OrderData,
    tax_inclusive: bool,
    book: PriceBook | None = None,
) -> list[_PricedLine]:
    """Validate and price every line under the one VAT rule."""
    if not data.lines:
        raise field_error("lines", _("A document needs at least one line."))
    discount = to_decimal(data.discount)
    if discount < 0:
        raise field_error("discount", _("The discount cannot be negative."))
    book = book or price_book(company, [data])
    checked = [
        _check_line(index, company, data, line, tax_inclusive, book)
        for index, line in enumerate(data.lines)
    ]
    inputs = [
        pricing.PriceInput(
            to_decimal(line.quantity), price, rate, line.product.vat_rate
        )
        for line, (_unit, _base, price, rate) in zip(data.lines, checked, strict=True)
    ]
    amounts = pricing.price_lines(
        inputs, discount=discount, tax_inclusive=tax_inclusive
    )
    if any(a.amount < 0 for a in amounts):
        raise field_error(
            "discount", _("The discount is larger than the document's amount.")
        )
    return [
        _PricedLine(line, unit, base, price, amount)
        for line, (unit, base, price, _rate), amount in zip(
            data.lines, checked, amounts, strict=True
        )
    ]


def _fill(row: PricedLine, index: int, priced: _PricedLine) -> None:
    row.line_no = index + 1
    row.product = priced.data.product
    row.unit = priced.unit
    row.quantity = to_decimal(priced.data.quantity)
    row.base_quantity = priced.base_quantity
    row.unit_price = priced.unit_price
    row.discount_rate = to_decimal(priced.data.discount_rate)
    row.order_discount = priced.amounts.order_discount
    row.tax_rate = priced.data.product.vat_rate
    row.amount = priced.amounts.amount
    row.net_amount = priced.amounts.net_amount
    row.tax_amount = priced.amounts.tax_amount
    row.memo = priced.data.memo[:200]


def _set_totals(document: Quotation | SalesOrder, lines: Sequence[PricedLine]) -> None:
    document.net_total = sum((line.net_amount for line in lines), ZERO)
    document.tax_total = sum((line.tax_amount for line in lines), ZERO)
    document.total = sum((line.amount for line in lines), ZERO)


def _header(
    company: Company, document: Quotation | SalesOrder, data: OrderData, inclusive: bool
) -> None:
    check_customer(company, data.customer)
    document.customer = data.customer
    document.date = data.date
    document.prices_include_tax = inclusive
    document.discount = round_amount(data.discount)
    document.salesperson = data.salesperson or data.customer.salesperson
    document.memo = data.memo[:200]


def _inclusive(data: OrderData, settings: SalesSettings) -> bool:
    if data.prices_include_tax is not None:
        return data.prices_include_tax
    return settings.prices_include_tax


# --- quotations ----------


def _write_quotation(
    company: Company, quotation: Quotation, data: OrderData, actor: User | None
) -> Quotation:
    inclusive = _inclusive(data, settings_of(company))
    priced = price_document(company, data, inclusive)
    _header(company, quotation, data, inclusive)
    quotation.valid_until = data.valid_until
    if data.valid_until is not None and data.valid_until < data.date:
        raise field_error(
            "valid_until", _("A quotation cannot expire before its date.")
        )
    rows = []
    for index, item in enumerate(priced):
        row = QuotationLine(company=company)
        _fill(row, index, item)
        rows.append(row)
    _set_totals(quotation, rows)
    if quotation.pk is None:
        quotation.number = next_number(company, QUOTATION_NUMBERS.key, data.date)
        quotation.created_by = user_or_none(actor)
    quotation.save()
    QuotationLine.objects.filter(quotation=quotation).delete()
    for row in rows:
        row.quotation = quotation
    QuotationLine.objects.bulk_create(rows)
    return quotation


@transaction.atomic
def create_quotation(
    *, company: Company, actor: User | None, data: OrderData
) -> Quotation:
    require_writable(company)
    quotation = _write_quotation(company, Quotation(company=company), data, actor)
    audit.record(company=company, actor=actor, action="create", obj=quotation)
    return quotation


@transaction.atomic
def update_quotation(
    *, quotation: Quotation, actor: User | None, data: OrderData
) -> Quotation:
    require_writable(quotation.company)
    quotation = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if quotation.state != QuotationState.DRAFT:
        raise ConflictError(_("Only a draft quotation can be changed."))
    _write_quotation(quotation.company, quotation, data, actor)
    audit.record(company=quotation.company, actor=actor, action="update", obj=quotation)
    return quotation


@transaction.atomic
def cancel_quotation(*, quotation: Quotation, actor: User | None) -> Quotation:
    require_writable(quotation.company)
    quotation = Quotation.objects.select_for_update().get(pk=quotation.pk)
    documents.change_state(quotation, QuotationState.CANCELLED, actor=actor)
    return quotation


@transaction.atomic
def order_from_quotation(
    *,
    quotation: Quotation,
    actor: User | None,
    date: datetime.date | None = None,
    warehouse: Warehouse | None = None,
) -> SalesOrder:
    """The customer accepted: a draft order with the quotation's lines and
    prices (as quoted, even if the lists changed since)."""
    company = quotation.company
    require_writable(company)
    quotation = Quotation.objects.select_for_update().get(pk=quotation.pk)
    order_date = date or quotation.date
    if quotation.valid_until is not None and order_date > quotation.valid_until:
        raise ConflictError(
            _("The quotation expired on %(date)s.") % {"date": quotation.valid_until}
        )
    documents.change_state(quotation, QuotationState.ACCEPTED, actor=actor)
    lines = [
        LineData(
            product=line.product,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            discount_rate=line.discount_rate,
            memo=line.memo,
        )
        for line in quotation.lines.select_related("product", "unit")
    ]
    data = OrderData(
        customer=quotation.customer,
        date=order_date,
        lines=lines,
        warehouse=warehouse,
        prices_include_tax=quotation.prices_include_tax,
        discount=quotation.discount,
        salesperson=quotation.salesperson,
        memo=quotation.memo,
    )
    order = SalesOrder(company=company, quotation=quotation)
    _write_order(company, order, data, actor)
    audit.record(company=company, actor=actor, action="create", obj=order)
    return order


# --- orders ----------


def _order_warehouse(
    company: Company, data: OrderData, settings: SalesSettings
) -> Warehouse:
    warehouse = data.warehouse or settings.default_warehouse
    if warehouse is None:
        warehouse = (
            Warehouse.objects.filter(company=company, is_active=True)
            .order_by("code")
            .first()
        )
    if warehouse is None:
        raise field_error("warehouse", _("Choose the warehouse to deliver from."))
    check_warehouse(company, warehouse, "warehouse")
    return warehouse


def build_order(
    company: Company,
    order: SalesOrder,
    data: OrderData,
    settings: SalesSettings,
    book: PriceBook | None = None,
) -> list[SalesOrderLine]:
    """Validate and price ``data`` into ``order`` (in memory) and return its
    lines, not yet saved."""
    inclusive = _inclusive(data, settings)
    priced = price_document(company, data, inclusive, book)
    _header(company, order, data, inclusive)
    order.warehouse = _order_warehouse(company, data, settings)
    order.delivery_date = data.delivery_date
    order.delivery_address = data.delivery_address[:300]
    rows = []
    for index, item in enumerate(priced):
        row = SalesOrderLine(company=company)
        _fill(row, index, item)
        row.warehouse_id = (item.data.warehouse or order.warehouse).pk
        rows.append(row)
    _set_totals(order, rows)
    return rows


def _write_order(
    company: Company, order: SalesOrder, data: OrderData, actor: User | None
) -> SalesOrder:
    rows = build_order(company, order, data, settings_of(company))
    if order.pk is None:
        order.created_by = user_or_none(actor)
    order.save()
    SalesOrderLine.objects.filter(order=order).delete()
    for row in rows:
        row.order = order
    SalesOrderLine.objects.bulk_create(rows)
    return order


@transaction.atomic
def create_order(
    *, company: Company, actor: User | None, data: OrderData
) -> SalesOrder:
    require_writable(company)
    order = _write_order(company, SalesOrder(company=company), data, actor)
    audit.record(company=company, actor=actor, action="create", obj=order)
    return order


@transaction.atomic
def update_order(
    *, order: SalesOrder, actor: User | None, data: OrderData
) -> SalesOrder:
    require_writable(order.company)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != DocumentState.DRAFT:
        raise ConflictError(_("Only a draft order can be changed."))
    _write_order(order.company, order, data, actor)
    audit.record(company=order.company, actor=actor, action="update", obj=order)
    return order


def open_exposure(
    company: Company, customer: Customer, *, excluding: int = 0
) -> Decimal:
    """What the customer owes or has been promised on credit: open items,
    less advances not yet applied, plus what confirmed orders still have to
    deliver (``excluding`` one order)."""
    return open_exposures(company, [customer.pk], excluding=(excluding,))[customer.pk]


def _sums_by_customer(rows: QuerySet[Any], field: str) -> dict[int, Decimal]:
    return dict(
        rows.values("customer_id")
        .order_by("customer_id")
        .annotate(total=sum_amount(field))
        .values_list("customer_id", "total")
    )


def open_exposures(
    company: Company, customer_ids: Collection[int], *, excluding: Collection[int] = ()
) -> dict[int, Decimal]:
    """``open_exposure`` of each of ``customer_ids``, with one query per part
    whatever their number (confirming a batch)."""
    ids = set(customer_ids)
    open_items = _sums_by_customer(
        ReceivableItem.objects.filter(company=company, customer_id__in=ids),
        "open_amount",
    )
    unapplied = _sums_by_customer(
        Receipt.objects.filter(company=company, customer_id__in=ids, unallocated__gt=0),
        "unallocated",
    )
    undelivered: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    lines = (
        SalesOrderLine.objects.filter(
            company=company,
            order__customer_id__in=ids,
            order__state=DocumentState.CONFIRMED,
        )
        .exclude(order_id__in=excluding)
        .values_list(
            "order__customer_id", "amount", "base_quantity", "delivered_quantity"
        )
    )
    for customer_id, amount, base, delivered in lines:
        if base > delivered:
            undelivered[customer_id] += round_amount(amount * (base - delivered) / base)
    # Recognising revenue on invoicing, a delivery not yet invoiced is owed
    # too, though no item is open for it yet (less what came back).
    shipped = Delivery.objects.filter(
        company=company,
        customer_id__in=ids,
        recognises_revenue=False,
        invoice__isnull=True,
    )
    uninvoiced = _sums_by_customer(shipped, "total")
    returned = (
        _sums_by_customer(SalesReturn.objects.filter(delivery__in=shipped), "total")
        if uninvoiced
        else {}
    )
    return {
        customer_id: open_items.get(customer_id, ZERO)
        - unapplied.get(customer_id, ZERO)
        + undelivered[customer_id]
        + uninvoiced.get(customer_id, ZERO)
        - returned.get(customer_id, ZERO)
        for customer_id in ids
    }


def credit_refusal(customer: Customer, exposure: Decimal) -> str | None:
    """Why confirming is refused when ``exposure`` passes the customer's
    credit limit (None when it does not)."""
    if customer.credit_limit is None or exposure <= customer.credit_limit:
        return None
    return _(
        "Customer %(customer)s would owe %(exposure)s against a credit limit of "
        "%(limit)s."
    ) % {
        "customer": customer.code,
        "exposure": f"{exposure:.2f}",
        "limit": f"{customer.credit_limit:.2f}",
    }


def _check_credit(
    order: SalesOrder, customer: Customer, actor: User | None, override_reason: str
) -> None:
    if customer.credit_limit is None:
        return
    exposure = open_exposure(order.company, customer, excluding=order.pk) + order.total
    message = credit_refusal(customer, exposure)
    if message is None:
        return
    if not override_reason.strip():
        raise ConflictError(message, fields={"credit": [message]})
    allowed = isinstance(actor, User) and permissions.roles_grant(
        permissions.roles_of(actor.pk, order.company), "sales.override_credit"
    )
    if not allowed:
        raise ConflictError(
            _("Only a manager may confirm beyond the credit limit.") + " " + message,
            fields={"credit": [message]},
        )
    order.credit_override_by = actor
    order.credit_override_reason = override_reason.strip()[:200]
    audit.record(
        company=order.company,
        actor=actor,
        action="credit_override",
        obj=order,
        changes={
            "exposure": str(exposure),
            "credit_limit": str(customer.credit_limit),
            "reason": order.credit_override_reason,
        },
    )


def _reserve(order: SalesOrder, lines: Sequence[SalesOrderLine]) -> None:
    """All lines or none: each product × warehouse is one conditional UPDATE,
    in a fixed order, so two orders never wait on each other's rows."""
    inventory.reserve_many(
        company=order.company,
        lines=[(line.product, line.warehouse, line.base_quantity) for line in lines],
        source=SourceRef(ORDER_KIND, order.pk),
    )


@transaction.atomic
def confirm_order(
    *, order: SalesOrder, actor: User | None, override_reason: str = ""
) -> SalesOrder:
    """Check credit, reserve every line's stock, number the order — all or
    nothing. Beyond the credit limit only a holder of
    ``sales.override_credit`` may confirm, giving a reason (audited)."""
    company = order.company
    require_writable(company)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    order.company = company
    documents.flow_for(SalesOrder).require(order.state, DocumentState.CONFIRMED)  # type: ignore[union-attr]
    lines = list(order.lines.select_related("product", "warehouse"))
    for index, line in enumerate(lines):
        _check_product(index, company, line.product)
        check_warehouse(company, line.warehouse, f"lines.{index}.warehouse")
    # Locked: two orders of one customer are credit-checked one after the other.
    customer = Customer.objects.select_for_update().get(pk=order.customer_id)
    order.customer = customer
    check_customer(company, customer)
    _check_credit(order, customer, actor, override_reason)
    _reserve(order, lines)
    order.number = order.number or next_number(company, ORDER_NUMBERS.key, order.date)
    documents.change_state(
        order,
        DocumentState.CONFIRMED,
        actor=actor,
        extra_fields=("number", "credit_override_by", "credit_override_reason"),
    )
    return order


def _release_all(order: SalesOrder) -> None:
    inventory.release(company=order.company, source=SourceRef(ORDER_KIND, order.pk))


@transaction.atomic
def cancel_order(*, order: SalesOrder, actor: User | None) -> SalesOrder:
    require_writable(order.company)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.deliveries.exists():
        raise ConflictError(
            _("The order has deliveries; close it instead of cancelling it.")
        )
    if order.state == DocumentState.CONFIRMED:
        _release_all(order)
    documents.change_state(order, DocumentState.CANCELLED, actor=actor)
    return order


@transaction.atomic
def close_order(*, order: SalesOrder, actor: User | None) -> SalesOrder:
    """Nothing more will be delivered: what is still reserved goes back."""
    require_writable(order.company)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    documents.flow_for(SalesOrder).require(order.state, DocumentState.DONE)  # type: ignore[union-attr]
    _release_all(order)
    documents.change_state(order, DocumentState.DONE, actor=actor)
    return order


def get_order(company: Company, order_id: int) -> SalesOrder:
    order = SalesOrder.objects.filter(company=company, pk=order_id).first()
    if order is None:
        raise NotFoundError(_("Sales order not found."))
    return order
