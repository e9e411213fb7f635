"""Unified social credit code validation (GB 32100-2015, einvoice_cn.md §7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from zhongshu.core.errors import ValidationError
from zhongshu.core.uscc import is_valid_uscc, normalize_uscc, validate_uscc

VALID_CODES = [
    "91110000600037341L",
    "91310000631696382C",
    "9144030071526726XG",
    "121200004013590816",
    "91340600MA2PBM9HXD",
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted on their English msgids.
    with translation.override("en"):
        yield


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_codes_pass_and_come_back_normalized(code: str) -> None:
    # given a valid code / when
    result = validate_uscc(code)
    # then
    assert result == code
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 91110000600037341l ", "91110000600037341L"),
        ("9111 0000 6000 3734 1L", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("９１３１００００６３１６９６３８２ｃ", "91310000631696382C"),
        ("91340600\u3000ma2pbm9hxd\n", "91340600MA2PBM9HXD"),
        ("9144030071526726ｘｇ", "9144030071526726XG"),
    ],
)
def test_normalize_strips_spaces_upper_cases_and_folds_full_width(
    raw: str, expected: str
) -> None:
    # given a code as typed with an IME or pasted with spaces
    # when / then
    assert normalize_uscc(raw) == expected
    assert validate_uscc(raw) == expected
    assert is_valid_uscc(raw)


def test_normalize_upper_cases_ascii_only() -> None:
    # given a non-ASCII letter whose str.upper() is two letters
    # when / then it stays one (invalid) character
    assert normalize_uscc("ß") == "ß"


def _error_of(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    return info.value


def test_wrong_check_character_is_reported_on_the_uscc_field() -> None:
    # given a code whose last character is wrong
    # when
    error = _error_of("91110000600037341N")
    # then
    assert "check character" in error.message
    assert error.fields == {"uscc": [error.message]}
    assert not is_valid_uscc("91110000600037341N")


@pytest.mark.parametrize("code", ["", "9111000060003734", "91110000600037341LL"])
def test_wrong_length_says_how_long_it_is(code: str) -> None:
    # given / when
    error = _error_of(code)
    # then
    assert error.message == (
        f"A unified social credit code has 18 characters; this one has {len(code)}."
    )
    assert error.fields == {"uscc": [error.message]}


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [
        ("I1110000600037341L", 1, "I"),
        ("9O110000600037341L", 2, "O"),
        ("91110000Z00037341L", 9, "Z"),
        ("91110000600S37341L", 12, "S"),
        ("9111000060003734VL", 17, "V"),
        ("91110000600037341-", 18, "-"),
    ],
)
def test_illegal_character_names_its_position(
    code: str, position: int, char: str
) -> None:
    # given a code with a letter outside the 31-symbol alphabet
    # when
    error = _error_of(code)
    # then
    assert error.message == (
        f"Character {position} (“{char}”) is not allowed: a unified social credit "
        "code uses digits and capital letters except I, O, S, V and Z."
    )


@pytest.mark.parametrize(
    ("code", "position"), [("91A10000600037341L", 3), ("9111000M600037341L", 8)]
)
def test_area_code_positions_must_be_digits(code: str, position: int) -> None:
    # given a letter (even a legal one) inside the area code
    # when
    error = _error_of(code)
    # then
    assert f"character {position} is" in error.message
    assert "must be digits" in error.message


def test_every_single_character_change_is_caught() -> None:
    # given a valid code
    code = "91340600MA2PBM9HXD"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    # when every position is replaced by every other legal symbol
    variants = [
        code[:i] + symbol + code[i + 1 :]
        for i in range(18)
        for symbol in alphabet
        if symbol != code[i]
    ]
    # then none validates (a mod-31 check catches all single substitutions)
    assert not any(is_valid_uscc(v) for v in variants)


def test_messages_are_translatable() -> None:
    # given the Chinese locale (catalogues may not carry these msgids yet)
    with translation.override("zh-hans"):
        # when
        error = _error_of("123")
    # then the message is still a complete sentence with the count filled in
    assert "3" in error.message
