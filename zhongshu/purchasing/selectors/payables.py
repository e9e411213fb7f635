"""Reports of the payables (应付): open items, aging (账龄) as of a date and
the supplier statement (对账单)."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.core.aging import (
    DEFAULT_BUCKETS,
    Basis,
    Bucket,
    make_buckets,
    parse_buckets,
)
from zhongshu.core.errors import NotFoundError
from zhongshu.core.fields import sum_amount
from zhongshu.core.models import Company
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import (
    PayableItem,
    PayableKind,
    Payment,
    PaymentSettlement,
    PaymentSettlementKind,
    PurchaseSettings,
)

ZERO = Decimal("0.00")


def open_items(
    company: Company, supplier_id: int | None = None
) -> QuerySet[PayableItem]:
    rows = PayableItem.objects.filter(company=company).exclude(open_amount=0)
    if supplier_id is not None:
        rows = rows.filter(supplier_id=supplier_id)
    return rows.select_related("supplier").order_by("due_date", "id")


def company_buckets(company: Company) -> tuple[int, ...]:
    text = (
        PurchaseSettings.objects.filter(company=company)
        .values_list("aging_buckets", flat=True)
        .first()
    )
    try:
        return parse_buckets(text) if text else DEFAULT_BUCKETS
    except ValueError:
        return DEFAULT_BUCKETS


@dataclasses.dataclass(slots=True)
class AgingRow:
    supplier_id: int | None
    supplier_code: str
    supplier_name: str
    buckets: list[Decimal]
    # Prepayments not yet applied (预付), shown apart.
    prepayments: Decimal = ZERO

    @property
    def open_total(self) -> Decimal:
        return sum(self.buckets, ZERO)

    @property
    def balance(self) -> Decimal:
        """What the company owes the supplier net of its prepayments."""
        return self.open_total - self.prepayments


@dataclasses.dataclass(frozen=True, slots=True)
class Aging:
    as_of: datetime.date
    basis: Basis
    buckets: tuple[Bucket, ...]
    rows: list[AgingRow]
    totals: AgingRow


def _settled_after(company: Company, as_of: datetime.date) -> dict[int, Decimal]:
    """Per item, what settlements after ``as_of`` took (added back)."""
    rows = (
        PaymentSettlement.objects.filter(company=company, date__gt=as_of)
        .values("item_id")
        .annotate(total=sum_amount("amount"))
        .order_by()
    )
    result = {int(row["item_id"]): row["total"] for row in rows}
    credits = (
        PaymentSettlement.objects.filter(
            company=company, date__gt=as_of, kind=PaymentSettlementKind.CREDIT
        )
        .values("credit_item_id")
        .annotate(total=sum_amount("amount"))
        .order_by()
    )
    for row in credits:
        key = int(row["credit_item_id"])
        result[key] = result.get(key, ZERO) - row["total"]
    return result


def _bucket_of(buckets: tuple[Bucket, ...], age: int) -> int:
    for bucket in buckets:
        if bucket.high is not None and age <= bucket.high:
            return bucket.index
    return buckets[-1].index


def aging(
    company: Company,
    as_of: datetime.date,
    *,
    basis: Basis | str = Basis.DUE_DATE,
    supplier_id: int | None = None,
) -> Aging:
    """应付账龄: per supplier, what was owed at the end of ``as_of`` (items
    dated by then, less settlements dated by then) by age, and unapplied
    prepayments apart. One query for the items, two for later settlements,
    one for prepayments."""
    basis = Basis(basis)
    buckets = make_buckets(company_buckets(company), basis)
    later = _settled_after(company, as_of)
    items = PayableItem.objects.filter(company=company, date__lte=as_of).filter(
        Q(open_amount__gt=0) | Q(open_amount__lt=0) | Q(pk__in=list(later))
    )
    if supplier_id is not None:
        items = items.filter(supplier_id=supplier_id)
    rows: dict[int, AgingRow] = {}
    for item in items.select_related("supplier"):
        open_then = item.open_amount + later.get(item.pk, ZERO)
        if not open_then:
            continue
        row = rows.setdefault(
            item.supplier_id,
            AgingRow(
                item.supplier_id,
                item.supplier.code,
                item.supplier.name,
                [ZERO] * len(buckets),
            ),
        )
        reference = item.due_date if basis == Basis.DUE_DATE else item.date
        row.buckets[_bucket_of(buckets, (as_of - reference).days)] += open_then
    _add_prepayments(company, as_of, rows, supplier_id, len(buckets))
    ordered = sorted(rows.values(), key=lambda r: r.supplier_code)
    totals = AgingRow(None, "", _("Total"), [ZERO] * len(buckets))
    for row in ordered:
        totals.buckets = [
            a + b for a, b in zip(totals.buckets, row.buckets, strict=True)
        ]
        totals.prepayments += row.prepayments
    return Aging(as_of, basis, buckets, ordered, totals)


def _add_prepayments(
    company: Company,
    as_of: datetime.date,
    rows: dict[int, AgingRow],
    supplier_id: int | None,
    width: int,
) -> None:
    payments = Payment.objects.filter(
        company=company, date__lte=as_of, is_prepayment=True
    ).select_related("supplier")
    if supplier_id is not None:
        payments = payments.filter(supplier_id=supplier_id)
    applied_later = dict(
        PaymentSettlement.objects.filter(
            company=company, date__gt=as_of, kind=PaymentSettlementKind.PREPAYMENT
        )
        .values("payment_id")
        .annotate(total=sum_amount("amount"))
        .values_list("payment_id", "total")
        .order_by()
    )
    for payment in payments:
        left = payment.unallocated + applied_later.get(payment.pk, ZERO)
        if not left:
            continue
        row = rows.setdefault(
            payment.supplier_id,
            AgingRow(
                payment.supplier_id,
                payment.supplier.code,
                payment.supplier.name,
                [ZERO] * width,
            ),
        )
        row.prepayments += left


@dataclasses.dataclass(frozen=True, slots=True)
class StatementLine:
    date: datetime.date
    label: str
    number: str
    source_kind: str
    source_id: int
    increase: Decimal
    decrease: Decimal
    balance: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class SupplierStatement:
    supplier: Supplier
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    lines: list[StatementLine]

    @property
    def closing(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening


def _entries(
    company: Company,
    supplier: Supplier,
    date_from: datetime.date | None,
    date_to: datetime.date,
) -> list[tuple[datetime.date, int, str, str, str, int, Decimal]]:
    """(date, order, label, number, source kind, id, amount owed +/−)."""
    items = PayableItem.objects.filter(
        company=company, supplier=supplier, date__lte=date_to
    )
    payments = Payment.objects.filter(
        company=company, supplier=supplier, date__lte=date_to
    )
    discounts = PaymentSettlement.objects.filter(
        company=company,
        supplier=supplier,
        kind=PaymentSettlementKind.DISCOUNT,
        date__lte=date_to,
    ).select_related("payment")
    if date_from is not None:
        items = items.filter(date__gte=date_from)
        payments = payments.filter(date__gte=date_from)
        discounts = discounts.filter(date__gte=date_from)
    labels = {
        PayableKind.OPENING: _("Opening balance"),
        PayableKind.INVOICE: _("Supplier invoice"),
        PayableKind.RETURN: _("Purchase return"),
    }
    kinds = {
        PayableKind.OPENING: "",
        PayableKind.INVOICE: "purchasing.invoice",
        PayableKind.RETURN: "purchasing.return",
    }
    entries = [
        (
            i.date,
            0,
            str(labels[PayableKind(i.kind)]),
            i.number,
            kinds[PayableKind(i.kind)],
            i.source_id,
            i.amount,
        )
        for i in items
    ]
    entries += [
        (p.date, 1, _("Payment"), p.number, "purchasing.payment", p.pk, -p.amount)
        for p in payments
    ]
    entries += [
        (
            d.date,
            2,
            _("Discount"),
            d.payment.number if d.payment else "",
            "purchasing.payment",
            d.payment_id or 0,
            -d.amount,
        )
        for d in discounts
    ]
    return sorted(entries, key=lambda e: (e[0], e[1], e[3]))


def statement(
    company: Company,
    supplier: Supplier,
    date_from: datetime.date,
    date_to: datetime.date,
) -> SupplierStatement:
    """对账单: what the company owed ``supplier`` before ``date_from`` (net of
    prepayments paid), then each invoice and return, payment and discount
    with the running balance. Estimates (goods not yet invoiced) are not
    owed to the supplier yet and are not shown."""
    if supplier.company_id != company.pk:
        raise NotFoundError(_("Supplier not found."))
    before = _entries(company, supplier, None, date_from - datetime.timedelta(days=1))
    opening = sum((e[6] for e in before), ZERO)
    running = opening
    lines = []
    for day, _order, label, number, kind, source_id, amount in _entries(
        company, supplier, date_from, date_to
    ):
        running += amount
        lines.append(
            StatementLine(
                date=day,
                label=label,
                number=number,
                source_kind=kind,
                source_id=source_id,
                increase=max(amount, ZERO),
                decrease=max(-amount, ZERO),
                balance=running,
            )
        )
    return SupplierStatement(supplier, date_from, date_to, opening, lines)
