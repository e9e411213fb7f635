"""Receivables reports and sales settings over REST, mounted with the sales
router at /api/v1/sales: GET /aging, /overdue, /statement, GET and PUT
/settings. Thin: parse, authorize, one selector or service, schema out.
Customers, warehouses and accounts are named by code (which only finds the
calling company's rows)."""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory.models import Warehouse
from zhongshu.ledger.models import Account
from zhongshu.partners.models import Customer
from zhongshu.partners.selectors import customers as partner_selectors
from zhongshu.sales import permissions
from zhongshu.sales.models import SalesSettings
from zhongshu.sales.selectors import receivables as reports
from zhongshu.sales.selectors.receivables import Basis
from zhongshu.sales.services import settings_of, take_opening_receivables
from zhongshu.sales.services.settings import update_settings

router = Router(tags=["sales"])

VIEW = permissions.VIEW_SALES.code
MANAGE = permissions.MANAGE_SALES.code
AS_OF = "End of this day; today when empty."
REQUIRED_SETTINGS = (
    "revenue_recognition",
    "prices_include_tax",
    "aging_buckets",
    "write_off_tolerance",
)


def _unknown(field: str, code: str) -> ValidationError:
    message = _("There is no %(what)s %(code)s.") % {"what": field, "code": code}
    return ValidationError(message, fields={field: [message]})


def _customer(company: Company, code: str | None) -> Customer | None:
    if not code:
        return None
    found = partner_selectors.find_customer(company, code)
    if found is None:
        raise _unknown("customer", code)
    return found


# --- aging ----------------------------------------------------------------------------


class AgingQuery(Schema):
    as_of: datetime.date | None = Field(
        None, description="End of this day; today when empty."
    )
    customer: str | None = Field(None, description="A customer code: that one only.")
    basis: Basis = Field(
        Basis.DATE,
        description="Age from the document date, or days past the due date.",
    )
    buckets: str | None = Field(
        None,
        description='Upper limits in days ("30,60,90,180"); empty: the setting.',
    )


class BucketOut(Schema):
    key: str
    label: str
    low: int | None
    high: int | None


class AgingRowOut(Schema):
    customer: str | None
    customer_name: str
    buckets: list[Decimal]
    open_total: Decimal
    advances: Decimal
    balance: Decimal


class AgingOut(Schema):
    as_of: datetime.date
    basis: Basis
    buckets: list[BucketOut]
    rows: list[AgingRowOut]
    totals: AgingRowOut


def _aging_row(row: reports.AgingRow) -> AgingRowOut:
    return AgingRowOut(
        customer=row.customer_code or None,
        customer_name=row.customer_name,
        buckets=row.buckets,
        open_total=row.open_total,
        advances=row.advances,
        balance=row.balance,
    )


