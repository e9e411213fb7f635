"""The inventory REST endpoints, mounted at /api/v1/inventory.

Thin: parse, authorize, one service or selector, schema out. Objects named by
id in paths go through ``selectors``, which answer 404 for another company's
ids; products, warehouses, bins, units and accounts in bodies and queries
are named by code, which only ever finds the calling company's rows (an
unknown code is a 422 on its field). Writes run in the API's transaction, so
a refused request writes nothing (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from zhongshu.catalog.models import Category, Product, Unit
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import (
    api_counts,
    exports,
    manual,
    permissions,
    selectors,
    services,
)
from zhongshu.inventory.models import Location, StockMove, StockPolicy, Warehouse
from zhongshu.inventory.schemas import (
    CounterIn,
    IssueIn,
    LocationIn,
    LocationOut,
    ManualDocumentOut,
    MoveDetailOut,
    MoveFilter,
    MoveLineIn,
    MovementSummaryOut,
    MovementSummaryQuery,
    MoveOut,
    OnHandOut,
    OnHandQuery,
    PolicyFilter,
    ReceiptIn,
    ReleasedOut,
    ReleaseIn,
    ReservationOut,
    ReserveIn,
    SettingsIn,
    SettingsOut,
    StockLedgerOut,
    StockLedgerQuery,
    StockPolicyIn,
    StockPolicyOut,
    TransferIn,
    ValuationOut,
    ValuationQuery,
    WarehouseIn,
    WarehouseOut,
    source_of,
)
from zhongshu.ledger.models import Account
from zhongshu.ledger.selectors import vouchers as ledger_selectors
from zhongshu.ledger.services import resolve_account

router = Router(tags=["inventory"])
router.add_router("", api_counts.router)

VIEW = permissions.VIEW_INVENTORY.code
MOVE = permissions.MOVE_STOCK.code
MANAGE = permissions.MANAGE_INVENTORY.code


# --- codes to rows ------------------------------------------------------------------


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _product(company: Company, code: str, field: str) -> Product:
    product = selectors.find_product(company, code)
    if product is None:
        raise _invalid(field, _("There is no product %(code)s.") % {"code": code})
    return product


def _warehouse(company: Company, code: str, field: str) -> Warehouse:
    warehouse = selectors.find_warehouse(company, code)
    if warehouse is None:
        raise _invalid(field, _("There is no warehouse %(code)s.") % {"code": code})
    return warehouse


def _optional_warehouse(company: Company, code: str, field: str) -> Warehouse | None:
    return _warehouse(company, code, field) if code.strip() else None


def _location(
    company: Company, warehouse: Warehouse, code: str, field: str
) -> Location | None:
    if not code.strip():
        return None
    location = selectors.find_location(company, warehouse, code)
    if location is None:
        raise _invalid(
            field,
            _("There is no location %(code)s in warehouse %(warehouse)s.")
            % {"code": code, "warehouse": warehouse.code},
        )
    return location


def _unit(company: Company, code: str, field: str) -> Unit | None:
    if not code.strip():
        return None
    unit = catalog.find_unit(company, code)
    if unit is None:
        raise _invalid(field, _("There is no unit %(code)s.") % {"code": code})
    return unit


def _category(company: Company, code: str) -> Category | None:
    if not code.strip():
        return None
    category = catalog.find_category(company, code)
    if category is None:
        raise _invalid("category", _("There is no category %(code)s.") % {"code": code})
    return category


def _counter(company: Company, payload: CounterIn) -> services.Counterpart:
    """The account of the voucher's other side, by code or by role."""
    dimensions = {str(k.value): v for k, v in payload.counter_dimensions.items()}
    code, role = payload.counter_account.strip(), payload.counter_role.strip()
    if bool(code) == bool(role):
        raise _invalid(
            "counter_account", _("Name either a counter account or an account role.")
        )
    account: Account | None
    if code:
        account = ledger_selectors.find_account(company, code)
        if account is None:
            raise _invalid(
                "counter_account", _("There is no account %(code)s.") % {"code": code}
            )
        return services.Counterpart(account, dimensions)
    if role not in ledger_selectors.account_role_names():
        raise _invalid(
            "counter_role", _("There is no account role %(role)s.") % {"role": role}
        )
    try:
        account = resolve_account(company, role)
    except NotFoundError as error:
        raise _invalid("counter_role", error.message) from error
    return services.Counterpart(account, dimensions)


