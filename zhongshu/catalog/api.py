"""The catalog REST endpoints, mounted at /api/v1/catalog.

Thin: parse, authorize, one service or selector, schema out. Objects named by
id in the path go through ``selectors``, which answer 404 for another
company's ids; rows named in bodies and queries are named by code, which only
ever finds the request's company's rows (an unknown code is a 422 on its
field). Writes run in the API's transaction, so a refused request writes
nothing (``zhongshu.api.pipeline``).
"""

# No ``from __future__ import annotations``: ninja reads the endpoints'
# annotations at runtime to build its parameter models.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from zhongshu.catalog import excel, permissions, selectors, services
from zhongshu.catalog.errors import BarcodeNotFoundError, UnknownBarcodeError
from zhongshu.catalog.models import (
    Attribute,
    CatalogSettings,
    Category,
    PriceList,
    PriceListItem,
    Product,
    Style,
    Unit,
)
from zhongshu.catalog.schemas import (
    ActiveIn,
    AttributeIn,
    AttributeOut,
    AttributeValueIn,
    BarcodeHitOut,
    BaseQuantityOut,
    BaseQuantityQuery,
    CategoryIn,
    CategoryOut,
    GenerateIn,
    ImportOut,
    MatrixOut,
    MatrixQuery,
    PriceItemIn,
    PriceItemOut,
    PriceListDetailOut,
    PriceListIn,
    PriceListOut,
    ProductFilter,
    ProductIn,
    ProductOut,
    QuoteOut,
    QuoteQuery,
    SettingsIn,
    SettingsOut,
    StyleIn,
    StyleOut,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from zhongshu.core import clock
from zhongshu.core.apikit import api_context, require, response_not_stored
from zhongshu.core.downloads import attachment
from zhongshu.core.errors import ValidationError
from zhongshu.core.models import Company

router = Router(tags=["catalog"])

VIEW = permissions.VIEW_CATALOG.code
MANAGE = permissions.MANAGE_CATALOG.code


# --- codes in bodies ------------------------------------------------------------------


def _unknown(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: [message]})


def _unit(company: Company, code: str, field: str) -> Unit:
    unit = selectors.find_unit(company, code)
    if unit is None:
        # A company older than the catalog gets its default units on first use.
        services.catalog_settings_of(company)
        unit = selectors.find_unit(company, code)
    if unit is None:
        raise _unknown(field, _("There is no unit %(code)s.") % {"code": code})
    return unit


def _category(company: Company, code: str | None, field: str) -> Category | None:
    if not code:
        return None
    category = selectors.find_category(company, code)
    if category is None:
        raise _unknown(field, _("There is no category %(code)s.") % {"code": code})
    return category


def _product_by_code(company: Company, code: str, field: str) -> Product:
    product = selectors.find_product(company, code)
    if product is None:
        raise _unknown(field, _("There is no product %(code)s.") % {"code": code})
    return product


# --- settings -------------------------------------------------------------------------


@router.get("/settings", response=SettingsOut)
@require(VIEW)
def get_settings(request: HttpRequest) -> CatalogSettings:
    return services.catalog_settings_of(api_context(request).company)


@router.put("/settings", response=SettingsOut)
@require(MANAGE)
def update_settings(request: HttpRequest, payload: SettingsIn) -> CatalogSettings:
    """The company's costing method; categories may override it."""
    context = api_context(request)
    return services.set_costing_method(
        company=context.company,
        actor=context.user,
        costing_method=payload.costing_method.value,
    )


# --- categories -----------------------------------------------------------------------


@router.get("/categories", response=list[CategoryOut])
@require(VIEW)
def list_categories(request: HttpRequest) -> list[Category]:
    """Every category, each parent followed by its sub-categories."""
    return [n.category for n in selectors.category_tree(api_context(request).company)]


@router.get("/categories/{category_id}", response=CategoryOut)
@require(VIEW)
def get_category(request: HttpRequest, category_id: int) -> Category:
    return selectors.get_category(api_context(request).company, category_id)


@router.post("/categories", response={201: CategoryOut})
@require(MANAGE)
def create_category(request: HttpRequest, payload: CategoryIn) -> Status[Category]:
    context = api_context(request)
    category = services.create_category(
        company=context.company,
        actor=context.user,
        code=payload.code,
        name=payload.name,
        parent=_category(context.company, payload.parent, "parent"),
        costing_method=str(payload.costing_method or ""),
    )
    return Status(201, selectors.get_category(context.company, category.pk))


