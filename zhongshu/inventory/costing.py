"""Costing: the value of every stock move, by the product's costing method.

The unit of costing is a *chain*: the moves of one product in one warehouse in
``(date, id)`` order. Each move stores the chain's state after it (balance
quantity and value, and the FIFO positions), so the state before any point is
one indexed row away.

Backdating. A receipt or issue dated before later moves of its chain changes
what those later moves should have cost. We revalue them **in the same
transaction**: the chain is replayed from the new move onwards (from the first
day of its month for the monthly average, whose issues all share one cost), the
later moves whose value changed are updated, and the difference is posted as a
dated cost adjustment (出库成本调整) into their own open periods. The cost is
proportional to the moves after the insertion point in that one chain, never
to the company's history, and there is no repost queue to fall behind: stock
value equals the ledger at every commit. A transfer whose value changes carries
the change into the receiving warehouse's chain, replayed the same way.

Why not a dated adjustment alone (Kingdee's way)? It leaves the later issues'
own costs wrong in the stock ledger and needs a month-end job to compute it;
replaying one chain is cheap enough to do at once (bench ``stock``: a
backdated receipt before 1,000 issues).

The methods:

- moving weighted average (移动加权平均): an issue costs the chain's value per
  unit at that moment;
- FIFO (先进先出): receipts are layers laid end to end on a cumulative quantity
  axis (``fifo_in``), issues consume the same axis (``fifo_out``); an issue's
  value is what its interval covers of the layers, and a layer's value is
  apportioned by position with cumulative rounding, so however a layer is
  split its parts add up to its value exactly;
- monthly weighted average (月末一次加权平均): every issue of a month costs
  (opening value + receipts of the month) / (opening quantity + receipts), so
  a receipt late in the month revalues the month's earlier issues at once
  rather than at month end.

One rule for all three: a valued issue that empties the chain takes all of its
remaining value, so rounding never leaves value on zero stock.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import deque
from collections.abc import Sequence
from decimal import Decimal

from zhongshu.catalog.models import CostingMethod
from zhongshu.core.money import round_amount, round_price

ZERO = Decimal("0")
ZERO_AMOUNT = Decimal("0.00")


@dataclasses.dataclass(slots=True)
class ChainState:
    quantity: Decimal = ZERO
    value: Decimal = ZERO_AMOUNT
    fifo_in: Decimal = ZERO
    fifo_out: Decimal = ZERO
    # The cost per unit to fall back on when the chain holds nothing.
    last_unit_cost: Decimal = ZERO

    def unit_cost(self) -> Decimal:
        if self.quantity > 0:
            return self.value / self.quantity
        return self.last_unit_cost


@dataclasses.dataclass(slots=True)
class ChainMove:
    """What costing reads and writes of a stock move."""

    id: int
    date: datetime.date
    quantity: Decimal
    value: Decimal
    fixed_value: bool
    unit_cost: Decimal = ZERO
    balance_quantity: Decimal = ZERO
    balance_value: Decimal = ZERO_AMOUNT
    fifo_in: Decimal = ZERO
    fifo_out: Decimal = ZERO


@dataclasses.dataclass(frozen=True, slots=True)
class Layer:
    """A FIFO layer: positions ``[start, start + quantity)`` worth ``value``."""

    start: Decimal
    quantity: Decimal
    value: Decimal

    @property
    def end(self) -> Decimal:
        return self.start + self.quantity

    def value_up_to(self, position: Decimal) -> Decimal:
        """Value of positions ``[start, position)``, rounded cumulatively."""
        if position <= self.start:
            return ZERO_AMOUNT
        if position >= self.end:
            return self.value
        return round_amount(self.value * (position - self.start) / self.quantity)


def replay(
    method: str,
    before: ChainState,
    moves: Sequence[ChainMove],
    layers: Sequence[Layer] = (),
) -> ChainState:
    """Value ``moves`` (in chain order) from the state ``before`` them and
    write each move's value and the state after it into the move. ``layers``
    are the FIFO layers laid before ``moves`` that are not yet used up.

    For the monthly average ``moves`` must start on the first move of a month
    and ``before`` be the state at the end of the month before."""
    state = dataclasses.replace(before)
    if method == CostingMethod.MONTHLY_AVERAGE:
        _replay_monthly(state, moves)
    elif method == CostingMethod.FIFO:
        _replay_fifo(state, moves, deque(layers))
    else:
        for move in moves:
            _value_moving(state, move)
            _advance(state, move)
    return state


def _advance(state: ChainState, move: ChainMove) -> None:
    state.quantity += move.quantity
    state.value += move.value
    if move.quantity > 0:
        state.fifo_in += move.quantity
    elif move.quantity < 0:
        state.fifo_out -= move.quantity
    if state.quantity > 0:
        state.last_unit_cost = state.value / state.quantity
    move.balance_quantity = state.quantity
    move.balance_value = state.value
    move.fifo_in = state.fifo_in
    move.fifo_out = state.fifo_out
    if move.quantity:
        move.unit_cost = round_price(abs(move.value / move.quantity))


def _issue_taking_all(state: ChainState, quantity: Decimal) -> Decimal | None:
    """The value of an issue that empties (or overdraws) the chain: all that
    is left, plus any overdrawn part at the last unit cost."""
    if state.quantity <= 0 or quantity < state.quantity:
        return None
    overdrawn = quantity - state.quantity
    return -(state.value + round_amount(state.last_unit_cost * overdrawn))


def _value_moving(state: ChainState, move: ChainMove) -> None:
    if move.fixed_value or move.quantity == 0:
        return
    if move.quantity > 0:
        move.value = round_amount(state.unit_cost() * move.quantity)
        return
    quantity = -move.quantity
    taking_all = _issue_taking_all(state, quantity)
    if taking_all is not None:
        move.value = taking_all
    elif state.quantity > 0:
        move.value = -round_amount(state.value * quantity / state.quantity)
    else:
        move.value = -round_amount(state.last_unit_cost * quantity)


def _replay_fifo(
    state: ChainState, moves: Sequence[ChainMove], layers: deque[Layer]
) -> None:
    for move in moves:
        if move.quantity > 0:
            if not move.fixed_value:
                move.value = round_amount(state.unit_cost() * move.quantity)
            layers.append(Layer(state.fifo_in, move.quantity, move.value))
        elif move.quantity < 0 and not move.fixed_value:
            quantity = -move.quantity
            taking_all = _issue_taking_all(state, quantity)
            if taking_all is not None:
                move.value = taking_all
            else:
                move.value = -_consume(state, layers, quantity)
        _advance(state, move)
        while layers and layers[0].end <= state.fifo_out:
            layers.popleft()


def _consume(state: ChainState, layers: deque[Layer], quantity: Decimal) -> Decimal:
    start, end = state.fifo_out, state.fifo_out + quantity
    value = ZERO_AMOUNT
    covered = start
    for layer in layers:
        if layer.start >= end:
            break
        if layer.end <= start:
            continue
        value += layer.value_up_to(min(end, layer.end)) - layer.value_up_to(
            max(start, layer.start)
        )
        covered = min(end, layer.end)
    if covered < end:  # beyond every layer: negative stock
        value += round_amount(state.last_unit_cost * (end - covered))
    return value


def _replay_monthly(state: ChainState, moves: Sequence[ChainMove]) -> None:
    month: list[ChainMove] = []
    for move in moves:
        if month and (move.date.year, move.date.month) != (
            month[0].date.year,
            month[0].date.month,
        ):
            _replay_month(state, month)
            month = []
        month.append(move)
    if month:
        _replay_month(state, month)


def _replay_month(state: ChainState, moves: list[ChainMove]) -> None:
    pool_quantity = state.quantity
    pool_value = state.value
    for move in moves:
        if move.fixed_value:
            pool_quantity += move.quantity
            pool_value += move.value
    average = pool_value / pool_quantity if pool_quantity > 0 else state.unit_cost()
    last_valued: int | None = None
    for index, move in enumerate(moves):
        if not move.fixed_value and move.quantity != 0:
            move.value = round_amount(average * move.quantity)
            if move.quantity < 0:
                last_valued = index
        _advance(state, move)
    # The month's last valued issue absorbs the rounding when it ends empty.
    if state.quantity == 0 and state.value != 0 and last_valued is not None:
        residual = state.value
        moves[last_valued].value -= residual
        for move in moves[last_valued:]:
            move.balance_value -= residual
        moves[last_valued].unit_cost = round_price(
            abs(moves[last_valued].value / moves[last_valued].quantity)
        )
        state.value = ZERO_AMOUNT
