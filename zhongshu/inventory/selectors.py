"""Reads of inventory: warehouses and bins, stock on hand (即时库存), the
stock ledger (出入库流水), the movement summary (收发存汇总表), valuation and
its reconciliation with the ledger, and the moves behind every figure.

Every report answers from a fixed number of aggregate queries, whatever the
number of products or moves: figures that depend on the past (an opening
balance) are one ``SUM`` over the moves before the range, or the stored
chain state of one move (``StockMove.balance_*``), never a loop in Python.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog.models import Category, Product
from zhongshu.catalog.selectors import products as catalog
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.fields import sum_amount, sum_quantity
from zhongshu.core.models import Company
from zhongshu.core.money import round_amount, round_price
from zhongshu.inventory.models import (
    CostAdjustment,
    CostAdjustmentLine,
    InventorySettings,
    Location,
    MoveKind,
    Reservation,
    StockBalance,
    StockMonthTotal,
    StockMove,
    StockPolicy,
    StockQuant,
    Warehouse,
)
from zhongshu.ledger.chart import Role
from zhongshu.ledger.models import Account, Period
from zhongshu.ledger.selectors import reports as ledger_reports
from zhongshu.ledger.selectors import vouchers as ledger_selectors

ZERO = Decimal("0")
ZERO_AMOUNT = Decimal("0.00")
TRANSFER_KINDS = (MoveKind.TRANSFER_IN, MoveKind.TRANSFER_OUT)
MAX_PAGE_SIZE = 500


# --- warehouses, locations, settings ------------------------------------------------


def list_warehouses(
    company: Company, *, active: bool | None = None
) -> QuerySet[Warehouse]:
    """Warehouses by code, each with ``location_count``."""
    warehouses = Warehouse.objects.filter(company=company)
    if active is not None:
        warehouses = warehouses.filter(is_active=active)
    return warehouses.annotate(location_count=Count("locations")).order_by("code")


def get_warehouse(company: Company, warehouse_id: int) -> Warehouse:
    warehouse = Warehouse.objects.filter(company=company, pk=warehouse_id).first()
    if warehouse is None:
        raise NotFoundError(_("Warehouse not found."))
    return warehouse


def find_warehouse(company: Company, code: str) -> Warehouse | None:
    return Warehouse.objects.filter(company=company, code=code.strip()).first()


def list_locations(company: Company, warehouse: Warehouse) -> QuerySet[Location]:
    """The warehouse's bins, the default one first."""
    return Location.objects.filter(company=company, warehouse=warehouse).order_by(
        "-is_default", "code"
    )


def get_location(company: Company, location_id: int) -> Location:
    location = (
        Location.objects.filter(company=company, pk=location_id)
        .select_related("warehouse")
        .first()
    )
    if location is None:
        raise NotFoundError(_("Location not found."))
    return location


def find_location(company: Company, warehouse: Warehouse, code: str) -> Location | None:
    return Location.objects.filter(
        company=company, warehouse=warehouse, code=code.strip()
    ).first()


def inventory_settings(company: Company) -> InventorySettings:
    """The company's settings, defaults when it never changed them (unsaved)."""
    found = InventorySettings.objects.filter(company=company).first()
    return found if found is not None else InventorySettings(company=company)


def list_stock_policies(
    company: Company,
    *,
    warehouse: Warehouse | None = None,
    product: Product | None = None,
) -> QuerySet[StockPolicy]:
    policies = StockPolicy.objects.filter(company=company)
    if warehouse is not None:
        policies = policies.filter(warehouse=warehouse)
    if product is not None:
        policies = policies.filter(product=product)
    return policies.select_related("product", "warehouse").order_by(
        "product__code", "warehouse__code"
    )


def list_reservations(
    company: Company, *, source_kind: str, source_id: int
) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(
            company=company, source_kind=source_kind, source_id=source_id
        )
        .select_related("product", "warehouse")
        .order_by("product__code", "warehouse__code")
    )


# --- products as the reports name them ----------------------------------------------


def find_product(company: Company, code_or_barcode: str) -> Product | None:
    """A product by its code, else by a barcode it carries."""
    text = code_or_barcode.strip()
    if not text:
        return None
    product = catalog.find_product(company, text)
    if product is not None:
        return product
    try:
        return catalog.find_by_barcode(company, text).product
    except ValidationError:
        return None


