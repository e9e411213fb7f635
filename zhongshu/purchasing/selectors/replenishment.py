"""Reads of replenishment (智能补货): the suggestions page, and what a
suggestion run reasons from — the daily sales of each product in each
warehouse, its stock and reservations, its safety stock, what is on order
and who supplies it. Each read is one query for the whole run, whatever the
number of products.

Sales, stock and safety stock are inventory's tables, read here (never
written) in bulk shapes inventory's own selectors do not offer; they would
move to ``inventory.selectors`` once another module needs them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import TypeVar

import numpy as np
from django.db import connections
from django.db.models import CharField, F, Model, Q, QuerySet
from django.db.models.functions import Cast

from zhongshu.catalog.models import Product
from zhongshu.core.fields import sum_quantity
from zhongshu.core.models import Company
from zhongshu.core.money import QUANTITY_SCALE
from zhongshu.inventory.models import (
    MoveKind,
    StockBalance,
    StockMove,
    StockPolicy,
    Warehouse,
)
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.forecast import DemandHistory, FloatArray, IntArray
from zhongshu.purchasing.models import (
    OrderState,
    PurchaseOrderLine,
    Suggestion,
    SupplierProduct,
)

ZERO = Decimal("0")
# The stock moves that are sales: out to customers (deliveries, retail
# sales), less what customers sent back. The kinds are sales' source
# references (``sales.services.common``), which purchasing may not import.
SALES_ISSUES = ("sales.delivery", "sales.retail")
SALES_RETURNS = ("sales.return",)
# Orders whose open quantity is on its way: confirmed ones, and submitted
# ones awaiting approval (approving changes nothing of what will come).
OPEN_ORDER_STATES = (OrderState.SUBMITTED, OrderState.CONFIRMED)
_FETCH_ROWS = 50_000
_ROW = np.dtype(
    [("product", "i8"), ("warehouse", "i8"), ("date", "U10"), ("quantity", "f8")]
)

M = TypeVar("M", bound=Model)
Key = tuple[int, int]  # (product id, warehouse id)
Ids = Collection[int] | None


def list_suggestions(
    company: Company,
    warehouse: Warehouse | None = None,
    supplier: Supplier | None = None,
    only_positive: bool = True,
) -> QuerySet[Suggestion]:
    """The suggestions of the last run by warehouse and product code, with
    what the page shows joined; ``only_positive``: those with something to
    order."""
    rows = Suggestion.objects.filter(company=company)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    if supplier is not None:
        rows = rows.filter(supplier=supplier)
    if only_positive:
        rows = rows.filter(quantity__gt=0)
    return rows.select_related(
        "product",
        "product__base_unit",
        "warehouse",
        "supplier",
        "order_line__order",
    ).order_by("warehouse__code", "product__code")


def _scoped(rows: QuerySet[M], product_ids: Ids, warehouse_ids: Ids) -> QuerySet[M]:
    if product_ids is not None:
        rows = rows.filter(product_id__in=list(product_ids))
    if warehouse_ids is not None:
        rows = rows.filter(warehouse_id__in=list(warehouse_ids))
    return rows


# --- what a run reasons from ----------


@dataclasses.dataclass(frozen=True, slots=True)
class DailySales:
    """Base units sold less returned per product, warehouse and day, as
    columns; ``day`` counts from ``date_from`` (0 is that day)."""

    date_from: datetime.date
    product: IntArray
    warehouse: IntArray
    day: IntArray
    quantity: FloatArray

    def series(self) -> tuple[list[Key], IntArray]:
        """The products × warehouses that sold (in key order), and the
        position of each row's among them."""
        if not self.product.size:
            return [], np.zeros(0, dtype=np.int64)
        width = int(self.warehouse.max()) + 1
        found, rows = np.unique(
            self.product * width + self.warehouse, return_inverse=True
        )
        keys = [(int(k // width), int(k % width)) for k in found]
        return keys, rows.astype(np.int64)

    def history(
        self, sold: list[Key], row_series: IntArray, keys: list[Key], days: int
    ) -> DemandHistory:
        """Daily demand of ``keys`` (in that order) over ``days`` days from
        ``date_from``; ``sold`` and ``row_series`` are what ``series`` gave.
        Sales of other keys are left out."""
        position = {key: index for index, key in enumerate(keys)}
        target = np.array([position.get(key, -1) for key in sold], dtype=np.int64)
        series = target[row_series] if sold else row_series
        kept = series >= 0
        return DemandHistory.from_days(
            len(keys), days, series[kept], self.day[kept], self.quantity[kept]
        )


def daily_sales(
    company: Company,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    product_ids: Ids = None,
    warehouse_ids: Ids = None,
) -> DailySales:
    """Sales from ``date_from`` through ``date_to``, in one query; the moves
    of one product, warehouse and day are not added up (``history`` does)."""
    moves = StockMove.objects.filter(
        Q(kind=MoveKind.ISSUE, source_kind__in=SALES_ISSUES)
        | Q(kind=MoveKind.RETURN_IN, source_kind__in=SALES_RETURNS),
        company=company,
        date__gte=date_from,
        date__lte=date_to,
    )
    rows = (
        _scoped(moves, product_ids, warehouse_ids)
        .values_list(
            "product_id",
            "warehouse_id",
            Cast("date", output_field=CharField()),
            "quantity",
        )
        .order_by()
    )
    # Millions of rows: read raw, a batch at a time straight into arrays.
    # The ORM's per-value converters (to date and Decimal) would cost more
    # than the query, so the date comes as ISO text and the quantity as the
    # column's scaled integer.
    sql, params = rows.query.sql_with_params()
    start = np.datetime64(date_from, "D")
    columns: list[tuple[IntArray, IntArray, IntArray, FloatArray]] = []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(_FETCH_ROWS):
            found = np.array(batch, dtype=_ROW)
            days = found["date"].astype("datetime64[D]") - start
            columns.append(
                (  # copies, so the batch with its text dates is let go
                    found["product"].astype(np.int64),
                    found["warehouse"].astype(np.int64),
                    days.astype(np.int64),
                    # Issues are negative, returns positive: sales, the negation.
                    -found["quantity"] / QUANTITY_SCALE,
                )
            )
    if not columns:
        none = np.zeros(0, dtype=np.int64)
        return DailySales(date_from, none, none, none, np.zeros(0))
    product, warehouse, day = (
        np.concatenate([c[n] for c in columns]) for n in range(3)
    )
    quantity = np.concatenate([c[3] for c in columns])
    return DailySales(date_from, product, warehouse, day, quantity)


def sales_history(
    company: Company, *, on_date: datetime.date, days: int
) -> tuple[list[Key], DemandHistory]:
    """The daily sales of each product × warehouse that sold in the ``days``
    days before ``on_date`` (what the backtest reads)."""
    sales = daily_sales(
        company,
        date_from=on_date - datetime.timedelta(days=days),
        date_to=on_date - datetime.timedelta(days=1),
    )
    sold, row_series = sales.series()
    return sold, sales.history(sold, row_series, sold, days)


def stock_positions(
    company: Company, *, product_ids: Ids = None, warehouse_ids: Ids = None
) -> dict[Key, tuple[Decimal, Decimal]]:
    """(product, warehouse) → (on hand, reserved); absent: neither."""
    rows = _scoped(
        StockBalance.objects.filter(company=company), product_ids, warehouse_ids
    ).values_list("product_id", "warehouse_id", "on_hand", "reserved")
    return {(p, w): (on_hand, reserved) for p, w, on_hand, reserved in rows}


def safety_stocks(
    company: Company, *, product_ids: Ids = None, warehouse_ids: Ids = None
) -> dict[Key, Decimal]:
    """(product, warehouse) → safety stock, for each stock policy."""
    rows = _scoped(
        StockPolicy.objects.filter(company=company), product_ids, warehouse_ids
    ).values_list("product_id", "warehouse_id", "safety_stock")
    return {(p, w): safety for p, w, safety in rows}


def in_transit(
    company: Company, *, product_ids: Ids = None, warehouse_ids: Ids = None
) -> dict[Key, Decimal]:
    """(product, warehouse) → base units ordered and not yet received on
    open orders (a line received beyond its quantity counts as nothing)."""
    lines = PurchaseOrderLine.objects.filter(
        company=company,
        order__state__in=OPEN_ORDER_STATES,
        base_quantity__gt=F("received_quantity"),
    )
    rows = (
        _scoped(lines, product_ids, warehouse_ids)
        .values_list("product_id", "warehouse_id")
        .annotate(open=sum_quantity(F("base_quantity") - F("received_quantity")))
        .order_by()
    )
    return {(p, w): open_quantity for p, w, open_quantity in rows}


def replenishing_suppliers(
    company: Company, *, product_ids: Ids = None
) -> dict[int, SupplierProduct]:
    """Product id → what it is bought from: its preferred supplier, else its
    only active supplier; a product with several and none preferred is
    absent (a buyer must choose)."""
    rows = SupplierProduct.objects.filter(company=company, supplier__is_active=True)
    if product_ids is not None:
        rows = rows.filter(product_id__in=list(product_ids))
    found: dict[int, list[SupplierProduct]] = {}
    for row in rows.order_by("product_id", "-is_preferred", "supplier_id"):
        found.setdefault(row.product_id, []).append(row)
    return {
        product_id: offers[0]
        for product_id, offers in found.items()
        if offers[0].is_preferred or len(offers) == 1
    }


def unit_places(company: Company, *, product_ids: Ids = None) -> dict[int, int]:
    """Active product id → the decimals of its base unit."""
    rows = Product.objects.filter(company=company, is_active=True)
    if product_ids is not None:
        rows = rows.filter(pk__in=list(product_ids))
    return dict(rows.values_list("pk", "base_unit__places"))


def active_warehouses(company: Company, *, warehouse_ids: Ids = None) -> set[int]:
    rows = Warehouse.objects.filter(company=company, is_active=True)
    if warehouse_ids is not None:
        rows = rows.filter(pk__in=list(warehouse_ids))
    return set(rows.values_list("pk", flat=True))


def accepted_pending(
    company: Company, *, product_ids: Ids = None, warehouse_ids: Ids = None
) -> set[Key]:
    """Products and warehouses whose suggestion was accepted into an order
    that is still a draft: not on order yet, so not in transit either."""
    rows = _scoped(
        Suggestion.objects.filter(
            company=company, order_line__order__state=OrderState.DRAFT
        ),
        product_ids,
        warehouse_ids,
    )
    return set(rows.values_list("product_id", "warehouse_id"))
