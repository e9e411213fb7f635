"""What suppliers supply, over REST, mounted at /api/v1/purchasing.

A supplier's row for a product is addressed by both ids and set with a PUT
(created or replaced: safe to retry). Suppliers and products named in paths
go through ``selectors``, which answer 404 for another company's ids. Reads
need ``purchasing.view``; writes ``purchasing.manage``.
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from decimal import Decimal
from typing import ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from zhongshu.catalog import selectors as catalog_selectors
from zhongshu.core.apikit import api_context, require
from zhongshu.partners import selectors as partners_selectors
from zhongshu.partners.schemas import DecimalIn
from zhongshu.purchasing import permissions
from zhongshu.purchasing.models import SupplierProduct
from zhongshu.purchasing.selectors import supplier_products as selectors
from zhongshu.purchasing.services import supplier_products as services

router = Router(tags=["purchasing"])

VIEW = permissions.VIEW_PURCHASING.code
MANAGE = permissions.MANAGE_PURCHASING.code


class PartyRef(Schema):
    id: int
    code: str
    name: str


class SupplierProductOut(Schema):
    id: int
    supplier: PartyRef
    product: PartyRef
    base_unit: str = Field(description="The code of the product's base unit.")
    supplier_code: str
    unit_price: Decimal = Field(description="Per base unit.")
    minimum_quantity: Decimal = Field(description="In base units; 0: no minimum.")
    order_multiple: Decimal = Field(description="In base units; 0: any quantity.")
    lead_time_days: int
    is_preferred: bool

    @staticmethod
    def resolve_base_unit(obj: SupplierProduct) -> str:
        return obj.product.base_unit.code


class SupplierProductIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier_code": "HW-2088",
                    "unit_price": "12.50",
                    "minimum_quantity": "100",
                    "order_multiple": "50",
                    "lead_time_days": 7,
                    "is_preferred": True,
                }
            ]
        },
    )

    supplier_code: str = Field("", max_length=60)
    unit_price: DecimalIn
    minimum_quantity: DecimalIn = Decimal("0")
    order_multiple: DecimalIn = Decimal("0")
    lead_time_days: int = Field(0, ge=0, le=32767)
    is_preferred: bool = False


@router.get("/suppliers/{supplier_id}/products", response=list[SupplierProductOut])
@require(VIEW)
def list_supplier_products(
    request: HttpRequest, supplier_id: int
) -> QuerySet[SupplierProduct]:
    """What the supplier supplies, by product code."""
    company = api_context(request).company
    supplier = partners_selectors.get_supplier(company, supplier_id)
    return selectors.list_supplier_products(company, supplier=supplier)


@router.get("/products/{product_id}/suppliers", response=list[SupplierProductOut])
@require(VIEW)
def list_product_suppliers(
    request: HttpRequest, product_id: int
) -> QuerySet[SupplierProduct]:
    """Who supplies the product, the preferred supplier first."""
    company = api_context(request).company
    product = catalog_selectors.get_product(company, product_id)
    return selectors.list_supplier_products(company, product=product)


@router.get("/supplier-products/{supplier_product_id}", response=SupplierProductOut)
@require(VIEW)
def get_supplier_product(
    request: HttpRequest, supplier_product_id: int
) -> SupplierProduct:
    return selectors.get_supplier_product(
        api_context(request).company, supplier_product_id
    )


@router.put(
    "/suppliers/{supplier_id}/products/{product_id}", response=SupplierProductOut
)
@require(MANAGE)
def set_supplier_product(
    request: HttpRequest, supplier_id: int, product_id: int, payload: SupplierProductIn
) -> SupplierProduct:
    """Create or replace what the supplier supplies of the product; a
    preferred one un-prefers the product's other supplier. 422 lists every
    problem by field."""
    context = api_context(request)
    row = services.set_supplier_product(
        company=context.company,
        actor=context.user,
        data=services.SupplierProductData(
            supplier=partners_selectors.get_supplier(context.company, supplier_id),
            product=catalog_selectors.get_product(context.company, product_id),
            **payload.model_dump(),
        ),
    )
    return selectors.get_supplier_product(context.company, row.pk)


@router.delete("/supplier-products/{supplier_product_id}", response={204: None})
@require(MANAGE)
def remove_supplier_product(
    request: HttpRequest, supplier_product_id: int
) -> Status[None]:
    context = api_context(request)
    services.remove_supplier_product(
        supplier_product=selectors.get_supplier_product(
            context.company, supplier_product_id
        ),
        actor=context.user,
    )
    return Status(204, None)
