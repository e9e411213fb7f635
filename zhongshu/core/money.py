"""Money and quantities: the one place that rounds (STYLE.md §6).

Every amount, unit price and quantity is a ``Decimal`` built from a string or an
int; floats are refused at the door because ``0.1`` is already wrong before any
arithmetic happens. Rounding is ``ROUND_HALF_UP`` (四舍五入), the rule Chinese
invoices and vouchers are checked against, and no other module quantizes money.

The storage scales (×10², ×10⁶, ×10⁴) are chosen here too, so that the
scaled-integer model fields in ``core.fields`` and the rounding functions can
never disagree about how many places a kind of number has.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final, TypeAlias

__all__ = [
    "AMOUNT_PLACES",
    "AMOUNT_SCALE",
    "CURRENCY_PLACES",
    "PRICE_PLACES",
    "PRICE_SCALE",
    "QUANTITY_PLACES",
    "QUANTITY_SCALE",
    "DecimalInput",
    "amount_in_words",
    "from_scaled",
    "places_of",
    "round_amount",
    "round_price",
    "round_quantity",
    "to_decimal",
    "to_scaled",
]

# What callers may hand in: exact types only (a float is never exact money).
DecimalInput: TypeAlias = Decimal | int | str

AMOUNT_PLACES: Final = 2
PRICE_PLACES: Final = 6
# The finest a quantity is stored; a unit of measure may use fewer places.
QUANTITY_PLACES: Final = 4

AMOUNT_SCALE: Final = 10**AMOUNT_PLACES
PRICE_SCALE: Final = 10**PRICE_PLACES
QUANTITY_SCALE: Final = 10**QUANTITY_PLACES

# Minor-unit places per ISO 4217 currency. Amounts are stored with
# AMOUNT_PLACES, so a currency may use fewer places but never more; a currency
# is added here when the company model starts offering it.
CURRENCY_PLACES: Final[Mapping[str, int]] = MappingProxyType({"CNY": 2})
if max(CURRENCY_PLACES.values()) > AMOUNT_PLACES:  # pragma: no cover - config guard
    raise AssertionError("A currency has more places than AmountField stores.")

# Scaled integers live in signed 64-bit columns (BigIntegerField).
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
# A scaled value whose leading digit is past 10^18 cannot fit in 64 bits.
_INT64_DIGITS: Final = 18


def to_decimal(value: DecimalInput) -> Decimal:
    """Return ``value`` as a finite ``Decimal``; refuse floats and bools.

    >>> to_decimal("12.30")
    Decimal('12.30')
    """
    # bool is an int subclass; True as an amount is always a bug.
    if isinstance(value, float | bool):
        raise TypeError(
            f"{type(value).__name__} {value!r} cannot be used as money or a "
            'quantity; build a Decimal from a string, e.g. Decimal("0.10").'
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number.") from None
    else:
        raise TypeError(
            f"Expected Decimal, int or str, got {type(value).__name__} {value!r}."
        )
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    return result


def places_of(currency: str) -> int:
    """Minor-unit places of ``currency`` (CNY: 2, i.e. 分)."""
    try:
        return CURRENCY_PLACES[currency]
    except KeyError:
        raise ValueError(f"Unknown currency {currency!r}.") from None


def _quantize(value: DecimalInput, places: int) -> Decimal:
    result = to_decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    # -0.004 rounds to -0.00; printed documents should never show "-0.00".
    return result.copy_abs() if result.is_zero() else result


def round_amount(value: DecimalInput, currency: str = "CNY") -> Decimal:
    """Round to the currency's minor unit, half up: 1.005 → 1.01, -1.005 → -1.01."""
    return _quantize(value, places_of(currency))


def round_price(value: DecimalInput) -> Decimal:
    """Round a unit price to PRICE_PLACES (6) places, half up."""
    return _quantize(value, PRICE_PLACES)


def round_quantity(value: DecimalInput, decimals: int = QUANTITY_PLACES) -> Decimal:
    """Round a quantity to a unit's ``decimals`` (0 … QUANTITY_PLACES), half up."""
    if isinstance(decimals, bool) or not 0 <= decimals <= QUANTITY_PLACES:
        raise ValueError(
            f"A unit has 0 to {QUANTITY_PLACES} decimals, not {decimals!r}."
        )
    return _quantize(value, decimals)


