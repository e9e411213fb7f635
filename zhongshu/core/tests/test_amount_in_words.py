"""Chinese uppercase amounts (大写金额), per the PBOC rules in einvoice_cn.md §8.

Where rule 3 allows 零 to be written or omitted, the expectations pin the one
spelling core.money emits: 零 for every zero run inside the yuan part (also at
万 and 亿), none between a 0 元 digit and a non-zero 角.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhongshu.core.money import amount_in_words


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # The brief's cases.
        ("12345.00", "壹万贰仟叁佰肆拾伍元整"),
        ("12345.60", "壹万贰仟叁佰肆拾伍元陆角整"),
        ("100000000.00", "壹亿元整"),
        ("100010000.00", "壹亿零壹万元整"),
        ("1004.05", "壹仟零肆元零伍分"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("10.00", "壹拾元整"),
        ("1010.00", "壹仟零壹拾元整"),
        ("20000000.00", "贰仟万元整"),
        ("0", "零元整"),
        ("105000.00", "壹拾万零伍仟元整"),
        ("1000000.01", "壹佰万元零壹分"),
        # PBOC examples (rule 3 cases in the spelling chosen above).
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万零柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # More vectors from the reference.
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100", "壹佰元整"),
        ("10001", "壹万零壹元整"),
        ("100000001", "壹亿零壹元整"),
        ("1.01", "壹元零壹分"),
        ("1.10", "壹元壹角整"),
    ],
)
def test_documented_cases(amount: str, expected: str) -> None:
    # given an amount / when / then
    assert amount_in_words(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1", "壹元整"),
        ("0.01", "壹分"),
        ("0.11", "壹角壹分"),
        ("0.10", "壹角整"),
        ("10", "壹拾元整"),
        ("11", "壹拾壹元整"),
        ("19.90", "壹拾玖元玖角整"),
        ("101", "壹佰零壹元整"),
        ("110", "壹佰壹拾元整"),
        ("1001", "壹仟零壹元整"),
        ("1100", "壹仟壹佰元整"),
        ("10000", "壹万元整"),
        ("10010", "壹万零壹拾元整"),
        ("10100", "壹万零壹佰元整"),
        ("11000", "壹万壹仟元整"),
        ("100000", "壹拾万元整"),
        ("1000000", "壹佰万元整"),
        ("10000000", "壹仟万元整"),
        ("10000001", "壹仟万零壹元整"),
        ("10200300", "壹仟零贰拾万零叁佰元整"),
        ("100.50", "壹佰元伍角整"),
        ("100.05", "壹佰元零伍分"),
        ("100.55", "壹佰元伍角伍分"),
        ("1000000000", "壹拾亿元整"),
        ("1050000000", "壹拾亿零伍仟万元整"),
        ("1234567890.12", "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        ("100000000000", "壹仟亿元整"),
        ("1000000000000", "壹万亿元整"),
        ("1000100000000", "壹万零壹亿元整"),
        ("1000000010000", "壹万亿零壹万元整"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ],
)
def test_zeros_and_group_boundaries(amount: str, expected: str) -> None:
    # given an amount with zeros at awkward positions / when / then
    assert amount_in_words(amount) == expected


def test_integer_and_decimal_inputs_read_the_same() -> None:
    # given the same amount as int, Decimal and str
    # when / then
    assert (
        amount_in_words(1010) == amount_in_words(Decimal("1010.00")) == "壹仟零壹拾元整"
    )


def test_trailing_zeros_beyond_fen_are_accepted() -> None:
    # given an exact amount written with more places
    # when / then
    assert amount_in_words(Decimal("3.5000")) == "叁元伍角整"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("-12.50", "负壹拾贰元伍角整"),
        ("-0.05", "负伍分"),
        ("-1004.05", "负壹仟零肆元零伍分"),
        ("-0.00", "零元整"),  # negative zero is zero
    ],
)
def test_negative_amounts_get_fu_prefix(amount: str, expected: str) -> None:
    # given / when / then
    assert amount_in_words(amount) == expected


def test_sub_fen_amount_is_refused_not_rounded() -> None:
    # given an amount that is not a whole number of fen
    # when / then: the words must match the stored figure, so round first
    with pytest.raises(ValueError, match="decimal places"):
        amount_in_words(Decimal("1.005"))


def test_float_is_refused() -> None:
    # given / when / then
    with pytest.raises(TypeError):
        amount_in_words(0.5)  # type: ignore[arg-type]


def test_amount_beyond_wan_yi_is_refused() -> None:
    # given 10^16 yuan, which would need 亿亿
    # when / then
    with pytest.raises(ValueError, match="too large"):
        amount_in_words(Decimal("10000000000000000"))


def test_never_uses_forbidden_characters() -> None:
    # given a spread of amounts
    amounts = [Decimal(n) / 100 for n in range(0, 2_000_000, 7919)]
    forbidden = set("一二三四五六七八九十百千毛另0")
    # when
    words = [amount_in_words(amount) for amount in amounts]
    # then only the PBOC characters appear
    assert all(not forbidden & set(w) for w in words)
    assert all(not w.startswith("零") or w == "零元整" for w in words)
    assert all("零零" not in w for w in words)
