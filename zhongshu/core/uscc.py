"""Unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from a 31-symbol alphabet (digits and capitals without I, O, S,
V, Z); positions 3–8 are the registering authority's area code, so digits; the
last character is a check character over the first 17 (mod 31, weights 3^(i-1)).
See shared/reference/einvoice_cn.md §7.
"""

from __future__ import annotations

import string
from typing import Final

from django.utils.translation import gettext as _

from zhongshu.core.errors import ValidationError

__all__ = ["USCC_LENGTH", "is_valid_uscc", "normalize_uscc", "validate_uscc"]

USCC_LENGTH: Final = 18
_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES: Final = {char: value for value, char in enumerate(_ALPHABET)}
_MODULUS: Final = len(_ALPHABET)  # 31
_WEIGHTS: Final = tuple(pow(3, i, _MODULUS) for i in range(USCC_LENGTH - 1))
# 1-based positions 3–8 hold the GB/T 2260 area code.
_AREA_CODE: Final = range(3, 9)

# Full-width forms (ＡＢＣ１２３, as typed with a Chinese IME) sit at a fixed
# offset from ASCII; the ideographic space becomes a space and is then removed.
# Only ASCII letters are upper-cased: str.upper() would turn "ß" into "SS" and
# change the length the error message reports.
_FULL_WIDTH_TO_ASCII: Final = {
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    0x3000: 0x20,
}
_ASCII_UPPER: Final = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def normalize_uscc(code: str) -> str:
    """Half-width, without whitespace, upper-cased: how codes are stored."""
    half_width = code.translate(_FULL_WIDTH_TO_ASCII).translate(_ASCII_UPPER)
    return "".join(half_width.split())


def _check_character(first_17: str) -> str:
    total = sum(_VALUES[char] * w for char, w in zip(first_17, _WEIGHTS, strict=True))
    return _ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def _problem(code: str) -> str | None:
    """The first thing wrong with a normalized code, as a message, or None."""
    if len(code) != USCC_LENGTH:
        return _(
            "A unified social credit code has %(expected)d characters; "
            "this one has %(count)d."
        ) % {"expected": USCC_LENGTH, "count": len(code)}
    for position, char in enumerate(code, start=1):
        if position in _AREA_CODE and char not in "0123456789":
            return _(
                "Characters 3 to 8 of a unified social credit code are the area "
                "code and must be digits; character %(position)d is “%(char)s”."
            ) % {"position": position, "char": char}
        if char not in _VALUES:
            return _(
                "Character %(position)d (“%(char)s”) is not allowed: a unified "
                "social credit code uses digits and capital letters except I, O, "
                "S, V and Z."
            ) % {"position": position, "char": char}
    if _check_character(code[:-1]) != code[-1]:
        return _(
            "The check character (the last one) is wrong: this is not a valid "
            "unified social credit code."
        )
    return None


def validate_uscc(code: str) -> str:
    """Return the normalized code, or raise ValidationError on field ``uscc``."""
    normalized = normalize_uscc(code)
    message = _problem(normalized)
    if message is not None:
        raise ValidationError(message, fields={"uscc": [message]})
    return normalized


def is_valid_uscc(code: str) -> bool:
    return _problem(normalize_uscc(code)) is None
