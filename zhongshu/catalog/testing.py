"""Setup steps for tests of the catalog and of every module that sells,
buys or stocks products (never imported by product code)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import User

from zhongshu.catalog import services
from zhongshu.catalog.models import (
    Attribute,
    Category,
    PriceList,
    PriceListKind,
    Product,
    Style,
    Unit,
)
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company, Role

_counter = itertools.count(1)


def purchaser(company: Company, username: str | None = None) -> User:
    return core_testing.member(company, [Role.PURCHASER], username)


def unit(company: Company, code: str = "件") -> Unit:
    """A unit by code; the default units (件, 个, 箱, 千克, 米) always exist."""
    services.ensure_catalog(company=company)
    found = Unit.objects.filter(company=company, code=code).first()
    if found is not None:
        return found
    return services.create_unit(
        company=company,
        actor=core_testing.owner_of(company),
        code=code,
        name=code,
        places=0,
    )


def make_category(
    company: Company, code: str | None = None, *, parent: Category | None = None
) -> Category:
    code = code or f"CAT{next(_counter)}"
    return services.create_category(
        company=company,
        actor=core_testing.owner_of(company),
        code=code,
        name=f"分类 {code}",
        parent=parent,
    )


def make_product(
    company: Company,
    code: str | None = None,
    *,
    name: str | None = None,
    unit_code: str = "件",
    alt_units: Mapping[str, str] | None = None,
    barcodes: Sequence[str] = (),
    category: Category | None = None,
    vat_rate: str = "0.13",
    track_lots: bool = False,
    allow_negative_stock: bool = False,
) -> Product:
    """A product through the service, e.g. a cup sold by the piece and by the
    box of 12: ``make_product(shop, "CUP", alt_units={"箱": "12"})``."""
    code = code or f"P{next(_counter):05d}"
    data = services.ProductData(
        code=code,
        name=name or f"商品 {code}",
        base_unit=unit(company, unit_code),
        category=category,
        vat_rate=Decimal(vat_rate),
        track_lots=track_lots,
        allow_negative_stock=allow_negative_stock,
        units=tuple(
            services.AltUnit(unit=unit(company, u), factor=Decimal(f))
            for u, f in (alt_units or {}).items()
        ),
        barcodes=tuple(services.BarcodeInput(code=b) for b in barcodes),
    )
    return services.create_product(
        company=company, actor=core_testing.owner_of(company), data=data
    )


def make_attribute(
    company: Company, code: str, name: str, values: Sequence[tuple[str, str]]
) -> Attribute:
    return services.create_attribute(
        company=company,
        actor=core_testing.owner_of(company),
        code=code,
        name=name,
        values=values,
    )


def make_style(
    company: Company,
    code: str | None = None,
    *,
    name: str = "T恤",
    axes: Sequence[str] = ("colour", "size"),
) -> Style:
    """A style over colour (红 RED, 蓝 BLUE) × size (S, M, L) unless the
    attributes exist already."""
    owner = core_testing.owner_of(company)
    if not Attribute.objects.filter(company=company, code="colour").exists():
        make_attribute(company, "colour", "颜色", [("RED", "红色"), ("BLUE", "蓝色")])
    if not Attribute.objects.filter(company=company, code="size").exists():
        make_attribute(company, "size", "尺码", [("S", "S"), ("M", "M"), ("L", "L")])
    return services.create_style(
        company=company,
        actor=owner,
        data=services.StyleData(
            code=code or f"ST{next(_counter):03d}",
            name=name,
            axes=tuple(axes),
            base_unit=unit(company, "件"),
        ),
    )


# --- objects for the tenant-isolation probes, by path parameter name ------------------


@core_testing.object_factory("category_id")
def _category(company: Company) -> int:
    return make_category(company).pk


@core_testing.object_factory("unit_id")
def _unit(company: Company) -> int:
    """A unit nothing uses, so deleting it is allowed."""
    return unit(company, f"U{next(_counter)}").pk


@core_testing.object_factory("product_id")
def _product(company: Company) -> int:
    return make_product(company).pk


@core_testing.object_factory("attribute_id")
def _attribute(company: Company) -> int:
    n = next(_counter)
    return make_attribute(company, f"attr{n}", f"属性 {n}", [("A", "A")]).pk


@core_testing.object_factory("style_id")
def _style(company: Company) -> int:
    return make_style(company).pk


@core_testing.object_factory("price_list_id")
def _price_list(company: Company) -> int:
    n = next(_counter)
    return services.create_price_list(
        company=company,
        actor=core_testing.owner_of(company),
        data=services.PriceListData(
            code=f"PL{n}", name=f"零售价 {n}", kind=PriceListKind.RETAIL
        ),
    ).pk


@core_testing.object_factory("price_item_id")
def _price_item(company: Company) -> int:
    price_list = PriceList.objects.get(pk=_price_list(company))
    item = services.set_price(
        price_list=price_list,
        actor=core_testing.owner_of(company),
        data=services.PriceData(product=make_product(company), price=Decimal("9.90")),
    )
    return item.pk