def to_scaled(value: DecimalInput, places: int) -> int:
    """``value × 10^places`` as an int, refusing anything that would lose precision.

    Used by the model fields; it never rounds, because a value that does not fit
    must be rounded deliberately by the caller with the round_* functions.
    """
    decimal = to_decimal(value)
    if decimal.is_zero():
        return 0
    # The leading digit's place bounds the work below: 1E+999999 never
    # becomes a million-digit integer, nor 1E-999999 its denominator.
    leading = decimal.adjusted()
    if leading + places > _INT64_DIGITS:
        raise ValueError(f"{decimal} is too large to store.")
    # Exact whatever the decimal context: the value as a fraction of
    # integers, scaled; a remainder means digits below the stored precision
    # (1.50000 is fine, 1.005 is not).
    scaled: int = 0
    remainder = 1
    if leading >= -places:
        numerator, denominator = decimal.as_integer_ratio()
        scaled, remainder = divmod(numerator * 10**places, denominator)
    if remainder:
        raise ValueError(
            f"{decimal} has more than {places} decimal places; round it "
            "first with zhongshu.core.money."
        )
    if not _INT64_MIN <= scaled <= _INT64_MAX:
        raise ValueError(f"{decimal} is too large to store.")
    return scaled


def from_scaled(scaled: int, places: int) -> Decimal:
    """The Decimal a scaled integer stands for, with exactly ``places`` places.

    Parsed from ``"<digits>E-<places>"``: constructing from a string is exact
    whatever the decimal context, and zero reads back as ``0.00`` rather than
    ``0``. (Every report reads thousands of these; the string is the fast way.)
    """
    return Decimal(f"{int(scaled)}E-{places}")


# --- 大写金额 --------------------------------------------------------------------
# Rules: 中国人民银行《正确填写票据和结算凭证的基本规定》 (see
# shared/reference/einvoice_cn.md §8). Rule 3 lets a zero run that ends at the
# 万 or 元 digit be written with one 零 or without; the PBOC's own examples are
# 壹拾万零柒仟元伍角叁分 and 壹仟陆佰捌拾元叁角贰分, and we always emit that
# spelling: in the yuan part every run of zeros between two non-zero digits is
# one 零 (also across 万 and 亿), while a 0 in the 元 digit adds no 零 before 角.
# 零 between 元 and 分 (no 角) is mandatory (rule 4).

_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS: Final = ("", "拾", "佰", "仟")
# 4-digit groups: ones, 万, 亿, 万 (of 亿) → 16 integer digits at most.
_MAX_INTEGER_DIGITS: Final = 16


def _group_marker(position: int, digits: str) -> str:
    """万 or 亿 after the digit at ``position`` (0 = 元 digit), if that group has
    any non-zero digit; "" when the position ends no group."""
    if position == 0 or position % 4:
        return ""
    # 万 covers its own four digits; 亿 covers everything up to the next 亿.
    span = 4 if position % 8 else 8
    end = len(digits) - position
    start = max(0, end - span)
    if not digits[start:end].strip("0"):
        return ""
    return "亿" if position % 8 == 0 else "万"


def _integer_words(digits: str) -> str:
    """Words for the digits of a positive integer, without 元."""
    parts: list[str] = []
    zero_pending = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        if char == "0":
            zero_pending = True
        else:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            parts.append(_DIGITS[int(char)] + _SMALL_UNITS[position % 4])
        parts.append(_group_marker(position, digits))
    return "".join(parts)


def amount_in_words(amount: DecimalInput) -> str:
    """Chinese uppercase amount (大写金额) of a CNY amount with at most 2 places.

    >>> amount_in_words("1004.05")
    '壹仟零肆元零伍分'

    整 follows 元 or 角 when there is no 分; negative amounts get a 负 prefix.
    Values with sub-分 digits are refused rather than rounded: round them with
    ``round_amount`` first, so the words always match the stored figure.
    """
    fen_total = to_scaled(amount, AMOUNT_PLACES)
    if fen_total == 0:
        return "零元整"
    sign = "负" if fen_total < 0 else ""
    yuan, cents = divmod(abs(fen_total), 100)
    jiao, fen = divmod(cents, 10)
    if len(str(yuan)) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{amount} is too large to write in words.")

    words = (_integer_words(str(yuan)) + "元") if yuan else ""
    if jiao:
        # 1680.32 → 壹仟陆佰捌拾元叁角贰分: rule 3's spelling without 零.
        words += _DIGITS[jiao] + "角"
    elif fen and yuan:
        # 1004.05 → …肆元零伍分: a missing 角 between 元 and 分 is always 零.
        words += "零"
    words += (_DIGITS[fen] + "分") if fen else "整"
    return sign + words