def _product_filter(company: Company, search: str, category: Category | None) -> Q:
    """Moves, balances or quants of the products a search and category pick
    (as one subquery; the catalog decides what a search matches)."""
    condition = Q()
    if search.strip() or category is not None:
        chosen = catalog.list_products(company, search=search, category=category)
        condition &= Q(product_id__in=chosen.values("pk"))
    return condition


def _check_page(page: int, page_size: int | None) -> None:
    if page < 1:
        raise ValidationError(
            _("The page number starts at 1."), fields={"page": [_("At least 1.")]}
        )
    if page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE:
        message = _("A page holds 1 to %(count)d rows.") % {"count": MAX_PAGE_SIZE}
        raise ValidationError(message, fields={"page_size": [message]})


# --- 即时库存 -------------------------------------------------------------------------


class OnHandBy(StrEnum):
    WAREHOUSE = "warehouse"
    LOCATION = "location"
    LOT = "lot"


@dataclass(frozen=True, slots=True, kw_only=True)
class OnHandRow:
    product_id: int
    product_code: str
    product_name: str
    specification: str
    unit: str
    warehouse_id: int
    warehouse_code: str
    warehouse_name: str
    on_hand: Decimal
    value: Decimal
    # Per warehouse only: reservations are made per warehouse.
    reserved: Decimal | None = None
    location_id: int | None = None
    location_code: str = ""
    lot_id: int | None = None
    lot_number: str = ""
    expiry_date: datetime.date | None = None

    @property
    def available(self) -> Decimal | None:
        return None if self.reserved is None else self.on_hand - self.reserved

    @property
    def unit_cost(self) -> Decimal:
        return round_price(self.value / self.on_hand) if self.on_hand > 0 else ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class OnHandReport:
    by: OnHandBy
    rows: list[OnHandRow]
    count: int
    page: int
    page_size: int | None  # None: every row on one page
    total_value: Decimal

    @property
    def num_pages(self) -> int:
        if self.page_size is None:
            return 1
        return max(math.ceil(self.count / self.page_size), 1)


def on_hand(
    company: Company,
    *,
    warehouse: Warehouse | None = None,
    search: str = "",
    category: Category | None = None,
    by: OnHandBy | str = OnHandBy.WAREHOUSE,
    include_zero: bool = False,
    page: int = 1,
    page_size: int | None = 50,
) -> OnHandReport:
    """One page of stock on hand per product × warehouse (with reserved and
    available), or per location and lot, ordered by product code; the total
    value covers every row of the filter, not only the page (``page_size``
    None: every row, for a download). Five queries at most, whatever the
    page size."""
    _check_page(page, page_size)
    by = OnHandBy(by)
    scope = Q(company=company) & _product_filter(company, search, category)
    if warehouse is not None:
        scope &= Q(warehouse=warehouse)
    start = (page - 1) * page_size if page_size is not None else 0
    end = start + page_size if page_size is not None else None
    balances = StockBalance.objects.filter(scope)
    total_value = balances.aggregate(total=sum_amount("value"))["total"]
    if by == OnHandBy.WAREHOUSE:
        if not include_zero:
            balances = balances.exclude(on_hand=0, reserved=0, value=0)
        count = balances.count()
        rows = [
            _balance_row(b)
            for b in balances.select_related(
                "product__base_unit", "warehouse"
            ).order_by("product__code", "warehouse__code")[start:end]
        ]
    else:
        quants = StockQuant.objects.filter(scope)
        if not include_zero:
            quants = quants.exclude(quantity=0)
        rows_of = _location_rows if by == OnHandBy.LOCATION else _lot_rows
        count, rows = rows_of(company, quants, start, end)
    return OnHandReport(
        by=by,
        rows=rows,
        count=count,
        page=page,
        page_size=page_size,
        total_value=total_value,
    )


def _balance_row(balance: StockBalance) -> OnHandRow:
    product, warehouse = balance.product, balance.warehouse
    return OnHandRow(
        product_id=product.pk,
        product_code=product.code,
        product_name=product.name,
        specification=product.specification,
        unit=product.base_unit.name,
        warehouse_id=warehouse.pk,
        warehouse_code=warehouse.code,
        warehouse_name=warehouse.name,
        on_hand=balance.on_hand,
        reserved=balance.reserved,
        value=balance.value,
    )


