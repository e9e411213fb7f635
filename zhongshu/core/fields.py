"""Exact money and quantity columns: scaled integers that read back as Decimal.

SQLite keeps ``DecimalField`` values as binary floats and sums them as floats,
so a long ledger drifts by fractions of a fen. These fields store
``value × 10^places`` in a BIGINT instead (the scales are set in
``core.money``), which both SQLite and PostgreSQL add exactly, and they refuse
any value that would not fit exactly rather than rounding it behind the
caller's back: rounding is ``core.money``'s job.

Sums go through ``sum_amount`` / ``sum_price`` / ``sum_quantity``. They keep the
field as the aggregate's output field, so the database's integer total is
converted back to a Decimal with the right number of places; they also refuse
arithmetic that would silently mix scales (amount × quantity, amount + price,
or a bare ``Decimal`` literal added to a scaled column).

Arithmetic outside those helpers (``annotate``, ``update``) must name its
output field: Django types ``F("amount") + F("amount")`` as a plain integer
and would hand back the scaled integer, and a bare ``Decimal`` literal is sent
unscaled. Write ``ExpressionWrapper(..., output_field=AmountField())`` and
``Value(x, output_field=AmountField())``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django import forms
from django.core import exceptions
from django.core.exceptions import FullResultSet
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.expressions import (
    Combinable,
    CombinedExpression,
    Expression,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import (
    GreaterThanOrEqual,
    IntegerFieldOverflow,
    LessThan,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from zhongshu.core import money

__all__ = [
    "AmountField",
    "PriceField",
    "QuantityField",
    "ScaledSum",
    "sum_amount",
    "sum_price",
    "sum_quantity",
]

# Field[set type, get type], as django-stubs declares Django's own fields, so
# the stubs' mypy plugin can type model attributes as Decimal (Decimal | None
# for null=True) from the _pyi_private_* annotations below.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

if TYPE_CHECKING:
    from django.core.validators import _ValidatorCallable

    _BigIntegerField = models.BigIntegerField
else:
    # Django's field classes cannot be subscripted at run time; Generic can.
    class _BigIntegerField(models.BigIntegerField, Generic[_ST, _GT]):
        pass


class _ScaledDecimalField(_BigIntegerField[_ST, _GT]):
    """A Decimal with a fixed number of places, stored as a scaled BIGINT."""

    # What the django-stubs plugin types model attributes as (no runtime effect).
    _pyi_private_set_type: money.DecimalInput | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    places: ClassVar[int]
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": _("“%(value)s” is not a decimal number."),
        "float": _(
            "“%(value)s” is a floating-point number; enter an exact decimal instead."
        ),
        "precision": _("“%(value)s” has more than %(places)s decimal places."),
        "range": _("“%(value)s” is too large to store."),
    }

    def from_db_value(
        self, value: object, expression: object, connection: BaseDatabaseWrapper
    ) -> Decimal | None:
        if value is None:
            return None
        return money.from_scaled(_integer_from_db(value), self.places)

    def to_python(self, value: Any) -> Decimal | None:
        """Clean form or fixture input; raise Django's ValidationError if unfit."""
        if value is None or value == "":
            return None
        params = {"value": value, "places": self.places}
        if isinstance(value, float):
            raise exceptions.ValidationError(
                self.error_messages["float"], code="float", params=params
            )
        try:
            scaled = self._scale(value)
        except (TypeError, ValueError):
            code = self._error_code(value)
            raise exceptions.ValidationError(
                self.error_messages[code], code=code, params=params
            ) from None
        return money.from_scaled(scaled, self.places)

    def get_prep_value(self, value: Any) -> int | None:
        """Scale a value for the database (saves and lookups).

        Raises TypeError for floats and ValueError for a value with more places
        than the field keeps, naming the field so the failing save is obvious.
        """
        value = super(models.IntegerField, self).get_prep_value(value)
        if value is None:
            return None
        try:
            return self._scale(value)
        except (TypeError, ValueError) as error:
            raise type(error)(f"{self._label()}: {error}") from error

    def _scale(self, value: Any) -> int:
        return money.to_scaled(value, self.places)

    def _error_code(self, value: Any) -> str:
        try:
            decimal = money.to_decimal(value)
        except (TypeError, ValueError):
            return "invalid"
        exponent = decimal.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            return "precision"
        return "range"

    def _label(self) -> str:
        model = getattr(self, "model", None)
        if model is not None:
            return f"{model._meta.label}.{self.name}"
        return type(self).__name__

    @cached_property
    def validators(self) -> list[_ValidatorCallable]:
        # IntegerField would add min/max validators for the BIGINT range, but
        # they would compare the unscaled Decimal; to_python checks the range
        # on the scaled value instead.
        return super(models.IntegerField, self).validators

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "decimal_places": self.places,
            **kwargs,
        }
        # Skip IntegerField.formfield, which would build an integer form field.
        return models.Field.formfield(self, **defaults)


def _integer_from_db(value: object) -> int:
    # SQLite returns int; PostgreSQL returns numeric (Decimal) for SUM(bigint).
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ValueError(f"Expected a scaled integer from the database, got {value!r}.")


