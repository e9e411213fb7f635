"""Reads of categories, units and products, and the conversions other
modules call: ``to_base_quantity``, ``find_by_barcode``, ``costing_method_of``.

Every ``get_*`` answers ``NotFoundError`` for an id of another company, so the
API and the pages cannot even confirm that such a row exists; ``find_*``
looks a code up in the company and answers None when there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog import barcodes as barcode_rules
from zhongshu.catalog.errors import UnitNotConvertibleError, UnknownBarcodeError
from zhongshu.catalog.models import (
    Barcode,
    CatalogSettings,
    Category,
    CostingMethod,
    Product,
    ProductUnit,
    Unit,
)
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.money import DecimalInput, round_quantity, to_decimal

# --- categories -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryNode:
    """A category in tree order, with its depth (0 for a root) and path."""

    category: Category
    depth: int
    path: str  # 服装 / 上衣 / T恤


def list_categories(company: Company) -> QuerySet[Category]:
    return (
        Category.objects.filter(company=company)
        .select_related("parent")
        .order_by("code")
    )


def category_tree(company: Company) -> list[CategoryNode]:
    """Every category, each parent followed by its children (by code)."""
    categories = list(list_categories(company))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    nodes: list[CategoryNode] = []

    def visit(parent_id: int | None, depth: int, prefix: str) -> None:
        for category in children.get(parent_id, []):
            path = f"{prefix} / {category.name}" if prefix else category.name
            nodes.append(CategoryNode(category, depth, path))
            visit(category.pk, depth + 1, path)

    visit(None, 0, "")
    return nodes


def get_category(company: Company, category_id: int) -> Category:
    category = list_categories(company).filter(pk=category_id).first()
    if category is None:
        raise NotFoundError()
    return category


def find_category(company: Company, code: str) -> Category | None:
    return list_categories(company).filter(code=code.strip()).first()


def descendant_ids(company: Company, category: Category) -> set[int]:
    """The category and every category below it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.filter(company=company).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found = {category.pk}
    pending = [category.pk]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


# --- units ----------------------------------------------------------------------------


def list_units(company: Company) -> QuerySet[Unit]:
    return Unit.objects.filter(company=company).order_by("code")


def get_unit(company: Company, unit_id: int) -> Unit:
    unit = list_units(company).filter(pk=unit_id).first()
    if unit is None:
        raise NotFoundError()
    return unit


def find_unit(company: Company, code: str) -> Unit | None:
    return list_units(company).filter(code=code.strip()).first()


# --- products -------------------------------------------------------------------------


def _with_details(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.select_related("category", "base_unit", "style").prefetch_related(
        Prefetch(
            "units",
            queryset=ProductUnit.objects.select_related("unit").order_by("unit__code"),
        ),
        Prefetch(
            "barcodes",
            queryset=Barcode.objects.select_related("unit").order_by("code"),
        ),
    )


def list_products(
    company: Company,
    *,
    search: str = "",
    category: Category | None = None,
    active: bool | None = None,
    style_id: int | None = None,
) -> QuerySet[Product]:
    """Products by code, with their category, units and barcodes loaded.

    ``search`` matches code, name, specification or brand (contains) or a
    barcode (exactly); ``category`` includes its sub-categories.
    """
    products = Product.objects.filter(company=company)
    search = search.strip()
    if search:
        products = products.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(specification__icontains=search)
            | Q(brand__icontains=search)
            | Q(
                pk__in=Barcode.objects.filter(company=company, code=search).values(
                    "product_id"
                )
            )
        )
    if category is not None:
        products = products.filter(category_id__in=descendant_ids(company, category))
    if active is not None:
        products = products.filter(is_active=active)
    if style_id is not None:
        products = products.filter(style_id=style_id)
    return _with_details(products).order_by("code")


def get_product(company: Company, product_id: int) -> Product:
    product = _with_details(Product.objects.filter(company=company, pk=product_id))
    found = product.first()
    if found is None:
        raise NotFoundError()
    return found


def find_product(company: Company, code: str) -> Product | None:
    return _with_details(
        Product.objects.filter(company=company, code=code.strip())
    ).first()


# --- conversions ----------------------------------------------------------------------


def _alternative_units(product: Product) -> list[ProductUnit]:
    """The product's alternative units, from the prefetch when there is one."""
    cache = getattr(product, "_prefetched_objects_cache", {})
    if "units" in cache:
        return list(cache["units"])
    return list(ProductUnit.objects.filter(product=product).select_related("unit"))