def _location_rows(
    company: Company, quants: QuerySet[StockQuant], start: int, end: int | None
) -> tuple[int, list[OnHandRow]]:
    page = list(
        quants.select_related(
            "product__base_unit", "warehouse", "location", "lot"
        ).order_by("product__code", "warehouse__code", "location__code", "lot__number")[
            start:end
        ]
    )
    costs = _unit_values(company, ((q.product_id, q.warehouse_id) for q in page))
    rows = [
        OnHandRow(
            product_id=q.product_id,
            product_code=q.product.code,
            product_name=q.product.name,
            specification=q.product.specification,
            unit=q.product.base_unit.name,
            warehouse_id=q.warehouse_id,
            warehouse_code=q.warehouse.code,
            warehouse_name=q.warehouse.name,
            on_hand=q.quantity,
            value=_share(costs, q.product_id, q.warehouse_id, q.quantity),
            location_id=q.location_id,
            location_code=q.location.code,
            lot_id=q.lot_id,
            lot_number=q.lot.number if q.lot else "",
            expiry_date=q.lot.expiry_date if q.lot else None,
        )
        for q in page
    ]
    return quants.count(), rows


def _lot_rows(
    company: Company, quants: QuerySet[StockQuant], start: int, end: int | None
) -> tuple[int, list[OnHandRow]]:
    grouped = quants.values(
        "product_id",
        "product__code",
        "product__name",
        "product__specification",
        "product__base_unit__name",
        "warehouse_id",
        "warehouse__code",
        "warehouse__name",
        "lot_id",
        "lot__number",
        "lot__expiry_date",
    ).annotate(quantity=sum_quantity("quantity"))
    page = list(
        grouped.order_by("product__code", "warehouse__code", "lot__number")[start:end]
    )
    costs = _unit_values(company, ((r["product_id"], r["warehouse_id"]) for r in page))
    rows = [
        OnHandRow(
            product_id=r["product_id"],
            product_code=r["product__code"],
            product_name=r["product__name"],
            specification=r["product__specification"],
            unit=r["product__base_unit__name"],
            warehouse_id=r["warehouse_id"],
            warehouse_code=r["warehouse__code"],
            warehouse_name=r["warehouse__name"],
            on_hand=r["quantity"],
            value=_share(costs, r["product_id"], r["warehouse_id"], r["quantity"]),
            lot_id=r["lot_id"],
            lot_number=r["lot__number"] or "",
            expiry_date=r["lot__expiry_date"],
        )
        for r in page
    ]
    return grouped.count(), rows


ChainKey = tuple[int, int]


def _unit_values(
    company: Company, keys: Iterable[ChainKey]
) -> dict[ChainKey, tuple[Decimal, Decimal]]:
    """(on hand, value) of the product × warehouse balances behind a page of
    location rows, in one query."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = StockBalance.objects.filter(
        company=company,
        product_id__in={k[0] for k in wanted},
        warehouse_id__in={k[1] for k in wanted},
    ).values_list("product_id", "warehouse_id", "on_hand", "value")
    return {(p, w): (q, v) for p, w, q, v in rows if (p, w) in wanted}


def _share(
    costs: dict[ChainKey, tuple[Decimal, Decimal]],
    product_id: int,
    warehouse_id: int,
    quantity: Decimal,
) -> Decimal:
    """A location's part of its warehouse's value: value is kept per
    warehouse (the costing chain), so a bin holds its quantity's share."""
    on_hand_total, value = costs.get((product_id, warehouse_id), (ZERO, ZERO_AMOUNT))
    if on_hand_total == 0:
        return ZERO_AMOUNT
    if quantity == on_hand_total:
        return value
    return round_amount(value * quantity / on_hand_total)


# --- 出入库流水 -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerLine:
    move_id: int
    date: datetime.date
    kind: str
    warehouse_code: str
    location_code: str
    lot_number: str
    source_kind: str
    source_id: int
    memo: str
    quantity_in: Decimal
    quantity_out: Decimal
    unit_cost: Decimal
    value_in: Decimal
    value_out: Decimal
    balance_quantity: Decimal
    balance_value: Decimal
    voucher_id: int | None
    voucher_number: str

    @property
    def kind_label(self) -> str:
        return str(MoveKind(self.kind).label)