# --- warehouses and locations ---------------------------------------------------------


def _warehouse_data(payload: WarehouseIn) -> services.WarehouseData:
    return services.WarehouseData(**payload.model_dump())


@router.get("/warehouses", response=list[WarehouseOut])
@require(VIEW)
def list_warehouses(request: HttpRequest) -> QuerySet[Warehouse]:
    return selectors.list_warehouses(api_context(request).company)


@router.post("/warehouses", response={201: WarehouseOut})
@require(MANAGE)
def create_warehouse(request: HttpRequest, payload: WarehouseIn) -> Status[Warehouse]:
    """A warehouse (or store) with its default location; 409 on a taken code."""
    context = api_context(request)
    warehouse = services.create_warehouse(
        company=context.company, actor=context.user, data=_warehouse_data(payload)
    )
    return Status(201, warehouse)


@router.get("/warehouses/{warehouse_id}", response=WarehouseOut)
@require(VIEW)
def get_warehouse(request: HttpRequest, warehouse_id: int) -> Warehouse:
    return selectors.get_warehouse(api_context(request).company, warehouse_id)


@router.put("/warehouses/{warehouse_id}", response=WarehouseOut)
@require(MANAGE)
def update_warehouse(
    request: HttpRequest, warehouse_id: int, payload: WarehouseIn
) -> Warehouse:
    context = api_context(request)
    return services.update_warehouse(
        warehouse=selectors.get_warehouse(context.company, warehouse_id),
        actor=context.user,
        data=_warehouse_data(payload),
    )


def _set_active(request: HttpRequest, warehouse_id: int, active: bool) -> Warehouse:
    context = api_context(request)
    return services.set_warehouse_active(
        warehouse=selectors.get_warehouse(context.company, warehouse_id),
        actor=context.user,
        active=active,
    )


@router.post("/warehouses/{warehouse_id}/activate", response=WarehouseOut)
@require(MANAGE)
def activate_warehouse(request: HttpRequest, warehouse_id: int) -> Warehouse:
    return _set_active(request, warehouse_id, True)


@router.post("/warehouses/{warehouse_id}/deactivate", response=WarehouseOut)
@require(MANAGE)
def deactivate_warehouse(request: HttpRequest, warehouse_id: int) -> Warehouse:
    """409 while the warehouse holds or promises stock."""
    return _set_active(request, warehouse_id, False)


@router.get("/warehouses/{warehouse_id}/locations", response=list[LocationOut])
@require(VIEW)
def list_locations(request: HttpRequest, warehouse_id: int) -> QuerySet[Location]:
    company = api_context(request).company
    warehouse = selectors.get_warehouse(company, warehouse_id)
    return selectors.list_locations(company, warehouse).select_related("warehouse")


@router.post("/warehouses/{warehouse_id}/locations", response={201: LocationOut})
@require(MANAGE)
def add_location(
    request: HttpRequest, warehouse_id: int, payload: LocationIn
) -> Status[Location]:
    """A bin (货位); 409 on a code taken in the warehouse."""
    context = api_context(request)
    location = services.add_location(
        warehouse=selectors.get_warehouse(context.company, warehouse_id),
        actor=context.user,
        data=services.LocationData(**payload.model_dump()),
    )
    return Status(201, selectors.get_location(context.company, location.pk))


@router.get("/locations/{location_id}", response=LocationOut)
@require(VIEW)
def get_location(request: HttpRequest, location_id: int) -> Location:
    return selectors.get_location(api_context(request).company, location_id)


@router.put("/locations/{location_id}", response=LocationOut)
@require(MANAGE)
def update_location(
    request: HttpRequest, location_id: int, payload: LocationIn
) -> Location:
    context = api_context(request)
    services.update_location(
        location=selectors.get_location(context.company, location_id),
        actor=context.user,
        data=services.LocationData(**payload.model_dump()),
    )
    return selectors.get_location(context.company, location_id)


# --- settings and stock policies ------------------------------------------------------


