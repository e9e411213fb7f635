"""The same step for many documents in one call (批量): create, confirm,
deliver and invoice. Each gives what calling the single service for every
document in turn gives — the same numbers, documents, reservations, stock
moves, vouchers, receivable items and audit entries — all or nothing, an
error naming the document it is about (``orders.3.…``). They do it with a
few statements per batch instead of dozens per document: prices read once,
customers locked once, the credit exposure of all the batch's customers in
one query per part, stock reserved and issued through inventory's batch
entry points, numbers taken per cycle and vouchers posted with
``ledger.post_vouchers``.

They cover the common path: orders priced from the lists or as given,
confirmed within the credit limit (past it a manager confirms the order on
its own, giving a reason), delivered in full from the warehouses their lines
reserve, and each delivery invoiced on its own. Events published: none."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.catalog.models import Product, Unit
from zhongshu.core import audit, documents, numbering
from zhongshu.core.bulk import insert_many, update_many
from zhongshu.core.errors import ConflictError, naming_item
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.core.services import require_writable
from zhongshu.inventory import services as inventory
from zhongshu.inventory.models import MoveKind, Warehouse
from zhongshu.ledger.chart import Role
from zhongshu.ledger.services.bulk import VoucherEntry, post_vouchers
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
)
from zhongshu.sales.services.common import (
    DELIVERY_KIND,
    DELIVERY_NUMBERS,
    INVOICE_KIND,
    INVOICE_NUMBERS,
    ORDER_KIND,
    ORDER_NUMBERS,
    ZERO,
    check_customer,
    check_warehouse,
    field_error,
    settings_of,
    user_or_none,
)
from zhongshu.sales.services.deliveries import (
    _plan,
    _Planned,
    _revenue_voucher,
    _taken_by_deliveries,
    check_invoiceable,
    delivery_rows,
    net_credits,
    new_item,
)
from zhongshu.sales.services.orders import (
    OrderData,
    _check_product,
    build_order,
    credit_refusal,
    open_exposures,
    price_book,
)

ORDER_LABEL = gettext_lazy("Order")
DELIVERY_LABEL = gettext_lazy("Delivery")


def _require_some(items: Sequence[object], field: str) -> None:
    if not items:
        raise field_error(field, _("Choose at least one document."))


# --- create ----------


@transaction.atomic
def create_orders(
    *, company: Company, actor: User | None, orders: Sequence[OrderData]
) -> list[SalesOrder]:
    """Draft orders, as ``create_order`` makes each: prices from one read of
    the price lists, orders and lines inserted with one statement each."""
    require_writable(company)
    _require_some(orders, "orders")
    settings = settings_of(company)
    book = price_book(company, orders)
    drafts, lines = [], []
    for index, data in enumerate(orders):
        order = SalesOrder(company=company, created_by=user_or_none(actor))
        with naming_item("orders", index, ORDER_LABEL):
            lines.append(build_order(company, order, data, settings, book))
        drafts.append(order)
    insert_many(drafts)
    for order, rows in zip(drafts, lines, strict=True):
        for row in rows:
            row.order = order
    insert_many([row for rows in lines for row in rows])
    audit.record_many(company=company, actor=actor, action="create", objects=drafts)
    return drafts


# --- confirm ----------


def _locked_orders(company: Company, orders: Sequence[SalesOrder]) -> list[SalesOrder]:
    """The orders, locked, in the order given (a repeated order is refused)."""
    ids = [order.pk for order in orders]
    if len(set(ids)) != len(ids):
        raise field_error("orders", _("An order is chosen twice."))
    found = {
        order.pk: order
        for order in SalesOrder.objects.select_for_update(of=("self",))
        .filter(company=company, pk__in=ids)
        .select_related("customer")
        .order_by("pk")
    }
    for index, order_id in enumerate(ids):
        if order_id not in found:
            with naming_item("orders", index, ORDER_LABEL):
                raise field_error("id", _("Sales order not found."))
        found[order_id].company = company
    return [found[order_id] for order_id in ids]


def _lines_of(
    company: Company, orders: Sequence[SalesOrder]
) -> dict[int, list[SalesOrderLine]]:
    """The orders' lines with their products (and base units), warehouses and
    units — one object per product, however many lines share it."""
    rows = list(
        SalesOrderLine.objects.filter(
            company=company, order_id__in=[order.pk for order in orders]
        ).order_by("order_id", "line_no")
    )
    products = {
        p.pk: p
        for p in Product.objects.filter(
            pk__in={row.product_id for row in rows}
        ).select_related("base_unit")
    }
    warehouses = {
        w.pk: w
        for w in Warehouse.objects.filter(pk__in={row.warehouse_id for row in rows})
    }
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.unit_id for r in rows})}
    lines: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for row in rows:
        row.product = products[row.product_id]
        row.warehouse = warehouses[row.warehouse_id]
        row.unit = units[row.unit_id]
        lines[row.order_id].append(row)
    return lines


def _check_credit(company: Company, orders: Sequence[SalesOrder]) -> None:
    """Each order as confirming them in turn checks it: what the customer
    owes, plus the batch's earlier orders of that customer, plus this one."""
    limited = {o.customer_id for o in orders if o.customer.credit_limit is not None}
    if not limited:
        return
    exposure = open_exposures(company, limited)
    for index, order in enumerate(orders):
        if order.customer_id not in limited:
            continue
        exposure[order.customer_id] += order.total
        message = credit_refusal(order.customer, exposure[order.customer_id])
        if message is not None:
            with naming_item("orders", index, ORDER_LABEL):
                raise ConflictError(
                    message + " " + _("A manager confirms it on its own."),
                    fields={"credit": [message]},
                )


