"""The tenancy probe's own machinery: it finds object ids in paths and
bodies, and builds bodies that pass the schema with the ids it is given."""

# No ``from __future__ import annotations``: ninja reads these annotations.
import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.operation import Operation
from pydantic import AwareDatetime

from zhongshu.api.tests.probe import Route


class LineIn(Schema):
    product_id: int
    quantity: Decimal
    note: str = ""


class OrderIn(Schema):
    customer_id: int
    ordered_on: datetime.date
    confirm_at: AwareDatetime | None = None
    lines: list[LineIn]
    tag_ids: list[int] = Field(default_factory=list)


router = Router()


@router.post("/orders/{order_id}/copies/{kind}")
def copy_order(
    request: HttpRequest, order_id: int, kind: str, payload: OrderIn
) -> None:
    raise NotImplementedError


def test_ids_are_found_in_the_path_and_the_body():
    # given
    route = Route("POST", "/api/v1/orders/{order_id}/copies/{kind}", operation())

    # then
    assert route.path_parameters == ["order_id", "kind"]
    assert route.path_ids == ["order_id"]
    assert route.body_ids == ["customer_id", "product_id", "tag_ids"]
    assert route.url({"order_id": 5, "kind": "x"}) == "/api/v1/orders/5/copies/x"


def test_a_sample_body_passes_the_schema_and_carries_the_ids():
    # given
    route = Route("POST", "/api/v1/orders/{order_id}/copies/{kind}", operation())

    # when
    body = route.body({"customer_id": 7, "product_id": 8, "tag_id": 9})

    # then
    assert body["customer_id"] == 7
    assert body["lines"][0]["product_id"] == 8
    assert body["tag_ids"] == [9]
    OrderIn.model_validate(body)


def operation() -> Operation:
    return router.path_operations["/orders/{order_id}/copies/{kind}"].operations[0]
