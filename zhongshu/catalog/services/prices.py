"""Price lists (retail, wholesale, per customer group) and their prices with
quantity breaks and validity dates. ``selectors.price_for`` reads them."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from zhongshu.catalog.models import (
    PriceList,
    PriceListItem,
    PriceListKind,
    Product,
    Unit,
)
from zhongshu.catalog.selectors.products import factor_of
from zhongshu.catalog.services.common import (
    clean_code,
    clean_text,
    duplicate,
    field_error,
    places,
)
from zhongshu.core import audit
from zhongshu.core.models import Company
from zhongshu.core.money import PRICE_PLACES, QUANTITY_PLACES
from zhongshu.core.services import require_writable
from zhongshu.core.tenancy import same_company

MAX_PRICE = Decimal("1e10")
MAX_QUANTITY = Decimal("1e12")


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceListData:
    code: str
    name: str
    kind: str
    customer_group: str = ""
    tax_inclusive: bool = True
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    priority: int = 10
    is_active: bool = True


def _check_dates(
    valid_from: datetime.date | None, valid_to: datetime.date | None
) -> None:
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise field_error("valid_to", _("The end date is before the start date."))


def _clean_list(data: PriceListData) -> PriceListData:
    if data.kind not in PriceListKind.values:
        raise field_error("kind", _("Choose retail, wholesale or customer group."))
    group = clean_text(
        data.customer_group, field="customer_group", max_length=40, required=False
    )
    if data.kind == PriceListKind.CUSTOMER_GROUP and not group:
        raise field_error(
            "customer_group", _("A customer group list names its customer group.")
        )
    if data.kind != PriceListKind.CUSTOMER_GROUP and group:
        raise field_error(
            "customer_group",
            _("Only a customer group list has a customer group."),
        )
    _check_dates(data.valid_from, data.valid_to)
    if not 0 <= data.priority <= 32767:
        raise field_error("priority", _("The priority is 0 to 32767."))
    return PriceListData(
        code=clean_code(data.code),
        name=clean_text(data.name, field="name", max_length=100),
        kind=data.kind,
        customer_group=group,
        tax_inclusive=data.tax_inclusive,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        priority=data.priority,
        is_active=data.is_active,
    )


def _list_values(data: PriceListData) -> dict[str, object]:
    return {
        "code": data.code,
        "name": data.name,
        "kind": data.kind,
        "customer_group": data.customer_group,
        "tax_inclusive": data.tax_inclusive,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "priority": data.priority,
        "is_active": data.is_active,
    }


def _check_code_free(company: Company, code: str, price_list: PriceList | None) -> None:
    taken = PriceList.objects.filter(company=company, code=code)
    if price_list is not None:
        taken = taken.exclude(pk=price_list.pk)
    if taken.exists():
        raise duplicate(
            "code", _("The price list code %(code)s exists.") % {"code": code}
        )


@transaction.atomic
def create_price_list(
    *, company: Company, actor: User, data: PriceListData
) -> PriceList:
    require_writable(company)
    data = _clean_list(data)
    _check_code_free(company, data.code, None)
    price_list = PriceList.objects.create(company=company, **_list_values(data))
    audit.record(company=company, actor=actor, action="created", obj=price_list)
    return price_list


@transaction.atomic
def update_price_list(
    *, price_list: PriceList, actor: User, data: PriceListData
) -> PriceList:
    company = price_list.company
    require_writable(company)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    data = _clean_list(data)
    _check_code_free(company, data.code, price_list)
    values = _list_values(data)
    before = {name: getattr(price_list, name) for name in values}
    for name, value in values.items():
        setattr(price_list, name, value)
    price_list.save(update_fields=list(values))
    audit.record(
        company=company,
        actor=actor,
        action="changed",
        obj=price_list,
        changes=audit.field_changes(before, values),
    )
    return price_list


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceData:
    product: Product
    price: Decimal
    unit: Unit | None = None  # None: the product's base unit
    min_quantity: Decimal = Decimal("0")
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


def _check_price(data: PriceData) -> None:
    if not Decimal("0") <= data.price < MAX_PRICE or places(data.price) > PRICE_PLACES:
        raise field_error(
            "price",
            _("Enter a price of 0 or more with at most %(count)d decimal places.")
            % {"count": PRICE_PLACES},
        )
    quantity = data.min_quantity
    if (
        not Decimal("0") <= quantity < MAX_QUANTITY
        or places(quantity) > QUANTITY_PLACES
    ):
        raise field_error(
            "min_quantity",
            _("Enter a quantity of 0 or more with at most %(count)d decimal places.")
            % {"count": QUANTITY_PLACES},
        )
    _check_dates(data.valid_from, data.valid_to)


@transaction.atomic
def set_price(*, price_list: PriceList, actor: User, data: PriceData) -> PriceListItem:
    """The price of the product in the unit from ``min_quantity`` up: added,
    or changed when the list has that break already."""
    company = price_list.company
    require_writable(company)
    same_company(company, data.product, data.unit)
    unit = data.unit or data.product.base_unit
    factor_of(data.product, unit)  # refuses a unit the product does not have
    _check_price(data)
    values = {
        "price": data.price,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
    }
    same_break = PriceListItem.objects.select_for_update().filter(
        company=company, price_list=price_list, product=data.product, unit=unit
    )
    item = next((i for i in same_break if i.min_quantity == data.min_quantity), None)
    created = item is None
    changes: Mapping[str, object]
    if item is None:
        item = PriceListItem.objects.create(
            company=company,
            price_list=price_list,
            product=data.product,
            unit=unit,
            min_quantity=data.min_quantity,
            **values,
        )
        changes = values
    else:
        before = {name: getattr(item, name) for name in values}
        for name, value in values.items():
            setattr(item, name, value)
        item.save(update_fields=list(values))
        changes = audit.field_changes(before, values)
    audit.record(
        company=company,
        actor=actor,
        action="created" if created else "changed",
        obj=item,
        changes={
            "price_list": price_list.code,
            "product": data.product.code,
            **changes,
        },
    )
    return item


@transaction.atomic
def delete_price(*, item: PriceListItem, actor: User) -> None:
    company = item.company
    require_writable(company)
    audit.record(company=company, actor=actor, action="deleted", obj=item)
    PriceListItem.objects.filter(pk=item.pk).delete()
