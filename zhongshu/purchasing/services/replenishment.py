"""Replenishment (智能补货): what to order of each product for each
warehouse, and turning what a buyer accepts into purchase orders.

Documents: ``Suggestion`` (one per product × warehouse, rebuilt from the
source of truth), and draft purchase orders made by ``orders.create_order``
when suggestions are accepted. Events published: none; ``handlers`` rebuilds
a product's suggestion on inventory's ``StockBelowSafety`` and ``tasks``
rebuilds every company's each night.

The reasoning, every figure of it stored on the suggestion for the page:

- horizon = the supplier's lead time + the review period (the days until the
  next run may order again);
- forecast = the demand forecast over the horizon (``purchasing.forecast``,
  from the daily sales of the last ``HISTORY_DAYS`` days up to yesterday);
- shortfall = forecast + reserved + safety stock − on hand − in transit
  (= forecast + safety stock − available − in transit);
- quantity = nothing when the shortfall is not positive, else the shortfall
  raised to the supplier's minimum order quantity, then up to a multiple of
  its order multiple.

Which product × warehouse: each that sold in the history or has a stock
policy, its product and warehouse active. The supplier is the product's
preferred one, else its only one; without either the horizon is the review
period alone and the suggestion cannot be accepted until a buyer sets one.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhongshu.core.bulk import insert_many, update_many
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.money import round_quantity
from zhongshu.core.services import require_writable
from zhongshu.purchasing.forecast import Forecast, forecast_demand
from zhongshu.purchasing.models import (
    OrderState,
    PurchaseOrder,
    Suggestion,
    SupplierProduct,
)
from zhongshu.purchasing.selectors import replenishment as selectors
from zhongshu.purchasing.selectors.replenishment import Key
from zhongshu.purchasing.services.common import ZERO, settings_of
from zhongshu.purchasing.services.orders import LineData, OrderData, create_order

HISTORY_DAYS = 730

Ids = Collection[int] | None


# --- the figures of one run ----------


class _Run:
    """What a run reasons from, read in a handful of queries."""

    def __init__(
        self, company: Company, on_date: datetime.date, products: Ids, warehouses: Ids
    ) -> None:
        scope = {"product_ids": products, "warehouse_ids": warehouses}
        self.company = company
        self.on_date = on_date
        self.review_days = settings_of(company).review_period_days
        self.positions = selectors.stock_positions(company, **scope)
        self.safety = selectors.safety_stocks(company, **scope)
        self.transit = selectors.in_transit(company, **scope)
        self.suppliers = selectors.replenishing_suppliers(company, product_ids=products)
        self.places = selectors.unit_places(company, product_ids=products)
        sales = selectors.daily_sales(
            company,
            date_from=on_date - datetime.timedelta(days=HISTORY_DAYS),
            date_to=on_date - datetime.timedelta(days=1),
            **scope,
        )
        sold, row_series = sales.series()
        self.keys = self._keys(sold, warehouses, scope)
        self.history = sales.history(sold, row_series, self.keys, HISTORY_DAYS)

    def _keys(
        self, sold: list[Key], warehouses: Ids, scope: dict[str, Ids]
    ) -> list[Key]:
        active = selectors.active_warehouses(self.company, warehouse_ids=warehouses)
        pending = selectors.accepted_pending(self.company, **scope)
        return sorted(
            key
            for key in set(sold) | set(self.safety)
            if key[0] in self.places and key[1] in active and key not in pending
        )

    def horizon(self, product_id: int) -> int:
        offer = self.suppliers.get(product_id)
        return (offer.lead_time_days if offer else 0) + self.review_days

    def suggestion(self, index: int, forecast: Forecast) -> Suggestion:
        product_id, warehouse_id = key = self.keys[index]
        places = self.places[product_id]
        offer = self.suppliers.get(product_id)
        horizon = self.horizon(product_id)
        demand = round_quantity(Decimal(repr(forecast.total(index, horizon))), places)
        on_hand, reserved = self.positions.get(key, (ZERO, ZERO))
        safety = self.safety.get(key, ZERO)
        transit = self.transit.get(key, ZERO)
        shortfall = demand + reserved + safety - on_hand - transit
        return Suggestion(
            company=self.company,
            product_id=product_id,
            warehouse_id=warehouse_id,
            supplier_id=offer.supplier_id if offer else None,
            computed_on=self.on_date,
            method=forecast.methods[index],
            horizon_days=horizon,
            forecast=demand,
            available=on_hand - reserved,
            in_transit=transit,
            reserved=reserved,
            safety_stock=safety,
            shortfall=shortfall,
            quantity=order_quantity(shortfall, offer, places),
        )


def _round_up(value: Decimal, step: Decimal) -> Decimal:
    """The smallest whole number of ``step`` not below ``value``: packs to
    order, not a rounding of the figure (that is ``core.money``'s)."""
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def order_quantity(
    shortfall: Decimal, offer: SupplierProduct | None, places: int
) -> Decimal:
    """What to order for ``shortfall``: nothing when it is not positive,
    else at least the supplier's minimum, in whole order multiples and whole
    steps of the unit (base units throughout)."""
    if shortfall <= 0:
        return ZERO
    quantity = shortfall
    if offer is not None:
        quantity = max(quantity, offer.minimum_quantity)
        if offer.order_multiple > 0:
            quantity = _round_up(quantity, offer.order_multiple)
    return _round_up(quantity, Decimal(1).scaleb(-places))


# --- rebuilding ----------


@transaction.atomic
def rebuild_suggestions(
    *,
    company: Company,
    on_date: datetime.date,
    product_ids: Ids = None,
    warehouse_ids: Ids = None,
) -> list[Suggestion]:
    """Work the suggestions out again from sales, stock, policies and open
    orders, for every product × warehouse or only those of ``product_ids``
    and ``warehouse_ids``, and replace the ones there were. A suggestion
    accepted into an order still in draft stays as it is (the draft is not
    in transit yet, so suggesting again would order twice); one whose order
    went on is replaced, its order now counted in transit. Returns the new
    suggestions."""
    require_writable(company)
    run = _Run(company, on_date, product_ids, warehouse_ids)
    horizons = [run.horizon(product_id) for product_id, _warehouse in run.keys]
    forecast = forecast_demand(run.history, max(horizons, default=0))
    rows = [run.suggestion(index, forecast) for index in range(len(run.keys))]
    stale = Suggestion.objects.filter(company=company).filter(
        Q(order_line__isnull=True) | ~Q(order_line__order__state=OrderState.DRAFT)
    )
    if product_ids is not None:
        stale = stale.filter(product_id__in=list(product_ids))
    if warehouse_ids is not None:
        stale = stale.filter(warehouse_id__in=list(warehouse_ids))
    stale.delete()
    return insert_many(rows)


# --- accepting ----------


def _accepted(company: Company, suggestion_ids: Sequence[int]) -> list[Suggestion]:
    wanted = set(suggestion_ids)
    rows = list(
        Suggestion.objects.select_for_update(of=("self",))
        .filter(company=company, pk__in=wanted)
        .select_related("product", "product__base_unit", "warehouse", "supplier")
        .order_by("supplier__code", "warehouse__code", "product__code")
    )
    if not wanted or len(rows) != len(wanted):
        raise NotFoundError(_("Replenishment suggestion not found."))
    return rows


def _refuse(rows: list[Suggestion], message: str) -> None:
    """``message`` naming the products of ``rows``, if there are any."""
    if rows:
        text = message % {"products": ", ".join(row.product.code for row in rows)}
        raise ValidationError(text, fields={"suggestion_ids": [text]})


def _check_acceptable(rows: list[Suggestion]) -> None:
    """Each must be open, have something to order and a supplier."""
    for row in rows:
        if row.order_line_id is not None:
            raise ConflictError(
                _("The suggestion for %(product)s was accepted already.")
                % {"product": row.product.code}
            )
    _refuse(
        [row for row in rows if row.quantity <= 0],
        _("There is nothing to order for %(products)s."),
    )
    _refuse(
        [row for row in rows if row.supplier_id is None],
        _("No supplier to order %(products)s from: set a preferred supplier first."),
    )


@transaction.atomic
def accept_suggestions(
    *,
    company: Company,
    actor: User | None,
    suggestion_ids: Sequence[int],
    on_date: datetime.date,
) -> list[PurchaseOrder]:
    """Turn the suggestions into draft purchase orders, one per supplier and
    warehouse, each line the suggested base quantity at the supplier's
    price; each suggestion then names its order line. All or nothing."""
    require_writable(company)
    rows = _accepted(company, suggestion_ids)
    _check_acceptable(rows)
    groups: dict[tuple[int, int], list[Suggestion]] = {}
    for row in rows:
        groups.setdefault((row.supplier_id or 0, row.warehouse_id), []).append(row)
    memo = _("From the replenishment suggestions of %(date)s") % {
        "date": on_date.isoformat()
    }
    orders = []
    for group in groups.values():
        order = create_order(
            company=company,
            actor=actor,
            data=OrderData(
                supplier=group[0].supplier,  # type: ignore[arg-type]  # checked above
                date=on_date,
                warehouse=group[0].warehouse,
                memo=memo,
                lines=[
                    LineData(
                        product=row.product, quantity=row.quantity, unit_price=None
                    )
                    for row in group
                ],
            ),
        )
        lines = list(order.lines.order_by("line_no"))
        for row, line in zip(group, lines, strict=True):
            row.order_line = line
        orders.append(order)
    update_many(rows, ["order_line"])
    return orders
