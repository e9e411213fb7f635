"""django-ninja schemas of the partners API: separate input and output
classes.

Inputs name other rows by code or user name (a customer category, a
salesperson), as people and importing systems know them; one the company
does not have is a 422 on that field and can never reach another company's
rows. Money travels as a JSON string (``"50000.00"``) or number and becomes
an exact ``Decimal``; outputs give it as a string.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from zhongshu.partners import regions
from zhongshu.partners.models import Customer, Supplier

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


# --- categories -----------------------------------------------------------------------


class CustomerCategoryOut(Schema):
    id: int
    code: str
    name: str


class CustomerCategoryIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "VIP", "name": "重点客户"}]},
    )

    code: str = Field(max_length=40)
    name: str = Field(max_length=100)


class CategoryRef(Schema):
    id: int
    code: str
    name: str


# --- contacts and addresses -----------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class ContactIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "李经理",
                    "title": "采购经理",
                    "phone": "13800138000",
                    "email": "li@example.cn",
                    "is_primary": True,
                }
            ]
        },
    )

    name: str = Field(max_length=60)
    title: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=120)
    is_primary: bool = False


class AddressOut(Schema):
    id: int
    province: str
    province_name: str
    city: str
    district: str
    detail: str
    receiver: str
    phone: str
    is_default: bool

    @staticmethod
    def resolve_province_name(obj: Any) -> str:
        province = regions.province(obj.province)
        return province.name if province is not None else ""


class AddressIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "province": "440000",
                    "city": "深圳市",
                    "district": "南山区",
                    "detail": "科技园南区 8 栋",
                    "receiver": "王收货",
                    "phone": "0755-88888888",
                    "is_default": True,
                }
            ]
        },
    )

    province: str = Field(max_length=20, description="A province code, e.g. 440000.")
    city: str = Field("", max_length=60)
    district: str = Field("", max_length=60)
    detail: str = Field(max_length=200)
    receiver: str = Field("", max_length=60)
    phone: str = Field("", max_length=40)
    is_default: bool = False


# --- customers ------------------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    uscc: str
    tax_address: str
    tax_phone: str
    bank_name: str
    bank_account: str
    category: CategoryRef | None
    salesperson: str | None = Field(description="The salesperson's user name.")
    price_group: str
    payment_terms_days: int
    credit_limit: Decimal | None = Field(description="Null: no limit.")
    province: str
    province_name: str
    city: str
    memo: str
    is_active: bool
    contacts: list[ContactOut]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_salesperson(obj: Customer) -> str | None:
        return obj.salesperson.username if obj.salesperson is not None else None

    @staticmethod
    def resolve_province_name(obj: Customer) -> str:
        province = regions.province(obj.province)
        return province.name if province is not None else ""

    @staticmethod
    def resolve_contacts(obj: Customer) -> list[Any]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_addresses(obj: Customer) -> list[Any]:
        return list(obj.addresses.all())


class CustomerFilter(Schema):
    search: str = Field(
        "", max_length=100, description="Code, name, short name or USCC (contains)."
    )
    category: str | None = Field(None, max_length=40, description="A category code.")
    salesperson: str | None = Field(
        None, max_length=150, description="A salesperson's user name."
    )
    province: str | None = Field(
        None, max_length=20, description="A province code or name."
    )
    active: bool | None = None


class CustomerIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "C001",
                    "name": "广州示例贸易有限公司",
                    "short_name": "示例贸易",
                    "uscc": "91440101MA59CDEF1Q",
                    "category": None,
                    "salesperson": None,
                    "payment_terms_days": 30,
                    "credit_limit": "50000.00",
                    "province": "440000",
                    "city": "广州市",
                }
            ]
        },
    )

    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    short_name: str = Field("", max_length=60)
    uscc: str = Field("", max_length=40)
    tax_address: str = Field("", max_length=200)
    tax_phone: str = Field("", max_length=40)
    bank_name: str = Field("", max_length=100)
    bank_account: str = Field("", max_length=40)
    category: str | None = Field(None, max_length=40, description="A category code.")
    salesperson: str | None = Field(
        None, max_length=150, description="The user name of a member."
    )
    price_group: str = Field("", max_length=40)
    payment_terms_days: int = Field(0, ge=0, le=3650)
    credit_limit: DecimalIn | None = Field(None, description="Null: no limit.")
    province: str = Field(
        "",
        max_length=20,
        description="A province code; ignored while a default address sets it.",
    )
    city: str = Field("", max_length=60)
    memo: str = Field("", max_length=200)


# --- suppliers ------------------------------------------------------------------------


class SupplierOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    uscc: str
    tax_address: str
    tax_phone: str
    bank_name: str
    bank_account: str
    payment_terms_days: int
    province: str
    province_name: str
    city: str
    memo: str
    is_active: bool
    contacts: list[ContactOut]

    @staticmethod
    def resolve_province_name(obj: Supplier) -> str:
        return obj.province_name

    @staticmethod
    def resolve_contacts(obj: Supplier) -> list[Any]:
        return list(obj.contacts.all())


class SupplierFilter(Schema):
    search: str = Field(
        "", max_length=100, description="Code, name, short name or USCC (contains)."
    )
    province: str | None = Field(
        None, max_length=20, description="A province code or name."
    )
    active: bool | None = None


class SupplierIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "S001",
                    "name": "东莞示例五金制品有限公司",
                    "short_name": "示例五金",
                    "uscc": "91440101MA59CDEF1Q",
                    "bank_name": "中国工商银行东莞分行",
                    "bank_account": "2010020309200123456",
                    "payment_terms_days": 60,
                    "province": "440000",
                    "city": "东莞市",
                }
            ]
        },
    )

    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    short_name: str = Field("", max_length=60)
    uscc: str = Field("", max_length=40)
    tax_address: str = Field("", max_length=200)
    tax_phone: str = Field("", max_length=40)
    bank_name: str = Field("", max_length=100)
    bank_account: str = Field("", max_length=40)
    payment_terms_days: int = Field(0, ge=0, le=3650)
    province: str = Field("", max_length=20, description="A province code or name.")
    city: str = Field("", max_length=60)
    memo: str = Field("", max_length=200)


class ActiveIn(Schema):
    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"is_active": False}]}
    )

    is_active: bool


class ProvinceOut(Schema):
    code: str
    name: str
    short_name: str
    name_en: str
    region: str
    region_en: str
    north_south: str


class ImportOut(Schema):
    created: list[str]
    updated: list[str]
