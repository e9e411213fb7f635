"""Unit conversions, for any factor and quantities: they add up and come
back (STYLE.md §12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhongshu.catalog import selectors, services
from zhongshu.catalog.testing import make_product, unit
from zhongshu.core import testing as core_testing
from zhongshu.core.models import Company

pytestmark = pytest.mark.django_db

FACTORS = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("10000"), places=4)
WHOLE = st.integers(min_value=-(10**6), max_value=10**6)


def test_conversions_add_up_and_return(company: Company) -> None:
    # given a product kept in 千克 (3 places) sold in 袋 (0 places) of any size
    rice = make_product(company, "RICE", unit_code="千克", alt_units={"袋": "1"})
    bag = unit(company, "袋")
    owner = core_testing.owner_of(company)

    @settings(max_examples=60, deadline=None)
    @given(factor=FACTORS, a=WHOLE, b=WHOLE)
    def check(factor: Decimal, a: int, b: int) -> None:
        product = services.update_product(
            product=rice,
            actor=owner,
            data=services.ProductData(
                code="RICE",
                name="大米",
                base_unit=unit(company, "千克"),
                units=(services.AltUnit(unit=bag, factor=factor),),
            ),
        )
        product = selectors.get_product(company, product.pk)
        convert = selectors.to_base_quantity
        # a 袋 and b 袋 weigh what a + b 袋 weigh, when the factor has no
        # more places than 千克 keeps; otherwise each rounds half up once
        together = convert(product, a + b, bag)
        apart = convert(product, a, bag) + convert(product, b, bag)
        if factor == factor.quantize(Decimal("0.001")):
            assert together == apart == (a + b) * factor
        else:
            assert abs(together - apart) <= Decimal("0.001")
        # base units convert to themselves
        assert convert(product, a) == a

    check()