def factor_of(product: Product, unit: Unit | None) -> Decimal:
    """How many base units one ``unit`` is; 1 for the base unit (or None).

    Raises UnitNotConvertibleError for a unit the product does not have."""
    if unit is None or unit.pk == product.base_unit_id:
        return Decimal("1")
    for alternative in _alternative_units(product):
        if alternative.unit_id == unit.pk:
            return alternative.factor
    message = _("Product %(product)s has no unit %(unit)s; it is not convertible.") % {
        "product": product.code,
        "unit": unit.code,
    }
    raise UnitNotConvertibleError(message, fields={"unit": [message]})


def to_base_quantity(
    product: Product, quantity: DecimalInput, unit: Unit | None = None
) -> Decimal:
    """``quantity`` of ``unit`` in the product's base unit, rounded half up to
    the base unit's places: 2 箱 of 12 件 → 24 件; 0.5 箱 → 6 件.

    A quantity finer than its unit allows (1.5 件) is refused, as is a unit the
    product does not have (``unit_not_convertible``). Negative quantities
    convert too: callers decide which signs they accept."""
    amount = to_decimal(quantity)
    factor = factor_of(product, unit)
    given_unit = unit if unit is not None else product.base_unit
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > given_unit.places:
        message = _(
            "A quantity in %(unit)s has at most %(places)d decimal places: "
            "%(quantity)s has more."
        ) % {"unit": given_unit.code, "places": given_unit.places, "quantity": amount}
        raise ValidationError(message, fields={"quantity": [message]})
    return round_quantity(amount * factor, product.base_unit.places)


class BarcodeHit(NamedTuple):
    """What a scan means: one ``unit`` of ``product``, ``factor`` base units.
    Unpacks as ``product, unit, factor = find_by_barcode(...)``."""

    product: Product
    unit: Unit
    factor: Decimal


def find_by_barcode(company: Company, code: str) -> BarcodeHit:
    """The product, unit and factor a barcode stands for; inactive products
    are found too (the caller decides whether to sell them).

    Raises UnknownBarcodeError (``unknown_barcode``) when no product of the
    company carries the code."""
    code = barcode_rules.normalize(code)
    barcode = (
        Barcode.objects.filter(company=company, code=code)
        .select_related("product__base_unit", "unit")
        .first()
    )
    if barcode is None:
        message = _("No product has the barcode %(code)s.") % {"code": code or "—"}
        raise UnknownBarcodeError(message, fields={"barcode": [message]})
    product = barcode.product
    unit = barcode.unit or product.base_unit
    return BarcodeHit(product, unit, factor_of(product, unit))


# --- costing --------------------------------------------------------------------------


def company_costing_method(company: Company) -> CostingMethod:
    return _company_method(company.pk)


def _company_method(company_id: int) -> CostingMethod:
    settings = CatalogSettings.objects.filter(company_id=company_id).first()
    method = settings.costing_method if settings else CostingMethod.MOVING_AVERAGE
    return CostingMethod(method)


def costing_method_of(product: Product) -> CostingMethod:
    """The product's category's method, else the nearest ancestor category's,
    else the company's (moving weighted average by default)."""
    if product.category_id is not None:
        tree = {
            pk: (parent_id, method)
            for pk, parent_id, method in Category.objects.filter(
                company_id=product.company_id
            ).values_list("pk", "parent_id", "costing_method")
        }
        seen: set[int] = set()
        current: int | None = product.category_id
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent_id, method = tree[current]
            if method:
                return CostingMethod(method)
            current = parent_id
    return _company_method(product.company_id)


def costing_methods_of(
    company: Company, products: Iterable[Product]
) -> dict[int, CostingMethod]:
    """``costing_method_of`` for many products of a company, in two queries."""
    company_method = _company_method(company.pk)
    tree = {
        pk: (parent_id, method)
        for pk, parent_id, method in Category.objects.filter(
            company_id=company.pk
        ).values_list("pk", "parent_id", "costing_method")
    }
    methods = {}
    for product in products:
        method = company_method
        seen: set[int] = set()
        current = product.category_id
        while current is not None and current in tree and current not in seen:
            seen.add(current)
            parent_id, own = tree[current]
            if own:
                method = CostingMethod(own)
                break
            current = parent_id
        methods[product.pk] = method
    return methods
