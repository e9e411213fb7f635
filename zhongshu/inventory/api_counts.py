"""REST endpoints of stock counts (盘点) and stock alerts, for the inventory
API (mounted under /api/v1/inventory: ``/counts…`` and ``/alerts``).

Thin: parse, authorize, one service or selector, schema out. Ids in paths
and bodies go through company-scoped selectors, which answer 404 for another
company's ids; writes run in the API's transaction, so a refused request
writes nothing.
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from decimal import Decimal
from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from zhongshu.catalog import selectors as catalog
from zhongshu.catalog.models import Category, Product
from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company
from zhongshu.inventory import alerts, counts, permissions, selectors
from zhongshu.inventory.models import CountState, Location, StockCount, Warehouse
from zhongshu.ledger.schemas import QuantityIn

router = Router(tags=["inventory"])

_INPUT = ConfigDict(extra="forbid")


# --- schemas ----------


class WarehouseRef(Schema):
    id: int
    code: str
    name: str


class CountHead(Schema):
    id: int
    number: str = Field(description="Empty while the count is a draft.")
    date: datetime.date
    state: CountState
    warehouse: WarehouseRef
    zone: str
    category_id: int | None
    memo: str
    counting_at: datetime.datetime | None = Field(
        description="When the book was frozen."
    )
    reviewed_at: datetime.datetime | None
    posted_at: datetime.datetime | None
    gain_voucher_id: int | None
    loss_voucher_id: int | None


class CountOut(CountHead):
    scope: str = Field(description="The warehouse, zone and category counted.")

    @staticmethod
    def resolve_scope(obj: StockCount) -> str:
        return counts.scope_label(obj)


class CountLineOut(Schema):
    id: int
    product_id: int
    product_code: str
    product_name: str
    location_id: int
    location_code: str
    lot: str | None
    book_quantity: Decimal = Field(description="On the book when counting started.")
    counted_quantity: Decimal | None
    variance: Decimal | None = Field(description="Counted − book.")
    unit_cost: Decimal
    variance_value: Decimal | None
    moved_since: Decimal = Field(
        description="Stock of the line moved since the freeze (counting only)."
    )
    is_added: bool


class CountDetailOut(CountHead):
    scope: str
    lines: list[CountLineOut]
    uncounted: int
    gain_value: Decimal
    loss_value: Decimal
    net_value: Decimal


class CountFilter(Schema):
    state: CountState | None = None
    warehouse_id: int | None = None


class CountIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"warehouse": "WH1", "date": "2026-11-20", "zone": "A"}]
        },
    )

    warehouse: str = Field(max_length=40, description="The warehouse's code.")
    date: datetime.date | None = Field(None, description="Today when omitted.")
    zone: str = Field("", max_length=20)
    category: str = Field(
        "", max_length=40, description="A product category's code (with its children)."
    )
    memo: str = Field("", max_length=200)
    start: bool = Field(True, description="Freeze the book now (else a draft).")


class CountedLineIn(Schema):
    model_config: ClassVar[ConfigDict] = _INPUT

    product: str = Field(max_length=40, description="The product's code.")
    location: str = Field(
        max_length=40, description="The code of a location of the count's warehouse."
    )
    lot: str = Field("", max_length=60)
    counted: QuantityIn = Field(description="In the product's base unit.")


class CountedIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"lines": [{"product": "CUP", "location": "A-01", "counted": "8"}]}
            ]
        },
    )

    lines: list[CountedLineIn] = Field(min_length=1, max_length=5000)


class ScanIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"barcode": "6901234567892", "location": "A-01"}]
        },
    )

    barcode: str = Field(max_length=64)
    location: str = Field(max_length=40, description="The location's code.")
    lot: str = Field("", max_length=60)


class ScanOut(Schema):
    line: CountLineOut
    added: Decimal = Field(description="Base units this scan counted.")
    unit: str
    is_new_line: bool


class AlertFilter(Schema):
    kind: alerts.AlertKind | None = None
    warehouse_id: int | None = None


class AlertOut(Schema):
    kind: alerts.AlertKind
    label: str
    product_id: int
    product_code: str
    product_name: str
    warehouse_id: int
    warehouse_code: str
    quantity: Decimal = Field(
        description="Available (below safety), on hand or the lot's stock."
    )
    threshold: Decimal | None = Field(description="The safety or maximum stock.")
    lot_id: int | None
    lot_number: str | None
    expiry_date: datetime.date | None
    last_move_on: datetime.date | None
    days: int | None = Field(
        description="Days to expiry (negative once expired) or since the last move."
    )


def _line_out(row: counts.CountRow) -> CountLineOut:
    line = row.line
    return CountLineOut(
        id=line.pk,
        product_id=line.product_id,
        product_code=line.product.code,
        product_name=line.product.name,
        location_id=line.location_id,
        location_code=line.location.code,
        lot=line.lot.number if line.lot else None,
        book_quantity=row.book,
        counted_quantity=row.counted,
        variance=row.variance,
        unit_cost=row.unit_cost,
        variance_value=row.variance_value,
        moved_since=row.moved_since,
        is_added=line.is_added,
    )


def _detail(company: Company, count_id: int) -> CountDetailOut:
    count = counts.get_count(company, count_id)
    sheet = counts.count_sheet(company, count)
    head = CountHead.from_orm(count).model_dump()
    return CountDetailOut(
        **head,
        scope=counts.scope_label(count),
        lines=[_line_out(row) for row in sheet.rows],
        uncounted=sheet.uncounted,
        gain_value=sheet.gain_value,
        loss_value=sheet.loss_value,
        net_value=sheet.net_value,
    )


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _location(
    company: Company, count: StockCount, code: str, field: str = "location"
) -> Location:
    found = selectors.find_location(company, count.warehouse, code)
    if found is None:
        raise _unknown(
            field,
            _("Warehouse %(warehouse)s has no location %(code)s.")
            % {"warehouse": count.warehouse.code, "code": code},
        )
    return found


def _product(company: Company, code: str, field: str) -> Product:
    found = catalog.find_product(company, code)
    if found is None:
        raise _unknown(field, _("No product has the code %(code)s.") % {"code": code})
    return found


def _scope(company: Company, payload: CountIn) -> tuple[Warehouse, Category | None]:
    warehouse = selectors.find_warehouse(company, payload.warehouse)
    if warehouse is None:
        raise _unknown(
            "warehouse",
            _("No warehouse has the code %(code)s.") % {"code": payload.warehouse},
        )
    if not payload.category:
        return warehouse, None
    category = catalog.find_category(company, payload.category)
    if category is None:
        raise _unknown(
            "category",
            _("No category has the code %(code)s.") % {"code": payload.category},
        )
    return warehouse, category


# --- counts ----------


@router.get("/counts", response=list[CountOut])
@paginate(PageNumberPagination, page_size=50)
@require(permissions.VIEW_INVENTORY.code)
def list_counts(
    request: HttpRequest, filters: Query[CountFilter]
) -> QuerySet[StockCount]:
    """Counts, newest first."""
    return counts.list_counts(
        api_context(request).company,
        state=filters.state or "",
        warehouse_id=filters.warehouse_id,
    )


@router.post("/counts", response={201: CountDetailOut})
@require(counts.COUNT_STOCK.code)
def create_count(request: HttpRequest, payload: CountIn) -> Status[CountDetailOut]:
    """A count of a warehouse, optionally narrowed to a zone and a product
    category; started at once (the book frozen into lines) unless
    ``start`` is false."""
    context = api_context(request)
    company = context.company
    warehouse, category = _scope(company, payload)
    count = counts.create_count(
        company=company,
        actor=context.user,
        warehouse=warehouse,
        date=payload.date or clock.today(),
        zone=payload.zone,
        category=category,
        memo=payload.memo,
        start=payload.start,
    )
    return Status(201, _detail(company, count.pk))


@router.get("/counts/{count_id}", response=CountDetailOut)
@require(permissions.VIEW_INVENTORY.code)
def get_count(request: HttpRequest, count_id: int) -> CountDetailOut:
    """The count with its lines, variances and their values."""
    return _detail(api_context(request).company, count_id)


@router.post("/counts/{count_id}/start", response=CountDetailOut)
@require(counts.COUNT_STOCK.code)
def start_count(request: HttpRequest, count_id: int) -> CountDetailOut:
    context = api_context(request)
    count = counts.get_count(context.company, count_id)
    counts.start_count(count=count, actor=context.user)
    return _detail(context.company, count_id)


@router.post("/counts/{count_id}/counted", response=CountDetailOut)
@require(counts.COUNT_STOCK.code)
def record_counted(
    request: HttpRequest, count_id: int, payload: CountedIn
) -> CountDetailOut:
    """Set what was counted of products at locations (and lots), by code;
    a product the count does not list gets a line with book 0."""
    context = api_context(request)
    company = context.company
    count = counts.get_count(company, count_id)
    entries = [
        counts.CountedEntry(
            product=_product(company, line.product, f"lines.{index}.product"),
            location=_location(
                company, count, line.location, f"lines.{index}.location"
            ),
            quantity=line.counted,
            lot_number=line.lot,
        )
        for index, line in enumerate(payload.lines)
    ]
    counts.record_counted(count=count, actor=context.user, entries=entries)
    return _detail(company, count_id)


@router.post("/counts/{count_id}/scan", response=ScanOut)
@require(counts.COUNT_STOCK.code)
def scan(request: HttpRequest, count_id: int, payload: ScanIn) -> ScanOut:
    """Count one scanned barcode at a location: 1, or the factor of the
    barcode's unit. An unknown barcode is a 422 ``unknown_barcode``."""
    context = api_context(request)
    company = context.company
    count = counts.get_count(company, count_id)
    result = counts.scan_barcode(
        count=count,
        actor=context.user,
        code=payload.barcode,
        location=_location(company, count, payload.location),
        lot_number=payload.lot,
    )
    sheet = counts.count_sheet(company, count)
    row = next(r for r in sheet.rows if r.line.pk == result.line.pk)
    return ScanOut(
        line=_line_out(row),
        added=result.added,
        unit=result.unit_name,
        is_new_line=result.is_new_line,
    )


