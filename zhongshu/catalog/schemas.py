"""django-ninja schemas of the catalog's API: separate input and output
classes.

Inputs name other rows by code (a category, a unit, a product), as people
and importing systems know them; a code the company does not have is a 422
on that field, and can never reach another company's rows. Numbers travel
as JSON strings (``"12.5"``) or numbers and become exact ``Decimal``s;
outputs give them as strings.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from zhongshu.catalog.models import (
    CostingMethod,
    PriceListItem,
    PriceListKind,
    Product,
    Style,
)

_EXACT_FLOAT_DIGITS = 15


def _from_json_number(value: object) -> object:
    """A JSON number as the Decimal it was written as; strings pass through."""
    if isinstance(value, bool):
        raise PydanticCustomError("decimal_type", _("Enter a number."))
    if not isinstance(value, float):
        return value
    if not math.isfinite(value):
        raise PydanticCustomError("decimal_type", _("Enter a number."))
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) > _EXACT_FLOAT_DIGITS:
        raise PydanticCustomError(
            "decimal_too_precise",
            _("Send numbers with more than 15 digits as strings."),
        )
    return exact


DecimalIn = Annotated[
    Decimal, BeforeValidator(_from_json_number), Field(allow_inf_nan=False)
]
Code = Annotated[str, Field(min_length=1, max_length=40)]
UnitCode = Annotated[str, Field(min_length=1, max_length=20)]


# --- settings, categories, units ------------------------------------------------------


class SettingsOut(Schema):
    costing_method: str


class SettingsIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"costing_method": "fifo"}]}
    )

    costing_method: CostingMethod


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    parent_code: str | None
    costing_method: str = Field(description="Empty: the parent's, or the company's.")

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id is not None else None


class CategoryIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"code": "A01", "name": "上衣", "parent": None, "costing_method": ""}
            ]
        },
    )

    code: Code
    name: str = Field(max_length=100)
    parent: str | None = Field(None, max_length=40, description="The parent's code.")
    costing_method: CostingMethod | Literal[""] | None = Field(
        None, description="Empty or null: the parent's, or the company's."
    )


class UnitOut(Schema):
    id: int
    code: str
    name: str
    places: int = Field(description="Decimal places a quantity in it may have.")


class UnitIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "包", "name": "包", "places": 0}]},
    )

    code: UnitCode
    name: str = Field(max_length=40)
    places: int = Field(0, ge=0, le=4)


class UnitPatch(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "小包"}]}
    )

    name: str | None = Field(None, max_length=40)
    places: int | None = Field(None, ge=0, le=4)


# --- products -------------------------------------------------------------------------


class AltUnitOut(Schema):
    unit: str
    factor: Decimal = Field(description="Base units in one of this unit.")

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.code)


class BarcodeOut(Schema):
    code: str
    kind: str
    unit: str | None = Field(description="Null: the base unit.")

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return obj.unit.code if obj.unit_id is not None else None


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class ProductOut(Schema):
    id: int
    code: str
    name: str
    specification: str
    category: CategoryRef | None
    base_unit: str
    brand: str
    tax_code: str
    vat_rate: Decimal
    track_lots: bool
    track_serials: bool
    track_expiry: bool
    shelf_life_days: int | None
    allow_negative_stock: bool
    image_url: str
    is_active: bool
    style: str | None = Field(description="The code of the style it is a variant of.")
    variant: dict[str, str]
    units: list[AltUnitOut]
    barcodes: list[BarcodeOut]

    @staticmethod
    def resolve_base_unit(obj: Product) -> str:
        return obj.base_unit.code

    @staticmethod
    def resolve_style(obj: Product) -> str | None:
        return obj.style.code if obj.style is not None else None

    @staticmethod
    def resolve_units(obj: Product) -> list[Any]:
        return list(obj.units.all())

    @staticmethod
    def resolve_barcodes(obj: Product) -> list[Any]:
        return list(obj.barcodes.all())


class ProductFilter(Schema):
    search: str = Field("", max_length=100)
    category: str | None = Field(
        None, max_length=40, description="A category code; its sub-categories too."
    )
    active: bool | None = None


class AltUnitIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    unit: UnitCode
    factor: DecimalIn


class BarcodeIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    code: str = Field(max_length=64)
    kind: str = Field(
        "", max_length=10, description="ean13, ean8, upc or internal; empty: detected."
    )
    unit: str | None = Field(None, max_length=20, description="Null: the base unit.")


class ProductIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "CUP-350",
                    "name": "陶瓷杯",
                    "specification": "350ml 白色",
                    "base_unit": "件",
                    "vat_rate": "0.13",
                    "units": [{"unit": "箱", "factor": "12"}],
                    "barcodes": [{"code": "6901234567892"}],
                }
            ]
        },
    )

    code: Code
    name: str = Field(max_length=200)
    specification: str = Field("", max_length=200)
    category: str | None = Field(None, max_length=40, description="A category code.")
    base_unit: UnitCode
    brand: str = Field("", max_length=60)
    tax_code: str = Field("", max_length=19, description="税收分类编码, 19 digits.")
    vat_rate: DecimalIn = Decimal("0.13")
    track_lots: bool = False
    track_serials: bool = False
    track_expiry: bool = False
    shelf_life_days: int | None = Field(None, ge=0, le=100_000)
    allow_negative_stock: bool = False
    image_url: str = Field("", max_length=200)
    units: list[AltUnitIn] = Field(default_factory=list, max_length=20)
    barcodes: list[BarcodeIn] = Field(default_factory=list, max_length=50)


class ActiveIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"is_active": False}]}
    )

    is_active: bool


class BaseQuantityQuery(Schema):
    quantity: DecimalIn = Decimal("1")
    unit: str | None = Field(None, max_length=20)


class BaseQuantityOut(Schema):
    quantity: Decimal
    unit: str
    factor: Decimal
    base_quantity: Decimal
    base_unit: str


class ProductRef(Schema):
    id: int
    code: str
    name: str


class BarcodeHitOut(Schema):
    product: ProductRef
    unit: str
    factor: Decimal


# --- variants -------------------------------------------------------------------------


class AttributeValueOut(Schema):
    code: str
    name: str
    sort: int


class AttributeOut(Schema):
    id: int
    code: str
    name: str
    values: list[AttributeValueOut]

    @staticmethod
    def resolve_values(obj: Any) -> list[Any]:
        return list(obj.values.all())


class AttributeValueIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "BLACK", "name": "黑色"}]},
    )

    code: Code
    name: str = Field(max_length=60)
    sort: int | None = Field(None, ge=0, le=2**31 - 1)


class AttributeIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "colour",
                    "name": "颜色",
                    "values": [
                        {"code": "RED", "name": "红色"},
                        {"code": "BLUE", "name": "蓝色"},
                    ],
                }
            ]
        },
    )

    code: Code
    name: str = Field(max_length=60)
    values: list[AttributeValueIn] = Field(default_factory=list, max_length=200)


class StyleOut(Schema):
    id: int
    code: str
    name: str
    axes: list[str]
    category: str | None
    base_unit: str | None
    brand: str
    tax_code: str
    vat_rate: Decimal

    @staticmethod
    def resolve_category(obj: Style) -> str | None:
        return obj.category.code if obj.category is not None else None

    @staticmethod
    def resolve_base_unit(obj: Style) -> str | None:
        return obj.base_unit.code if obj.base_unit is not None else None


class StyleIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "T01",
                    "name": "纯棉T恤",
                    "axes": ["colour", "size"],
                    "base_unit": "件",
                    "vat_rate": "0.13",
                }
            ]
        },
    )

    code: Code
    name: str = Field(max_length=100)
    axes: list[str] = Field(max_length=3, description="Attribute codes, in order.")
    base_unit: UnitCode
    category: str | None = Field(None, max_length=40)
    brand: str = Field("", max_length=60)
    tax_code: str = Field("", max_length=19)
    vat_rate: DecimalIn = Decimal("0.13")


class GenerateIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"values": {"colour": ["RED", "BLUE"], "size": ["S", "M"]}}]
        },
    )

    values: dict[str, list[str]] = Field(
        description="For each attribute of the style, the value codes to combine."
    )


class AxisValueOut(Schema):
    code: str
    name: str


class MatrixCellOut(Schema):
    products: list[ProductRef]
    value: Decimal | None = None


class MatrixRowOut(Schema):
    heading: AxisValueOut
    cells: list[MatrixCellOut]
    total: Decimal | None = None


class MatrixOut(Schema):
    style: str
    row_axis: str | None
    column_axis: str | None
    columns: list[AxisValueOut]
    rows: list[MatrixRowOut]
    column_totals: list[Decimal | None]
    total: Decimal | None = None


class MatrixQuery(Schema):
    row_axis: str | None = Field(None, max_length=40)
    column_axis: str | None = Field(None, max_length=40)


# --- price lists ----------------------------------------------------------------------


class PriceListOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    customer_group: str
    tax_inclusive: bool
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    priority: int
    is_active: bool


class PriceListIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "VIP",
                    "name": "会员价",
                    "kind": "customer_group",
                    "customer_group": "vip",
                    "valid_from": "2026-01-01",
                    "valid_to": None,
                    "priority": 10,
                }
            ]
        },
    )

    code: Code
    name: str = Field(max_length=100)
    kind: PriceListKind
    customer_group: str = Field("", max_length=40)
    tax_inclusive: bool = True
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    priority: int = Field(10, ge=0, le=32767)
    is_active: bool = True


class PriceItemOut(Schema):
    id: int
    product: ProductRef
    unit: str
    min_quantity: Decimal
    price: Decimal
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_unit(obj: PriceListItem) -> str:
        return obj.unit.code


class PriceListDetailOut(PriceListOut):
    items: list[PriceItemOut]


class PriceItemIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product": "CUP-350",
                    "unit": None,
                    "min_quantity": "10",
                    "price": "9.90",
                }
            ]
        },
    )

    product: Code = Field(description="The product's code.")
    unit: str | None = Field(None, max_length=20, description="Null: the base unit.")
    min_quantity: DecimalIn = Decimal("0")
    price: DecimalIn
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


class QuoteQuery(Schema):
    product: str = Field(max_length=40, description="The product's code.")
    quantity: DecimalIn = Decimal("1")
    date: datetime.date | None = Field(None, description="Today when not given.")
    unit: str | None = Field(None, max_length=20)
    customer_group: str = Field("", max_length=40)


class QuoteOut(Schema):
    product: str
    quantity: Decimal
    unit: str
    date: datetime.date
    price: Decimal | None = Field(description="Null: no price list prices it.")
    tax_inclusive: bool | None
    price_list: str | None
    min_quantity: Decimal | None
    converted: bool = Field(
        description="Priced from the base unit's price times the unit's factor."
    )


class ImportOut(Schema):
    created: int
    codes: list[str]
