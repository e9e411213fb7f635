"""The inventory REST endpoints, mounted at /api/v1/inventory."""

from ninja import Router

router = Router(tags=["inventory"])
