"""``price_for``: which list and which quantity break a sale gets, worked
out by hand in each test."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from zhongshu.catalog import selectors, services
from zhongshu.catalog.errors import UnitNotConvertibleError
from zhongshu.catalog.models import PriceList, PriceListItem, Product, plain_decimal
from zhongshu.catalog.testing import make_product, unit
from zhongshu.core.errors import NotFoundError, ValidationError
from zhongshu.core.models import Company

pytestmark = pytest.mark.django_db

MARCH_15 = datetime.date(2026, 3, 15)
APRIL_1 = datetime.date(2026, 4, 1)


def price_list(
    company: Company, owner: User, code: str, kind: str, **options: object
) -> PriceList:
    return services.create_price_list(
        company=company,
        actor=owner,
        data=services.PriceListData(code=code, name=code, kind=kind, **options),  # type: ignore[arg-type]
    )


def price(
    plist: PriceList, owner: User, product: Product, amount: str, **options: object
) -> PriceListItem:
    return services.set_price(
        price_list=plist,
        actor=owner,
        data=services.PriceData(product=product, price=Decimal(amount), **options),  # type: ignore[arg-type]
    )


@pytest.fixture
def cup(company: Company) -> Product:
    return make_product(company, "CUP", alt_units={"箱": "12"})


@pytest.fixture
def lists(company: Company, owner: User, cup: Product) -> dict[str, PriceList]:
    """The docstring's example: retail R (12.00 from 0, 10.00 from 10 件),
    wholesale W (priority 20: 9.50 from 100 件), VIP group list valid
    through March (9.00 from 0)."""
    retail = price_list(company, owner, "R", "retail", priority=10)
    price(retail, owner, cup, "12.00")
    price(retail, owner, cup, "10.00", min_quantity=Decimal("10"))
    wholesale = price_list(company, owner, "W", "wholesale", priority=20)
    price(wholesale, owner, cup, "9.50", min_quantity=Decimal("100"))
    vip = price_list(
        company, owner, "VIP", "customer_group", customer_group="vip",
        valid_to=datetime.date(2026, 3, 31),
    )  # fmt: skip
    price(vip, owner, cup, "9.00")
    return {"R": retail, "W": wholesale, "VIP": vip}


def quote(
    company: Company, product: Product, quantity: str, day: datetime.date, **kw: object
) -> tuple[str, str] | None:
    found = selectors.price_for(company, product, Decimal(quantity), day, **kw)  # type: ignore[arg-type]
    return None if found is None else (found.price_list.code, str(found.price))


def test_the_customer_groups_list_comes_first_while_valid(
    company: Company, cup: Product, lists: dict[str, PriceList]
) -> None:
    # 5 cups for a VIP on 3-15: VIP's 9.00
    assert quote(company, cup, "5", MARCH_15, customer_group="vip") == (
        "VIP",
        "9.000000",
    )
    # on 4-01 the VIP list has expired: retail's 0 break, 12.00
    assert quote(company, cup, "5", APRIL_1, customer_group="vip") == ("R", "12.000000")
    # another group never gets VIP prices
    assert quote(company, cup, "5", MARCH_15, customer_group="staff") == (
        "R",
        "12.000000",
    )


def test_the_highest_break_not_above_the_quantity_applies(
    company: Company, cup: Product, lists: dict[str, PriceList]
) -> None:
    # 9 cups: retail's 0 break (12.00); 10 and 20: the 10 break (10.00)
    assert quote(company, cup, "9", APRIL_1) == ("R", "12.000000")
    assert quote(company, cup, "10", APRIL_1) == ("R", "10.000000")
    assert quote(company, cup, "20", APRIL_1) == ("R", "10.000000")


def test_a_lower_priority_number_wins_among_retail_and_wholesale(
    company: Company, owner: User, cup: Product, lists: dict[str, PriceList]
) -> None:
    # retail (10) before wholesale (20): 150 cups still 10.00 from retail
    assert quote(company, cup, "150", APRIL_1) == ("R", "10.000000")
    # when wholesale goes first (priority 5) it wins from 100 cups up...
    services.update_price_list(
        price_list=lists["W"],
        actor=owner,
        data=services.PriceListData(code="W", name="W", kind="wholesale", priority=5),
    )
    assert quote(company, cup, "150", APRIL_1) == ("W", "9.500000")
    # ...but has no price below 100, so retail answers 50 cups
    assert quote(company, cup, "50", APRIL_1) == ("R", "10.000000")


def test_a_box_is_priced_from_the_box_price_or_twelve_pieces(
    company: Company, owner: User, cup: Product, lists: dict[str, PriceList]
) -> None:
    box = unit(company, "箱")
    # no box price: 2 箱 = 24 件 → the 10 break, 10.00 × 12 = 120.00 a box
    found = selectors.price_for(company, cup, Decimal("2"), APRIL_1, unit=box)
    assert found is not None
    assert (found.price, found.unit.code, found.converted) == (
        Decimal("120.000000"),
        "箱",
        True,
    )
    # with a box price of 110.00 from 1 box, it applies as is
    price(lists["R"], owner, cup, "110.00", unit=box, min_quantity=Decimal("1"))
    found = selectors.price_for(company, cup, Decimal("2"), APRIL_1, unit=box)
    assert found is not None
    assert (found.price, found.converted) == (Decimal("110.000000"), False)


def test_item_dates_are_honoured(
    company: Company, owner: User, cup: Product, lists: dict[str, PriceList]
) -> None:
    # given a promotion item on retail: 8.00 from 5 cups, 4-01 to 4-07 only
    price(
        lists["R"], owner, cup, "8.00", min_quantity=Decimal("5"),
        valid_from=APRIL_1, valid_to=datetime.date(2026, 4, 7),
    )  # fmt: skip
    assert quote(company, cup, "6", APRIL_1) == ("R", "8.000000")
    assert quote(company, cup, "6", datetime.date(2026, 4, 8)) == ("R", "12.000000")
    assert quote(company, cup, "6", MARCH_15) == ("R", "12.000000")


def test_inactive_or_future_lists_and_unpriced_products_give_none(
    company: Company, owner: User, cup: Product, lists: dict[str, PriceList]
) -> None:
    # given
    for code in ("R", "W"):
        services.update_price_list(
            price_list=lists[code],
            actor=owner,
            data=services.PriceListData(
                code=code, name=code, kind=lists[code].kind, is_active=False
            ),
        )
    # then
    assert quote(company, cup, "5", APRIL_1) is None
    assert quote(company, make_product(company, "MUG"), "1", MARCH_15) is None


def test_setting_a_price_twice_changes_it(
    company: Company, owner: User, cup: Product, lists: dict[str, PriceList]
) -> None:
    price(lists["R"], owner, cup, "11.50")
    assert quote(company, cup, "1", APRIL_1) == ("R", "11.500000")
    assert PriceListItem.objects.filter(price_list=lists["R"]).count() == 2


def test_bad_prices_and_units_are_refused(
    company: Company, other_company: Company, owner: User, cup: Product,
    lists: dict[str, PriceList],
) -> None:  # fmt: skip
    with pytest.raises(ValidationError):
        price(lists["R"], owner, cup, "-1")
    with pytest.raises(ValidationError):
        price(lists["R"], owner, cup, "1.0000001")
    with pytest.raises(UnitNotConvertibleError):
        price(lists["R"], owner, cup, "1", unit=unit(company, "千克"))
    with pytest.raises(NotFoundError):
        price(lists["R"], owner, make_product(other_company, "THEIRS"), "1")
    with pytest.raises(ValidationError):
        selectors.price_for(company, cup, Decimal("-1"), APRIL_1)
    with pytest.raises(UnitNotConvertibleError):
        selectors.price_for(
            company, cup, Decimal("1"), APRIL_1, unit=unit(company, "米")
        )


def test_price_list_rules(company: Company, owner: User) -> None:
    with pytest.raises(ValidationError) as group_missing:
        price_list(company, owner, "G", "customer_group")
    assert list(group_missing.value.fields) == ["customer_group"]
    with pytest.raises(ValidationError) as stray_group:
        price_list(company, owner, "R2", "retail", customer_group="vip")
    assert list(stray_group.value.fields) == ["customer_group"]
    with pytest.raises(ValidationError) as dates:
        price_list(
            company, owner, "R3", "retail",
            valid_from=APRIL_1, valid_to=MARCH_15,
        )  # fmt: skip
    assert list(dates.value.fields) == ["valid_to"]
    assert not PriceList.objects.filter(company=company).exists()


def test_stored_decimals_read_plainly() -> None:
    assert plain_decimal(Decimal("10.0000")) == "10"
    assert plain_decimal(Decimal("2.5000")) == "2.5"
    assert plain_decimal(Decimal("12.000000"), 2) == "12.00"
    assert plain_decimal(Decimal("9.123450"), 2) == "9.12345"
    assert plain_decimal(Decimal("100.000000"), 2) == "100.00"
