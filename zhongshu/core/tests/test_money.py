"""Rounding and conversion rules of core.money (STYLE.md §6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhongshu.core import money


def test_scales_match_places() -> None:
    # given / when / then: the storage scales are derived from the places
    assert money.AMOUNT_SCALE == 100
    assert money.PRICE_SCALE == 1_000_000
    assert money.QUANTITY_SCALE == 10_000
    assert money.CURRENCY_PLACES["CNY"] == money.AMOUNT_PLACES == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.30"), Decimal("12.30")),
        (7, Decimal("7")),
        ("0.10", Decimal("0.10")),
        ("  -3.5 ", Decimal("-3.5")),
        ("1E+2", Decimal("1E+2")),
    ],
)
def test_to_decimal_accepts_exact_types(
    value: money.DecimalInput, expected: Decimal
) -> None:
    # given an exact value
    # when
    result = money.to_decimal(value)
    # then it is the same number, exponent included
    assert result == expected
    assert result.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize("value", [0.1, 1.0, True, False, None, [1], b"1"])
def test_to_decimal_refuses_floats_bools_and_other_types(value: object) -> None:
    # given an inexact or foreign value
    # when / then
    with pytest.raises(TypeError):
        money.to_decimal(value)  # type: ignore[arg-type]


def test_to_decimal_refusal_of_float_explains_the_fix() -> None:
    # given / when
    with pytest.raises(TypeError) as info:
        money.to_decimal(0.1)  # type: ignore[arg-type]
    # then
    assert 'Decimal("0.10")' in str(info.value)


@pytest.mark.parametrize(
    "value", ["", "abc", "1,000.00", "NaN", "Infinity", Decimal("-Inf")]
)
def test_to_decimal_refuses_non_numbers(value: money.DecimalInput) -> None:
    # given / when / then
    with pytest.raises(ValueError, match="not a"):
        money.to_decimal(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", Decimal("1.01")),  # half up, not banker's rounding
        ("1.015", Decimal("1.02")),
        ("1.025", Decimal("1.03")),  # ROUND_HALF_EVEN would give 1.02
        ("2.675", Decimal("2.68")),  # round(2.675, 2) on a float gives 2.67
        ("0.125", Decimal("0.13")),
        ("1.004999", Decimal("1.00")),
        ("-1.005", Decimal("-1.01")),  # half away from zero for negatives
        ("10", Decimal("10.00")),
        (3, Decimal("3.00")),
        ("99999999999.995", Decimal("100000000000.00")),
    ],
)
def test_round_amount_is_half_up_to_fen(value: str | int, expected: Decimal) -> None:
    # given an amount with any number of places
    # when
    result = money.round_amount(value)
    # then it has exactly two places, rounded half up
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["-0.0000001", "-0.00000049", "-0"])
def test_rounding_never_yields_negative_zero(value: str) -> None:
    # given a tiny negative amount, which Decimal would round to -0.00
    # when
    amount = money.round_amount(value)
    price = money.round_price(value)
    quantity = money.round_quantity(value, 0)
    # then documents print a plain zero
    assert (str(amount), str(price), str(quantity)) == ("0.00", "0.000000", "0")


def test_round_amount_with_explicit_currency() -> None:
    # given / when / then
    assert money.round_amount(Decimal("8.885"), "CNY") == Decimal("8.89")


def test_round_amount_refuses_unknown_currency() -> None:
    # given / when / then
    with pytest.raises(ValueError, match="XXX"):
        money.round_amount(Decimal("1"), "XXX")


def test_round_amount_refuses_float() -> None:
    # given / when / then
    with pytest.raises(TypeError):
        money.round_amount(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.2345675", Decimal("1.234568")),
        ("1.2345674999", Decimal("1.234567")),
        ("-0.0000005", Decimal("-0.000001")),
        ("12", Decimal("12.000000")),
    ],
)
def test_round_price_is_half_up_to_six_places(value: str, expected: Decimal) -> None:
    # given / when
    result = money.round_price(value)
    # then
    assert result == expected
    assert result.as_tuple().exponent == -6


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("2.5", 0, Decimal("3")),
        ("-2.5", 0, Decimal("-3")),
        ("1.25", 1, Decimal("1.3")),
        ("1.23456", 4, Decimal("1.2346")),
        ("1.23454", 4, Decimal("1.2345")),
        ("7", 3, Decimal("7.000")),
    ],
)
def test_round_quantity_uses_the_units_decimals(
    value: str, decimals: int, expected: Decimal
) -> None:
    # given a quantity and a unit with `decimals` places
    # when
    result = money.round_quantity(value, decimals)
    # then
    assert result == expected
    assert result.as_tuple().exponent == -decimals


def test_round_quantity_defaults_to_stored_precision() -> None:
    # given / when
    result = money.round_quantity(Decimal("0.00005"))
    # then
    assert result == Decimal("0.0001")
    assert result.as_tuple().exponent == -money.QUANTITY_PLACES


@pytest.mark.parametrize("decimals", [-1, 5, 6, True])
def test_round_quantity_refuses_decimals_beyond_storage(decimals: int) -> None:
    # given / when / then
    with pytest.raises(ValueError, match="decimals"):
        money.round_quantity(Decimal("1"), decimals)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("123.45"), 2, 12345),
        (Decimal("-0.01"), 2, -1),
        (Decimal("1.50000"), 2, 150),  # trailing zeros beyond the places are fine
        (Decimal("1E+3"), 2, 100000),
        (Decimal("0"), 6, 0),
        (Decimal("-0.00"), 2, 0),
        ("0.000001", 6, 1),
        (5, 4, 50000),
        (Decimal("92233720368547758.07"), 2, 2**63 - 1),
        (Decimal("-92233720368547758.08"), 2, -(2**63)),
        (Decimal("0E-999999"), 2, 0),
        (Decimal("7.5" + "0" * 500), 2, 750),
    ],
)
def test_to_scaled_is_exact(
    value: money.DecimalInput, places: int, expected: int
) -> None:
    # given / when / then
    assert money.to_scaled(value, places) == expected


@pytest.mark.parametrize(
    ("value", "places", "match"),
    [
        (Decimal("1.005"), 2, "more than 2 decimal places"),
        (Decimal("0.0000001"), 6, "more than 6 decimal places"),
        (Decimal("1.00001"), 4, "more than 4 decimal places"),
        (Decimal("92233720368547758.08"), 2, "too large"),
        (Decimal("-92233720368547758.09"), 2, "too large"),
        # refused at once, without building a million-digit integer
        (Decimal("1E+999999"), 2, "too large"),
        (Decimal("1E-999999"), 2, "more than 2 decimal places"),
    ],
)
def test_to_scaled_refuses_lossy_values(
    value: Decimal, places: int, match: str
) -> None:
    # given a value that does not fit exactly
    # when / then it is refused, never rounded
    with pytest.raises(ValueError, match=match):
        money.to_scaled(value, places)


def test_to_scaled_is_immune_to_a_low_precision_context() -> None:
    # given a decimal context that would round a 19-digit integer
    import decimal

    with decimal.localcontext(decimal.Context(prec=5)):
        # when
        scaled = money.to_scaled(Decimal("12345678901234567.89"), 2)
        back = money.from_scaled(scaled, 2)
    # then nothing was rounded
    assert scaled == 1234567890123456789
    assert back == Decimal("12345678901234567.89")


@pytest.mark.parametrize(
    ("scaled", "places", "expected"),
    [
        (0, 2, "0.00"),
        (0, 6, "0.000000"),
        (5, 2, "0.05"),
        (-5, 2, "-0.05"),
        (12345, 2, "123.45"),
        (100, 2, "1.00"),
        (1, 4, "0.0001"),
        (2**63 - 1, 2, "92233720368547758.07"),
    ],
)
def test_from_scaled_has_exactly_the_places(
    scaled: int, places: int, expected: str
) -> None:
    # given / when
    result = money.from_scaled(scaled, places)
    # then the string form shows the exponent too
    assert str(result) == expected