@router.post("/counts/{count_id}/zero-uncounted", response=CountDetailOut)
@require(counts.COUNT_STOCK.code)
def zero_uncounted(request: HttpRequest, count_id: int) -> CountDetailOut:
    """Count every line nobody counted as 0."""
    context = api_context(request)
    counts.zero_uncounted(
        count=counts.get_count(context.company, count_id), actor=context.user
    )
    return _detail(context.company, count_id)


@router.post("/counts/{count_id}/review", response=CountDetailOut)
@require(counts.POST_COUNTS.code)
def review_count(request: HttpRequest, count_id: int) -> CountDetailOut:
    """Accept the counted quantities (all lines counted) and value the
    variances at the current unit costs."""
    context = api_context(request)
    counts.review_count(
        count=counts.get_count(context.company, count_id), actor=context.user
    )
    return _detail(context.company, count_id)


@router.post("/counts/{count_id}/post", response=CountDetailOut)
@require(counts.POST_COUNTS.code)
def post_count(request: HttpRequest, count_id: int) -> CountDetailOut:
    """Post the reviewed variances: gains Dr inventory / Cr 待处理财产损溢,
    losses the other way. A second posting is a 409."""
    context = api_context(request)
    counts.post_count(
        count=counts.get_count(context.company, count_id), actor=context.user
    )
    return _detail(context.company, count_id)