@dataclass(frozen=True, slots=True, kw_only=True)
class StockLedger:
    product: Product
    warehouse: Warehouse | None
    date_from: datetime.date
    date_to: datetime.date
    opening_quantity: Decimal
    opening_value: Decimal
    in_quantity: Decimal
    in_value: Decimal
    out_quantity: Decimal
    out_value: Decimal
    lines: list[LedgerLine]
    count: int
    offset: int
    limit: int | None

    @property
    def closing_quantity(self) -> Decimal:
        return self.opening_quantity + self.in_quantity - self.out_quantity

    @property
    def closing_value(self) -> Decimal:
        return self.opening_value + self.in_value - self.out_value


def _check_range(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        message = _("The start date is after the end date.")
        raise ValidationError(message, fields={"date_from": [message]})


_IN = Q(quantity__gt=0) | Q(quantity=0, value__gt=0)
_OUT = Q(quantity__lt=0) | Q(quantity=0, value__lt=0)


def _in_out_sums(**group: Any) -> dict[str, Any]:
    return {
        "in_quantity": sum_quantity("quantity", filter=_IN),
        "in_value": sum_amount("value", filter=_IN),
        "out_quantity": sum_quantity(-F("quantity"), filter=_OUT),
        "out_value": sum_amount(-F("value"), filter=_OUT),
        **group,
    }


def stock_ledger(
    company: Company,
    *,
    product: Product,
    date_from: datetime.date,
    date_to: datetime.date,
    warehouse: Warehouse | None = None,
    offset: int = 0,
    limit: int | None = 200,
) -> StockLedger:
    """出入库流水 of one product (in one warehouse, or all): the opening
    balance at ``date_from``, each move of the range with the running
    quantity and value after it, and the closing balance. In one warehouse
    the running figures are the chain state each move stored; across
    warehouses they are the opening plus the moves so far. Four queries."""
    _check_range(date_from, date_to)
    if product.company_id != company.pk:
        raise NotFoundError(_("Product not found."))
    if warehouse is not None and warehouse.company_id != company.pk:
        raise NotFoundError(_("Warehouse not found."))
    if offset < 0 or (limit is not None and not 1 <= limit <= 1000):
        raise ValidationError(_("Ask for 1 to 1000 lines from offset 0 on."))
    moves = StockMove.objects.filter(company=company, product=product)
    if warehouse is not None:
        moves = moves.filter(warehouse=warehouse)
    opening_quantity, opening_value = _opening(moves, warehouse, date_from)
    in_range = moves.filter(date__gte=date_from, date__lte=date_to)
    totals = in_range.aggregate(**_in_out_sums(count=Count("id")))
    ordered = in_range.order_by("date", "id")
    page = list(
        ordered.select_related("warehouse", "location", "lot", "voucher")[
            offset : offset + limit if limit is not None else None
        ]
    )
    running_quantity, running_value = opening_quantity, opening_value
    if warehouse is None and offset:
        before = ordered[:offset].aggregate(
            quantity=sum_quantity("quantity"), value=sum_amount("value")
        )
        running_quantity += before["quantity"]
        running_value += before["value"]
    lines = []
    for move in page:
        running_quantity += move.quantity
        running_value += move.value
        if warehouse is not None:
            running_quantity, running_value = move.balance_quantity, move.balance_value
        lines.append(_ledger_line(move, running_quantity, running_value))
    return StockLedger(
        product=product,
        warehouse=warehouse,
        date_from=date_from,
        date_to=date_to,
        opening_quantity=opening_quantity,
        opening_value=opening_value,
        in_quantity=totals["in_quantity"],
        in_value=totals["in_value"],
        out_quantity=totals["out_quantity"],
        out_value=totals["out_value"],
        lines=lines,
        count=totals["count"],
        offset=offset,
        limit=limit,
    )


def _opening(
    moves: QuerySet[StockMove], warehouse: Warehouse | None, date_from: datetime.date
) -> tuple[Decimal, Decimal]:
    before = moves.filter(date__lt=date_from)
    if warehouse is not None:
        # The chain's state after its last move before the range.
        last = (
            before.order_by("-date", "-id")
            .values_list("balance_quantity", "balance_value")
            .first()
        )
        return last if last is not None else (ZERO, ZERO_AMOUNT)
    sums = before.aggregate(
        quantity=sum_quantity("quantity"), value=sum_amount("value")
    )
    return sums["quantity"], sums["value"]


def _ledger_line(move: StockMove, quantity: Decimal, value: Decimal) -> LedgerLine:
    incoming = move.quantity > 0 or (move.quantity == 0 and move.value > 0)
    return LedgerLine(
        move_id=move.pk,
        date=move.date,
        kind=move.kind,
        warehouse_code=move.warehouse.code,
        location_code=move.location.code,
        lot_number=move.lot.number if move.lot else "",
        source_kind=move.source_kind,
        source_id=move.source_id,
        memo=move.memo,
        quantity_in=move.quantity if incoming else ZERO,
        quantity_out=ZERO if incoming else -move.quantity,
        unit_cost=move.unit_cost,
        value_in=move.value if incoming else ZERO_AMOUNT,
        value_out=ZERO_AMOUNT if incoming else -move.value,
        balance_quantity=quantity,
        balance_value=value,
        voucher_id=move.voucher_id,
        voucher_number=move.voucher.display_number if move.voucher else "",
    )


# --- 收发存汇总表 ---------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class SummaryFigures:
    opening_quantity: Decimal = ZERO
    opening_value: Decimal = ZERO_AMOUNT
    in_quantity: Decimal = ZERO
    in_value: Decimal = ZERO_AMOUNT
    out_quantity: Decimal = ZERO
    out_value: Decimal = ZERO_AMOUNT

    @property
    def closing_quantity(self) -> Decimal:
        return self.opening_quantity + self.in_quantity - self.out_quantity

    @property
    def closing_value(self) -> Decimal:
        return self.opening_value + self.in_value - self.out_value

    def add(self, other: SummaryFigures) -> None:
        self.opening_quantity += other.opening_quantity
        self.opening_value += other.opening_value
        self.in_quantity += other.in_quantity
        self.in_value += other.in_value
        self.out_quantity += other.out_quantity
        self.out_value += other.out_value


@dataclass(slots=True, kw_only=True)
class SummaryRow(SummaryFigures):
    product_id: int
    product_code: str = ""
    product_name: str = ""
    specification: str = ""
    unit: str = ""
    warehouse_id: int | None = None
    warehouse_code: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MovementSummary:
    date_from: datetime.date
    date_to: datetime.date
    warehouse: Warehouse | None
    category: Category | None
    by_warehouse: bool
    rows: list[SummaryRow]
    total: SummaryFigures = field(default_factory=SummaryFigures)


def movement_summary(
    company: Company,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    warehouse: Warehouse | None = None,
    category: Category | None = None,
    by_warehouse: bool = False,
) -> MovementSummary:
    """收发存汇总表: per product (× warehouse with ``by_warehouse``) the
    opening at ``date_from``, receipts (moves in) and issues (moves out) of
    the range, and the closing, with a total row. Opening + in − out =
    closing, row by row.

    A transfer inside what a row covers moves nothing in or out of it: across
    all warehouses no transfer counts, in one warehouse only those between
    its own bins do not. Their two halves cancel, so the identity holds.
    The opening reads whole months from the monthly totals and only the
    moves of the first month before ``date_from``. Six queries at most."""
    _check_range(date_from, date_to)
    grouped = by_warehouse or warehouse is not None
    keys = ("product_id", "warehouse_id") if grouped else ("product_id",)
    chosen = _product_filter(company, "", category)
    moves = StockMove.objects.filter(company=company).filter(chosen)
    if warehouse is not None:
        moves = moves.filter(warehouse=warehouse)
    rows: dict[tuple[int, ...], SummaryRow] = {}

    def row_of(values: dict[str, Any]) -> SummaryRow:
        key = tuple(values[k] for k in keys)
        if key not in rows:
            rows[key] = SummaryRow(
                product_id=values["product_id"],
                warehouse_id=values.get("warehouse_id"),
            )
        return rows[key]

    # The opening: whole months from the monthly totals kept with the moves,
    # then the moves of date_from's month before date_from.
    month_start = date_from.replace(day=1)
    totals = StockMonthTotal.objects.filter(
        company=company, month__lt=month_start
    ).filter(chosen)
    if warehouse is not None:
        totals = totals.filter(warehouse=warehouse)
    for values in (
        totals.values(*keys)
        .annotate(
            quantity=sum_quantity(F("in_quantity") - F("out_quantity")),
            value=sum_amount(F("in_value") - F("out_value")),
        )
        .order_by()
    ):
        row = row_of(values)
        row.opening_quantity, row.opening_value = values["quantity"], values["value"]
    for values in (
        moves.filter(date__gte=month_start, date__lt=date_from)
        .values(*keys)
        .annotate(quantity=sum_quantity("quantity"), value=sum_amount("value"))
        .order_by()
    ):
        row = row_of(values)
        row.opening_quantity += values["quantity"]
        row.opening_value += values["value"]
    in_range = moves.filter(date__gte=date_from, date__lte=date_to).exclude(
        _internal_transfers(grouped)
    )
    for values in in_range.values(*keys).annotate(**_in_out_sums()).order_by():
        row = row_of(values)
        row.in_quantity, row.in_value = values["in_quantity"], values["in_value"]
        row.out_quantity, row.out_value = values["out_quantity"], values["out_value"]
    shown = [row for row in rows.values() if _has_figures(row)]
    _describe(company, shown)
    shown.sort(key=lambda r: (r.product_code, r.warehouse_code))
    total = SummaryFigures()
    for row in shown:
        total.add(row)
    return MovementSummary(
        date_from=date_from,
        date_to=date_to,
        warehouse=warehouse,
        category=category,
        by_warehouse=grouped,
        rows=shown,
        total=total,
    )


def _internal_transfers(grouped: bool) -> Q:
    if not grouped:
        return Q(kind__in=TRANSFER_KINDS)
    return Q(kind__in=TRANSFER_KINDS, counterpart__warehouse_id=F("warehouse_id"))


def _has_figures(row: SummaryFigures) -> bool:
    return any(
        (
            row.opening_quantity,
            row.opening_value,
            row.in_quantity,
            row.in_value,
            row.out_quantity,
            row.out_value,
        )
    )


def _describe(company: Company, rows: list[SummaryRow]) -> None:
    """Product and warehouse names of the rows (two queries)."""
    wanted = {r.product_id for r in rows}
    products_of_company = Product.objects.filter(company=company)
    if len(wanted) <= 1000:  # else reading them all is cheaper than the IN list
        products_of_company = products_of_company.filter(pk__in=wanted)
    products = {
        values[0]: values[1:]
        for values in products_of_company.values_list(
            "pk", "code", "name", "specification", "base_unit__name"
        )
    }
    warehouse_ids = {r.warehouse_id for r in rows if r.warehouse_id is not None}
    codes = dict(
        Warehouse.objects.filter(company=company, pk__in=warehouse_ids).values_list(
            "pk", "code"
        )
        if warehouse_ids
        else []
    )
    for row in rows:
        (
            row.product_code,
            row.product_name,
            row.specification,
            row.unit,
        ) = products[row.product_id]
        if row.warehouse_id is not None:
            row.warehouse_code = codes.get(row.warehouse_id, "")


# --- valuation and reconciliation -----------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueLine:
    """Stock value of one warehouse, one category, or one of each."""

    warehouse_id: int | None
    warehouse_code: str
    warehouse_name: str
    category_id: int | None
    category_code: str
    category_name: str
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Valuation:
    as_of: datetime.date | None
    lines: list[ValueLine]  # warehouse × category
    by_warehouse: list[ValueLine]
    by_category: list[ValueLine]
    total: Decimal


def valuation(company: Company, *, as_of: datetime.date | None = None) -> Valuation:
    """Stock value by warehouse and by product category: now (the balances)
    or at the end of ``as_of`` (the moves up to it). Three queries."""
    figures = _value_figures(company, as_of)
    warehouses = {
        w.pk: w
        for w in Warehouse.objects.filter(
            company=company, pk__in={f[0] for f in figures}
        )
    }
    categories = {
        c.pk: c
        for c in Category.objects.filter(
            company=company, pk__in={f[1] for f in figures if f[1] is not None}
        )
    }
    lines = [
        _value_line(
            warehouses.get(w), categories.get(c) if c else None, quantity, value
        )
        for w, c, quantity, value in figures
    ]
    lines.sort(key=lambda line: (line.warehouse_code, line.category_code))
    return Valuation(
        as_of=as_of,
        lines=lines,
        by_warehouse=_rolled_up(lines, warehouses, by="warehouse"),
        by_category=_rolled_up(lines, categories, by="category"),
        total=sum((line.value for line in lines), ZERO_AMOUNT),
    )


def _value_figures(
    company: Company, as_of: datetime.date | None
) -> list[tuple[int, int | None, Decimal, Decimal]]:
    """(warehouse id, category id, quantity, value), from the balances or
    from the moves up to ``as_of``."""
    sums: Iterable[tuple[Any, ...]]
    if as_of is None:
        sums = (
            StockBalance.objects.filter(company=company)
            .values_list("warehouse_id", "product__category_id")
            .annotate(quantity=sum_quantity("on_hand"), value=sum_amount("value"))
            .order_by()
        )
    else:
        sums = (
            StockMove.objects.filter(company=company, date__lte=as_of)
            .values_list("warehouse_id", "product__category_id")
            .annotate(quantity=sum_quantity("quantity"), value=sum_amount("value"))
            .order_by()
        )
    return [
        (warehouse_id, category_id, quantity, value)
        for warehouse_id, category_id, quantity, value in sums
        if quantity or value
    ]


def _value_line(
    warehouse: Warehouse | None,
    category: Category | None,
    quantity: Decimal,
    value: Decimal,
) -> ValueLine:
    return ValueLine(
        warehouse_id=warehouse.pk if warehouse else None,
        warehouse_code=warehouse.code if warehouse else "",
        warehouse_name=warehouse.name if warehouse else "",
        category_id=category.pk if category else None,
        category_code=category.code if category else "",
        category_name=category.name if category else "",
        quantity=quantity,
        value=value,
    )


def _rolled_up(
    lines: list[ValueLine],
    objects: dict[int, Any],
    *,
    by: str,
) -> list[ValueLine]:
    sums: dict[int | None, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO_AMOUNT])
    for line in lines:
        key = line.warehouse_id if by == "warehouse" else line.category_id
        sums[key][0] += line.quantity
        sums[key][1] += line.value
    result = [
        _value_line(
            objects.get(key) if by == "warehouse" and key is not None else None,
            objects.get(key) if by == "category" and key is not None else None,
            quantity,
            value,
        )
        for key, (quantity, value) in sums.items()
    ]
    result.sort(
        key=lambda r: r.warehouse_code if by == "warehouse" else r.category_code
    )
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class ReconciliationRow:
    account_id: int
    account_code: str
    account_name: str
    stock_value: Decimal
    ledger_balance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.stock_value - self.ledger_balance


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconciliation:
    period: Period
    rows: list[ReconciliationRow]

    @property
    def as_of(self) -> datetime.date:
        return self.period.end_on

    @property
    def stock_total(self) -> Decimal:
        return sum((row.stock_value for row in self.rows), ZERO_AMOUNT)

    @property
    def ledger_total(self) -> Decimal:
        return sum((row.ledger_balance for row in self.rows), ZERO_AMOUNT)

    @property
    def difference(self) -> Decimal:
        return self.stock_total - self.ledger_total

    @property
    def agrees(self) -> bool:
        return all(row.difference == 0 for row in self.rows)