@router.get("/settings", response=SettingsOut)
@require(VIEW)
def get_settings(request: HttpRequest) -> SettingsOut:
    return SettingsOut.from_settings(
        selectors.inventory_settings(api_context(request).company)
    )


@router.put("/settings", response=SettingsOut)
@require(MANAGE)
def update_settings(request: HttpRequest, payload: SettingsIn) -> SettingsOut:
    context = api_context(request)
    settings = services.update_settings(
        company=context.company, actor=context.user, **payload.model_dump()
    )
    return SettingsOut.from_settings(settings)


@router.get("/stock-policies", response=list[StockPolicyOut])
@require(VIEW)
def list_stock_policies(
    request: HttpRequest, filters: Query[PolicyFilter]
) -> QuerySet[StockPolicy]:
    company = api_context(request).company
    return selectors.list_stock_policies(
        company,
        warehouse=_optional_warehouse(company, filters.warehouse, "warehouse"),
        product=_product(company, filters.product, "product")
        if filters.product.strip()
        else None,
    )


@router.put("/stock-policies", response=StockPolicyOut)
@require(MANAGE)
def set_stock_policy(request: HttpRequest, payload: StockPolicyIn) -> StockPolicy:
    """Safety and maximum stock of a product in a warehouse (alerts and
    replenishment read them)."""
    context = api_context(request)
    company = context.company
    policy = services.set_stock_policy(
        company=company,
        actor=context.user,
        product=_product(company, payload.product, "product"),
        warehouse=_warehouse(company, payload.warehouse, "warehouse"),
        safety_stock=payload.safety_stock,
        maximum_stock=payload.maximum_stock,
    )
    return selectors.list_stock_policies(company).get(pk=policy.pk)


# --- moving stock by hand -------------------------------------------------------------


def _move_line(company: Company, index: int, line: MoveLineIn) -> services.MoveLine:
    def field(name: str) -> str:
        return f"lines.{index}.{name}"

    warehouse = _warehouse(company, line.warehouse, field("warehouse"))
    return services.MoveLine(
        product=_product(company, line.product, field("product")),
        warehouse=warehouse,
        quantity=line.quantity,
        unit=_unit(company, line.unit, field("unit")),
        location=_location(company, warehouse, line.location, field("location")),
        lot=line.lot,
        expiry_date=line.expiry_date,
        unit_cost=line.unit_cost,
        value=line.value,
        memo=line.memo,
    )


def _document(company: Company, document: manual.ManualDocument) -> dict[str, Any]:
    moves = selectors.moves_of_source(company, document.source.kind, document.source.id)
    voucher = document.posting.voucher
    return {
        "kind": str(document.kind),
        "number": document.number,
        "source": source_of(document.source.kind, document.source.id),
        "voucher": voucher,
        "moves": moves,
        "cost_adjustment_ids": [a.pk for a in document.posting.adjustments],
    }


@router.post("/receipts", response={201: ManualDocumentOut})
@require(MOVE)
def receive_stock(request: HttpRequest, payload: ReceiptIn) -> Status[dict[str, Any]]:
    """其他入库: stock in at the cost of each line against a counter account
    (or role); posts the voucher. Its number heads every move's memo."""
    context = api_context(request)
    company = context.company
    document = manual.receive_by_hand(
        company=company,
        date=payload.date,
        lines=[_move_line(company, i, line) for i, line in enumerate(payload.lines)],
        counter=_counter(company, payload),
        actor=context.user,
        memo=payload.memo,
    )
    return Status(201, _document(company, document))


@router.post("/issues", response={201: ManualDocumentOut})
@require(MOVE)
def issue_stock(request: HttpRequest, payload: IssueIn) -> Status[dict[str, Any]]:
    """其他出库: stock out at its cost against a counter account (or role);
    422 when more is asked than is available."""
    context = api_context(request)
    company = context.company
    document = manual.issue_by_hand(
        company=company,
        date=payload.date,
        lines=[_move_line(company, i, line) for i, line in enumerate(payload.lines)],
        counter=_counter(company, payload),
        actor=context.user,
        memo=payload.memo,
    )
    return Status(201, _document(company, document))