@transaction.atomic
def confirm_orders(
    *, company: Company, actor: User | None, orders: Sequence[SalesOrder]
) -> list[SalesOrder]:
    """Confirm draft orders in the order given, as ``confirm_order`` confirms
    each within the credit limit: products and warehouses checked, credit
    checked, every line's stock reserved, numbers taken."""
    require_writable(company)
    _require_some(orders, "orders")
    locked = _locked_orders(company, orders)
    lines = _lines_of(company, locked)
    flow = documents.flow_for(SalesOrder)
    for index, order in enumerate(locked):
        with naming_item("orders", index, ORDER_LABEL):
            flow.require(order.state, DocumentState.CONFIRMED)  # type: ignore[union-attr]
            for line_index, line in enumerate(lines[order.pk]):
                _check_product(line_index, company, line.product)
                check_warehouse(
                    company, line.warehouse, f"lines.{line_index}.warehouse"
                )
    customers = {
        customer.pk: customer
        for customer in Customer.objects.select_for_update()
        .filter(pk__in={order.customer_id for order in locked})
        .order_by("pk")
    }
    for index, order in enumerate(locked):
        order.customer = customers[order.customer_id]
        with naming_item("orders", index, ORDER_LABEL):
            check_customer(company, order.customer)
    _check_credit(company, locked)
    inventory.reserve_for(
        company=company,
        requests=[
            (
                SourceRef(ORDER_KIND, order.pk),
                [
                    (line.product, line.warehouse, line.base_quantity)
                    for line in lines[order.pk]
                ],
            )
            for order in locked
        ],
    )
    unnumbered = [order for order in locked if not order.number]
    numbers = numbering.take_many(
        company=company,
        key=ORDER_NUMBERS.key,
        dates=[order.date for order in unnumbered],
    )
    for order, number in zip(unnumbered, numbers, strict=True):
        order.number = number
    documents.change_states(
        locked, DocumentState.CONFIRMED, actor=actor, extra_fields=("number",)
    )
    return locked


# --- deliver ----------


def _delivery_lines(
    company: Company,
    deliveries: Sequence[Delivery],
    plans: Sequence[list[_Planned]],
    postings: Sequence[inventory.Posting],
) -> list[list[DeliveryLine]]:
    taken = _taken_by_deliveries(
        [item.line.pk for planned in plans for item in planned]
    )
    return [
        delivery_rows(company, delivery, planned, posting.moves, taken)
        for delivery, planned, posting in zip(deliveries, plans, postings, strict=True)
    ]


def _new_deliveries(
    company: Company,
    actor: User | None,
    orders: Sequence[SalesOrder],
    dates: Sequence[datetime.date],
    on_delivery: bool,
) -> list[Delivery]:
    numbers = numbering.take_many(
        company=company, key=DELIVERY_NUMBERS.key, dates=dates
    )
    return insert_many(
        [
            Delivery(
                company=company,
                number=number,
                order=order,
                customer=order.customer,
                date=on_date,
                recognises_revenue=on_delivery,
                created_by=user_or_none(actor),
            )
            for order, on_date, number in zip(orders, dates, numbers, strict=True)
        ]
    )


def _plans(
    company: Company,
    orders: Sequence[SalesOrder],
    dates: Sequence[datetime.date],
) -> list[list[_Planned]]:
    lines = _lines_of(company, orders)
    plans = []
    for index, (order, on_date) in enumerate(zip(orders, dates, strict=True)):
        with naming_item("orders", index, ORDER_LABEL):
            if order.state != DocumentState.CONFIRMED:
                raise ConflictError(_("Only a confirmed order can be delivered."))
            if on_date < order.date:
                raise field_error(
                    "date", _("A delivery cannot be dated before its order.")
                )
            planned = _plan(order, None, {line.pk: line for line in lines[order.pk]})
            if not planned:
                raise ConflictError(_("Everything on this order has been delivered."))
        plans.append(planned)
    return plans