def period_containing(company: Company, day: datetime.date) -> Period | None:
    return next(
        (
            period
            for period in ledger_selectors.list_periods(company)
            if period.start_on <= day <= period.end_on
        ),
        None,
    )


def reconciliation(company: Company, *, period: Period) -> Reconciliation:
    """Stock value at the end of ``period`` per inventory account (the
    account each move's voucher used: the inventory role refined by the
    product's category, else by the warehouse, else the company's) against
    that account's balance in the ledger. A difference means vouchers not
    yet posted, or postings to an inventory account made by hand. Five
    queries."""
    if period.company_id != company.pk:
        raise NotFoundError()
    roles: dict[tuple[str, int], Account] = {
        (role.key_kind, role.key_id): role.account
        for role in ledger_selectors.list_account_roles(company)
        if role.role == Role.INVENTORY
    }
    stock: dict[Account, Decimal] = defaultdict(lambda: ZERO_AMOUNT)
    for values in (
        StockMove.objects.filter(company=company, date__lte=period.end_on)
        .values("warehouse_id", "product__category_id")
        .annotate(value=sum_amount("value"))
        .order_by()
    ):
        account = _inventory_account(
            roles, values["product__category_id"], values["warehouse_id"]
        )
        if account is not None:
            stock[account] += values["value"]
    balances = ledger_reports.balances_at(company, period=period)
    accounts = sorted(set(stock) | set(roles.values()), key=lambda a: a.code)
    rows = [
        ReconciliationRow(
            account_id=account.pk,
            account_code=account.code,
            account_name=account.name,
            stock_value=stock.get(account, ZERO_AMOUNT),
            ledger_balance=balances.get(account.code, ZERO_AMOUNT),
        )
        for account in accounts
    ]
    return Reconciliation(period=period, rows=rows)


