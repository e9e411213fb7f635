"""Reads of the sales documents: filtered lists (newest first, with what a
list shows already joined), one document by id (404 for another company's),
and the document flow (单据流) around any document — quotation → order →
deliveries → returns → invoices → receivable items → settlements → receipts,
with the vouchers each posted — in a constant number of queries."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.ledger.models import Voucher
from zhongshu.sales.models import (
    Delivery,
    DeliveryLine,
    ItemKind,
    Quotation,
    QuotationLine,
    Receipt,
    ReceivableItem,
    SalesInvoice,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    SalesReturnLine,
    Settlement,
)
from zhongshu.sales.services.common import (
    DELIVERY_KIND,
    INVOICE_KIND,
    ORDER_KIND,
    QUOTATION_KIND,
    RECEIPT_KIND,
    RETURN_KIND,
    SETTLEMENT_KIND,
)

M = TypeVar("M", bound=Model)

# A receivable item is no document of its own (no voucher names it): the
# flow shows it between the documents that opened and settled it.
ITEM_KIND = "sales.item"


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFilter:
    """What a document list is narrowed to. ``q`` matches the number or the
    customer's code or name; ``state`` is the document's state (orders,
    quotations), ``to_invoice`` for deliveries still to invoice, ``advance``
    for receipts with money left to apply; ``warehouse_id`` is where an order
    is kept or a delivery or return moved stock."""

    q: str = ""
    customer_id: int | None = None
    state: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    warehouse_id: int | None = None


NO_FILTER = DocumentFilter()


def _common(rows: QuerySet[M], f: DocumentFilter) -> QuerySet[M]:
    text = f.q.strip()
    if text:
        rows = rows.filter(
            Q(number__icontains=text)
            | Q(customer__code__icontains=text)
            | Q(customer__name__icontains=text)
        )
    if f.customer_id is not None:
        rows = rows.filter(customer_id=f.customer_id)
    if f.date_from is not None:
        rows = rows.filter(date__gte=f.date_from)
    if f.date_to is not None:
        rows = rows.filter(date__lte=f.date_to)
    return rows.order_by("-date", "-id")


# --- lists ------------------------------------------------------------------------


def quotations(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[Quotation]:
    rows = Quotation.objects.filter(company=company).select_related(
        "customer", "salesperson"
    )
    if f.state:
        rows = rows.filter(state=f.state)
    return _common(rows, f)


def orders(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[SalesOrder]:
    rows = SalesOrder.objects.filter(company=company).select_related(
        "customer", "warehouse", "salesperson"
    )
    if f.state:
        rows = rows.filter(state=f.state)
    if f.warehouse_id is not None:
        rows = rows.filter(warehouse_id=f.warehouse_id)
    return _common(rows, f)


def deliveries(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(company=company).select_related(
        "customer", "order", "invoice"
    )
    if f.state == "to_invoice":
        rows = rows.filter(recognises_revenue=False, invoice__isnull=True)
    if f.warehouse_id is not None:
        rows = rows.filter(
            Exists(
                DeliveryLine.objects.filter(
                    delivery=OuterRef("pk"), warehouse_id=f.warehouse_id
                )
            )
        )
    return _common(rows, f)


def returns(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[SalesReturn]:
    rows = SalesReturn.objects.filter(company=company).select_related(
        "customer", "delivery"
    )
    if f.warehouse_id is not None:
        rows = rows.filter(
            Exists(
                SalesReturnLine.objects.filter(
                    sales_return=OuterRef("pk"), warehouse_id=f.warehouse_id
                )
            )
        )
    return _common(rows, f)


def invoices(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[SalesInvoice]:
    rows = SalesInvoice.objects.filter(company=company).select_related("customer")
    return _common(rows, f)


def receipts(company: Company, f: DocumentFilter = NO_FILTER) -> QuerySet[Receipt]:
    rows = Receipt.objects.filter(company=company).select_related("customer", "account")
    if f.state == "advance":
        rows = rows.filter(unallocated__gt=0)
    return _common(rows, f)


def receivable_items(
    company: Company, customer_id: int | None = None, open_only: bool = False
) -> QuerySet[ReceivableItem]:
    """Open items (应收明细), newest first; ``open_only`` leaves out what is
    settled (a credit not yet used is open too: its open amount is below 0)."""
    rows = ReceivableItem.objects.filter(company=company).select_related(
        "customer", "account"
    )
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if open_only:
        rows = rows.exclude(open_amount=0)
    return rows.order_by("-date", "-id")


# --- one document -------------------------------------------------------------------


def _one(rows: QuerySet[M], message: Promise) -> M:
    found = rows.first()
    if found is None:
        raise NotFoundError(str(message))
    return found


def get_quotation(company: Company, quotation_id: int) -> Quotation:
    rows = Quotation.objects.filter(company=company, pk=quotation_id)
    return _one(
        rows.select_related("customer", "salesperson").prefetch_related(
            Prefetch(
                "lines",
                queryset=QuotationLine.objects.select_related("product", "unit"),
            )
        ),
        _("Quotation not found."),
    )


def in_order(rows: QuerySet[M], ids: Sequence[int], missing: str = "") -> list[M]:
    """The rows of ``ids`` among ``rows`` (scoped to a company), in the order
    of ``ids``; NotFoundError when one is not among them — another company's
    id is not found, as in a path."""
    found = {row.pk: row for row in rows.filter(pk__in=set(ids))}
    if any(pk not in found for pk in ids):
        raise NotFoundError(missing or None)
    return [found[pk] for pk in ids]


def get_order(company: Company, order_id: int) -> SalesOrder:
    rows = SalesOrder.objects.filter(company=company, pk=order_id)
    return _one(
        rows.select_related(
            "customer", "warehouse", "salesperson", "quotation"
        ).prefetch_related(
            Prefetch(
                "lines",
                queryset=SalesOrderLine.objects.select_related(
                    "product", "unit", "warehouse"
                ),
            )
        ),
        _("Sales order not found."),
    )


def get_delivery(company: Company, delivery_id: int) -> Delivery:
    rows = Delivery.objects.filter(company=company, pk=delivery_id)
    return _one(
        rows.select_related("customer", "order", "invoice").prefetch_related(
            Prefetch(
                "lines",
                queryset=DeliveryLine.objects.select_related(
                    "product", "warehouse", "order_line"
                ),
            )
        ),
        _("Delivery not found."),
    )


def get_return(company: Company, return_id: int) -> SalesReturn:
    rows = SalesReturn.objects.filter(company=company, pk=return_id)
    return _one(
        rows.select_related("customer", "delivery").prefetch_related(
            Prefetch(
                "lines",
                queryset=SalesReturnLine.objects.select_related(
                    "product", "warehouse", "delivery_line"
                ),
            )
        ),
        _("Sales return not found."),
    )


def get_invoice(company: Company, invoice_id: int) -> SalesInvoice:
    rows = SalesInvoice.objects.filter(company=company, pk=invoice_id)
    return _one(
        rows.select_related("customer").prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.order_by("date", "id"))
        ),
        _("Sales invoice not found."),
    )


def get_receipt(company: Company, receipt_id: int) -> Receipt:
    rows = Receipt.objects.filter(company=company, pk=receipt_id)
    return _one(
        rows.select_related("customer", "account", "advance_account").prefetch_related(
            Prefetch(
                "settlements",
                queryset=Settlement.objects.select_related("item").order_by(
                    "date", "id"
                ),
            )
        ),
        _("Receipt not found."),
    )


def get_settlement(company: Company, settlement_id: int) -> Settlement:
    rows = Settlement.objects.filter(company=company, pk=settlement_id)
    return _one(
        rows.select_related(
            "customer", "item", "receipt", "credit_item", "voucher", "undo_voucher"
        ),
        _("Settlement not found."),
    )


def get_item(company: Company, item_id: int) -> ReceivableItem:
    rows = ReceivableItem.objects.filter(company=company, pk=item_id)
    return _one(
        rows.select_related("customer", "account"), _("Receivable item not found.")
    )


# --- the document flow --------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class FlowNode:
    """One document of a flow. ``state`` is the state's value ("" for
    documents without one; "open"/"settled" for items, "undone" for undone
    settlements); ``url_name`` is its page (taking ``id``), "" for items;
    ``vouchers`` are (voucher id, display number) of what it posted."""

    kind: str
    id: int
    number: str
    date: datetime.date
    label: str
    state: str
    amount: Decimal
    url_name: str
    vouchers: list[tuple[int, str]]


# Short names (paths, pages) and the source kinds vouchers carry.
FLOW_KINDS: dict[str, str] = {
    "quotation": QUOTATION_KIND,
    "order": ORDER_KIND,
    "delivery": DELIVERY_KIND,
    "return": RETURN_KIND,
    "invoice": INVOICE_KIND,
    "item": ITEM_KIND,
    "settlement": SETTLEMENT_KIND,
    "receipt": RECEIPT_KIND,
}

_LABELS: dict[str, Promise] = {
    QUOTATION_KIND: _("Quotation"),
    ORDER_KIND: _("Sales order"),
    DELIVERY_KIND: _("Delivery"),
    RETURN_KIND: _("Sales return"),
    INVOICE_KIND: _("Sales invoice"),
    ITEM_KIND: _("Receivable item"),
    SETTLEMENT_KIND: _("Settlement"),
    RECEIPT_KIND: _("Receipt"),
}

# The pages of ``sales.refs`` (not imported here: importing it registers
# the kinds, which the app does once its pages exist).
_URL_NAMES: dict[str, str] = {
    QUOTATION_KIND: "sales_quotation",
    ORDER_KIND: "sales_order",
    DELIVERY_KIND: "sales_delivery",
    RETURN_KIND: "sales_return",
    INVOICE_KIND: "sales_invoice",
    ITEM_KIND: "",
    SETTLEMENT_KIND: "sales_settlement",
    RECEIPT_KIND: "sales_receipt",
}


def flow_kind(kind: str) -> str:
    """The source kind of ``kind`` ("order" or "sales.order"); 404 else."""
    if kind in FLOW_KINDS:
        return FLOW_KINDS[kind]
    if kind in FLOW_KINDS.values():
        return kind
    raise NotFoundError(_("There is no sales document type %(kind)s.") % {"kind": kind})


def _item_orders(kind: str, source_id: int) -> Q:
    if kind == ItemKind.OPENING:
        return Q(pk__in=[])  # an opening balance comes from no order
    if kind == ItemKind.DELIVERY:
        return Q(deliveries__id=source_id)
    if kind == ItemKind.RETURN:
        return Q(deliveries__returns__id=source_id)
    return Q(deliveries__invoice_id=source_id)


@dataclasses.dataclass(slots=True)
class _Found:
    """The start document and the orders around it (one or two queries)."""

    start: Model
    orders: Q
    # Items the start document settled, found even when no order is behind
    # them (an opening balance).
    items: frozenset[int] = frozenset()


def _start(company: Company, kind: str, document_id: int) -> _Found:
    nothing = Q(pk__in=[])
    if kind == QUOTATION_KIND:
        q = _one(
            Quotation.objects.filter(company=company, pk=document_id),
            _("Quotation not found."),
        )
        return _Found(q, Q(quotation_id=q.pk))
    if kind == ORDER_KIND:
        o = _one(
            SalesOrder.objects.filter(company=company, pk=document_id),
            _("Sales order not found."),
        )
        return _Found(o, Q(pk=o.pk))
    if kind == DELIVERY_KIND:
        d = _one(
            Delivery.objects.filter(company=company, pk=document_id),
            _("Delivery not found."),
        )
        return _Found(d, Q(pk=d.order_id))
    if kind == RETURN_KIND:
        r = _one(
            SalesReturn.objects.filter(company=company, pk=document_id).select_related(
                "delivery"
            ),
            _("Sales return not found."),
        )
        return _Found(r, Q(pk=r.delivery.order_id))
    if kind == INVOICE_KIND:
        i = _one(
            SalesInvoice.objects.filter(company=company, pk=document_id),
            _("Sales invoice not found."),
        )
        return _Found(i, Q(deliveries__invoice_id=i.pk))
    if kind == ITEM_KIND:
        item = get_item(company, document_id)
        return _Found(item, _item_orders(item.kind, item.source_id))
    if kind == SETTLEMENT_KIND:
        s = _one(
            Settlement.objects.filter(company=company, pk=document_id).select_related(
                "item", "credit_item"
            ),
            _("Settlement not found."),
        )
        seed = _item_orders(s.item.kind, s.item.source_id)
        if s.credit_item is not None:
            seed |= _item_orders(s.credit_item.kind, s.credit_item.source_id)
        return _Found(s, seed, frozenset({s.item_id, s.credit_item_id or 0}))
    receipt = _one(
        Receipt.objects.filter(company=company, pk=document_id), _("Receipt not found.")
    )
    seed = nothing
    settled = set()
    for item_id, item_kind, source_id in Settlement.objects.filter(
        company=company, receipt=receipt
    ).values_list("item_id", "item__kind", "item__source_id"):
        seed |= _item_orders(item_kind, source_id)
        settled.add(item_id)
    return _Found(receipt, seed, frozenset(settled))


def _ids(rows: Iterable[Model]) -> list[int]:
    return sorted({row.pk for row in rows})


def _by_kind(found: Sequence[Model], extra: Model, model: type[M]) -> list[M]:
    """``found`` plus the start document when it is of ``model`` and not
    reached through the orders (a quotation never ordered, an advance)."""
    rows: list[M] = [row for row in found if isinstance(row, model)]
    if isinstance(extra, model) and extra.pk not in {row.pk for row in rows}:
        rows.append(extra)
    return rows


def document_flow(company: Company, kind: str, document_id: int) -> list[FlowNode]:
    """Every document of the chain around one, in flow order (then by date),
    each with its vouchers (stock and accounting vouchers name the same
    source). A constant number of queries, however long the chain."""
    found = _start(company, flow_kind(kind), document_id)
    start = found.start
    order_rows = list(
        SalesOrder.objects.filter(company=company)
        .filter(found.orders)
        .distinct()
        .order_by("date", "id")
    )
    order_ids = _ids(order_rows)
    quotation_ids = sorted({o.quotation_id for o in order_rows if o.quotation_id})
    quotation_rows = _by_kind(
        list(Quotation.objects.filter(company=company, pk__in=quotation_ids)),
        start,
        Quotation,
    )
    delivery_rows = _by_kind(
        list(Delivery.objects.filter(company=company, order_id__in=order_ids)),
        start,
        Delivery,
    )
    delivery_ids = _ids(delivery_rows)
    return_rows = list(
        SalesReturn.objects.filter(company=company, delivery_id__in=delivery_ids)
    )
    invoice_ids = sorted({d.invoice_id for d in delivery_rows if d.invoice_id})
    if isinstance(start, SalesInvoice):
        invoice_ids = sorted({*invoice_ids, start.pk})
    invoice_rows = list(
        SalesInvoice.objects.filter(company=company, pk__in=invoice_ids)
    )
    item_rows = _by_kind(
        list(
            ReceivableItem.objects.filter(company=company).filter(
                Q(kind=ItemKind.DELIVERY, source_id__in=delivery_ids)
                | Q(kind=ItemKind.RETURN, source_id__in=_ids(return_rows))
                | Q(kind=ItemKind.INVOICE, source_id__in=invoice_ids)
                | Q(pk__in=found.items)
            )
        ),
        start,
        ReceivableItem,
    )
    item_ids = _ids(item_rows)
    settlement_rows = list(
        Settlement.objects.filter(company=company).filter(
            Q(item_id__in=item_ids) | Q(credit_item_id__in=item_ids)
        )
    )
    receipt_ids = sorted({s.receipt_id for s in settlement_rows if s.receipt_id})
    receipt_rows = _by_kind(
        list(Receipt.objects.filter(company=company, pk__in=receipt_ids)),
        start,
        Receipt,
    )
    settlement_rows = _by_kind(settlement_rows, start, Settlement)
    groups: list[tuple[str, list[Model]]] = [
        (QUOTATION_KIND, [*quotation_rows]),
        (ORDER_KIND, [*order_rows]),
        (DELIVERY_KIND, [*delivery_rows]),
        (RETURN_KIND, [*return_rows]),
        (INVOICE_KIND, [*invoice_rows]),
        (ITEM_KIND, [*item_rows]),
        (SETTLEMENT_KIND, [*settlement_rows]),
        (RECEIPT_KIND, [*receipt_rows]),
    ]
    vouchers = _vouchers(company, groups)
    return [
        _node(group_kind, row, vouchers.get((group_kind, row.pk), []))
        for group_kind, rows in groups
        for row in sorted(rows, key=lambda r: (getattr(r, "date"), r.pk))  # noqa: B009
    ]


def _vouchers(
    company: Company, groups: list[tuple[str, list[Model]]]
) -> dict[tuple[str, int], list[tuple[int, str]]]:
    wanted = Q(pk__in=[])
    for kind, rows in groups:
        if rows and kind not in (ORDER_KIND, QUOTATION_KIND, ITEM_KIND):
            wanted |= Q(source_kind=kind, source_id__in=_ids(rows))
    result: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for voucher in (
        Voucher.objects.filter(company=company)
        .filter(wanted)
        .select_related("period")
        .order_by("date", "id")
    ):
        key = (voucher.source_kind, voucher.source_id or 0)
        result.setdefault(key, []).append((voucher.pk, _voucher_display(voucher)))
    return result


def _voucher_display(voucher: Voucher) -> str:
    return f"{voucher.period} {voucher.display_number}"


def _state(row: Model) -> str:
    if isinstance(row, ReceivableItem):
        return "open" if row.open_amount != 0 else "settled"
    if isinstance(row, Settlement):
        return "undone" if row.undone_at is not None else str(row.kind)
    return str(getattr(row, "state", ""))


def _number(row: Model) -> str:
    if isinstance(row, Settlement):
        return f"#{row.pk}"
    return str(getattr(row, "number", "")) or f"#{row.pk}"


def _amount(row: Model) -> Decimal:
    if isinstance(row, ReceivableItem | Settlement | Receipt):
        return row.amount
    total: Decimal = getattr(row, "total")  # noqa: B009
    return total


def _node(kind: str, row: Model, vouchers: list[tuple[int, str]]) -> FlowNode:
    return FlowNode(
        kind=kind,
        id=row.pk,
        number=_number(row),
        date=getattr(row, "date"),  # noqa: B009
        label=str(_LABELS[kind]),
        state=_state(row),
        amount=_amount(row),
        url_name=_URL_NAMES[kind],
        vouchers=vouchers,
    )
