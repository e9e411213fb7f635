"""Replenishment over the API: the suggestion with its figures, accepted
into a draft order; refused for a role that may not buy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhongshu.core import clock
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Role
from zhongshu.inventory import services as inventory
from zhongshu.inventory import testing as inventory_testing
from zhongshu.inventory.models import Warehouse
from zhongshu.purchasing import testing as purchasing_testing
from zhongshu.purchasing.models import PurchaseOrder
from zhongshu.purchasing.services.replenishment import rebuild_suggestions
from zhongshu.purchasing.services.supplier_products import (
    SupplierProductData,
    set_supplier_product,
)
from zhongshu.purchasing.tests.api_client import as_token

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_suggestion_is_read_and_accepted_over_the_api() -> None:
    # given: a safety stock of 15 and nothing on hand, bought in tens from 20
    company = purchasing_testing.purchasing_company("REPLAPI")
    warehouse = Warehouse.objects.get(company=company, code="WH1")
    cup = inventory_testing.product(company, "CUP")
    vendor = purchasing_testing.supplier(company, "V1")
    set_supplier_product(
        company=company,
        actor=core_testing.owner_of(company),
        data=SupplierProductData(
            supplier=vendor,
            product=cup,
            unit_price=D("4.00"),
            minimum_quantity=D(20),
            order_multiple=D(10),
            is_preferred=True,
        ),
    )
    inventory.set_stock_policy(
        company=company,
        actor=None,
        product=cup,
        warehouse=warehouse,
        safety_stock=D(15),
        maximum_stock=None,
    )
    rebuild_suggestions(company=company, on_date=clock.today())
    buyer = as_token(purchasing_testing.buyer(company), company)
    keeper = as_token(core_testing.member(company, [Role.WAREHOUSE]), company)

    # when / then
    (row,) = buyer.get("/replenishment/suggestions").json()
    assert (row["product_code"], row["shortfall"], row["quantity"]) == (
        "CUP",
        "15.0000",
        "20.0000",
    )
    assert (
        keeper.post(
            "/replenishment/accept", {"suggestion_ids": [row["id"]]}
        ).status_code
        == 403
    )
    assert not PurchaseOrder.objects.filter(company=company).exists()
    response = buyer.post("/replenishment/accept", {"suggestion_ids": [row["id"]]})
    assert response.status_code == 201
    (order,) = response.json()
    assert (order["supplier_id"], order["total"]) == (vendor.pk, "90.40")
    assert PurchaseOrder.objects.get(company=company).lines.get().base_quantity == 20