def _inventory_account(
    roles: dict[tuple[str, int], Account], category_id: int | None, warehouse_id: int
) -> Account | None:
    """What ``services._inventory_account`` resolves, from the role rows."""
    keys: list[tuple[str, int]] = []
    if category_id is not None:
        keys.append(("catalog.category", category_id))
    keys += [("inventory.warehouse", warehouse_id), ("", 0)]
    return next((roles[key] for key in keys if key in roles), None)


# --- the moves behind the figures ---------------------------------------------------


def _moves(company: Company) -> QuerySet[StockMove]:
    return StockMove.objects.filter(company=company).select_related(
        "product__base_unit", "warehouse", "location", "lot", "voucher"
    )


def moves_of_source(company: Company, kind: str, source_id: int) -> list[StockMove]:
    """The moves a document made, in the order it made them."""
    return list(
        _moves(company).filter(source_kind=kind, source_id=source_id).order_by("id")
    )


def get_move(company: Company, move_id: int) -> StockMove:
    move = (
        _moves(company)
        .select_related("counter_account", "counterpart__warehouse", "created_by")
        .filter(pk=move_id)
        .first()
    )
    if move is None:
        raise NotFoundError(_("Stock move not found."))
    return move


@dataclass(frozen=True, slots=True)
class MoveAdjustments:
    """The cost adjustments that revalued a move, and those it caused."""

    revaluations: list[CostAdjustmentLine]
    caused: list[CostAdjustment]