@router.post("/transfers", response={201: ManualDocumentOut})
@require(MOVE)
def transfer_stock(request: HttpRequest, payload: TransferIn) -> Status[dict[str, Any]]:
    """调拨 between warehouses or bins, at cost; a voucher only where the two
    warehouses keep stock on different accounts."""
    context = api_context(request)
    company = context.company
    lines = []
    for index, line in enumerate(payload.lines):
        source = _warehouse(
            company, line.from_warehouse, f"lines.{index}.from_warehouse"
        )
        target = _warehouse(company, line.to_warehouse, f"lines.{index}.to_warehouse")
        lines.append(
            services.TransferLine(
                product=_product(company, line.product, f"lines.{index}.product"),
                quantity=line.quantity,
                from_warehouse=source,
                to_warehouse=target,
                unit=_unit(company, line.unit, f"lines.{index}.unit"),
                from_location=_location(
                    company, source, line.from_location, f"lines.{index}.from_location"
                ),
                to_location=_location(
                    company, target, line.to_location, f"lines.{index}.to_location"
                ),
                lot=line.lot,
                memo=line.memo,
            )
        )
    document = manual.transfer_by_hand(
        company=company,
        date=payload.date,
        lines=lines,
        actor=context.user,
        memo=payload.memo,
    )
    return Status(201, _document(company, document))


@router.post("/reservations", response={201: ReservationOut})
@require(MOVE)
def reserve_stock(request: HttpRequest, payload: ReserveIn) -> Status[Any]:
    """Promise stock to a document; 409 when not enough is available."""
    company = api_context(request).company
    reservation = services.reserve(
        company=company,
        product=_product(company, payload.product, "product"),
        warehouse=_warehouse(company, payload.warehouse, "warehouse"),
        quantity=payload.quantity,
        source=SourceRef(payload.source.kind, payload.source.id),
    )
    return Status(
        201,
        {
            "product": reservation.product.code,
            "warehouse": reservation.warehouse.code,
            "quantity": reservation.quantity,
            "source_kind": reservation.source_kind,
            "source_id": reservation.source_id,
        },
    )


@router.post("/reservations/release", response=ReleasedOut)
@require(MOVE)
def release_stock(request: HttpRequest, payload: ReleaseIn) -> dict[str, Any]:
    company = api_context(request).company
    released = services.release(
        company=company,
        source=SourceRef(payload.source.kind, payload.source.id),
        product=_product(company, payload.product, "product")
        if payload.product.strip()
        else None,
        warehouse=_optional_warehouse(company, payload.warehouse, "warehouse"),
        quantity=payload.quantity,
    )
    return {"released": released}


# --- moves ----------------------------------------------------------------------------


@router.get("/moves", response=list[MoveOut])
@require(VIEW)
def list_moves(request: HttpRequest, filters: Query[MoveFilter]) -> list[StockMove]:
    """The moves one document made (``source_kind`` and ``source_id``)."""
    return selectors.moves_of_source(
        api_context(request).company, filters.source_kind, filters.source_id
    )


@router.get("/moves/{move_id}", response=MoveDetailOut)
@require(VIEW)
def get_move(request: HttpRequest, move_id: int) -> StockMove:
    """A move with its voucher and the cost adjustments around it."""
    company = api_context(request).company
    move = selectors.get_move(company, move_id)
    adjustments = selectors.move_adjustments(company, move)
    # Read by MoveDetailOut's resolvers.
    setattr(move, "revaluations", adjustments.revaluations)  # noqa: B010
    setattr(move, "caused_adjustments", adjustments.caused)  # noqa: B010
    return move


# --- reports --------------------------------------------------------------------------


def _on_hand_filters(company: Company, query: OnHandQuery) -> dict[str, Any]:
    return {
        "warehouse": _optional_warehouse(company, query.warehouse, "warehouse"),
        "search": query.search,
        "category": _category(company, query.category),
        "by": query.by,
        "include_zero": query.include_zero,
    }