@transaction.atomic
def deliver_orders(
    *,
    company: Company,
    actor: User | None,
    orders: Sequence[SalesOrder],
    date: datetime.date | None = None,
) -> list[Delivery]:
    """Deliver everything still open on each confirmed order, from the
    warehouses its lines reserve, dated ``date`` (each on its order's date
    when None), as ``deliver`` does order after order."""
    require_writable(company)
    _require_some(orders, "orders")
    locked = _locked_orders(company, orders)
    dates = [date or order.date for order in locked]
    plans = _plans(company, locked, dates)
    on_delivery = (
        settings_of(company).revenue_recognition == RevenueRecognition.ON_DELIVERY
    )
    deliveries = _new_deliveries(company, actor, locked, dates, on_delivery)
    counter = inventory.Counterpart(
        Role.COST_OF_SALES if on_delivery else Role.GOODS_SHIPPED
    )
    postings = inventory.issue_many(
        company=company,
        documents=[
            inventory.IssueDocument(
                date=delivery.date,
                lines=[
                    inventory.MoveLine(
                        product=item.line.product,
                        warehouse=item.warehouse,
                        quantity=item.base,
                    )
                    for item in planned
                ],
                counter=counter,
                source=SourceRef(DELIVERY_KIND, delivery.pk),
                reservation=SourceRef(ORDER_KIND, order.pk),
                summary=_("Delivery %(number)s to %(customer)s")
                % {"number": delivery.number, "customer": order.customer.name},
            )
            for delivery, order, planned in zip(deliveries, locked, plans, strict=True)
        ],
        kind=MoveKind.ISSUE,
        actor=actor,
    )
    rows = _delivery_lines(company, deliveries, plans, postings)
    update_many(
        list({item.line.pk: item.line for p in plans for item in p}.values()),
        ["delivered_quantity"],
    )
    insert_many([row for group in rows for row in group])
    update_many(deliveries, ["net_total", "tax_total", "total", "cost_total"])
    if on_delivery:
        _recognise(
            company,
            actor,
            [
                _Revenue(
                    document=delivery,
                    source=SourceRef(DELIVERY_KIND, delivery.pk),
                    item_kind=ItemKind.DELIVERY,
                    summary=_("Sales %(number)s to %(customer)s")
                    % {"number": delivery.number, "customer": delivery.customer.name},
                    net=delivery.net_total,
                    tax=delivery.tax_total,
                    gross=delivery.total,
                )
                for delivery in deliveries
            ],
        )
    # Every line still open was delivered in full.
    documents.change_states(locked, DocumentState.DONE, actor=actor)
    audit.record_many(company=company, actor=actor, action="create", objects=deliveries)
    return deliveries


# --- revenue ----------


@dataclasses.dataclass(slots=True, kw_only=True)
class _Revenue:
    """A document recognising revenue: its voucher and its receivable item."""

    document: Delivery | SalesInvoice
    source: SourceRef
    item_kind: str
    summary: str
    net: Decimal
    tax: Decimal
    gross: Decimal
    cost: Decimal | None = None  # moved from 发出商品 to 主营业务成本 (invoices)


def _recognise(company: Company, actor: User | None, revenues: list[_Revenue]) -> None:
    """Post each document's Dr 应收 / Cr 收入, 销项 (and, invoicing, its cost)
    with one ``post_vouchers``, then open its receivable item."""
    accounts = Accounts(company)
    entries = []
    for revenue in revenues:
        draft = _revenue_voucher(
            company,
            accounts,
            revenue.document.customer,
            summary=revenue.summary,
            net=revenue.net,
            tax=revenue.tax,
            gross=revenue.gross,
        )
        if revenue.cost is not None:
            draft.add(accounts(Role.COST_OF_SALES), debit=revenue.cost)
            draft.add(accounts(Role.GOODS_SHIPPED), credit=revenue.cost)
        lines = draft.lines()
        if lines:
            entries.append(
                VoucherEntry(
                    date=revenue.document.date, lines=lines, source=revenue.source
                )
            )
    post_vouchers(company=company, entries=entries, actor=actor)
    _open_items(
        company,
        actor,
        [r for r in revenues if r.gross > 0],
        accounts(Role.RECEIVABLE).pk,
    )