@router.post("/counts/{count_id}/cancel", response=CountDetailOut)
@require(counts.COUNT_STOCK.code)
def cancel_count(request: HttpRequest, count_id: int) -> CountDetailOut:
    context = api_context(request)
    counts.cancel_count(
        count=counts.get_count(context.company, count_id), actor=context.user
    )
    return _detail(context.company, count_id)


# --- alerts ----------


def _alert_out(alert: alerts.StockAlert) -> AlertOut:
    return AlertOut(
        kind=alerts.AlertKind(alert.kind),
        label=alert.label,
        product_id=alert.product.pk,
        product_code=alert.product.code,
        product_name=alert.product.name,
        warehouse_id=alert.warehouse.pk,
        warehouse_code=alert.warehouse.code,
        quantity=alert.quantity,
        threshold=alert.threshold,
        lot_id=alert.lot.pk if alert.lot else None,
        lot_number=alert.lot.number if alert.lot else None,
        expiry_date=alert.expiry_date,
        last_move_on=alert.last_move_on,
        days=alert.days,
    )


@router.get("/alerts", response=list[AlertOut])
@require(permissions.VIEW_INVENTORY.code)
def list_alerts(request: HttpRequest, filters: Query[AlertFilter]) -> list[AlertOut]:
    """Today's stock alerts: below safety, above maximum, expired, expiring
    soon and not moving — kind by kind."""
    company = api_context(request).company
    warehouse = (
        selectors.get_warehouse(company, filters.warehouse_id)
        if filters.warehouse_id is not None
        else None
    )
    found = alerts.list_alerts(
        company,
        warehouse=warehouse,
        kind=filters.kind.value if filters.kind is not None else "",
    )
    return [_alert_out(alert) for alert in found]