class AmountField(_ScaledDecimalField[_ST, _GT]):
    """A money amount in the currency's minor unit (CNY: 0.01), stored ×10²."""

    places = money.AMOUNT_PLACES
    description = _("Amount (exact decimal)")


class PriceField(_ScaledDecimalField[_ST, _GT]):
    """A unit price with 6 places, stored ×10⁶."""

    places = money.PRICE_PLACES
    description = _("Unit price (exact decimal)")


class QuantityField(_ScaledDecimalField[_ST, _GT]):
    """A quantity with up to 4 places (a unit may use fewer), stored ×10⁴."""

    places = money.QUANTITY_PLACES
    description = _("Quantity (exact decimal)")


# IntegerField's >= and < lookups round a float right-hand side up to an int,
# which would let filter(amount__gte=0.1) mean ">= 1.00". These versions keep
# the overflow handling but let get_prep_value refuse the float.
@_ScaledDecimalField.register_lookup
class _ScaledGreaterThanOrEqual(IntegerFieldOverflow, GreaterThanOrEqual):
    underflow_exception = FullResultSet


@_ScaledDecimalField.register_lookup
class _ScaledLessThan(IntegerFieldOverflow, LessThan):
    overflow_exception = FullResultSet


class ScaledSum(models.Sum):
    """SUM of one kind of scaled column, read back as that kind.

    The SQL adds integers, so the total is exact; the output field converts it
    to a Decimal. Operands are checked when the query is built: the sum of a
    scaled expression is only meaningful if every term has the same scale.
    """

    def __init__(
        self,
        expression: str | Combinable,
        *,
        field_class: type[_ScaledDecimalField[Any, Any]],
        filter: Q | None = None,
    ) -> None:
        self.field_class = field_class
        super().__init__(expression, filter=filter, output_field=field_class())

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> ScaledSum:
        resolved = super().resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        _require_scale(resolved.get_source_expressions()[0], self.field_class)
        return resolved


def _require_scale(
    expression: object, field_class: type[_ScaledDecimalField[Any, Any]]
) -> None:
    """Refuse an operand whose scaled integers are not ``field_class``'s."""
    if isinstance(expression, CombinedExpression):
        lhs, rhs = expression.lhs, expression.rhs
        if expression.connector in (Combinable.ADD, Combinable.SUB):
            _require_scale(lhs, field_class)
            _require_scale(rhs, field_class)
            return
        # amount × 3 (or -F("amount"), which Django builds as × -1) keeps the
        # scale; amount × price or amount × Decimal("0.13") does not.
        if expression.connector == Combinable.MUL:
            if _is_int_value(rhs):
                _require_scale(lhs, field_class)
                return
            if _is_int_value(lhs):
                _require_scale(rhs, field_class)
                return
    output_field = getattr(expression, "_output_field_or_none", None)
    if isinstance(output_field, field_class):
        return
    raise TypeError(
        f"Cannot sum {expression!r} as a {field_class.__name__}: every term must "
        f"be a {field_class.__name__} (or one multiplied by an int). Compute "
        "mixed products in Python and round them with zhongshu.core.money, or "
        f"wrap a literal as Value(x, output_field={field_class.__name__}())."
    )


def _is_int_value(expression: object) -> bool:
    return (
        isinstance(expression, Value)
        and isinstance(expression.value, int)
        and not isinstance(expression.value, bool)
    )


def _scaled_sum(
    expression: str | Combinable,
    field_class: type[_ScaledDecimalField[Any, Any]],
    filter: Q | None,
) -> Coalesce:
    # COALESCE keeps the output field, so an empty set reads as 0.00, not None.
    zero: Expression = Value(Decimal(0), output_field=field_class())
    return Coalesce(
        ScaledSum(expression, field_class=field_class, filter=filter),
        zero,
        output_field=field_class(),
    )


def sum_amount(expression: str | Combinable, *, filter: Q | None = None) -> Coalesce:
    """Exact total of an AmountField expression; 0.00 when there are no rows.

    >>> Line.objects.aggregate(total=sum_amount("amount"))["total"]
    Decimal('1234.50')
    """
    return _scaled_sum(expression, AmountField, filter)


def sum_price(expression: str | Combinable, *, filter: Q | None = None) -> Coalesce:
    """Exact total of a PriceField expression (6 places)."""
    return _scaled_sum(expression, PriceField, filter)


def sum_quantity(
    expression: str | Combinable,
    *,
    filter: Q | None = None,
) -> Coalesce:
    """Exact total of a QuantityField expression (4 places)."""
    return _scaled_sum(expression, QuantityField, filter)


def amount_value(value: Decimal) -> Value:
    """An amount as a query parameter (``F("open") - amount_value(x)``),
    scaled like the columns it meets."""
    return Value(value, output_field=AmountField())


def quantity_value(value: Decimal) -> Value:
    """A quantity as a query parameter, scaled like the columns it meets."""
    return Value(value, output_field=QuantityField())