@router.put("/categories/{category_id}", response=CategoryOut)
@require(MANAGE)
def update_category(
    request: HttpRequest, category_id: int, payload: CategoryIn
) -> Category:
    """Rename, recode, move (never under itself) or change the override."""
    context = api_context(request)
    category = selectors.get_category(context.company, category_id)
    services.update_category(
        category=category,
        actor=context.user,
        code=payload.code,
        name=payload.name,
        parent=_category(context.company, payload.parent, "parent"),
        costing_method=str(payload.costing_method or ""),
    )
    return selectors.get_category(context.company, category_id)


@router.delete("/categories/{category_id}", response={204: None})
@require(MANAGE)
def delete_category(request: HttpRequest, category_id: int) -> Status[None]:
    """Only an empty category: 409 with sub-categories, products or styles."""
    context = api_context(request)
    services.delete_category(
        category=selectors.get_category(context.company, category_id),
        actor=context.user,
    )
    return Status(204, None)


# --- units ----------------------------------------------------------------------------


@router.get("/units", response=list[UnitOut])
@require(VIEW)
def list_units(request: HttpRequest) -> QuerySet[Unit]:
    company = api_context(request).company
    services.catalog_settings_of(company)  # the default units, on first use
    return selectors.list_units(company)


@router.post("/units", response={201: UnitOut})
@require(MANAGE)
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    context = api_context(request)
    unit = services.create_unit(
        company=context.company,
        actor=context.user,
        code=payload.code,
        name=payload.name,
        places=payload.places,
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut)
@require(MANAGE)
def update_unit(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Unit:
    """Rename; change the decimal places only while nothing uses the unit."""
    context = api_context(request)
    unit = selectors.get_unit(context.company, unit_id)
    return services.update_unit(
        unit=unit,
        actor=context.user,
        name=payload.name if payload.name is not None else unit.name,
        places=payload.places if payload.places is not None else unit.places,
    )


@router.delete("/units/{unit_id}", response={204: None})
@require(MANAGE)
def delete_unit(request: HttpRequest, unit_id: int) -> Status[None]:
    context = api_context(request)
    services.delete_unit(
        unit=selectors.get_unit(context.company, unit_id), actor=context.user
    )
    return Status(204, None)


# --- products -------------------------------------------------------------------------


def _product_data(company: Company, payload: ProductIn) -> services.ProductData:
    """The payload with its codes resolved; every unknown code is reported."""
    problems: dict[str, list[str]] = {}

    def resolve(code: str | None, field: str) -> Unit | None:
        if code is None:
            return None
        try:
            return _unit(company, code, field)
        except ValidationError as error:
            problems.update(error.fields)
            return None

    base_unit = resolve(payload.base_unit, "base_unit")
    try:
        category = _category(company, payload.category, "category")
    except ValidationError as error:
        problems.update(error.fields)
        category = None
    units = [
        (resolve(u.unit, f"units.{i}.unit"), u.factor)
        for i, u in enumerate(payload.units)
    ]
    barcodes = [
        (b, resolve(b.unit, f"barcodes.{i}")) for i, b in enumerate(payload.barcodes)
    ]
    if problems or base_unit is None:
        first = next(iter(problems.values()), [None])[0]
        raise ValidationError(first, fields=problems)
    return services.ProductData(
        code=payload.code,
        name=payload.name,
        specification=payload.specification,
        category=category,
        base_unit=base_unit,
        brand=payload.brand,
        tax_code=payload.tax_code,
        vat_rate=payload.vat_rate,
        track_lots=payload.track_lots,
        track_serials=payload.track_serials,
        track_expiry=payload.track_expiry,
        shelf_life_days=payload.shelf_life_days,
        allow_negative_stock=payload.allow_negative_stock,
        image_url=payload.image_url,
        units=tuple(
            services.AltUnit(unit=unit, factor=factor)
            for unit, factor in units
            if unit is not None
        ),
        barcodes=tuple(
            services.BarcodeInput(code=b.code, kind=b.kind, unit=unit)
            for b, unit in barcodes
        ),
    )


@router.get("/products", response=list[ProductOut])
@paginate(PageNumberPagination, page_size=50)
@require(VIEW)
def list_products(
    request: HttpRequest, filters: Query[ProductFilter]
) -> QuerySet[Product]:
    """Products by code. ``search`` matches code, name, specification or
    brand, or a barcode exactly; ``category`` (a code) includes its
    sub-categories."""
    company = api_context(request).company
    return selectors.list_products(
        company,
        search=filters.search,
        category=_category(company, filters.category, "category"),
        active=filters.active,
    )


@router.get("/products/{product_id}", response=ProductOut)
@require(VIEW)
def get_product(request: HttpRequest, product_id: int) -> Product:
    return selectors.get_product(api_context(request).company, product_id)


@router.post("/products", response={201: ProductOut})
@require(MANAGE)
def create_product(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    """A product with its alternative units and barcodes; 422 lists every
    problem (``units.0.factor``, ``barcodes.1``...), 409 a taken code or
    barcode."""
    context = api_context(request)
    product = services.create_product(
        company=context.company,
        actor=context.user,
        data=_product_data(context.company, payload),
    )
    return Status(201, selectors.get_product(context.company, product.pk))


@router.put("/products/{product_id}", response=ProductOut)
@require(MANAGE)
def update_product(
    request: HttpRequest, product_id: int, payload: ProductIn
) -> Product:
    """Replace the product's data, units and barcodes; the base unit stays."""
    context = api_context(request)
    product = selectors.get_product(context.company, product_id)
    services.update_product(
        product=product,
        actor=context.user,
        data=_product_data(context.company, payload),
    )
    return selectors.get_product(context.company, product_id)


@router.post("/products/{product_id}/active", response=ProductOut)
@require(MANAGE)
def set_product_active(
    request: HttpRequest, product_id: int, payload: ActiveIn
) -> Product:
    """Deactivate (``is_active: false``: nothing new may use it, its history
    stays) or reactivate."""
    context = api_context(request)
    services.set_product_active(
        product=selectors.get_product(context.company, product_id),
        actor=context.user,
        active=payload.is_active,
    )
    return selectors.get_product(context.company, product_id)


@router.get("/products/{product_id}/base-quantity", response=BaseQuantityOut)
@require(VIEW)
def base_quantity(
    request: HttpRequest, product_id: int, query: Query[BaseQuantityQuery]
) -> dict[str, Any]:
    """A quantity in one of the product's units, in its base unit (422
    ``unit_not_convertible`` for a unit it does not have)."""
    company = api_context(request).company
    product = selectors.get_product(company, product_id)
    unit = _unit(company, query.unit, "unit") if query.unit else product.base_unit
    return {
        "quantity": query.quantity,
        "unit": unit.code,
        "factor": selectors.factor_of(product, unit),
        "base_quantity": selectors.to_base_quantity(product, query.quantity, unit),
        "base_unit": product.base_unit.code,
    }


@router.get("/barcodes/{code}", response=BarcodeHitOut)
@require(VIEW)
def find_by_barcode(request: HttpRequest, code: str) -> dict[str, Any]:
    """What a scanned code is: the product, the unit it counts, and how many
    base units that is; 404 ``unknown_barcode`` when no product has it."""
    try:
        hit = selectors.find_by_barcode(api_context(request).company, code)
    except UnknownBarcodeError as error:
        raise BarcodeNotFoundError(error.message) from error
    return {"product": hit.product, "unit": hit.unit.code, "factor": hit.factor}


# --- attributes and styles ------------------------------------------------------------


@router.get("/attributes", response=list[AttributeOut])
@require(VIEW)
def list_attributes(request: HttpRequest) -> QuerySet[Attribute]:
    return selectors.list_attributes(api_context(request).company)


@router.post("/attributes", response={201: AttributeOut})
@require(MANAGE)
def create_attribute(request: HttpRequest, payload: AttributeIn) -> Status[Attribute]:
    context = api_context(request)
    attribute = services.create_attribute(
        company=context.company,
        actor=context.user,
        code=payload.code,
        name=payload.name,
        values=[(v.code, v.name) for v in payload.values],
    )
    return Status(201, selectors.get_attribute(context.company, attribute.pk))


@router.post("/attributes/{attribute_id}/values", response={201: AttributeOut})
@require(MANAGE)
def add_attribute_value(
    request: HttpRequest, attribute_id: int, payload: AttributeValueIn
) -> Status[Attribute]:
    context = api_context(request)
    services.add_attribute_value(
        attribute=selectors.get_attribute(context.company, attribute_id),
        actor=context.user,
        code=payload.code,
        name=payload.name,
        sort=payload.sort,
    )
    return Status(201, selectors.get_attribute(context.company, attribute_id))


def _style_data(company: Company, payload: StyleIn) -> services.StyleData:
    return services.StyleData(
        code=payload.code,
        name=payload.name,
        axes=tuple(payload.axes),
        base_unit=_unit(company, payload.base_unit, "base_unit"),
        category=_category(company, payload.category, "category"),
        brand=payload.brand,
        tax_code=payload.tax_code,
        vat_rate=payload.vat_rate,
    )


@router.get("/styles", response=list[StyleOut])
@require(VIEW)
def list_styles(request: HttpRequest) -> QuerySet[Style]:
    return selectors.list_styles(api_context(request).company)


@router.post("/styles", response={201: StyleOut})
@require(MANAGE)
def create_style(request: HttpRequest, payload: StyleIn) -> Status[Style]:
    context = api_context(request)
    style = services.create_style(
        company=context.company,
        actor=context.user,
        data=_style_data(context.company, payload),
    )
    return Status(201, selectors.get_style(context.company, style.pk))


@router.get("/styles/{style_id}", response=StyleOut)
@require(VIEW)
def get_style(request: HttpRequest, style_id: int) -> Style:
    return selectors.get_style(api_context(request).company, style_id)


@router.put("/styles/{style_id}", response=StyleOut)
@require(MANAGE)
def update_style(request: HttpRequest, style_id: int, payload: StyleIn) -> Style:
    """Code and attributes stay once it has variants; unit, category and tax
    apply to variants generated from now on."""
    context = api_context(request)
    style = selectors.get_style(context.company, style_id)
    services.update_style(
        style=style, actor=context.user, data=_style_data(context.company, payload)
    )
    return selectors.get_style(context.company, style_id)


@router.post("/styles/{style_id}/variants", response={201: list[ProductOut]})
@require(MANAGE)
def generate_variants(
    request: HttpRequest, style_id: int, payload: GenerateIn
) -> Status[list[Product]]:
    """One product per combination of the values given (colour × size),
    coded STYLE-COLOUR-SIZE; combinations the style has are skipped. Answers
    the products created."""
    context = api_context(request)
    created = services.generate_variants(
        style=selectors.get_style(context.company, style_id),
        actor=context.user,
        values=payload.values,
    )
    return Status(
        201,
        list(
            selectors.list_products(context.company, style_id=style_id).filter(
                pk__in=[p.pk for p in created]
            )
        ),
    )


@router.get("/styles/{style_id}/matrix", response=MatrixOut)
@require(VIEW)
def variant_matrix(
    request: HttpRequest, style_id: int, query: Query[MatrixQuery]
) -> dict[str, Any]:
    """The style's variants pivoted: rows by ``row_axis``, columns by
    ``column_axis`` (attribute codes; the style's first two by default)."""
    company = api_context(request).company
    matrix = selectors.variant_matrix(
        company,
        selectors.get_style(company, style_id),
        row_axis=query.row_axis,
        column_axis=query.column_axis,
    )
    return {
        "style": matrix.style.code,
        "row_axis": matrix.row_axis.code if matrix.row_axis else None,
        "column_axis": matrix.column_axis.code if matrix.column_axis else None,
        "columns": matrix.columns,
        "rows": [
            {
                "heading": row.heading,
                "cells": [
                    {"products": list(cell.products), "value": cell.value}
                    for cell in row.cells
                ],
                "total": row.total,
            }
            for row in matrix.rows
        ],
        "column_totals": matrix.column_totals,
        "total": matrix.total,
    }


# --- price lists ----------------------------------------------------------------------


def _price_list_data(payload: PriceListIn) -> services.PriceListData:
    return services.PriceListData(
        code=payload.code,
        name=payload.name,
        kind=payload.kind.value,
        customer_group=payload.customer_group,
        tax_inclusive=payload.tax_inclusive,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        priority=payload.priority,
        is_active=payload.is_active,
    )


def _price_list_detail(price_list: PriceList) -> dict[str, Any]:
    return {
        **{
            name: getattr(price_list, name)
            for name in PriceListOut.model_fields
            if name != "items"
        },
        "items": list(selectors.list_price_items(price_list)),
    }


@router.get("/price-lists", response=list[PriceListOut])
@require(VIEW)
def list_price_lists(request: HttpRequest) -> QuerySet[PriceList]:
    return selectors.list_price_lists(api_context(request).company)


@router.post("/price-lists", response={201: PriceListDetailOut})
@require(MANAGE)
def create_price_list(
    request: HttpRequest, payload: PriceListIn
) -> Status[dict[str, Any]]:
    context = api_context(request)
    price_list = services.create_price_list(
        company=context.company, actor=context.user, data=_price_list_data(payload)
    )
    return Status(201, _price_list_detail(price_list))


@router.get("/price-lists/{price_list_id}", response=PriceListDetailOut)
@require(VIEW)
def get_price_list(request: HttpRequest, price_list_id: int) -> dict[str, Any]:
    """The list with its prices by product, unit and quantity break."""
    company = api_context(request).company
    return _price_list_detail(selectors.get_price_list(company, price_list_id))


@router.put("/price-lists/{price_list_id}", response=PriceListDetailOut)
@require(MANAGE)
def update_price_list(
    request: HttpRequest, price_list_id: int, payload: PriceListIn
) -> dict[str, Any]:
    context = api_context(request)
    price_list = services.update_price_list(
        price_list=selectors.get_price_list(context.company, price_list_id),
        actor=context.user,
        data=_price_list_data(payload),
    )
    return _price_list_detail(price_list)


@router.post("/price-lists/{price_list_id}/items", response={201: PriceItemOut})
@require(MANAGE)
def set_price(
    request: HttpRequest, price_list_id: int, payload: PriceItemIn
) -> Status[PriceListItem]:
    """The price of a product in a unit from ``min_quantity`` up; the same
    product, unit and break again changes it."""
    context = api_context(request)
    price_list = selectors.get_price_list(context.company, price_list_id)
    product = _product_by_code(context.company, payload.product, "product")
    item = services.set_price(
        price_list=price_list,
        actor=context.user,
        data=services.PriceData(
            product=product,
            unit=_unit(context.company, payload.unit, "unit") if payload.unit else None,
            price=payload.price,
            min_quantity=payload.min_quantity,
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
        ),
    )
    return Status(201, selectors.get_price_item(context.company, item.pk))


@router.delete("/price-items/{price_item_id}", response={204: None})
@require(MANAGE)
def delete_price(request: HttpRequest, price_item_id: int) -> Status[None]:
    context = api_context(request)
    services.delete_price(
        item=selectors.get_price_item(context.company, price_item_id),
        actor=context.user,
    )
    return Status(204, None)


@router.get("/price-quote", response=QuoteOut)
@require(VIEW)
def price_quote(request: HttpRequest, query: Query[QuoteQuery]) -> dict[str, Any]:
    """The price ``selectors.price_for`` chooses: the customer group's list
    first, then retail and wholesale by priority; within a list the highest
    quantity break not above the quantity. ``price`` is null when no list
    prices the product."""
    company = api_context(request).company
    product = _product_by_code(company, query.product, "product")
    unit = _unit(company, query.unit, "unit") if query.unit else product.base_unit
    day = query.date or clock.today()
    quote = selectors.price_for(
        company, product, query.quantity, day, unit=unit,
        customer_group=query.customer_group,
    )  # fmt: skip
    return {
        "product": product.code,
        "quantity": query.quantity,
        "unit": unit.code,
        "date": day,
        "price": quote.price if quote else None,
        "tax_inclusive": quote.tax_inclusive if quote else None,
        "price_list": quote.price_list.code if quote else None,
        "min_quantity": quote.min_quantity if quote else None,
        "converted": quote.converted if quote else False,
    }


# --- Excel ----------------------------------------------------------------------------


@router.get("/excel/template")
@require(VIEW)
def import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template of the product import, with a sheet of notes."""
    return attachment(
        excel.template_xlsx(), "products-template.xlsx", excel.XLSX_CONTENT_TYPE
    )


@router.get("/excel/products")
@require(VIEW)
def export_products(request: HttpRequest) -> HttpResponse:
    """Every product of the company as .xlsx, in the template's columns."""
    products = selectors.list_products(api_context(request).company)
    return attachment(
        excel.products_xlsx(products.iterator(chunk_size=500)),
        "products.xlsx",
        excel.XLSX_CONTENT_TYPE,
    )


@router.post("/excel/products", response={201: ImportOut})
@require(MANAGE)
@response_not_stored
def import_products(
    request: HttpRequest, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Import products from an uploaded .xlsx (multipart field ``file``), all
    or nothing: a 422 ``import_rejected`` lists every problem in ``fields``
    keyed ``"<row>:<column>"``. Safe to retry: a repeated import is refused
    for its existing codes."""
    context = api_context(request)
    excel.check_file_size(file.size)
    created = services.import_products(
        company=context.company,
        actor=context.user,
        rows=excel.read_product_rows(file),
    )
    return Status(201, {"created": len(created), "codes": [p.code for p in created]})
