"""Reads of what suppliers supply, scoped to a company: the rows of one
supplier or one product, and each product's preferred supplier (for
purchase orders, requisitions and replenishment to take a default price
from)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from zhongshu.catalog.models import Product
from zhongshu.core.errors import NotFoundError
from zhongshu.core.models import Company
from zhongshu.partners.models import Supplier
from zhongshu.purchasing.models import SupplierProduct


def list_supplier_products(
    company: Company,
    supplier: Supplier | None = None,
    product: Product | None = None,
) -> QuerySet[SupplierProduct]:
    """By product code, the preferred supplier first, with supplier and
    product (and its base unit) loaded."""
    rows = SupplierProduct.objects.filter(company=company)
    if supplier is not None:
        rows = rows.filter(supplier=supplier)
    if product is not None:
        rows = rows.filter(product=product)
    return rows.select_related("supplier", "product", "product__base_unit").order_by(
        "product__code", "-is_preferred", "supplier__code"
    )


def get_supplier_product(company: Company, supplier_product_id: int) -> SupplierProduct:
    row = list_supplier_products(company).filter(pk=supplier_product_id).first()
    if row is None:
        raise NotFoundError()
    return row


def preferred_suppliers(
    company: Company, product_ids: Iterable[int]
) -> dict[int, SupplierProduct]:
    """Product id → its preferred supplier's row, in one read; a product
    without a preferred supplier is absent."""
    rows = list_supplier_products(company).filter(
        product_id__in=list(product_ids), is_preferred=True
    )
    return {row.product_id: row for row in rows}
