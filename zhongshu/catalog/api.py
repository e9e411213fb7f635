"""The catalog REST endpoints, mounted at /api/v1/catalog."""

from ninja import Router

router = Router(tags=["catalog"])
