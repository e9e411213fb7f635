"""Writes of the catalog (商品): categories, units, products with their
alternative units and barcodes, attributes, styles and their variant SKUs,
price lists, the costing method, and the Excel import.

Every service checks the company is writable, validates before it writes,
runs in one transaction and leaves an audit entry. Events published: none;
the catalog reacts to ``core.facts.CompanyCreated`` (``handlers``).

The reads other modules need — ``to_base_quantity``, ``factor_of``,
``find_by_barcode``, ``costing_method_of`` — live in ``selectors`` and are
re-exported here for callers that think of them as part of the catalog's
service surface.
"""

from zhongshu.catalog.selectors.products import (
    costing_method_of,
    factor_of,
    find_by_barcode,
    to_base_quantity,
)
from zhongshu.catalog.services.categories import (
    create_category,
    delete_category,
    update_category,
)
from zhongshu.catalog.services.imports import (
    ImportProblem,
    ImportRejectedError,
    import_products,
)
from zhongshu.catalog.services.prices import (
    PriceData,
    PriceListData,
    create_price_list,
    delete_price,
    set_price,
    update_price_list,
)
from zhongshu.catalog.services.products import (
    AltUnit,
    BarcodeInput,
    ProductData,
    create_product,
    deactivate_product,
    product_problems,
    set_product_active,
    update_product,
)
from zhongshu.catalog.services.setup import (
    DEFAULT_UNITS,
    catalog_settings_of,
    ensure_catalog,
    set_costing_method,
)
from zhongshu.catalog.services.units import create_unit, delete_unit, update_unit
from zhongshu.catalog.services.variants import (
    StyleData,
    add_attribute_value,
    create_attribute,
    create_style,
    generate_variants,
    update_style,
)

__all__ = [
    "DEFAULT_UNITS",
    "AltUnit",
    "BarcodeInput",
    "ImportProblem",
    "ImportRejectedError",
    "PriceData",
    "PriceListData",
    "ProductData",
    "StyleData",
    "add_attribute_value",
    "catalog_settings_of",
    "costing_method_of",
    "create_attribute",
    "create_category",
    "create_price_list",
    "create_product",
    "create_style",
    "create_unit",
    "deactivate_product",
    "delete_category",
    "delete_price",
    "delete_unit",
    "ensure_catalog",
    "factor_of",
    "find_by_barcode",
    "generate_variants",
    "import_products",
    "product_problems",
    "set_costing_method",
    "set_price",
    "set_product_active",
    "to_base_quantity",
    "update_category",
    "update_price_list",
    "update_product",
    "update_style",
    "update_unit",
]