def move_adjustments(company: Company, move: StockMove) -> MoveAdjustments:
    revaluations = list(
        CostAdjustmentLine.objects.filter(company=company, move=move)
        .select_related("adjustment__voucher")
        .order_by("adjustment__date", "adjustment_id")
    )
    caused = list(
        CostAdjustment.objects.filter(company=company, cause=move)
        .select_related("voucher")
        .order_by("date", "id")
    )
    return MoveAdjustments(revaluations, caused)


def get_cost_adjustment(company: Company, adjustment_id: int) -> CostAdjustment:
    adjustment = (
        CostAdjustment.objects.filter(company=company, pk=adjustment_id)
        .select_related("voucher", "cause__product", "cause__warehouse")
        .first()
    )
    if adjustment is None:
        raise NotFoundError(_("Cost adjustment not found."))
    return adjustment


def cost_adjustment_lines(
    company: Company, adjustment: CostAdjustment
) -> list[CostAdjustmentLine]:
    return list(
        CostAdjustmentLine.objects.filter(company=company, adjustment=adjustment)
        .select_related("move__product", "move__warehouse")
        .order_by("move__date", "move_id")
    )


# --- stock by variant ---------------------------------------------------------------


def on_hand_by_product(
    company: Company, products: Iterable[Product], warehouse: Warehouse | None = None
) -> dict[int, Decimal]:
    """On hand of each product, in one warehouse or all (one query); the
    style page pivots it by colour × size."""
    rows = StockBalance.objects.filter(
        company=company, product_id__in={p.pk for p in products}
    )
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return {
        r["product_id"]: r["q"]
        for r in rows.values("product_id")
        .annotate(q=sum_quantity("on_hand"))
        .order_by()
    }
