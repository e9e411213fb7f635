"""Inventory (库存): warehouses and bins, stock moves, costing, reservations,
counts, alerts and stock reports."""
