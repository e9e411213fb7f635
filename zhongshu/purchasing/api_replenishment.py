"""Replenishment suggestions over REST, mounted at /api/v1/purchasing: read
the last run with its reasoning, run it again, and accept suggestions into
draft purchase orders. Reads need ``purchasing.view``; writes
``purchasing.buy``."""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
import datetime
from decimal import Decimal
from typing import ClassVar

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require
from zhongshu.purchasing import permissions
from zhongshu.purchasing.selectors import replenishment as selectors
from zhongshu.purchasing.services import replenishment as services

router = Router(tags=["purchasing"])

VIEW = permissions.VIEW_PURCHASING.code
BUY = permissions.BUY.code


class SuggestionOut(Schema):
    id: int
    product_id: int
    product_code: str = Field(alias="product.code")
    warehouse_id: int
    warehouse_code: str = Field(alias="warehouse.code")
    supplier_id: int | None
    computed_on: datetime.date
    method: str
    horizon_days: int
    forecast: Decimal = Field(description="Demand forecast over the horizon.")
    available: Decimal
    in_transit: Decimal
    reserved: Decimal
    safety_stock: Decimal
    shortfall: Decimal
    quantity: Decimal = Field(description="Rounded to the supplier's terms.")
    order_line_id: int | None


class AcceptIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    suggestion_ids: list[int] = Field(min_length=1, max_length=5000)
    date: datetime.date | None = None


class OrderRef(Schema):
    id: int
    supplier_id: int
    total: Decimal


@router.get("/replenishment/suggestions", response=list[SuggestionOut])
@require(VIEW)
def list_suggestions(request: HttpRequest, all: bool = False) -> list[object]:
    company = api_context(request).company
    return list(selectors.list_suggestions(company, only_positive=not all))


@router.post("/replenishment/rebuild", response=list[SuggestionOut])
@require(BUY)
def rebuild(request: HttpRequest) -> list[object]:
    company = api_context(request).company
    services.rebuild_suggestions(company=company, on_date=clock.today())
    return list(selectors.list_suggestions(company))


@router.post("/replenishment/accept", response={201: list[OrderRef]})
@require(BUY)
def accept(request: HttpRequest, data: AcceptIn) -> tuple[int, list[object]]:
    context = api_context(request)
    orders = services.accept_suggestions(
        company=context.company,
        actor=context.user,
        suggestion_ids=data.suggestion_ids,
        on_date=data.date or clock.today(),
    )
    return 201, list(orders)