@router.get("/reports/on-hand", response=OnHandOut)
@require(VIEW)
def on_hand(request: HttpRequest, query: Query[OnHandQuery]) -> selectors.OnHandReport:
    """即时库存: on hand, reserved, available and value per product ×
    warehouse, or per location (``by=location``) or lot (``by=lot``)."""
    company = api_context(request).company
    return selectors.on_hand(
        company,
        **_on_hand_filters(company, query),
        page=query.page,
        page_size=query.page_size,
    )


@router.get("/reports/on-hand/xlsx")
@require(VIEW)
def on_hand_xlsx(request: HttpRequest, query: Query[OnHandQuery]) -> HttpResponse:
    """即时库存 as an Excel workbook, every row of the filter."""
    company = api_context(request).company
    report = selectors.on_hand(
        company, **_on_hand_filters(company, query), page_size=None
    )
    return exports.download(exports.on_hand_xlsx(company, report), "on-hand.xlsx")


def _ledger(
    company: Company, query: StockLedgerQuery, *, everything: bool
) -> selectors.StockLedger:
    return selectors.stock_ledger(
        company,
        product=_product(company, query.product, "product"),
        warehouse=_optional_warehouse(company, query.warehouse, "warehouse"),
        date_from=query.date_from,
        date_to=query.date_to,
        offset=0 if everything else query.offset,
        limit=None if everything else query.limit,
    )


@router.get("/reports/stock-ledger", response=StockLedgerOut)
@require(VIEW)
def stock_ledger(
    request: HttpRequest, query: Query[StockLedgerQuery]
) -> selectors.StockLedger:
    """出入库流水: opening, each move with running quantity and value, closing."""
    return _ledger(api_context(request).company, query, everything=False)


@router.get("/reports/stock-ledger/xlsx")
@require(VIEW)
def stock_ledger_xlsx(
    request: HttpRequest, query: Query[StockLedgerQuery]
) -> HttpResponse:
    company = api_context(request).company
    report = _ledger(company, query, everything=True)
    return exports.download(
        exports.stock_ledger_xlsx(company, report), "stock-ledger.xlsx"
    )


def _summary(
    company: Company, query: MovementSummaryQuery
) -> selectors.MovementSummary:
    return selectors.movement_summary(
        company,
        date_from=query.date_from,
        date_to=query.date_to,
        warehouse=_optional_warehouse(company, query.warehouse, "warehouse"),
        category=_category(company, query.category),
        by_warehouse=query.by_warehouse,
    )


@router.get("/reports/movement-summary", response=MovementSummaryOut)
@require(VIEW)
def movement_summary(
    request: HttpRequest, query: Query[MovementSummaryQuery]
) -> selectors.MovementSummary:
    """收发存汇总表 of a date range."""
    return _summary(api_context(request).company, query)


@router.get("/reports/movement-summary/xlsx")
@require(VIEW)
def movement_summary_xlsx(
    request: HttpRequest, query: Query[MovementSummaryQuery]
) -> HttpResponse:
    company = api_context(request).company
    return exports.download(
        exports.movement_summary_xlsx(company, _summary(company, query)),
        "movement-summary.xlsx",
    )


def _valuation(company: Company, as_of: datetime.date | None) -> dict[str, Any]:
    report = selectors.valuation(company, as_of=as_of)
    period = selectors.period_containing(company, as_of or clock.today())
    return {
        "as_of": report.as_of,
        "total": report.total,
        "lines": report.lines,
        "by_warehouse": report.by_warehouse,
        "by_category": report.by_category,
        "reconciliation": selectors.reconciliation(company, period=period)
        if period is not None
        else None,
        "report": report,
    }


@router.get("/reports/valuation", response=ValuationOut)
@require(VIEW)
def valuation(request: HttpRequest, query: Query[ValuationQuery]) -> dict[str, Any]:
    """Stock value by warehouse and category, and per inventory account
    against the ledger at the end of the period containing ``as_of``."""
    return _valuation(api_context(request).company, query.as_of)


@router.get("/reports/valuation/xlsx")
@require(VIEW)
def valuation_xlsx(request: HttpRequest, query: Query[ValuationQuery]) -> HttpResponse:
    company = api_context(request).company
    figures = _valuation(company, query.as_of)
    return exports.download(
        exports.valuation_xlsx(company, figures["report"], figures["reconciliation"]),
        "stock-valuation.xlsx",
    )