def _open_items(
    company: Company, actor: User | None, revenues: list[_Revenue], account_id: int
) -> None:
    """One insert for the items; a customer with open credits (returns not
    yet used) has them opened one by one, each followed by ``net_credits``,
    as the single path does."""
    customers = {r.document.customer_id for r in revenues}
    with_credits = set(
        ReceivableItem.objects.filter(
            company=company, customer_id__in=customers, open_amount__lt=0
        ).values_list("customer_id", flat=True)
    )
    items = [
        new_item(
            company=company,
            customer=r.document.customer,
            kind=r.item_kind,
            source_id=r.document.pk,
            number=r.document.number,
            date=r.document.date,
            amount=r.gross,
            account_id=account_id,
        )
        for r in revenues
    ]
    insert_many([i for i in items if i.customer_id not in with_credits])
    for item in items:
        if item.customer_id in with_credits:
            item.save()
            net_credits(company, item.customer, item.date, actor)


# --- invoice ----------


def _returned_by_delivery(
    company: Company, deliveries: Sequence[Delivery]
) -> dict[int, dict[str, Decimal]]:
    return {
        row["delivery_id"]: {k: row[k] for k in ("net", "tax", "gross", "cost")}
        for row in SalesReturn.objects.filter(
            company=company, delivery__in=[d.pk for d in deliveries]
        )
        .values("delivery_id")
        .order_by("delivery_id")
        .annotate(
            net=sum_amount("net_total"),
            tax=sum_amount("tax_total"),
            gross=sum_amount("total"),
            cost=sum_amount("cost_total"),
        )
    }


def _locked_deliveries(
    company: Company, deliveries: Sequence[Delivery], dates: Sequence[datetime.date]
) -> list[Delivery]:
    ids = [delivery.pk for delivery in deliveries]
    if len(set(ids)) != len(ids):
        raise field_error("deliveries", _("A delivery is chosen twice."))
    found = {
        row.pk: row
        for row in Delivery.objects.select_for_update(of=("self",))
        .filter(company=company, pk__in=ids)
        .select_related("customer")
        .order_by("pk")
    }
    for index, delivery_id in enumerate(ids):
        with naming_item("deliveries", index, DELIVERY_LABEL):
            row = found.get(delivery_id)
            if row is None:
                raise field_error("id", _("A delivery was not found."))
            check_invoiceable(row, dates[index] if dates else row.date)
    return [found[delivery_id] for delivery_id in ids]


@transaction.atomic
def invoice_each(
    *,
    company: Company,
    actor: User | None,
    deliveries: Sequence[Delivery],
    date: datetime.date | None = None,
) -> list[SalesInvoice]:
    """One invoice per delivery (made under recognition on invoicing), dated
    ``date`` (each on its delivery's date when None), as
    ``invoice_deliveries`` invoices them one after the other."""
    require_writable(company)
    _require_some(deliveries, "deliveries")
    given = [date] * len(deliveries) if date else []
    locked = _locked_deliveries(company, deliveries, given)
    dates = given or [delivery.date for delivery in locked]
    returned = _returned_by_delivery(company, locked)
    nothing: dict[str, Decimal] = {
        "net": ZERO,
        "tax": ZERO,
        "gross": ZERO,
        "cost": ZERO,
    }
    invoices = []
    for index, delivery in enumerate(locked):
        back = returned.get(delivery.pk, nothing)
        invoice = SalesInvoice(
            company=company,
            customer=delivery.customer,
            date=dates[index],
            net_total=delivery.net_total - back["net"],
            tax_total=delivery.tax_total - back["tax"],
            total=delivery.total - back["gross"],
            cost_total=delivery.cost_total - back["cost"],
            created_by=user_or_none(actor),
        )
        if invoice.total <= 0 and invoice.cost_total <= 0:
            with naming_item("deliveries", index, DELIVERY_LABEL):
                raise ConflictError(_("Everything on these deliveries came back."))
        invoices.append(invoice)
    numbers = numbering.take_many(company=company, key=INVOICE_NUMBERS.key, dates=dates)
    for invoice, number in zip(invoices, numbers, strict=True):
        invoice.number = number
    insert_many(invoices)
    for delivery, invoice in zip(locked, invoices, strict=True):
        delivery.invoice = invoice
    update_many(locked, ["invoice"])
    _recognise(
        company,
        actor,
        [
            _Revenue(
                document=invoice,
                source=SourceRef(INVOICE_KIND, invoice.pk),
                item_kind=ItemKind.INVOICE,
                summary=_("Invoice %(number)s to %(customer)s")
                % {"number": invoice.number, "customer": invoice.customer.name},
                net=invoice.net_total,
                tax=invoice.tax_total,
                gross=invoice.total,
                cost=invoice.cost_total,
            )
            for invoice in invoices
        ],
    )
    audit.record_many(company=company, actor=actor, action="create", objects=invoices)
    return invoices
