"""How inventory's figures read on the pages: quantities without trailing
zeros, unit costs to the cent or finer, and the labels of inventory codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhongshu.inventory.models import MoveKind

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def qty(value: Any) -> str:
    """``Decimal("1200.5000")`` → ``1,200.5``; nothing stays empty, zero
    reads ``0``."""
    number = _decimal(value)
    if number is None:
        return ""
    if number == 0:
        return "0"
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def qty_blank(value: Any) -> str:
    """Like ``qty`` but zero is an empty cell (in/out columns)."""
    number = _decimal(value)
    return "" if number is None or number == 0 else qty(number)


@register.filter
def unit_cost(value: Any) -> str:
    """A unit cost: at least two places, up to six when it has them."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{number.quantize(Decimal('0.000001')):,f}".rstrip("0")
    whole, _dot, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


@register.filter
def move_kind(kind: str) -> str:
    return str(MoveKind(kind).label) if kind in MoveKind.values else kind


@register.filter
def add_difference(new: Any, old: Any) -> Decimal:
    """``new − old`` of a revalued move."""
    return (_decimal(new) or Decimal(0)) - (_decimal(old) or Decimal(0))
