"""Receivables reports (应收报表): the aging (账龄分析), open and overdue items
(逾期应收) and the customer statement (对账单), each "as of" any past day.

The as-of rule — what was true at the end of day D:

- an item (delivery, invoice or return) counts when it is dated on or before
  D, at its full amount, less the settlements (核销) that count on D;
- a settlement counts on D when it is dated on or before D and was not undone
  by then; an undo takes effect on the date of the voucher that reversed it
  (the day the ledger saw it), or, for a credit-note settlement that posts
  none, on the local day of ``undone_at``;
- a receipt dated on or before D counts its amount less the settlements of it
  that count on D: that is its unapplied advance (预收) on D.

The stored ``open_amount`` and ``unallocated`` are the figures of today, so
day D is reached from them by adding back what counts now but not on D
(settlements dated after D) and taking off what counted on D but not now
(settlements undone after D). Only those few settlements are read one by one;
everything else is summed in SQL per customer and bucket.

Ages are counted in days from the item's date by default (``Basis.DATE``:
age = D − date), or from its due date (``Basis.DUE_DATE``: days overdue =
D − due date, where 0 or less is "not yet due")."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.core.aging import DEFAULT_BUCKETS as DEFAULT_BUCKETS
from zhongshu.core.aging import Basis as Basis
from zhongshu.core.aging import Bucket as Bucket
from zhongshu.core.aging import bucket_case, bucket_range, reference
from zhongshu.core.aging import find_bucket as find_bucket
from zhongshu.core.aging import make_buckets as make_buckets
from zhongshu.core.aging import parse_buckets as parse_buckets
from zhongshu.core.errors import NotFoundError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.partners.models import Customer
from zhongshu.sales.models import (
    Delivery,
    DeliveryLine,
    ItemKind,
    Receipt,
    ReceivableItem,
    SalesSettings,
    Settlement,
    SettlementKind,
)

ZERO = Decimal("0.00")

ITEM_SOURCE_KINDS = {
    ItemKind.OPENING: "",  # no document behind an opening balance
    ItemKind.DELIVERY: "sales.delivery",
    ItemKind.INVOICE: "sales.invoice",
    ItemKind.RETURN: "sales.return",
}


def company_buckets(company: Company) -> tuple[int, ...]:
    text = (
        SalesSettings.objects.filter(company=company)
        .values_list("aging_buckets", flat=True)
        .first()
    )
    try:
        return parse_buckets(text) if text else DEFAULT_BUCKETS
    except ValueError:
        return DEFAULT_BUCKETS


# --- the as-of adjustments -------------------------------------------------------


def _undone_after(as_of: datetime.date) -> Q:
    return Q(undo_voucher__date__gt=as_of) | Q(
        undo_voucher__isnull=True, undone_at__date__gt=as_of
    )


def _added_back(as_of: datetime.date) -> Q:
    """Counts now, not on ``as_of``: still standing, dated after it."""
    return Q(undone_at__isnull=True, date__gt=as_of)


def _taken_off(as_of: datetime.date) -> Q:
    """Counted on ``as_of``, not now: dated by then, undone after it."""
    return Q(undone_at__isnull=False, date__lte=as_of) & _undone_after(as_of)


def _changed_since(company: Company, as_of: datetime.date) -> QuerySet[Settlement]:
    return Settlement.objects.filter(company=company).filter(
        _added_back(as_of) | _taken_off(as_of)
    )


def _sign(as_of: datetime.date) -> Case:
    return Case(
        When(_added_back(as_of), then=Value(1)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def undo_day(settlement: Settlement) -> datetime.date | None:
    """The day an undo took effect (see the module's as-of rule)."""
    if settlement.undone_at is None:
        return None
    if settlement.undo_voucher is not None:
        return settlement.undo_voucher.date
    return timezone.localdate(settlement.undone_at)


# --- aging --------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class AgingRow:
    customer_id: int | None
    customer_code: str
    customer_name: str
    buckets: list[Decimal]
    # Receipts not yet applied (预收), shown apart and as a positive figure.
    advances: Decimal = ZERO

    @property
    def open_total(self) -> Decimal:
        return sum(self.buckets, ZERO)

    @property
    def balance(self) -> Decimal:
        """What the customer owes net of their advances."""
        return self.open_total - self.advances

    def cells(self) -> list[tuple[int, Decimal]]:
        return list(enumerate(self.buckets))


@dataclasses.dataclass(frozen=True, slots=True)
class Aging:
    as_of: datetime.date
    basis: Basis
    buckets: tuple[Bucket, ...]
    rows: list[AgingRow]
    totals: AgingRow


def aging(
    company: Company,
    as_of: datetime.date,
    *,
    buckets: Sequence[int] | None = None,
    customer_id: int | None = None,
    basis: Basis | str = Basis.DATE,
) -> Aging:
    """账龄分析: per customer, the open amount at the end of ``as_of`` split
    by age (``buckets`` are the upper limits in days, the company's setting
    by default), their unapplied advances apart, and the totals. Summed in
    SQL per customer and bucket: a fixed number of queries for any volume."""
    basis = Basis(basis)
    columns = make_buckets(
        tuple(buckets) if buckets else company_buckets(company), basis
    )
    rows: dict[int, AgingRow] = {}

    def row(values: Mapping[str, Any]) -> AgingRow:
        key = int(str(values["customer_id"]))
        if key not in rows:
            rows[key] = AgingRow(
                key,
                str(values["customer__code"]),
                str(values["customer__name"]),
                [ZERO] * len(columns),
            )
        return rows[key]

    for values in _open_by_bucket(company, as_of, columns, basis, customer_id):
        row(values).buckets[int(str(values["bucket"]))] += _amount(values["total"])
    for values in _advances(company, as_of, customer_id):
        row(values).advances += _amount(values["total"])
    shown = sorted(
        (r for r in rows.values() if any(r.buckets) or r.advances),
        key=lambda r: r.customer_code,
    )
    totals = AgingRow(None, "", _("Total"), [ZERO] * len(columns))
    for r in shown:
        totals.buckets = [a + b for a, b in zip(totals.buckets, r.buckets, strict=True)]
        totals.advances += r.advances
    return Aging(as_of, basis, columns, shown, totals)


def _amount(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _open_by_bucket(
    company: Company,
    as_of: datetime.date,
    columns: Sequence[Bucket],
    basis: Basis,
    customer_id: int | None,
) -> Iterable[Mapping[str, Any]]:
    """Rows of customer, bucket and an amount that add up to the open amount
    on ``as_of``: today's open items, then the settlements that changed
    since, on their item (and, for a credit note, on its credit item)."""
    items = ReceivableItem.objects.filter(company=company, date__lte=as_of).exclude(
        open_amount=0
    )
    if customer_id is not None:
        items = items.filter(customer_id=customer_id)
    yield from (
        items.annotate(bucket=bucket_case(columns, as_of, reference(basis)))
        .values("customer_id", "customer__code", "customer__name", "bucket")
        .annotate(total=sum_amount("open_amount"))
        .order_by()
    )
    changed = _changed_since(company, as_of)
    if customer_id is not None:
        changed = changed.filter(customer_id=customer_id)
    for side, sign in (("item__", 1), ("credit_item__", -1)):
        rows = (
            changed.filter(**{f"{side}date__lte": as_of})
            .annotate(
                bucket=bucket_case(columns, as_of, reference(basis, side)),
                sign=_sign(as_of),
            )
            .values("customer_id", "customer__code", "customer__name", "bucket", "sign")
            .annotate(total=sum_amount("amount"))
            .order_by()
        )
        for values in rows:
            factor = sign * int(str(values["sign"]))
            yield {**values, "total": _amount(values["total"]) * factor}


def _advances(
    company: Company, as_of: datetime.date, customer_id: int | None
) -> Iterable[Mapping[str, Any]]:
    receipts = Receipt.objects.filter(company=company, date__lte=as_of).exclude(
        unallocated=0
    )
    changed = _changed_since(company, as_of).filter(receipt__date__lte=as_of)
    if customer_id is not None:
        receipts = receipts.filter(customer_id=customer_id)
        changed = changed.filter(customer_id=customer_id)
    yield from (
        receipts.values("customer_id", "customer__code", "customer__name")
        .annotate(total=sum_amount("unallocated"))
        .order_by()
    )
    for values in (
        changed.annotate(sign=_sign(as_of))
        .values("customer_id", "customer__code", "customer__name", "sign")
        .annotate(total=sum_amount("amount"))
        .order_by()
    ):
        yield {**values, "total": _amount(values["total"]) * int(str(values["sign"]))}


# --- open and overdue items -------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class OpenItem:
    item_id: int
    kind: str
    source_kind: str
    source_id: int
    number: str
    customer_id: int
    customer_code: str
    customer_name: str
    date: datetime.date
    due_date: datetime.date
    amount: Decimal
    open_amount: Decimal
    as_of: datetime.date

    @property
    def age(self) -> int:
        return (self.as_of - self.date).days

    @property
    def days_overdue(self) -> int:
        """Days past the due date (0 or less: not yet due)."""
        return (self.as_of - self.due_date).days


def open_items(
    company: Company,
    as_of: datetime.date,
    *,
    customer_id: int | None = None,
    basis: Basis | str = Basis.DATE,
    bucket: Bucket | None = None,
    overdue_only: bool = False,
) -> list[OpenItem]:
    """The items open at the end of ``as_of`` with their open amount then,
    oldest due date first; within one aging ``bucket`` (by ``basis``) or only
    those past due (and owed: credits are never overdue)."""
    basis = Basis(basis)
    adjustments = _item_adjustments(company, as_of, customer_id)
    items = ReceivableItem.objects.filter(company=company, date__lte=as_of).filter(
        ~Q(open_amount=0) | Q(pk__in=list(adjustments))
    )
    if customer_id is not None:
        items = items.filter(customer_id=customer_id)
    if overdue_only:
        items = items.filter(due_date__lt=as_of)
    if bucket is not None:
        items = items.filter(**bucket_range(bucket, as_of, reference(basis)))
    result = []
    for item in items.select_related("customer").order_by("due_date", "date", "id"):
        amount = item.open_amount + adjustments.get(item.pk, ZERO)
        if amount == 0 or (overdue_only and amount < 0):
            continue
        result.append(
            OpenItem(
                item_id=item.pk,
                kind=item.kind,
                source_kind=ITEM_SOURCE_KINDS[ItemKind(item.kind)],
                source_id=item.source_id,
                number=item.number,
                customer_id=item.customer_id,
                customer_code=item.customer.code,
                customer_name=item.customer.name,
                date=item.date,
                due_date=item.due_date,
                amount=item.amount,
                open_amount=amount,
                as_of=as_of,
            )
        )
    return result


def overdue(
    company: Company, as_of: datetime.date, customer_id: int | None = None
) -> list[OpenItem]:
    """逾期应收: what was owed and past its due date at the end of
    ``as_of``, with the days overdue, oldest first."""
    return open_items(company, as_of, customer_id=customer_id, overdue_only=True)


def _item_adjustments(
    company: Company, as_of: datetime.date, customer_id: int | None
) -> dict[int, Decimal]:
    """Item id → what to add to today's open amount to get the one on
    ``as_of``."""
    changed = _changed_since(company, as_of)
    if customer_id is not None:
        changed = changed.filter(customer_id=customer_id)
    result: dict[int, Decimal] = defaultdict(Decimal)
    for row in changed.annotate(sign=_sign(as_of)).values(
        "item_id", "credit_item_id", "amount", "sign"
    ):
        amount = _amount(row["amount"]) * int(str(row["sign"]))
        result[int(str(row["item_id"]))] += amount
        if row["credit_item_id"] is not None:
            result[int(str(row["credit_item_id"]))] -= amount
    return dict(result)


# --- the customer statement ------------------------------------------------------


class LineKind(StrEnum):
    OPENING = "opening"
    DELIVERY = "delivery"
    INVOICE = "invoice"
    RETURN = "return"
    RECEIPT = "receipt"
    DIFFERENCE = "difference"
    DIFFERENCE_UNDONE = "difference_undone"


LINE_LABELS: dict[LineKind, Promise] = {
    LineKind.OPENING: gettext_lazy("Opening balance"),
    LineKind.DELIVERY: gettext_lazy("Delivery"),
    LineKind.INVOICE: gettext_lazy("Sales invoice"),
    LineKind.RETURN: gettext_lazy("Sales return"),
    LineKind.RECEIPT: gettext_lazy("Receipt"),
    LineKind.DIFFERENCE: gettext_lazy("Small difference written off"),
    LineKind.DIFFERENCE_UNDONE: gettext_lazy("Small difference reinstated"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class StatementLine:
    date: datetime.date
    kind: LineKind
    number: str
    source_kind: str
    source_id: int
    increase: Decimal
    decrease: Decimal
    balance: Decimal

    @property
    def label(self) -> str:
        return str(LINE_LABELS[self.kind])


@dataclasses.dataclass(frozen=True, slots=True)
class CustomerStatement:
    customer: Customer
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    lines: list[StatementLine]

    @property
    def increase_total(self) -> Decimal:
        return sum((line.increase for line in self.lines), ZERO)

    @property
    def decrease_total(self) -> Decimal:
        return sum((line.decrease for line in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.increase_total - self.decrease_total


@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    date: datetime.date
    order: int
    kind: LineKind
    number: str
    source_kind: str
    source_id: int
    amount: Decimal  # + owed more, − owed less


_ITEM_LINE = {
    ItemKind.OPENING: LineKind.OPENING,
    ItemKind.DELIVERY: LineKind.DELIVERY,
    ItemKind.INVOICE: LineKind.INVOICE,
    ItemKind.RETURN: LineKind.RETURN,
}


def statement(
    company: Company,
    customer: Customer,
    date_from: datetime.date,
    date_to: datetime.date,
) -> CustomerStatement:
    """对账单: what ``customer`` owed before ``date_from`` net of advances
    (应收 − 预收), one line per document from ``date_from`` to ``date_to``
    with the running balance, and the closing balance. Deliveries and
    invoices add; returns, receipts (their whole amount, bank charges
    included) and small differences written off take away. Applying an
    advance or settling by a credit note moves money between the two
    accounts only and shows no line."""
    if customer.company_id != company.pk:
        raise NotFoundError(_("Customer not found."))
    before = _statement_opening(company, customer, date_from)
    entries = sorted(
        _statement_entries(company, customer, date_from, date_to),
        key=lambda e: (e.date, e.order, e.number, e.source_id),
    )
    running = before
    lines = []
    for entry in entries:
        running += entry.amount
        lines.append(
            StatementLine(
                date=entry.date,
                kind=entry.kind,
                number=entry.number,
                source_kind=entry.source_kind,
                source_id=entry.source_id,
                increase=entry.amount if entry.amount > 0 else ZERO,
                decrease=-entry.amount if entry.amount < 0 else ZERO,
                balance=running,
            )
        )
    return CustomerStatement(customer, date_from, date_to, before, lines)


def _statement_opening(
    company: Company, customer: Customer, date_from: datetime.date
) -> Decimal:
    scope = Q(company=company, customer=customer, date__lt=date_from)
    owed = ReceivableItem.objects.filter(scope).aggregate(t=sum_amount("amount"))["t"]
    paid = Receipt.objects.filter(scope).aggregate(t=sum_amount("amount"))["t"]
    differences = sum(
        (
            e.amount
            for e in _difference_entries(company, customer, date_from, None)
            if e.date < date_from
        ),
        ZERO,
    )
    result: Decimal = owed - paid + differences
    return result


def _statement_entries(
    company: Company,
    customer: Customer,
    date_from: datetime.date,
    date_to: datetime.date,
) -> Iterable[_Entry]:
    scope = Q(company=company, customer=customer, date__range=(date_from, date_to))
    for item in ReceivableItem.objects.filter(scope).only(
        "kind", "source_id", "number", "date", "amount"
    ):
        yield _Entry(
            item.date,
            0 if item.amount > 0 else 1,
            _ITEM_LINE[ItemKind(item.kind)],
            item.number,
            ITEM_SOURCE_KINDS[ItemKind(item.kind)],
            item.source_id,
            item.amount,
        )
    for receipt in Receipt.objects.filter(scope).only("number", "date", "amount"):
        yield _Entry(
            receipt.date,
            2,
            LineKind.RECEIPT,
            receipt.number,
            "sales.receipt",
            receipt.pk,
            -receipt.amount,
        )
    for entry in _difference_entries(company, customer, None, date_to):
        if entry.date >= date_from:
            yield entry


def _difference_entries(
    company: Company,
    customer: Customer,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> Iterable[_Entry]:
    """Small differences written off (−) and their undoing (+, on the day
    the undo took effect), up to ``date_to`` or before ``date_from``."""
    rows = Settlement.objects.filter(
        company=company, customer=customer, kind=SettlementKind.DIFFERENCE
    ).select_related("item", "undo_voucher")
    if date_to is not None:
        rows = rows.filter(date__lte=date_to)
    if date_from is not None:
        rows = rows.filter(date__lt=date_from)
    for settlement in rows:
        yield _Entry(
            settlement.date,
            3,
            LineKind.DIFFERENCE,
            settlement.item.number,
            "sales.settlement",
            settlement.pk,
            -settlement.amount,
        )
        undone = undo_day(settlement)
        if undone is not None and (date_to is None or undone <= date_to):
            yield _Entry(
                undone,
                4,
                LineKind.DIFFERENCE_UNDONE,
                settlement.item.number,
                "sales.settlement",
                settlement.pk,
                settlement.amount,
            )


# --- documents to print ------------------------------------------------------------


def delivery_note(company: Company, delivery_id: int) -> Delivery:
    """A delivery with what its 发货单 prints: customer, order (address),
    lines with product, unit and order line, and who made it."""
    found = (
        Delivery.objects.filter(company=company, pk=delivery_id)
        .select_related("customer", "order", "created_by", "company")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=DeliveryLine.objects.select_related(
                    "product", "product__base_unit", "order_line__unit", "warehouse"
                ).order_by("id"),
            )
        )
        .first()
    )
    if found is None:
        raise NotFoundError(_("Delivery not found."))
    return found
