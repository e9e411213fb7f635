"""Reads of price lists and the price a customer pays: ``price_for``."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from zhongshu.catalog.models import (
    PriceList,
    PriceListItem,
    PriceListKind,
    Product,
    Unit,
)
from zhongshu.catalog.selectors.products import factor_of
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company
from zhongshu.core.money import DecimalInput, round_price, to_decimal


def list_price_lists(company: Company) -> QuerySet[PriceList]:
    """Price lists by priority, each with its number of prices."""
    return (
        PriceList.objects.filter(company=company)
        .annotate(item_count=Count("items"))
        .order_by("priority", "code")
    )


def get_price_list(company: Company, price_list_id: int) -> PriceList:
    price_list = PriceList.objects.filter(company=company, pk=price_list_id).first()
    if price_list is None:
        raise NotFoundError()
    return price_list


def list_price_items(price_list: PriceList) -> QuerySet[PriceListItem]:
    return (
        PriceListItem.objects.filter(
            company_id=price_list.company_id, price_list=price_list
        )
        .select_related("product", "unit")
        .order_by("product__code", "unit__code", "min_quantity")
    )


def get_price_item(company: Company, price_item_id: int) -> PriceListItem:
    item = (
        PriceListItem.objects.filter(company=company, pk=price_item_id)
        .select_related("price_list", "product", "unit")
        .first()
    )
    if item is None:
        raise NotFoundError()
    return item


# --- the price to charge --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceQuote:
    """A unit price of ``product`` per ``unit`` from one price list item."""

    product: Product
    unit: Unit
    price: Decimal
    tax_inclusive: bool
    price_list: PriceList
    item: PriceListItem
    # The item's quantity break, in the item's own unit.
    min_quantity: Decimal
    # True when the list had no price in ``unit`` and the base unit's price
    # was multiplied by the unit's factor.
    converted: bool


def _tier(price_list: PriceList, customer_group: str) -> int:
    if price_list.kind == PriceListKind.CUSTOMER_GROUP:
        return (
            0 if customer_group and price_list.customer_group == customer_group else 9
        )
    return 1


def price_for(
    company: Company,
    product: Product,
    quantity: DecimalInput,
    on_date: datetime.date,
    unit: Unit | None = None,
    customer_group: str = "",
    kinds: Collection[str] = (),
) -> PriceQuote | None:
    """The unit price for ``quantity`` of ``product`` in ``unit`` (its base
    unit by default) on ``on_date``, or None when no list prices it.

    The rule, in order:

    1. Only active lists whose validity (``valid_from``..``valid_to``,
       inclusive, open when empty) covers ``on_date`` count, and within them
       only items whose own validity covers it.
    2. The lists of kind *customer group* whose group is ``customer_group``
       come first; then the *retail* and *wholesale* lists together. Within
       each tier, the lower ``priority`` number first, then the code. Lists
       of other customer groups never apply.
    3. The first list that has a price wins. Within a list, the item in
       ``unit`` with the highest ``min_quantity`` not above ``quantity``
       applies (quantity breaks); when none in ``unit`` applies, the
       base-unit item with the highest ``min_quantity`` not above the
       quantity in base units does, multiplied by the unit's factor
       (rounded to 6 places).

    Worked example: retail list R (priority 10) prices a cup at 12.00 from
    0 and 10.00 from 10; group list VIP (priority 10) at 9.00 from 0 and
    valid through March. 5 cups for a VIP on 3-15: 9.00 (VIP first); on
    4-01: 12.00 (VIP expired, R's 0 break); 20 cups on 4-01: 10.00.

    ``kinds`` (all when empty) limits the lists to those kinds: a store
    counter asks for retail and customer-group lists, never wholesale.
    """
    book = PriceBook(company, [product], [on_date])
    return book.quote(
        product,
        quantity,
        on_date,
        unit=unit,
        customer_group=customer_group,
        kinds=kinds,
    )


def _covers(row: PriceList | PriceListItem, on_date: datetime.date) -> bool:
    return (row.valid_from is None or row.valid_from <= on_date) and (
        row.valid_to is None or row.valid_to >= on_date
    )


class PriceBook:
    """The active lists' items of ``products`` that are valid on some day of
    ``dates``, read in one query, so a document prices all its lines (or a
    batch all its documents) without a query per line. ``quote`` chooses
    exactly as ``price_for`` describes."""

    def __init__(
        self,
        company: Company,
        products: Collection[Product],
        dates: Collection[datetime.date],
    ) -> None:
        first, last = min(dates), max(dates)
        items = (
            PriceListItem.objects.filter(
                company=company,
                product__in=[p.pk for p in products],
                price_list__is_active=True,
            )
            .filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=last),
                Q(valid_to__isnull=True) | Q(valid_to__gte=first),
                Q(price_list__valid_from__isnull=True)
                | Q(price_list__valid_from__lte=last),
                Q(price_list__valid_to__isnull=True)
                | Q(price_list__valid_to__gte=first),
            )
            .select_related("price_list", "unit")
        )
        self._items: dict[int, list[PriceListItem]] = {}
        for item in items:
            self._items.setdefault(item.product_id, []).append(item)

    def quote(
        self,
        product: Product,
        quantity: DecimalInput,
        on_date: datetime.date,
        unit: Unit | None = None,
        customer_group: str = "",
        kinds: Collection[str] = (),
    ) -> PriceQuote | None:
        amount = to_decimal(quantity)
        if amount < 0:
            message = _("The quantity cannot be negative.")
            raise ValidationError(message, fields={"quantity": [message]})
        unit = unit or product.base_unit
        factor = factor_of(product, unit)
        units = {unit.pk, product.base_unit_id}
        by_list: dict[int, list[PriceListItem]] = {}
        lists: dict[int, PriceList] = {}
        for item in self._items.get(product.pk, ()):
            if item.unit_id not in units or not _covers(item, on_date):
                continue
            if not _covers(item.price_list, on_date):
                continue
            by_list.setdefault(item.price_list_id, []).append(item)
            lists[item.price_list_id] = item.price_list
        ordered = sorted(
            (
                pl
                for pl in lists.values()
                if _tier(pl, customer_group) < 9 and (not kinds or pl.kind in kinds)
            ),
            key=lambda pl: (_tier(pl, customer_group), pl.priority, pl.code),
        )
        for price_list in ordered:
            quote = _quote_from(
                price_list, by_list[price_list.pk], product, unit, factor, amount
            )
            if quote is not None:
                return quote
        return None


def _best(
    items: list[PriceListItem], unit_id: int, quantity: Decimal
) -> PriceListItem | None:
    candidates = [
        i for i in items if i.unit_id == unit_id and i.min_quantity <= quantity
    ]
    return max(candidates, key=lambda i: i.min_quantity, default=None)


def _quote_from(
    price_list: PriceList,
    items: list[PriceListItem],
    product: Product,
    unit: Unit,
    factor: Decimal,
    quantity: Decimal,
) -> PriceQuote | None:
    item = _best(items, unit.pk, quantity)
    if item is not None:
        return PriceQuote(
            product=product,
            unit=unit,
            price=item.price,
            tax_inclusive=price_list.tax_inclusive,
            price_list=price_list,
            item=item,
            min_quantity=item.min_quantity,
            converted=False,
        )
    if unit.pk == product.base_unit_id:
        return None
    base_item = _best(items, product.base_unit_id, quantity * factor)
    if base_item is None:
        return None
    return PriceQuote(
        product=product,
        unit=unit,
        price=round_price(base_item.price * factor),
        tax_inclusive=price_list.tax_inclusive,
        price_list=price_list,
        item=base_item,
        min_quantity=base_item.min_quantity,
        converted=True,
    )