@router.get("/aging", response=AgingOut)
@require(VIEW)
def aging(request: HttpRequest, query: Query[AgingQuery]) -> AgingOut:
    company = api_context(request).company
    customer = _customer(company, query.customer)
    limits = None
    if query.buckets:
        try:
            limits = reports.parse_buckets(query.buckets)
        except ValueError as error:
            raise ValidationError(
                str(error), fields={"buckets": [str(error)]}
            ) from error
    report = reports.aging(
        company,
        query.as_of or clock.today(),
        buckets=limits,
        customer_id=customer.pk if customer else None,
        basis=query.basis,
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


# --- overdue --------------------------------------------------------------------------


class OverdueQuery(Schema):
    as_of: datetime.date | None = Field(
        None, description="End of this day; today when empty."
    )
    customer: str | None = None


class OpenItemOut(Schema):
    id: int
    kind: str
    source_kind: str
    source_id: int
    number: str
    customer: str
    customer_name: str
    date: datetime.date
    due_date: datetime.date
    amount: Decimal
    open_amount: Decimal
    days_overdue: int


@router.get("/overdue", response=list[OpenItemOut])
@require(VIEW)
def overdue(request: HttpRequest, query: Query[OverdueQuery]) -> list[OpenItemOut]:
    company = api_context(request).company
    customer = _customer(company, query.customer)
    items = reports.overdue(
        company, query.as_of or clock.today(), customer.pk if customer else None
    )
    return [
        OpenItemOut(
            id=item.item_id,
            kind=item.kind,
            source_kind=item.source_kind,
            source_id=item.source_id,
            number=item.number,
            customer=item.customer_code,
            customer_name=item.customer_name,
            date=item.date,
            due_date=item.due_date,
            amount=item.amount,
            open_amount=item.open_amount,
            days_overdue=item.days_overdue,
        )
        for item in items
    ]


# --- statement ------------------------------------------------------------------------


class StatementQuery(Schema):
    customer: str
    date_from: datetime.date
    date_to: datetime.date


class StatementLineOut(Schema):
    date: datetime.date
    kind: str
    label: str
    number: str
    source_kind: str
    source_id: int
    increase: Decimal
    decrease: Decimal
    balance: Decimal


class StatementOut(Schema):
    customer: str
    customer_name: str
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    lines: list[StatementLineOut]
    increase_total: Decimal
    decrease_total: Decimal
    closing: Decimal


@router.get("/statement", response=StatementOut)
@require(VIEW)
def statement(request: HttpRequest, query: Query[StatementQuery]) -> StatementOut:
    company = api_context(request).company
    customer = _customer(company, query.customer)
    assert customer is not None  # noqa: S101  # the code is required
    if query.date_from > query.date_to:
        message = _("The end comes before the start.")
        raise ValidationError(message, fields={"date_to": [message]})
    report = reports.statement(company, customer, query.date_from, query.date_to)
    return StatementOut(
        customer=customer.code,
        customer_name=customer.name,
        date_from=report.date_from,
        date_to=report.date_to,
        opening=report.opening,
        lines=[
            StatementLineOut(
                date=line.date,
                kind=line.kind.value,
                label=line.label,
                number=line.number,
                source_kind=line.source_kind,
                source_id=line.source_id,
                increase=line.increase,
                decrease=line.decrease,
                balance=line.balance,
            )
            for line in report.lines
        ],
        increase_total=report.increase_total,
        decrease_total=report.decrease_total,
        closing=report.closing,
    )


# --- settings -------------------------------------------------------------------------


class SettingsOut(Schema):
    revenue_recognition: str
    default_warehouse: str | None
    prices_include_tax: bool
    aging_buckets: str
    write_off_tolerance: Decimal
    bank_charge_account: str | None
    difference_account: str | None

    @staticmethod
    def of(settings: SalesSettings) -> "SettingsOut":
        def code(row: Warehouse | Account | None) -> str | None:
            return row.code if row is not None else None

        return SettingsOut(
            revenue_recognition=settings.revenue_recognition,
            default_warehouse=code(settings.default_warehouse),
            prices_include_tax=settings.prices_include_tax,
            aging_buckets=settings.aging_buckets,
            write_off_tolerance=settings.write_off_tolerance,
            bank_charge_account=code(settings.bank_charge_account),
            difference_account=code(settings.difference_account),
        )


class SettingsIn(Schema):
    """Only the fields sent change; a warehouse or account sent as null is
    cleared (accounts fall back to the finance expenses role)."""

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"aging_buckets": "30,60,90,180", "write_off_tolerance": "10"}]
        },
    )

    revenue_recognition: str | None = None
    default_warehouse: str | None = None
    prices_include_tax: bool | None = None
    aging_buckets: str | None = None
    write_off_tolerance: Decimal | None = None
    bank_charge_account: str | None = None
    difference_account: str | None = None


def _by_code(company: Company, field: str, code: str | None) -> Any:
    if code is None:
        return None
    model = Warehouse if field == "default_warehouse" else Account
    found = model.objects.filter(company=company, code=code).first()
    if found is None:
        raise _unknown(field, code)
    return found


@router.get("/settings", response=SettingsOut)
@require(VIEW)
def get_settings(request: HttpRequest) -> SettingsOut:
    return SettingsOut.of(settings_of(api_context(request).company))


@router.put("/settings", response=SettingsOut)
@require(MANAGE)
def put_settings(request: HttpRequest, payload: SettingsIn) -> SettingsOut:
    context = api_context(request)
    sent = payload.model_dump(exclude_unset=True)
    for field in ("default_warehouse", "bank_charge_account", "difference_account"):
        if field in sent:
            sent[field] = _by_code(context.company, field, sent[field])
    for field in (
        "revenue_recognition",
        "prices_include_tax",
        "aging_buckets",
        "write_off_tolerance",
    ):
        if field in sent and sent[field] is None:
            message = _("This field cannot be empty.")
            raise ValidationError(message, fields={field: [message]})
    settings = update_settings(company=context.company, actor=context.user, **sent)
    return SettingsOut.of(settings)


class OpeningItemOut(Schema):
    customer: str
    amount: Decimal
    date: datetime.date


@router.post("/opening-receivables", response=list[OpeningItemOut])
@require(MANAGE)
def opening_receivables(request: HttpRequest) -> list[OpeningItemOut]:
    """期初应收: the customers' shares of the receivable account's opening
    balance become open items (idempotent)."""
    context = api_context(request)
    items = take_opening_receivables(company=context.company, actor=context.user)
    return [
        OpeningItemOut(customer=item.customer.code, amount=item.amount, date=item.date)
        for item in items
    ]
