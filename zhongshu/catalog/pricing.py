"""The one VAT rule of sales and purchasing, and how amounts are shared out.

**The rule.** VAT is split per line and rounded half up to the fen:

1. a line's amount before the document discount is
   ``quantity × unit price × (1 − discount % / 100)``, rounded to the fen;
2. the document discount (in the same basis as the prices) is spread over
   the lines in proportion to those amounts, each share rounded to the fen,
   and the rounding remainder goes to the line with the largest amount;
3. with tax-inclusive prices the line amount is what the customer pays and
   ``VAT = amount × rate / (1 + rate)`` rounded to the fen, net = amount −
   VAT; with tax-exclusive prices the line amount is the net,
   ``VAT = net × rate`` rounded to the fen, amount = net + VAT;
4. the document's totals are the sums of its lines — never computed again
   from the document's own total, so they always agree.

**Shares.** A delivery of part of an order line (and a return of part of a
delivery line) takes ``amount × part / whole`` and ``VAT × part / whole``,
each rounded to the fen; the part that completes the line takes what is
left, so the pieces add up to the line exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from zhongshu.core.money import round_amount, round_price, to_decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclasses.dataclass(frozen=True, slots=True)
class PriceInput:
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal  # percent
    tax_rate: Decimal  # 0.13 for 13 %


@dataclasses.dataclass(frozen=True, slots=True)
class LineAmounts:
    order_discount: Decimal
    amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal


def gross_before_discount(line: PriceInput) -> Decimal:
    factor = 1 - to_decimal(line.discount_rate) / HUNDRED
    return round_amount(
        to_decimal(line.quantity) * to_decimal(line.unit_price) * factor
    )


def spread(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` shared in proportion to ``weights`` (rule 2): each share
    rounded to the fen, the remainder on the largest weight."""
    total = round_amount(total)
    if not weights:
        return []
    whole = sum(weights, ZERO)
    if whole == 0 or total == 0:
        return [ZERO for _ in weights]
    shares = [round_amount(total * w / whole) for w in weights]
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    shares[largest] += total - sum(shares, ZERO)
    return shares


def split_tax(
    amount: Decimal, tax_rate: Decimal, *, tax_inclusive: bool
) -> LineAmounts:
    """Rule 3 for one line whose amount (after discounts) is ``amount``."""
    rate = to_decimal(tax_rate)
    if tax_inclusive:
        tax = round_amount(amount * rate / (1 + rate))
        return LineAmounts(ZERO, amount, amount - tax, tax)
    tax = round_amount(amount * rate)
    return LineAmounts(ZERO, amount + tax, amount, tax)


def price_lines(
    lines: Sequence[PriceInput], *, discount: Decimal, tax_inclusive: bool
) -> list[LineAmounts]:
    """Every line's amounts under the rule; their sums are the totals."""
    bases = [gross_before_discount(line) for line in lines]
    shares = spread(to_decimal(discount), bases)
    result = []
    for line, base, share in zip(lines, bases, shares, strict=True):
        split = split_tax(base - share, line.tax_rate, tax_inclusive=tax_inclusive)
        result.append(dataclasses.replace(split, order_discount=share))
    return result


def convert_price(price: Decimal, tax_rate: Decimal, *, to_inclusive: bool) -> Decimal:
    """A list price in the other basis (rounded to the price places)."""
    rate = to_decimal(tax_rate)
    if to_inclusive:
        return round_price(price * (1 + rate))
    return round_price(price / (1 + rate))


def share(
    whole_amount: Decimal,
    whole_quantity: Decimal,
    part_quantity: Decimal,
    *,
    taken_amount: Decimal,
    taken_quantity: Decimal,
) -> Decimal:
    """The part of ``whole_amount`` that ``part_quantity`` of
    ``whole_quantity`` carries, given what earlier parts took: the part that
    completes the whole takes the remainder."""
    if taken_quantity + part_quantity >= whole_quantity:
        return whole_amount - taken_amount
    return round_amount(whole_amount * part_quantity / whole_quantity)
