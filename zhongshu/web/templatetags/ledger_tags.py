"""How the ledger's figures read on the pages: amounts, 大写, 金额线 digits,
balance sides and the labels of the ledger's codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from zhongshu.core.money import amount_in_words, round_amount
from zhongshu.ledger.models import AccountCategory, Dimension, NormalBalance

register = template.Library()

# The money columns of a paper voucher: 亿 down to 分 (eleven digits).
DIGIT_COLUMNS = ("亿", "千", "百", "十", "万", "千", "百", "十", "元", "角", "分")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def amount(value: Any) -> str:
    """``1234.5`` → ``1,234.50``; zero and nothing show as an empty cell,
    as on paper ledgers."""
    number = _decimal(value)
    if number is None or number == 0:
        return ""
    return f"{round_amount(number):,.2f}"


@register.filter
def amount_zero(value: Any) -> str:
    """Like ``amount`` but zero reads ``0.00`` (totals rows)."""
    number = _decimal(value) or Decimal("0.00")
    return f"{round_amount(number):,.2f}"


@register.filter
def plain_amount(value: Any) -> str:
    """An input's value: no separators, empty for zero."""
    number = _decimal(value)
    if number is None or number == 0:
        return ""
    return f"{round_amount(number):.2f}"


@register.filter
def in_words(value: Any) -> str:
    return amount_in_words(round_amount(_decimal(value) or Decimal(0)))


@register.filter
def amount_digits(value: Any) -> list[str]:
    """The eleven 金额线 cells of an amount, blank to the left of its first
    digit; a zero amount has every cell blank."""
    number = _decimal(value)
    if number is None or number == 0:
        return [""] * len(DIGIT_COLUMNS)
    fen = str(abs(int(round_amount(number) * 100)))
    # A red (negative) amount keeps its minus sign in the cell before it.
    cells = (["-"] if number < 0 else []) + list(fen)
    if len(cells) > len(DIGIT_COLUMNS):
        return ["#"] * len(DIGIT_COLUMNS)
    return [""] * (len(DIGIT_COLUMNS) - len(cells)) + cells


@register.simple_tag
def digit_columns() -> tuple[str, ...]:
    return DIGIT_COLUMNS


@register.filter
def is_negative(value: Any) -> bool:
    number = _decimal(value)
    return number is not None and number < 0


@register.filter
def side_label(side: str) -> str:
    """借 / 贷 / 平 in Chinese, Dr / Cr / — in English."""
    if side == NormalBalance.DEBIT:
        return _("Dr")
    if side == NormalBalance.CREDIT:
        return _("Cr")
    return _("Bal")


@register.filter
def category_label(category: str) -> str:
    return (
        str(AccountCategory(category).label)
        if category in AccountCategory.values
        else category
    )


@register.filter
def dimension_label(kind: str) -> str:
    return str(Dimension(kind).label) if kind in Dimension.values else kind


@register.filter
def indent(level: Any) -> int:
    """Left padding of a tree row in px: one step per level below the first."""
    return max(int(level or 1) - 1, 0) * 16


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


TRIAL_BALANCE_FIGURES = (
    "opening_debit",
    "opening_credit",
    "period_debit",
    "period_credit",
    "ytd_debit",
    "ytd_credit",
    "closing_debit",
    "closing_credit",
)


@register.filter
def tb_figures(row: Any) -> list[Decimal]:
    """The eight amount columns of a trial-balance row (or its totals)."""
    return [getattr(row, name) for name in TRIAL_BALANCE_FIGURES]
