"""Payments to suppliers and the payables reports over REST, mounted with the
purchasing router at /api/v1/purchasing: payments (付款单) and prepayments
applied, the open items (应付明细), aging (账龄) and the supplier statement
(对账单). Thin: parse, authorize, one service or selector, schema out.
Suppliers and payable items are named by id and looked up in the calling
company only (another company's id is a 404)."""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import ValidationError
from zhongshu.purchasing import api_inputs as inputs
from zhongshu.purchasing import permissions, services
from zhongshu.purchasing.models import PayableItem, Payment
from zhongshu.purchasing.schemas import (
    AgingOut,
    AgingQuery,
    AgingRowOut,
    ApplyIn,
    BucketOut,
    DocumentQuery,
    PayableItemOut,
    PayablesQuery,
    PaymentIn,
    PaymentOut,
    PaymentRowOut,
    StatementLineOut,
    StatementOut,
    StatementQuery,
)
from zhongshu.purchasing.selectors import documents, payables

router = Router(tags=["purchasing"])

VIEW = permissions.VIEW_PURCHASING.code
PAY = permissions.PAY.code


# --- payments ---------------


@router.get("/payments", response=list[PaymentRowOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_payments(
    request: HttpRequest, filters: Query[DocumentQuery]
) -> QuerySet[Payment]:
    """Newest first; ``state=prepayment``: with money left to apply."""
    company = api_context(request).company
    vendor = inputs.supplier_or_none(company, filters.supplier_id)
    return documents.payments(
        company,
        documents.DocumentFilter(
            q=filters.q,
            supplier_id=vendor.pk if vendor else None,
            state=filters.state.strip(),
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )


@router.get("/payments/{supplier_payment_id}", response=PaymentOut)
@require(VIEW)
def get_payment(request: HttpRequest, supplier_payment_id: int) -> Payment:
    """With what it settled (核销)."""
    return documents.get_payment(api_context(request).company, supplier_payment_id)


@router.post("/payments", response={201: PaymentOut})
@require(PAY)
def record_payment(request: HttpRequest, payload: PaymentIn) -> Status[Payment]:
    """付款单: settles the items named (``allocations: null``: the oldest
    open items first) with the money and the ``discount``. Paying more than
    is open is a 422 unless ``is_prepayment``: the rest then waits as 预付."""
    context = api_context(request)
    company = context.company
    vendor = inputs.supplier(company, payload.supplier_id)
    allocations = inputs.allocations(company, payload.allocations)
    payment = services.record_payment(
        company=company,
        actor=context.user,
        data=services.PaymentData(
            supplier=vendor,
            date=inputs.day(payload.date),
            amount=payload.amount,
            account=inputs.account(company, payload.account),
            discount=payload.discount,
            allocations=allocations,
            is_prepayment=payload.is_prepayment,
            memo=payload.memo,
        ),
    )
    return Status(201, documents.get_payment(company, payment.pk))


@router.post("/payments/{supplier_payment_id}/apply", response=PaymentOut)
@require(PAY)
def apply_prepayment(
    request: HttpRequest, supplier_payment_id: int, payload: ApplyIn
) -> Payment:
    """Set what is left of a prepayment against the supplier's open items;
    409 when nothing is left or nothing is open."""
    context = api_context(request)
    company = context.company
    payment = documents.get_payment(company, supplier_payment_id)
    allocations = inputs.allocations(company, payload.allocations)
    services.apply_prepayment(
        payment=payment,
        actor=context.user,
        date=inputs.day(payload.date),
        allocations=allocations,
    )
    return documents.get_payment(company, supplier_payment_id)


# --- payables ---------------


@router.get("/payables", response=list[PayableItemOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def open_items(
    request: HttpRequest, filters: Query[PayablesQuery]
) -> QuerySet[PayableItem]:
    """The open payable items (应付明细), by due date: invoices owed, and
    returns' credits (negative) not yet used."""
    company = api_context(request).company
    vendor = inputs.supplier_or_none(company, filters.supplier_id)
    return payables.open_items(company, vendor.pk if vendor else None)


def _aging_row(row: payables.AgingRow) -> AgingRowOut:
    return AgingRowOut(
        supplier_id=row.supplier_id,
        supplier=row.supplier_code,
        supplier_name=row.supplier_name,
        buckets=row.buckets,
        open_total=row.open_total,
        prepayments=row.prepayments,
        balance=row.balance,
    )


@router.get("/payables/aging", response=AgingOut)
@require(VIEW)
def aging(request: HttpRequest, query: Query[AgingQuery]) -> AgingOut:
    """应付账龄 at the end of ``as_of``, in the buckets of the purchase
    settings; prepayments not yet applied apart."""
    company = api_context(request).company
    vendor = inputs.supplier_or_none(company, query.supplier_id)
    report = payables.aging(
        company,
        query.as_of or clock.today(),
        basis=query.basis,
        supplier_id=vendor.pk if vendor else None,
    )
    return AgingOut(
        as_of=report.as_of,
        basis=report.basis,
        buckets=[
            BucketOut(key=b.key, label=b.label, low=b.low, high=b.high)
            for b in report.buckets
        ],
        rows=[_aging_row(row) for row in report.rows],
        totals=_aging_row(report.totals),
    )


@router.get("/payables/statement", response=StatementOut)
@require(VIEW)
def statement(request: HttpRequest, query: Query[StatementQuery]) -> StatementOut:
    """对账单 of one supplier: the opening balance, each invoice, return,
    payment and discount with the running balance."""
    company = api_context(request).company
    vendor = inputs.supplier(company, query.supplier_id)
    if query.date_from > query.date_to:
        message = _("The end comes before the start.")
        raise ValidationError(message, fields={"date_to": [message]})
    report = payables.statement(company, vendor, query.date_from, query.date_to)
    lines = [
        StatementLineOut(
            date=line.date,
            label=line.label,
            number=line.number,
            source_kind=line.source_kind,
            source_id=line.source_id,
            increase=line.increase,
            decrease=line.decrease,
            balance=line.balance,
        )
        for line in report.lines
    ]
    return StatementOut(
        supplier_id=vendor.pk,
        supplier=vendor.code,
        supplier_name=vendor.name,
        date_from=report.date_from,
        date_to=report.date_to,
        opening=report.opening,
        lines=lines,
        increase_total=sum((line.increase for line in lines), payables.ZERO),
        decrease_total=sum((line.decrease for line in lines), payables.ZERO),
        closing=report.closing,
    )
