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
