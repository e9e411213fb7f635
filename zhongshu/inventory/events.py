"""Domain events inventory publishes (purchasing and the alerts page listen)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StockBelowSafety:
    """A move left a product's available stock in a warehouse below its
    safety stock. Quantities are decimal strings."""

    company_id: int
    product_id: int
    warehouse_id: int
    available: str
    safety_stock: str


# --- the nightly alerts (``inventory.alerts.publish_alerts``) ----------
# Published at most once a day per company; the nightly run also publishes
# ``StockBelowSafety`` for every product still below its safety stock.

import datetime  # noqa: E402 - appended below the events above


@dataclass(frozen=True, slots=True, kw_only=True)
class StockAboveMaximum:
    """A product's stock in a warehouse is above its maximum stock."""

    company_id: int
    product_id: int
    warehouse_id: int
    on_hand: str
    maximum_stock: str
    on_date: datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class LotNearExpiry:
    """A lot still in stock expires within the company's warning days."""

    company_id: int
    product_id: int
    warehouse_id: int
    lot_id: int
    quantity: str
    expiry_date: datetime.date
    on_date: datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class LotExpired:
    """A lot still in stock is past its expiry date."""

    company_id: int
    product_id: int
    warehouse_id: int
    lot_id: int
    quantity: str
    expiry_date: datetime.date
    on_date: datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class StockNotMoving:
    """A product in stock has not moved in a warehouse for longer than the
    company's ``stale_after_days``."""

    company_id: int
    product_id: int
    warehouse_id: int
    on_hand: str
    last_move_on: datetime.date
    days: int
    on_date: datetime.date
