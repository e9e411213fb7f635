"""A style's SKU matrix: generating colour × size variants, adding a size
later, and pivoting the variants with numbers the caller supplies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from zhongshu.catalog import selectors, services
from zhongshu.catalog.models import Product, Style
from zhongshu.catalog.services import variants
from zhongshu.catalog.testing import make_category, make_product, make_style, unit
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def tee(company: Company, owner: User) -> Style:
    """T恤 (款号 T01) in 红色/蓝色 × S/M/L, category 上衣, 9 % VAT for the test."""
    style = make_style(company, "T01", name="T恤")
    return services.update_style(
        style=style,
        actor=owner,
        data=services.StyleData(
            code="T01",
            name="T恤",
            axes=("colour", "size"),
            base_unit=unit(company, "件"),
            category=make_category(company, "TOPS"),
            brand="棉花",
            tax_code="1040201010000000000",
            vat_rate=Decimal("0.09"),
        ),
    )


def test_generating_makes_one_product_per_combination(
    company: Company, owner: User, tee: Style
) -> None:
    # when: 2 colours × 2 sizes
    created = services.generate_variants(
        style=tee, actor=owner, values={"colour": ["RED", "BLUE"], "size": ["S", "M"]}
    )
    # then: 4 products, coded STYLE-COLOUR-SIZE, named with the values
    assert [(p.code, p.name, p.variant) for p in created] == [
        ("T01-BLUE-M", "T恤 蓝色 M", {"colour": "BLUE", "size": "M"}),
        ("T01-BLUE-S", "T恤 蓝色 S", {"colour": "BLUE", "size": "S"}),
        ("T01-RED-M", "T恤 红色 M", {"colour": "RED", "size": "M"}),
        ("T01-RED-S", "T恤 红色 S", {"colour": "RED", "size": "S"}),
    ]
    product = Product.objects.get(code="T01-RED-S")
    assert (
        product.category.code,
        product.base_unit.code,
        product.brand,
        product.tax_code,
        product.vat_rate,
    ) == ("TOPS", "件", "棉花", "1040201010000000000", Decimal("0.0900"))


def test_generating_again_adds_only_the_missing_combinations(
    company: Company, owner: User, tee: Style
) -> None:
    # given
    values = {"colour": ["RED", "BLUE"], "size": ["S", "M"]}
    services.generate_variants(style=tee, actor=owner, values=values)
    # when: L is added to the sizes
    added = services.generate_variants(
        style=tee,
        actor=owner,
        values={"colour": ["RED", "BLUE"], "size": ["S", "M", "L"]},
    )
    # then: 2 × 3 = 6 in all, 2 of them new
    assert [p.code for p in added] == ["T01-BLUE-L", "T01-RED-L"]
    assert selectors.style_variants(tee).count() == 6
    # and once more with the same values: nothing
    assert services.generate_variants(style=tee, actor=owner, values=values) == []


def test_the_matrix_pivots_colours_by_sizes_with_the_callers_numbers(
    company: Company, owner: User, tee: Style
) -> None:
    # given six variants and their stock (what inventory would pass)
    services.generate_variants(
        style=tee,
        actor=owner,
        values={"colour": ["RED", "BLUE"], "size": ["S", "M", "L"]},
    )
    stock = {
        p.pk: Decimal(n)
        for p, n in zip(
            selectors.style_variants(tee).order_by("code"),
            # BLUE-L BLUE-M BLUE-S RED-L RED-M RED-S
            ["1", "2", "3", "4", "5", "6"],
            strict=True,
        )
    }
    # when
    matrix = selectors.variant_matrix(company, tee, values=stock)
    # then: rows in the colours' order (红 before 蓝), columns S M L
    assert [r.heading.name for r in matrix.rows] == ["红色", "蓝色"]
    assert [c.code for c in matrix.columns] == ["S", "M", "L"]
    assert [[c.value for c in r.cells] for r in matrix.rows] == [
        [Decimal("6"), Decimal("5"), Decimal("4")],
        [Decimal("3"), Decimal("2"), Decimal("1")],
    ]
    # 6+5+4 = 15, 3+2+1 = 6; S 6+3 = 9, M 7, L 5; all 21
    assert [r.total for r in matrix.rows] == [Decimal("15"), Decimal("6")]
    assert matrix.column_totals == [Decimal("9"), Decimal("7"), Decimal("5")]
    assert matrix.total == Decimal("21")
    assert matrix.rows[0].cells[0].product is not None
    assert matrix.rows[0].cells[0].product.code == "T01-RED-S"


def test_the_matrix_can_turn_and_take_a_function(
    company: Company, owner: User, tee: Style
) -> None:
    # given only red in S and M
    services.generate_variants(
        style=tee, actor=owner, values={"colour": ["RED"], "size": ["S", "M"]}
    )
    # when: rows by size, one per variant
    matrix = selectors.variant_matrix(
        company, tee, row_axis="size", column_axis="colour", values=lambda p: 1
    )
    # then
    assert [r.heading.code for r in matrix.rows] == ["S", "M"]
    assert [c.code for c in matrix.columns] == ["RED"]
    assert matrix.total == 2
    # without numbers, cells carry the products only
    plain = selectors.variant_matrix(company, tee)
    assert plain.total is None
    assert [[c.product.code for c in r.cells if c.product] for r in plain.rows] == [
        ["T01-RED-S", "T01-RED-M"]
    ]


def test_values_must_match_the_styles_attributes(
    company: Company, owner: User, tee: Style
) -> None:
    for values in (
        {"colour": ["RED"]},
        {"colour": ["RED"], "size": ["XXL"]},
        {"colour": [], "size": ["S"]},
    ):
        with pytest.raises(ValidationError) as refused:
            services.generate_variants(style=tee, actor=owner, values=values)
        assert list(refused.value.fields) == ["values"]
    assert not selectors.style_variants(tee).exists()


def test_a_variant_code_taken_by_another_product_stops_the_whole_run(
    company: Company, owner: User, tee: Style
) -> None:
    make_product(company, "T01-RED-M")
    with pytest.raises(ConflictError, match="T01-RED-M"):
        services.generate_variants(
            style=tee, actor=owner, values={"colour": ["RED"], "size": ["S", "M"]}
        )
    assert not selectors.style_variants(tee).exists()


def test_a_style_with_variants_keeps_its_code_and_attributes(
    company: Company, owner: User, tee: Style
) -> None:
    services.generate_variants(
        style=tee, actor=owner, values={"colour": ["RED"], "size": ["S"]}
    )
    with pytest.raises(ConflictError):
        services.update_style(
            style=tee,
            actor=owner,
            data=services.StyleData(
                code="T01", name="T恤", axes=("colour",), base_unit=unit(company)
            ),
        )


def test_a_style_needs_known_distinct_attributes(company: Company, owner: User) -> None:
    make_style(company, "T02")  # creates colour and size
    for axes in ((), ("colour", "colour"), ("colour", "fabric")):
        with pytest.raises(ValidationError) as refused:
            services.create_style(
                company=company,
                actor=owner,
                data=services.StyleData(
                    code="T03", name="裤", axes=axes, base_unit=unit(company)
                ),
            )
        assert list(refused.value.fields) == ["axes"]


def test_attribute_values_are_unique_and_ordered(company: Company, owner: User) -> None:
    make_style(company, "T02")
    colour = selectors.find_attribute(company, "colour")
    assert colour is not None
    services.add_attribute_value(
        attribute=colour, actor=owner, code="BLACK", name="黑色"
    )
    with pytest.raises(ConflictError):
        services.add_attribute_value(
            attribute=colour, actor=owner, code="RED", name="红"
        )
    colour = selectors.get_attribute(company, colour.pk)
    assert [(v.code, v.sort) for v in colour.values.all()] == [
        ("RED", 10),
        ("BLUE", 20),
        ("BLACK", 30),
    ]


def test_the_matrix_refuses_an_axis_the_style_lacks(
    company: Company, tee: Style, other_company: Company
) -> None:
    with pytest.raises(ValidationError, match="fabric is not an attribute"):
        selectors.variant_matrix(company, tee, row_axis="fabric")
    with pytest.raises(NotFoundError):
        selectors.variant_matrix(other_company, tee)


def test_too_many_combinations_are_refused(
    company: Company, owner: User, tee: Style, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(variants, "MAX_COMBINATIONS", 3)
    with pytest.raises(ValidationError, match="At most 3 variants"):
        services.generate_variants(
            style=tee,
            actor=owner,
            values={"colour": ["RED", "BLUE"], "size": ["S", "M"]},
        )


def test_a_single_axis_style_has_one_column(company: Company, owner: User) -> None:
    style = make_style(company, "SCARF", name="围巾", axes=("colour",))
    services.generate_variants(style=style, actor=owner, values={"colour": ["RED"]})
    matrix = selectors.variant_matrix(company, style)
    assert [c.name for c in matrix.columns] == ["—"]
    assert [[c.product.code for c in r.cells if c.product] for r in matrix.rows] == [
        ["SCARF-RED"]
    ]
